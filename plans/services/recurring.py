"""Recurring tasks: one `TaskPeriod` per period, each with its deadline, so a period can be late.

"Hằng tháng" gives months, "hằng quý" quarters, "6 tháng" half-years, "hằng năm" years; a task
done "thường xuyên" follows the plan's reporting rhythm (its shortest periodic reporting duty)
and has no periods when the plan sets none. Periods cover the plan's years from the month it was
issued. The task's deadline is the deadline of its first unfinished period; finishing a period
moves it to the next one, and the task is done when its last period is.
"""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from django.db.models import F
from django.utils import timezone

from plans.models import Plan, Recurrence, ReportingDuty, Task, TaskPeriod, TaskStatus

MONTHS: dict[str, int] = {
    Recurrence.MONTHLY: 1,
    Recurrence.QUARTERLY: 3,
    Recurrence.SEMIANNUAL: 6,
    Recurrence.ANNUAL: 12,
}
# The reporting duties that give a "thường xuyên" task its rhythm, shortest first.
RHYTHM = (
    (ReportingDuty.Frequency.QUARTERLY, Recurrence.QUARTERLY),
    (ReportingDuty.Frequency.SEMIANNUAL, Recurrence.SEMIANNUAL),
    (ReportingDuty.Frequency.ANNUAL, Recurrence.ANNUAL),
)
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def rhythm(task: Task, duties: set[str] | None = None) -> str:
    """The recurrence that sets a task's periods ("" when it has none)."""
    if task.recurrence in MONTHS:
        return task.recurrence
    if task.recurrence == Recurrence.CONTINUOUS:
        if duties is None:
            duties = set(ReportingDuty.objects.filter(plan_id=task.plan_id).values_list("frequency", flat=True))
        for frequency, recurrence in RHYTHM:
            if frequency in duties:
                return recurrence
    return ""


def _label(step: int, start: datetime.date) -> str:
    if step == 1:
        return f"Tháng {start.month}/{start.year}"
    if step == 3:
        return f"Quý {ROMAN[(start.month - 1) // 3 + 1]}/{start.year}"
    if step == 6:
        return f"6 tháng {'đầu' if start.month == 1 else 'cuối'} năm {start.year}"
    return f"Năm {start.year}"


def periods_for(plan: Plan, recurrence: str) -> list[tuple[str, datetime.date, datetime.date]]:
    """(label, first day, deadline) of each period of the plan's years, from the month it was issued."""
    step = MONTHS.get(recurrence)
    if not step:
        return []
    issued = plan.issued_on or timezone.localdate()
    first = plan.period_start or issued.year
    last = max(plan.period_end or first, first)
    out = []
    for year in range(first, last + 1):
        for month in range(1, 13, step):
            start = datetime.date(year, month, 1)
            end_month = month + step - 1
            end = datetime.date(year, end_month, calendar.monthrange(year, end_month)[1])
            if end < issued.replace(day=1):
                continue  # a period over before the plan was issued
            out.append((_label(step, start), start, end))
    return out


def ensure_periods(tasks: list[Task]) -> int:
    """Create the missing periods of the recurring tasks among `tasks` and set each task's deadline
    to its first unfinished period; returns how many periods were created."""
    recurring = [t for t in tasks if t.recurrence]
    if not recurring:
        return 0
    plans = {p.pk: p for p in Plan.objects.filter(pk__in={t.plan_id for t in recurring})}
    duties: dict[int, set[str]] = {}
    for plan_id, frequency in ReportingDuty.objects.filter(plan_id__in=plans).values_list("plan_id", "frequency"):
        duties.setdefault(plan_id, set()).add(frequency)
    existing = set(TaskPeriod.objects.filter(task__in=[t.pk for t in recurring]).values_list("task_id", "deadline"))
    new = []
    touched = []
    for t in recurring:
        found = periods_for(plans[t.plan_id], rhythm(t, duties.get(t.plan_id, set())))
        if not found:
            continue
        touched.append(t)
        new += [
            TaskPeriod(task=t, label=label, starts_on=start, deadline=end)
            for label, start, end in found
            if (t.pk, end) not in existing
        ]
    TaskPeriod.objects.bulk_create(new, batch_size=2000)
    for t in touched:
        advance(t)
    return len(new)


def current(task: Task) -> TaskPeriod | None:
    """The task's first unfinished period."""
    return task.periods.filter(completed_on__isnull=True).order_by("deadline").first()


def advance(task: Task) -> dict[str, Any]:
    """The task's deadline (and, when every period is finished, its status) from its periods."""
    nxt = current(task)
    values: dict[str, Any] = {}
    if nxt is not None:
        values["deadline"] = nxt.deadline
        if task.original_deadline is None:
            values["original_deadline"] = nxt.deadline
        if task.status == TaskStatus.DONE:
            values.update(status=TaskStatus.IN_PROGRESS, completed_on=None)
    elif task.periods.exists():
        last = task.periods.order_by("-deadline").first()
        assert last is not None
        values.update(status=TaskStatus.DONE, progress=100, deadline=last.deadline, completed_on=last.completed_on)
    changed = {k: v for k, v in values.items() if getattr(task, k) != v}
    if changed:
        Task.objects.filter(pk=task.pk).update(version=F("version") + 1, updated_at=timezone.now(), **changed)
        for k, v in changed.items():
            setattr(task, k, v)
        task.version += 1
    return changed


def finish_period(task: Task, on: datetime.date) -> TaskPeriod | None:
    """Mark the task's current period done on `on` and move the task on to the next one."""
    period = current(task)
    if period is None:
        return None
    period.completed_on = on
    period.save(update_fields=["completed_on"])
    advance(task)
    return period
