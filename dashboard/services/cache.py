"""A short cache for the costly figures of the home pages (indicators, national comparisons).

Figures are cached exact and per scope key (a province, or the nation); suppression and links are
applied when the page is drawn, so one entry serves every viewer of that scope. The lifetime is
`DASHBOARD_CACHE_SECONDS` (0 turns the cache off, as in the tests).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, cast

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

T = TypeVar("T")


def cached(key: str, compute: Callable[[], T]) -> T:
    """`compute()`, kept `DASHBOARD_CACHE_SECONDS` under `key` (and today's date)."""
    seconds = int(getattr(settings, "DASHBOARD_CACHE_SECONDS", 60))
    if seconds <= 0:
        return compute()
    full = f"dashboard:{key}:{timezone.localdate().isoformat()}"
    hit = cache.get(full)
    if hit is None:
        value = compute()
        cache.set(full, value, seconds)
        return value
    return cast(T, hit)
