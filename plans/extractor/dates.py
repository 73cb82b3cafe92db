"""Dates and deadlines in Vietnamese administrative text.

A deadline is the last day of the period a task must be finished in: "Hoàn thành trong Quý
III/2025" → 2025-09-30, "trong tháng 5/2025" → 2025-05-31, "trước ngày 5/6/2026" → 2026-06-05,
"đến hết ngày 30/6/2025" → 2025-06-30. Dates that only cite a document ("Quyết định số … ngày
08/9/2025") or start a period ("từ ngày …") are not deadlines, nor are report due dates in a
sentence about reporting ("Báo cáo kết quả … trước ngày 03/7/2024").
"""

from __future__ import annotations

import calendar
import re
from datetime import date

_ROMAN_Q = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}

SEP = r"\s*(?:/|-|\.|năm)\s*"
_FULL_DATE = rf"(?:ngày\s+)?(?P<d>\d{{1,2}})\s*(?:/|-|\.|tháng)\s*(?P<m>\d{{1,2}}){SEP}(?P<y>(?:19|20)\d{{2}})\b"
_DAY_MONTH = r"(?:ngày\s+)?(?P<d2>\d{1,2})\s*(?:/|tháng)\s*(?P<m2>\d{1,2})\b(?!\s*(?:/|-|\.|năm)\s*\d)"
_MONTH = rf"tháng\s+(?P<mm>\d{{1,2}}){SEP}(?P<my>(?:19|20)\d{{2}})\b"
_QUARTER = rf"quý\s+(?P<q>IV|I{{1,3}}|[1-4])(?:\s*,\s*(?:IV|I{{1,3}}|[1-4]))*{SEP}(?P<qy>(?:19|20)\d{{2}})\b"
_HALF = r"(?P<h>6|06|sáu)\s+tháng\s+(?P<hw>đầu|cuối)\s+năm\s+(?P<hy>(?:19|20)\d{2})\b"
_YEAR = r"(?:năm\s+)(?P<yy>(?:19|20)\d{2})\b"

_EXPR = re.compile(
    rf"(?:{_QUARTER})|(?:{_MONTH})|(?:{_FULL_DATE})|(?:{_HALF})|(?:{_DAY_MONTH})|(?:{_YEAR})",
    re.IGNORECASE,
)

# What may stand right before a time expression for it to be a deadline.
_TRIGGER_STRONG = re.compile(
    r"(hoàn\s+thành(?:\s+xong)?|xong|thời\s+(?:gian|hạn)(?:\s+(?:hoàn\s+thành|thực\s+hiện|nộp|gửi))?\s*:?)"
    r"(?:\s+(?:trong|trước|vào|chậm\s+nhất|trước\s+ngày|đến|đến\s+hết|trong\s+thời\s+gian|là|ngày|:))*\s*$",
    re.IGNORECASE,
)
_TRIGGER_WEAK = re.compile(
    r"(?:trước|chậm\s+nhất(?:\s+(?:là|vào))?|đến\s+hết|đến|hết|trong|vào|xong|\()\s*(?:ngày\s*)?$",
    re.IGNORECASE,
)
_NOT_TRIGGER = re.compile(r"(?:từ|kể\s+từ|bắt\s+đầu)\s*(?:ngày\s*)?$", re.IGNORECASE)


_CITED = re.compile(r"(?:số|ban\s+hành|ký)\s*[^\s]*\s*(?:ngày\s*)?$", re.IGNORECASE)
_REPORT_OPENS = re.compile(r"(?:định\s+kỳ\s+)?báo\s+cáo\b", re.IGNORECASE)
_PERIODIC_REPORT = re.compile(
    r"\bbáo\s+cáo\s+(?:quý|6\s+tháng|06\s+tháng|sáu\s+tháng|năm|tháng|hằng|hàng|định\s+kỳ)", re.IGNORECASE
)
_HAS_DIGIT = re.compile(r"\d")


def last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_expr(m: re.Match[str], default_year: int | None) -> tuple[date | None, str]:
    """The last day of the period a matched time expression names, and its kind."""
    g = m.groupdict()
    if g.get("q"):
        q = _ROMAN_Q.get(g["q"].upper())
        whole = m.group(0)
        qs = [_ROMAN_Q.get(x.upper()) for x in re.findall(r"IV|I{1,3}|[1-4](?=\s*(?:,|/|-|\.|năm))", whole, re.I)]
        q = max([x for x in qs if x] or [q or 0])
        if not q:
            return None, "quarter"
        return last_day(int(g["qy"]), q * 3), "quarter"
    if g.get("mm"):
        month = int(g["mm"])
        if 1 <= month <= 12:
            return last_day(int(g["my"]), month), "month"
        return None, "month"
    if g.get("d"):
        return safe_date(int(g["y"]), int(g["m"]), int(g["d"])), "date"
    if g.get("h"):
        year = int(g["hy"])
        return (date(year, 6, 30) if g["hw"].lower() == "đầu" else date(year, 12, 31)), "half"
    if g.get("d2"):
        if default_year is None:
            return None, "daymonth"
        return safe_date(default_year, int(g["m2"]), int(g["d2"])), "daymonth"
    if g.get("yy"):
        return date(int(g["yy"]), 12, 31), "year"
    return None, ""


def _sentence_start(text: str, pos: int, window: int = 400) -> int:
    lo = max(0, pos - window)
    cut = max(text.rfind(". ", lo, pos), text.rfind(";", lo, pos), text.rfind("\n", lo, pos))
    return cut + 1 if cut >= 0 else lo


def find_deadline(text: str, default_year: int | None = None) -> date | None:
    """The deadline a task's text sets, or None."""
    if not text or not _HAS_DIGIT.search(text):
        return None
    for m in _EXPR.finditer(text):
        before = text[max(0, m.start() - 60) : m.start()]
        if _NOT_TRIGGER.search(before):
            continue
        strong = bool(_TRIGGER_STRONG.search(before))
        weak = bool(_TRIGGER_WEAK.search(before))
        if not (strong or weak):
            continue
        value, kind = parse_expr(m, default_year)
        if value is None:
            continue
        if kind in ("year", "daymonth", "half") and not strong:
            continue
        if kind == "date" and _CITED.search(before):
            continue
        # A report's due date is a reporting duty, not the task's deadline.
        clause = text[_sentence_start(text, m.start()) : m.start()].lstrip(" -+(*")
        if not strong and (_REPORT_OPENS.match(clause) or _PERIODIC_REPORT.search(clause)):
            continue
        # "từ tháng 4 đến tháng 6/2025", "(từ ngày 01/6 đến ngày 30/6/2024)": the end counts,
        # but only when the range is a task's time frame, which the trigger check above allows.
        return value
    return None
