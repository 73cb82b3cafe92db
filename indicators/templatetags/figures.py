"""Template filters for consolidated figures: Vietnamese numbers, signed changes, data times."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template

from core import vn

register = template.Library()


@register.filter
def figure(value: Any, decimals: int | None = None) -> str:
    """1234.5 → "1.234,5"; whole numbers without decimals; None → "—"; a mask ("<5", "x",
    `reporting.services.suppression`) as it is."""
    if value is None or value == "":
        return "—"
    if value in ("<5", "x"):
        return str(value)
    number = Decimal(str(value))
    if decimals is None:
        decimals = 0 if number == number.to_integral_value() else 1
    return vn.format_number(number, int(decimals))


@register.filter
def change(value: Any) -> str:
    """A percent change: "+12,5%", "−3,0%", or "—"."""
    if value is None:
        return "—"
    number = Decimal(str(value))
    text = vn.format_percent(abs(number), 1)
    return f"+{text}" if number > 0 else (f"−{text}" if number < 0 else "0%")


@register.filter
def change_css(value: Any) -> str:
    if value is None or value == 0:
        return "text-muted"
    return "text-success" if value > 0 else "text-danger"


@register.filter
def moment(value: dt.datetime | None) -> str:
    """A data time as "14:05 ngày 03/07/2026"."""
    return vn.format_datetime(value, sentence=True) if value else "—"


@register.filter
def period_label(pid: str) -> str:
    from reporting.periods import PeriodError, parse

    try:
        return parse(pid).label
    except PeriodError:
        return pid


@register.filter
def report_kind(kind: str, period_id: str) -> str:
    """A report named by its kind and period: "Báo cáo năm — Năm 2026", "Báo cáo một lần — năm 2026"."""
    from reporting.periods import kind_label

    return kind_label(kind, period_id)


@register.filter
def period_dates(period: Any, convention: str) -> str:
    """The dates a period's data covers under the schedule's convention: "15/09–14/12/2026"."""
    from reporting.periods import PeriodError, bounds_label, parse

    try:
        return bounds_label(parse(period) if isinstance(period, str) else period, convention)
    except PeriodError:
        return ""


@register.filter
def category_label(element: Any, category: str = "") -> str:
    """`element|category_label:"F"`: the breakdown's Vietnamese name in the element's category
    combination ("nữ"); "" (the total) → ""."""
    if not category:
        return ""
    label = getattr(element, "category_label", None)
    return (label(category) if callable(label) else category).lower()
