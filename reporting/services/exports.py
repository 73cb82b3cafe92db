"""The consolidated report as XLSX (openpyxl) and DOCX (python-docx) in the administrative format
of Nghị định 30/2020/NĐ-CP: header block (governing and issuing body left, Quốc hiệu and Tiêu ngữ
right), số/ký hiệu, place and date, title, the narrative sections the officer edited, tables
generated from the data, the signature block and "Nơi nhận". Times New Roman, 13–14 pt.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.utils import timezone

from core import vn
from core.spreadsheet import text_only
from reporting.models import ReportNarrative
from reporting.services.consolidation import Report, figure_decimals, format_figure

FONT = "Times New Roman"
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
SECTION_TITLES = {
    "situation": "I. TÌNH HÌNH CHUNG",
    "results": "II. KẾT QUẢ THỰC HIỆN",
    "shortcomings": "III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
    "next_tasks": "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI",
    "proposals": "V. KIẾN NGHỊ, ĐỀ XUẤT",
}
TABLE_HEAD = [
    "TT",
    "Chỉ tiêu",
    "Đơn vị tính",
    "Kỳ này",
    "Kỳ trước",
    "So với kỳ trước (%)",
    "Cùng kỳ năm trước",
    "So với cùng kỳ (%)",
]


def _short(province: Any) -> str:
    name = province.short_name if province is not None else "Hà Nội"
    for prefix in ("Tỉnh ", "Thành phố "):
        name = name.removeprefix(prefix)
    return name


def default_narrative(*, province: Any, form: Any, period: Any) -> ReportNarrative:
    """An unsaved narrative with the usual header of a Standing Office (or C04) report."""
    today = timezone.localdate()
    if province is not None:
        upper = _short(province).upper()
        parent = f"UBND {'THÀNH PHỐ' if province.is_city else 'TỈNH'} {upper}"
        issuer = f"CÔNG AN {'THÀNH PHỐ' if province.is_city else 'TỈNH'}"
        number, place = "Số:      /BC-CAT-PC04", _short(province)
        recipients = f"- Bộ Công an (C04) (để b/c);\n- Thường trực UBND {'thành phố' if province.is_city else 'tỉnh'} (để b/c);\n- Ban Chỉ đạo (để b/c);\n- Lưu: VT, PC04."
        authority = "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    else:
        parent, issuer, number, place = "BỘ CÔNG AN", "CỤC CẢNH SÁT ĐTTP VỀ MA TÚY", "Số:      /BC-C04", "Hà Nội"
        recipients = "- Bộ trưởng (để b/c);\n- Văn phòng Chính phủ (để b/c);\n- Lưu: VT, C04."
        authority = "KT. CỤC TRƯỞNG\nPHÓ CỤC TRƯỞNG"
    where = f"trên địa bàn {province.name[0].lower() + province.name[1:]}" if province is not None else "trên toàn quốc"
    return ReportNarrative(
        province=province,
        form=form,
        period=period.id,
        parent_body=parent,
        issuing_body=issuer,
        number=number,
        place=place,
        issued_on=today,
        title=f"Kết quả thực hiện Chương trình mục tiêu quốc gia phòng, chống ma túy {period_words(period)} {where}",
        signer_authority=authority,
        recipients=recipients,
    )


def period_words(period: Any) -> str:
    """ "quý III năm 2026", "tháng 6 năm 2026", "6 tháng đầu năm 2026", "năm 2026" (inside a sentence)."""
    from reporting.periods import ROMAN

    if period.frequency == "quarterly":
        return f"quý {ROMAN[period.index]} năm {period.year}"
    if period.frequency == "monthly":
        return f"tháng {period.index} năm {period.year}"
    return period.label[0].lower() + period.label[1:]


def date_line(place: str, day: dt.date) -> str:
    """ "Đắk Lắk, ngày 05 tháng 01 năm 2026" (NĐ 30: a leading 0 for days below 10 and months 1–2)."""
    d = f"{day.day:02d}" if day.day < 10 else str(day.day)
    m = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {d} tháng {m} năm {day.year}"


def as_of_text(moment: dt.datetime | None) -> str:
    if moment is None:
        return "Chưa có số liệu được tổng hợp."
    return f"Số liệu tính đến {vn.format_datetime(moment, sentence=True)}."


def coverage_text(report: Report) -> str:
    """ "Số liệu của 1/102 xã có số liệu đã duyệt — chưa đủ số liệu." """
    text = f"Số liệu của {report.coverage.label}"
    return text + ("." if report.coverage.enough() else " — chưa đủ số liệu, tổng số chỉ gồm các đơn vị đã có số liệu.")


CHANGE_DECIMALS = 1  # percent changes: one decimal everywhere (page, XLSX, DOCX)


def _pct(value: Decimal | None) -> str:
    if value is None:
        return ""
    return vn.format_number(value, CHANGE_DECIMALS, signed=True)


def _num(value: Decimal | str | None, element: Any) -> str:
    if isinstance(value, str):  # a small count of people masked ("<5", "x"): reporting.services.suppression
        return value
    return format_figure(value, element)


def _cell_value(value: Decimal | str | None, decimals: int) -> float | str | None:
    """A number for an XLSX cell, rounded as the page and the DOCX show it; None stays empty; a
    masked small count ("<5", "x") is the text itself (the sheet's note says what it means)."""
    if isinstance(value, str):
        return value
    return None if value is None else float(vn.round_half_up(value, decimals))


def _number_format(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def table_rows(report: Report) -> list[list[str]]:
    out, n = [], 0
    for row in report.rows:
        if row.category:
            label = f"   trong đó: {row.category_label.lower()}"
            tt = ""
        else:
            n += 1
            label, tt = row.element.name, str(n)
        out.append(
            [
                tt,
                label,
                row.element.unit,
                _num(row.current.shown, row.element),
                _num(row.previous.shown, row.element),
                _pct(row.change_previous),
                _num(row.last_year.shown, row.element),
                _pct(row.change_last_year),
            ]
        )
    return out


def source_notes(report: Report) -> str:
    """A sentence naming the rows whose official figure comes from another level ("" if none)."""
    by_note: dict[str, list[str]] = {}
    for row in report.rows:
        if row.note and not row.category:
            by_note.setdefault(row.note, []).append(row.element.name)
    notes = " ".join(f"Ghi chú: {', '.join(names)} — {note[0].lower() + note[1:]}." for note, names in by_note.items())
    if report.suppressed:
        from reporting.services.suppression import NOTE

        notes = f"{notes} {NOTE}".strip()
    return notes


def subtitle(report: Report) -> str:
    where = report.province.name if report.province is not None else "Toàn quốc"
    flag = " (gồm cả số liệu đã nộp, chưa duyệt)" if report.include_submitted else " (số liệu đã duyệt)"
    return f"{report.form.name} — {report.kind_label} — {where}{flag}"


# ---- XLSX ----------------------------------------------------------------------------------


def report_xlsx(report: Report, narrative: ReportNarrative) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Tổng hợp"
    normal, bold = Font(name=FONT, size=13), Font(name=FONT, size=13, bold=True)
    italic = Font(name=FONT, size=13, italic=True)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)

    def put(cell: str, text: str, font: Font = normal, merge: str | None = None, align: Alignment = center) -> None:
        ws[cell] = text
        ws[cell].font, ws[cell].alignment = font, align
        if merge:
            ws.merge_cells(f"{cell}:{merge}")

    put("A1", narrative.parent_body.upper(), normal, "C1")
    put("A2", narrative.issuing_body.upper(), bold, "C2")
    put("A3", narrative.number, normal, "C3")
    put("D1", NATIONAL_NAME, bold, "H1")
    put("D2", MOTTO, Font(name=FONT, size=14, bold=True), "H2")
    put("D3", date_line(narrative.place, narrative.issued_on), italic, "H3")
    put("A5", "BÁO CÁO", Font(name=FONT, size=14, bold=True), "H5")
    put("A6", narrative.title, Font(name=FONT, size=14, bold=True), "H6")
    ws.row_dimensions[6].height = 40
    put("A7", subtitle(report), italic, "H7")
    put("A8", as_of_text(report.as_of), italic, "H8")
    put("A9", coverage_text(report), italic, "H9")
    head = 11
    for col, text in enumerate(TABLE_HEAD, start=1):
        cell = ws.cell(row=head, column=col, value=text)
        cell.font, cell.alignment, cell.border = bold, center, box
    n = 0
    for i, row in enumerate(report.rows, start=head + 1):
        if not row.category:
            n += 1
        label = row.element.name if not row.category else f"trong đó: {row.category_label.lower()}"
        decimals = figure_decimals(row.element)
        cells = [
            n if not row.category else None,
            label,
            row.element.unit,
            _cell_value(row.current.shown, decimals),
            _cell_value(row.previous.shown, decimals),
            _cell_value(row.change_previous, CHANGE_DECIMALS),
            _cell_value(row.last_year.shown, decimals),
            _cell_value(row.change_last_year, CHANGE_DECIMALS),
        ]
        for col, value in enumerate(cells, start=1):
            cell = ws.cell(row=i, column=col, value=value)
            cell.font, cell.border = (italic if row.category and col == 2 else normal), box
            if col >= 4:
                cell.number_format = _number_format(CHANGE_DECIMALS if col in (6, 8) else decimals)
            if col == 2:
                cell.alignment = Alignment(wrap_text=True, vertical="center", indent=2 if row.category else 0)
    end = head + len(report.rows) + 2
    notes = source_notes(report)
    if notes:
        put(f"A{end - 1}", notes, italic, f"H{end - 1}", Alignment(wrap_text=True, vertical="top"))
        ws.row_dimensions[end - 1].height = max(20, 18 * (len(notes) // 110 + 1))
        end += 1
    for key in ReportNarrative.SECTIONS:
        text = getattr(narrative, key)
        if text:
            put(f"A{end}", SECTION_TITLES[key], bold, f"H{end}", Alignment(horizontal="left"))
            put(f"A{end + 1}", text, normal, f"H{end + 1}", Alignment(wrap_text=True, vertical="top"))
            ws.row_dimensions[end + 1].height = max(20, 18 * (len(text) // 110 + text.count("\n") + 1))
            end += 3
    put(
        f"A{end}",
        "Nơi nhận:",
        Font(name=FONT, size=12, bold=True, italic=True),
        f"C{end}",
        Alignment(horizontal="left"),
    )
    put(
        f"A{end + 1}",
        narrative.recipients,
        Font(name=FONT, size=11),
        f"C{end + 4}",
        Alignment(wrap_text=True, vertical="top"),
    )
    put(f"E{end}", narrative.signer_authority.upper(), bold, f"H{end + 1}")
    put(f"E{end + 5}", narrative.signer_name, bold, f"H{end + 5}")
    for col, width in enumerate([6, 48, 12, 14, 14, 14, 16, 14], start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.page_setup.orientation, ws.page_setup.paperSize = "landscape", ws.PAPERSIZE_A4
    ws.print_title_rows = f"{head}:{head}"
    if report.units:
        _units_sheet(wb, report, Font, Alignment, box)
    buffer = io.BytesIO()
    text_only(wb).save(buffer)
    return buffer.getvalue()


def _units_sheet(wb: Any, report: Report, Font: Any, Alignment: Any, box: Any) -> None:  # noqa: N803 - openpyxl classes
    """One row per expected unit: its figures as numbers (an empty cell when it has none, so Excel
    sums work), then its data time and status in text columns of their own."""
    ws = wb.create_sheet("Theo đơn vị")
    bold, normal = Font(name=FONT, size=12, bold=True), Font(name=FONT, size=12)
    columns = [row for row in report.rows]
    if report.province is None:
        kind = "Tỉnh, thành phố"
    else:
        kind = "Xã, phường, đặc khu" if report.form.level == "commune" else "Cơ quan, đơn vị"
    ws.append([f"{report.kind_label} — {coverage_text(report)}"])
    code_head = ["Mã thống kê"] if report.province is not None and report.form.level == "commune" else []
    ws.append(
        code_head
        + [kind]
        + [r.element.name if not r.category else f"{r.element.name} — {r.category_label.lower()}" for r in columns]
        + ["Số liệu tính đến", "Tình trạng"]
    )
    for unit in report.units:
        cells = [unit.cells.get((r.element.pk, r.category)) for r in columns]
        status = "Chưa có số liệu" if not unit.cells else ("Gồm số liệu chưa duyệt" if unit.pending else "Đã duyệt")
        if unit.coverage is not None:
            status = unit.coverage.label
        ws.append(
            ([unit.key] if code_head else [])
            + [unit.name]
            + [
                _cell_value(c.shown if c else None, figure_decimals(r.element))
                for c, r in zip(cells, columns, strict=True)
            ]
            + [vn.format_datetime(unit.as_of) if unit.as_of else None, status]
        )
    first = len(code_head) + 2
    for r in ws.iter_rows(min_row=2, max_row=ws.max_row):
        for cell in r:
            cell.font, cell.border = (bold if cell.row <= 2 else normal), box
            if cell.row == 2:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            elif first <= cell.column < first + len(columns):
                cell.number_format = _number_format(figure_decimals(columns[cell.column - first].element))
    ws["A1"].font = bold
    if report.suppressed:
        from reporting.services.suppression import NOTE

        ws.cell(row=ws.max_row + 2, column=1, value=NOTE).font = Font(name=FONT, size=12, italic=True)
    ws.freeze_panes = ws.cell(row=3, column=first)
    ws.column_dimensions["B" if code_head else "A"].width = 34


# ---- DOCX ----------------------------------------------------------------------------------


TABLE_WIDTHS = [1, 5.2, 1.6, 1.8, 1.8, 1.6, 1.8, 1.6]


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
        from docx.enum.table import WD_TABLE_ALIGNMENT

        table = self.doc.add_table(rows=1, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
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

    def note(self, text: str, *, size: float = 13) -> None:
        self.para(text, size=size, italic=True, align=self.align.JUSTIFY, after=6)

    def table(
        self,
        head: list[str],
        rows: list[list[str]],
        widths: list[float],
        *,
        left: tuple[int, ...] = (1,),
        center: tuple[int, ...] = (0,),
        spacer: bool = True,
    ) -> None:
        """A grid table: bold head, columns `left`/`center` aligned, the rest right (numbers); a row
        whose first cell is empty is a breakdown (its label in italics)."""
        table = self.doc.add_table(rows=1, cols=len(head))
        table.style = "Table Grid"
        cms = [self.Cm(w) for w in widths]
        for cell, text, width in zip(table.rows[0].cells, head, cms, strict=True):
            cell.width = width
            self.first(cell, text, size=11, bold=True)
        for values in rows:
            for i, (cell, text) in enumerate(zip(table.add_row().cells, values, strict=True)):
                cell.width = cms[i]
                align = self.align.LEFT if i in left else (self.align.CENTER if i in center else self.align.RIGHT)
                self.first(cell, text, size=12, italic=(i == 1 and not values[0]), align=align)
        if spacer:
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


def report_docx(report: Report, narrative: ReportNarrative) -> bytes:
    w = DocxWriter()
    w.heading(narrative)
    for key in ReportNarrative.SECTIONS:
        text = getattr(narrative, key)
        if key == "results":
            w.title(SECTION_TITLES[key])
            w.text(text)
            w.note(f"Bảng tổng hợp số liệu: {subtitle(report)}. {as_of_text(report.as_of)} {coverage_text(report)}")
            w.table(TABLE_HEAD, table_rows(report), TABLE_WIDTHS, center=(0, 2), spacer=False)
            if source_notes(report):
                w.note(source_notes(report), size=12)
            w.para("", size=6)
            continue
        if text.strip():
            w.title(SECTION_TITLES[key])
            w.text(text)
    w.signature(narrative)
    return w.bytes()
