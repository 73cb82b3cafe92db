"""Vietnamese number formatting for templates: 1.234.567 and 12,5."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()


def format_number(value: Any, decimals: int = 0) -> str:
    """1234567.5 → "1.234.567,5" (with `decimals` digits after the comma)."""
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    text = f"{number:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


@register.filter(name="vn_number")
def vn_number(value: Any, decimals: int = 0) -> str:
    return format_number(value, int(decimals))
