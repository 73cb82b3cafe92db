"""Reporting at national scale: consolidation and import against the SQL they wrap.

Generates the national dataset (34 provinces, 3,321 communes, the starter commune form, 5 years of
quarters ≈ 2.9 million values; `--scale 0.1` for a tenth of the communes), then prints:
- consolidation of one quarter for one province (Đắk Lắk) and for the nation — totals, coverage
  ("x/102 xã có số liệu đã duyệt") and the expected-unit count — each with its ratio to the raw SQL
  GROUP BY of the same totals with the coverage counts added (sum, count, max, pending, data time,
  approved and positive values), measured in the same run (goal ≤ 1.5×, issue 10), and to the
  totals alone;
- importing 100,000 values from CSV (validation, history, submissions) with its ratio to a bare
  bulk insert of 100,000 values.
Standalone: `python bench/bench_reporting_scale.py [--scale 1.0] [--years 5]`; PostgreSQL with DATABASE_URL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from common import median, ms, p, setup_django, timed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0, help="share of each province's communes (default: all)")
    parser.add_argument("--years", type=int, default=5)
    args = parser.parse_args()
    label = setup_django()
    from django.db import connection

    from accounts.models import User
    from demo.personas import seed_demo
    from geo.models import Commune, Province
    from geo.services import load_admin_units
    from reporting.management.commands.generate_national_dataset import generate, quarters
    from reporting.models import DataElement, DataValue, Form, FormItem, Schedule, Submission
    from reporting.services import consolidation, exchange
    from reporting.services import schedules as S
    from reporting.services.catalogue import load_starter_catalogue

    print(f"== reporting at scale ({label}) ==")
    load_admin_units()
    seed_demo()
    load_starter_catalogue()
    started = time.perf_counter()
    totals = generate(years=args.years, scale=args.scale)
    took = time.perf_counter() - started
    values = DataValue.objects.count()
    print(
        f"generate: {totals['submissions']:,} approved reports, {values:,} values in {took:.0f} s "
        f"({values / took:,.0f} values/s; scale {args.scale}, {args.years} years)"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")

    form = Form.objects.get(code="XA_QUY")
    period = quarters(args.years)[-1]
    ids = [period.id, period.previous().id, period.same_period_last_year().id]
    province = Province.objects.get(code="66")

    def raw(group: list[str], provinces: list[str] | None, coverage: bool = True) -> object:
        # The totals' GROUP BY with the coverage counts added (issue 10: approved values, positive
        # values), executed on a bare cursor: the floor. `coverage=False`: the totals alone.
        from django.db.models import Count, Max, Q, Sum

        counts = (
            {
                "approved": Count("id", filter=Q(submission__status="approved")),
                "positive": Count("id", filter=Q(value__gt=0)),
            }
            if coverage
            else {}
        )

        qs = consolidation.base_values(
            form=form, periods=ids, include_submitted=False, provinces=provinces, kind=period.frequency
        )
        bare = (
            qs.filter(value__isnull=False)
            .values(*group)
            .annotate(
                total=Sum("value"),
                n=Count("value"),
                top=Max("value"),
                pending=Count("id", filter=Q(submission__status="submitted")),
                as_of=Max(consolidation.AS_OF),
                **counts,
            )
            .order_by()
        )
        sql, params = bare.query.sql_with_params()

        def run() -> None:
            with connection.cursor() as cur:
                cur.execute(sql, params)
                cur.fetchall()

        return run

    cases = [
        (
            "province (Đắk Lắk)",
            lambda: consolidation.province_report(form=form, period=period, province=province),
            raw(["submission__period", "element_id", "category"], ["66"]),
            raw(["submission__period", "element_id", "category"], ["66"], coverage=False),
            40,
        ),
        (
            "nation",
            lambda: consolidation.nation_report(form=form, period=period),
            raw(["submission__province_id", "submission__period", "element_id", "category"], None),
            raw(["submission__province_id", "submission__period", "element_id", "category"], None, coverage=False),
            5,
        ),
    ]
    for name, orm, bare, totals_only, n in cases:
        orm(), bare(), totals_only()  # warm caches
        a, b, c = [], [], []
        for _ in range(n):  # interleaved, so all see the same cache state
            a += timed(orm, 1)
            b += timed(bare, 1)
            c += timed(totals_only, 1)
        report = orm()
        print(
            f"consolidation {period.label}, {name}: median {ms(median(a))}, p95 {ms(p(a, 0.95))}  "
            f"(raw GROUP BY with the coverage counts median {ms(median(b))}; ratio {median(a) / median(b):.2f}x "
            f"— goal ≤ 1.5×; to the totals alone {ms(median(c))}: {median(a) / median(c):.2f}x; "
            f"{report.coverage.label})"
        )

    # Import 100,000 values through the gate every path shares: whole commune reports of the next
    # quarters, each quarter on a day its entry window is open, as the Standing Office would (the
    # values of the last generated quarter: consistent with the rules and not unusual for the unit).
    # The Standing Office of every province (the administrator holds installation features only).
    from django.utils import timezone

    from access.roles import Role
    from accounts.models import RoleAssignment

    admin, _ = User.objects.get_or_create(username="bench-thuongtruc", defaults={"full_name": "Cơ quan Thường trực"})
    for code in Province.objects.values_list("code", flat=True):
        RoleAssignment.objects.get_or_create(
            user=admin, role=Role.STANDING_OFFICE, province_id=code, defaults={"approved_at": timezone.now()}
        )
    admin = User.objects.get(pk=admin.pk)
    elements = list(
        DataElement.objects.filter(pk__in=FormItem.objects.filter(section__form=form).values("element_id"))
        .exclude(value_type__in=["text", "date"])
        .order_by("code")
    )
    source = DataValue.objects.filter(
        submission__schedule__form=form, submission__period=period.id, element__in=elements, value__isnull=False
    ).values_list("submission__commune_id", "element__code", "category", "value")
    reports: dict[str, list[str]] = {}
    for commune, code, category, number in source.order_by("submission__commune_id", "element__code", "category"):
        reports.setdefault(commune, []).append(f"{code},{{q}},{commune},{category or 'default'},{number.normalize():f}")
    header, target, q = "dataElement,period,orgUnit,categoryOptionCombo,value", 100_000, period.next()
    batches, count = [], 0
    while count < target:
        lines = []
        for report in reports.values():
            if count >= target:
                break
            lines += [line.replace("{q}", q.id) for line in report]
            count += len(report)
        batches.append((q, ("\n".join([header, *lines]) + "\n").encode(), len(lines)))
        q = q.next()
    schedule_of_66 = Schedule.objects.filter(form=form, province_id="66").first()
    communes = list(reports)
    dry = took = 0.0
    for quarter, data, n in batches:
        on = S.period_start(schedule_of_66, quarter) + dt.timedelta(days=1)
        t0 = time.perf_counter()
        rows, errors = exchange.read_csv(data)
        result = exchange.import_values(acting_user=admin, rows=rows, errors=errors, dry_run=True, on=on)
        dry += time.perf_counter() - t0
        t0 = time.perf_counter()
        rows, errors = exchange.read_csv(data)
        result = exchange.import_values(acting_user=admin, rows=rows, errors=errors, on=on)
        took += time.perf_counter() - t0
        assert result.ok and result.created == n, result.errors[:3]

    # Floor: the same number of values bulk-inserted into reports that already exist.
    schedules = {sch.province_id: sch for sch in Schedule.objects.filter(form=form)}
    provinces = dict(Commune.objects.filter(code__in=communes).values_list("code", "province_id"))
    slots = [(e.pk, cat) for e in elements for cat in e.categories]
    periods, fp = [], q.next()
    while len(periods) * len(communes) * len(slots) < count:
        periods.append(fp)
        fp = fp.next()
    subs = [
        Submission(
            schedule=schedules[provinces[c]],
            period=fp_.id,
            kind=schedules[provinces[c]].frequency,
            province_id=provinces[c],
            commune_id=c,
            status="submitted",
        )
        for fp_ in periods
        for c in communes
    ]
    Submission.objects.bulk_create(subs, batch_size=500)
    objs = [DataValue(submission_id=sub.pk, element_id=el, category=cat, value=7) for sub in subs for el, cat in slots][
        :target
    ]
    t0 = time.perf_counter()
    DataValue.objects.bulk_create(objs, batch_size=2000)
    floor = time.perf_counter() - t0
    print(
        f"import {count:,} values (CSV, through the gate: checks, rules, outliers, windows; with history): "
        f"{took:.2f} s; dry run {dry:.2f} s  "
        f"(floor: bare bulk insert of {len(objs):,} values {floor:.2f} s; ratio {took / floor:.1f}x)"
    )
    print(f"rows measured on: {DataValue.objects.count():,} values, {Submission.objects.count():,} reports")


if __name__ == "__main__":
    main()
