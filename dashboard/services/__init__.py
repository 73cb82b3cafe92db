"""What each role's home page shows, computed with a handful of aggregate queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, Sum

from access.policy import can, reach
from access.scope import get_scope
from accounts.models import User
from agencies.models import Agency
from geo.models import Commune, CommuneKind, Population, Province


@dataclass
class ProvinceSummary:
    province: Province
    communes: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    population: int | None = None
    population_year: int | None = None
    communes_with_population: int = 0
    agencies: int = 0
    users: int = 0
    inactive_users: int = 0


def latest_population_year(province_codes: Any) -> int | None:
    return (
        Population.objects.filter(commune__province_id__in=province_codes)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )


def province_summary(province: Province, *, with_users: bool = False) -> ProvinceSummary:
    """Counts of a province's communes by type, population, agencies (and accounts)."""
    s = ProvinceSummary(province=province)
    kinds = dict(CommuneKind.choices)
    for row in Commune.objects.filter(province=province).values("kind").annotate(n=Count("code")):
        s.by_kind[kinds[row["kind"]]] = row["n"]
        s.communes += row["n"]
    year = latest_population_year([province.code])
    if year:
        agg = Population.objects.filter(commune__province=province, year=year).aggregate(
            total=Sum("population"), n=Count("id")
        )
        s.population, s.population_year, s.communes_with_population = agg["total"], year, agg["n"]
    s.agencies = Agency.objects.filter(province=province, is_active=True, legacy=False).count()
    if with_users:
        agg = User.objects.filter(province=province).aggregate(
            n=Count("id"), off=Count("id", filter=Q(is_active=False))
        )
        s.users, s.inactive_users = agg["n"], agg["off"]
    return s


def nation_rows() -> list[dict[str, Any]]:
    """One row per province: its communes by type."""
    rows = {
        p["code"]: {**p, "communes_n": 0, "xa": 0, "phuong": 0, "dac_khu": 0}
        for p in Province.objects.values("code", "name")
    }
    for r in Commune.objects.values("province_id", "kind").annotate(n=Count("code")):
        row = rows[r["province_id"]]
        row[r["kind"]] = r["n"]
        row["communes_n"] += r["n"]
    return list(rows.values())


def task_alerts(user: User) -> dict[str, Any] | None:
    """Overdue and due-within-7-days tasks: the user's own (agency, commune officers) or the
    province's (Standing Office). One aggregate query; None for other roles."""
    from plans.models import Task, today
    from plans.services import tracking

    mine = can(user, "task.mine")
    if not mine and not can(user, "task.manage"):
        return None
    on = today()
    counts = tracking.active_tasks(Task.objects.for_user(user)).aggregate(
        overdue=Count("pk", filter=tracking.due_q("overdue", on)),
        due7=Count("pk", filter=tracking.due_q("7", on)),
    )
    return {**counts, "mine": mine}


def home_context(user: User, params: Any = None) -> dict[str, Any]:
    """Sections of the home page for every role the user holds, each an answer to that role's
    question (see the module docstrings of `province`, `queue`, `units` and `nation`)."""
    from dashboard.services import charts, nation, province, queue, units

    params = params or {}
    scope = get_scope(user)
    ctx: dict[str, Any] = {"scope": scope, "reveal": can(user, "registry.read_named"), "charts": {}}
    office = reach(user, "plan.manage").provinces
    leader = reach(user, "consolidation.read").provinces - office
    ctx["office_summaries"] = [
        province_summary(p, with_users=True) for p in Province.objects.filter(code__in=sorted(office))
    ]
    ctx["office_briefings"] = []
    for s in ctx["office_summaries"]:
        b = province.province_briefing(user, s.province)
        ctx["office_briefings"].append((s, b, queue.office_queue(user, b.rates)))
        ctx["charts"].update(charts.province_charts(b, reveal=ctx["reveal"]))
    ctx["leader_briefings"] = []
    for p in Province.objects.filter(code__in=sorted(leader)):
        b = province.province_briefing(user, p)
        ctx["leader_briefings"].append(b)
        ctx["charts"].update(charts.province_charts(b, reveal=ctx["reveal"]))
    units_reach = reach(user, "task.mine")
    cases = reach(user, "registry.read_named")
    ctx["agencies"] = list(Agency.objects.filter(pk__in=sorted(units_reach.agencies)).select_related("province"))
    communes = list(
        Commune.objects.filter(code__in=sorted(units_reach.communes | cases.communes)).select_related("province")
    )
    pops: dict[str, Population] = {}
    for pop in Population.objects.filter(commune__in=communes).order_by("commune_id", "-year"):
        pops.setdefault(pop.commune_id, pop)
    ctx["communes"] = [(c, pops.get(c.code)) for c in communes]
    ctx["case_scope"] = sorted(cases.all_provinces)
    ctx["area_communes"] = reach(user, "area.assess").communes
    ctx["task_alerts"] = task_alerts(user)
    ctx["unit_home"] = bool(units_reach or reach(user, "submission.enter"))
    if ctx["unit_home"]:
        from reporting.services.entry import due_items

        items = due_items(user)
        ctx["due"] = units.due_from_me(user, items)
        ctx["returned"] = units.returned_to_me(user, items)
        ctx["charts"].update(charts.unit_charts(units.completed_by_month(user)))
    if can(user, "role.approve"):
        from accounts.services import pending_for

        ctx["pending_grants"] = pending_for(user).count()
    if reach(user, "completeness.nation").nation:
        n = nation.nation(user)
        ctx["monitor"] = n
        ctx["compare"] = compare(n, params.get("a", ""), params.get("b", ""))
        ctx["compare_indicators"] = [
            (f, [r.indicators[i][0] if i < len(r.indicators) else None for r in ctx["compare"]])
            for i, f in enumerate(n.indicators)
        ]
        ctx["charts"].update(charts.nation_charts(n))
    elif reach(user, "commune.list").nation:
        ctx["nation"] = nation_rows()
    return ctx


def compare(n: Any, a: str, b: str) -> list[Any]:
    """The two provinces chosen for the side-by-side view (default: the two with most communes)."""
    by_size = sorted(n.rows, key=lambda r: (-r.communes, r.code))
    first = n.row(a) or (by_size[0] if by_size else None)
    second = n.row(b) or next((r for r in by_size if r is not first), None)
    return [r for r in (first, second) if r is not None]
