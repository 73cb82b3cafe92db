"""Existing recurring tasks get their periods (see plans.services.recurring, copied here so the
migration does not change when the service does) and the deadline of their first open period."""

import calendar
import datetime

from django.db import migrations

MONTHS = {"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}
RHYTHM = (("quarterly", "quarterly"), ("semiannual", "semiannual"), ("annual", "annual"))
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def _label(step, start):
    if step == 1:
        return f"Tháng {start.month}/{start.year}"
    if step == 3:
        return f"Quý {ROMAN[(start.month - 1) // 3 + 1]}/{start.year}"
    if step == 6:
        return f"6 tháng {'đầu' if start.month == 1 else 'cuối'} năm {start.year}"
    return f"Năm {start.year}"


def forwards(apps, schema_editor):
    Task = apps.get_model("plans", "Task")
    TaskPeriod = apps.get_model("plans", "TaskPeriod")
    ReportingDuty = apps.get_model("plans", "ReportingDuty")
    for task in Task.objects.exclude(recurrence="").select_related("plan").iterator():
        recurrence = task.recurrence
        if recurrence == "continuous":
            duties = set(ReportingDuty.objects.filter(plan_id=task.plan_id).values_list("frequency", flat=True))
            recurrence = next((r for f, r in RHYTHM if f in duties), "")
        step = MONTHS.get(recurrence)
        if not step:
            continue
        plan = task.plan
        issued = plan.issued_on or datetime.date.today()
        first = plan.period_start or issued.year
        last = max(plan.period_end or first, first)
        periods = []
        for year in range(first, last + 1):
            for month in range(1, 13, step):
                start = datetime.date(year, month, 1)
                end_month = month + step - 1
                end = datetime.date(year, end_month, calendar.monthrange(year, end_month)[1])
                if end >= issued.replace(day=1):
                    periods.append(TaskPeriod(task=task, label=_label(step, start), starts_on=start, deadline=end))
        TaskPeriod.objects.bulk_create(periods, ignore_conflicts=True)
        nxt = TaskPeriod.objects.filter(task=task, completed_on__isnull=True).order_by("deadline").first()
        if nxt is not None and task.status != "done":
            task.deadline = nxt.deadline
            task.original_deadline = task.original_deadline or nxt.deadline
            task.save(update_fields=["deadline", "original_deadline"])


class Migration(migrations.Migration):
    dependencies = [("plans", "0005_task_periods")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
