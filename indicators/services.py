"""Indicator values and attainment per unit and period, from consolidated (approved) data.

A question costs a constant number of queries: the indicators with their targets, the elements,
and one GROUP BY per level (the province or nation level, and the units below it).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from access.policy import require_visible
from audit.services import record
from core.vn import vn_sort_key
from indicators import rules
from indicators.models import Indicator, Target
from reporting.models import DataElement
from reporting.periods import Period, make, parse, shift
from reporting.services.consolidation import EMPTY, Partial, base_values, partials, to_partial

if TYPE_CHECKING:
    from accounts.models import User

if TYPE_CHECKING:
    from geo.models import Province


def period_ids(period: Period) -> list[str]:
    """The raw period ids whose data make up `period`: itself, and for a year every month,
    quarter and half of it."""
    if period.frequency != "annual":
        return [period.id]
    ids = [period.id]
    for frequency, n in (("monthly", 12), ("quarterly", 4), ("semiannual", 2)):
        ids += [make(frequency, period.year, i).id for i in range(1, n + 1)]
    return ids


def _order(pid: str) -> tuple[int, int, int]:
    p = parse(pid)
    year, month = p.last_month()
    return (year, month, {"monthly": 0, "quarterly": 1, "semiannual": 2, "annual": 3}[p.frequency])


def combine_in_time(values: dict[str, Decimal], aggregation: str) -> Decimal | None:
    """Values of one unit and element over several periods → one value, by the element's kind."""
    if not values:
        return None
    if aggregation == DataElement.Aggregation.LAST:
        return values[max(values, key=_order)]
    if aggregation == DataElement.Aggregation.AVERAGE:
        return sum(values.values(), Decimal(0)) / len(values)
    if aggregation == DataElement.Aggregation.MAX:
        return max(values.values())
    return sum(values.values(), Decimal(0))


@dataclass
class Cell:
    value: Decimal | None
    goal: rules.Goal | None
    status: str
    baseline: Decimal | None = None

    @property
    def label(self) -> str:
        return rules.STATUS_LABELS[self.status]

    @property
    def css(self) -> str:
        return rules.STATUS_CSS[self.status]


@dataclass
class Card:
    indicator: Indicator
    cell: Cell
    trend: list[tuple[str, Decimal | None]] = field(default_factory=list)


@dataclass
class UnitRow:
    key: str
    name: str
    cells: list[Cell]


@dataclass
class Dashboard:
    period: Period
    province: Province | None  # None: the nation
    cards: list[Card]
    units: list[UnitRow]
    unit_kind: str  # "commune" or "province"


class Source:
    """Raw partials for some elements, periods and a grouping, turned into indicator inputs."""

    def __init__(self, elements: dict[str, DataElement], rows: list[dict[str, Any]], unit_field: str | None) -> None:
        self.by_id = {e.pk: e for e in elements.values()}
        self.cells: dict[tuple[Any, str, int], Partial] = defaultdict(Partial)
        for row in rows:
            unit = row.get(unit_field) if unit_field else None
            key = (unit, row["submission__period"], row["element_id"])
            self.cells[key] = self.cells[key] + to_partial(row)

    def units(self) -> set[Any]:
        return {u for u, _, _ in self.cells if u is not None}

    def element_values(self, unit: Any, period: Period) -> dict[str, Decimal | None]:
        memo: dict[tuple[Any, str], dict[str, Decimal | None]] = self.__dict__.setdefault("_memo", {})
        if (unit, period.id) not in memo:
            memo[(unit, period.id)] = self._element_values(unit, period)
        return memo[(unit, period.id)]

    def _element_values(self, unit: Any, period: Period) -> dict[str, Decimal | None]:
        wanted = period_ids(period)
        out: dict[str, Decimal | None] = {}
        for element in self.by_id.values():
            series, counts = {}, {}
            for pid in wanted:
                part = self.cells.get((unit, pid, element.pk), EMPTY)
                v = part.value(element.aggregation)
                if v is not None:
                    series[pid], counts[pid] = v, Decimal(part.count)
            out[element.code] = combine_in_time(series, element.aggregation)
            # "#CODE": units reporting CODE (the latest period's count over a year).
            out["#" + element.code] = counts[max(counts, key=_order)] if counts else None
        return out

    def merged(self) -> Source:
        """The same data with units merged (nation from provinces)."""
        clone = Source.__new__(Source)
        clone.by_id = self.by_id
        clone.cells = defaultdict(Partial)
        for (_, pid, el), part in self.cells.items():
            clone.cells[(None, pid, el)] = clone.cells[(None, pid, el)] + part
        return clone


def indicator_value(indicator: Indicator, values: dict[str, Decimal | None]) -> Decimal | None:
    return rules.formula(indicator.numerator, indicator.denominator, indicator.factor, values)


def _cell(indicator: Indicator, source: Source, unit: Any, period: Period, province: str | None) -> Cell:
    value = indicator_value(indicator, source.element_values(unit, period))
    goal = rules.resolve(indicator.targets.all(), province, period.year)
    baseline = None
    if goal is not None and goal.relative:
        baseline = indicator_value(indicator, source.element_values(unit, period.same_period_last_year()))
    return Cell(value, goal, rules.classify(value, goal, baseline), baseline)


def active_indicators() -> list[Indicator]:
    return list(Indicator.objects.filter(is_active=True).select_related("national_target").prefetch_related("targets"))


def _elements(indicators: list[Indicator]) -> dict[str, DataElement]:
    wanted: set[str] = set()
    for ind in indicators:
        try:
            wanted |= rules.codes(ind.numerator, ind.denominator)
        except rules.ExpressionError:
            continue
    return {e.code: e for e in DataElement.objects.filter(code__in=wanted)}


def trend_periods(period: Period, n: int | None = None) -> list[Period]:
    """The `n` periods up to `period` (5 years, or 8 quarters/months/halves)."""
    n = n or (5 if period.frequency == "annual" else 8)
    return [shift(period, -i) for i in range(n - 1, -1, -1)]


def dashboard(*, period: Period, province: Province | None, include_submitted: bool = False) -> Dashboard:
    """Cards (value, goal, status, trend) for the province (None: the nation) and a table of its
    units (communes, or provinces for the nation)."""
    from geo.models import Commune, Province

    indicators = active_indicators()
    elements = _elements(indicators)
    trend = trend_periods(period)
    wanted = {pid for p in trend + [period.same_period_last_year()] for pid in period_ids(p)}
    code = province.pk if province is not None else None
    if province is None:
        qs = base_values(
            periods=wanted, include_submitted=include_submitted, elements=[e.pk for e in elements.values()]
        )
        rows = partials(qs.filter(category=""), ["submission__province_id", "submission__period", "element_id"])
        by_unit = Source(elements, rows, "submission__province_id")
        top = by_unit.merged()
        names = dict(Province.objects.values_list("code", "name"))
        unit_kind = "province"
    else:
        qs = base_values(
            periods=wanted,
            include_submitted=include_submitted,
            provinces=[province.pk],
            elements=[e.pk for e in elements.values()],
        ).filter(category="")
        top = Source(elements, partials(qs, ["submission__period", "element_id"]), None)
        unit_qs = qs.filter(
            submission__period__in=period_ids(period) + period_ids(period.same_period_last_year()),
            submission__commune__isnull=False,
        )
        by_unit = Source(
            elements,
            partials(unit_qs, ["submission__commune_id", "submission__period", "element_id"]),
            "submission__commune_id",
        )
        names = dict(Commune.objects.filter(province=province).values_list("code", "name"))
        unit_kind = "commune"
    cards = []
    for ind in indicators:
        cell = _cell(ind, top, None, period, code)
        series = [(p.label, indicator_value(ind, top.element_values(None, p))) for p in trend]
        cards.append(Card(ind, cell, series))
    units = []
    for key, name in sorted(names.items(), key=lambda kv: vn_sort_key(kv[1])):
        unit_province = key if province is None else code
        units.append(UnitRow(key, name, [_cell(ind, by_unit, key, period, unit_province) for ind in indicators]))
    return Dashboard(period, province, cards, units, unit_kind)


@transaction.atomic
def set_province_target(
    *,
    acting_user: User,
    indicator: Indicator,
    province: Province,
    year: int | None,
    comparator: str,
    value: Decimal | None,
    note: str = "",
) -> Target:
    """Create or update a province's target (an override of the national one) for a year.

    Only the province's Standing Office (or an administrator); national targets are not written here.
    """
    from geo.models import Province as ProvinceModel

    if province is None:
        raise PermissionDenied("Chỉ tiêu toàn quốc không được sửa tại đây.")
    require_visible(
        ProvinceModel.objects.for_user(acting_user, "target.manage"),
        province,
        "Chỉ Cơ quan Thường trực của tỉnh được đặt chỉ tiêu của tỉnh.",
    )
    target, created = Target.objects.update_or_create(
        indicator=indicator,
        province=province,
        year=year,
        defaults={"comparator": comparator, "value": value, "note": note, "updated_by": acting_user},
    )
    record(
        actor=acting_user,
        action="target.create" if created else "target.update",
        obj=target,
        province_code=province.pk,
        changes={"comparator": comparator, "value": value, "year": year},
    )
    return target


@transaction.atomic
def delete_province_target(*, acting_user: User, target: Target) -> None:
    require_visible(Target.objects.for_user(acting_user, "manage").filter(province__isnull=False), target)
    record(
        actor=acting_user,
        action="target.delete",
        obj=target,
        province_code=target.province_id or "",
        changes={"comparator": target.comparator, "value": target.value, "year": target.year},
    )
    target.delete()
