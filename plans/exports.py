"""XLSX exports of task tracking: the filtered task list and the responsibility matrix."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core import vn
from core.spreadsheet import text_only
from plans.models import Task
from plans.services.tracking import Bucket, Counts, MatrixRow, classify

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE = vn.XLSX_DATE_FORMAT
_HEAD = Font(bold=True)
_FILL = PatternFill("solid", fgColor="EEE8E0")


def _sheet(wb: Workbook, title: str, heading: str, columns: Sequence[tuple[str, int]]) -> object:
    ws = wb.active
    ws.title = title
    ws.append([heading])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append([c for c, _ in columns])
    for i, (_, width) in enumerate(columns, start=1):
        cell = ws.cell(row=3, column=i)
        cell.font, cell.fill = _HEAD, _FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A4"
    return ws


def _bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    text_only(wb).save(out)
    return out.getvalue()


TASK_COLUMNS = [
    ("STT", 6),
    ("Kế hoạch", 18),
    ("Mục", 8),
    ("Nội dung nhiệm vụ", 70),
    ("Cơ quan chủ trì", 28),
    ("Cơ quan phối hợp", 34),
    ("Dự án", 12),
    ("Thời hạn", 12),
    ("Thời hạn ban đầu", 12),
    ("Định kỳ", 12),
    ("Trạng thái", 16),
    ("Phân loại", 24),
    ("Tiến độ (%)", 10),
    ("Ngày hoàn thành", 14),
]


def tasks_workbook(tasks: Iterable[Task], *, on: datetime.date, heading: str) -> bytes:
    """One row per task; `tasks` should prefetch cooperating and projects."""
    wb = Workbook()
    ws = _sheet(wb, "Nhiệm vụ", heading, TASK_COLUMNS)
    n = 0
    for n, t in enumerate(tasks, start=1):  # noqa: B007 - n is the row count after the loop
        ws.append(
            [
                n,
                t.plan.number or f"#{t.plan_id}",
                t.section,
                t.text,
                t.lead_agency.name if t.lead_agency else "",
                "; ".join(a.name for a in t.cooperating.all()),
                ", ".join(p.code for p in t.projects.all()),
                t.deadline,
                t.original_deadline,
                t.get_recurrence_display() if t.recurrence else "",
                t.status_label,
                Bucket(classify(t.status, t.deadline, t.completed_on, on)).label,
                t.progress,
                t.completed_on,
            ]
        )
        row = n + 3  # heading, blank line, column titles; never ws.max_row (it scans every cell: quadratic)
        ws.cell(row=row, column=4).alignment = Alignment(wrap_text=True, vertical="top")
        for col in (8, 9, 14):
            ws.cell(row=row, column=col).number_format = DATE
    ws.append([])
    ws.append([f"Tổng số: {n} nhiệm vụ. Xuất ngày {vn.format_date(on)}."])
    ws.auto_filter.ref = f"A3:{get_column_letter(len(TASK_COLUMNS))}{max(3, n + 3)}"
    return _bytes(wb)


def matrix_workbook(
    rows: Sequence[MatrixRow], totals: Counts, *, on: datetime.date, heading: str, first: str = "Cơ quan chủ trì"
) -> bytes:
    """The responsibility matrix: one row per agency (or project), one column per counting class."""
    columns = [(first, 48), ("Tổng số", 10)] + [(b.label, 16) for b in Bucket] + [("Tỷ lệ hoàn thành (%)", 14)]
    wb = Workbook()
    ws = _sheet(wb, "Ma trận", heading, columns)
    for r in [*rows, MatrixRow(key=None, label="Tổng cộng", counts=totals)]:
        ws.append([r.label, r.counts.total, *(getattr(r.counts, b.value) for b in Bucket), r.counts.done_percent])
    for cell in ws[ws.max_row]:
        cell.font = _HEAD
    ws.append([])
    ws.append([f"Tính theo thời hạn hiện hành tại ngày {vn.format_date(on)}."])
    return _bytes(wb)


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
