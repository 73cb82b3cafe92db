"""Maps: markers at the centroids, coloured with a legend and the same figures as a table."""

from __future__ import annotations

import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse

from areas.models import CommuneAssessment, LegalBasis, Status
from areas.rules import CLASS_I, DRUG_FREE
from areas.selectors import current_year
from dashboard.services import maps
from dashboard.services.province import CLASS_COLOURS

pytestmark = pytest.mark.django_db
C1, C2 = "24133", "24169"


def approve(code: str, klass: str) -> None:
    CommuneAssessment.objects.create(
        commune_id=code, year=current_year(), legal_basis=LegalBasis.QD28, status=Status.APPROVED, approved_class=klass
    )


def fill_of(body: str, code: str) -> str:
    m = re.search(rf'data-key="{code}"><circle [^>]*fill="(#[0-9a-f]+)"', body)
    assert m, code
    return m.group(1)


def test_the_province_map_colours_communes_by_their_approved_class(login):
    approve(C1, DRUG_FREE)
    approve(C2, CLASS_I)
    response = login("leader_a").get(reverse("dashboard:province_map", args=["66"]))
    body = response.content.decode()
    assert fill_of(body, C1) == CLASS_COLOURS[DRUG_FREE] and fill_of(body, C2) == CLASS_COLOURS[CLASS_I]
    assert body.count("<circle ") >= 102  # every commune of Đắk Lắk has a centroid
    legend = {i.label: i.count for i in response.context["map"].legend}
    assert (
        legend["Không ma túy"] == 1
        and legend["Loại I"] == 1
        and legend[f"Chưa có kết quả phê duyệt năm {current_year()}"] == 100
    )
    table = body.split('data-testid="map-table"')[1]
    assert re.search(r">Phường Buôn Ma Thuột</a></td><td>Không ma túy</td>", table)
    assert 'cx="' in body and "," not in re.search(r'cx="([^"]+)"', body).group(1)  # SVG numbers, not Vietnamese ones


def test_the_completeness_colouring_is_for_those_who_read_completeness(login):
    office = login("office_a").get(reverse("dashboard:province_map", args=["66"]), {"mode": "completeness"})
    assert office.context["map"].mode == "completeness"
    national = login("national").get(reverse("dashboard:province_map", args=["66"]), {"mode": "completeness"})
    assert national.context["map"].mode == "class" and "completeness" not in national.context["map"].modes


@pytest.mark.parametrize(
    "persona,status",
    [("office_a", 200), ("leader_a", 200), ("national", 200), ("office_b", 404), ("agency_a", 403), ("commune_a", 403)],
)
def test_who_may_open_the_province_map(login, persona, status):
    assert login(persona).get(reverse("dashboard:province_map", args=["66"])).status_code == status


@pytest.mark.parametrize(
    "persona,status", [("national", 200), ("leader_a", 403), ("office_a", 403), ("agency_a", 403), ("admin", 403)]
)
def test_the_national_map_is_for_a_national_reach(login, persona, status):
    assert login(persona).get(reverse("dashboard:nation_map")).status_code == status


def test_the_national_map_sizes_provinces_by_communes_and_keeps_names_out(login):
    response = login("national").get(reverse("dashboard:nation_map"), {"mode": "overdue"})
    body = response.content.decode()
    the_map = response.context["map"]
    assert len(the_map.placed) == 34
    communes = dict(response.context["map"].markers and [(r.code, r.communes) for r in _rows()])
    ordered = sorted(the_map.markers, key=lambda m: communes[m.key])
    assert [m.radius for m in ordered] == sorted(m.radius for m in the_map.markers)  # area grows with communes
    assert sum(i.count for i in the_map.legend) == 34 and the_map.legend[0].label == "Không có"
    assert 'data-testid="map-table"' in body and "Thuờng" not in body and "Sở Y tế" not in body


def _rows():
    from accounts.models import User
    from dashboard.services.nation import nation

    return nation(User.objects.get(username="c04")).rows


def test_small_people_counts_get_a_class_of_their_own():
    markers = [maps.Marker(str(i), f"X{i}", 12.0, 108.0 + i / 100, "", "", "none") for i in range(4)]
    card = SimpleNamespace(indicator=SimpleNamespace(code="CS_T1", name="Người nghiện", unit="người", decimals=0))
    rows = [
        SimpleNamespace(key=str(i), cells=[SimpleNamespace(value=v)])
        for i, v in enumerate([Decimal(3), Decimal(40), None, Decimal(0)])
    ]
    board = SimpleNamespace(cards=[card], units=rows, period=SimpleNamespace(label="Năm 2026"))
    from unittest import mock

    with mock.patch("indicators.services.dashboard", return_value=board):
        legend, _, _, _ = maps._by_indicator(SimpleNamespace(pk="66"), markers, "CS_T1", reveal=False)
    assert [m.value for m in markers] == ["<5", "40 người", "Chưa có số liệu", "0 người"]
    assert {i.label: i.count for i in legend}["1–4 người (ẩn số nhỏ)"] == 1
    with mock.patch("indicators.services.dashboard", return_value=board):
        maps._by_indicator(SimpleNamespace(pk="66"), markers, "CS_T1", reveal=True)
    assert markers[0].value == "3 người"


def test_offshore_special_zones_go_to_an_inset():
    near = maps.Marker("a", "A", 16.0, 108.2, "", "", "none")
    far = maps.Marker("b", "Đặc khu Hoàng Sa", 16.5, 112.0, "", "", "none")
    height = maps.project([near, far, maps.Marker("c", "C", 16.1, 108.0, "", "", "none")])
    assert far.inset and not near.inset and height > 0
    assert far.x > near.x
