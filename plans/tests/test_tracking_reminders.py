"""`send_task_reminders`: due within 7 days and overdue, to the right officers, never twice for
the same task, event and deadline; an extension's new deadline reminds again."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from access.roles import Role
from accounts.models import RoleAssignment, User
from notices.models import Notification
from plans.models import Plan, TaskReminder, TaskStatus
from plans.tests.builders import agency, make_plan, make_task

ON = datetime.date(2026, 6, 5)
S = TaskStatus


def run(on="05/06/2026"):
    out = StringIO()
    call_command("send_task_reminders", "--today", on, stdout=out)
    return out.getvalue()


def day(n):
    return ON + datetime.timedelta(days=n)


@pytest.fixture
def plan(db):
    return make_plan()


def test_due_within_7_days_and_overdue_are_reminded_once(plan, agency_a):
    soon = make_task(plan, lead="SYT", deadline=day(7), status=S.IN_PROGRESS)
    today = make_task(plan, lead="SYT", deadline=day(0))
    late = make_task(plan, lead="SYT", deadline=day(-1))
    make_task(plan, lead="SYT", deadline=day(8))  # not yet
    make_task(plan, lead="SYT", deadline=day(-3), status=S.DONE, completed_on=day(-4))
    make_task(plan, lead="SYT", deadline=day(-3), status=S.WAITING_GUIDANCE)
    make_task(plan, lead="SYT", deadline=day(-3), status=S.PAUSED)
    make_task(plan, lead="SYT")  # no deadline
    out = run()
    assert "nhắc 2 nhiệm vụ sắp đến hạn" in out and "1 nhiệm vụ quá hạn" in out and "Ngày 05/06/2026" in out
    keys = set(Notification.objects.filter(user=agency_a).values_list("key", flat=True))
    assert keys == {
        f"task-due_soon-{soon.pk}-2026-06-12",
        f"task-due_soon-{today.pk}-2026-06-05",
        f"task-overdue-{late.pk}-2026-06-04",
    }
    titles = set(Notification.objects.filter(user=agency_a).values_list("title", flat=True))
    assert "Nhiệm vụ đến hạn hôm nay (05/06/2026)" in titles and "Nhiệm vụ quá hạn 1 ngày (hạn 04/06/2026)" in titles
    assert TaskReminder.objects.count() == 3
    again = run()
    assert "nhắc 0 nhiệm vụ sắp đến hạn" in again and "3 nhắc đã gửi trước đó" in again
    assert Notification.objects.filter(user=agency_a).count() == 3


def test_a_due_soon_task_is_reminded_again_when_it_becomes_overdue(plan, agency_a):
    task = make_task(plan, lead="SYT", deadline=day(2))
    run()
    run(on="08/06/2026")
    assert set(TaskReminder.objects.filter(task=task).values_list("event", flat=True)) == {"due_soon", "overdue"}


def test_a_new_deadline_triggers_a_new_reminder(plan, agency_a):
    task = make_task(plan, lead="SYT", deadline=day(-2))
    run()
    task.original_deadline, task.deadline = task.deadline, day(5)  # as an extension grants it
    task.save(update_fields=["deadline", "original_deadline"])
    out = run()
    assert "nhắc 1 nhiệm vụ sắp đến hạn" in out
    assert Notification.objects.filter(user=agency_a, key=f"task-due_soon-{task.pk}-2026-06-10").exists()


def test_recipients_follow_the_lead_agency(plan, agency_a, commune_a, office_a):
    sgd_officer = User.objects.create(username="sgd", full_name="Cán bộ Sở GD&ĐT", province_id="66")
    RoleAssignment.objects.create(
        user=sgd_officer, role=Role.AGENCY_OFFICER, province_id="66", agency=agency("SGDDT"), approved_at=timezone.now()
    )
    for_sgd = make_task(plan, lead="SGDDT", deadline=day(1))
    for_communes = make_task(plan, lead="UBNDX", deadline=day(1))
    for_departments = make_task(plan, lead="SBN", deadline=day(1))
    nobody = make_task(plan, lead="CA", deadline=day(1))
    out = run()

    def users(task):
        return set(
            Notification.objects.filter(key__regex=rf"-{task.pk}-(u\d+-)?2026-06-06$").values_list(
                "user__username", flat=True
            )
        )

    assert users(for_sgd) == {"sgd"}
    assert users(for_communes) == {"xa"}
    assert users(for_departments) == {"syt", "sgd"}
    assert users(nobody) == set()
    assert "1 nhiệm vụ chưa có người nhận" in out
    assert not Notification.objects.filter(user=office_a).exists()


def test_other_provinces_and_replaced_plans_are_left_alone(agency_a, db):
    make_task(make_plan("33"), lead="SYT", deadline=day(1))
    make_task(make_plan(status=Plan.Status.REPLACED), lead="SYT", deadline=day(1))
    run()
    assert not Notification.objects.filter(user=agency_a).exists()
    assert TaskReminder.objects.count() == 1  # the province B task, which has no officer


def test_inactive_officers_get_nothing(plan, agency_a):
    agency_a.is_active = False
    agency_a.save(update_fields=["is_active"])
    make_task(plan, lead="SYT", deadline=day(1))
    run()
    assert not Notification.objects.exists()


def test_reminders_are_emailed_when_mail_is_configured(plan, agency_a, settings):
    settings.PCMT_EMAIL_NOTIFICATIONS = True
    agency_a.email = "syt@example.gov.vn"
    agency_a.save(update_fields=["email"])
    make_task(plan, lead="SYT", deadline=day(-1))
    run()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["syt@example.gov.vn"]
    assert "quá hạn" in mail.outbox[0].subject


def test_a_bad_date_is_refused_in_vietnamese(db):
    with pytest.raises(CommandError, match="dd/mm/yyyy"):
        run(on="05/06/26")
