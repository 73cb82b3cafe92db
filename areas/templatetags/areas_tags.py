"""Badges and small formatting helpers for the area pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from areas.models import SHORT_CLASS_LABELS, Status
from areas.rules import CLASS_I, CLASS_II, CLASS_III, DRUG_FREE, UNCLASSIFIED
from core import vn

register = template.Library()

_CLASS_CSS = {
    CLASS_I: "text-bg-danger",
    CLASS_II: "text-bg-warning",
    CLASS_III: "text-bg-info",
    DRUG_FREE: "text-bg-success",
    UNCLASSIFIED: "text-bg-secondary",
}
_STATUS_CSS = {
    Status.DRAFT: "border text-dark bg-light",
    Status.SUBMITTED: "border border-primary text-primary-emphasis bg-primary-subtle",
    Status.RETURNED: "border border-danger text-danger-emphasis bg-danger-subtle",
    Status.FORWARDED: "border border-info text-info-emphasis bg-info-subtle",
    Status.APPROVED: "border border-success text-success-emphasis bg-success-subtle",
}


@register.filter
def class_css(klass: str) -> str:
    return _CLASS_CSS.get(klass, "border text-dark bg-light")


@register.filter
def class_short(klass: str) -> str:
    return SHORT_CLASS_LABELS.get(klass, "—")


@register.filter
def status_css(status: str) -> str:
    return _STATUS_CSS.get(status, "border text-muted bg-light")


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None


_GROUPS = [
    ("I", "Loại I", "cần ít nhất 3/5 tiêu chí"),
    ("II", "Loại II", "cần ít nhất 3/5 tiêu chí"),
    ("III", "Loại III", "cần ít nhất 1/3 tiêu chí (giá trị lớn hơn 0)"),
    ("drug_free", "Địa bàn không ma túy (Điều 6)", "cần đủ 3/3 điều kiện"),
]


@register.simple_tag
def criteria_groups(result: Any) -> list[dict[str, Any]]:
    """The criteria of a commune result grouped by class, in the order of the decision."""
    if result is None:
        return []
    out = []
    for key, title, needed in _GROUPS:
        items = [(k.split(".", 1)[1], c) for k, c in result.criteria.items() if k.split(".", 1)[0] == key]
        out.append(
            {
                "key": key,
                "title": title,
                "needed": needed,
                "met": result.met_counts.get(key, 0),
                "total": len(items),
                "items": items,
            }
        )
    return out


@register.filter
def pct(value: Any) -> str:
    """A percentage without useless zeros, Vietnamese style: 20 → "20", 22.50 → "22,5"."""
    if value is None:
        return "—"
    return vn.format_number(Decimal(str(value)))
