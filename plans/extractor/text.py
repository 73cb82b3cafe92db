"""From raw text to clean paragraphs with their list markers.

Markdown marks are formatting only; hard-wrapped lines and page breaks that split a sentence are
joined back into one paragraph. Each paragraph gets its marker (I., 1., 1.1., a), (1), -, +).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from plans.extractor.tables import markdown_tables

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_MD_EMPHASIS = re.compile(r"(?<![\w*\\])\*(?=\S)|(?<=\S)\*(?![\w*])")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_RULE = re.compile(r"^\s*(?:[-*_=~]\s*){3,}$|^\s*\|[\s|]*$")
_PAGE_NO = re.compile(r"^\s*(?:-\s*)?\d{1,3}(?:\s*-)?\s*$|^\s*Trang\s+\d+(?:\s*/\s*\d+)?\s*$", re.I)

# Markers, tried in order on the start of a paragraph.
_ROMAN_RE = re.compile(r"^(?:PHẦN\s+|Phần\s+)?(?P<label>[IVX]{1,6})\s*[.:)\-–]\s*(?P<body>\S.*)?$")
_PART_RE = re.compile(r"^(?P<label>[A-HJ-UWYZĐ])\s*[.)]\s+(?P<body>\S.{2,})$")
_NUM2_RE = re.compile(r"^(?P<label>\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+(?P<body>\S.*)$")
_NUM_RE = re.compile(r"^(?P<label>\d{1,2})\s*(?:[.)](?:\s+|(?=[^\d\s/]))|/\s+)(?P<body>\S.*)?$")
_LETTER_RE = re.compile(r"^(?P<label>[a-zđ])\s*[).]\s+(?P<body>\S.*)$|^(?P<label2>[a-zđ])/\s+(?P<body2>\S.*)$")
_PAREN_RE = re.compile(r"^\((?P<label>\d{1,2}|[a-zđ])\)\s*(?P<body>\S.*)$")
_BULLET_RE = re.compile(r"^(?P<label>[-–—+•●▪◦·*✓➢➤►\uf0b7\uf0a7\uf0d8\uf076])\s*(?P<body>\S.*)$")

TERMINAL = ".;:!?…"
# Words that cannot end a heading or a sentence: a line ending in one continues on the next.
_CONTINUATION_END = {
    "và",
    "với",
    "của",
    "các",
    "cho",
    "tại",
    "theo",
    "về",
    "trong",
    "để",
    "những",
    "là",
    "có",
    "được",
    "bị",
    "từ",
    "đến",
    "ở",
    "hoặc",
    "hay",
    "mà",
    "thì",
    "như",
    "nhằm",
    "do",
    "bằng",
    "trên",
    "dưới",
    "giữa",
    "qua",
    "sự",
    "việc",
    "cùng",
    "đối",
    "vào",
    "ra",
    "lên",
    "khi",
    "nếu",
    "giao",
    "gồm",
}
# Words after which a number continues the sentence: "Quyết định số" / "140/QĐ-TTg".
_BEFORE_NUMBER = {"số", "ngày", "tháng", "năm", "điều", "khoản", "quý", "giai", "đoạn", "án"}


@dataclass
class Para:
    """One paragraph: its marker kind and label, and its body text (markdown removed)."""

    kind: str  # A (A.), R (I.), N (1.), N2 (1.1.), L (a)), P ((1)), B- / B+ / B* (bullets), T (none)
    label: str
    body: str
    line: int  # index of the first source line

    @property
    def text(self) -> str:
        return self.body


_ZERO_WIDTH_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_MD_LEAD = re.compile(r"^\s*(?:>+\s?)?(?:#{1,6}\s+)?")
_MD_BR = re.compile(r"<br\s*/?>", re.I)
_MD_STAR_BULLET = re.compile(r"^\s*\*\s+")
_MD_SUPERSCRIPT = re.compile(r"\^\{[^}]*\}")


def clean_line(line: str) -> str:
    """A source line without markdown marks, odd spaces or zero-width characters."""
    s = _ZERO_WIDTH_RE.sub("", line) if not line.isascii() else line
    s = _MD_LEAD.sub("", s, count=1)
    if "<" in s:
        s = _MD_BR.sub(" ", s)
    if "*" in s or "_" in s:
        s = s.replace("**", "").replace("__", "")
        s = _MD_STAR_BULLET.sub("- ", s)
        s = _MD_EMPHASIS.sub("", s)
    if "\\" in s:
        s = _MD_ESCAPE.sub(r"\1", s)
    if "^{" in s:
        s = _MD_SUPERSCRIPT.sub("", s)
    s = _SPACES.sub(" ", s)
    return s.strip()


def normalise_source(text: str) -> list[str]:
    """NFC, unified line ends, markdown tables read; the lines of the document (not yet cleaned)."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n")
    text = text.replace("\x00", "")
    return markdown_tables(text.split("\n"))


def marker_of(line: str) -> tuple[str, str, str]:
    """(kind, label, body) of a cleaned line; kind "T" when it has no marker."""
    m = _ROMAN_RE.match(line)
    if m and m.group("body") is not None:
        return "R", m.group("label"), m.group("body")
    m = _PART_RE.match(line)
    if m and m.group("body").upper() == m.group("body"):  # "A. CĂN CỨ XÂY DỰNG KẾ HOẠCH"
        return "A", m.group("label"), m.group("body")
    m = _NUM2_RE.match(line)
    if m:
        return "N2", m.group("label"), m.group("body")
    m = _NUM_RE.match(line)
    if m and m.group("body") is not None:
        return "N", m.group("label"), m.group("body")
    m = _LETTER_RE.match(line)
    if m:
        return "L", m.group("label") or m.group("label2"), m.group("body") or m.group("body2")
    m = _PAREN_RE.match(line)
    if m:
        return "P", m.group("label"), m.group("body")
    m = _BULLET_RE.match(line)
    if m:
        sym = m.group("label")
        kind = "B+" if sym == "+" else ("B-" if sym in "-–—" else "B*")
        return kind, "", m.group("body")
    return "T", "", line


def _first_alpha(s: str) -> str:
    for c in s:
        if c.isalpha():
            return c
    return ""


def _hard_wrapped(lines: list[str]) -> int:
    """The full line width if the document is hard-wrapped (a PDF text layer), else 0."""
    lengths = sorted(len(ln) for ln in lines if len(ln) > 20)
    if len(lengths) < 12:
        return 0
    p90 = lengths[int(len(lengths) * 0.9)]
    if p90 > 160:
        return 0
    near_full = sum(1 for n in lengths if n >= 0.8 * p90)
    if near_full < 0.4 * len(lengths):
        return 0
    return lengths[min(len(lengths) - 1, int(len(lengths) * 0.97))]


_PARAGRAPH_CUE = re.compile(
    r"^(?:Căn cứ|Thực hiện|Hưởng ứng|Nhằm|Để|Trên cơ sở|Theo đề nghị|Nơi nhận|KẾ HOẠCH|TM\.|KT\.)\b"
)


def paragraphs(lines: list[str]) -> list[Para]:
    """Clean lines joined into paragraphs, each with its marker."""
    cleaned: list[tuple[int, str, bool]] = []  # (line index, text, blank line before)
    blank = False
    for i, raw in enumerate(lines):
        s = clean_line(raw)
        if not s or _RULE.match(s) or _PAGE_NO.match(s):
            blank = True if not s or _RULE.match(s) else blank
            continue
        cleaned.append((i, s, blank))
        blank = False
    width = _hard_wrapped([s for _, s, _ in cleaned])
    out: list[Para] = []
    prev_len = 0
    n_lines = 0
    for i, s, blank_before in cleaned:
        kind, label, body = marker_of(s)
        if out and _continues(out[-1], s, kind, blank_before, prev_len, width, n_lines):
            out[-1].body = _join(out[-1].body, s)
            n_lines += 1
        else:
            out.append(Para(kind, label, body.strip(), i))
            n_lines = 1
        prev_len = len(s)
    return out


def _join(a: str, b: str) -> str:
    if a.endswith("-") and not a.endswith(" -") and b[:1].islower():
        return a[:-1] + b
    return f"{a} {b}"


def _continues(para: Para, line: str, kind: str, blank_before: bool, prev_len: int, width: int, n_lines: int) -> bool:
    """Whether ``line`` continues the paragraph ``para`` (hard wrap or page break)."""
    prev = para.body
    if not prev:
        return False
    end = prev.rstrip()[-1:]
    if kind != "T":
        # A list item or heading starts a paragraph, except a wrapped "chính trị - xã hội" or
        # "2024 - 2030": a dash followed by a lower-case word or a number after an unfinished line.
        after_dash = line[1:].lstrip()[:1]
        return (
            kind == "B-"
            and bool(width)
            and not blank_before
            and end not in TERMINAL
            and (after_dash.islower() or after_dash.isdigit())
        )
    if line[:1] in "⁽⁾¹²³⁴⁵⁶⁷⁸⁹⁰":
        return True  # "… ⁽³⁾ Dự án 4: …": an inline enumeration broken at the line end
    first = _first_alpha(line)
    starts_lower = bool(first) and first.islower() and line[:1] in f"{first}(\"“'‘,"
    if starts_lower:
        # A paragraph never opens in lower case: this is the rest of a broken sentence.
        return end not in ".!?…"
    if end == ":" and line[:1] in "“\"‘'":
        return True  # "… Dự án 6:" / "“Tăng cường đáp ứng y tế …”"
    wrapped = bool(width) and not blank_before
    if (
        end in ";:"
        and wrapped
        and prev_len >= 0.75 * width
        and not _PARAGRAPH_CUE.match(line)
        and prev_len + 1 + len(line.split(" ", 1)[0]) > width
    ):
        return True  # a wrapped clause: "…đến năm 2030;" / "Chương trình …", "Dự án 7:" / "Truyền …"
    if end in TERMINAL:
        return False
    last_word = prev.rstrip().split(" ")[-1]
    bare_last = last_word.lstrip('(“"').lower()
    if end in ",-–(" or bare_last in _CONTINUATION_END:
        return True
    if line[:1].isdigit() and bare_last in _BEFORE_NUMBER:
        return True
    if not wrapped or prev_len < 0.75 * width:
        return False
    if (
        para.kind != "T"
        and n_lines == 1
        and prev_len >= 0.9 * width
        and len(line) < 0.6 * width
        and line.rstrip()[-1:] not in TERMINAL
        and not _PARAGRAPH_CUE.match(line)
    ):
        return True  # the short rest of a heading that filled its line
    first_word = line.split(" ", 1)[0]
    if prev_len + 1 + len(first_word) <= width:
        return False  # the next word would have fitted: the line ended on purpose
    if _PARAGRAPH_CUE.match(line):
        return False
    if last_word[:1].isupper() and first_word[:1].isupper():
        return True  # a name broken over the line end: "Sở" / "Tư pháp"
    # A one-line heading, then its first paragraph: not joined.
    return not (para.kind != "T" and n_lines == 1 and ";" not in prev)
