from django.db import migrations


def forwards(apps, schema_editor):
    from legal import seed

    RuleSet = apps.get_model("legal", "RuleSet")
    Holiday = apps.get_model("legal", "Holiday")
    for data in seed.rule_sets():
        RuleSet.objects.get_or_create(code=data["code"], defaults=data)
    existing = set(Holiday.objects.values_list("day", flat=True))
    Holiday.objects.bulk_create(
        Holiday(day=day, name=name, source=seed.HOLIDAY_SOURCE)
        for day, name in seed.holiday_rows()
        if day not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("legal", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
