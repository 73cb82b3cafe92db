import importlib

import pytest
from django.apps import apps

from accounts.models import User
from audit.models import AuditEvent
from audit.services import CHANGED, record

pytestmark = pytest.mark.django_db


def test_record_keeps_that_a_protected_field_changed_but_not_its_value(office_a):
    user = User.objects.get(username="syt")
    event = record(
        actor=office_a, action="user.update", obj=user, changes={"phone": ["0901", "0902"], "is_active": [True, False]}
    )
    assert event.changes == {"phone": CHANGED, "is_active": [True, False]}
    assert event.object_repr == "Tài khoản syt"


def test_the_migration_scrubs_events_written_before(office_a):
    user = User.objects.get(username="syt")
    old = AuditEvent.objects.create(
        actor=office_a,
        action="user.update",
        object_type="accounts.user",
        object_id=str(user.pk),
        object_repr=user.full_name,
        changes={"email": ["a@b.vn", "c@d.vn"], "is_active": [True, False]},
    )
    other = AuditEvent.objects.create(
        actor=office_a,
        action="plan.confirm",
        object_type="plans.plan",
        object_id="1",
        object_repr="Kế hoạch 1",
        changes={"title": ["a", "b"]},
    )
    migration = importlib.import_module("audit.migrations.0002_scrub_personal_values")
    migration.scrub(apps, None)
    old.refresh_from_db()
    other.refresh_from_db()
    assert old.changes == {"email": CHANGED, "is_active": [True, False]}
    assert old.object_repr == "Tài khoản syt"
    assert other.changes == {"title": ["a", "b"]}  # other objects keep their values
