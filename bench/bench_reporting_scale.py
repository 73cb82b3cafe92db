"""Reporting at national scale: consolidation and import against the SQL they wrap.

Generates the national dataset (34 provinces, 3,321 communes, the starter commune form, 5 years of
quarters ≈ 2.9 million values; `--scale 0.1` for a tenth of the communes), then prints:
- consolidation of one quarter for one province (Đắk Lắk) and for the nation, each with its ratio
  to the raw SQL GROUP BY it wraps, measured in the same run (goal ≤ 1.5×);
- importing 100,000 values from CSV (validation, history, submissions) with its ratio to a bare
  bulk insert of 100,000 values.
Standalone: `python bench/bench_reporting_scale.py [--scale 1.0] [--years 5]`; PostgreSQL with DATABASE_URL.
"""

from __future__ import annotations

import argparse
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

    def raw(group: list[str], provinces: list[str] | None) -> object:
        # The very statement the ORM builds, executed on a bare cursor: the floor of the service.
        qs = consolidation.base_values(form=form, periods=ids, include_submitted=False, provinces=provinces)
        sql, params = consolidation.partials_query(qs, group).query.sql_with_params()

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
            20,
        ),
        (
            "nation",
            lambda: consolidation.nation_report(form=form, period=period),
            raw(["submission__province_id", "submission__period", "element_id", "category"], None),
            5,
        ),
    ]
    for name, orm, bare, n in cases:
        orm(), bare()  # warm caches
        a, b = [], []
        for _ in range(n):  # interleaved, so both see the same cache state
            a += timed(orm, 1)
            b += timed(bare, 1)
        print(
            f"consolidation {period.label}, {name}: median {ms(median(a))}, p95 {ms(p(a, 0.95))}  "
            f"(raw GROUP BY median {ms(median(b))}; ratio {median(a) / median(b):.2f}x)"
        )

    # Import 100,000 values: every numeric slot of every commune for the next quarters.
    admin = User.objects.get(username="quantri")
    elements = list(
        DataElement.objects.filter(pk__in=FormItem.objects.filter(section__form=form).values("element_id"))
        .exclude(value_type__in=["text", "date"])
        .order_by("code")
    )
    communes = list(
        Commune.objects.filter(province__schedules__form=form)
        .distinct()
        .order_by("code")
        .values_list("code", flat=True)
    )
    lines, target, q = ["dataElement,period,orgUnit,categoryOptionCombo,value"], 100_000, period.next()
    while len(lines) <= target:
        for code in communes:
            for e in elements:
                for cat in e.categories:
                    lines.append(f"{e.code},{q.id},{code},{cat or 'default'},{1 if e.value_type == 'boolean' else 7}")
        q = q.next()
    data = ("\n".join(lines[: target + 1]) + "\n").encode()
    t0 = time.perf_counter()
    rows, errors = exchange.read_csv(data)
    result = exchange.import_values(acting_user=admin, rows=rows, errors=errors, dry_run=True)
    dry = time.perf_counter() - t0
    t0 = time.perf_counter()
    rows, errors = exchange.read_csv(data)
    result = exchange.import_values(acting_user=admin, rows=rows, errors=errors)
    took = time.perf_counter() - t0
    assert result.ok and result.created == target, result.errors[:3]

    # Floor: the same number of values bulk-inserted into reports that already exist.
    schedules = {sch.province_id: sch for sch in Schedule.objects.filter(form=form)}
    provinces = dict(Commune.objects.filter(code__in=communes).values_list("code", "province_id"))
    slots = [(e.pk, cat) for e in elements for cat in e.categories]
    periods, fp = [], q.next()
    while len(periods) * len(communes) * len(slots) < target:
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
        f"import 100,000 values (CSV, validated, with history): {took:.2f} s; dry run {dry:.2f} s  "
        f"(floor: bare bulk insert of {len(objs):,} values {floor:.2f} s; ratio {took / floor:.1f}x)"
    )
    print(f"rows measured on: {DataValue.objects.count():,} values, {Submission.objects.count():,} reports")


if __name__ == "__main__":
    main()
