"""DHIS2 exchange of one province-year as dataValueSets (issue 11 §2): Đắk Lắk's commune reports of
one year (every commune, the starter form XA_QUY, four quarters).
- export in DHIS2's shape with UIDs (`dhis2.services.export_value_set`) vs a bare select of the
  same rows;
- import of the same number of values (JSON, UIDs) through the one gate, each quarter on a day its
  window is open, vs a bare bulk insert of as many values.
Standalone: `python bench/bench_dhis2.py`; PostgreSQL with DATABASE_URL.
"""

from __future__ import annotations

import datetime as dt
import json
import time

from common import median, setup_django, timed


def main() -> None:
    label = setup_django()
    from django.db import connection
    from django.utils import timezone

    from access.roles import Role
    from accounts.models import RoleAssignment, User
    from demo.personas import seed_demo
    from dhis2 import services
    from geo.models import Province
    from geo.services import load_admin_units
    from reporting.management.commands.generate_national_dataset import generate, quarters
    from reporting.models import DataElement, DataValue, Form, Schedule, Submission
    from reporting.services import schedules as S
    from reporting.services.catalogue import load_starter_catalogue

    print(f"== DHIS2 dataValueSets, one province-year ({label}) ==")
    load_admin_units()
    seed_demo()
    load_starter_catalogue()
    generate(years=1, provinces=["66"])
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    office, _ = User.objects.get_or_create(username="bench-office", defaults={"full_name": "Cơ quan Thường trực"})
    RoleAssignment.objects.get_or_create(
        user=office, role=Role.STANDING_OFFICE, province_id="66", defaults={"approved_at": timezone.now()}
    )
    office = User.objects.get(pk=office.pk)
    province = Province.objects.get(code="66")
    form = Form.objects.get(code="XA_QUY")
    year = quarters(1)
    opts = services.options({"idScheme": "UID"})

    def export() -> list[dict]:
        out = []
        for q in year:
            out += services.export_value_set(user=office, form=form, period=q.id, province=province, opts=opts)
        return out

    def bare() -> list[tuple]:
        return list(
            DataValue.objects.filter(
                submission__province_id="66", submission__period__in=[q.id for q in year]
            ).values_list(
                "element__code",
                "category",
                "value",
                "text",
                "comment",
                "updated_at",
                "submission__period",
                "submission__commune_id",
                "submission__created_at",
            )
        )

    values = export()
    n = len(values)
    a, b = [], []
    for _ in range(3):
        a += timed(export, 1)
        b += timed(bare, 1)
    print(
        f"export {n:,} values as dataValueSets (UID): median {median(a):.2f} s "
        f"(bare select of the same rows {median(b):.2f} s; ratio {median(a) / median(b):.1f}x)"
    )

    # Import: each quarter's values moved to the next year's quarter, on a day its window is open.
    schedule = Schedule.objects.filter(form=form, province_id="66").first()
    took = 0.0
    imported = 0
    for q in year:
        target = q.next().next().next().next()
        chunk = [v | {"period": target.id} for v in values if v["period"] == q.id]
        body = json.dumps({"completeDate": "", "dataValues": chunk}).encode()
        on = S.period_start(schedule, target) + dt.timedelta(days=1)
        t0 = time.perf_counter()
        summary = services.import_value_set(acting_user=office, data=body, opts=opts, on=on)
        took += time.perf_counter() - t0
        assert summary.status == "SUCCESS", summary.as_dict()["conflicts"][:3]
        imported += summary.imported
    # Floor: as many values bulk-inserted into bare reports (one commune, far-off quarters).
    elements = list(DataElement.objects.values_list("pk", flat=True))
    commune = Submission.objects.filter(province_id="66").values_list("commune_id", flat=True)[0]
    target_subs = []
    fp = year[-1]
    while len(target_subs) * len(elements) < imported:
        fp = fp.next()
        target_subs.append(
            Submission(
                schedule=schedule,
                period=f"{fp.year + 10}Q{fp.index}",
                kind="quarterly",
                province_id="66",
                commune_id=commune,
                status="submitted",
            )
        )
    Submission.objects.bulk_create(target_subs)
    objs = [DataValue(submission_id=s.pk, element_id=e, category="", value=7) for s in target_subs for e in elements][
        :imported
    ]
    t0 = time.perf_counter()
    DataValue.objects.bulk_create(objs, batch_size=2000)
    floor = time.perf_counter() - t0
    print(
        f"import {imported:,} values (dataValueSets JSON, UID; through the gate): {took:.2f} s "
        f"(bare bulk insert {floor:.2f} s; ratio {took / floor:.1f}x)"
    )


if __name__ == "__main__":
    main()
