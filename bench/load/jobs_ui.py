"""A national CSV export and a 200,000-row CSV import through the UI, as jobs, against a running
`make serve` and a Celery worker this script starts (issue 12, "Done when").

What it does, as a Standing Office officer of every province (`toanquoc`, made by
`seed_load.py … --nation 1`):

1. starts `celery -A pcmt worker --concurrency 1` (the same command as `make worker`) with this
   shell's environment (the server's: DATABASE_URL, REDIS_URL, PCMT_ENV, …) and waits until it is ready;
2. export: GET "Xuất số liệu từng đơn vị" for every province in scope, CSV → the job page; polls
   the progress partial (htmx, every second) until the job is done, downloads the file and checks
   it is whole (as many lines as the job says it wrote, plus the header);
3. restarts the worker (so its peak memory is this job's alone), builds the import file from the
   export (the values of the last quarter, moved to the current quarter: one new draft report per
   commune, values a commune already had, so no outlier), and uploads it on "Nhập số liệu": the
   job page, polled until done;
4. prints per job: the time of each web request (the upload, the start, every poll, the download),
   the longest one against the server's timeout, the job's duration, its progress steps, and the
   worker's peak memory (VmHWM of the worker process that ran it, read from /proc, and VmRSS sampled
   every 0.1 s).

    set -a; . ./load.env; set +a      # the server's environment
    make serve &                      # or any gunicorn started by pcmt/gunicorn.conf.py
    .venv/bin/python bench/load/jobs_ui.py --base http://127.0.0.1:8000 --rows 200000

Only the processes it started are stopped (by their process id).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import contextlib

from quarter_end import Browser, sign_in  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = int(os.environ.get("PCMT_WEB_TIMEOUT", "30"))


# --- the worker and its memory -----------------------------------------------------------------


def _status(pid: int) -> dict[str, int]:
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(("VmHWM:", "VmRSS:")):
                key, value = line.split(":", 1)
                out[key] = int(value.split()[0]) // 1024  # MB
    except OSError:
        pass
    return out


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


class Worker:
    """A Celery worker started by this script, and the peak memory of its processes."""

    def __init__(self) -> None:
        cmd = [str(ROOT / ".venv/bin/celery"), "-A", "pcmt", "worker", "--concurrency", "1", "--loglevel", "INFO"]
        self.log = open(f"/tmp/pcmt-jobs-ui-worker-{os.getpid()}.log", "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        self.rss: dict[int, int] = {}
        self.hwm: dict[int, int] = {}
        self._stop = threading.Event()
        deadline = time.time() + 90
        while time.time() < deadline:
            if b"ready." in Path(self.log.name).read_bytes():
                break
            time.sleep(0.5)
        else:
            raise SystemExit("Tiến trình chạy nền (worker) không khởi động được; xem " + self.log.name)
        self.baseline = {pid: _status(pid).get("VmRSS", 0) for pid in self.pids()}
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def pids(self) -> list[int]:
        return [self.proc.pid, *_children(self.proc.pid)]

    def _sample(self) -> None:
        while not self._stop.is_set():
            for pid in self.pids():
                st = _status(pid)
                self.rss[pid] = max(self.rss.get(pid, 0), st.get("VmRSS", 0))
                self.hwm[pid] = max(self.hwm.get(pid, 0), st.get("VmHWM", 0))
            time.sleep(0.1)

    def stop(self) -> str:
        self._stop.set()
        self._thread.join()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()
        child = max((p for p in self.hwm if p != self.proc.pid), key=lambda p: self.hwm[p], default=self.proc.pid)
        return (
            f"bộ nhớ đỉnh của tiến trình chạy việc (VmHWM) {self.hwm.get(child, 0)} MB "
            f"(lúc chờ {self.baseline.get(child, 0)} MB; VmRSS lấy mẫu 0,1 s: {self.rss.get(child, 0)} MB); "
            f"tiến trình chính của worker {self.hwm.get(self.proc.pid, 0)} MB"
        )


# --- the web side ------------------------------------------------------------------------------


class Timed(Browser):
    """A browser that also keeps the time of each request, by page."""

    def __init__(self, base: str) -> None:
        super().__init__(base)
        self.times: list[tuple[str, float, int]] = []

    def get(self, page: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, str, str, float]:
        import urllib.request

        req = urllib.request.Request(self.base + path, headers={"X-Forwarded-Proto": "https", **(headers or {})})
        return self._send(page, req)

    def _send(self, page: str, req: object) -> tuple[int, str, str, float]:
        import urllib.error

        t0 = time.perf_counter()
        try:
            with self.opener.open(req, timeout=TIMEOUT + 30) as r:  # type: ignore[arg-type]
                status, body, location = r.status, r.read(), r.headers.get("Location", "")
        except urllib.error.HTTPError as exc:
            status, body, location = exc.code, exc.read(), exc.headers.get("Location", "")
        elapsed = time.perf_counter() - t0
        self.times.append((page, elapsed, status))
        text = body.decode(errors="replace") if not page.startswith("tải về") else ""
        self.body = body
        return status, text, location, elapsed

    def upload(
        self, page: str, path: str, fields: dict[str, str], name: str, content: bytes
    ) -> tuple[int, str, str, float]:
        import urllib.request

        boundary = uuid.uuid4().hex
        parts = []
        for k, v in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: text/csv\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        req = urllib.request.Request(self.base + path, data=b"".join(parts))
        req.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
        req.add_header("X-Forwarded-Proto", "https")
        req.add_header("Referer", self.base.replace("http://", "https://", 1) + path)
        req.add_header("X-CSRFToken", self.csrf())
        return self._send(page, req)


def follow(b: Timed, job_path: str) -> dict[str, object]:
    """Poll the job's progress partial as the page's htmx does (every second) until it ends."""
    t0 = time.perf_counter()
    steps: list[tuple[float, str]] = []
    while True:
        status, text, location, _ = b.get("tiến độ (htmx)", job_path, {"HX-Request": "true"})
        if status == 200 and "hx-trigger" not in text:
            break
        percent = re.search(r"<span>(\d+)%</span>", text)
        message = re.search(r'<p class="mb-2[^"]*">(.*?)</p>', text, re.S)
        step = f"{percent.group(1) if percent else '?'}% {message.group(1).strip() if message else ''}"
        if not steps or steps[-1][1] != step:
            steps.append((time.perf_counter() - t0, step))
        time.sleep(1)
    took = time.perf_counter() - t0
    _, page, _, _ = b.get("trang kết quả", job_path)
    message = re.search(r'<p class="mb-2[^"]*">(.*?)</p>', page, re.S)
    return {
        "took": took,
        "steps": steps,
        "done": "Hoàn thành" in page,
        "message": message.group(1).strip() if message else "",
        "download": re.search(r'href="(/cong-viec/\d+/tai-ve/)"', page),
    }


def report(title: str, b: Timed, result: dict[str, object], memory: str) -> None:
    print(f"\n== {title}")
    print(f"   kết quả: {'hoàn thành' if result['done'] else 'KHÔNG THÀNH CÔNG'} — {result['message']}")
    print(f"   thời gian công việc (từ trang tiến độ đầu tiên đến khi xong): {result['took']:.1f} s")
    for at, step in result["steps"]:  # type: ignore[attr-defined]
        print(f"     {at:6.1f} s  {step[:110]}")
    by_page: dict[str, list[float]] = {}
    for page, elapsed, _ in b.times:
        by_page.setdefault(page, []).append(elapsed)
    for page, values in by_page.items():
        print(f"   yêu cầu web «{page}»: {len(values)} lần, lâu nhất {max(values):.2f} s")
    longest = max(e for _, e, _ in b.times)
    print(
        f"   yêu cầu web lâu nhất: {longest:.2f} s (giới hạn của máy chủ {TIMEOUT} s) → {'đạt' if longest < TIMEOUT else 'VƯỢT'}"
    )
    print(f"   {memory}")
    b.times.clear()


def _next(period: str, n: int) -> str:
    index = int(period[:4]) * 4 + int(period[-1]) - 1 + n
    return f"{index // 4}Q{index % 4 + 1}"


def import_file(export: bytes, rows: int) -> tuple[bytes, str, int]:
    """The values of the last two quarters in the export moved to the last complete quarter and the
    current one (left empty and open by `seed_load.py --nation`), up to `rows` rows: new draft
    reports of every commune with values each commune already had (no outlier)."""
    lines = list(csv.reader(io.StringIO(export.decode("utf-8-sig"))))
    header, body = lines[0], lines[1:]
    period = header.index("period")
    last = max(r[period] for r in body if re.fullmatch(r"\d{4}Q\d", r[period]))
    now = time.localtime()
    current = f"{now.tm_year}Q{(now.tm_mon - 1) // 3 + 1}"
    moved = {last: _next(current, -1), _next(last, -1): current}
    chosen = [r for r in body if r[period] in moved][:rows]
    if len(chosen) < rows:
        raise SystemExit(f"Hai quý cuối chỉ có {len(chosen):,} giá trị; cần {rows:,}.")
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    for r in chosen:
        w.writerow([*r[:period], moved[r[period]], *r[period + 1 :]])
    return out.getvalue().encode(), ", ".join(sorted(set(moved.values()))), len(chosen)


def national_export(b: Timed, keep: str) -> bytes:
    """The national CSV export as a job (a fresh worker: its peak memory is this job's alone)."""
    worker = Worker()
    query = urllib.parse.urlencode({"format": "csv", "province": "", "form": "", "period": "", "download": "1"})
    status, _, location, _ = b.get("bắt đầu xuất (GET)", f"/tong-hop/trao-doi/xuat/?{query}")
    assert status == 302 and "/cong-viec/" in location, (status, location)
    job_path = urllib.parse.urlparse(location).path
    result = follow(b, job_path)
    size = 0
    if result["download"]:
        status, _, _, _ = b.get("tải về tệp CSV", result["download"].group(1))  # type: ignore[union-attr]
        export = b.body
        size = len(export)
        Path(keep, "pcmt-xuat-toan-quoc.csv").write_bytes(export)
        written = int(re.sub(r"\D", "", re.search(r"Đã xuất ([\d.]+)", str(result["message"])).group(1)))  # type: ignore[union-attr]
        lines = export.count(b"\n")
        whole = lines == written + 1
        result["message"] = (
            f"{result['message']} Tệp {size / 1e6:.1f} MB, {lines:,} dòng ({'đủ' if whole else 'THIẾU'})."
        )
    report("Xuất CSV toàn quốc", b, result, worker.stop())
    if not size:
        raise SystemExit("Không có tệp xuất.")
    return export


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="toanquoc")
    parser.add_argument("--password", default="Pcmt@2026load")
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--keep", default="/tmp", help="thư mục giữ tệp xuất và tệp nhập")
    parser.add_argument("--export-file", help="bỏ qua bước xuất, lập tệp nhập từ tệp xuất này")
    args = parser.parse_args()

    b = Timed(args.base)
    if not sign_in(b, args.user, args.password):
        raise SystemExit(f"Không đăng nhập được bằng {args.user}.")

    export = Path(args.export_file).read_bytes() if args.export_file else national_export(b, args.keep)
    content, period, n = import_file(export, args.rows)
    Path(args.keep, "pcmt-nhap.csv").write_bytes(content)
    print(f"\n(tệp nhập: {n:,} dòng, kỳ {period}, {len(content) / 1e6:.1f} MB)")
    worker = Worker()
    _, page, _, _ = b.get("trang nhập", "/tong-hop/trao-doi/nhap/")
    fields = {"csrfmiddlewaretoken": b.csrf(), "status": "draft", "job_key": uuid.uuid4().hex}
    status, page, location, _ = b.upload("tải lên (POST)", "/tong-hop/trao-doi/nhap/", fields, "nhap.csv", content)
    if status != 302:
        errors = re.findall(r"invalid-feedback[^>]*>(.*?)</div>", page, re.S)
        worker.stop()
        raise SystemExit(f"Tải lên bị từ chối ({status}): {errors}")
    result = follow(b, urllib.parse.urlparse(location).path)
    report(f"Nhập CSV {n:,} dòng", b, result, worker.stop())


if __name__ == "__main__":
    main()
