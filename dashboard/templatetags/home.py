"""Template helpers of the home pages."""

from __future__ import annotations

from typing import Any

from django import template

from core import vn
from core.suppression import suppress

register = template.Library()


@register.simple_tag
def figure(f: Any, reveal: bool) -> str:
    """An indicator figure as shown: "—" without data, "<5" for 1–4 people unless `reveal`."""
    if f.value is None:
        return "—"
    if f.counts_people:
        shown = suppress(f.value, reveal=reveal)
        if isinstance(shown, str):
            return shown
    return vn.format_number(f.value, f.decimals)
