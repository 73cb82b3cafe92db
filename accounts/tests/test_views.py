import pytest
from django.urls import reverse

from access.roles import Role
from accounts.models import RoleAssignment, User
from agencies.models import Agency
from audit.models import AuditEvent

ALL = ["office_a", "office_b", "agency_a", "commune_a", "case_a", "leader_a", "national", "admin"]
OFFICE_ONLY = {
    "office_a": 200,
    "office_b": 200,
    "agency_a": 403,
    "commune_a": 403,
    "case_a": 403,
    "leader_a": 403,
    "national": 403,
    "admin": 200,
}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ALL)
def test_user_list(login, persona):
    response = login(persona).get(reverse("accounts:users"))
    assert response.status_code == OFFICE_ONLY[persona]
    if persona == "office_a":
        usernames = {u.username for u in response.context["page"].paginator.object_list}
        assert "syt" in usernames and "thuongtruc_b" not in usernames and "c04" not in usernames


DETAIL_A = {
    "office_a": 200,
    "office_b": 404,
    "agency_a": 403,
    "commune_a": 403,
    "case_a": 403,
    "leader_a": 403,
    "national": 403,
    "admin": 200,
}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ALL)
def test_user_detail_of_a_province_a_user(login, persona, agency_a):
    assert login(persona).get(reverse("accounts:user_detail", args=[agency_a.pk])).status_code == DETAIL_A[persona]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ALL)
def test_user_create_page(login, persona):
    assert login(persona).get(reverse("accounts:user_create")).status_code == OFFICE_ONLY[persona]


def _create_payload(**extra):
    return {
        "username": "canbo.moi",
        "full_name": "Cán Bộ Mới",
        "email": "",
        "position": "",
        "phone": "",
        "province": "66",
        "password1": "Khoa#Manh2026x",
        "password2": "Khoa#Manh2026x",
        **extra,
    }


@pytest.mark.django_db
def test_office_creates_a_user_who_must_change_password(login):
    response = login("office_a").post(reverse("accounts:user_create"), _create_payload())
    user = User.objects.get(username="canbo.moi")
    assert response.status_code == 302 and user.province_id == "66" and user.must_change_password
    assert AuditEvent.objects.filter(action="user.create", object_id=str(user.pk)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("ngan", "quá ngắn"),
        ("chiconchuthuong", "chữ hoa, chữ số"),
        ("12345678901234", "chữ hoa, chữ số"),
    ],
)
def test_weak_passwords_are_refused(login, password, message):
    response = login("office_a").post(
        reverse("accounts:user_create"), _create_payload(password1=password, password2=password)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="canbo.moi").exists()


@pytest.mark.django_db
def test_office_a_cannot_create_a_user_in_province_b(login):
    response = login("office_a").post(reverse("accounts:user_create"), _create_payload(province="33"))
    assert response.status_code == 200  # the province is not a valid choice
    assert not User.objects.filter(username="canbo.moi").exists()


@pytest.mark.django_db
def test_office_assigns_and_revokes_a_role(login, agency_a):
    client = login("office_a")
    url = reverse("accounts:user_detail", args=[agency_a.pk])
    commune_code = "24169"
    response = client.post(url, {"role-role": Role.COMMUNE_OFFICER, "role-commune": commune_code})
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=agency_a, role=Role.COMMUNE_OFFICER)
    assert assignment.commune_id == commune_code and assignment.province_id == "66"
    response = client.post(reverse("accounts:role_revoke", args=[agency_a.pk, assignment.pk]))
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert list(AuditEvent.objects.filter(object_id=str(agency_a.pk)).values_list("action", flat=True)[:2]) == [
        "role.revoke",
        "role.assign",
    ]


@pytest.mark.django_db
def test_a_role_without_its_scope_is_refused(login, agency_a):
    before = RoleAssignment.objects.count()
    response = login("office_a").post(
        reverse("accounts:user_detail", args=[agency_a.pk]), {"role-role": Role.AGENCY_OFFICER}
    )
    assert "Hãy chọn cơ quan" in response.content.decode()
    assert RoleAssignment.objects.count() == before


@pytest.mark.django_db
def test_an_agency_of_province_b_is_not_a_choice_for_office_a(login, agency_a):
    agency_b = Agency.objects.get(province_id="33", code="SYT")
    response = login("office_a").post(
        reverse("accounts:user_detail", args=[agency_a.pk]),
        {"role-role": Role.AGENCY_OFFICER, "role-agency": agency_b.pk},
    )
    assert response.status_code == 200
    assert not RoleAssignment.objects.filter(user=agency_a, agency=agency_b).exists()


@pytest.mark.django_db
def test_office_cannot_grant_national_roles(login, agency_a):
    response = login("office_a").post(
        reverse("accounts:user_detail", args=[agency_a.pk]), {"role-role": Role.NATIONAL_VIEWER}
    )
    assert response.status_code == 200
    assert not RoleAssignment.objects.filter(user=agency_a, role=Role.NATIONAL_VIEWER).exists()


POSTS = {
    "office_a": 302,
    "office_b": 404,
    "agency_a": 403,
    "commune_a": 403,
    "case_a": 403,
    "leader_a": 403,
    "national": 403,
    "admin": 302,
}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ALL)
def test_deactivate_requires_the_managing_office(login, persona, commune_a):
    response = login(persona).post(reverse("accounts:user_set_active", args=[commune_a.pk]), {"active": "0"})
    assert response.status_code == POSTS[persona]
    commune_a.refresh_from_db()
    assert commune_a.is_active == (POSTS[persona] != 302)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ALL)
def test_revoke_requires_the_managing_office(login, persona, commune_a):
    assignment = commune_a.role_assignments.first()
    response = login(persona).post(reverse("accounts:role_revoke", args=[commune_a.pk, assignment.pk]))
    assert response.status_code == POSTS[persona]
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists() == (POSTS[persona] != 302)


@pytest.mark.django_db
def test_an_officer_cannot_deactivate_themself(login, office_a):
    login("office_a").post(reverse("accounts:user_set_active", args=[office_a.pk]), {"active": "0"})
    office_a.refresh_from_db()
    assert office_a.is_active


@pytest.mark.django_db
def test_get_on_a_post_only_view_is_405(login, commune_a):
    assert login("office_a").get(reverse("accounts:user_set_active", args=[commune_a.pk])).status_code == 405
