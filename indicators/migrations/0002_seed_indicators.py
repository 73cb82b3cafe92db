from django.db import migrations


def forwards(apps, schema_editor):
    from indicators.catalogue import seed

    seed(apps.get_model("indicators", "Indicator"), apps.get_model("indicators", "Target"),
         apps.get_model("program", "NationalTarget"))


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial"), ("program", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
