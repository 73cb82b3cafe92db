"""Schedules from a plan through a preview: which duties become schedules (for whom, from which
period, named apart), which become a Standing Office task (reports the province owes upward),
and nothing twice; no period already past or locked."""

import datetime as dt

import pytest
from django.urls import reverse

from agencies.models import Agency
from plans.models import ReportingDuty, Task
from reporting.models import Schedule
from reporting.services import schedules as S
from reporting.tests.builders_entry import catalogue, office
from reporting.tests.test_schedules import _plan

pytestmark = pytest.mark.django_db
D = dt.date


def _upward_plan():
    """Sample 000's shape: yearly reports to the People's Council and the Government, sơ kết and
    tổng kết with no receiver; plus the units' quarterly and half-year reports, one stated twice."""
    plan = _plan()
    plan.reporting_duties.all().delete()
    ca = Agency.objects.get(province_id="66", code="CA")
    council = Agency.objects.get(province_id="66", code="HDNDT")
    government = Agency.objects.get(province_id="66", code="CP")
    for frequency, due, to in [
        ("quarterly", "15 of last month of quarter", ca),
        ("semiannual", "--06-15", ca),
        ("semiannual", "--06-15", ca),  # the plan states it twice
        ("annual", "", council),
        ("annual", "", government),
        ("midterm", "", None),
        ("final", "", None),
    ]:
        ReportingDuty.objects.create(plan=plan, frequency=frequency, due=due, to_agency=to)
    return plan


def test_the_preview_proposes_schedules_tasks_and_skips_without_writing():
    catalogue()
    plan = _upward_plan()
    proposals = S.plan_proposals(plan, on=D(2026, 5, 20))
    actions = [(p.duty.frequency, p.action) for p in proposals]
    assert actions == [
        ("quarterly", "schedule"),
        ("semiannual", "schedule"),
        ("semiannual", "skip"),  # the duplicate
        ("annual", "task"),
        ("annual", "skip"),  # merged into the same task, which names both receivers
        ("midterm", "task"),
        ("final", "task"),
    ]
    quarterly = proposals[0]
    # On 20/5/2026 Quý I (due 15/3, closed 25/3) is locked: the schedule starts with Quý II.
    assert quarterly.first_period == "2026Q2"
    names = [name for p in proposals for _, name, _ in p.schedules]
    assert len(names) == len(set(names)) == 4
    assert proposals[3].task_text.endswith("gửi HĐND tỉnh, Chính phủ.")
    assert not Schedule.objects.exists() and not Task.objects.filter(section="Chế độ báo cáo").exists()


def test_running_it_twice_creates_nothing_twice():
    catalogue()
    plan = _upward_plan()
    first = S.schedules_from_plan(acting_user=office(), plan=plan, on=D(2026, 5, 20))
    assert len(first.created) == 4 and len(first.tasks) == 3
    assert {s.first_period for s in first.created} == {"2026Q2", "2026S1"}
    # Communes see schedules told apart by frequency and due day, never four identical lines.
    commune_names = [s.name for s in first.created if s.all_communes]
    assert len(commune_names) == len(set(commune_names)) == 2
    again = S.schedules_from_plan(acting_user=office(), plan=plan, on=D(2026, 5, 20))
    assert not again.created and not again.tasks
    assert Schedule.objects.count() == 4
    assert Task.objects.filter(plan=plan, section="Chế độ báo cáo").count() == 3
    yearly = Task.objects.get(plan=plan, text__contains="báo cáo năm")
    assert yearly.lead_agency.code == "CA" and yearly.periods.count() == 5  # 2026–2030, each can be late


def test_the_preview_page_and_choosing_duties(login):
    catalogue()
    plan = _upward_plan()
    client = login("office_a")
    page = client.get(reverse("reporting:schedules_from_plan_preview", args=[plan.pk]))
    html = page.content.decode()
    assert html.count('data-testid="proposal-schedule"') == 4 and 'data-testid="proposal-task"' in html
    quarterly = plan.reporting_duties.get(frequency="quarterly")
    client.post(reverse("reporting:schedules_from_plan", args=[plan.pk]), {"duty": [quarterly.pk]})
    assert set(Schedule.objects.values_list("source_duty__frequency", flat=True)) == {"quarterly"}
    nothing = client.post(reverse("reporting:schedules_from_plan", args=[plan.pk]), {})
    assert nothing.status_code == 302 and nothing["Location"].endswith("/xem-truoc/")
