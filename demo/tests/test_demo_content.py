from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from plans.models import Plan, TaskStatus
from reporting.models import Schedule


@pytest.mark.django_db
def test_the_demo_plan_goes_through_the_real_import_and_gives_schedules(login):
    out = StringIO()
    call_command("seed_demo_content", stdout=out)
    plan = Plan.objects.get(number="999/KH-UBND", province_id="66")
    assert plan.tasks.filter(lead_agency__code="SYT").count() == 2
    assert plan.tasks.filter(status=TaskStatus.WAITING_GUIDANCE).count() == 1  # "sau khi Bộ Y tế có hướng dẫn"
    assert plan.targets.count() == 2 and plan.reporting_duties.count() == 3
    schedules = Schedule.objects.filter(source_duty__plan=plan).count()
    assert schedules == 6

    call_command("seed_demo_content", stdout=StringIO())  # idempotent
    assert Plan.objects.filter(number="999/KH-UBND").count() == 1
    assert Schedule.objects.filter(source_duty__plan=plan).count() == schedules

    assert "Dự án 6" in login("agency_a").get(reverse("plans:my_tasks")).content.decode()
