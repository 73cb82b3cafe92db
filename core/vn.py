"""Vietnamese numbers, percentages, dates and alphabetical order, in one place. Pure Python.

No Django, no models, no app imports: services, exports, forms, template filters and management
commands all call this module, so a number typed in the entry grid, in an area form or in a plan
draft is read by the same rules and refused with the same Vietnamese message.

Notation
--------
`Notation.VIETNAMESE` is what a person types and reads: "1.234.567,5", "12,5", "15/06/2026".
`Notation.CANONICAL` is what machines exchange (DHIS2 JSON and CSV, PCMT's own CSV): "1234567.5",
"-3", "2026-06-15", with no grouping and a dot as the decimal point. Every parser and formatter
takes the notation as a parameter; the caller that knows the format (a form, an import of a given
file type) chooses it, the module never guesses it from the text.

Reading a number in Vietnamese notation (the entry grid's rules, kept as they shipped)
------------------------------------------------------------------------------------
- spaces (also non-breaking and thin spaces) are ignored: "1 234" → 1234;
- a leading "+" or "-" is kept (callers refuse negative counts); a trailing "%" is allowed;
- a dot groups thousands, a comma is the decimal separator: "1.234" → 1234, "1.234,5" → 1234.5,
  "12,5" → 12.5, ",5" → 0.5; thousands groups have exactly three digits ("1.23.4" is refused);
- a single comma is always the decimal separator, so "1,234" → 1.234 (a Vietnamese reader writes
  one thousand two hundred thirty-four as "1.234"); several commas ("1,234,567") are refused;
- both a dot and a comma: the last one is the decimal separator, so "1,234.5" → 1234.5 as well
  (it cannot mean anything else); the other one must group by three;
- **"12.5" → 12.5.** A single dot followed by exactly three digits, after a leading group of one
  to three digits that does not start with 0, groups thousands ("1.234" → 1234, "12.500" → 12500).
  Any other single dot cannot be a thousands separator, so it is read as the decimal point of a
  keypad that has no comma: "12.5" → 12.5, "0.125" → 0.125, "3.1416" → 3.1416, "012.345" → 12.345.
  This is the grid's deliberate rule (tested since its first release), now the rule of every
  form (the area form used to refuse "12.5"): "12.5" has a single possible reading, so accepting
  it is not a guess. Texts with two readings are always read the Vietnamese way: "12.345" is
  12345 and "1,234" is 1.234, never the English reading;
- digits are ASCII only: "١٢" or "１２" is refused (Python's Decimal would accept them);
- anything else (letters, two signs, "1e5", "5.", "5,") raises `NumberError`.

Reading a number in canonical notation
--------------------------------------
An optional "-", digits, optionally a dot and more digits: "1234.5", "-3", "0.25". No "+", no
grouping, no comma, no exponent, no "%", nothing inside but digits; surrounding spaces are
stripped. "1.234" is 1.234 here: the notation, not the text, decides.

Formatting
----------
One rounding rule: `round_half_up` (Decimal, ROUND_HALF_UP; 0,25 shown with one decimal is
"0,3", -0,25 is "-0,3"). Without `decimals`, a value is shown exactly, without trailing zeros;
with `decimals`, always that many digits. Percentages have one decimal unless the caller says
otherwise, and no space before the sign: "41,3%". The minus sign is the ASCII "-", so every
formatted number reads back (`parse_number(format_number(x)) == x` for both notations).

Dates
-----
Vietnamese: dd/mm/yyyy, also d/m/yyyy with "-" or "." between the parts, and ISO yyyy-mm-dd (a
four-digit year first cannot be misread); a two-digit year is refused. Canonical: yyyy-mm-dd only.
An impossible date ("31/02/2026") is refused with its own message. Date-times are shown in
Vietnam's time zone.

Order
-----
`vn_sort_key` sorts names the way a Vietnamese dictionary does: letters a ă â b c d đ e ê … o ô ơ
… u ư …, then tones (none, huyền, hỏi, ngã, sắc, nặng), then case: "Dương" < "Đà Nẵng" <
"Đắk Lắk" < "Điện Biên" < "Gia Lai".
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
import unicodedata
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

__all__ = [
    "TIME_ZONE",
    "XLSX_DATE_FORMAT",
    "DateError",
    "InputError",
    "Notation",
    "NumberError",
    "format_date",
    "format_datetime",
    "format_number",
    "format_percent",
    "parse_date",
    "parse_integer",
    "parse_number",
    "round_half_up",
    "vn_sort_key",
]

TIME_ZONE = "Asia/Ho_Chi_Minh"  # Vietnam has one time zone; settings.TIME_ZONE is the same (tested)
_TZ = ZoneInfo(TIME_ZONE)
XLSX_DATE_FORMAT = "DD/MM/YYYY"  # the number format of a real date cell in the spreadsheets PCMT writes


class Notation(enum.Enum):
    """How numbers and dates are written in a given place; see the module docstring."""

    VIETNAMESE = "vietnamese"  # a person: "1.234,5", "15/06/2026"
    CANONICAL = "canonical"  # a machine: "1234.5", "2026-06-15"


class InputError(ValueError):
    """Text that is not a valid number or date; ``str(error)`` is a Vietnamese sentence for the user."""


class NumberError(InputError):
    """Text that is not a number in the expected notation (or not the kind of number expected)."""


class DateError(InputError):
    """Text that is not a date in the expected notation, or a date that does not exist."""


# ---- numbers: reading -------------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_DIGITS = re.compile(r"^\d+$", re.ASCII)
_ANY_DIGIT = re.compile(r"\d", re.ASCII)
_NOT_NUMBER_CHAR = re.compile(r"[^\d.,]", re.ASCII)
_GROUPED = re.compile(r"^[1-9]\d{0,2}(?:\.\d{3})+$", re.ASCII)
_GROUPED_COMMA = re.compile(r"^[1-9]\d{0,2}(?:,\d{3})+$", re.ASCII)
_CANONICAL = re.compile(r"^-?\d+(?:\.\d+)?$", re.ASCII)


def _plain_digits(text: str, shown: str) -> str:
    if not _DIGITS.match(text):
        raise NumberError(f"«{shown}» không phải là số.")
    return text


def _vietnamese_digits(text: str, shown: str) -> str:
    """The unsigned text (no spaces, sign or "%") as a plain "1234.5" for Decimal."""
    if not text or not _ANY_DIGIT.search(text):
        raise NumberError(f"«{shown}» không phải là số.")
    if _NOT_NUMBER_CHAR.search(text):
        raise NumberError(f"«{shown}» không phải là số: chỉ gõ chữ số, dấu chấm (hàng nghìn) và dấu phẩy (thập phân).")
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        decimal_sep = "." if text.rfind(".") > text.rfind(",") else ","
        group_sep = "," if decimal_sep == "." else "."
        if text.count(decimal_sep) != 1:
            raise NumberError(f"«{shown}» có nhiều dấu thập phân.")
        whole, _, fraction = text.rpartition(decimal_sep)
        pattern = _GROUPED if group_sep == "." else _GROUPED_COMMA
        if not pattern.match(whole):
            raise NumberError(f"«{shown}»: dấu phân cách hàng nghìn phải tách từng nhóm 3 chữ số (ví dụ 1.234,5).")
        return whole.replace(group_sep, "") + "." + _plain_digits(fraction, shown)
    if commas:
        if commas > 1:
            raise NumberError(
                f"«{shown}»: dùng dấu chấm để phân cách hàng nghìn và dấu phẩy cho phần thập phân "
                "(ví dụ 1.234.567 hoặc 12,5)."
            )
        whole, _, fraction = text.partition(",")
        return _plain_digits(whole or "0", shown) + "." + _plain_digits(fraction, shown)
    if dots > 1:
        if not _GROUPED.match(text):
            raise NumberError(f"«{shown}»: dấu phân cách hàng nghìn phải tách từng nhóm 3 chữ số (ví dụ 1.234.567).")
        return text.replace(".", "")
    if dots == 1:
        if _GROUPED.match(text):  # "1.234", "12.500": thousands
            return text.replace(".", "")
        whole, _, fraction = text.partition(".")  # "12.5", "0.125": a keypad's decimal point
        return _plain_digits(whole or "0", shown) + "." + _plain_digits(fraction, shown)
    return text


def parse_number(text: str | None, notation: Notation = Notation.VIETNAMESE) -> Decimal | None:
    """The number written in `text`, exactly, as a Decimal; None when `text` is empty or blank.

    In: what a person typed (VIETNAMESE) or a machine wrote (CANONICAL); see the module docstring
    for every rule, including "12.5". Out: a finite Decimal with the digits as typed ("12,50" →
    Decimal("12.50")); minus zero comes back as 0. Refused: anything that is not a number in
    that notation, with `NumberError` naming the text. Range, sign and number of decimals are the
    caller's rules (a count refuses -1, a percentage refuses 101).
    """
    shown = (text or "").strip()
    if not shown:
        return None
    if notation is Notation.CANONICAL:
        if not _CANONICAL.match(shown):
            raise NumberError(
                f"«{shown}» không phải là số (ghi chữ số, dấu chấm cho phần thập phân, "
                "không phân cách hàng nghìn, ví dụ 1234.5)."
            )
        number = shown
    else:
        compact = _SPACES.sub("", shown)
        sign = ""
        if compact[0] in "+-":
            sign, compact = ("-" if compact[0] == "-" else ""), compact[1:]
        number = sign + _vietnamese_digits(compact.removesuffix("%"), shown)
    try:
        value = Decimal(number)
    except InvalidOperation as exc:  # pragma: no cover - the checks above leave only digits
        raise NumberError(f"«{shown}» không phải là số.") from exc
    return value if value != 0 else Decimal(0)


def parse_integer(text: str | None, notation: Notation = Notation.VIETNAMESE) -> int | None:
    """A whole number: like `parse_number`, and "12,5" is refused with "… không phải là số nguyên".

    "12,0" is 12 (the value is whole). None for empty text. The sign is kept: callers refuse
    negatives with their own message.
    """
    value = parse_number(text, notation)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise NumberError(f"«{(text or '').strip()}» không phải là số nguyên.")
    return int(value)


# ---- numbers: rounding and formatting ---------------------------------------------------------

_WIDE = Context(prec=200)  # quantize never fails for lack of precision


def _decimal(value: Decimal | int | float) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, float)):
        raise TypeError(f"a number is expected, not {type(value).__name__}: {value!r}")
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise ValueError(f"a finite number is expected, not {value!r}")
    return number


def round_half_up(value: Decimal | int | float, decimals: int = 0) -> Decimal:
    """`value` rounded to `decimals` digits, halves away from zero: 0.25 → 0.3, -0.25 → -0.3.

    The one rounding rule of PCMT's displays. A float is read by its shortest repr (0.1 is 0.1,
    not 0.1000000000000000055…). Refused: bool, text, NaN and infinities (TypeError/ValueError:
    a programming error, not user input).
    """
    number = _decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP, context=_WIDE)
    return number if number != 0 else abs(number)


def format_number(
    value: Decimal | int | float | None,
    decimals: int | None = None,
    *,
    notation: Notation = Notation.VIETNAMESE,
    signed: bool = False,
) -> str:
    """A number as text: 1234567.5 → "1.234.567,5" (VIETNAMESE) or "1234567.5" (CANONICAL).

    `decimals` None: the exact value without trailing zeros (Decimal("12.50") → "12,5",
    1234 → "1.234"); an int: exactly that many digits, rounded with `round_half_up`
    (format_number(2, 1) → "2,0"). `signed` adds "+" before a positive value. None → "".
    Refused (TypeError/ValueError): bool, text, NaN and infinities; parse text first.
    """
    if value is None:
        return ""
    number = _decimal(value)
    if decimals is None:
        text = format(number.normalize(context=_WIDE), "f")
    else:
        text = format(round_half_up(number, decimals), "f")
    whole, _, fraction = text.lstrip("-").partition(".")
    nonzero = bool(whole.strip("0") or fraction.strip("0"))  # -0 and -0,0 are shown as 0 and 0,0
    sign = ("-" if text.startswith("-") else "+" if signed else "") if nonzero else ""
    if notation is Notation.CANONICAL:
        return sign + whole + ("." + fraction if fraction else "")
    return sign + f"{int(whole):,}".replace(",", ".") + ("," + fraction if fraction else "")


def format_percent(value: Decimal | int | float | None, decimals: int | None = 1, *, signed: bool = False) -> str:
    """A percentage already in percent units: 41.25 → "41,3%", 100 → "100,0%"; None → "".

    One decimal unless the caller asks for another number (`decimals=None`: exact, without
    trailing zeros), rounded with `round_half_up`; no space before "%". `signed` adds "+".
    """
    if value is None:
        return ""
    return format_number(value, decimals, signed=signed) + "%"


# ---- dates ------------------------------------------------------------------------------------

_DATE_VN = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$", re.ASCII)
_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$", re.ASCII)


def parse_date(text: str | None, notation: Notation = Notation.VIETNAMESE) -> dt.date | None:
    """The date written in `text`; None when it is empty or blank.

    VIETNAMESE: "15/06/2026", "1/7/2026", "15-06-2026", "15.06.2026" and ISO "2026-06-15".
    CANONICAL: "2026-06-15" only. Refused with `DateError`: any other shape ("2026/06/15",
    "15/06/26", "hôm qua") and dates that do not exist ("31/02/2026", "29/02/2026").
    """
    shown = (text or "").strip()
    if not shown:
        return None
    if notation is Notation.VIETNAMESE and (m := _DATE_VN.match(shown)):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    elif m := _DATE_ISO.match(shown):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    elif notation is Notation.CANONICAL:
        raise DateError(f"«{shown}» không phải là ngày (dạng yyyy-mm-dd, ví dụ 2026-06-15).")
    else:
        raise DateError(f"«{shown}» không phải là ngày: gõ theo dạng ngày/tháng/năm (dd/mm/yyyy), ví dụ 15/06/2026.")
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise DateError(f"Ngày {day:02d}/{month:02d}/{year} không tồn tại.") from exc


def _local(value: dt.datetime) -> dt.datetime:
    return value.astimezone(_TZ) if value.tzinfo is not None else value


def format_date(value: dt.date | dt.datetime | str | None, notation: Notation = Notation.VIETNAMESE) -> str:
    """A date as "05/02/2026" (VIETNAMESE) or "2026-02-05" (CANONICAL); None or blank text → "".

    A datetime gives its calendar day in Vietnam (an aware one is converted first). A string
    must be a canonical date ("2026-02-05", as JSON drafts store dates); anything else raises
    `DateError`.
    """
    if isinstance(value, str):
        value = parse_date(value, Notation.CANONICAL)
    if value is None:
        return ""
    day = _local(value).date() if isinstance(value, dt.datetime) else value
    return day.isoformat() if notation is Notation.CANONICAL else f"{day:%d/%m/%Y}"


def format_datetime(value: dt.datetime | None, *, sentence: bool = False) -> str:
    """A moment as "03/07/2026 14:05", or "14:05 ngày 03/07/2026" inside a sentence; None → "".

    An aware datetime is shown in Vietnam's time zone; a naive one is taken as already local.
    """
    if value is None:
        return ""
    value = _local(value)
    return f"{value:%H:%M ngày %d/%m/%Y}" if sentence else f"{value:%d/%m/%Y %H:%M}"


# ---- alphabetical order -----------------------------------------------------------------------

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: i for i, letter in enumerate(_ALPHABET)}
_LETTER_MARKS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
# Dictionary order of the tones: none, huyền, hỏi, ngã, sắc, nặng (also CLDR's Vietnamese collation).
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


@functools.lru_cache(maxsize=8192)
def vn_sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], str]:
    """A key for `sorted` that orders Vietnamese names as a dictionary does.

    Letters first (ă after a, â after ă, đ after d, ê after e, ô and ơ after o, ư after u; case
    and tones ignored), then the tones letter by letter, then lower case before upper case, then
    the text itself, so different texts never compare equal. Spaces and punctuation come before
    digits, digits before letters, so "An Lão" < "Anh Sơn" and "Xã 2" < "Xã An". Any str is
    accepted.
    """
    primary: list[int] = []
    tones: list[int] = []
    cases: list[int] = []
    for char in unicodedata.normalize("NFC", text):
        lower = char.lower()
        decomposed = unicodedata.normalize("NFD", lower)
        base, marks = decomposed[0], decomposed[1:]
        tone = 0
        for mark in marks:
            if (base, mark) in _LETTER_MARKS:
                base = _LETTER_MARKS[(base, mark)]
            elif mark in _TONES:
                tone = _TONES[mark]
        if base in _RANK:
            primary.append(3000 + _RANK[base])
        elif base.isdigit():
            primary.append(2000 + (unicodedata.digit(base, 0)))
        elif base.isspace() or not base.isalnum():
            primary.append(1000 if base.isspace() else 1001 + min(ord(base), 998))
        else:
            primary.append(4000 + ord(base))
        tones.append(tone)
        cases.append(0 if char == lower else 1)
    return tuple(primary), tuple(tones), tuple(cases), text
