"""Report completeness of whole periods, for many schedules at once (home pages, the nation).

`reporting.services.completeness` draws one schedule's units × periods matrix; the home pages
need only the totals of a period for every schedule of a province, or of the country, so this
module counts them with a fixed number of queries whatever the number of schedules: the
agencies and communes expected, and the reports received (a report counts when submitted or
approved; on time when first submitted by the end of the due day, as in the matrix).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from geo.models import Commune
from reporting import periods as P
from reporting.models import Schedule, Submission
from reporting.services import completeness as C
from reporting.services import schedules as S


@dataclass
class Tally:
    expected: int = 0
    on_time: int = 0
    late: int = 0

    @property
    def received(self) -> int:
        return self.on_time + self.late

    @property
    def missing(self) -> int:
        return max(0, self.expected - self.received)

    @property
    def percent(self) -> float | None:
        return 100 * self.received / self.expected if self.expected else None

    def add(self, other: Tally) -> None:
        self.expected += other.expected
        self.on_time += other.on_time
        self.late += other.late


@dataclass
class PeriodRate:
    """One schedule's reports for one period, split by kind of reporting unit."""

    schedule_id: int
    schedule_name: str
    province_id: str
    period: P.Period
    due: dt.date
    closes: dt.date
    communes: Tally = field(default_factory=Tally)
    agencies: Tally = field(default_factory=Tally)

    @property
    def total(self) -> Tally:
        t = Tally()
        t.add(self.communes)
        t.add(self.agencies)
        return t

    @property
    def is_due(self) -> bool:
        return self.due < S.today()

    @property
    def closed_missing(self) -> int:
        """Units that have not reported although entry has closed (a lock exception is needed)."""
        return self.total.missing if self.closes < S.today() else 0


def reference_period(schedule: Schedule, on: dt.date) -> P.Period | None:
    """The period a home page reports on: the latest one already due, else the one under way."""
    periods = S.schedule_periods(schedule, until=on)
    due = [p for p in periods if S.due_date(schedule, p) < on]
    if due:
        return due[-1]
    return periods[-1] if periods else None


def _expected(schedules: list[Schedule]) -> tuple[dict[int, int], dict[int, int]]:
    """(agencies, communes) expected per schedule id: three queries."""
    ids = [s.pk for s in schedules]
    agencies = {
        r["schedule_id"]: r["n"]
        for r in Schedule.agencies.through.objects.filter(schedule_id__in=ids)
        .values("schedule_id")
        .annotate(n=Count("agency_id"))
    }
    listed = {
        r["schedule_id"]: r["n"]
        for r in Schedule.communes.through.objects.filter(schedule_id__in=ids)
        .values("schedule_id")
        .annotate(n=Count("commune_id"))
    }
    wide = {s.province_id for s in schedules if s.all_communes}
    per_province = dict(
        Commune.objects.filter(province_id__in=sorted(wide))
        .values("province_id")
        .annotate(n=Count("code"))
        .values_list("province_id", "n")
    )
    communes = {s.pk: per_province.get(s.province_id, 0) if s.all_communes else listed.get(s.pk, 0) for s in schedules}
    return agencies, communes


def period_rates(pairs: Iterable[tuple[Schedule, P.Period]]) -> list[PeriodRate]:
    """Totals of each (schedule, period) pair, in four queries."""
    pairs = list(pairs)
    if not pairs:
        return []
    schedules = list({s.pk: s for s, _ in pairs}.values())
    agencies, communes = _expected(schedules)
    rates: dict[tuple[int, str], PeriodRate] = {}
    match = Q()
    for s, period in pairs:
        rate = PeriodRate(s.pk, s.name, s.province_id, period, S.due_date(s, period), S.close_date(s, period))
        rate.agencies.expected, rate.communes.expected = agencies.get(s.pk, 0), communes.get(s.pk, 0)
        rates[(s.pk, period.id)] = rate
        match |= Q(schedule_id=s.pk, period=period.id)
    tz = timezone.get_current_timezone()
    rows = Submission.objects.filter(match, status__in=C.RECEIVED).values_list(
        "schedule_id", "period", "agency_id", "first_submitted_at"
    )
    for schedule_id, period_id, agency_id, first in rows:
        rate = rates[(schedule_id, period_id)]
        tally = rate.agencies if agency_id else rate.communes
        if first is not None and first.astimezone(tz).date() <= rate.due:
            tally.on_time += 1
        else:
            tally.late += 1
    return list(rates.values())


def current_rates(schedules: Iterable[Schedule], on: dt.date | None = None) -> list[PeriodRate]:
    """Each active schedule's reference period (see `reference_period`)."""
    on = on or S.today()
    pairs = []
    for s in schedules:
        period = reference_period(s, on)
        if period is not None:
            pairs.append((s, period))
    return period_rates(pairs)


def due_periods(schedule: Schedule, on: dt.date, count: int = 8) -> list[P.Period]:
    """The last `count` periods of the schedule that are already due, oldest first."""
    return [p for p in S.schedule_periods(schedule, until=on) if S.due_date(schedule, p) < on][-count:]


def trend_rates(schedule: Schedule, on: dt.date | None = None, count: int = 8) -> list[PeriodRate]:
    """The rates of the schedule's last `count` periods already due, oldest first."""
    on = on or S.today()
    return period_rates((schedule, p) for p in due_periods(schedule, on, count))


def active_schedules(**filters: object) -> list[Schedule]:
    return list(Schedule.objects.filter(is_active=True, **filters).order_by("province_id", "form_id", "id"))
