"""Narratives written before commit e17a276 (table indicators_reportnarrative) move into
reporting_reportnarrative; see reporting/legacy.py. A no-op on databases created later."""

from django.db import migrations


def forwards(apps, schema_editor):
    from reporting.legacy import copy_legacy_narratives

    copy_legacy_narratives(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("reporting", "0003_reportnarrative")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
