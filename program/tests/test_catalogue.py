import pytest
from django.urls import reverse

from program.models import NationalTarget, Project
from program.services import load_programme


@pytest.mark.django_db
def test_the_catalogue_has_nine_projects_and_their_sub_projects():
    assert Project.objects.filter(parent__isnull=True).count() == 9
    assert set(Project.objects.filter(parent_id="DA7").values_list("code", flat=True)) == {
        "DA7.1",
        "DA7.2",
        "DA7.3",
        "DA7.4",
    }
    assert str(Project.objects.get(code="DA7.2")) == "Tiểu dự án 2 thuộc Dự án 7"
    assert Project.objects.get(code="DA6").national_lead == "Bộ Y tế"


@pytest.mark.django_db
def test_national_targets_carry_their_numbers():
    t2 = NationalTarget.objects.get(code="T2", part="")
    assert (t2.comparator, t2.value, t2.unit, t2.year) == (">=", 50, "%", 2030)
    assert NationalTarget.objects.get(code="T6", part="a").comparator == ">"
    assert NationalTarget.objects.get(code="T1").comparator == "decrease"
    assert set(NationalTarget.objects.values_list("code", flat=True)) == {f"T{i}" for i in range(1, 10)}


@pytest.mark.django_db
def test_reloading_is_idempotent():
    before = (Project.objects.count(), NationalTarget.objects.count())
    load_programme()
    assert (Project.objects.count(), NationalTarget.objects.count()) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona", ["office_a", "office_b", "agency_a", "commune_a", "case_a", "leader_a", "national", "admin"]
)
def test_every_signed_in_role_reads_the_catalogue(login, persona):
    body = login(persona).get(reverse("program:catalogue")).content.decode()
    assert "Dự án 9" in body and "ít nhất 50%" in body


@pytest.mark.django_db
def test_anonymous_users_cannot(client):
    assert client.get(reverse("program:catalogue")).status_code == 302
