"""Reading plan files (.txt, .md, .docx, text-layer .pdf) into plain text, one paragraph a line.

Every failure becomes an `ExtractError` with a Vietnamese message; nothing else escapes.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from pathlib import Path

from plans.extractor.errors import ExtractError
from plans.extractor.tables import table_lines

SUPPORTED = (".txt", ".md", ".docx", ".pdf")
MAX_BYTES = 50 * 1024 * 1024


def read_file(path: str | Path) -> str:
    """The text of a plan file; raises ExtractError when it cannot be read."""
    p = Path(path)
    ext = p.suffix.lower()
    if ext not in SUPPORTED:
        shown = ext or "(không có phần mở rộng)"
        raise ExtractError(f"Định dạng tệp không được hỗ trợ: {shown}. Chỉ nhận tệp .txt, .md, .docx hoặc .pdf.")
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise ExtractError(f"Không tìm thấy tệp: {p.name}.") from None
    except IsADirectoryError:
        raise ExtractError(f"Đường dẫn là một thư mục, không phải tệp: {p.name}.") from None
    except OSError as exc:
        raise ExtractError(f"Không đọc được tệp {p.name}: {exc.strerror or 'lỗi hệ thống'}.") from None
    return read_bytes(data, ext, name=p.name)


def read_bytes(data: bytes, ext: str, *, name: str = "tệp") -> str:
    """The text of a plan given as bytes with its extension (".docx", ".pdf", ".txt", ".md")."""
    ext = ext.lower() if ext.startswith(".") else "." + ext.lower()
    if not data or not data.strip(b" \t\r\n\x00"):
        raise ExtractError(f"Tệp {name} rỗng: không có nội dung để trích xuất.")
    if len(data) > MAX_BYTES:
        raise ExtractError(f"Tệp {name} quá lớn (trên 50 MB); hãy tách kế hoạch thành tệp nhỏ hơn.")
    if ext == ".docx":
        text = _read_docx(data, name)
    elif ext == ".pdf":
        text = _read_pdf(data, name)
    elif ext in (".txt", ".md"):
        text = decode_text(data, name)
    else:
        raise ExtractError(f"Định dạng tệp không được hỗ trợ: {ext}. Chỉ nhận tệp .txt, .md, .docx hoặc .pdf.")
    if not text.strip():
        raise ExtractError(f"Tệp {name} không có nội dung văn bản để trích xuất.")
    return text


def decode_text(data: bytes, name: str = "tệp") -> str:
    """Bytes of a text file as str: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1258."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _sane(data.decode("utf-16"), name)
        except UnicodeDecodeError:
            pass
    try:
        return _sane(data.decode("utf-8-sig"), name)
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        text = ""
    if text and _looks_like_text(text):
        return _sane(unicodedata.normalize("NFC", text), name)
    raise ExtractError(
        f"Không giải mã được nội dung tệp {name}: tệp không phải văn bản UTF-8 hợp lệ "
        "(có thể là tệp nhị phân hoặc dùng bảng mã cũ). Hãy lưu lại tệp với mã hóa UTF-8."
    )


def _looks_like_text(text: str) -> bool:
    if not text:
        return False
    bad = sum(1 for c in text if c not in "\t\r\n\f\v" and unicodedata.category(c) in ("Cc", "Co", "Cn"))
    letters = sum(1 for c in text if c.isalpha())
    return bad / len(text) < 0.01 and letters / len(text) > 0.4


def _sane(text: str, name: str) -> str:
    if "\x00" in text:
        if text.count("\x00") > len(text) / 20:
            raise ExtractError(
                f"Không giải mã được nội dung tệp {name}: tệp chứa dữ liệu nhị phân, không phải văn bản."
            )
        text = text.replace("\x00", "")
    return text


# --- .docx -------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# A plan's .docx unpacks to a few MB; far more is a "zip bomb", refused before parsing.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_MEMBERS = 2000


def _read_docx(data: bytes, name: str) -> str:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ExtractError(
            f"Tệp {name} không phải tệp Word .docx hợp lệ (không đọc được cấu trúc nén zip); "
            "tệp có thể bị hỏng hoặc là tệp .doc cũ đã bị đổi tên. Hãy mở bằng Word và lưu lại dạng .docx."
        )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
            raise ExtractError(
                f"Tệp {name} khi giải nén quá lớn so với một văn bản kế hoạch; hệ thống không đọc tệp này."
            )
    try:
        import docx  # python-docx

        document = docx.Document(io.BytesIO(data))
        numbering = _Numbering(document)
        lines: list[str] = []
        for block in document.element.body.iterchildren():
            tag = block.tag
            if tag == _W + "p":
                lines.append(_paragraph_text(block, numbering, document))
            elif tag == _W + "tbl":
                lines.extend(_table_lines(block, numbering, document))
        return "\n".join(lines)
    except ExtractError:
        raise
    except Exception:  # noqa: BLE001 - any parser failure means an unreadable document
        raise ExtractError(
            f"Tệp {name} không đọc được như tệp Word .docx (cấu trúc tài liệu bị hỏng hoặc không đầy đủ)."
        ) from None


def _paragraph_text(p, numbering: _Numbering, document) -> str:
    parts: list[str] = []
    for el in p.iter():
        tag = el.tag
        if tag == _W + "t":
            parts.append(el.text or "")
        elif tag == _W + "tab":
            parts.append("\t")
        elif tag in (_W + "br", _W + "cr"):
            parts.append("\n")
        elif tag == _W + "delText":
            continue
    text = "".join(parts)
    marker = numbering.marker(p, document)
    if marker and text.strip():
        text = f"{marker} {text.lstrip()}"
    return text


def _table_lines(tbl, numbering: _Numbering, document) -> list[str]:
    grid: list[list[str]] = []
    for tr in tbl.findall(_W + "tr"):
        cells = []
        for tc in tr.findall(_W + "tc"):
            paras = [_paragraph_text(p, numbering, document) for p in tc.iter(_W + "p")]
            cells.append("\n".join(t for t in paras if t.strip()))
        grid.append(cells)
    return table_lines(grid)


class _Numbering:
    """Word's automatic numbering, rendered as the printed marker ("1.", "a)", "-")."""

    _ROMAN = (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    )

    def __init__(self, document) -> None:
        self.nums: dict[str, str] = {}
        self.starts: dict[tuple[str, int], int] = {}
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, list[int]] = {}
        self.style_numpr: dict[str, tuple[str, int]] = {}
        try:
            root = document.part.numbering_part.element
        except Exception:  # noqa: BLE001 - no numbering part
            root = None
        if root is not None:
            for absn in root.findall(_W + "abstractNum"):
                aid = absn.get(_W + "abstractNumId")
                lv: dict[int, tuple[str, str, int]] = {}
                for lvl in absn.findall(_W + "lvl"):
                    ilvl = int(lvl.get(_W + "ilvl", "0"))
                    fmt = _val(lvl.find(_W + "numFmt")) or "decimal"
                    text = _val(lvl.find(_W + "lvlText")) or ""
                    start = int(_val(lvl.find(_W + "start")) or "1")
                    lv[ilvl] = (fmt, text, start)
                self.levels[aid] = lv
            for num in root.findall(_W + "num"):
                nid = num.get(_W + "numId")
                absid = num.find(_W + "abstractNumId")
                self.nums[nid] = _val(absid) or ""
                for ov in num.findall(_W + "lvlOverride"):
                    so = ov.find(_W + "startOverride")
                    if so is not None:
                        self.starts[(nid, int(ov.get(_W + "ilvl", "0")))] = int(_val(so) or "1")
        try:
            for style in document.styles.element.findall(_W + "style"):
                numpr = style.find(f"{_W}pPr/{_W}numPr")
                if numpr is not None:
                    nid = _val(numpr.find(_W + "numId"))
                    ilvl = int(_val(numpr.find(_W + "ilvl")) or "0")
                    if nid:
                        self.style_numpr[style.get(_W + "styleId")] = (nid, ilvl)
        except Exception:  # noqa: BLE001 - styles are optional
            pass

    def marker(self, p, document) -> str:
        ppr = p.find(_W + "pPr")
        nid, ilvl = None, 0
        if ppr is not None:
            numpr = ppr.find(_W + "numPr")
            if numpr is not None:
                nid = _val(numpr.find(_W + "numId"))
                ilvl = int(_val(numpr.find(_W + "ilvl")) or "0")
            if nid is None:
                style = _val(ppr.find(_W + "pStyle"))
                if style and style in self.style_numpr:
                    nid, ilvl = self.style_numpr[style]
        if not nid or nid == "0" or nid not in self.nums:
            return ""
        levels = self.levels.get(self.nums[nid], {})
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(nid, [0] * 9)
        for lv in range(9):
            if counters[lv] == 0 and lv < ilvl:
                counters[lv] = self._start(nid, lv, levels)
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else self._start(nid, ilvl, levels)
        for lv in range(ilvl + 1, 9):
            counters[lv] = 0
        fmt, text, _ = levels[ilvl]
        if fmt == "bullet":
            return "+" if text.strip() == "+" else "-"
        if fmt == "none":
            return ""

        def render(m: re.Match[str]) -> str:
            lv = int(m.group(1)) - 1
            lfmt = levels.get(lv, ("decimal", "", 1))[0]
            return self._format(counters[lv] or 1, lfmt)

        return re.sub(r"%(\d)", render, text).strip()

    def _start(self, nid: str, lv: int, levels: dict[int, tuple[str, str, int]]) -> int:
        return self.starts.get((nid, lv), levels.get(lv, ("", "", 1))[2])

    def _format(self, n: int, fmt: str) -> str:
        if fmt in ("lowerLetter", "upperLetter"):
            letters = "abcdđeghiklmnopqrstuvxy"
            s = letters[(n - 1) % len(letters)]
            return s.upper() if fmt == "upperLetter" else s
        if fmt in ("upperRoman", "lowerRoman"):
            out = ""
            for value, sym in self._ROMAN:
                while n >= value:
                    out += sym
                    n -= value
            return out if fmt == "upperRoman" else out.lower()
        return str(n)


def _val(el) -> str | None:
    return None if el is None else el.get(_W + "val")


# --- .pdf --------------------------------------------------------------------------------


def _read_pdf(data: bytes, name: str) -> str:
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise ExtractError(f"Tệp {name} không phải tệp PDF hợp lệ (thiếu phần đầu %PDF).")
    try:
        import pdfplumber

        pages: list[str] = []
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            n_pages = len(pdf.pages)
            for page in pdf.pages:
                pages.append(page.extract_text() or "")
    except ExtractError:
        raise
    except Exception:  # noqa: BLE001 - any parser failure means an unreadable PDF
        raise ExtractError(f"Tệp {name} không đọc được như tệp PDF (tệp bị hỏng hoặc được mã hóa).") from None
    text = "\n".join(_strip_page_furniture(p) for p in pages)
    letters = sum(1 for c in text if c.isalpha())
    if letters < max(40, 20 * max(n_pages, 1) // 4):
        raise ExtractError(
            f"Tệp PDF không có lớp văn bản (có thể là bản scan): {name}. "
            "Hãy dùng tệp .docx hoặc PDF được xuất từ Word, hoặc nhận dạng ký tự (OCR) trước khi nhập."
        )
    return text


def _strip_page_furniture(page: str) -> str:
    lines = page.split("\n")
    return "\n".join(
        ln for ln in lines if not re.fullmatch(r"\s*(?:-\s*)?\d{1,3}(?:\s*-)?\s*|\s*Trang\s+\d+(?:\s*/\s*\d+)?\s*", ln)
    )
