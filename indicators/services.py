"""Indicator values and attainment per unit and period, from consolidated (approved) data.

A question costs a constant number of queries: the indicators with their targets, the elements,
one GROUP BY per level (the province or nation level, and the units below it) and the expected
units.

Rules (README, "Báo cáo định kỳ"):

- Report kinds never mix: a period's figure comes from the reports of ONE kind (`kind`): a year
  from its four quarterly reports, its two 6-month reports or its annual report — never from
  two of them at once; one-off reports never enter indicators.
- Stocks and flows: an element aggregated `last` (a stock "tại ngày chốt số liệu") takes the
  value of the last sub-period (a year's stock is Q4's, or the annual report's), never a sum; a
  flow ("trong kỳ") is the sum of the sub-periods.
- One source per figure: each element counts from its authoritative level only
  (`DataElement.source_level` / `source_agencies`); an element reported by communes and agencies
  as distinct breakdowns ("both") counts from the communes here.
- Coverage: every value says on how many units it rests ("x/102 xã, y/14 cơ quan có số liệu đã
  duyệt"); a flow needs every sub-period, so a level's count is the smallest over the
  sub-periods and over the indicator's elements. Below the indicator's threshold (default 80 %
  of the expected units) attainment reads "Chưa đủ số liệu", never "Đạt".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q

from access.policy import require_visible
from audit.services import record
from core.vn import vn_sort_key
from indicators import rules
from indicators.models import Indicator, Target
from reporting.models import DataElement, Schedule, SourceLevel
from reporting.periods import KINDS, Period, make, shift
from reporting.services.consolidation import (
    EMPTY,
    Coverage,
    Partial,
    base_values,
    coverage_text,
    expected_units,
    partials,
    to_partial,
)

if TYPE_CHECKING:
    from accounts.models import User
    from geo.models import Province

PER_YEAR = {"monthly": 12, "quarterly": 4, "semiannual": 2, "annual": 1}
# The kinds of report a period's figure can be made of (the default first).
SOURCE_KINDS: dict[str, tuple[str, ...]] = {
    "monthly": ("monthly",),
    "quarterly": ("quarterly", "monthly"),
    "semiannual": ("quarterly", "semiannual", "monthly"),
    "annual": ("quarterly", "semiannual", "annual", "monthly"),
}
SOURCE_LABELS = {
    "monthly": "từ các báo cáo tháng",
    "quarterly": "từ các báo cáo quý",
    "semiannual": "từ các báo cáo 6 tháng",
    "annual": "từ báo cáo năm",
}


def default_kind(period: Period) -> str:
    return SOURCE_KINDS[period.frequency][0]


def sub_periods(period: Period, kind: str) -> list[Period]:
    """The periods of `kind` that make up `period` (a year of quarterly reports: Q1–Q4)."""
    if kind == period.frequency:
        return [period]
    if kind not in SOURCE_KINDS[period.frequency]:
        raise ValueError(f"{kind} reports do not make up a {period.frequency} period")
    step = PER_YEAR[kind] // PER_YEAR[period.frequency]
    first = (period.index - 1) * step + 1
    return [make(kind, period.year, i) for i in range(first, first + step)]


def period_ids(period: Period, kind: str | None = None) -> list[str]:
    """The raw period ids whose reports (of `kind`) make up `period`."""
    return [p.id for p in sub_periods(period, kind or default_kind(period))]


def combine_in_time(values: dict[str, Decimal], aggregation: str, ids: list[str] | None = None) -> Decimal | None:
    """Values of one unit and element over the sub-periods `ids` (in order) → one value: a stock
    (`last`) is the last sub-period's value (None when it has none), never a sum; a flow is the sum."""
    if not values:
        return None
    if aggregation == DataElement.Aggregation.LAST:
        return values.get(ids[-1]) if ids else values[max(values)]
    if aggregation == DataElement.Aggregation.AVERAGE:
        return sum(values.values(), Decimal(0)) / len(values)
    if aggregation == DataElement.Aggregation.MAX:
        return max(values.values())
    return sum(values.values(), Decimal(0))


INSUFFICIENT = "insufficient"
STATUS_LABELS = rules.STATUS_LABELS | {INSUFFICIENT: "Chưa đủ số liệu"}
STATUS_CSS = rules.STATUS_CSS | {INSUFFICIENT: "warning"}


@dataclass
class Cell:
    value: Decimal | None
    goal: rules.Goal | None
    status: str
    baseline: Decimal | None = None
    coverage: list[Coverage] = field(default_factory=list)
    masked: str = ""  # "<5" / "x": a small count of people (`reporting.services.suppression.apply_board`)

    @property
    def shown(self) -> Decimal | str | None:
        return self.masked or self.value

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def css(self) -> str:
        return STATUS_CSS[self.status]

    @property
    def coverage_label(self) -> str:
        return coverage_text(self.coverage)


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
    kind: str = "quarterly"  # the kind of report the figures come from

    @property
    def kinds(self) -> list[tuple[str, str]]:
        return [(k, KINDS[k]) for k in SOURCE_KINDS[self.period.frequency]]

    @property
    def source_label(self) -> str:
        """ "Năm 2026 — từ các báo cáo quý (số tại ngày chốt: Quý IV/2026; số trong kỳ: cộng các kỳ)"."""
        parts = sub_periods(self.period, self.kind)
        text = f"{self.period.label} — {SOURCE_LABELS[self.kind]}"
        if len(parts) > 1:
            text += f" (số tại ngày chốt: {parts[-1].label}; số trong kỳ: cộng {len(parts)} kỳ)"
        return text


def level_of(element: DataElement) -> str:
    """The level an element counts from in indicators ("both": the communes' breakdown)."""
    return SourceLevel.AGENCY if element.source_level == SourceLevel.AGENCY else SourceLevel.COMMUNE


def source_filter(elements: list[DataElement]) -> Q:
    """Values of each element from its authoritative level (and agencies) only."""
    groups: dict[tuple[str, tuple[str, ...]], list[int]] = defaultdict(list)
    for e in elements:
        level = level_of(e)
        groups[(level, e.agency_codes if level == SourceLevel.AGENCY else ())].append(e.pk)
    q = Q(pk__in=[])
    for (level, codes), ids in groups.items():
        if level == SourceLevel.COMMUNE:
            q |= Q(element_id__in=ids, submission__commune__isnull=False)
        elif codes:
            q |= Q(element_id__in=ids, submission__agency__code__in=list(codes))
        else:
            q |= Q(element_id__in=ids, submission__agency__isnull=False)
    return q


@dataclass
class Expected:
    """Units expected to report, per province: communes, and agencies by catalogue code."""

    communes: dict[str, int]
    agencies: dict[str, set[str]]

    @classmethod
    def load(cls, kind: str, provinces: list[str] | None) -> Expected:
        communes = expected_units(level="commune", kind=kind, provinces=provinces)
        through = Schedule.agencies.through.objects.filter(
            schedule__frequency=kind, schedule__is_active=True, schedule__form__level="agency"
        )
        if provinces is not None:
            through = through.filter(schedule__province_id__in=provinces)
        agencies: dict[str, set[str]] = defaultdict(set)
        for province, code in through.values_list("schedule__province_id", "agency__code").distinct():
            agencies[province].add(code)
        return cls(communes, dict(agencies))

    def of(self, element: DataElement, province: str | None) -> int:
        """Units expected to report `element` in `province` (None: the nation)."""
        provinces = [province] if province is not None else sorted(set(self.communes) | set(self.agencies))
        if level_of(element) == SourceLevel.COMMUNE:
            return sum(self.communes.get(p, 0) for p in provinces)
        codes = set(element.agency_codes)
        return sum(
            len(self.agencies.get(p, set()) & codes if codes else self.agencies.get(p, set())) for p in provinces
        )


class Source:
    """Raw partials for some elements, periods and a grouping, turned into indicator inputs."""

    def __init__(
        self, elements: dict[str, DataElement], rows: list[dict[str, Any]], unit_field: str | None, kind: str
    ) -> None:
        self.by_id = {e.pk: e for e in elements.values()}
        self.kind = kind
        self.cells: dict[tuple[Any, str, int], Partial] = defaultdict(Partial)
        for row in rows:
            unit = row.get(unit_field) if unit_field else None
            key = (unit, row["submission__period"], row["element_id"])
            self.cells[key] = self.cells[key] + to_partial(row)

    def element_values(self, unit: Any, period: Period) -> dict[str, Decimal | None]:
        memo: dict[tuple[Any, str], dict[str, Decimal | None]] = self.__dict__.setdefault("_memo", {})
        if (unit, period.id) not in memo:
            memo[(unit, period.id)] = self._element_values(unit, period)
        return memo[(unit, period.id)]

    def _element_values(self, unit: Any, period: Period) -> dict[str, Decimal | None]:
        wanted = period_ids(period, self.kind)
        end = wanted[-1]
        out: dict[str, Decimal | None] = {}
        for element in self.by_id.values():
            series = {}
            for pid in wanted:
                v = self.cells.get((unit, pid, element.pk), EMPTY).value(element.aggregation)
                if v is not None:
                    series[pid] = v
            out[element.code] = combine_in_time(series, element.aggregation, wanted)
            last = self.cells.get((unit, end, element.pk), EMPTY)
            # "#CODE": units reporting CODE at the period's end; "#CODE>0": those reporting more than 0.
            out["#" + element.code] = Decimal(last.count) if last.count else None
            out["#" + element.code + ">0"] = Decimal(last.positive) if last.count else None
        return out

    def approved(self, unit: Any, period: Period, element: DataElement) -> int:
        """Units with approved data of `element` in every sub-period of `period` (the smallest count)."""
        return min(self.cells.get((unit, pid, element.pk), EMPTY).approved for pid in period_ids(period, self.kind))

    def reported(self, unit: Any, period: Period, element: DataElement) -> int:
        return min(self.cells.get((unit, pid, element.pk), EMPTY).count for pid in period_ids(period, self.kind))

    def merged(self) -> Source:
        """The same data with units merged (nation from provinces)."""
        clone = Source.__new__(Source)
        clone.by_id = self.by_id
        clone.kind = self.kind
        clone.cells = defaultdict(Partial)
        for (_, pid, el), part in self.cells.items():
            clone.cells[(None, pid, el)] = clone.cells[(None, pid, el)] + part
        return clone


def indicator_value(indicator: Indicator, values: dict[str, Decimal | None]) -> Decimal | None:
    return rules.formula(indicator.numerator, indicator.denominator, indicator.factor, values)


def _indicator_elements(indicator: Indicator, elements: dict[str, DataElement]) -> list[DataElement]:
    try:
        return [elements[c] for c in sorted(rules.codes(indicator.numerator, indicator.denominator)) if c in elements]
    except rules.ExpressionError:
        return []


def indicator_coverage(
    indicator: Indicator,
    elements: dict[str, DataElement],
    source: Source,
    unit: Any,
    period: Period,
    expected: dict[str, int],
) -> list[Coverage]:
    """One Coverage per level the indicator reads (communes first): the element of that level
    with the fewest units with approved data (over every sub-period) against its expected units
    (`expected`: element code → units)."""
    by_level: dict[str, Coverage] = {}
    for element in _indicator_elements(indicator, elements):
        level = level_of(element)
        if not expected.get(element.code):
            continue
        c = Coverage(
            source.reported(unit, period, element),
            source.approved(unit, period, element),
            expected[element.code],
            level,
        )
        current = by_level.get(level)
        if current is None or (c.share or 0) < (current.share or 0):
            by_level[level] = c
    return [by_level[k] for k in (SourceLevel.COMMUNE, SourceLevel.AGENCY) if k in by_level]


def _cell(
    indicator: Indicator,
    elements: dict[str, DataElement],
    source: Source,
    unit: Any,
    period: Period,
    province: str | None,
    expected: dict[str, int],
) -> Cell:
    values = dict(source.element_values(unit, period))
    values["@COMMUNES"] = Decimal(expected.get("@COMMUNES", 0)) or None
    value = indicator_value(indicator, values)
    goal = rules.resolve(indicator.targets.all(), province, period.year)
    baseline = None
    if goal is not None and goal.relative:
        before = dict(source.element_values(unit, period.same_period_last_year()))
        before["@COMMUNES"] = values["@COMMUNES"]
        baseline = indicator_value(indicator, before)
    status = rules.classify(value, goal, baseline)
    coverage = indicator_coverage(indicator, elements, source, unit, period, expected)
    threshold = indicator.min_coverage
    enough = bool(coverage) and all(c.enough(threshold) for c in coverage)
    if value is not None and status not in (rules.NO_DATA, rules.NO_TARGET) and not enough:
        status = INSUFFICIENT
    return Cell(value, goal, status, baseline, coverage)


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


def dashboard(
    *, period: Period, province: Province | None, include_submitted: bool = False, kind: str | None = None
) -> Dashboard:
    """Cards (value, goal, status, coverage, trend) for the province (None: the nation) and a table
    of its units (communes, or provinces for the nation), from the reports of one `kind`."""
    from geo.models import Commune, Province

    kind = kind if kind in SOURCE_KINDS[period.frequency] else default_kind(period)
    indicators = active_indicators()
    elements = _elements(indicators)
    element_list = list(elements.values())
    trend = trend_periods(period)
    wanted = {pid for p in trend + [period.same_period_last_year()] for pid in period_ids(p, kind)}
    code = province.pk if province is not None else None
    expected = Expected.load(kind, [code] if code is not None else None)
    qs = base_values(
        periods=wanted, include_submitted=include_submitted, elements=[e.pk for e in element_list], kind=kind
    ).filter(source_filter(element_list), category="")
    if province is None:
        rows = partials(qs, ["submission__province_id", "submission__period", "element_id"])
        by_unit = Source(elements, rows, "submission__province_id", kind)
        top = by_unit.merged()
        names = dict(Province.objects.values_list("code", "name"))
        unit_kind = "province"
    else:
        qs = qs.filter(submission__province_id=province.pk)
        top = Source(elements, partials(qs, ["submission__period", "element_id"]), None, kind)
        unit_qs = qs.filter(
            submission__period__in=period_ids(period, kind) + period_ids(period.same_period_last_year(), kind),
            submission__commune__isnull=False,
        )
        by_unit = Source(
            elements,
            partials(unit_qs, ["submission__commune_id", "submission__period", "element_id"]),
            "submission__commune_id",
            kind,
        )
        names = dict(Commune.objects.filter(province=province).values_list("code", "name"))
        unit_kind = "commune"

    def expected_of(area: str | None) -> dict[str, int]:
        out = {c: expected.of(e, area) for c, e in elements.items()}
        out["@COMMUNES"] = sum(expected.communes.values()) if area is None else expected.communes.get(area, 0)
        return out

    top_expected = expected_of(code)
    # A commune row: the commune itself is the one unit expected of its commune-level elements.
    one_commune = {c: int(level_of(e) == SourceLevel.COMMUNE) for c, e in elements.items()} | {"@COMMUNES": 1}
    cards = []
    for ind in indicators:
        cell = _cell(ind, elements, top, None, period, code, top_expected)
        series = []
        for p in trend:
            values = dict(top.element_values(None, p))
            values["@COMMUNES"] = Decimal(top_expected["@COMMUNES"]) or None
            series.append((p.label, indicator_value(ind, values)))
        cards.append(Card(ind, cell, series))
    units = []
    for key, name in sorted(names.items(), key=lambda kv: vn_sort_key(kv[1])):
        unit_province = key if province is None else code
        unit_expected = expected_of(key) if province is None else one_commune
        units.append(
            UnitRow(
                key,
                name,
                [_cell(ind, elements, by_unit, key, period, unit_province, unit_expected) for ind in indicators],
            )
        )
    return Dashboard(period, province, cards, units, unit_kind, kind)


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
