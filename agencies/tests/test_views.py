import pytest
from django.urls import reverse

from agencies.models import Agency
from audit.models import AuditEvent

ALL = ["office_a", "office_b", "agency_a", "commune_a", "case_a", "leader_a", "national", "admin"]
LIST = {
    "office_a": 200,
    "office_b": 200,
    "agency_a": 403,
    "commune_a": 403,
    "case_a": 403,
    "leader_a": 200,
    "national": 403,
    "admin": 200,
}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ALL)
def test_agency_list(login, persona):
    response = login(persona).get(reverse("agencies:list") + "?show=all")
    assert response.status_code == LIST[persona]
    if persona in ("office_a", "leader_a"):
        provinces = {a.province_id for a in response.context["page"].paginator.object_list}
        assert provinces == {"66"}


EDIT = {
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
def test_agency_edit_page(login, persona):
    agency = Agency.objects.get(province_id="66", code="SYT")
    assert login(persona).get(reverse("agencies:edit", args=[agency.pk])).status_code == EDIT[persona]


@pytest.mark.django_db
def test_office_edits_an_agency_with_aliases_and_it_is_audited(login):
    agency = Agency.objects.get(province_id="66", code="SYT")
    response = login("office_a").post(
        reverse("agencies:edit", args=[agency.pk]),
        {
            "code": "syt",
            "name": "Sở Y tế",
            "short_name": "SYT",
            "kind": "department",
            "aliases_text": "Sở Y Tế tỉnh\nSYT\nSYT\n",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.aliases == ["Sở Y Tế tỉnh", "SYT"] and agency.code == "SYT"
    assert AuditEvent.objects.filter(action="agency.update", object_id=str(agency.pk)).exists()


@pytest.mark.django_db
def test_office_b_cannot_post_to_province_a_agency(login):
    agency = Agency.objects.get(province_id="66", code="SYT")
    response = login("office_b").post(
        reverse("agencies:edit", args=[agency.pk]), {"code": "X", "name": "Hacked", "kind": "other"}
    )
    assert response.status_code == 404
    agency.refresh_from_db()
    assert agency.name == "Sở Y tế"


@pytest.mark.django_db
def test_a_duplicate_code_is_refused(login):
    before = Agency.objects.count()
    response = login("office_a").post(reverse("agencies:create"), {"code": "SYT", "name": "Trùng", "kind": "other"})
    assert response.status_code == 200 and "Mã này đã có" in response.content.decode()
    assert Agency.objects.count() == before


CREATE = {
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
def test_agency_create_page(login, persona):
    assert login(persona).get(reverse("agencies:create")).status_code == CREATE[persona]


@pytest.mark.django_db
def test_office_creates_an_agency_in_its_province(login):
    response = login("office_a").post(
        reverse("agencies:create"),
        {"code": "TTKSBT", "name": "Trung tâm Kiểm soát bệnh tật tỉnh", "kind": "department", "is_active": "on"},
    )
    assert response.status_code == 302
    assert Agency.objects.get(code="TTKSBT").province_id == "66"


@pytest.mark.django_db
def test_the_standard_catalogue_is_seeded_with_legacy_bodies():
    names = set(Agency.objects.filter(province_id="66").values_list("name", flat=True))
    assert {"Công an tỉnh", "Sở Y tế", "Tỉnh đoàn", "UBND cấp xã", "Báo và Phát thanh, Truyền hình Đắk Lắk"} <= names
    legacy = Agency.objects.get(province_id="66", code="SLDTBXH")
    assert legacy.legacy and legacy.name == "Sở Lao động - Thương binh và Xã hội"


@pytest.mark.django_db
def test_an_office_cannot_create_in_another_province_by_query_string(login):
    response = login("office_a").post(
        reverse("agencies:create") + "?province=33", {"code": "XX1", "name": "X", "kind": "other"}
    )
    assert response.status_code == 404
    assert not Agency.objects.filter(code="XX1").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "edits"), [("office_a", True), ("leader_a", False), ("admin", True)])
def test_the_list_offers_editing_to_holders_of_agency_manage_only(login, persona, edits):
    body = login(persona).get(reverse("agencies:list")).content.decode()
    assert ("+ Thêm cơ quan" in body) == edits
