"""Pure rules for indicators and targets: expressions, formulas, target resolution, attainment.

No database access: tested alone. Conventions (documented for users on the targets page):

- An expression is a sum (or difference) of element codes: "PLACES_DETECTED + PLACES_CARRIED";
  "#CODE" is the number of units that reported CODE (for "% of communes with …" indicators),
  "#CODE>0" the number of units that reported more than 0 (T7b: communes with addicts), and
  "@COMMUNES" the number of communes expected to report (T7c: all communes).
  A code without data counts as 0 unless no code of the expression has data (then: no value).
- value = numerator ÷ denominator × factor; a denominator without data or equal to 0 gives no
  value (never a crash), shown as "—".
- Targets: milestones per year, national, with provincial overrides of the same year. For a year,
  the goal is its own milestone, else the next milestone; after the last one, the last one (or
  the every-year target). "=" means reaching the value (≥).
- Attainment: achieved when the value meets the goal; on track when, before the goal's year, it
  meets the linear path from the previous milestone (or from 0 at the programme start, end of
  2024) to the goal; off track otherwise. Relative targets compare with the same period of the
  previous year: "tăng trên x%" is achieved above prev × (1 + x%), on track when it grew but
  less; "giảm" is achieved below prev × (1 − x%) (x empty: below prev), on track when it fell but less.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from core.vn import format_number, round_half_up

PROGRAMME_BASE_YEAR = 2024  # the programme runs 2025–2030; linear progress starts from 0 here
_TERM = re.compile(r"\s*([+-]?)\s*(#?[A-Za-z][A-Za-z0-9_]*(?:>0)?|@COMMUNES)\s*")

ACHIEVED, ON_TRACK, OFF_TRACK, NO_DATA, NO_TARGET = "achieved", "on_track", "off_track", "no_data", "no_target"
STATUS_LABELS = {
    ACHIEVED: "Đạt",
    ON_TRACK: "Đúng tiến độ",
    OFF_TRACK: "Chậm tiến độ",
    NO_DATA: "Chưa có số liệu",
    NO_TARGET: "Chưa đặt chỉ tiêu",
}
STATUS_CSS = {ACHIEVED: "success", ON_TRACK: "info", OFF_TRACK: "danger", NO_DATA: "secondary", NO_TARGET: "light"}


class ExpressionError(ValueError):
    """A malformed expression; the message is Vietnamese."""


def parse_expression(text: str) -> list[tuple[int, str]]:
    """ "A + B - C" → [(1, "A"), (1, "B"), (-1, "C")]."""
    text = (text or "").strip()
    if not text:
        return []
    terms: list[tuple[int, str]] = []
    pos = 0
    while pos < len(text):
        m = _TERM.match(text, pos)
        if not m or (terms and not m.group(1)):
            raise ExpressionError(f"Biểu thức «{text}» không hợp lệ: chỉ dùng mã chỉ tiêu nối bằng + hoặc -.")
        terms.append((-1 if m.group(1) == "-" else 1, m.group(2)))
        pos = m.end()
    return terms


def codes(*expressions: str) -> set[str]:
    """Element codes the expressions use ("#CODE" and "#CODE>0" use CODE; "@COMMUNES" none)."""
    return {
        code.lstrip("#").removesuffix(">0")
        for e in expressions
        for _, code in parse_expression(e)
        if not code.startswith("@")
    }


def evaluate_expression(terms: Iterable[tuple[int, str]], values: Mapping[str, Decimal | None]) -> Decimal | None:
    found, total = False, Decimal(0)
    for sign, code in terms:
        v = values.get(code)
        if v is not None:
            found = True
            total += sign * v
    return total if found else None


def formula(numerator: str, denominator: str, factor: Decimal, values: Mapping[str, Decimal | None]) -> Decimal | None:
    num = evaluate_expression(parse_expression(numerator), values)
    if num is None:
        return None
    if not (denominator or "").strip():
        return num * factor
    den = evaluate_expression(parse_expression(denominator), values)
    if den is None or den == 0:
        return None
    return num / den * factor


@dataclass(frozen=True)
class Goal:
    """A target as it applies to one province and year."""

    comparator: str
    value: Decimal | None
    year: int | None  # the milestone's year (None: every year)
    expected: Decimal | None = None  # the linear path's value for the year asked, when before `year`
    local: bool = False  # a provincial override

    @property
    def relative(self) -> bool:
        return self.comparator in ("increase", "decrease")

    @property
    def label(self) -> str:
        v = _fmt(self.value)
        if self.comparator == "increase":
            return f"Tăng trên {v}% so với cùng kỳ năm trước"
        if self.comparator == "decrease":
            return f"Giảm trên {v}% so với cùng kỳ năm trước" if self.value else "Giảm so với cùng kỳ năm trước"
        words = {">=": "Ít nhất", ">": "Trên", "<=": "Tối đa", "<": "Dưới", "=": "Đạt"}[self.comparator]
        return f"{words} {v}" + (f" (năm {self.year})" if self.year else "")


def _fmt(value: Decimal | None) -> str:
    """At most two decimals, without trailing zeros: 80.5 → "80,5", 1000 → "1.000"."""
    return "" if value is None else format_number(round_half_up(value, 2))


def resolve(targets: Iterable[Any], province: str | None, year: int) -> Goal | None:
    """The goal for `province` (None: national) in `year` from Target-like objects
    (attributes province_id, year, comparator, value)."""
    merged: dict[int | None, tuple[Any, bool]] = {}
    for t in targets:
        if t.province_id is None:
            merged.setdefault(t.year, (t, False))
    for t in targets:
        if province is not None and t.province_id == province:
            merged[t.year] = (t, True)
    every = merged.pop(None, None)
    years: list[int] = sorted(y for y in merged if y is not None)
    if year in merged:
        t, local = merged[year]
        return Goal(t.comparator, t.value, t.year, None, local)
    later = [y for y in years if y > year]
    if later:
        t, local = merged[later[0]]
        earlier = [y for y in years if y < year]
        expected = None
        if t.comparator in (">=", ">", "=") and t.value is not None:
            if earlier:
                t0 = merged[earlier[-1]][0]
                y0, v0 = earlier[-1], t0.value if t0.value is not None else Decimal(0)
            else:
                y0, v0 = PROGRAMME_BASE_YEAR, Decimal(0)
            if later[0] > y0:
                expected = v0 + (t.value - v0) * Decimal(year - y0) / Decimal(later[0] - y0)
        return Goal(t.comparator, t.value, t.year, expected, local)
    if every is not None:
        t, local = every
        return Goal(t.comparator, t.value, None, None, local)
    if years:
        t, local = merged[years[-1]]
        return Goal(t.comparator, t.value, t.year, None, local)
    return None


def _meets(value: Decimal, comparator: str, goal: Decimal) -> bool:
    if comparator in (">=", "="):
        return value >= goal
    if comparator == ">":
        return value > goal
    if comparator == "<=":
        return value <= goal
    if comparator == "<":
        return value < goal
    raise ValueError(comparator)


def classify(value: Decimal | None, goal: Goal | None, baseline: Decimal | None = None) -> str:
    """achieved / on_track / off_track (no_data, no_target when it cannot be said).
    `baseline`: the same period of the previous year, for relative targets."""
    if goal is None:
        return NO_TARGET
    if value is None:
        return NO_DATA
    pct = goal.value or Decimal(0)
    if goal.comparator == "increase":
        if baseline is None:
            return NO_DATA
        if value > baseline * (1 + pct / 100):
            return ACHIEVED
        return ON_TRACK if value > baseline else OFF_TRACK
    if goal.comparator == "decrease":
        if baseline is None:
            return NO_DATA
        if value < baseline * (1 - pct / 100):
            return ACHIEVED
        return ON_TRACK if value < baseline else OFF_TRACK
    if goal.value is None:
        return NO_TARGET
    if _meets(value, goal.comparator, goal.value):
        return ACHIEVED
    if goal.expected is not None and value >= goal.expected:
        return ON_TRACK
    return OFF_TRACK
