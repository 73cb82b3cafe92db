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
    MOTTO,
    NATIONAL_NAME,
    SECTION_TITLES,
    TABLE_HEAD,
    _units_sheet,
    as_of_text,
    date_line,
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


class DocxWriter:
    """A python-docx document set up for an administrative text (A4, Times New Roman 14)."""

    def __init__(self) -> None:
        from docx import Document
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml.ns import qn
        from docx.shared import Cm, Pt

        self.Cm, self.Pt, self.align = Cm, Pt, WD_ALIGN_PARAGRAPH
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_height, section.page_width = Cm(29.7), Cm(21)
        section.top_margin, section.bottom_margin = Cm(2), Cm(2)
        section.left_margin, section.right_margin = Cm(3), Cm(1.5)
        style = self.doc.styles["Normal"]
        style.font.name, style.font.size = FONT, Pt(14)
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
        style.paragraph_format.space_after = Pt(0)

    def para(
        self,
        text: str,
        *,
        container: Any = None,
        size: float = 14,
        bold: bool = False,
        italic: bool = False,
        align: Any = None,
        indent: bool = False,
        after: float = 0,
    ) -> Any:
        p = (container if container is not None else self.doc).add_paragraph()
        p.alignment = self.align.CENTER if align is None else align
        p.paragraph_format.space_after = self.Pt(after)
        if indent:
            p.paragraph_format.first_line_indent = self.Cm(1)
        run = p.add_run(text)
        run.font.name, run.font.size, run.bold, run.italic = FONT, self.Pt(size), bold, italic
        return p

    def first(
        self, cell: Any, text: str, *, size: float, bold: bool = False, italic: bool = False, align: Any = None
    ) -> None:
        """Write into a table cell's existing first paragraph."""
        p = cell.paragraphs[0]
        p.alignment = self.align.CENTER if align is None else align
        run = p.add_run(text)
        run.font.name, run.font.size, run.bold, run.italic = FONT, self.Pt(size), bold, italic

    def heading(self, letter: Any) -> None:
        """Governing and issuing body left, Quốc hiệu and Tiêu ngữ right, then "BÁO CÁO" and the title."""
        table = self.doc.add_table(rows=1, cols=2)
        left, right = table.rows[0].cells
        left.width, right.width = self.Cm(6.5), self.Cm(10)
        if letter.parent_body:
            self.first(left, letter.parent_body.upper(), size=13)
            self.para(letter.issuing_body.upper(), container=left, size=13, bold=True)
        else:
            self.first(left, letter.issuing_body.upper(), size=13, bold=True)
        self.para("―――――", container=left, size=13)
        self.para(letter.number, container=left, size=13)
        self.first(right, NATIONAL_NAME, size=13, bold=True)
        self.para(MOTTO, container=right, size=14, bold=True)
        self.para("―――――――――――――", container=right, size=13)
        self.para(date_line(letter.place, letter.issued_on), container=right, size=14, italic=True)
        self.para("")
        self.para("BÁO CÁO", bold=True)
        self.para(letter.title, bold=True, after=12)

    def text(self, text: str) -> None:
        for line in text.splitlines():
            if line.strip():
                self.para(line.strip(), align=self.align.JUSTIFY, indent=True, after=6)

    def title(self, text: str, *, size: float = 14) -> None:
        self.para(text, size=size, bold=True, align=self.align.JUSTIFY, after=6)

    def note(self, text: str) -> None:
        self.para(text, size=13, italic=True, align=self.align.JUSTIFY, after=6)

    def table(
        self, head: list[str], rows: list[list[str]], widths: list[float], *, left: tuple[int, ...] = (1,)
    ) -> None:
        table = self.doc.add_table(rows=1, cols=len(head))
        table.style = "Table Grid"
        cms = [self.Cm(w) for w in widths]
        for cell, text, width in zip(table.rows[0].cells, head, cms, strict=True):
            cell.width = width
            self.first(cell, text, size=11, bold=True)
        for values in rows:
            for i, (cell, text) in enumerate(zip(table.add_row().cells, values, strict=True)):
                cell.width = cms[i]
                align = self.align.LEFT if i in left else (self.align.CENTER if i == 0 else self.align.RIGHT)
                self.first(cell, text, size=12, italic=(i == 1 and not values[0]), align=align)
        self.para("", size=6)

    def signature(self, letter: Any) -> None:
        self.para("")
        table = self.doc.add_table(rows=1, cols=2)
        left, right = table.rows[0].cells
        left.width, right.width = self.Cm(8), self.Cm(8.5)
        self.first(left, "Nơi nhận:", size=12, bold=True, italic=True, align=self.align.LEFT)
        for line in letter.recipients.splitlines():
            if line.strip():
                self.para(line.strip(), container=left, size=11, align=self.align.LEFT)
        authority = letter.signer_authority.upper().splitlines() or [""]
        self.first(right, authority[0], size=14, bold=True)
        for line in authority[1:]:
            self.para(line, container=right, size=14, bold=True)
        for _ in range(4):
            self.para("", container=right)
        self.para(letter.signer_name, container=right, size=14, bold=True)

    def page_break(self) -> None:
        from docx.enum.text import WD_BREAK

        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


TABLE_WIDTHS = [1, 5.2, 1.6, 1.8, 1.8, 1.6, 1.8, 1.6]


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
            numbers = [r.current.value, r.previous.value, r.change_previous, r.last_year.value, r.change_last_year]
            rows.append(shown[:3] + [float(v) if isinstance(v, Decimal) else None for v in numbers])
        grid(sheet, TABLE_HEAD, rows, [5, 60, 12, 14, 14, 14, 16, 14])
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
