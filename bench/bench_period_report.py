"""The period's report of one province as one document (issue 16 §1): assembling every form
(the communes' XA_QUY for every commune of Đắk Lắk, the agencies' SBN_QUY for its agencies, two
years of quarters), generating the sentences, and writing the DOCX and the XLSX; with the ratio of
the assembly to the consolidation of the same forms it wraps.
Standalone: `python bench/bench_period_report.py [--years 2]`; PostgreSQL with DATABASE_URL.
"""

from __future__ import annotations

import argparse

from common import median, ms, p, setup_django, timed


def _agency_reports(periods: list) -> None:
    """Every agency of Đắk Lắk reports SBN_QUY (totals only) every quarter, approved."""
    import random

    from agencies.models import Agency
    from reporting.models import DataElement, Form
    from reporting.tests.builders_consolidation import make_schedule, make_submission

    rnd = random.Random(2026)
    form = Form.objects.get(code="SBN_QUY")
    codes = list(
        DataElement.objects.filter(form_items__section__form=form)
        .exclude(value_type__in=["text", "date"])
        .values_list("code", flat=True)
    )
    agencies = list(Agency.objects.filter(province_id="66", kind="department")[:14]) or list(
        Agency.objects.filter(province_id="66")[:14]
    )
    schedule = make_schedule(form, "66", agencies=agencies, first_period=periods[0].id)
    for period in periods:
        for agency in agencies:
            make_submission(schedule, period.id, agency=agency, values={c: rnd.randint(0, 40) for c in codes})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=2)
    args = parser.parse_args()
    label = setup_django()
    from django.db import connection

    from demo.personas import seed_demo
    from geo.models import Province
    from geo.services import load_admin_units
    from periodreport import exports, services
    from reporting.management.commands.generate_national_dataset import generate, quarters
    from reporting.models import DataValue
    from reporting.services import consolidation
    from reporting.services.catalogue import load_starter_catalogue

    print(f"== period report ({label}) ==")
    load_admin_units()
    seed_demo()
    load_starter_catalogue()
    generate(years=args.years, provinces=["66"], form_code="XA_QUY")
    _agency_reports(quarters(args.years))
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    province = Province.objects.get(code="66")
    period = quarters(args.years)[-1]
    forms = services.forms_for(province, period)
    print(f"data: {DataValue.objects.count():,} values; {len(forms)} forms; period {period.label}")

    def consolidate() -> None:
        for form in forms:
            consolidation.province_report(form=form, period=period, province=province, by_unit=True)

    bundle = services.assemble(province=province, period=period)
    letter = services.draft(bundle=bundle)
    floor = timed(consolidate, 10)
    assemble = timed(lambda: services.assemble(province=province, period=period), 10)
    generate_text = timed(lambda: services.generate(bundle), 20)
    docx = timed(lambda: exports.report_docx(bundle, letter), 5)
    xlsx = timed(lambda: exports.report_xlsx(bundle, letter), 5)
    units = sum(part.expected for part in bundle.parts)
    print(
        f"assemble (forms + tasks + indicators, {units} units): median {ms(median(assemble))}, p95 {ms(p(assemble, 0.95))}"
        f" vs consolidation of the same forms {ms(median(floor))} ({median(assemble) / median(floor):.2f}×)"
    )
    print(f"generate sentences: median {ms(median(generate_text))}")
    print(f"DOCX: median {ms(median(docx))}; XLSX: median {ms(median(xlsx))}")


if __name__ == "__main__":
    main()
