"""Consolidation: province and nation totals per element, category and period.

Each question is ONE SQL `GROUP BY` through the ORM (`values().annotate()`), returning partial
aggregates (sum, count, max, latest data time) that combine exactly across units and provinces:

- `sum`: the sum of the units' values;
- `average`: the mean of the units' values (Σ sum ÷ Σ count, so a nation average weighs every
  unit alike, not every province);
- `max`: the largest unit value;
- `last`: a stock figure at the period's end ("người đang quản lý"): the sum across units for one
  period; across the periods of a year (indicators) it takes the latest period with data.

Only approved data counts unless `include_submitted`, when submitted (not yet approved) data is
added and flagged (`pending`). Every total carries the moment of its newest data ("số liệu tính
đến …"): the approval time of approved reports, the submission time of submitted ones.

Report kinds: every question names a kind (quarterly, 6-month, annual, one-off — the schedule's
frequency stored on each report); an annual and a one-off report of 2026 share the period id
"2026" but are never added up.

Coverage: every total says how many reporting units it rests on (`Coverage`): units with approved
data out of the units the form's schedules of that kind expect ("1/102 xã có số liệu đã duyệt").
It comes out of the same GROUP BY (the number of approved values of the form's most answered
element and category — every approved report answers the required elements, so this is the
number of units with approved data), plus one COUNT of the expected units.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, F, Max, Q, QuerySet, Sum, When
from django.utils import timezone

from core import vn
from core.compiled import Compiled
from core.vn import vn_sort_key  # also imported from here by indicators.services
from reporting.models import (
    DataElement,
    DataValue,
    Form,
    FormItem,
    SourceLevel,
    Submission,
)
from reporting.periods import KINDS, Period, kind_label, kind_of

APPROVED = "approved"
SUBMITTED = "submitted"

# The moment a value entered the consolidated data: approval, or submission when not yet approved.
AS_OF = Case(
    When(submission__status=APPROVED, then=F("submission__reviewed_at")), default=F("submission__submitted_at")
)


def statuses(include_submitted: bool) -> list[str]:
    return [APPROVED, SUBMITTED] if include_submitted else [APPROVED]


@dataclass(frozen=True)
class Partial:
    """Partial aggregates of one group; `combine` merges them without losing exactness."""

    total: Decimal = Decimal(0)
    count: int = 0
    top: Decimal | None = None
    pending: int = 0
    as_of: dt.datetime | None = None
    approved: int = 0  # values from approved reports (coverage)
    positive: int = 0  # values above 0 (indicators: "communes with addicts")

    def __add__(self, other: Partial) -> Partial:
        tops = [t for t in (self.top, other.top) if t is not None]
        times = [t for t in (self.as_of, other.as_of) if t is not None]
        return Partial(
            self.total + other.total,
            self.count + other.count,
            max(tops) if tops else None,
            self.pending + other.pending,
            max(times) if times else None,
            self.approved + other.approved,
            self.positive + other.positive,
        )

    def value(self, aggregation: str) -> Decimal | None:
        if not self.count:
            return None
        if aggregation == DataElement.Aggregation.AVERAGE:
            return self.total / self.count
        if aggregation == DataElement.Aggregation.MAX:
            return self.top
        return self.total


EMPTY = Partial()


def partials_query(values: QuerySet[DataValue], group: Iterable[str]) -> QuerySet[DataValue]:
    """The one GROUP BY every consolidation question is answered with."""
    return (
        values.filter(value__isnull=False)
        .values(*group)
        .annotate(
            total=Sum("value"),
            n=Count("value"),
            top=Max("value"),
            pending=Count("id", filter=Q(submission__status=SUBMITTED)),
            approved=Count("id", filter=Q(submission__status=APPROVED)),
            positive=Count("id", filter=Q(value__gt=0)),
            as_of=Max(AS_OF),
        )
        .order_by()
    )


def partials(values: QuerySet[DataValue], group: Iterable[str]) -> list[dict[str, Any]]:
    return list(partials_query(values, group))


def _compiled(group: list[str]) -> Compiled:
    """The GROUP BY of a report by `group`, compiled once per shape (core.compiled): the same
    statement `partials_query(base_values(…), group)` builds."""

    def build(
        *, form: int, periods: list[str], statuses: list[str], kind: str, provinces: list[str] | None = None
    ) -> QuerySet[DataValue]:
        return partials_query(
            base_values(form=form, periods=periods, statuses_in=statuses, provinces=provinces, kind=kind), group
        )

    return Compiled(build)


_BY_PERIOD = _compiled(["submission__period", "element_id", "category"])
_BY_COMMUNE = _compiled(["submission__commune_id", "element_id", "category"])
_BY_AGENCY = _compiled(["submission__agency_id", "element_id", "category"])
_BY_PROVINCE = _compiled(["submission__province_id", "submission__period", "element_id", "category"])


def to_partial(row: dict[str, Any]) -> Partial:
    return Partial(
        Decimal(row["total"] or 0),
        row["n"],
        row["top"],
        row["pending"],
        row["as_of"],
        row.get("approved", 0),
        row.get("positive", 0),
    )


def base_values(
    *,
    form: Form | int | None = None,
    periods: Iterable[str],
    include_submitted: bool = False,
    statuses_in: Iterable[str] | None = None,
    provinces: Iterable[str] | None = None,
    elements: Iterable[int] | None = None,
    kind: str | None = None,
    kinds: Iterable[str] | None = None,
) -> QuerySet[DataValue]:
    """Values of approved (and, if asked, submitted; or of `statuses_in`) reports of one kind (or
    of `kinds`)."""
    wanted = list(statuses_in) if statuses_in is not None else statuses(include_submitted)
    qs = DataValue.objects.filter(submission__period__in=list(periods), submission__status__in=wanted)
    if kind is not None:
        qs = qs.filter(submission__kind=kind)
    elif kinds is not None:
        qs = qs.filter(submission__kind__in=list(kinds))
    if form is not None:
        qs = qs.filter(submission__schedule__form=form)
    if provinces is not None:
        codes = list(provinces)
        qs = (
            qs.filter(submission__province_id=codes[0])
            if len(codes) == 1
            else qs.filter(submission__province_id__in=codes)
        )
    if elements is not None:
        qs = qs.filter(element_id__in=list(elements))
    return qs


UNIT_WORDS = {"commune": "xã", "agency": "cơ quan", "province": "tỉnh"}
COVERAGE_THRESHOLD = Decimal(80)  # % of the expected units; below it a total is "Chưa đủ số liệu"


@dataclass(frozen=True)
class Coverage:
    """How many reporting units a total rests on.

    `approved`: units with approved data; `reported`: units whose data is in the total (approved,
    plus submitted ones when they are included; equal to `approved` otherwise); `expected`: units
    the active schedules of the form and kind ask to report; `level`: "commune" or "agency".
    `label` reads "1/102 xã có số liệu đã duyệt". Coverages of one level add up (provinces → nation).
    """

    reported: int
    approved: int
    expected: int
    level: str

    def __add__(self, other: Coverage) -> Coverage:
        return Coverage(
            self.reported + other.reported, self.approved + other.approved, self.expected + other.expected, self.level
        )

    @property
    def share(self) -> Decimal | None:
        """Percent of the expected units with approved data (None when no unit is expected)."""
        return Decimal(self.approved) * 100 / self.expected if self.expected else None

    def enough(self, threshold: Decimal = COVERAGE_THRESHOLD) -> bool:
        """Whether the approved data covers at least `threshold` % of the expected units."""
        share = self.share
        return share is not None and share >= threshold

    @property
    def fraction(self) -> str:
        word = UNIT_WORDS.get(self.level, "đơn vị")
        return f"{vn.format_number(self.approved)}/{vn.format_number(self.expected)} {word}"

    @property
    def label(self) -> str:
        text = f"{self.fraction} có số liệu đã duyệt"
        if self.reported > self.approved:
            text += f" ({vn.format_number(self.reported)} có số liệu kể cả chưa duyệt)"
        return text


def coverage_text(coverages: Iterable[Coverage]) -> str:
    """ "3/102 xã, 2/14 cơ quan có số liệu đã duyệt" (levels without expected units left out)."""
    shown = [c for c in coverages if c.expected]
    if not shown:
        return "Chưa có đơn vị nào được giao báo cáo"
    return ", ".join(c.fraction for c in shown) + " có số liệu đã duyệt"


def figure_decimals(element: DataElement) -> int:
    """Decimals a total of `element` is shown with, the same on the page, in XLSX and in DOCX:
    whole numbers for counts, two decimals for measures (gam, m², kg) and averages."""
    if element.value_type == DataElement.ValueType.INTEGER and element.aggregation != DataElement.Aggregation.AVERAGE:
        return 0
    if element.value_type == DataElement.ValueType.BOOLEAN:
        return 0
    return 2


def format_figure(value: Decimal | None, element: DataElement) -> str:
    """A total as text ("" when there is none): `figure_decimals`, rounded half up."""
    return vn.format_number(value, figure_decimals(element)) if value is not None else ""


def source_note(element: DataElement, level: str) -> str:
    """Empty when the form's level is the element's authoritative source; otherwise where the
    official figure comes from (shown beside the row, never added to it)."""
    if element.counts_from(level, element.agency_codes[0] if element.agency_codes else ""):
        return ""
    if element.source_level == SourceLevel.AGENCY:
        return "Số liệu chính thức lấy từ báo cáo của sở, ban, ngành; số này chỉ để tham khảo"
    return "Số liệu chính thức lấy từ báo cáo của cấp xã; số này chỉ để tham khảo"


@dataclass
class Total:
    """One consolidated figure with its data time and whether unapproved data is in it.

    `positive`: how many units gave a value above 0. `masked`: "" (shown exactly), "<5" or "x"
    when the figure counts people and the viewer does not review the units
    (`reporting.services.suppression`); the value itself stays exact."""

    value: Decimal | None
    count: int = 0
    pending: int = 0
    as_of: dt.datetime | None = None
    positive: int = 0
    masked: str = ""

    @classmethod
    def of(cls, partial: Partial, aggregation: str) -> Total:
        return cls(partial.value(aggregation), partial.count, partial.pending, partial.as_of, partial.positive)

    @property
    def shown(self) -> Decimal | str | None:
        """What a page or a file shows: the value, or its mask."""
        return self.masked or self.value


def change(current: Decimal | None, before: Decimal | None) -> Decimal | None:
    """Percent change, or None when there is nothing to compare with (or it was 0)."""
    if current is None or before is None or before == 0:
        return None
    return (current - before) / abs(before) * 100


@dataclass
class Row:
    element: DataElement
    category: str
    section: str
    current: Total
    previous: Total
    last_year: Total

    note: str = ""  # where the official figure comes from, when not from this form's level

    @property
    def category_label(self) -> str:
        return self.element.category_label(self.category)

    @property
    def decimals(self) -> int:
        return figure_decimals(self.element)

    @property
    def change_previous(self) -> Decimal | None:
        if self.current.masked or self.previous.masked:
            return None  # a change would give away a hidden figure
        return change(self.current.value, self.previous.value)

    @property
    def change_last_year(self) -> Decimal | None:
        if self.current.masked or self.last_year.masked:
            return None
        return change(self.current.value, self.last_year.value)


@dataclass
class Breakdown:
    """One unit's (commune, agency or province) figures: {(element id, category): Total}."""

    key: str
    name: str
    cells: dict[tuple[int, str], Total] = field(default_factory=dict)
    as_of: dt.datetime | None = None
    pending: bool = False
    coverage: Coverage | None = None  # a province of the nation report: its own units

    @property
    def approved(self) -> bool:
        return bool(self.cells) and not self.pending


@dataclass
class Report:
    form: Form
    period: Period
    province: Any  # geo.Province, or None for the nation
    include_submitted: bool
    rows: list[Row]
    as_of: dt.datetime | None
    pending: bool
    units: list[Breakdown] = field(default_factory=list)  # by commune/agency, or by province (nation)
    # Reports with data in the current period: the largest number of values of one element and
    # category (every report gives at most one), so no extra query is needed.
    reported: int = 0
    generated_at: dt.datetime = field(default_factory=timezone.now)
    kind: str = ""
    coverage: Coverage = field(default_factory=lambda: Coverage(0, 0, 0, "commune"))
    suppressed: bool = False  # small counts of people masked (`reporting.services.suppression`)

    @property
    def kind_label(self) -> str:
        """ "Báo cáo quý — Quý II/2026"."""
        return kind_label(self.kind, self.period.id)

    @property
    def previous(self) -> Period:
        return self.period.previous()

    @property
    def last_year(self) -> Period:
        return self.period.same_period_last_year()

    def total(self, code: str, category: str = "") -> Decimal | None:
        for row in self.rows:
            if row.element.code == code and row.category == category:
                return row.current.value
        return None


def form_lines(
    form: Form, period_id: str | None = None, province: str | None = None
) -> list[tuple[DataElement, str, str]]:
    """(element, category, section name) in the form's order. With a period: the lines of the
    form versions its reports (in `province`, or anywhere) were entered under (newest first, then
    what only older ones had), so that a form edited later never hides or changes a past report;
    two queries (the versions' ids, their elements). Without (or when no report of the period has a
    version): the form as it stands; one query."""
    if period_id is not None:
        from reporting.services.versions import elements_of, used_in

        used = used_in(form, period_id, province)
        if used:
            elements = elements_of(used)
            lines, seen = [], set()
            for version in used:
                for section in version.snapshot["sections"]:
                    for element_id, _, _ in section["items"]:
                        element = elements.get(element_id)
                        if element is None or element_id in seen:
                            continue
                        seen.add(element_id)
                        if element.value_type in (DataElement.ValueType.TEXT, "date"):
                            continue
                        lines += [(element, category, section["name"]) for category in element.categories]
            return lines
    items = (
        FormItem.objects.filter(section__form=form)
        .select_related("element__category_combo", "section")
        .order_by("section__order", "section_id", "order", "id")
    )
    lines = []
    for item in items:
        element = item.element
        if element.value_type in (DataElement.ValueType.TEXT, "date"):
            continue
        for category in element.categories:
            lines.append((element, category, item.section.name))
    return lines


def _rows(
    lines: list[tuple[DataElement, str, str]], sums: dict[tuple[str, int, str], Partial], period: Period, level: str
) -> list[Row]:
    prev, last = period.previous().id, period.same_period_last_year().id
    rows = []
    for element, category, section in lines:

        def total(pid: str, element: DataElement = element, category: str = category) -> Total:
            return Total.of(sums.get((pid, element.pk, category), EMPTY), element.aggregation)

        note = source_note(element, level)
        rows.append(Row(element, category, section, total(period.id), total(prev), total(last), note))
    return rows


def _coverage(current: Iterable[Partial], expected: int, level: str) -> Coverage:
    parts = list(current)
    return Coverage(
        max((p.count for p in parts), default=0), max((p.approved for p in parts), default=0), expected, level
    )


def expected_units(
    *, form: Form | None = None, level: str = "", kind: str, provinces: Iterable[str] | None = None
) -> dict[str, int]:
    """{province code: number of units the active schedules of `form` (or of every form of
    `level`) and `kind` ask to report} (communes for a commune form, agencies for an agency
    form). One small statement, written out: it runs beside every total, and building it through
    the ORM (nested subqueries) cost more than running it."""
    from django.db import connections, router

    from reporting.models import Schedule

    sql, args = _expected_sql(form=form, level=level, kind=kind, provinces=provinces)
    with connections[router.db_for_read(Schedule)].cursor() as cursor:
        cursor.execute(sql, args)
        return {province: n for province, n in cursor.fetchall()}


def _expected_sql(
    *, form: Form | None, level: str, kind: str, provinces: Iterable[str] | None
) -> tuple[str, list[Any]]:
    """`SELECT province_id, units … GROUP BY province_id` for `expected_units`."""
    from geo.models import Commune
    from reporting.models import Schedule

    sched, form_table = Schedule._meta.db_table, Form._meta.db_table
    where = ["s.frequency = %s", "s.is_active = %s"]
    params: list[Any] = [kind, True]
    if form is not None:
        where.append("s.form_id = %s")
        params.append(form.pk)
    else:
        where.append(f"s.form_id IN (SELECT f.id FROM {form_table} f WHERE f.level = %s)")
        params.append(level)
    codes = list(provinces) if provinces is not None else None
    if codes is not None:
        where.append(f"s.province_id IN ({', '.join(['%s'] * len(codes))})")
        params += codes
    cond = " AND ".join(where)
    if (form.level if form is not None else level) != Form.Level.COMMUNE:
        through = Schedule.agencies.through._meta.db_table
        sql = (
            f"SELECT s.province_id AS p, COUNT(DISTINCT sa.agency_id) AS n FROM {through} sa "
            f"JOIN {sched} s ON s.id = sa.schedule_id WHERE {cond} GROUP BY s.province_id"
        )
        args = params
    else:
        through = Schedule.communes.through._meta.db_table
        outer = f" AND c.province_id IN ({', '.join(['%s'] * len(codes))})" if codes is not None else ""
        sql = (
            f"SELECT c.province_id AS p, COUNT(*) AS n FROM {Commune._meta.db_table} c WHERE "
            f"(c.province_id IN (SELECT s.province_id FROM {sched} s WHERE {cond} AND s.all_communes = %s) "
            f"OR c.code IN (SELECT sc.commune_id FROM {through} sc JOIN {sched} s ON s.id = sc.schedule_id "
            f"WHERE {cond})){outer} GROUP BY c.province_id"
        )
        args = [*params, True, *params, *(codes or [])]
    return sql, args


def default_kind(period: Period) -> str:
    return kind_of(period.id)


def _latest(totals: Iterable[Partial]) -> dt.datetime | None:
    times = [t.as_of for t in totals if t.as_of is not None]
    return max(times) if times else None


def province_report(
    *,
    form: Form,
    period: Period,
    province: Any,
    include_submitted: bool = False,
    by_unit: bool = False,
    kind: str | None = None,
) -> Report:
    """A province's totals for `form`, `kind` (default: the kind the period id names) and
    `period`, with the previous period and the same period last year (one GROUP BY), the coverage
    (one COUNT), and optionally the figures of each reporting unit (one more GROUP BY)."""
    kind = kind or default_kind(period)
    lines = form_lines(form, period.id, province.pk)
    periods = [period.id, period.previous().id, period.same_period_last_year().id]
    # The expected units: one tiny statement of their own (as a scalar subquery inside the GROUP BY
    # the database evaluated it again and again: ~2 ms more on a province's quarter in SQLite).
    sums: dict[tuple[str, int, str], Partial] = {}
    for row in _BY_PERIOD.rows(
        form=form.pk, periods=periods, statuses=statuses(include_submitted), provinces=[province.pk], kind=kind
    ):
        sums[(row["submission__period"], row["element_id"], row["category"])] = to_partial(row)
    expected = expected_units(form=form, kind=kind, provinces=[province.pk]).get(province.pk, 0)
    current = [p for (pid, _, _), p in sums.items() if pid == period.id]
    report = Report(
        form,
        period,
        province,
        include_submitted,
        _rows(lines, sums, period, form.level),
        _latest(current),
        any(p.pending for p in current),
        kind=kind,
    )
    report.coverage = _coverage(current, expected, form.level)
    report.reported = report.coverage.reported
    if by_unit:
        report.units = unit_breakdown(
            form=form, period=period, province=province, include_submitted=include_submitted, lines=lines, kind=kind
        )
    return report


def unit_breakdown(
    *,
    form: Form,
    period: Period,
    province: Any,
    include_submitted: bool,
    lines: list[tuple[DataElement, str, str]] | None = None,
    kind: str | None = None,
) -> list[Breakdown]:
    """Each expected unit of the form and kind in the province (communes or agencies), with its
    figures; units that have not reported (or whose report is not approved) are listed empty."""
    from agencies.models import Agency
    from geo.models import Commune
    from reporting.models import Schedule

    lines = lines if lines is not None else form_lines(form, period.id, province.pk)
    aggregation = {element.pk: element.aggregation for element, _, _ in lines}
    is_commune = form.level == Form.Level.COMMUNE
    unit_field = "submission__commune_id" if is_commune else "submission__agency_id"
    kind = kind or default_kind(period)
    by_unit = _BY_COMMUNE if is_commune else _BY_AGENCY
    units: dict[str, Breakdown] = {}
    for row in by_unit.rows(
        form=form.pk, periods=[period.id], statuses=statuses(include_submitted), provinces=[province.pk], kind=kind
    ):
        key = str(row[unit_field])
        unit = units.setdefault(key, Breakdown(key, ""))
        part = to_partial(row)
        unit.cells[(row["element_id"], row["category"])] = Total.of(part, aggregation.get(row["element_id"], "sum"))
        unit.pending = unit.pending or bool(part.pending)
        if part.as_of and (unit.as_of is None or part.as_of > unit.as_of):
            unit.as_of = part.as_of
    schedules = Schedule.objects.filter(form=form, province=province, is_active=True, frequency=kind)
    if is_commune:
        expected = Commune.objects.filter(province=province)
        if not schedules.filter(all_communes=True).exists():
            expected = expected.filter(schedules__in=schedules).distinct()
        names = dict(expected.values_list("code", "name"))
        names.update(Commune.objects.filter(code__in=[k for k in units if k not in names]).values_list("code", "name"))
    else:
        ids = set(schedules.values_list("agencies", flat=True)) | {int(k) for k in units}
        names = {str(pk): name for pk, name in Agency.objects.filter(pk__in=ids - {None}).values_list("pk", "name")}
    out = [units.get(key) or Breakdown(key, "") for key in names]
    for unit in out:
        unit.name = names[unit.key]
    out.sort(key=lambda u: vn_sort_key(u.name))
    return out


def nation_report(*, form: Form, period: Period, include_submitted: bool = False, kind: str | None = None) -> Report:
    """Nation totals from province partials (one GROUP BY by province), and each province's
    figures and coverage (one COUNT of expected units by province)."""
    from geo.models import Province

    kind = kind or default_kind(period)
    lines = form_lines(form, period.id)
    aggregation = {element.pk: element.aggregation for element, _, _ in lines}
    periods = [period.id, period.previous().id, period.same_period_last_year().id]
    sums: dict[tuple[str, int, str], Partial] = defaultdict(Partial)
    by_province: dict[str, Breakdown] = {}
    province_parts: dict[str, list[Partial]] = defaultdict(list)
    for row in _BY_PROVINCE.rows(form=form.pk, periods=periods, statuses=statuses(include_submitted), kind=kind):
        part = to_partial(row)
        key = (row["submission__period"], row["element_id"], row["category"])
        sums[key] = sums[key] + part
        if row["submission__period"] == period.id:
            province_parts[row["submission__province_id"]].append(part)
            unit = by_province.setdefault(row["submission__province_id"], Breakdown(row["submission__province_id"], ""))
            unit.cells[(row["element_id"], row["category"])] = Total.of(part, aggregation.get(row["element_id"], "sum"))
            unit.pending = unit.pending or bool(part.pending)
            if part.as_of and (unit.as_of is None or part.as_of > unit.as_of):
                unit.as_of = part.as_of
    current = [p for (pid, _, _), p in sums.items() if pid == period.id]
    report = Report(
        form,
        period,
        None,
        include_submitted,
        _rows(lines, sums, period, form.level),
        _latest(current),
        any(p.pending for p in current),
        kind=kind,
    )
    names = dict(Province.objects.values_list("code", "name"))
    expected = expected_units(form=form, kind=kind)
    report.units = [by_province.get(code) or Breakdown(code, "") for code in names]
    coverage = Coverage(0, 0, 0, form.level)
    for unit in report.units:
        unit.name = names[unit.key]
        parts = province_parts.get(unit.key, [])
        unit.coverage = _coverage(parts, expected.get(unit.key, 0), form.level)
        coverage = coverage + unit.coverage
    report.coverage = coverage
    report.reported = coverage.reported
    return report


def available_periods(*, form: Form, province: Any | None, kind: str | None = None) -> list[str]:
    """Period ids with any submitted or approved report for the form (and kind), newest first."""
    return [pid for k, pid in available(form=form, province=province) if kind is None or k == kind]


def available(*, form: Form, province: Any | None) -> list[tuple[str, str]]:
    """(kind, period id) with any submitted or approved report for the form, newest first; an
    annual and a one-off report of 2026 are two entries."""
    qs = Submission.objects.filter(schedule__form=form, status__in=[APPROVED, SUBMITTED])
    if province is not None:
        qs = qs.filter(province=province)
    pairs = set(qs.order_by().values_list("kind", "period").distinct())
    order = list(KINDS)
    return sorted(
        pairs, key=lambda kp: (_period_key(kp[1]), -order.index(kp[0]) if kp[0] in order else 0), reverse=True
    )


def _period_key(pid: str) -> tuple[int, str]:
    return (int(pid[:4]) if pid[:4].isdigit() else 0, pid)
