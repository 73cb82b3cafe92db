"""Recurring tasks: one `TaskPeriod` per period, each with its deadline, so a period can be late.

"Hằng tháng" gives months, "hằng quý" quarters, "6 tháng" half-years, "hằng năm" years; a task
done "thường xuyên" follows the plan's reporting rhythm (its shortest periodic reporting duty)
and has no periods when the plan sets none. Periods cover the plan's years from the month it was
issued. The task's deadline is the deadline of its first unfinished period; finishing a period
moves it to the next one, and the task is done when its last period is.

A recurring task given to a group has a `TaskUnitPeriod` per unit per period: each unit finishes
each period on its own (its deadline is that of its first unfinished period, so a unit that missed
a period is late), and the task's period is finished when every unit has finished it.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import F, Max, Min
from django.utils import timezone

from plans.models import Plan, Recurrence, ReportingDuty, Task, TaskPeriod, TaskStatus, TaskUnit, TaskUnitPeriod

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
    ensure_unit_periods(touched)
    return len(new)


def ensure_unit_periods(tasks: list[Task]) -> int:
    """Create the missing unit × period shares of the recurring tasks among `tasks` that are given
    to a group, and set each unit's deadline to its first unfinished period; returns how many
    shares were created."""
    ids = [t.pk for t in tasks if t.recurrence]
    if not ids:
        return 0
    periods: dict[int, list[int]] = {}
    for task_id, pk in TaskPeriod.objects.filter(task__in=ids).values_list("task_id", "pk"):
        periods.setdefault(task_id, []).append(pk)
    units = list(TaskUnit.objects.filter(task__in=list(periods)).values_list("pk", "task_id"))
    if not units:
        return 0
    existing = set(TaskUnitPeriod.objects.filter(unit__in=[u for u, _ in units]).values_list("unit_id", "period_id"))
    new = [
        TaskUnitPeriod(unit_id=unit, period_id=period)
        for unit, task_id in units
        for period in periods[task_id]
        if (unit, period) not in existing
    ]
    TaskUnitPeriod.objects.bulk_create(new, batch_size=5000)
    if new:
        _set_unit_deadlines(TaskUnit.objects.filter(pk__in={n.unit_id for n in new}))
    return len(new)


def _set_unit_deadlines(units: Iterable[TaskUnit]) -> None:
    """Each unit's deadline: that of its first unfinished period (kept when an extension moved it
    later); a unit whose periods are all finished is done."""
    open_ = dict(
        TaskUnitPeriod.objects.filter(unit__in=units, completed_on__isnull=True)
        .values("unit_id")
        .annotate(due=Min("period__deadline"))
        .values_list("unit_id", "due")
    )
    last = dict(
        TaskUnitPeriod.objects.filter(unit__in=units)
        .values("unit_id")
        .annotate(on=Max("completed_on"))
        .values_list("unit_id", "on")
    )
    for unit in units:
        due = open_.get(unit.pk)
        if due is not None:
            # A later deadline is an extension granted on the open period: it stands.
            changed = {"deadline": max(due, unit.deadline or due)}
            changed["original_deadline"] = unit.original_deadline or due
            if unit.status == TaskStatus.DONE:
                changed.update(status=TaskStatus.IN_PROGRESS, completed_on=None)
        elif unit.pk in last:
            changed = {"status": TaskStatus.DONE, "progress": 100, "completed_on": last[unit.pk]}
        else:
            continue
        changed = {k: v for k, v in changed.items() if getattr(unit, k) != v}
        if changed:
            TaskUnit.objects.filter(pk=unit.pk).update(updated_at=timezone.now(), **changed)
            for k, v in changed.items():
                setattr(unit, k, v)


def finish_unit_period(task: Task, unit: TaskUnit, on: datetime.date) -> TaskUnitPeriod | None:
    """Mark the unit's first unfinished period done on `on`; move the unit on to its next period
    (or finish it); when every unit has finished that period, the task's period is finished."""
    share = (
        TaskUnitPeriod.objects.filter(unit=unit, completed_on__isnull=True)
        .select_related("period")
        .order_by("period__deadline")
        .first()
    )
    if share is None:
        return None
    share.completed_on = on
    share.save(update_fields=["completed_on"])
    unit.deadline = None  # the next period's deadline, unless an extension covers it
    _set_unit_deadlines([unit])
    period = share.period
    if not period.unit_periods.filter(completed_on__isnull=True).exists():
        period.completed_on = period.unit_periods.aggregate(on=Max("completed_on"))["on"]
        period.save(update_fields=["completed_on"])
        advance(task)
    return share


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
