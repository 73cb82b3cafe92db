from django.db import migrations, models


class Migration(migrations.Migration):
    """A draft keeps its cells typed in a form their element does not take (issue 16)."""

    dependencies = [("reporting", "0005_merge_kinds_and_legacy_narratives")]

    operations = [
        migrations.AddField(
            model_name="submission",
            name="pending_raw",
            field=models.JSONField(blank=True, default=dict, verbose_name="ô nhập chưa đúng (giữ nguyên văn)"),
        ),
    ]
