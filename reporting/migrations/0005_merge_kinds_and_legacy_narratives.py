from django.db import migrations


class Migration(migrations.Migration):
    """Joins the two migrations written side by side (report kinds; legacy narratives)."""

    dependencies = [("reporting", "0004_report_kinds_sources"), ("reporting", "0004_legacy_narratives")]
    operations = []
