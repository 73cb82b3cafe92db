"""Grants (issue 9): no self-grant, a second approver for province-wide, national and case roles,
grants that expire; contact details hidden from roles whose job does not need them; an audit
trail without protected values."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from access.policy import can, reach
from access.roles import Role
from accounts import services
from accounts.models import RoleAssignment, User
from audit.models import AuditEvent
from audit.services import CHANGED
from geo.models import Commune
from notices.models import Notification

pytestmark = pytest.mark.django_db


def fresh(user):
    return User.objects.get(pk=user.pk)


@pytest.fixture
def office_a2(office_a):
    """A second Standing Office officer of province A (the second approver)."""
    user = User.objects.create(username="thuongtruc2", full_name="Cán bộ thứ hai", province_id="66")
    RoleAssignment.objects.create(user=user, role=Role.STANDING_OFFICE, province_id="66", approved_at=timezone.now())
    return user


@pytest.fixture
def newcomer():
    return User.objects.create(
        username="moi", full_name="Người mới", province_id="66", email="moi@example.vn", phone="0901"
    )


# --- no self-grant --------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.LEADER, Role.CASE_OFFICER, Role.STANDING_OFFICE])
def test_nobody_grants_a_role_to_themself(office_a, role):
    before = RoleAssignment.objects.count()
    with pytest.raises(PermissionDenied, match="chính mình"):
        services.assign_role(acting_user=office_a, user=office_a, role=role)
    assert RoleAssignment.objects.count() == before


def test_an_administrator_cannot_grant_themself_either(admin_user):
    with pytest.raises(PermissionDenied, match="chính mình"):
        services.assign_role(acting_user=admin_user, user=admin_user, role=Role.NATIONAL_VIEWER)


def test_the_page_refuses_a_self_grant_with_its_message(login, office_a):
    response = login("office_a").post(reverse("accounts:user_detail", args=[office_a.pk]), {"role-role": Role.LEADER})
    assert response.status_code == 200
    assert "chính mình" in response.content.decode()
    assert not RoleAssignment.objects.filter(user=office_a, role=Role.LEADER).exists()


# --- the second approver --------------------------------------------------------------------


def test_a_unit_role_takes_effect_at_once(office_a, newcomer):
    a = services.assign_role(
        acting_user=office_a, user=newcomer, role=Role.COMMUNE_OFFICER, commune=Commune.objects.get(code="24133")
    )
    assert not a.is_pending and a.approved_by == office_a
    assert can(fresh(newcomer), "submission.enter")


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        (Role.LEADER, {}),
        (Role.STANDING_OFFICE, {}),
        (Role.CASE_OFFICER, {}),
        (Role.CASE_OFFICER, {"commune": "24133"}),
    ],
)
def test_a_province_wide_or_case_role_waits_for_a_second_approver(office_a, office_a2, newcomer, role, scope):
    kwargs = {"commune": Commune.objects.get(code=scope["commune"])} if scope else {}
    a = services.assign_role(acting_user=office_a, user=newcomer, role=role, **kwargs)
    assert a.is_pending
    assert not fresh(newcomer).role_assignments.in_force().exists()
    assert fresh(newcomer).role_assignments.count() == 1
    # The grantor cannot approve their own request.
    with pytest.raises(PermissionDenied, match="cán bộ khác"):
        services.approve_grant(acting_user=office_a, assignment=a)
    assert RoleAssignment.objects.get(pk=a.pk).is_pending
    services.approve_grant(acting_user=office_a2, assignment=a)
    a.refresh_from_db()
    assert not a.is_pending and a.approved_by == office_a2
    assert AuditEvent.objects.filter(action="role.approve", object_id=str(newcomer.pk)).exists()


def test_the_other_officers_are_told_and_see_it_in_their_list(
    login, office_a, office_a2, newcomer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        a = services.assign_role(acting_user=office_a, user=newcomer, role=Role.LEADER)
    assert Notification.objects.filter(user=office_a2, key=f"role-grant:{a.pk}").exists()
    assert not Notification.objects.filter(user=office_a, key=f"role-grant:{a.pk}").exists()
    listed = login("office_a").get(reverse("accounts:grants_pending")).context["pending"]
    assert a not in listed  # not one's own request
    client = login_as(login, office_a2)
    assert a in client.get(reverse("accounts:grants_pending")).context["pending"]
    response = client.post(reverse("accounts:grant_approve", args=[a.pk]))
    assert response.status_code == 302
    assert not RoleAssignment.objects.get(pk=a.pk).is_pending
    # A second click finds nothing pending: 404, nothing changes.
    assert client.post(reverse("accounts:grant_approve", args=[a.pk])).status_code == 404


def login_as(login, user):
    client = login("office_a")
    client.force_login(user)
    return client


def test_the_grantee_never_approves_their_own_grant(office_a, office_a2):
    user = User.objects.create(username="thuongtruc3", full_name="Cán bộ ba", province_id="66")
    RoleAssignment.objects.create(user=user, role=Role.STANDING_OFFICE, province_id="66", approved_at=timezone.now())
    a = services.assign_role(acting_user=office_a, user=user, role=Role.CASE_OFFICER)
    with pytest.raises(PermissionDenied, match="chính mình"):
        services.approve_grant(acting_user=user, assignment=a)
    assert a not in services.pending_for(user)


def test_another_province_cannot_approve(office_a, office_b, newcomer):
    a = services.assign_role(acting_user=office_a, user=newcomer, role=Role.LEADER)
    assert a not in services.pending_for(office_b)
    with pytest.raises(PermissionDenied):
        services.approve_grant(acting_user=office_b, assignment=a)
    assert RoleAssignment.objects.get(pk=a.pk).is_pending


def test_a_national_role_needs_a_second_administrator(admin_user, newcomer):
    a = services.assign_role(acting_user=admin_user, user=newcomer, role=Role.NATIONAL_VIEWER)
    assert a.is_pending and a.province_id is None
    second = User.objects.create(username="quantri2", full_name="Quản trị hai")
    RoleAssignment.objects.create(user=second, role=Role.ADMIN, approved_at=timezone.now())
    services.approve_grant(acting_user=second, assignment=a)
    assert reach(fresh(newcomer), "consolidation.nation").nation


def test_approving_twice_is_refused(office_a, office_a2, newcomer):
    a = services.assign_role(acting_user=office_a, user=newcomer, role=Role.LEADER)
    services.approve_grant(acting_user=office_a2, assignment=a)
    with pytest.raises(ValidationError, match="đã được phê duyệt"):
        services.approve_grant(acting_user=office_a2, assignment=a)


def test_approve_pages_are_for_approvers_only(login):
    for persona, code in [("office_a", 200), ("admin", 200), ("agency_a", 403), ("leader_a", 403), ("national", 403)]:
        assert login(persona).get(reverse("accounts:grants_pending")).status_code == code


# --- expiry ---------------------------------------------------------------------------------


def test_a_grant_ends_after_its_last_day(office_a, newcomer):
    today = timezone.localdate()
    a = services.assign_role(
        acting_user=office_a,
        user=newcomer,
        role=Role.COMMUNE_OFFICER,
        commune=Commune.objects.get(code="24133"),
        valid_until=today,
    )
    assert can(fresh(newcomer), "submission.enter")  # in force through its last day
    RoleAssignment.objects.filter(pk=a.pk).update(valid_until=today - datetime.timedelta(days=1))
    assert not can(fresh(newcomer), "submission.enter")
    assert RoleAssignment.objects.get(pk=a.pk).is_expired


def test_an_end_date_in_the_past_is_refused(login, office_a, newcomer):
    with pytest.raises(ValidationError, match="quá khứ"):
        services.assign_role(
            acting_user=office_a,
            user=newcomer,
            role=Role.COMMUNE_OFFICER,
            commune=Commune.objects.get(code="24133"),
            valid_until=datetime.date(2020, 1, 1),
        )
    response = login("office_a").post(
        reverse("accounts:user_detail", args=[newcomer.pk]),
        {"role-role": Role.COMMUNE_OFFICER, "role-commune": "24133", "role-valid_until": "31/02/2030"},
    )
    assert "dd/mm/yyyy" in response.content.decode()
    assert not RoleAssignment.objects.filter(user=newcomer).exists()


def test_the_page_grants_with_an_end_date(login, newcomer):
    response = login("office_a").post(
        reverse("accounts:user_detail", args=[newcomer.pk]),
        {"role-role": Role.COMMUNE_OFFICER, "role-commune": "24133", "role-valid_until": "31/12/2030"},
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.get(user=newcomer).valid_until == datetime.date(2030, 12, 31)


def test_expired_and_pending_grants_receive_no_notifications(office_a, newcomer):
    from reporting.services.review import unit_officers

    a = services.assign_role(
        acting_user=office_a, user=newcomer, role=Role.COMMUNE_OFFICER, commune=Commune.objects.get(code="24133")
    )
    assert newcomer in unit_officers(commune_id="24133")
    RoleAssignment.objects.filter(pk=a.pk).update(valid_until=datetime.date(2020, 1, 1))
    assert newcomer not in unit_officers(commune_id="24133")


# --- contact details are personal data ------------------------------------------------------


def test_the_office_sees_and_edits_contact_details(login, newcomer):
    body = login("office_a").get(reverse("accounts:user_detail", args=[newcomer.pk])).content.decode()
    assert "moi@example.vn" in body and "0901" in body


def test_the_administrator_does_not_see_contact_details(login, newcomer):
    client = login("admin")
    body = client.get(reverse("accounts:user_detail", args=[newcomer.pk])).content.decode()
    assert "moi@example.vn" not in body and "0901" not in body
    assert 'data-testid="contact-hidden"' in body
    # Nor can the administrator overwrite them through the form.
    client.post(
        reverse("accounts:user_detail", args=[newcomer.pk]),
        {"edit-full_name": "Người mới", "edit-position": "Chuyên viên", "edit-email": "x@x.vn", "edit-phone": "1"},
    )
    newcomer.refresh_from_db()
    assert newcomer.email == "moi@example.vn" and newcomer.phone == "0901" and newcomer.position == "Chuyên viên"


def test_the_admin_site_shows_no_contact_details_and_no_role_editing(login, newcomer):
    client = login("admin")
    body = client.get(reverse("admin:accounts_user_change", args=[newcomer.pk])).content.decode()
    assert "moi@example.vn" not in body and "0901" not in body
    # Roles are shown read-only: grants go through PCMT's rules, never around them.
    a = services.assign_role(
        acting_user=User.objects.get(username="thuongtruc"),
        user=newcomer,
        role=Role.COMMUNE_OFFICER,
        commune=Commune.objects.get(code="24133"),
    )
    body = client.get(reverse("admin:accounts_user_change", args=[newcomer.pk])).content.decode()
    assert str(a.commune) in body and 'name="role_assignments-0-role"' not in body
    assert 'name="is_superuser"' not in body and 'name="is_staff"' not in body


# --- the audit trail keeps no protected values ----------------------------------------------


def test_the_audit_trail_records_that_contact_details_changed_without_their_values(office_a, newcomer):
    services.update_user(acting_user=office_a, user=newcomer, data={"email": "moi2@example.vn", "phone": "0902"})
    event = AuditEvent.objects.filter(action="user.update", object_id=str(newcomer.pk)).get()
    assert event.changes == {"email": CHANGED, "phone": CHANGED}
    assert "Người mới" not in event.object_repr and "moi" in event.object_repr
    assert "example.vn" not in str(event.changes) and "090" not in str(event.changes)


def test_creating_an_account_records_no_personal_values(office_a):
    user = services.create_user(
        acting_user=office_a,
        province=office_a.province or newcomer_province(),
        password="Mat-khau-dai-2026!",
        username="tao",
        full_name="Nguyễn Thị Tạo",
        email="tao@example.vn",
        phone="0988",
        position="",
    )
    event = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
    assert (
        "Nguyễn" not in str(event.changes) and "tao@" not in str(event.changes) and event.changes["username"] == "tao"
    )


def newcomer_province():
    from geo.models import Province

    return Province.objects.get(code="66")


def test_the_home_page_tells_the_second_approver(login, office_a, office_a2, newcomer):
    services.assign_role(acting_user=office_a, user=newcomer, role=Role.LEADER)
    assert 'data-testid="home-pending-grants"' not in login("office_a").get(reverse("dashboard:home")).content.decode()
    body = login_as(login, office_a2).get(reverse("dashboard:home")).content.decode()
    assert 'data-testid="home-pending-grants"' in body and "1 phân quyền" in body


def test_an_administrator_granted_and_approved_opens_the_admin_site(login, admin_user, newcomer):
    second = User.objects.create(username="quantri2", full_name="Quản trị hai")
    RoleAssignment.objects.create(user=second, role=Role.ADMIN, approved_at=timezone.now())
    client = login_as(login, newcomer)
    assert client.get(reverse("admin:index")).status_code == 302  # no admin.site yet
    a = services.assign_role(acting_user=admin_user, user=newcomer, role=Role.ADMIN)
    assert client.get(reverse("admin:index")).status_code == 302  # pending
    services.approve_grant(acting_user=second, assignment=a)
    assert not User.objects.get(pk=newcomer.pk).is_superuser
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:program_project_changelist")).status_code == 200
