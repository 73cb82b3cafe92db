"""Events written before issue 9 copied account holders' names and contact details: keep that they
changed, drop the values, and name the account by its login."""

from django.db import migrations

PROTECTED = ("full_name", "email", "phone", "position")
CHANGED = "(đã thay đổi)"


def scrub(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    User = apps.get_model("accounts", "User")
    logins = dict(User.objects.values_list("pk", "username"))
    for event in AuditEvent.objects.filter(object_type="accounts.user").iterator():
        changes = {k: (CHANGED if k in PROTECTED else v) for k, v in (event.changes or {}).items()}
        username = logins.get(int(event.object_id)) if event.object_id.isdigit() else None
        label = f"Tài khoản {username}" if username else f"Tài khoản #{event.object_id}"
        if changes != event.changes or label != event.object_repr:
            event.changes, event.object_repr = changes, label
            event.save(update_fields=["changes", "object_repr"])


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
        ("accounts", "0003_grant_approval_and_expiry"),
    ]

    operations = [migrations.RunPython(scrub, migrations.RunPython.noop)]
