"""The story the home-page tests tell, built through the services: province A with tasks behind
at two agencies and the communes' 2026Q3 reports (one on time, one late, one returned)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from plans.models import TaskStatus
from plans.tests.builders import make_plan, make_task
from reporting.services import review
from reporting.tests.builders_entry import commune_schedule, commune_unit, submitted, user

C1, C2, C3 = "24133", "24169", "24175"


def province_story(today: dt.date) -> dict[str, Any]:
    plan = make_plan()
    late = today - dt.timedelta(days=10)
    for _ in range(3):
        make_task(plan, lead="SCT", deadline=late, text="Kiểm tra cơ sở kinh doanh có điều kiện")
    make_task(plan, lead="SYT", deadline=late)
    make_task(plan, lead="SYT", deadline=today + dt.timedelta(days=3), text="Báo cáo điều trị methadone")
    make_task(plan, lead="SYT", deadline=late, status=TaskStatus.DONE, completed_on=late)
    schedule = commune_schedule(first="2026Q3")
    due = dt.date(2026, 9, 15)
    on_time = submitted(schedule, "2026Q3", commune_unit(C1), on=due)
    late_sub = submitted(schedule, "2026Q3", commune_unit(C2), on=due + dt.timedelta(days=2))
    returned = submitted(schedule, "2026Q3", commune_unit(C3), on=due)
    review.return_submission(acting_user=user("thuongtruc"), submission=returned, comment="Thiếu số liệu cai nghiện")
    return {"plan": plan, "schedule": schedule, "on_time": on_time, "late": late_sub, "returned": returned}
