"""XLSX export of the province table of communes (openpyxl, no formulas, Vietnamese headers)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from areas.models import LegalBasis
from areas.selectors import Row
from core import vn
from core.spreadsheet import text_only

HEADERS = [
    ("Mã xã", 9),
    ("Tên xã, phường, đặc khu", 30),
    ("Loại đơn vị", 10),
    ("Xếp loại", 18),
    ("Là đề xuất của xã", 10),
    ("Trạng thái", 28),
    ("Căn cứ pháp lý", 22),
    ("Tiêu chí loại I đạt (/5)", 12),
    ("Tiêu chí loại II đạt (/5)", 12),
    ("Tiêu chí loại III đạt (/3)", 12),
    ("Điều kiện không ma túy đạt (/3)", 14),
    ("Thay đổi so với năm trước", 40),
    ("Năm đăng ký đạt không ma túy", 14),
    ("Số quyết định phê duyệt", 18),
    ("Ngày quyết định", 14),
]


def _row_values(r: Row) -> list[Any]:
    a = r.assessment
    met = r.met_counts or {}
    return [
        r.commune.code,
        r.commune.name,
        r.commune.get_kind_display(),
        r.class_label or "Chưa có kết quả",
        "Có" if r.is_proposal else ("Không" if r.class_key else None),
        r.status_label,
        a.legal_basis if a else "",
        met.get("I"),
        met.get("II"),
        met.get("III"),
        met.get("drug_free"),
        r.change_text if r.change_key != "none" else "",
        r.target_year,
        a.decision_number if a else "",
        a.decision_date if a and a.decision_date else None,
    ]


def province_table_xlsx(province: Any, year: int, rows: Iterable[Row]) -> bytes:
    """One sheet: a title line, the headers, one line per commune; dates as real dates (dd/mm/yyyy)."""
    wb = Workbook()
    ws = wb.active
    ws.title = f"Xếp loại {year}"
    ws.append(
        [
            f"Kết quả đánh giá, xếp loại xã, phường, đặc khu năm {year} — {province.name} "
            f"(kỳ 15/12/{year - 1} – 14/12/{year}; căn cứ {LegalBasis.QD28.value})"
        ]
    )
    ws["A1"].font = Font(bold=True, size=12)
    ws.append([h for h, _ in HEADERS])
    for i, (_, width) in enumerate(HEADERS, start=1):
        cell = ws.cell(row=2, column=i)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEEEEE")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(i)].width = width
    for r in rows:
        ws.append(_row_values(r))
        ws.cell(row=ws.max_row, column=15).number_format = vn.XLSX_DATE_FORMAT
    ws.freeze_panes = "C3"
    out = io.BytesIO()
    text_only(wb).save(out)
    return out.getvalue()
