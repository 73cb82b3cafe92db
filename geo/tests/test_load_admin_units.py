from io import StringIO

import pytest
from django.core.management import call_command

from geo.models import Commune, CommuneKind, Province
from geo.services import load_admin_units


@pytest.mark.django_db
def test_it_holds_the_official_2025_map():
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321
    assert Commune.objects.filter(province_id="66").count() == 102
    assert Commune.objects.filter(province_id="33").count() == 104
    assert Commune.objects.filter(province_id="75").count() == 95
    kinds = {k: Commune.objects.filter(kind=k).count() for k in CommuneKind.values}
    assert kinds == {"xa": 2621, "phuong": 687, "dac_khu": 13}


@pytest.mark.django_db
def test_reloading_changes_nothing():
    result = load_admin_units()
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3355)


@pytest.mark.django_db
def test_a_renamed_unit_is_updated_by_code():
    commune = Commune.objects.get(code="24133")
    Commune.objects.filter(code="24133").update(name="Phường Tên Cũ", short_name="Tên Cũ")
    result = load_admin_units()
    assert result.updated == 1
    commune.refresh_from_db()
    assert commune.name == "Phường Buôn Ma Thuột"


@pytest.mark.django_db
def test_the_command_reports_in_vietnamese():
    out = StringIO()
    call_command("load_admin_units", stdout=out)
    assert "34 tỉnh, thành phố; 3321 xã, phường, đặc khu (tạo mới 0, cập nhật 0, không đổi 3355)" in out.getvalue()


@pytest.mark.django_db
def test_centroids_and_areas_come_from_the_package():
    c = Commune.objects.get(code="24133")
    assert 12 < c.lat < 13 and 107 < c.lon < 109
    assert c.area_km2 > 0
