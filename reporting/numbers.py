"""Numbers and dates as Vietnamese users type them. Pure functions, no database.

Vietnamese writes a thousands separator as a dot and the decimal separator as a comma
("1.234.567,5"), but people also type on keypads that only have a dot. The parser decides:

- spaces (also non-breaking and thin spaces) are ignored: "1 234" → 1234;
- both a dot and a comma: the last of them is the decimal separator and the other groups
  thousands, which must then be groups of exactly three digits: "1.234,5" → 1234.5
  ("1,234.5" → 1234.5 as well: it cannot mean anything else);
- only commas: one comma is the decimal separator ("12,5" → 12.5, and the ambiguous "1,234" →
  1.234, because a Vietnamese user writes one thousand two hundred thirty-four as "1.234");
  more than one comma ("1,234,567") is refused, it is not Vietnamese notation;
- only dots: several dots are thousands separators ("1.234.567"); a single dot followed by
  exactly three digits, after a leading group of one to three digits that does not start with 0,
  is a thousands separator ("1.234" → 1234, "12.500" → 12500); any other single dot is a decimal
  point ("12.5" → 12.5, "0.125" → 0.125, "3.1416" → 3.1416), as typed on an English keypad;
- a leading "+" or "-" is kept (the caller refuses negative counts), a trailing "%" is allowed;
- anything else (letters, two signs, misplaced separators) raises `NumberError` with a
  Vietnamese message naming what was typed.

Dates: dd/mm/yyyy (also d/m/yyyy, with "-" or "." between the parts) or ISO yyyy-mm-dd; an
impossible date ("31/02/2026") is refused with its own message.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_DIGITS = re.compile(r"^\d+$")
_GROUPED = re.compile(r"^[1-9]\d{0,2}(?:\.\d{3})+$")
_GROUPED_COMMA = re.compile(r"^[1-9]\d{0,2}(?:,\d{3})+$")
_DATE_VN = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class NumberError(ValueError):
    """Input that is not a number (or not a date); the message is Vietnamese and shown to the user."""


def _plain_digits(text: str, shown: str) -> str:
    if not _DIGITS.match(text):
        raise NumberError(f"«{shown}» không phải là số.")
    return text


def parse_number(raw: str | None) -> Decimal | None:
    """The number a person typed, or None for an empty cell. See the module docstring."""
    shown = (raw or "").strip()
    text = _SPACES.sub("", shown)
    if not text:
        return None
    sign = ""
    if text[0] in "+-":
        sign, text = ("-" if text[0] == "-" else ""), text[1:]
    text = text.removesuffix("%")
    if not text or not re.search(r"\d", text):
        raise NumberError(f"«{shown}» không phải là số.")
    if re.search(r"[^\d.,]", text):
        raise NumberError(f"«{shown}» không phải là số: chỉ gõ chữ số, dấu chấm (hàng nghìn) và dấu phẩy (thập phân).")
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        decimal_sep = "." if text.rfind(".") > text.rfind(",") else ","
        group_sep = "," if decimal_sep == "." else "."
        whole, _, fraction = text.rpartition(decimal_sep)
        if text.count(decimal_sep) != 1:
            raise NumberError(f"«{shown}» có nhiều dấu thập phân.")
        pattern = _GROUPED if group_sep == "." else _GROUPED_COMMA
        if not pattern.match(whole):
            raise NumberError(f"«{shown}»: dấu phân cách hàng nghìn phải tách từng nhóm 3 chữ số (ví dụ 1.234,5).")
        number = whole.replace(group_sep, "") + "." + _plain_digits(fraction, shown)
    elif commas:
        if commas > 1:
            raise NumberError(f"«{shown}»: dùng dấu chấm để phân cách hàng nghìn và dấu phẩy cho phần thập phân (ví dụ 1.234.567 hoặc 12,5).")
        whole, _, fraction = text.partition(",")
        number = _plain_digits(whole or "0", shown) + "." + _plain_digits(fraction, shown)
    elif dots > 1:
        if not _GROUPED.match(text):
            raise NumberError(f"«{shown}»: dấu phân cách hàng nghìn phải tách từng nhóm 3 chữ số (ví dụ 1.234.567).")
        number = text.replace(".", "")
    elif dots == 1:
        number = text.replace(".", "") if _GROUPED.match(text) else text
        whole, _, fraction = text.partition(".")
        _plain_digits(whole or "0", shown)
        _plain_digits(fraction, shown)
        if not whole:
            number = "0" + text
    else:
        number = text
    try:
        value = Decimal(sign + number)
    except InvalidOperation as exc:  # pragma: no cover - the checks above leave only digits
        raise NumberError(f"«{shown}» không phải là số.") from exc
    return value if value != 0 else Decimal(0)


def parse_date(raw: str | None) -> dt.date | None:
    """A date typed as dd/mm/yyyy (or ISO); None for empty; NumberError for a malformed or impossible one."""
    text = (raw or "").strip()
    if not text:
        return None
    if m := _DATE_VN.match(text):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    elif m := _DATE_ISO.match(text):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        raise NumberError(f"«{text}» không phải là ngày (gõ theo dạng ngày/tháng/năm, ví dụ 15/06/2026).")
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise NumberError(f"Ngày {day:02d}/{month:02d}/{year} không tồn tại.") from exc


def format_number(value: Decimal | int | float | None, integer: bool = False) -> str:
    """1234567.5 → "1.234.567,5" with no trailing zeros (for inputs and tables); None → ""."""
    if value is None:
        return ""
    number = Decimal(str(value))
    if integer or number == number.to_integral_value():
        text = f"{number.to_integral_value():,}"
        return text.replace(",", ".")
    text = f"{number.normalize():,f}"
    whole, _, fraction = text.partition(".")
    return whole.replace(",", ".") + ("," + fraction if fraction else "")


def format_date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""
