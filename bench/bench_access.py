"""Access-layer benchmarks: what "who may do what" costs on every request.

Each figure is printed with a floor measured in the same run:
- computing a user's scope and the reach of 20 features (as a page and its menu do) from the
  database vs the one query that reads the user's grants (the work it cannot avoid);
- listing an agency officer's tasks through `Task.objects.for_user` (grants → reach → filter) vs
  the same rows selected by a hand-written filter (led, cooperating, or addressed to all
  departments) on the officer's agency (5 plans × 300 tasks).
"""

from __future__ import annotations

from common import median, ms, p, setup_django, timed

REPEAT = 500


def main() -> None:
    label = setup_django()
    from bench_tasks import build_province
    from django.db.models import Q

    from access.features import FEATURES
    from access.scope import get_scope
    from accounts.models import RoleAssignment, User
    from plans.models import Task

    print(f"== access ({label}) ==")
    build_province()
    keys = list(FEATURES)[:20]

    def scope_and_reach() -> None:
        user = User.objects.get(username="syt")
        scope = get_scope(user)
        for key in keys:
            scope.reach(key)

    def grants_only() -> None:
        user = User.objects.get(username="syt")
        list(
            RoleAssignment.objects.in_force()
            .filter(user=user)
            .values_list("role", "province_id", "agency_id", "commune_id")
        )

    full, floor = timed(scope_and_reach, REPEAT), timed(grants_only, REPEAT)
    print(
        f"scope + reach of {len(keys)} features: median {ms(median(full))}, p95 {ms(p(full, 0.95))}  "
        f"(floor: user + grants query {ms(median(floor))}; ratio {median(full) / median(floor):.2f}x)"
    )

    officer = User.objects.get(username="syt")
    agency_id = officer.role_assignments.get().agency_id

    def scoped() -> None:
        user = User.objects.get(pk=officer.pk)
        list(Task.objects.for_user(user).values_list("pk", flat=True))

    def by_hand() -> None:
        User.objects.get(pk=officer.pk)
        coop = Task.cooperating.through.objects.filter(agency_id=agency_id).values("task_id")
        group = Q(province_id="66", lead_agency__kind="group", lead_agency__code="SBN")
        list(Task.objects.filter(Q(lead_agency_id=agency_id) | Q(pk__in=coop) | group).values_list("pk", flat=True))

    a, b = timed(scoped, 100), timed(by_hand, 100)
    n = Task.objects.for_user(officer).count()
    print(
        f"agency officer's tasks through for_user ({n} of {Task.objects.count()}): median {ms(median(a))}, "
        f"p95 {ms(p(a, 0.95))}  (floor: hand-written filter {ms(median(b))}; ratio {median(a) / median(b):.2f}x)"
    )


if __name__ == "__main__":
    main()
