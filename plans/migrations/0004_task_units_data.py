"""Existing tasks given to a group get one unit per commune / agency; the notes units already
wrote are linked to their unit, whose progress and last report date follow from them."""

from django.db import migrations

GROUP_KINDS = ("police", "department", "armed", "judicial", "customs", "mass_org", "media", "other")


def forwards(apps, schema_editor):
    Task = apps.get_model("plans", "Task")
    TaskUnit = apps.get_model("plans", "TaskUnit")
    TaskUpdate = apps.get_model("plans", "TaskUpdate")
    Agency = apps.get_model("agencies", "Agency")
    Commune = apps.get_model("geo", "Commune")
    members = {}
    tasks = Task.objects.filter(lead_agency__kind="commune_group") | Task.objects.filter(
        lead_agency__kind="group", lead_agency__code="SBN"
    )
    for task in tasks.select_related("lead_agency").iterator():
        key = (task.province_id, task.lead_agency.kind)
        if key not in members:
            if key[1] == "commune_group":
                members[key] = ([c for c in Commune.objects.filter(province_id=key[0]).values_list("code", flat=True)], [])
            else:
                agencies = Agency.objects.filter(province_id=key[0], kind__in=GROUP_KINDS, legacy=False, is_active=True)
                members[key] = ([], list(agencies.values_list("pk", flat=True)))
        communes, agencies = members[key]
        status = "waiting_guidance" if task.status == "waiting_guidance" else "not_started"
        units = [TaskUnit(task=task, commune_id=c, status=status) for c in communes]
        units += [TaskUnit(task=task, agency_id=a, status=status) for a in agencies]
        TaskUnit.objects.bulk_create(units, ignore_conflicts=True)
        by_key = {(u.commune_id, u.agency_id): u for u in TaskUnit.objects.filter(task=task)}
        # Notes written by units, oldest first: the latest percent and date win.
        for update in TaskUpdate.objects.filter(task=task, kind="progress").order_by("on", "created_at"):
            unit = by_key.get((update.commune_id, None)) if update.commune_id else by_key.get((None, update.agency_id))
            if unit is None:
                continue
            update.unit = unit
            update.save(update_fields=["unit"])
            unit.reported_on = update.on
            if unit.status in ("not_started",):
                unit.status = "in_progress"
            if update.percent is not None:
                unit.progress = update.percent
        for unit in by_key.values():
            if unit.reported_on:
                unit.save(update_fields=["reported_on", "status", "progress"])


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0003_task_units"),
        ("agencies", "0001_initial"),
        ("geo", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
