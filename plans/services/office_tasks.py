"""Reports the province itself owes upward (to the People's Council, the Government, the
Ministry): a task for the Standing Office, not a schedule for communes and agencies."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction

from access.policy import require_visible
from audit.services import record
from plans.models import Plan, Recurrence, Task, TaskStatus
from plans.services import recurring

if TYPE_CHECKING:
    from accounts.models import User

STANDING_OFFICE = "CA"
RECURRENCE = {"quarterly": Recurrence.QUARTERLY, "semiannual": Recurrence.SEMIANNUAL, "annual": Recurrence.ANNUAL}


def add_report_task(
    *, acting_user: User, plan: Plan, text: str, frequency: str, deadline: datetime.date | None = None
) -> tuple[Task, bool]:
    """The Standing Office's task to prepare a report upward (created once: the same text on the
    same plan is found again); returns (task, created)."""
    from agencies.models import Agency

    with transaction.atomic():
        require_visible(Plan.objects.for_user(acting_user, "manage"), plan)
        office = Agency.objects.filter(province_id=plan.province_id, code=STANDING_OFFICE).first()
        existing = Task.objects.filter(plan=plan, lead_agency=office, text=text).first()
        if existing is not None:
            return existing, False
        order = (plan.tasks.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        task = Task.objects.create(
            plan=plan,
            province_id=plan.province_id,
            section="Chế độ báo cáo",
            order=order,
            text=text,
            role=Task.Role.LEAD,
            lead_agency=office,
            deadline=deadline,
            original_deadline=deadline,
            recurrence=RECURRENCE.get(frequency, ""),
            status=TaskStatus.NOT_STARTED,
        )
        recurring.ensure_periods([task])
        record(
            actor=acting_user,
            action="task.create_report_duty",
            obj=task,
            changes={"plan": plan.pk, "text": text, "frequency": frequency},
            province_code=plan.province_id,
        )
    return task, True
