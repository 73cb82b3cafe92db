"""Recurring tasks get one period per month / quarter / year with its deadline, so they can be
late; "thường xuyên" follows the plan's reporting rhythm; finishing a period moves the task on."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from plans.models import Recurrence, ReportingDuty, TaskPeriod, TaskStatus
from plans.services import recurring, tracking
from plans.services.tracking import Bucket, classify
from plans.tests.builders import make_plan, make_task

pytestmark = pytest.mark.django_db
S = TaskStatus


def _plan(issued=datetime.date(2026, 2, 10)):
    plan = make_plan()
    plan.issued_on = issued
    plan.save(update_fields=["issued_on"])
    return plan


def test_a_quarterly_task_gets_a_period_per_quarter_from_the_plan_issue():
    plan = _plan()
    task = make_task(plan, recurrence=Recurrence.QUARTERLY)
    assert recurring.ensure_periods([task]) == 4
    labels = list(task.periods.values_list("label", "deadline"))
    assert labels[0] == ("Quý I/2026", datetime.date(2026, 3, 31)) and labels[-1][0] == "Quý IV/2026"
    task.refresh_from_db()
    assert task.deadline == datetime.date(2026, 3, 31)
    assert recurring.ensure_periods([task]) == 0  # never twice


def test_monthly_periods_skip_the_months_before_the_plan():
    task = make_task(_plan(datetime.date(2026, 5, 20)), recurrence=Recurrence.MONTHLY)
    recurring.ensure_periods([task])
    assert task.periods.count() == 8 and task.periods.first().label == "Tháng 5/2026"


def test_continuous_follows_the_reporting_rhythm_or_has_no_periods():
    plan = _plan()
    task = make_task(plan, recurrence=Recurrence.CONTINUOUS)
    assert recurring.ensure_periods([task]) == 0
    task.refresh_from_db()
    assert task.deadline is None  # "không thời hạn"
    ReportingDuty.objects.create(plan=plan, frequency=ReportingDuty.Frequency.SEMIANNUAL, due="--06-15")
    ReportingDuty.objects.create(plan=plan, frequency=ReportingDuty.Frequency.ANNUAL, due="--12-15")
    assert recurring.ensure_periods([task]) == 2
    assert list(task.periods.values_list("label", flat=True)) == ["6 tháng đầu năm 2026", "6 tháng cuối năm 2026"]


@time_machine.travel(datetime.datetime(2026, 5, 5, 9, tzinfo=datetime.UTC), tick=False)
def test_a_missed_period_makes_the_task_late_and_finishing_it_moves_on(agency_a, login):
    task = make_task(_plan(), recurrence=Recurrence.QUARTERLY, lead="SYT")
    recurring.ensure_periods([task])
    task.refresh_from_db()
    today = tracking.today()
    assert classify(task.status, task.deadline, task.completed_on, today) == Bucket.OVERDUE  # Quý I missed
    tracking.record_progress(
        acting_user=agency_a, task=task, version=task.version, on=today, text="Đã báo cáo quý I", status=S.DONE
    )
    task.refresh_from_db()
    first = task.periods.first()
    assert first.completed_on == today and task.deadline == datetime.date(2026, 6, 30)
    assert task.status == S.IN_PROGRESS
    assert classify(task.status, task.deadline, task.completed_on, today) == Bucket.ONGOING
    page = login("agency_a").get(reverse("plans:task_detail", args=[task.pk]))
    assert "Kỳ hiện tại: Quý II/2026" in page.content.decode()


def test_the_task_is_done_with_its_last_period(agency_a):
    task = make_task(_plan(), recurrence=Recurrence.ANNUAL, lead="SYT")
    recurring.ensure_periods([task])
    assert TaskPeriod.objects.filter(task=task).count() == 1
    task.refresh_from_db()
    on = datetime.date(2026, 3, 1)
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC), tick=False):
        tracking.record_progress(
            acting_user=agency_a, task=task, version=task.version, on=on, text="Xong", status=S.DONE
        )
    task.refresh_from_db()
    assert (task.status, task.completed_on, task.progress) == (S.DONE, on, 100)


def test_the_data_migration_gives_existing_recurring_tasks_their_periods():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("plans.migrations.0006_task_periods_data")
    task = make_task(_plan(), recurrence=Recurrence.SEMIANNUAL)
    assert not task.periods.exists()
    migration.forwards(apps, None)
    task.refresh_from_db()
    assert task.periods.count() == 2 and task.deadline == datetime.date(2026, 6, 30)
