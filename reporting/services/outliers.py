"""Outliers against a unit's own history: a pure function, no database.

A value is unusual (and the unit is asked for an explanation, giải trình, instead of being
blocked) when, compared with the same cell in the unit's previous periods:

- with at least 4 previous values: it lies more than 3 standard deviations from their mean
  (z-score > 3); when every previous value is the same, any other value is unusual;
- with 2 or 3 previous values: it lies outside their min–max range widened by half the largest
  value (at least 1), so that small counts moving by one or two are not flagged;
- with fewer than 2 previous values nothing is flagged: there is no history to compare with.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

from core.vn import format_number, round_half_up

MIN_FOR_ZSCORE = 4
Z_LIMIT = 3


def outlier_reason(value: Decimal | None, history: Sequence[Decimal]) -> str:
    """A Vietnamese reason when `value` is unusual for this history, else ""."""
    if value is None or len(history) < 2:
        return ""
    past = [Decimal(v) for v in history if v is not None]
    if len(past) >= MIN_FOR_ZSCORE:
        # Plain float arithmetic with an exact sum (`statistics.pstdev` works in fractions: far
        # slower, for a flag that compares with 3).
        floats = [float(v) for v in past]
        mean = math.fsum(floats) / len(floats)
        sd = math.sqrt(math.fsum((v - mean) ** 2 for v in floats) / len(floats))
        if all(v == floats[0] for v in floats):
            sd = 0.0
        x = float(value)
        if (sd == 0 and x != mean) or (sd > 0 and abs(x - mean) / sd > Z_LIMIT):
            return (
                f"Khác thường so với {len(past)} kỳ trước (trung bình {format_number(round_half_up(mean, 1))}, "
                f"thấp nhất {format_number(min(past))}, cao nhất {format_number(max(past))})."
            )
        return ""
    if len(past) >= 2:
        low, high = min(past), max(past)
        margin = max(Decimal(1), high / 2)
        if value < low - margin or value > high + margin:
            return (
                f"Khác thường so với {len(past)} kỳ trước (thấp nhất {format_number(low)}, "
                f"cao nhất {format_number(high)})."
            )
    return ""
