"""Role grants gain a second approver and an end date; grants made before take effect as they did."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def approve_existing(apps, schema_editor):
    RoleAssignment = apps.get_model("accounts", "RoleAssignment")
    RoleAssignment.objects.filter(approved_at__isnull=True).update(
        approved_at=models.F("created_at"), approved_by=models.F("created_by")
    )


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="roleassignment",
            name="approved_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="ngày phê duyệt"),
        ),
        migrations.AddField(
            model_name="roleassignment",
            name="approved_by",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+",
                to=settings.AUTH_USER_MODEL, verbose_name="người phê duyệt",
            ),
        ),
        migrations.AddField(
            model_name="roleassignment",
            name="valid_until",
            field=models.DateField(blank=True, null=True, verbose_name="hiệu lực đến hết ngày"),
        ),
        migrations.RunPython(approve_existing, migrations.RunPython.noop),
    ]
