"""A province at a glance: tasks behind by agency, reports of the current period, indicators
against their targets with their coverage, the QĐ 28 picture and what changed in the last week.

Read by the leader's and the Standing Office's home pages, the province map and the national
comparison. Figures are exact; the page decides what to suppress (`core.suppression`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.utils import timezone

from access.policy import reach
from accounts.models import User
from areas.models import NATIONAL_TARGETS, SHORT_CLASS_LABELS, CommuneAssessment, LegalBasis, ProvinceTarget, Status
from areas.rules import CLASS_I, CLASS_II, CLASS_III, DRUG_FREE, UNCLASSIFIED
from areas.selectors import current_year, share
from core.suppression import PEOPLE_UNIT
from dashboard.services import reports
from dashboard.services.cache import cached
from geo.models import Commune, Province
from plans.models import Task, TaskStatus, today
from plans.services import tracking
from reporting.models import Submission

CLASS_KEYS = (DRUG_FREE, CLASS_III, CLASS_II, CLASS_I, UNCLASSIFIED)
CLASS_COLOURS = {
    DRUG_FREE: "#1a7f37",
    CLASS_III: "#d4a72c",
    CLASS_II: "#e16f24",
    CLASS_I: "#b3261e",
    UNCLASSIFIED: "#6e7781",
    "none": "#d0d7de",
}


@dataclass
class AgencyLoad:
    agency_id: int | None
    name: str
    overdue: int
    due_soon: int
    total: int


@dataclass
class Classification:
    year: int
    communes: int
    counts: dict[str, int]  # approved QĐ 28 class of the year → communes
    approved: int
    pending: int  # submitted or forwarded, not yet approved
    drug_free_share: Decimal | None
    target: Decimal | None

    def rows(self) -> list[tuple[str, str, str, int]]:
        """(key, label, colour, count) in the legend's order, with the communes not yet classified."""
        out = [(k, SHORT_CLASS_LABELS[k], CLASS_COLOURS[k], self.counts.get(k, 0)) for k in CLASS_KEYS]
        out.append(("none", "Chưa có kết quả phê duyệt", CLASS_COLOURS["none"], self.communes - self.approved))
        return out


@dataclass
class IndicatorFigure:
    code: str
    name: str
    unit: str
    decimals: int
    value: Decimal | None
    goal: str
    status: str
    status_label: str
    status_css: str
    trend: list[tuple[str, float | None]] = field(default_factory=list)

    @property
    def counts_people(self) -> bool:
        return self.unit == PEOPLE_UNIT


@dataclass
class Indicators:
    period_label: str
    period_id: str
    figures: list[IndicatorFigure]
    reporting_communes: int
    communes: int


@dataclass
class Changes:
    since: dt.date
    tasks_done: int
    tasks_newly_overdue: int
    reports_received: int
    reports_approved: int
    classes_approved: int


@dataclass
class ProvinceBriefing:
    province: Province
    on: dt.date
    communes: int
    agencies_reporting: int
    tasks: tracking.Counts
    agency_loads: list[AgencyLoad]
    rates: list[reports.PeriodRate]
    trend: list[reports.PeriodRate]
    classification: Classification
    indicators: Indicators | None
    changes: Changes

    @property
    def worst_agency(self) -> AgencyLoad | None:
        return self.agency_loads[0] if self.agency_loads and self.agency_loads[0].overdue else None


def agency_loads(tasks: Any, on: dt.date, limit: int = 8) -> list[AgencyLoad]:
    """Lead agencies with tasks overdue or due within 7 days, worst first (two queries)."""
    rows = {r.key: r for r in tracking.matrix(tasks, on)}
    soon = dict(
        tasks.order_by()
        .values("lead_agency_id")
        .annotate(n=Count("pk", filter=tracking.due_q("7", on)))
        .values_list("lead_agency_id", "n")
    )
    out = [
        AgencyLoad(key, r.label, r.counts.overdue, soon.get(key, 0), r.counts.total)
        for key, r in rows.items()
        if r.counts.overdue or soon.get(key, 0)
    ]
    out.sort(key=lambda a: (-a.overdue, -a.due_soon, a.name))
    return out[:limit]


def classification(province_code: str, communes: int, year: int | None = None) -> Classification:
    """Approved QĐ 28 classes of the year, the drug-free share and the roadmap target."""
    year = year or current_year()
    counts: dict[str, int] = {}
    approved = pending = 0
    rows = (
        CommuneAssessment.objects.filter(commune__province_id=province_code, year=year, legal_basis=LegalBasis.QD28)
        .values("status", "approved_class")
        .annotate(n=Count("id"))
    )
    for r in rows:
        if r["status"] == Status.APPROVED:
            counts[r["approved_class"]] = counts.get(r["approved_class"], 0) + r["n"]
            approved += r["n"]
        elif r["status"] in (Status.SUBMITTED, Status.FORWARDED):
            pending += r["n"]
    override = (
        ProvinceTarget.objects.filter(province_id=province_code, year=year)
        .values_list("share_percent", flat=True)
        .first()
    )
    target = override if override is not None else NATIONAL_TARGETS.get(year)
    return Classification(year, communes, counts, approved, pending, share(counts.get(DRUG_FREE, 0), communes), target)


def figures_of(board: Any) -> list[IndicatorFigure]:
    """The cards of an indicator dashboard (`indicators.services.dashboard`) as home-page figures."""
    out = []
    for card in board.cards:
        ind, cell = card.indicator, card.cell
        out.append(
            IndicatorFigure(
                ind.code,
                ind.name,
                ind.unit,
                ind.decimals,
                cell.value,
                cell.goal.label if cell.goal is not None else "",
                cell.status,
                cell.label,
                cell.css,
                [(label, None if v is None else round(float(v), ind.decimals)) for label, v in card.trend],
            )
        )
    return out


def reporting_communes(year: int, province: Province | None) -> int:
    """Communes with an approved report of a period of the year (the indicators' coverage)."""
    from indicators.services import period_ids
    from reporting.periods import make

    qs = Submission.objects.filter(
        status=Submission.Status.APPROVED, commune__isnull=False, period__in=period_ids(make("annual", year))
    )
    if province is not None:
        qs = qs.filter(province_id=province.pk)
    return qs.values("commune_id").distinct().count()


def indicator_figures(province: Province, year: int) -> Indicators | None:
    """The province's indicator cards of the year and how many of its communes they come from."""
    from indicators import services as indicator_services
    from reporting.periods import make

    period = make("annual", year)
    board = indicator_services.dashboard(period=period, province=province)
    if not board.cards:
        return None
    return Indicators(
        period.label,
        period.id,
        figures_of(board),
        reporting_communes(year, province),
        Commune.objects.filter(province_id=province.pk).count(),
    )


def changes(province_code: str, on: dt.date) -> Changes:
    """What moved in the last seven days."""
    since = on - dt.timedelta(days=7)
    tasks = tracking.active_tasks(Task.objects.filter(province_id=province_code))
    t = tasks.aggregate(
        done=Count("pk", filter=Q(status=TaskStatus.DONE, completed_on__gte=since)),
        late=Count(
            "pk",
            filter=tracking.bucket_q(tracking.Bucket.OVERDUE, on) & Q(deadline__gte=since),
        ),
    )
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    s = Submission.objects.filter(province_id=province_code).aggregate(
        received=Count("pk", filter=Q(first_submitted_at__gte=start)),
        approved=Count("pk", filter=Q(status=Submission.Status.APPROVED, reviewed_at__gte=start)),
    )
    classes = CommuneAssessment.objects.filter(
        commune__province_id=province_code, status=Status.APPROVED, approved_at__gte=start
    ).count()
    return Changes(since, t["done"], t["late"], s["received"], s["approved"], classes)


def _briefing(province: Province, on: dt.date) -> ProvinceBriefing:
    tasks = tracking.active_tasks(Task.objects.filter(province=province))
    communes = Commune.objects.filter(province=province).count()
    schedules = reports.active_schedules(province=province)
    rates = reports.current_rates(schedules, on)
    commune_schedule = next((s for s in schedules if s.all_communes), schedules[0] if schedules else None)
    from agencies.models import Agency

    return ProvinceBriefing(
        province=province,
        on=on,
        communes=communes,
        agencies_reporting=Agency.objects.filter(province=province, schedules__is_active=True).distinct().count(),
        tasks=tracking.count_queryset(tasks, on),
        agency_loads=agency_loads(tasks, on),
        rates=rates,
        trend=reports.trend_rates(commune_schedule, on) if commune_schedule else [],
        classification=classification(province.pk, communes),
        indicators=indicator_figures(province, on.year),
        changes=changes(province.pk, on),
    )


def province_briefing(user: User, province: Province) -> ProvinceBriefing:
    """The province's figures, for a viewer who reads the whole province (the same for every
    such viewer, so they are cached per province); anyone else is refused."""
    if not reach(user, "consolidation.read").covers_province(province.pk):
        raise PermissionDenied
    on = today()
    return cached(f"province:{province.pk}", lambda: _briefing(province, on))
