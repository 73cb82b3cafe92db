"""Background jobs: the task XLSX is linear in the number of tasks, and the exchange export job
writes to a spooled file in flat memory (issue 12).

- tasks_workbook for 2,000 and 8,000 tasks: time per task must stay about the same (it was
  quadratic: every row re-measured the sheet with ws.max_row).
- the exchange export job (reporting/jobs.py, CSV and JSON) for 50,000 and 200,000 values: the
  job's peak Python memory (tracemalloc) must not grow with the size; printed beside the old
  in-request JSON (`json.dumps(exchange.to_json(rows))`) for the smaller size. The values come
  from a generator standing in for the database cursor (exchange.export_values reads it with
  iterator(chunk_size=5000)); the process's peak RSS (getrusage) is printed too.
"""

from __future__ import annotations

import datetime
import json
import resource
import time
import tracemalloc
from types import SimpleNamespace

from common import setup_django


def fake_tasks(n: int):
    plan = SimpleNamespace(number="12/KH-UBND")
    none = SimpleNamespace(all=lambda: [])
    for i in range(n):
        yield SimpleNamespace(
            plan=plan,
            plan_id=1,
            section=f"{i % 9}.{i % 7}",
            text=f"Nhiệm vụ số {i}: tuyên truyền phòng, chống ma túy tại cơ sở " * 2,
            lead_agency=SimpleNamespace(name="Sở Y tế"),
            cooperating=none,
            projects=none,
            deadline=datetime.date(2026, 12, 31),
            original_deadline=None,
            recurrence="",
            get_recurrence_display=lambda: "",
            status="in_progress",
            status_label="Đang thực hiện",
            completed_on=None,
            progress=40,
        )


def bench_xlsx() -> None:
    from plans.exports import tasks_workbook

    per = {}
    for n in (2000, 8000):
        t0 = time.perf_counter()
        tasks_workbook(fake_tasks(n), on=datetime.date(2026, 12, 5), heading="Danh sách nhiệm vụ")
        per[n] = (time.perf_counter() - t0) / n
        print(f"  task XLSX {n:>6} nhiệm vụ: {per[n] * n:6.2f} s ({per[n] * 1e6:.0f} µs / nhiệm vụ)")
    ratio = per[8000] / per[2000]
    print(f"  thời gian / nhiệm vụ, 8.000 so với 2.000: ×{ratio:.2f} (tuyến tính ≈ 1; bậc hai ≈ 4)")
    assert ratio < 2, "task XLSX is not linear"


def rows(n: int):
    for i in range(n):
        yield {
            "dataElement": f"ZC_{i % 44:02d}",
            "period": "2026Q2",
            "orgUnit": f"{10000 + i % 3321}",
            "categoryOptionCombo": "default",
            "value": str(i % 97),
        }


def bench_export() -> None:
    from accounts.models import User
    from jobs import services
    from reporting import jobs as reporting_jobs
    from reporting.services import exchange

    user = User.objects.create(username="bench-export")
    peaks = {}
    # Warm-up (lazy imports, first file): not measured.
    reporting_jobs.exchange.export_values = lambda **_: rows(1000)  # type: ignore[assignment]
    reporting_jobs._count_values = lambda ctx, p: 1000  # type: ignore[assignment]
    services.start(
        acting_user=user, kind="reporting.exchange_export", params={"fmt": "csv", "submitted": False}, key="w"
    )
    for fmt in ("csv", "json"):
        for n in (50_000, 200_000):
            reporting_jobs.exchange.export_values = lambda n=n, **_: rows(n)  # type: ignore[assignment]
            reporting_jobs._count_values = lambda ctx, p, n=n: n  # type: ignore[assignment]
            tracemalloc.start()
            t0 = time.perf_counter()
            job = services.start(
                acting_user=user,
                kind="reporting.exchange_export",
                params={"fmt": fmt, "submitted": False, "province": ""},
                key=f"{fmt}-{n}",
            )
            elapsed = time.perf_counter() - t0
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            assert job.status == "done", job.message
            peaks[(fmt, n)] = peak
            size = job.result.size
            print(
                f"  xuất {fmt.upper():4} {n:>7} giá trị: {elapsed:5.2f} s, tệp {size / 1e6:5.1f} MB, "
                f"bộ nhớ đỉnh của công việc {peak / 1e6:5.2f} MB"
            )
    tracemalloc.start()
    json.dumps(exchange.to_json(rows(50_000)), ensure_ascii=False)
    old = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"  cách cũ (JSON trong yêu cầu web), 50.000 giá trị: bộ nhớ đỉnh {old / 1e6:5.2f} MB")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  RSS đỉnh của cả tiến trình đo: {rss:.0f} MB")
    for fmt in ("csv", "json"):
        grow = peaks[(fmt, 200_000)] / peaks[(fmt, 50_000)]
        print(f"  {fmt.upper()}: bộ nhớ đỉnh 200.000 so với 50.000 giá trị: ×{grow:.2f} (phẳng ≈ 1)")
        assert grow < 1.5, "export memory grows with the size"


def main() -> None:
    import os
    import tempfile

    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="pcmt-bench-media-")
    label = setup_django()
    print(f"== Công việc chạy nền ({label}) ==")
    bench_xlsx()
    bench_export()


if __name__ == "__main__":
    main()
