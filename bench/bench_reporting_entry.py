"""Reporting benchmarks: saving one submission, and a province's completeness matrix.

Each figure is printed with a floor measured in the same run:
- saving one commune report (every cell of the quarterly form changed, through the entry service:
  parsing, optimistic lock, value history, rules, outliers, audit) vs the bare bulk upsert of the
  same rows;
- the completeness matrix of a province (102 communes × 20 quarters) vs the raw SQL GROUP BY of
  the submissions it wraps.
"""

from __future__ import annotations

import datetime as dt

from common import median, ms, p, setup_django, timed

ON = dt.date(2026, 11, 20)
SAVES = 100


def main() -> None:
    label = setup_django()
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from demo.personas import seed_demo
    from reporting.models import DataValue, Form, Submission
    from reporting.services import completeness as C
    from reporting.services import entry
    from reporting.services import schedules as S
    from reporting.services.catalogue import load_starter_catalogue

    print(f"== reporting entry and completeness ({label}) ==")
    seed_demo()
    load_starter_catalogue()
    office, xa = User.objects.get(username="thuongtruc"), User.objects.get(username="xa")
    schedule = S.save_schedule(
        acting_user=office,
        schedule=None,
        province=office.province,
        data={
            "name": "Báo cáo quý cấp xã",
            "form": Form.objects.get(code="XA_QUY"),
            "frequency": "quarterly",
            "convention": "administrative",
            "due_kind": "day_of_last_month",
            "due_day": 15,
            "close_after_days": 10,
            "all_communes": True,
            "first_period": "2022Q1",
            "is_active": True,
        },
    )

    # — saving one submission —
    spec = entry.form_spec(schedule.form)
    sub = entry.open_submission(
        acting_user=xa, schedule=schedule, period_id="2026Q4", unit=S.Unit("commune", "24133", ""), on=ON
    )
    cells = [(i.element, c) for i in spec.items for c in i.element.categories if i.element.is_numeric]

    def typed(n: int) -> dict[str, str]:
        return {entry.field_name(el.code, c): str(n if c == "" else 1) for el, c in cells}

    state = {"n": 10}

    def save() -> None:
        state["n"] += 1
        sub.refresh_from_db(fields=["version"])
        result = entry.save_submission(
            acting_user=xa, submission=sub, version=sub.version, data=typed(state["n"]), on=ON
        )
        assert result.ok

    save()
    saves = timed(save, SAVES)
    rows_n = len(cells)

    def upsert() -> None:
        state["n"] += 1
        rows = [
            DataValue(submission=sub, element=el, category=c, value=state["n"] if c == "" else 1) for el, c in cells
        ]
        DataValue.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["submission", "element", "category"],
            update_fields=["value", "text"],
        )

    upsert()
    floor = timed(upsert, SAVES)
    print(
        f"save one commune report ({rows_n} cells): median {ms(median(saves))}, p95 {ms(p(saves, 0.95))}  "
        f"(floor: bare bulk upsert of the same rows median {ms(median(floor))}, p95 {ms(p(floor, 0.95))}; "
        f"ratio {median(saves) / median(floor):.1f}x)"
    )

    # — completeness matrix: 102 communes × 20 quarters —
    periods = S.schedule_periods(schedule, until=ON)[-20:]
    communes = [u.pk for u in S.schedule_units(schedule)]
    Submission.objects.filter(schedule=schedule).delete()
    batch = []
    tz = timezone.get_current_timezone()
    for i, period in enumerate(periods):
        due = S.due_date(schedule, period)
        for j, code in enumerate(communes):
            if (i + j) % 11 == 0:
                continue  # missing
            when = dt.datetime(due.year, due.month, due.day, 9, tzinfo=tz) + dt.timedelta(days=(i * j) % 5 - 2)
            status = ("approved", "submitted", "returned", "draft")[(i + 2 * j) % 4]
            batch.append(
                Submission(
                    schedule=schedule,
                    period=period.id,
                    kind=schedule.frequency,
                    province_id="66",
                    commune_id=code,
                    status=status,
                    first_submitted_at=None if status == "draft" else when,
                    submitted_at=None if status == "draft" else when,
                )
            )
    Submission.objects.bulk_create(batch)
    matrix = C.completeness_matrix(schedule, periods, on=ON)
    assert len(matrix.cells) == len(communes) * len(periods)
    runs = timed(lambda: C.completeness_matrix(schedule, periods, on=ON), 30)
    ids = [p_.id for p_ in periods]
    marks = ", ".join(["%s"] * len(ids))
    sql = (
        f"SELECT commune_id, agency_id, period, status, MIN(first_submitted_at) FROM reporting_submission "
        f"WHERE schedule_id = %s AND period IN ({marks}) GROUP BY commune_id, agency_id, period, status"
    )

    def raw() -> None:
        with connection.cursor() as cur:
            cur.execute(sql, [schedule.pk, *ids])
            cur.fetchall()

    base = timed(raw, 30)
    print(
        f"completeness matrix, {len(communes)} communes × {len(periods)} quarters ({len(batch)} reports): "
        f"median {ms(median(runs))}, p95 {ms(p(runs, 0.95))}  (floor: raw SQL GROUP BY median {ms(median(base))}; "
        f"ratio {median(runs) / median(base):.1f}x; overall completeness {matrix.total.completeness:.1f}%)"
    )


if __name__ == "__main__":
    main()
