"""The period's report as one DOCX (NĐ 30/2020 layout) and one XLSX workbook.

DOCX: heading, the five sections with the office's text; in section II each form's table with the
units it rests on and the tasks by project; annexes: each form's units with their status and
figures' coverage. XLSX: the text, one sheet per form (totals), the tasks by project, and one sheet
per form with every unit's figures (empty cells stay empty).
"""

from __future__ import annotations

import io
from typing import Any

from core.spreadsheet import text_only
from periodreport.models import PeriodReport
from periodreport.services import Bundle, Part
from reporting.services.exports import (
    FONT,
    SECTION_TITLES,
    TABLE_HEAD,
    TABLE_WIDTHS,
    DocxWriter,
    _units_sheet,
    as_of_text,
    table_rows,
)

PROJECT_HEAD = ["TT", "Dự án", "Nhiệm vụ đến hạn trong kỳ", "Đã hoàn thành", "Quá hạn chưa hoàn thành"]
ANNEX_HEAD = ["TT", "Đơn vị", "Số liệu", "Số liệu tính đến"]


def _sheet_title(text: str, taken: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    clean = " ".join("".join(" " if ch in "[]:*?/\\" else ch for ch in text).split())
    if len(clean) > 31:  # cut at a word, without a dangling bracket or comma
        clean = clean[:32].rsplit(" ", 1)[0].rstrip(" ,-(")
    clean = clean or "Trang"
    name, n = clean, 2
    while name in taken:
        suffix = f" ({n})"
        name, n = clean[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name)
    return name


def annex_rows(part: Part) -> list[list[str]]:
    from core import vn

    out = []
    for i, unit in enumerate(part.report.units, start=1):
        if unit.cells:
            state = "Có số liệu (có phần chưa duyệt)" if unit.pending else "Có số liệu đã duyệt"
        else:
            state = "Chưa có số liệu đã duyệt"
        out.append([str(i), unit.name, state, vn.format_datetime(unit.as_of) if unit.as_of else ""])
    return out


# ---- DOCX ----------------------------------------------------------------------------------


def report_docx(bundle: Bundle, letter: PeriodReport) -> bytes:
    w = DocxWriter()
    w.heading(letter)
    for key in PeriodReport.SECTIONS:
        text = getattr(letter, key)
        if key == "results":
            w.title(SECTION_TITLES[key])
            w.text(text)
            for n, part in enumerate(bundle.parts, start=1):
                w.note(f"Bảng {n}. {part.form.name} — {part.coverage_text}. {as_of_text(part.report.as_of)}")
                w.table(TABLE_HEAD, table_rows(part.report), TABLE_WIDTHS)
                if part.report.suppressed:
                    from reporting.services.suppression import NOTE

                    w.note(NOTE, size=12)
            if bundle.projects:
                w.note(f"Bảng {len(bundle.parts) + 1}. Tiến độ nhiệm vụ đến hạn trong kỳ theo dự án")
                w.table(PROJECT_HEAD, project_rows(bundle), [1, 6.5, 3, 3, 3])
            continue
        if text.strip():
            w.title(SECTION_TITLES[key])
            w.text(text)
    w.signature(letter)
    for n, part in enumerate(bundle.parts, start=1):
        w.page_break()
        w.title(f"Phụ lục {n}. Tình hình báo cáo của từng {part.unit_word.split(',')[0]} — {part.form.name}")
        w.note(f"{part.coverage_text}.")
        w.table(ANNEX_HEAD, annex_rows(part), [1, 7, 5, 3.5])
    return w.bytes()


def project_rows(bundle: Bundle) -> list[list[str]]:
    from core import vn

    return [
        [str(i), p.name, vn.format_number(p.due), vn.format_number(p.done), vn.format_number(p.overdue)]
        for i, p in enumerate(bundle.projects, start=1)
    ]


# ---- XLSX ----------------------------------------------------------------------------------


def report_xlsx(bundle: Bundle, letter: PeriodReport) -> bytes:
    from decimal import Decimal

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    taken: set[str] = set()
    normal, bold = Font(name=FONT, size=12), Font(name=FONT, size=12, bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)

    ws = wb.active
    ws.title = _sheet_title("Báo cáo", taken)
    ws.column_dimensions["A"].width = 120
    lines = [(letter.issuing_body.upper(), bold), ("BÁO CÁO", bold), (letter.title, bold), ("", normal)]
    for part in bundle.parts:
        lines.append((f"{part.form.name}: {part.coverage_text}. {as_of_text(part.report.as_of)}", normal))
    for key in PeriodReport.SECTIONS:
        text = getattr(letter, key)
        if text.strip():
            lines += [("", normal), (SECTION_TITLES[key], bold)]
            lines += [(line, normal) for line in text.splitlines() if line.strip()]
    for text, font in lines:
        ws.append([text])
        ws.cell(row=ws.max_row, column=1).font = font
        ws.cell(row=ws.max_row, column=1).alignment = wrap

    def grid(sheet: Any, head: list[str], rows: list[list[Any]], widths: list[int]) -> None:
        sheet.append(head)
        for values in rows:
            sheet.append(values)
        for row in sheet.iter_rows(min_row=sheet.max_row - len(rows), max_row=sheet.max_row):
            for cell in row:
                cell.border, cell.font = box, (bold if cell.row == sheet.max_row - len(rows) else normal)
                if isinstance(cell.value, float):
                    cell.number_format = "#,##0.##"
        for i, width in enumerate(widths):
            sheet.column_dimensions[chr(ord("A") + i)].width = width

    for n, part in enumerate(bundle.parts, start=1):
        sheet = wb.create_sheet(_sheet_title(f"Bảng {n} - {part.form.name}", taken))
        sheet.append([f"{part.form.name} — {part.report.period.label} — {part.coverage_text}"])
        rows = []
        for r, shown in zip(part.report.rows, table_rows(part.report), strict=True):
            numbers = [r.current.shown, r.previous.shown, r.change_previous, r.last_year.shown, r.change_last_year]
            # A masked small count of people ("<5", "x") is text; every exact figure stays a number.
            rows.append(
                shown[:3]
                + [float(v) if isinstance(v, Decimal) else (v if isinstance(v, str) else None) for v in numbers]
            )
        grid(sheet, TABLE_HEAD, rows, [5, 60, 12, 14, 14, 14, 16, 14])
        if part.report.suppressed:
            from reporting.services.suppression import NOTE

            sheet.cell(row=sheet.max_row + 2, column=1, value=NOTE)
    if bundle.projects:
        sheet = wb.create_sheet(_sheet_title("Nhiệm vụ theo dự án", taken))
        rows = [[i, p.name, p.due, p.done, p.overdue] for i, p in enumerate(bundle.projects, start=1)]
        grid(sheet, PROJECT_HEAD, rows, [5, 50, 18, 16, 22])
    for n, part in enumerate(bundle.parts, start=1):
        if part.report.units:
            before = set(wb.sheetnames)
            _units_sheet(wb, part.report, Font, Alignment, box)
            (new,) = set(wb.sheetnames) - before
            wb[new].title = _sheet_title(f"Phụ lục {n} - {part.form.name}", taken)
    buffer = io.BytesIO()
    text_only(wb).save(buffer)
    return buffer.getvalue()
