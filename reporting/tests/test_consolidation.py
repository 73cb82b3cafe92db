"""Consolidation service: aggregation kinds, approved vs submitted, by unit, nation, comparisons,
"số liệu tính đến"; the report pages with their permission matrix and query-count guards."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from geo.models import Province
from reporting.periods import parse
from reporting.services import consolidation
from reporting.tests.builders_consolidation import (
    PROVINCE_A,
    PROVINCE_B,
    agency_world,
    at,
    commune_world,
    communes_of,
    make_submission,
)

D = Decimal
Q2 = parse("2026Q2")


@pytest.fixture
def world(db):
    return commune_world()


def _report(world, **kw):
    return consolidation.province_report(
        form=world.form, period=Q2, province=Province.objects.get(code=PROVINCE_A), **kw
    )


def test_each_aggregation_kind_on_approved_data(world):
    report = _report(world)
    assert report.total("ZC_SUM") == D(30)
    assert report.total("ZC_SUM", "M") == D(18) and report.total("ZC_SUM", "F") == D(12)
    assert report.total("ZC_AVG") == D(15)
    assert report.total("ZC_MAX") == D(9)
    assert report.total("ZC_LAST") == D(300)
    assert report.reported == 2 and not report.pending


def test_submitted_data_is_added_only_on_request_and_flagged(world):
    report = _report(world, include_submitted=True)
    assert report.total("ZC_SUM") == D(60) and report.total("ZC_AVG") == D(30)
    assert report.total("ZC_MAX") == D(9) and report.total("ZC_LAST") == D(600)
    assert report.pending and report.reported == 3
    row = next(r for r in report.rows if r.element.code == "ZC_SUM" and r.category == "")
    assert row.current.pending == 1


def test_drafts_never_count(world):
    report = consolidation.province_report(
        form=world.form, period=parse("2026Q3"), province=Province.objects.get(code=PROVINCE_A), include_submitted=True
    )
    assert report.total("ZC_SUM") is None and report.reported == 0


def test_comparisons_with_previous_period_and_same_period_last_year(world):
    row = next(r for r in _report(world).rows if r.element.code == "ZC_SUM" and r.category == "")
    assert row.previous.value == D(40) and row.last_year.value == D(50)
    assert row.change_previous == D(-25) and row.change_last_year == D(-40)


def test_as_of_is_the_latest_approval_included(world):
    assert _report(world).as_of == at(3)
    assert _report(world, include_submitted=True).as_of == at(5)
    row = next(r for r in _report(world).rows if r.element.code == "ZC_SUM" and r.category == "")
    assert row.previous.as_of == at(2, 4)


def test_categories_without_data_are_listed_empty(world):
    report = _report(world)
    assert [r.category for r in report.rows if r.element.code == "ZC_SUM"] == ["", "M", "F"]
    assert report.total("ZC_DEN") == D(2)


def test_by_commune_lists_every_expected_commune(world):
    report = _report(world, by_unit=True)
    by_key = {u.key: u for u in report.units}
    a1, a2, a3 = world.communes[PROVINCE_A]
    assert set(by_key) == {a1, a2, a3}
    assert by_key[a1].cells[(world.elements["ZC_SUM"].pk, "")].value == D(10)
    assert by_key[a3].cells == {}  # submitted only: not in approved figures
    assert by_key[a2].as_of == at(3)


def test_by_agency(db):
    form, agencies = agency_world()
    report = consolidation.province_report(
        form=form, period=Q2, province=Province.objects.get(code=PROVINCE_A), by_unit=True
    )
    assert report.total("ZA_SEIZED") == D(42)
    by_key = {u.key: u for u in report.units}
    assert by_key[str(agencies[0].pk)].cells[(form.sections.first().items.first().element_id, "")].value == D(12)
    assert report.as_of == at(8)


def test_nation_totals_combine_province_partials(world):
    report = consolidation.nation_report(form=world.form, period=Q2)
    assert report.total("ZC_SUM") == D(45)  # A 30 + B 15
    assert report.total("ZC_MAX") == D(11)
    assert report.total("ZC_AVG") == D(15)  # average over units, not over provinces
    by_province = {u.key: u for u in report.units}
    assert len(report.units) == 34
    assert by_province[PROVINCE_B].cells[(world.elements["ZC_SUM"].pk, "")].value == D(15)
    assert by_province[PROVINCE_B].as_of == at(6) and report.as_of == at(6)
    assert by_province["01"].cells == {}


def test_nation_average_with_submitted(world):
    report = consolidation.nation_report(form=world.form, period=Q2, include_submitted=True)
    assert report.total("ZC_SUM") == D(75) and report.total("ZC_AVG") == D(30) and report.pending


def test_consolidation_is_one_group_by(world, django_assert_num_queries):
    province = Province.objects.get(code=PROVINCE_A)
    # The period's form versions, the form's lines, the GROUP BY (with the coverage), the expected units.
    with django_assert_num_queries(4):
        consolidation.province_report(form=world.form, period=Q2, province=province)


def test_available_periods(world):
    assert consolidation.available_periods(form=world.form, province=Province.objects.get(code=PROVINCE_A)) == [
        "2026Q2",
        "2026Q1",
        "2025Q2",
    ]


# ---- pages ---------------------------------------------------------------------------------

PERSONAS = ["office_a", "office_b", "agency_a", "commune_a", "case_a", "leader_a", "national", "admin"]
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
INDEX = {
    "office_a": 302,
    "office_b": 302,
    "agency_a": 403,
    "commune_a": 403,
    "case_a": 403,
    "leader_a": 302,
    "national": 302,
    "admin": 403,
}


def _q(world, **extra):
    return {"form": world.form.pk, "period": "2026Q2", **extra}


@pytest.mark.parametrize("persona", PERSONAS)
def test_index_permissions(login, persona, db):
    response = login(persona).get(reverse("consolidation:index"))
    assert response.status_code == INDEX[persona]
    if persona == "national":
        assert response.url == reverse("consolidation:nation")
    if persona == "office_a":
        assert response.url == reverse("consolidation:province", args=[PROVINCE_A])


@pytest.mark.parametrize("persona", PERSONAS)
def test_province_report_permissions(login, persona, world):
    response = login(persona).get(reverse("consolidation:province", args=[PROVINCE_A]), _q(world))
    assert response.status_code == PROVINCE_PAGE[persona]
    if response.status_code == 200:
        assert response.context["report"].total("ZC_SUM") == D(30)


@pytest.mark.parametrize("persona", PERSONAS)
def test_nation_report_permissions(login, persona, world):
    response = login(persona).get(reverse("consolidation:nation"), _q(world))
    assert response.status_code == NATION_PAGE[persona]


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("consolidation:province", args=[PROVINCE_A]))
    assert response.status_code == 302 and "dang-nhap" in response.url or "login" in response.url


def test_province_page_shows_totals_flags_and_data_time(login, world):
    html = (
        login("office_a")
        .get(reverse("consolidation:province", args=[PROVINCE_A]), _q(world, submitted="on"))
        .content.decode()
    )
    assert "Số liệu tính đến" in html and "09:00 ngày 05/07/2026" in html
    assert 'data-testid="pending-flag"' in html
    assert "Quý I/2026" in html and "Quý II/2025" in html


def test_province_page_drills_down_to_communes(login, world):
    response = login("leader_a").get(reverse("consolidation:province", args=[PROVINCE_A]), _q(world, element="ZC_SUM"))
    html = response.content.decode()
    assert len(response.context["units"]) == 3
    assert "theo xã, phường" in html and "chưa có số liệu" in html


def test_nation_page_drills_down_to_provinces(login, world):
    response = login("national").get(reverse("consolidation:nation"), _q(world, element="ZC_SUM"))
    units = {u.key: cells for u, cells in response.context["units"]}
    assert units[PROVINCE_B][0].value == D(15)
    assert reverse("consolidation:province", args=[PROVINCE_B]) in response.content.decode()


def test_default_period_is_the_latest_with_data(login, world):
    response = login("office_a").get(reverse("consolidation:province", args=[PROVINCE_A]), {"form": world.form.pk})
    assert response.context["period"].id == "2026Q2"


def test_a_malformed_period_is_reported_not_a_crash(login, world):
    response = login("office_a").get(reverse("consolidation:province", args=[PROVINCE_A]), _q(world, period="2026Q9"))
    assert response.status_code == 200 and "không hợp lệ" in response.content.decode()


def test_post_is_not_allowed_on_report_pages(login, world):
    assert login("office_a").post(reverse("consolidation:province", args=[PROVINCE_A])).status_code == 405


@pytest.mark.parametrize(("url", "args"), [("consolidation:province", [PROVINCE_A]), ("consolidation:nation", [])])
def test_report_pages_query_count_does_not_grow_with_data(login, world, queries_of, url, args):
    client = login("national")
    page = reverse(url, args=args)
    client.get(page, _q(world, element="ZC_SUM"))
    few = queries_of(lambda: client.get(page, _q(world, element="ZC_SUM")))
    # Ten more reports: the same number of queries.
    schedule = world.schedules[PROVINCE_A]
    extra = [c for c in communes_of(PROVINCE_A, 20) if c not in world.communes[PROVINCE_A]][:10]
    schedule.communes.add(*extra)
    for code in extra:
        make_submission(schedule, "2026Q2", commune=code, values={"ZC_SUM": 1, ("ZC_SUM", "M"): 1})
    assert queries_of(lambda: client.get(page, _q(world, element="ZC_SUM"))) == few
    response = client.get(page, _q(world, element="ZC_SUM"))
    assert response.context["report"].total("ZC_SUM") >= D(40)
