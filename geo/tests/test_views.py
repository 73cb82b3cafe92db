"""Every geo view × persona: in scope, out of scope (404), wrong role (403)."""

import pytest
from django.urls import reverse

from geo.models import Commune, Population

ALL = ["office_a", "office_b", "agency_a", "commune_a", "case_a", "leader_a", "national", "admin"]

COMMUNES_A = {
    "office_a": 200,
    "office_b": 404,
    "agency_a": 403,
    "commune_a": 403,
    "case_a": 403,
    "leader_a": 200,
    "national": 200,
    "admin": 200,
}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ALL)
def test_commune_list_of_province_a(login, persona):
    response = login(persona).get(reverse("geo:communes") + "?province=66")
    assert response.status_code == COMMUNES_A[persona]
    if response.status_code == 200:
        assert response.context["page"].paginator.count == 102


DETAIL_A = {
    "office_a": 200,
    "office_b": 404,
    "agency_a": 200,
    "commune_a": 200,
    "case_a": 200,
    "leader_a": 200,
    "national": 200,
    "admin": 200,
}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ALL)
def test_commune_detail_in_province_a(login, persona):
    response = login(persona).get(reverse("geo:commune_detail", args=["24133"]))
    assert response.status_code == DETAIL_A[persona]


@pytest.mark.django_db
def test_a_commune_officer_cannot_see_another_commune(login):
    other = Commune.objects.filter(province_id="66").exclude(code="24133").first()
    assert login("commune_a").get(reverse("geo:commune_detail", args=[other.code])).status_code == 404


@pytest.mark.django_db
def test_an_unknown_commune_code_is_404(login):
    assert login("office_a").get(reverse("geo:commune_detail", args=["00000"])).status_code == 404


POST_POP = {
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
def test_only_the_provinces_office_edits_population(login, persona):
    url = reverse("geo:commune_detail", args=["24133"])
    response = login(persona).post(url, {"year": "2030", "population": "12.345", "source": "x"})
    assert response.status_code == POST_POP[persona]
    saved = Population.objects.filter(commune_id="24133", year=2030).first()
    assert (saved is not None and saved.population == 12345) == (POST_POP[persona] == 302)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "«abc» không phải là số."),
        ("-4", "không được âm"),
        ("12.5", "phải là số nguyên"),
    ],
)
def test_bad_population_is_refused_in_vietnamese_and_nothing_changes(login, value, message):
    url = reverse("geo:commune_detail", args=["24133"])
    before = list(Population.objects.filter(commune_id="24133").values_list("year", "population"))
    response = login("office_a").post(url, {"year": "2025", "population": value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(Population.objects.filter(commune_id="24133").values_list("year", "population")) == before


IMPORT = {
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
def test_population_import_page(login, persona):
    assert login(persona).get(reverse("geo:population_import")).status_code == IMPORT[persona]


@pytest.mark.django_db
def test_office_b_cannot_import_into_province_a(login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    f = SimpleUploadedFile("p.csv", b"code,year,population\n24133,2031,5\n", content_type="text/csv")
    response = login("office_b").post(reverse("geo:population_import"), {"file": f})
    assert response.status_code == 200
    assert "không có trong danh sách" in response.content.decode()
    assert not Population.objects.filter(year=2031).exists()


@pytest.mark.django_db
def test_a_bad_file_shows_every_error_and_saves_nothing(login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    f = SimpleUploadedFile("p.csv", b"code,year,population\n24133,2031,x\n24169,2031,-1\n", content_type="text/csv")
    response = login("office_a").post(reverse("geo:population_import"), {"file": f})
    body = response.content.decode()
    assert "Dòng 2:" in body and "Dòng 3:" in body and "Tệp bị từ chối" in body
    assert not Population.objects.filter(year=2031).exists()


@pytest.mark.django_db
def test_htmx_filter_returns_the_partial_table(login):
    response = login("office_a").get(reverse("geo:communes") + "?province=66&q=Ea&kind=xa", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert "Xã Ea" in body and "Phường" not in body.split("<tbody>")[1]


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_login(client):
    response = client.get(reverse("geo:communes"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
