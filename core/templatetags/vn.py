"""Template filters over `core.vn`: {{ x|vn_number }}, {{ x|vn_number:1 }}, {{ x|vn_percent }}, {{ d|vn_date }}.

Only templates load this; Python code imports `core.vn` itself. A missing value is shown "—".
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

from django import template

from core import vn

register = template.Library()

MISSING = "—"


def _number(value: Any) -> Decimal | int | float | None:
    """The value as a number, or None when a template passed something else (shown as it is)."""
    if isinstance(value, bool) or (isinstance(value, float) and not math.isfinite(value)):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, (int, float)):
        return value
    try:
        return vn.parse_number(str(value), vn.Notation.CANONICAL)
    except vn.NumberError:
        return None


@register.filter(name="vn_number")
def vn_number(value: Any, decimals: Any = 0) -> str:
    """1234567.5|vn_number:1 → "1.234.567,5"; rounded half up; None or "" → "—"; text that is not a number is kept."""
    if value is None or value == "":
        return MISSING
    number = _number(value)
    if number is None:
        return str(value)
    return vn.format_number(number, int(decimals))


@register.filter(name="vn_percent")
def vn_percent(value: Any, decimals: Any = 1) -> str:
    """41.25|vn_percent → "41,3%"; None or "" → "—"."""
    if value is None or value == "":
        return MISSING
    number = _number(value)
    if number is None:
        return str(value)
    return vn.format_percent(number, int(decimals))


@register.filter(name="vn_date")
def vn_date(value: dt.date | None) -> str:
    """A date (or a datetime's day in Vietnam) as "05/02/2026"; None → "—"."""
    return vn.format_date(value) if value else MISSING


@register.filter(name="vn_datetime")
def vn_datetime(value: Any) -> str:
    """A moment in local time: "05/12/2026 17:44"; None → "—"."""
    if not isinstance(value, dt.datetime):
        return MISSING
    return vn.format_datetime(value)


@register.filter(name="suppress")
def suppress_filter(value: Any, reveal: Any = False) -> Any:
    """{{ count|suppress:reveal }}: a count of people 1–4 shown as "<5" unless `reveal` (core.suppression)."""
    from core.suppression import suppress

    number = _number(value)
    if number is None or isinstance(number, float):
        return value
    return suppress(number, reveal=bool(reveal))
