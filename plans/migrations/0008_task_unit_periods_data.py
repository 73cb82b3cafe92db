"""Existing recurring tasks given to a group get a share per unit per period (see
plans.services.recurring.ensure_unit_periods, copied here so the migration does not change when
the service does); each unit's deadline becomes that of its first unfinished period."""

from django.db import migrations
from django.db.models import Min


def forwards(apps, schema_editor):
    TaskPeriod = apps.get_model("plans", "TaskPeriod")
    TaskUnit = apps.get_model("plans", "TaskUnit")
    TaskUnitPeriod = apps.get_model("plans", "TaskUnitPeriod")
    periods = {}
    for task_id, pk, completed_on in TaskPeriod.objects.values_list("task_id", "pk", "completed_on"):
        periods.setdefault(task_id, []).append((pk, completed_on))
    if not periods:
        return
    new = []
    touched = set()
    for unit_id, task_id in TaskUnit.objects.filter(task_id__in=list(periods)).values_list("pk", "task_id").iterator():
        touched.add(unit_id)
        # A period the task already finished is finished for each of its units.
        new += [TaskUnitPeriod(unit_id=unit_id, period_id=pk, completed_on=done) for pk, done in periods[task_id]]
    TaskUnitPeriod.objects.bulk_create(new, batch_size=5000, ignore_conflicts=True)
    due = (
        TaskUnitPeriod.objects.filter(unit_id__in=touched, completed_on__isnull=True)
        .values("unit_id")
        .annotate(due=Min("period__deadline"))
        .values_list("unit_id", "due")
    )
    for unit_id, deadline in due:
        unit = TaskUnit.objects.get(pk=unit_id)
        if unit.deadline is None or unit.deadline < deadline:
            unit.deadline = deadline
            unit.original_deadline = unit.original_deadline or deadline
            unit.save(update_fields=["deadline", "original_deadline"])


class Migration(migrations.Migration):
    dependencies = [("plans", "0007_task_unit_lists_and_periods")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
