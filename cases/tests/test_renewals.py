"""Renewal of case roles (issue 13 §3): listed 30 days before the end and after it, requested by
the Standing Office, approved by a second officer (not the requester, not the holder), 12 months
from the approval; holders told 30 and 7 days before."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from access.policy import can
from access.roles import Role
from access.scope import forget_scope
from accounts.models import RoleAssignment
from accounts.services import case_role_limit
from cases.models import RoleRenewal
from cases.services import renewals
from cases.tests.conftest import make_user
from conftest import COMMUNE_A, PROVINCE_A, PROVINCE_B, sign_in
from notices.models import Notification

pytestmark = pytest.mark.django_db


def _case_role(username: str, until: datetime.date, province: str = PROVINCE_A, commune: str | None = COMMUNE_A):
    user = make_user(username, Role.CASE_OFFICER, province=province, commune=commune)
    RoleAssignment.objects.filter(user=user, role=Role.CASE_OFFICER).update(valid_until=until)
    forget_scope(user)
    return user, RoleAssignment.objects.get(user=user, role=Role.CASE_OFFICER)


@pytest.fixture
def office2(db):
    return make_user("thuongtruc_2", Role.STANDING_OFFICE, province=PROVINCE_A)


def test_the_list_shows_roles_ending_within_30_days_and_ended(office_a, office_b):
    today = timezone.localdate()
    _, soon = _case_role("hoso_soon", today + datetime.timedelta(days=10))
    _, ended = _case_role("hoso_ended", today - datetime.timedelta(days=3))
    _, later = _case_role("hoso_later", today + datetime.timedelta(days=31))
    rows = {r.assignment.pk: r for r in renewals.expiring(office_a)}
    assert soon.pk in rows and ended.pk in rows and later.pk not in rows
    assert rows[ended.pk].expired and rows[soon.pk].days_left == 10
    assert rows[soon.pk].may_request and not rows[soon.pk].may_approve
    # Another province's office sees none of them.
    assert not {r.assignment.pk for r in renewals.expiring(office_b)} & {soon.pk, ended.pk}


def test_request_then_a_second_officer_approves_12_months_from_the_approval(
    office_a, office2, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    holder, role = _case_role("hoso_renew", today - datetime.timedelta(days=2))
    assert not can(holder, "registry.read_named")  # ended: no access
    with django_capture_on_commit_callbacks(execute=True):
        renewal = renewals.request_renewal(acting_user=office_a, assignment=role)
    assert Notification.objects.filter(user=office2, key=f"role-renewal:{renewal.pk}").exists()
    assert not Notification.objects.filter(user=office_a, key=f"role-renewal:{renewal.pk}").exists()
    with pytest.raises(ValidationError):  # one pending request at a time
        renewals.request_renewal(acting_user=office2, assignment=role)
    with pytest.raises(PermissionDenied):  # the requester never approves
        renewals.approve_renewal(acting_user=office_a, renewal=renewal)
    assert RoleAssignment.objects.get(pk=role.pk).valid_until == today - datetime.timedelta(days=2)
    on = today + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        done = renewals.approve_renewal(acting_user=office2, renewal=renewal, today=on)
    role.refresh_from_db()
    assert role.valid_until == case_role_limit(on) == done.new_until
    assert done.previous_until == today - datetime.timedelta(days=2) and done.approved_by == office2
    forget_scope(holder)
    assert can(holder, "registry.read_named")
    assert Notification.objects.filter(user=holder, key=f"role-renewed:{renewal.pk}").exists()
    with pytest.raises(ValidationError):
        renewals.approve_renewal(acting_user=office2, renewal=renewal)


def test_the_holder_neither_requests_nor_approves_their_own_renewal(office_a, office2):
    today = timezone.localdate()
    # An office officer who also holds a case role.
    RoleAssignment.objects.create(
        user=office2,
        role=Role.CASE_OFFICER,
        province_id=PROVINCE_A,
        commune_id=COMMUNE_A,
        approved_at=timezone.now(),
        valid_until=today + datetime.timedelta(days=5),
    )
    forget_scope(office2)
    role = RoleAssignment.objects.get(user=office2, role=Role.CASE_OFFICER)
    with pytest.raises(PermissionDenied):
        renewals.request_renewal(acting_user=office2, assignment=role)
    renewal = renewals.request_renewal(acting_user=office_a, assignment=role)
    with pytest.raises(PermissionDenied):
        renewals.approve_renewal(acting_user=office2, renewal=renewal)
    row = next(r for r in renewals.expiring(office2) if r.assignment.pk == role.pk)
    assert not row.may_approve and not row.may_request


def test_out_of_province_officers_are_refused(office_b):
    _, role = _case_role("hoso_far", timezone.localdate() + datetime.timedelta(days=3))
    with pytest.raises(PermissionDenied):
        renewals.request_renewal(acting_user=office_b, assignment=role)


def test_the_pages(client, office_a, office2):
    today = timezone.localdate()
    holder, role = _case_role("hoso_page", today + datetime.timedelta(days=7))
    sign_in(client, office_a)
    page = client.get("/ho-so/gia-han-vai-tro/").content.decode()
    assert "hoso_page" in page and "Đề nghị gia hạn" in page
    response = client.post(f"/ho-so/gia-han-vai-tro/{role.pk}/de-nghi/")
    assert response.status_code == 302
    renewal = RoleRenewal.objects.get(assignment=role)
    assert "Phê duyệt gia hạn" not in client.get("/ho-so/gia-han-vai-tro/").content.decode()
    client.post(f"/ho-so/gia-han-vai-tro/de-nghi/{renewal.pk}/duyet/")  # refused: the requester
    assert RoleRenewal.objects.get(pk=renewal.pk).is_pending
    sign_in(client, office2)
    assert "Phê duyệt gia hạn" in client.get("/ho-so/gia-han-vai-tro/").content.decode()
    client.post(f"/ho-so/gia-han-vai-tro/de-nghi/{renewal.pk}/duyet/")
    role.refresh_from_db()
    assert role.valid_until == case_role_limit(today)
    for persona_user in (holder,):
        sign_in(client, persona_user)
        assert client.get("/ho-so/gia-han-vai-tro/").status_code == 403


@pytest.mark.parametrize("persona", ["case_a", "commune_a", "leader_a", "national"])
def test_other_roles_may_not_see_renewals(login, client, persona):
    login(persona)
    assert client.get("/ho-so/gia-han-vai-tro/").status_code == 403
    assert client.post("/ho-so/gia-han-vai-tro/1/de-nghi/").status_code == 403


def test_holders_are_told_30_and_7_days_before_once_each():
    today = datetime.date(2027, 3, 1)
    holder, role = _case_role("hoso_notice", today + datetime.timedelta(days=30))
    far, _ = _case_role("hoso_far_notice", today + datetime.timedelta(days=31))

    def keys(user):
        return sorted(
            Notification.objects.filter(user=user, key__startswith="case-role-expiry").values_list("key", flat=True)
        )

    renewals.send_expiry_notices(on=today - datetime.timedelta(days=1))
    assert keys(holder) == []
    renewals.send_expiry_notices(on=today)
    assert keys(far) == []  # 31 days left
    renewals.send_expiry_notices(on=today + datetime.timedelta(days=1))  # not again
    assert len(keys(holder)) == 1 and keys(holder)[0].endswith(":30")
    call_command("send_case_role_reminders", "--today", "22/03/2027", "--here", verbosity=0)  # 9 days left
    assert len(keys(holder)) == 1
    call_command("send_case_role_reminders", "--today", "24/03/2027", verbosity=0)  # 7 days: as a job
    assert len(keys(holder)) == 2 and keys(holder)[1].endswith(":7")
    assert "Vai trò sắp hết hạn" in Notification.objects.filter(user=holder).latest("pk").title
    # Once renewed, the new end date gets its own notices next year.
    RoleAssignment.objects.filter(pk=role.pk).update(valid_until=datetime.date(2028, 3, 31))
    renewals.send_expiry_notices(on=datetime.date(2028, 3, 24))
    assert len(keys(holder)) == 3


def test_a_province_b_role_is_not_in_province_a(office_a):
    _, role = _case_role("hoso_b2", timezone.localdate(), province=PROVINCE_B, commune=None)
    assert role.pk not in {r.assignment.pk for r in renewals.expiring(office_a)}
