"""Reminders before and after the due day: to the unit's officers, never twice for one event."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from notices.models import Notification
from reporting.models import ReportReminder
from reporting.services.reminders import send_reminders
from reporting.tests.builders_entry import (
    agency_schedule,
    commune_schedule,
    commune_unit,
    reporting_catalogue,  # noqa: F401
    submitted,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reporting_catalogue")]
D = dt.date


def titles(username):
    return list(Notification.objects.filter(user__username=username).order_by("id").values_list("title", flat=True))


def test_before_the_due_day_then_overdue_each_once():
    commune_schedule(first="2026Q1", all_communes=False, communes=["24133", "24169"])
    assert send_reminders(on=D(2026, 12, 11)).events == 0  # 4 days before: not yet
    report = send_reminders(on=D(2026, 12, 12))
    assert report.events == 2 and report.notifications == 1  # 24169 has no officer
    assert titles("xa") == ["Sắp đến hạn nộp báo cáo Quý IV/2026: hạn 15/12/2026"]
    again = send_reminders(on=D(2026, 12, 13))
    assert (again.events, again.notifications, again.already) == (0, 0, 2)
    send_reminders(on=D(2026, 12, 16))
    send_reminders(on=D(2026, 12, 17))
    assert titles("xa")[1:] == ["Quá hạn nộp báo cáo Quý IV/2026 (hạn 15/12/2026)"]
    assert send_reminders(on=D(2026, 12, 26)).events == 0  # entry closed after 25/12: nothing more
    assert ReportReminder.objects.count() == 4
    assert not Notification.objects.exclude(user__username="xa").exists()


def test_units_that_submitted_are_not_reminded():
    schedule = commune_schedule(first="2026Q1", all_communes=False, communes=["24133"])
    submitted(schedule, "2026Q4", on=D(2026, 12, 1))
    assert send_reminders(on=D(2026, 12, 12)).events == 0 and send_reminders(on=D(2026, 12, 16)).events == 0


def test_agency_officers_are_reminded_for_their_agency():
    agency_schedule("SYT", "CA", first="2026Q1")
    send_reminders(on=D(2026, 12, 14))
    assert titles("syt") == ["Sắp đến hạn nộp báo cáo Quý IV/2026: hạn 15/12/2026"]
    assert titles("xa") == [] and titles("thuongtruc") == []
    note = Notification.objects.get(user__username="syt")
    assert note.url == "/bao-cao/can-nop/" and "Sở Y tế" in note.body and "25/12/2026" in note.body


def test_the_command_takes_a_vietnamese_date_and_is_idempotent(capsys):
    commune_schedule(first="2026Q1", all_communes=False, communes=["24133"])
    call_command("send_report_reminders", "--today", "12/12/2026")
    call_command("send_report_reminders", "--today", "12/12/2026")
    out = capsys.readouterr().out
    assert "1 sự kiện mới, 1 thông báo" in out and "0 sự kiện mới, 0 thông báo đã gửi, 1 sự kiện đã nhắc" in out
    with pytest.raises(CommandError, match="Ngày 31/02/2026 không tồn tại"):
        call_command("send_report_reminders", "--today", "31/02/2026")


# — reminding from the status grid (issue 16) —


def test_the_office_reminds_one_unit_or_every_late_unit_at_most_once_a_day():
    from audit.models import AuditEvent
    from reporting.services.reminders import remind_now, reminded_today
    from reporting.tests.builders_entry import office

    schedule = commune_schedule(first="2026Q1", all_communes=False, communes=["24133", "24169", "24175"])
    submitted(schedule, "2026Q3", commune_unit("24175"))
    one = remind_now(
        acting_user=office(), schedule=schedule, period_id="2026Q3", unit_keys=["commune:24133"], on=D(2026, 11, 20)
    )
    assert (
        one.events == 1
        and one.notifications == 1
        and titles("xa") == ["Nhắc nộp báo cáo Quý III/2026: đã quá hạn 15/09/2026"]
    )
    late = remind_now(acting_user=office(), schedule=schedule, period_id="2026Q3", on=D(2026, 11, 20))
    assert late.events == 1 and late.already == 1  # 24169 now; 24133 already today; 24175 submitted
    assert reminded_today(schedule, "2026Q3", D(2026, 11, 20)) == {"commune:24133", "commune:24169"}
    again = remind_now(acting_user=office(), schedule=schedule, period_id="2026Q3", on=D(2026, 11, 20))
    assert (again.events, again.notifications, again.already) == (0, 0, 2) and len(titles("xa")) == 1
    assert remind_now(acting_user=office(), schedule=schedule, period_id="2026Q3", on=D(2026, 11, 21)).events == 2
    assert len(titles("xa")) == 2  # the next day, once more
    # "every late unit" of a period not yet due is nobody; one named unit may be reminded before it.
    assert remind_now(acting_user=office(), schedule=schedule, period_id="2026Q4", on=D(2026, 11, 20)).events == 0
    assert AuditEvent.objects.filter(action="reminder.send").count() == 3


def test_reminding_is_the_offices_own_provinces_act():
    from django.core.exceptions import PermissionDenied

    from reporting.services.reminders import remind_now
    from reporting.tests.builders_entry import user

    schedule = commune_schedule(first="2026Q1")
    for username in ("thuongtruc_b", "xa", "lanhdao"):
        with pytest.raises(PermissionDenied):
            remind_now(acting_user=user(username), schedule=schedule, period_id="2026Q3", on=D(2026, 11, 20))
    assert not ReportReminder.objects.exists()
