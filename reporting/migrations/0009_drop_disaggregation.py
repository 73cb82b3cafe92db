from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reporting", "0008_seed_category_combos")]

    operations = [
        migrations.RemoveField(
            model_name="dataelement",
            name="disaggregation",
        ),
    ]
