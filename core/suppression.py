"""Small-count suppression for outputs that describe people (issue 13 §3, issue 14 §3).

Anyone who is not a case officer sees a count of 1–4 people as "<5"; zero is never suppressed and
stored values stay exact: this module only decides what is *shown*. When a row (or column) carries
its total, one hidden cell could be recovered by subtraction, so the smallest other non-zero cell
is hidden with it ("complementary suppression").

Callers decide `reveal` (e.g. `access.policy.can(user, "registry.read_named")`); this module has no
dependency on the access layer so that every app may use it.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

THRESHOLD = 5
MASK = "<5"
PEOPLE_UNIT = "người"  # figures in this unit count people: the ones small counts apply to

Count = int | Decimal | None


def is_small(value: Count) -> bool:
    """True for a count of 1–4 (a value that would point to a few identifiable people)."""
    return value is not None and 0 < value < THRESHOLD


def suppress(value: Count, *, reveal: bool) -> Count | str:
    """The value as it may be shown: "<5" for 1–4 unless `reveal`; None and 0 unchanged."""
    if reveal or not is_small(value):
        return value
    return MASK


def suppress_row(values: Sequence[Count], *, reveal: bool, has_total: bool = True) -> list[Count | str]:
    """A row of counts as it may be shown.

    Small cells become "<5". With `has_total` (the row's total is shown elsewhere) a single hidden
    cell would be revealed by subtraction, so the smallest other non-zero cell is hidden as well.
    """
    if reveal:
        return list(values)
    shown: list[Count | str] = [suppress(v, reveal=False) for v in values]
    hidden = [i for i, v in enumerate(shown) if v == MASK]
    if has_total and len(hidden) == 1:
        candidates = [(v, i) for i, v in enumerate(values) if i not in hidden and v]
        if candidates:
            _, index = min(candidates)
            shown[index] = MASK
    return shown
