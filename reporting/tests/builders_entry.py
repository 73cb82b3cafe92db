"""Builders for the entry, review, completeness and reminder tests: the starter catalogue, a
schedule for province A's communes, and typed grid input. State is built through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from accounts.models import User
from agencies.models import Agency
from reporting.models import Form, Schedule, Submission
from reporting.services import entry
from reporting.services import schedules as S
from reporting.services.catalogue import load_starter_catalogue

PROVINCE_A, PROVINCE_B = "66", "33"
COMMUNE_A = "24133"
TZ = dt.timezone(dt.timedelta(hours=7))
# 20/11/2026: 2026Q4 (administrative: 15/09–14/12, due 15/12, closes 25/12) is open and not yet due.
TODAY = dt.date(2026, 11, 20)


def user(username: str) -> User:
    return User.objects.get(username=username)


def office() -> User:
    return user("thuongtruc")


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def catalogue() -> None:
    """The starter catalogue (already there when the session fixture below loaded it)."""
    if Form.objects.filter(code__in=("XA_QUY", "SBN_QUY")).count() != 2:
        load_starter_catalogue()


@pytest.fixture(scope="session")
def reporting_catalogue(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Load the starter catalogue once per session (use with `pytest.mark.usefixtures`)."""
    with django_db_blocker.unblock():
        load_starter_catalogue()


def commune_schedule(*, province: str = PROVINCE_A, first: str = "2025Q1", **extra: Any) -> Schedule:
    catalogue()
    data = {
        "name": "Báo cáo quý cấp xã",
        "form": Form.objects.get(code="XA_QUY"),
        "frequency": "quarterly",
        "convention": "administrative",
        "due_kind": "day_of_last_month",
        "due_day": 15,
        "close_after_days": 10,
        "remind_before_days": 3,
        "all_communes": True,
        "first_period": first,
        "last_period": "",
        "is_active": True,
        **extra,
    }
    acting = office() if province == PROVINCE_A else user("thuongtruc_b")
    from geo.models import Province

    return S.save_schedule(acting_user=acting, schedule=None, province=Province.objects.get(code=province), data=data)


def agency_schedule(*codes: str, province: str = PROVINCE_A, first: str = "2025Q1") -> Schedule:
    catalogue()
    from geo.models import Province

    agencies = list(Agency.objects.filter(province_id=province, code__in=codes or ("SYT",)))
    data = {
        "name": "Báo cáo quý sở, ngành",
        "form": Form.objects.get(code="SBN_QUY"),
        "frequency": "quarterly",
        "convention": "administrative",
        "due_kind": "day_of_last_month",
        "due_day": 15,
        "close_after_days": 10,
        "all_communes": False,
        "first_period": first,
        "last_period": "",
        "is_active": True,
        "agencies": agencies,
    }
    return S.save_schedule(acting_user=office(), schedule=None, province=Province.objects.get(code=province), data=data)


def commune_unit(code: str = COMMUNE_A) -> S.Unit:
    return S.Unit("commune", code, "")


def open_sub(
    schedule: Schedule, period: str, unit: S.Unit | None = None, on: dt.date = TODAY, by: str = "xa"
) -> Submission:
    unit = unit or commune_unit()
    actor = user(by)
    if by == "xa" and unit.pk != COMMUNE_A:
        # the default persona stands for "the unit's officer" (the service refuses anyone else)
        actor = officer_for(Submission(province_id=schedule.province_id, **unit.filter))
    return entry.open_submission(acting_user=actor, schedule=schedule, period_id=period, unit=unit, on=on)


def valid_input(schedule: Schedule, **cells: str) -> dict[str, str]:
    """Every cell of the form filled with a small consistent value; `cells` overrides by field name
    without the "v-" prefix (e.g. MGMT_ADDICTS_T="12" for v-MGMT_ADDICTS-T)."""
    spec = entry.form_spec(schedule.form)
    data: dict[str, str] = {}
    for item in spec.items:
        el = item.element
        for cat in el.categories:
            name = entry.field_name(el.code, cat)
            if el.value_type == "text":
                data[name] = ""
            elif el.value_type == "date":
                data[name] = "01/11/2026"
            elif el.value_type == "boolean":
                data[name] = "1"
            else:
                data[name] = "4" if cat == "" else "1"
    for key, value in cells.items():
        code, _, cat = key.rpartition("_")
        data[f"v-{code}-{cat}"] = value
    return data


def officer_for(sub: Submission) -> User:
    """An officer of the submission's own unit (the service refuses anyone else)."""
    from django.utils import timezone

    from access.roles import Role
    from accounts.models import RoleAssignment

    if sub.commune_id:
        username, role, scope = f"xa-{sub.commune_id}", Role.COMMUNE_OFFICER, {"commune_id": sub.commune_id}
    else:
        username, role, scope = f"cq-{sub.agency_id}", Role.AGENCY_OFFICER, {"agency_id": sub.agency_id}
    officer, _ = User.objects.get_or_create(
        username=username, defaults={"full_name": username, "province_id": sub.province_id}
    )
    RoleAssignment.objects.get_or_create(
        user=officer, role=role, province_id=sub.province_id, **scope, defaults={"approved_at": timezone.now()}
    )
    return User.objects.get(pk=officer.pk)


def save(
    sub: Submission,
    data: dict[str, str],
    *,
    submit: bool = False,
    by: str = "xa",
    on: dt.date = TODAY,
    version: int | None = None,
) -> entry.EntryResult:
    sub.refresh_from_db()
    actor = user(by)
    if by == "xa" and not Submission.objects.for_user(actor, "edit").filter(pk=sub.pk).exists():
        actor = officer_for(sub)  # the default persona stands for "the unit's officer"
    return entry.save_submission(
        acting_user=actor,
        submission=sub,
        version=sub.version if version is None else version,
        data=data,
        submit=submit,
        on=on,
    )


def submitted(
    schedule: Schedule,
    period: str,
    unit: S.Unit | None = None,
    *,
    on: dt.date | None = None,
    by: str = "xa",
    **cells: str,
) -> Submission:
    """A report of `period` filled with valid values and submitted on `on` (default: its due day)."""
    import time_machine

    from reporting import periods as P

    p = P.parse(period)
    on = on or S.due_date(schedule, p)
    with time_machine.travel(at(on), tick=False):
        sub = open_sub(schedule, period, unit, on=on, by=by)
        result = save(sub, valid_input(schedule, **cells), submit=True, by=by, on=on)
    assert result.submitted, (result.parsed.errors if result.parsed else None, result.checks)
    sub.refresh_from_db()
    return sub
