"""Indicator values per unit and period from approved data, attainment on the page, the targets
page with provincial overrides, and the permission matrix of every view and POST."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from geo.models import Province
from indicators import services
from indicators.models import Indicator, Target
from reporting.periods import parse
from reporting.tests.builders_consolidation import PROVINCE_A, PROVINCE_B, commune_world

D = Decimal
PERSONAS = ["office_a", "office_b", "agency_a", "commune_a", "case_a", "leader_a", "national", "admin"]


@pytest.fixture
def world(db):
    Indicator.objects.update(is_active=False)  # the seeded ones: their elements have no data here
    w = commune_world()
    w.sum = Indicator.objects.create(
        code="ZI_SUM", name="Tổng (thử)", numerator="ZC_SUM", unit="người", decimals=0, order=1, min_coverage=0
    )
    Target.objects.create(indicator=w.sum, comparator="increase", value=D(5))
    w.pct = Indicator.objects.create(
        code="ZI_PCT",
        name="Tỷ lệ (thử)",
        numerator="ZC_MAX",
        denominator="ZC_DEN",
        factor=D(100),
        unit="%",
        order=2,
        min_coverage=0,  # these tests are about attainment; coverage has its own (test_figures.py)
    )
    Target.objects.create(indicator=w.pct, year=2025, comparator=">=", value=D(100))
    Target.objects.create(indicator=w.pct, year=2030, comparator=">=", value=D(1000))
    w.zero = Indicator.objects.create(
        code="ZI_ZERO",
        name="Chia cho 0 (thử)",
        numerator="ZC_SUM",
        denominator="ZC_AVG - ZC_AVG",
        factor=D(100),
        unit="%",
        order=3,
    )
    return w


def _card(board, code):
    return next(c for c in board.cards if c.indicator.code == code)


def test_province_quarter(world):
    board = services.dashboard(period=parse("2026Q2"), province=Province.objects.get(code=PROVINCE_A))
    s = _card(board, "ZI_SUM").cell
    assert (s.value, s.baseline, s.status) == (D(30), D(50), "off_track")  # 30 vs 50 a year before
    p = _card(board, "ZI_PCT").cell
    assert p.value == D(450) and p.goal.expected == D(100) + D(900) / 5 and p.status == "on_track"
    assert _card(board, "ZI_ZERO").cell.value is None  # division by zero: no value, no crash
    assert [label for label, _ in _card(board, "ZI_SUM").trend][-3:] == ["Quý IV/2025", "Quý I/2026", "Quý II/2026"]
    assert [v for _, v in _card(board, "ZI_SUM").trend][-2:] == [D(40), D(30)]


def test_year_combines_quarters_by_aggregation(world):
    board = services.dashboard(period=parse("2026"), province=Province.objects.get(code=PROVINCE_A))
    assert _card(board, "ZI_SUM").cell.value == D(70)  # Q1 40 + Q2 30
    assert _card(board, "ZI_SUM").cell.baseline == D(50)  # 2025: Q2 only


def test_communes_and_submitted_data(world):
    province = Province.objects.get(code=PROVINCE_A)
    board = services.dashboard(period=parse("2026Q2"), province=province)
    rows = {r.key: r for r in board.units}
    a1, a2, a3 = world.communes[PROVINCE_A]
    assert rows[a1].cells[0].value == D(10) and rows[a1].cells[0].status == "off_track"  # 10 vs 50
    assert rows[a2].cells[0].status == "no_data"  # no 2025Q2 baseline
    assert rows[a3].cells[0].value is None
    assert len(rows) == Province.objects.get(code=PROVINCE_A).communes.count()
    with_submitted = services.dashboard(period=parse("2026Q2"), province=province, include_submitted=True)
    assert _card(with_submitted, "ZI_SUM").cell.value == D(60)


def test_nation_and_provinces(world):
    board = services.dashboard(period=parse("2026Q2"), province=None)
    assert _card(board, "ZI_SUM").cell.value == D(45)
    rows = {r.key: r for r in board.units}
    assert rows[PROVINCE_B].cells[0].value == D(15) and len(rows) == 34


def test_provincial_override_changes_attainment(world):
    Target.objects.create(indicator=world.pct, province_id=PROVINCE_A, year=2026, comparator=">=", value=D(400))
    board = services.dashboard(period=parse("2026Q2"), province=Province.objects.get(code=PROVINCE_A))
    cell = _card(board, "ZI_PCT").cell
    assert cell.status == "achieved" and cell.goal.local


def more_reports(world):
    """Six more communes of A reporting 2026Q2."""
    from reporting.tests.builders_consolidation import communes_of, make_submission

    schedule = world.schedules[PROVINCE_A]
    extra = [c for c in communes_of(PROVINCE_A, 20) if c not in world.communes[PROVINCE_A]][:6]
    schedule.communes.add(*extra)
    for code in extra:
        make_submission(schedule, "2026Q2", commune=code, values={"ZC_SUM": 1, "ZC_MAX": 2, "ZC_DEN": 1})


def test_dashboard_query_count_does_not_grow_with_units_or_reports(world, queries_of):
    province = Province.objects.get(code=PROVINCE_A)
    few = [queries_of(lambda p=p: services.dashboard(period=parse("2026"), province=p)) for p in (province, None)]
    more_reports(world)
    assert [
        queries_of(lambda p=p: services.dashboard(period=parse("2026"), province=p)) for p in (province, None)
    ] == few


def test_seeded_indicators_cover_the_targets_the_catalogue_supports(db):
    codes = set(Indicator.objects.values_list("target_code", flat=True))
    assert {"T1", "T3a", "T3b", "T5a", "T5b", "T5c", "T6a", "T6b", "T7b", "T7c", "T8", "T9"} <= codes
    from indicators import rules
    from reporting.catalogue import ELEMENTS_BY_CODE

    for ind in Indicator.objects.filter(code__startswith="CS_"):
        assert rules.codes(ind.numerator, ind.denominator) <= set(ELEMENTS_BY_CODE), ind.code


def test_load_indicators_links_national_targets(db):
    from django.core.management import call_command

    call_command("load_indicators", verbosity=0)
    assert Indicator.objects.get(code="CS_T8").national_target.code == "T8"
    assert Target.objects.get(indicator__code="CS_T5C", province=None).value == D(5)


# ---- pages ---------------------------------------------------------------------------------

PROVINCE_PAGE = {
    "office_a": 200,
    "office_b": 404,
    "agency_a": 403,
    "commune_a": 403,
    "case_a": 403,
    "leader_a": 200,
    "national": 200,
    "admin": 403,
}
NATION_PAGE = {p: 403 for p in PERSONAS} | {"national": 200, "admin": 403}
TARGETS_PAGE = {p: 403 for p in PERSONAS} | {
    "office_a": 200,
    "office_b": 200,
    "leader_a": 200,
    "national": 200,
    "admin": 403,
}
TARGET_POST_A = {p: 403 for p in PERSONAS} | {"office_a": 302, "office_b": 404, "admin": 403}


@pytest.mark.parametrize("persona", PERSONAS)
def test_index(login, persona, db):
    expected = {"agency_a": 403, "commune_a": 403, "case_a": 403, "admin": 403}.get(persona, 302)
    assert login(persona).get(reverse("indicators:index")).status_code == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_province_page_permissions(login, world, persona):
    response = login(persona).get(reverse("indicators:province", args=[PROVINCE_A]), {"period": "2026Q2"})
    assert response.status_code == PROVINCE_PAGE[persona]
    if response.status_code == 200:
        html = response.content.decode()
        assert 'id="indicator-data"' in html and "echarts.simple.min.js" in html and "Chậm tiến độ" in html


@pytest.mark.parametrize("persona", PERSONAS)
def test_nation_page_permissions(login, world, persona):
    assert login(persona).get(reverse("indicators:nation")).status_code == NATION_PAGE[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_targets_page_permissions(login, world, persona):
    assert login(persona).get(reverse("indicators:targets")).status_code == TARGETS_PAGE[persona]


@pytest.mark.parametrize("persona", PERSONAS)
def test_set_target_permissions(login, world, persona):
    data = {
        "province": PROVINCE_A,
        "indicator": world.pct.pk,
        "year": "2026",
        "comparator": ">=",
        "value": "60,5",
        "note": "KH 1/KH-UBND",
    }
    response = login(persona).post(reverse("indicators:target_set"), data)
    assert response.status_code == TARGET_POST_A[persona]
    saved = Target.objects.filter(province_id=PROVINCE_A, indicator=world.pct, year=2026).first()
    assert (saved is not None) == (TARGET_POST_A[persona] == 302)
    if saved:
        assert saved.value == D("60.5") and AuditEvent.objects.filter(action="target.create").exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_delete_target_permissions(login, world, persona):
    target = Target.objects.create(indicator=world.pct, province_id=PROVINCE_A, year=2027, comparator=">=", value=D(70))
    response = login(persona).post(reverse("indicators:target_delete", args=[target.pk]))
    assert response.status_code == TARGET_POST_A[persona]
    assert Target.objects.filter(pk=target.pk).exists() == (TARGET_POST_A[persona] != 302)


def test_national_targets_cannot_be_deleted_through_the_page(login, world):
    national = Target.objects.get(indicator=world.pct, province=None, year=2030)
    assert login("office_a").post(reverse("indicators:target_delete", args=[national.pk])).status_code == 404


def test_invalid_target_is_explained_and_not_saved(login, world):
    client = login("office_a")
    response = client.post(
        reverse("indicators:target_set"),
        {"province": PROVINCE_A, "indicator": world.pct.pk, "year": "2026", "comparator": ">=", "value": ""},
        follow=True,
    )
    assert "Hãy nhập giá trị" in response.content.decode()
    assert not Target.objects.filter(province_id=PROVINCE_A).exists()


def test_get_on_post_views_is_405(login, world):
    assert login("office_a").get(reverse("indicators:target_set")).status_code == 405


@pytest.mark.parametrize(
    ("persona", "name", "args"),
    [("office_a", "indicators:province", [PROVINCE_A]), ("national", "indicators:nation", [])],
)
def test_pages_cost_the_same_queries_with_more_reports(login, world, persona, name, args, queries_of):
    client = login(persona)
    url = reverse(name, args=args)
    assert client.get(url).status_code == 200
    few = queries_of(lambda: client.get(url))
    more_reports(world)
    assert queries_of(lambda: client.get(url)) == few
