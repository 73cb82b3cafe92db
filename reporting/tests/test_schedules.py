"""Schedules: periods under both conventions (the 14th closing across a year end), due and closing
days, reporting units, the schedule form, and schedules from a plan's reporting duties."""

import datetime as dt
import hashlib

import pytest

from agencies.models import Agency
from audit.models import AuditEvent
from plans.models import Plan, ReportingDuty, Task
from reporting.forms import ScheduleForm
from reporting.models import Form, Schedule
from reporting.services import schedules as S
from reporting.tests.builders_entry import (
    agency_schedule,
    catalogue,
    commune_schedule,
    office,
    reporting_catalogue,  # noqa: F401
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reporting_catalogue")]
D = dt.date


def ids(periods):
    return [p.id for p in periods]


def test_administrative_quarters_across_a_year_end():
    schedule = commune_schedule(first="2026Q3")
    assert ids(S.schedule_periods(schedule, until=D(2026, 12, 14))) == ["2026Q3", "2026Q4"]
    assert ids(S.schedule_periods(schedule, until=D(2026, 12, 15))) == ["2026Q3", "2026Q4", "2027Q1"]
    q1 = S.schedule_periods(schedule, until=D(2026, 12, 15))[-1]
    assert S.period_start(schedule, q1) == D(2026, 12, 15)
    assert S.due_date(schedule, q1) == D(2027, 3, 15) and S.close_date(schedule, q1) == D(2027, 3, 25)


def test_calendar_quarters_start_on_the_first():
    schedule = commune_schedule(
        first="2026Q3", convention="calendar", due_kind="days_after_close", due_day=None, due_days=10
    )
    assert ids(S.schedule_periods(schedule, until=D(2026, 12, 31))) == ["2026Q3", "2026Q4"]
    assert ids(S.schedule_periods(schedule, until=D(2027, 1, 1))) == ["2026Q3", "2026Q4", "2027Q1"]
    q4 = S.schedule_periods(schedule, until=D(2027, 1, 1))[1]
    assert S.due_date(schedule, q4) == D(2027, 1, 10)


def test_administrative_days_after_close_and_last_period():
    schedule = commune_schedule(
        first="2026Q1", last_period="2026Q3", due_kind="days_after_close", due_day=None, due_days=5
    )
    periods = S.schedule_periods(schedule, until=D(2030, 1, 1))
    assert ids(periods) == ["2026Q1", "2026Q2", "2026Q3"]
    assert [S.due_date(schedule, p) for p in periods] == [D(2026, 3, 19), D(2026, 6, 19), D(2026, 9, 19)]


def test_a_semiannual_report_due_15_june_covers_the_first_half_only():
    schedule = commune_schedule(first="2026S1", frequency="semiannual", due_kind="day_month", due_day=15, due_month=6)
    assert ids(S.schedule_periods(schedule, until=D(2027, 12, 14))) == ["2026S1", "2027S1"]
    assert ids(S.schedule_periods(schedule, until=D(2027, 12, 15))) == [
        "2026S1",
        "2027S1",
        "2028S1",
    ]  # 15/12 opens 2028


def test_an_annual_report_due_15_december_and_a_one_off_report():
    annual = commune_schedule(first="2026", frequency="annual", due_kind="day_month", due_day=15, due_month=12)
    assert ids(S.schedule_periods(annual, until=D(2027, 12, 14))) == ["2026", "2027"]
    assert S.due_date(annual, S.schedule_periods(annual, until=D(2027, 1, 1))[0]) == D(2026, 12, 15)
    once = commune_schedule(first="2024", frequency="once", due_kind="fixed_date", due_day=None, due_date=D(2024, 7, 3))
    assert ids(S.schedule_periods(once, until=D(2030, 1, 1))) == ["2024"]
    assert S.due_date(once, S.schedule_periods(once)[0]) == D(2024, 7, 3)


def test_units_all_communes_chosen_communes_and_agencies():
    every = commune_schedule()
    units = S.schedule_units(every)
    assert len(units) == 102 and all(u.kind == "commune" for u in units)
    assert S.includes_unit(every, S.Unit("commune", "24133", "")) and not S.includes_unit(
        every, S.Unit("commune", "00004", "")
    )
    chosen = commune_schedule(all_communes=False, communes=["24133"])
    assert [u.key for u in S.schedule_units(chosen)] == ["commune:24133"]
    agencies = agency_schedule("SYT", "CA")
    assert sorted(u.name for u in S.schedule_units(agencies)) == ["Công an tỉnh", "Sở Y tế"]


def test_saving_a_schedule_is_audited():
    schedule = commune_schedule()
    assert AuditEvent.objects.filter(action="schedule.create", object_id=str(schedule.pk)).exists()
    S.save_schedule(acting_user=office(), schedule=schedule, province=schedule.province, data={"close_after_days": 5})
    event = AuditEvent.objects.get(action="schedule.update", object_id=str(schedule.pk))
    assert event.changes == {"close_after_days": [10, 5]}


# — the schedule form —


def _post(**extra):
    catalogue()
    data = {
        "name": "Báo cáo quý",
        "form": Form.objects.get(code="XA_QUY").pk,
        "frequency": "quarterly",
        "convention": "administrative",
        "due_kind": "day_of_last_month",
        "due_day": "15",
        "due_month": "",
        "due_date": "",
        "due_days": "",
        "close_after_days": "10",
        "remind_before_days": "3",
        "all_communes": "on",
        "first_period": "2026Q1",
        "last_period": "",
        "is_active": "on",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def _form(**extra):
    from geo.models import Province

    return ScheduleForm(_post(**extra), province=Province.objects.get(code="66"))


def test_a_valid_schedule_form():
    form = _form()
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"first_period": "2026S1"}, "first_period", "không phải kỳ hằng quý"),
        ({"first_period": "2026Q5"}, None, "không hợp lệ"),
        ({"last_period": "2025Q4"}, "last_period", "đứng trước kỳ đầu"),
        ({"due_kind": "day_month", "due_day": "31", "due_month": "2"}, "due_day", "Ngày 31/02 không tồn tại"),
        (
            {"due_kind": "fixed_date", "due_day": "", "due_date": "31/02/2026"},
            "due_date",
            "Ngày 31/02/2026 không tồn tại",
        ),
        ({"due_kind": "days_after_close", "due_day": ""}, "due_days", "số ngày"),
        ({"frequency": "once"}, "due_kind", "ngày cố định"),
        ({"all_communes": None}, "communes", "Biểu mẫu cấp xã"),
        (
            {
                "frequency": "annual",
                "first_period": "2026",
                "due_kind": "day_month",
                "due_day": "1",
                "due_month": "1",
                "convention": "calendar",
            },
            "due_kind",
            "không kỳ nào có hạn",
        ),
    ],
)
def test_the_schedule_form_refuses_inconsistent_input_in_vietnamese(extra, field, message):
    form = _form(**extra)
    assert not form.is_valid()
    errors = form.errors.get(field or "__all__", []) + (form.non_field_errors() if field else [])
    assert any(message in e for e in errors) or any(message in e for es in form.errors.values() for e in es), (
        form.errors
    )


def test_an_agency_form_needs_agencies_of_the_province():
    catalogue()
    agency_b = Agency.objects.get(province_id="33", code="SYT")
    form = _form(form=str(Form.objects.get(code="SBN_QUY").pk), all_communes=None, agencies=[str(agency_b.pk)])
    assert not form.is_valid() and "agencies" in form.errors


# — from a plan's reporting duties —


def _plan(**extra):
    plan = Plan.objects.create(
        province_id="66",
        number="48/KH-UBND",
        title="Kế hoạch thực hiện Chương trình năm 2026",
        issued_on=D(2026, 2, 10),
        period_start=2026,
        period_end=2030,
        source_file="plans/t.txt",
        source_name="t.txt",
        source_sha256=hashlib.sha256(b"t").hexdigest(),
        **extra,
    )
    ca = Agency.objects.get(province_id="66", code="CA")
    for code in ("SYT", "CA", "STP"):
        Task.objects.create(
            plan=plan, province_id="66", text="Nhiệm vụ", lead_agency=Agency.objects.get(province_id="66", code=code)
        )
    ReportingDuty.objects.create(plan=plan, frequency="quarterly", due="15 of last month of quarter", to_agency=ca)
    ReportingDuty.objects.create(plan=plan, frequency="semiannual", due="--06-15", to_agency=ca)
    ReportingDuty.objects.create(plan=plan, frequency="annual", due="--12-15", to_agency=ca)
    ReportingDuty.objects.create(plan=plan, frequency="once", due="2026-06-05", to_agency=ca)
    ReportingDuty.objects.create(plan=plan, frequency="midterm", due="", to_agency=ca)
    return plan


def test_a_plans_duties_become_schedules_once():
    catalogue()
    plan = _plan()
    result = S.schedules_from_plan(acting_user=office(), plan=plan, on=D(2026, 3, 1))
    assert len(result.created) == 8 and [r for _, r in result.skipped] == ["Báo cáo một lần chưa có hạn nộp."]
    by = {(s.source_duty.frequency, s.form.level): s for s in result.created}
    q = by[("quarterly", "commune")]
    assert (q.frequency, q.due_kind, q.due_day, q.convention, q.all_communes) == (
        "quarterly",
        "day_of_last_month",
        15,
        "administrative",
        True,
    )
    assert (q.first_period, q.last_period, q.to_agency.code) == ("2026Q1", "2030Q4", "CA")
    qa = by[("quarterly", "agency")]
    assert sorted(qa.agencies.values_list("code", flat=True)) == [
        "STP",
        "SYT",
    ]  # the receiver does not report to itself
    s = by[("semiannual", "commune")]
    assert (s.frequency, s.due_kind, s.due_day, s.due_month, s.first_period) == (
        "semiannual",
        "day_month",
        15,
        6,
        "2026S1",
    )
    a = by[("annual", "commune")]
    assert (a.due_kind, a.due_day, a.due_month, a.first_period, a.last_period) == ("day_month", 15, 12, "2026", "2030")
    o = by[("once", "commune")]
    assert (o.frequency, o.due_kind, o.due_date, o.first_period) == ("once", "fixed_date", D(2026, 6, 5), "2026")
    again = S.schedules_from_plan(acting_user=office(), plan=plan)
    assert not again.created and len(again.skipped) == 5
    assert Schedule.objects.count() == 8


# The writer re-checks scope itself ---------------------------------------------------------------


def _schedules_state():
    return (
        list(Schedule.objects.order_by("pk").values_list("pk", "name", "province_id")),
        sorted(Schedule.agencies.through.objects.values_list("schedule_id", "agency_id")),
        AuditEvent.objects.count(),
    )


def _data(**extra):
    catalogue()
    return {
        "name": "Lịch ngoài phạm vi",
        "form": Form.objects.get(code="XA_QUY"),
        "frequency": "quarterly",
        "convention": "administrative",
        "due_kind": "day_of_last_month",
        "due_day": 15,
        "close_after_days": 10,
        "remind_before_days": 3,
        "all_communes": True,
        "first_period": "2026Q1",
        "last_period": "",
        "is_active": True,
        **extra,
    }


@pytest.mark.parametrize("persona", ["office_b", "agency_a", "leader_a"])
def test_save_schedule_refuses_a_province_the_user_does_not_manage(request, persona):
    from django.core.exceptions import PermissionDenied

    from geo.models import Province

    existing = commune_schedule()
    before = _schedules_state()
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        S.save_schedule(acting_user=user, schedule=None, province=Province.objects.get(code="66"), data=_data())
    with pytest.raises(PermissionDenied):
        S.save_schedule(acting_user=user, schedule=existing, province=existing.province, data={"name": "Đổi tên"})
    assert _schedules_state() == before


def test_save_schedule_refuses_reporting_units_of_another_province(office_a):
    from django.core.exceptions import PermissionDenied

    from geo.models import Province

    before = _schedules_state()
    foreign = list(Agency.objects.filter(province_id="33", code="SYT"))
    with pytest.raises(PermissionDenied):
        S.save_schedule(
            acting_user=office_a,
            schedule=None,
            province=Province.objects.get(code="66"),
            data=_data(form=Form.objects.get(code="SBN_QUY"), all_communes=False, agencies=foreign),
        )
    assert _schedules_state() == before
