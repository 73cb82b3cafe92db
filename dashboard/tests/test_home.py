import pytest
from django.urls import reverse

HOME_SECTION = {
    "office_a": "home-standing-office",
    "office_b": "home-standing-office",
    "agency_a": "home-agency",
    "commune_a": "home-commune",
    "case_a": "home-case-officer",
    "leader_a": "home-leader",
    "national": "home-nation",
    "admin": "home-nation",
}
SECTIONS = set(HOME_SECTION.values())


@pytest.mark.django_db
@pytest.mark.parametrize("persona", list(HOME_SECTION))
def test_each_role_lands_on_its_own_home(login, persona):
    body = login(persona).get(reverse("dashboard:home")).content.decode()
    assert f'data-testid="{HOME_SECTION[persona]}"' in body
    others = SECTIONS - {HOME_SECTION[persona]}
    if persona == "case_a":
        others -= {"home-commune"}  # a commune-scoped case officer also sees the commune card
    for other in others:
        assert f'data-testid="{other}"' not in body, other


@pytest.mark.django_db
def test_office_home_shows_its_province_figures_in_vietnamese_format(login):
    body = login("office_a").get(reverse("dashboard:home")).content.decode()
    assert "Tỉnh Đắk Lắk" in body and ">102<" in body
    assert "Hưng Yên" not in body
    assert "năm 2025" in body  # years are not grouped like numbers


@pytest.mark.django_db
def test_a_user_without_roles_is_told_what_to_do(client, db):
    from accounts.models import User

    user = User.objects.create_user("norole", password="x", full_name="Chưa Có Vai Trò")
    client.force_login(user)
    assert "chưa được giao vai trò" in client.get(reverse("dashboard:home")).content.decode()


@pytest.mark.django_db
def test_the_office_home_costs_the_same_queries_with_more_accounts(login, queries_of):
    from accounts.models import User

    client = login("office_a")
    assert client.get(reverse("dashboard:home")).status_code == 200
    few = queries_of(lambda: client.get(reverse("dashboard:home")))
    User.objects.bulk_create([User(username=f"u{i}", province_id="66") for i in range(20)])
    assert queries_of(lambda: client.get(reverse("dashboard:home"))) == few
