"""Provinces side by side for the national monitor: aggregates only, never a name.

Per province: communes, report completeness of the current period (all of its schedules),
tasks overdue, the QĐ 28 picture (approved classes, drug-free share against the target) and
the key indicators with the number of communes they come from. Computed for every viewer with
a national reach and cached briefly (`dashboard.services.cache`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count

from access.policy import reach
from accounts.models import User
from areas.selectors import current_year, nation_summary
from dashboard.services import reports
from dashboard.services.cache import cached
from dashboard.services.province import IndicatorFigure, figures_of
from geo.models import Commune, Province
from plans.models import Task, today
from plans.services import tracking
from reporting.models import Submission

KEY_INDICATORS = 3


@dataclass
class ProvinceRow:
    code: str
    name: str
    lat: float | None
    lon: float | None
    communes: int = 0
    reports: reports.Tally = field(default_factory=reports.Tally)
    period_label: str = ""
    tasks_overdue: int = 0
    tasks_total: int = 0
    approved: int = 0
    classes: dict[str, int] = field(default_factory=dict)
    drug_free_share: Decimal | None = None
    target: Decimal | None = None
    target_met: bool = False
    indicators: list[tuple[Decimal | None, str]] = field(default_factory=list)  # (value, status css)
    reporting_communes: int = 0

    @property
    def completeness(self) -> float | None:
        return self.reports.percent


@dataclass
class Nation:
    on: dt.date
    year: int
    rows: list[ProvinceRow]
    indicators: list[IndicatorFigure]  # the national cards (their trend feeds the chart)
    trend: list[tuple[str, float | None]]  # national completeness of commune reports by period

    def row(self, code: str) -> ProvinceRow | None:
        return next((r for r in self.rows if r.code == code), None)

    @property
    def totals(self) -> ProvinceRow:
        t = ProvinceRow("", "Toàn quốc", None, None)
        for r in self.rows:
            t.communes += r.communes
            t.reports.add(r.reports)
            t.tasks_overdue += r.tasks_overdue
            t.tasks_total += r.tasks_total
            t.approved += r.approved
            t.reporting_communes += r.reporting_communes
        return t


def _completeness_trend(schedules: list[Any], on: dt.date, count: int = 6) -> list[tuple[str, float | None]]:
    """Completeness of the communes' reports, all provinces together, over the last periods due
    (every schedule's periods counted in one `period_rates` call)."""
    pairs = [(s, p) for s in schedules if s.all_communes for p in reports.due_periods(s, on, count)]
    by_period: dict[str, tuple[str, reports.Tally]] = {}
    for rate in reports.period_rates(pairs):
        label, tally = by_period.setdefault(rate.period.id, (rate.period.label, reports.Tally()))
        tally.add(rate.communes)
    keys = sorted(by_period)[-count:]
    return [(by_period[k][0], by_period[k][1].percent) for k in keys]


def _nation(on: dt.date) -> Nation:
    year = current_year()
    rows = {p.code: ProvinceRow(p.code, p.name, p.lat, p.lon) for p in Province.objects.order_by("code")}
    for code, n in Commune.objects.values("province_id").annotate(n=Count("code")).values_list("province_id", "n"):
        rows[code].communes = n
    schedules = reports.active_schedules()
    for rate in reports.current_rates(schedules, on):
        row = rows[rate.province_id]
        row.reports.add(rate.total)
        row.period_label = row.period_label or rate.period.label
    tasks = tracking.active_tasks(Task.objects.all())
    for r in (
        tasks.order_by()
        .values("province_id")
        .annotate(overdue=Count("pk", filter=tracking.bucket_q(tracking.Bucket.OVERDUE, on)), total=Count("pk"))
    ):
        rows[r["province_id"]].tasks_overdue, rows[r["province_id"]].tasks_total = r["overdue"], r["total"]
    for s in nation_summary(year):
        row = rows[s["code"]]
        row.approved = s["approved"]
        row.classes = {k: s[k] for k in ("drug_free", "III", "II", "I", "unclassified")}
        row.drug_free_share, row.target, row.target_met = s["share"], s["target"], s["met"]
    from indicators import services as indicator_services
    from reporting.periods import make

    period = make("annual", on.year)
    board = indicator_services.dashboard(period=period, province=None)
    figures = figures_of(board)
    for unit in board.units:
        if unit.key in rows:
            rows[unit.key].indicators = [(c.value, c.css) for c in unit.cells[:KEY_INDICATORS]]
    reporting = (
        Submission.objects.filter(
            status=Submission.Status.APPROVED,
            commune__isnull=False,
            period__in=indicator_services.period_ids(period),
        )
        .values("province_id")
        .annotate(n=Count("commune_id", distinct=True))
    )
    for r in reporting:
        rows[r["province_id"]].reporting_communes = r["n"]
    return Nation(on, year, list(rows.values()), figures[:KEY_INDICATORS], _completeness_trend(schedules, on))


def nation(user: User) -> Nation:
    """Every province's aggregates (the same for every national viewer, so cached once); only
    for a national reach of `completeness.nation`."""
    if not reach(user, "completeness.nation").nation:
        raise PermissionDenied
    on = today()
    return cached("nation", lambda: _nation(on))
