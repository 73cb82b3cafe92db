"""Quarter-end rush against a running `make serve` (standard library only; run it beside the
server, never inside it).

Each simulated commune officer signs in, opens "Báo cáo cần nộp", opens the quarter's report,
saves it and submits it; the province's offices (thuongtruc, lanhdao) poll completeness and
consolidation every 2 s meanwhile. Prints errors and p50/p95 per page.

    .venv/bin/python bench/load/quarter_end.py --base http://127.0.0.1:8000 --users 100 --concurrency 50
    .venv/bin/python bench/load/quarter_end.py --users 1000 --concurrency 200 --duration 120

`--duration S`: officers not yet started after S seconds are left out (a short run of a big crowd);
the summary says how many took part and how many submitted.
"""

from __future__ import annotations

import argparse
import html
import http.cookiejar
import re
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

TIMES: dict[str, list[float]] = defaultdict(list)
ERRORS: dict[str, list[str]] = defaultdict(list)
LOCK = threading.Lock()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


class Browser:
    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def request(
        self, page: str, path: str, data: dict[str, str] | list[tuple[str, str]] | None = None
    ) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body)
        req.add_header("X-Forwarded-Proto", "https")
        if body is not None:
            req.add_header("Referer", self.base.replace("http://", "https://", 1) + path)
            req.add_header("X-CSRFToken", self.csrf())
        t0 = time.perf_counter()
        try:
            with self.opener.open(req, timeout=60) as response:
                status, text, location = response.status, response.read().decode(), ""
        except urllib.error.HTTPError as exc:
            status, text, location = exc.code, exc.read().decode(errors="replace"), exc.headers.get("Location", "")
        except OSError as exc:
            status, text, location = 0, str(exc), ""
        elapsed = time.perf_counter() - t0
        with LOCK:
            TIMES[page].append(elapsed)
            if status >= 400 or status == 0:
                ERRORS[page].append(f"{status} {path}")
        return status, text, location


def sign_in(b: Browser, username: str, password: str) -> bool:
    b.request("trang đăng nhập", "/tai-khoan/dang-nhap/")
    status, _, location = b.request(
        "đăng nhập (POST)",
        "/tai-khoan/dang-nhap/",
        {"username": username, "password": password, "csrfmiddlewaretoken": b.csrf()},
    )
    return status == 302 and "dang-nhap" not in location


def _fields(form: str) -> list[tuple[str, str]]:
    out = []
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or 'type="checkbox"' in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        out.append((name.group(1), html.unescape(value.group(1)) if value else ""))
    return out


SUBMITTED: list[str] = []
SKIPPED: list[str] = []


def commune_officer(base: str, username: str, until: float) -> None:
    if time.perf_counter() > until:
        with LOCK:
            SKIPPED.append(username)
        return
    b = Browser(base)
    if not sign_in(b, username, "Pcmt@2026load"):
        with LOCK:
            ERRORS["đăng nhập (POST)"].append(f"{username}: không đăng nhập được")
        return
    b.request("trang chủ", "/")
    _, due, _ = b.request("báo cáo cần nộp", "/bao-cao/can-nop/")
    forms = re.findall(r'<form method="post" action="/bao-cao/can-nop/mo/">.*?</form>', due, re.S)
    quarter = next((f for f in forms if re.search(r'name="period" value="\d{4}Q\d"', f)), forms[0] if forms else None)
    # A report already begun (a draft, e.g. from an import) is a link instead of the "open" form.
    begun = re.search(r'href="(/bao-cao/so-lieu/\d+/)" data-testid="open-\d{4}Q\d"', due)
    if quarter is not None:
        _, _, location = b.request("mở báo cáo (POST)", "/bao-cao/can-nop/mo/", _fields(quarter))
        path = urllib.parse.urlparse(location).path or "/"
    elif begun is not None:
        path = begun.group(1)
    else:
        with LOCK:
            ERRORS["báo cáo cần nộp"].append(f"{username}: không có báo cáo để nhập")
        return
    _, page, _ = b.request("nhập số liệu", path)
    entry = re.search(r'<form[^>]*method="post"[^>]*>(?:(?!</form>).)*name="version".*?</form>', page, re.S)
    if entry is None:
        with LOCK:
            ERRORS["nhập số liệu"].append(f"{username}: không thấy biểu nhập")
        return
    # Zero in every number cell (sums stay consistent), a date in date cells.
    fields = [
        (k, v or ("01/12/2026" if "DATE" in k else "0")) if k.startswith("v-") else (k, v)
        for k, v in _fields(entry.group(0))
    ]
    fields = [(k, v) for k, v in fields if k != "action"]
    status, page, _ = b.request("lưu (POST)", path, [*fields, ("action", "save")])
    if status == 302:  # saved: the page again, with the new version
        _, page, _ = b.request("nhập số liệu", path)
    version = re.search(r'name="version" value="(\d+)"', page)
    if version:
        fields = [(k, version.group(1) if k == "version" else v) for k, v in fields]
    status, _, _ = b.request("nộp (POST)", path, [*fields, ("action", "submit")])
    if status == 302:
        with LOCK:
            SUBMITTED.append(username)
    else:
        with LOCK:
            ERRORS["nộp (POST)"].append(f"{username}: chưa nộp được ({status})")


def office_poll(base: str, username: str, stop: threading.Event) -> None:
    b = Browser(base)
    if not sign_in(b, username, "Pcmt@2026demo"):
        with LOCK:
            ERRORS["đăng nhập (POST)"].append(f"{username}: không đăng nhập được")
        return
    while not stop.is_set():
        b.request("tình hình nộp (văn phòng)", "/bao-cao/tinh-hinh-nop/")
        b.request("tổng hợp tỉnh (văn phòng)", "/tong-hop/tinh/66/")
        stop.wait(2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--duration", type=float, default=0, help="giây; 0: đến khi mọi cán bộ xong")
    args = parser.parse_args()
    stop = threading.Event()
    pollers = [threading.Thread(target=office_poll, args=(args.base, u, stop)) for u in ("thuongtruc", "lanhdao")]
    for t in pollers:
        t.start()
    t0 = time.perf_counter()
    until = t0 + args.duration if args.duration else float("inf")
    with ThreadPoolExecutor(args.concurrency) as pool:
        list(pool.map(lambda i: commune_officer(args.base, f"xa{i + 1:03d}", until), range(args.users)))
    wall = time.perf_counter() - t0
    stop.set()
    for t in pollers:
        t.join()
    total = sum(len(v) for v in TIMES.values())
    print(
        f"{args.users} cán bộ xã, {args.concurrency} đồng thời: {total} yêu cầu trong {wall:.1f} s ({total / wall:.1f} yêu cầu/s)"
    )
    took_part = args.users - len(SKIPPED)
    print(f"{took_part} cán bộ tham gia ({len(SKIPPED)} bỏ qua vì hết giờ), {len(SUBMITTED)} đã nộp báo cáo")
    print(f"{'trang':32} {'số':>5} {'lỗi':>4} {'p50':>8} {'p95':>8} {'max':>8}")
    for page, values in TIMES.items():
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, int(0.95 * (len(ordered) - 1) + 0.5))]
        print(
            f"{page:32} {len(values):5d} {len(ERRORS.get(page, [])):4d} {statistics.median(values) * 1000:7.0f}ms "
            f"{p95 * 1000:7.0f}ms {ordered[-1] * 1000:7.0f}ms"
        )
    for page, errors in ERRORS.items():
        for line in errors[:3]:
            print(f"  lỗi {page}: {line}")


if __name__ == "__main__":
    main()
