"""Small counts of people in the existing reporting outputs (issue 13 §3): per-unit cells of 1–4
people show "<5" to the leader and the national monitor, the paired cell that would give them away
is hidden ("x"), zero is never masked, the Standing Office (the reviewer) sees exact figures and
the stored values stay exact. Page, XLSX (province, nation), DOCX."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from docx2python import docx2python
from openpyxl import load_workbook

from conftest import follow_job
from geo.models import Province
from reporting.models import DataValue, Form
from reporting.periods import parse
from reporting.services import consolidation, suppression
from reporting.tests.builders_consolidation import (
    PROVINCE_A,
    PROVINCE_B,
    at,
    communes_of,
    make_element,
    make_form,
    make_schedule,
    make_submission,
)

pytestmark = pytest.mark.django_db
Q2 = parse("2026Q2")


@pytest.fixture
def world(db):
    """Province A, 2026Q2 (approved): ZS_PEOPLE (người, by sex) a1 3 (M 3, F 0), a2 12 (M 10, F 2),
    a3 20 (M 8, F 12) → 35; ZS_VISITS (lượt) a1 2. 2026Q1: only a1, ZS_PEOPLE 3. Province B,
    2026Q2: one commune, ZS_PEOPLE 2 (M 2)."""
    people = make_element("ZS_PEOPLE", disaggregation="sex", name="Người đang quản lý (thử)")
    visits = make_element("ZS_VISITS", name="Lượt tư vấn (thử)", unit="lượt")
    form = make_form("ZS_FORM", Form.Level.COMMUNE, [people, visits], name="Biểu thử che số nhỏ")
    a = communes_of(PROVINCE_A, 3, first="24133")
    b = communes_of(PROVINCE_B, 1)
    sa, sb = make_schedule(form, PROVINCE_A, communes=a), make_schedule(form, PROVINCE_B, communes=b)
    for code, (total, m, f) in zip(a, [(3, 3, 0), (12, 10, 2), (20, 8, 12)], strict=True):
        values = {"ZS_PEOPLE": total, ("ZS_PEOPLE", "M"): m, ("ZS_PEOPLE", "F"): f}
        if code == a[0]:
            values["ZS_VISITS"] = 2
        make_submission(sa, "2026Q2", commune=code, when=at(1), values=values)
    make_submission(sa, "2026Q1", commune=a[0], when=at(1, 4), values={"ZS_PEOPLE": 3, ("ZS_PEOPLE", "M"): 3})
    make_submission(sb, "2026Q2", commune=b[0], when=at(2), values={"ZS_PEOPLE": 2, ("ZS_PEOPLE", "M"): 2})
    return {"form": form, "a": a, "b": b, "people": people, "visits": visits}


def _q(world, **extra):
    return {"form": world["form"].pk, "period": "2026Q2", **extra}


def _units(response, world):
    """{unit key: [total, M, F] as shown} from the page's drill-down of ZS_PEOPLE."""
    return {u.key: [c.shown if c else None for c in cells] for u, cells in response.context["units"]}


def test_the_service_masks_small_cells_their_pairs_and_the_column_in_place(world):
    report = consolidation.province_report(
        form=world["form"], period=Q2, province=Province.objects.get(code=PROVINCE_A), by_unit=True
    )
    suppression.apply(report, reveal=False)
    a1, a2, a3 = world["a"]
    cells = {u.key: u.cells for u in report.units}
    pid = world["people"].pk
    shown = {k: [cells[k].get((pid, c)).shown for c in ("", "M", "F")] for k in (a1, a2, a3)}
    assert shown[a1] == ["<5", "<5", Decimal(0)]  # zero is never masked
    assert shown[a2] == ["x", "x", "<5"]  # F 2 masked; M hidden (12 − 2); total hidden (35 − 3 − 20)
    assert shown[a3] == [Decimal(20), "x", "x"]  # the F column had one "<5": F 12 hidden, then M 8
    assert cells[a1][(world["visits"].pk, "")].shown == Decimal(2)  # visits are not people
    totals = {(r.element.code, r.category): r.current.shown for r in report.rows}
    assert totals[("ZS_PEOPLE", "")] == Decimal(35) and totals[("ZS_PEOPLE", "F")] == Decimal(14)
    # The stored values are untouched.
    assert (
        DataValue.objects.get(
            submission__commune_id=a1, submission__period="2026Q2", element=world["people"], category=""
        ).value
        == 3
    )


def test_a_total_resting_on_one_unit_is_masked_with_its_change(world):
    report = consolidation.province_report(
        form=world["form"], period=parse("2026Q1"), province=Province.objects.get(code=PROVINCE_A)
    )
    suppression.apply(report, reveal=False)
    row = next(r for r in report.rows if r.element.code == "ZS_PEOPLE" and not r.category)
    assert row.current.shown == "<5" and row.current.value == 3
    q2 = consolidation.province_report(form=world["form"], period=Q2, province=Province.objects.get(code=PROVINCE_A))
    suppression.apply(q2, reveal=False)
    row = next(r for r in q2.rows if r.element.code == "ZS_PEOPLE" and not r.category)
    assert row.current.shown == 35 and row.previous.shown == "<5" and row.change_previous is None


@pytest.mark.parametrize("persona", ["leader_a", "national"])
def test_leader_and_national_monitor_see_small_cells_masked(login, world, persona):
    response = login(persona).get(
        reverse("consolidation:province", args=[PROVINCE_A]), _q(world, element=world["people"].pk)
    )
    assert response.status_code == 200
    units = _units(response, world)
    a1, a2, _ = world["a"]
    assert units[a1] == ["<5", "<5", Decimal(0)] and units[a2] == ["x", "x", "<5"]
    html = response.content.decode()
    assert 'data-testid="suppression-note"' in html and "«&lt;5»: từ 1 đến 4 người" in html


def test_the_standing_office_sees_exact_figures(login, world):
    response = login("office_a").get(
        reverse("consolidation:province", args=[PROVINCE_A]), _q(world, element=world["people"].pk)
    )
    a1, a2, a3 = world["a"]
    assert _units(response, world) == {
        a1: [Decimal(3), Decimal(3), Decimal(0)],
        a2: [Decimal(12), Decimal(10), Decimal(2)],
        a3: [Decimal(20), Decimal(8), Decimal(12)],
    }
    assert 'data-testid="suppression-note"' not in response.content.decode()


def test_the_nation_page_masks_a_province_resting_on_one_commune(login, world):
    response = login("national").get(reverse("consolidation:nation"), _q(world, element=world["people"].pk))
    units = _units(response, world)
    assert units[PROVINCE_B] == ["<5", "<5", None]
    # Nation total − A would give B away: A's total and male hidden, then A's female (its pair).
    assert units[PROVINCE_A] == ["x", "x", "x"]
    report = response.context["report"]
    assert report.total("ZS_PEOPLE") == Decimal(37)


def _cells(html: str) -> dict[str, str]:
    import re

    return dict(re.findall(r'data-testid="cell-(ZS_[A-Z]+-[A-Z0-9]+)">([^<]*)<', html))


@pytest.mark.parametrize("persona", ["commune_a", "office_a"])
def test_the_commune_and_the_office_see_the_unit_report_exact(login, world, persona):
    from reporting.models import Submission

    sub = Submission.objects.get(commune_id=world["a"][0], period="2026Q2")
    html = login(persona).get(reverse("reporting:submission", args=[sub.pk])).content.decode()
    assert _cells(html) == {"ZS_PEOPLE-T": "3", "ZS_PEOPLE-M": "3", "ZS_PEOPLE-F": "0", "ZS_VISITS-T": "2"}
    assert "kỳ trước: 3" in html


def test_the_leader_reads_a_unit_report_with_the_same_masks(login, world):
    from reporting.models import Submission

    client = login("leader_a")
    a1, a2, _ = world["a"]
    html = client.get(
        reverse("reporting:submission", args=[Submission.objects.get(commune_id=a1, period="2026Q2").pk])
    ).content.decode()
    assert _cells(html) == {"ZS_PEOPLE-T": "&lt;5", "ZS_PEOPLE-M": "&lt;5", "ZS_PEOPLE-F": "0", "ZS_VISITS-T": "2"}
    assert "kỳ trước: 3" not in html
    html = client.get(
        reverse("reporting:submission", args=[Submission.objects.get(commune_id=a2, period="2026Q2").pk])
    ).content.decode()
    assert _cells(html)["ZS_PEOPLE-T"] == "x" and _cells(html)["ZS_PEOPLE-F"] == "&lt;5"


def test_a_draft_read_by_the_leader_masks_its_own_small_cells(login, world):
    from reporting.models import Submission

    a1 = world["a"][0]
    sub = Submission.objects.get(commune_id=a1, period="2026Q2")
    draft = make_submission(
        sub.schedule,
        "2026Q3",
        commune=a1,
        status="draft",
        values={"ZS_PEOPLE": 9, ("ZS_PEOPLE", "M"): 7, ("ZS_PEOPLE", "F"): 2},
    )
    html = login("leader_a").get(reverse("reporting:submission", args=[draft.pk])).content.decode()
    assert _cells(html) == {"ZS_PEOPLE-T": "9", "ZS_PEOPLE-M": "x", "ZS_PEOPLE-F": "&lt;5", "ZS_VISITS-T": "—"}


def _xlsx(response):
    return load_workbook(io.BytesIO(response.content))


@pytest.mark.parametrize(("persona", "masked"), [("leader_a", True), ("office_a", False)])
def test_the_province_xlsx(login, world, persona, masked):
    client = login(persona)
    response = follow_job(
        client,
        client.get(reverse("consolidation:province_export", args=[PROVINCE_A, "xlsx"]), _q(world, period="2026Q1")),
    )
    assert response.status_code == 200
    book = _xlsx(response)
    rows = list(book["Tổng hợp"].iter_rows(min_row=12, values_only=True))
    people = next(r for r in rows if r[1] == "Người đang quản lý (thử)")
    note = any(suppression.NOTE in str(c) for r in book["Tổng hợp"].iter_rows(values_only=True) for c in r if c)
    if masked:
        assert people[3] == "<5" and note
    else:
        assert people[3] == 3 and not note
    units = {r[0]: r for r in book["Theo đơn vị"].iter_rows(min_row=3, values_only=True)}
    a1 = units[world["a"][0]]
    assert a1[2] == ("<5" if masked else 3)


def test_the_province_xlsx_keeps_exact_cells_numeric(login, world):
    client = login("leader_a")
    response = follow_job(
        client, client.get(reverse("consolidation:province_export", args=[PROVINCE_A, "xlsx"]), _q(world))
    )
    units = {r[0]: r for r in _xlsx(response)["Theo đơn vị"].iter_rows(min_row=3, values_only=True)}
    a1, a2, a3 = world["a"]
    assert units[a3][2:5] == (20, "x", "x") and isinstance(units[a3][2], int | float)
    assert units[a1][2:6] == ("<5", "<5", 0, 2)  # people total, M, F; visits 2 exact
    assert units[a2][2:5] == ("x", "x", "<5")
    notes = [c for r in _xlsx(response)["Theo đơn vị"].iter_rows(values_only=True) for c in r if c == suppression.NOTE]
    assert notes


def test_the_nation_xlsx_and_the_docx(login, world):
    client = login("national")
    response = follow_job(client, client.get(reverse("consolidation:nation_export", args=["xlsx"]), _q(world)))
    units = {r[0]: r for r in _xlsx(response)["Theo đơn vị"].iter_rows(min_row=3, values_only=True)}
    b = Province.objects.get(code=PROVINCE_B).name
    assert units[b][1:3] == ("<5", "<5")
    client = login("leader_a")
    response = follow_job(
        client,
        client.get(reverse("consolidation:province_export", args=[PROVINCE_A, "docx"]), _q(world, period="2026Q1")),
    )
    with docx2python(io.BytesIO(response.content)) as doc:
        text = doc.text
    assert "<5" in text and "từ 1 đến 4 người" in text
    client = login("office_a")
    response = follow_job(
        client,
        client.get(reverse("consolidation:province_export", args=[PROVINCE_A, "docx"]), _q(world, period="2026Q1")),
    )
    with docx2python(io.BytesIO(response.content)) as doc:
        assert "<5" not in doc.text


@pytest.mark.parametrize(("persona", "shown"), [("leader_a", "<5"), ("office_a", "3")])
def test_the_api_totals(login, world, persona, shown):
    response = login(persona).get(
        "/api/reporting/totals", {"form": "ZS_FORM", "period": "2026Q1", "province": PROVINCE_A}
    )
    assert response.status_code == 200, response.content
    totals = {(t["dataElement"], t["categoryOptionCombo"]): t["value"] for t in response.json()["totals"]}
    assert totals[("ZS_PEOPLE", "default")] == shown


def test_the_api_nation_totals_for_the_national_monitor(login, world):
    response = login("national").get("/api/reporting/totals", {"form": "ZS_FORM", "period": "2026Q2"})
    totals = {(t["dataElement"], t["categoryOptionCombo"]): t["value"] for t in response.json()["totals"]}
    assert totals[("ZS_PEOPLE", "default")] == "37"  # many units: exact


@pytest.mark.parametrize(("persona", "masked"), [("leader_a", True), ("office_a", False)])
def test_unit_values_exported_to_a_leader_are_masked(login, world, persona, masked):
    response = login(persona).get(
        "/api/reporting/data-values", {"form": "ZS_FORM", "period": "2026Q2", "province": PROVINCE_A}
    )
    assert response.status_code == 200, response.content
    a1, a2, a3 = world["a"]
    values = {
        (v["orgUnit"], v["dataElement"], v["categoryOptionCombo"]): v["value"] for v in response.json()["dataValues"]
    }
    if masked:
        assert values[(a1, "ZS_PEOPLE", "default")] == "<5" and values[(a1, "ZS_PEOPLE", "F")] == "0"
        assert values[(a2, "ZS_PEOPLE", "M")] == "x" and values[(a3, "ZS_PEOPLE", "default")] == "20"
    else:
        assert values[(a1, "ZS_PEOPLE", "default")] == "3" and values[(a2, "ZS_PEOPLE", "M")] == "10"
    assert values[(a1, "ZS_VISITS", "default")] == "2"
    # The CSV export job says the same.
    client = login(persona)
    response = follow_job(
        client,
        client.get(
            reverse("consolidation:exchange_export"),
            {"download": "1", "format": "csv", "form": world["form"].pk, "period": "2026Q2", "province": PROVINCE_A},
        ),
    )
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert (f"ZS_PEOPLE,2026Q2,{a1},default,<5" in text) == masked


@pytest.mark.parametrize(("persona", "masked"), [("leader_a", True), ("office_a", False)])
def test_the_period_report_page_and_xlsx(login, world, persona, masked):
    client = login(persona)
    html = client.get(reverse("periodreport:province", args=[PROVINCE_A]), {"period": "2026Q1"}).content.decode()
    assert ("Người đang quản lý (thử): dưới 5 người." in html) == masked
    assert ('data-testid="suppression-note"' in html) == masked
    response = follow_job(
        client, client.get(reverse("periodreport:province_export", args=[PROVINCE_A, "xlsx"]), {"period": "2026Q1"})
    )
    book = _xlsx(response)
    table = next(book[name] for name in book.sheetnames if name.startswith("Bảng") and "che số nhỏ" in name)
    people = next(r for r in table.iter_rows(values_only=True) if r[1] == "Người đang quản lý (thử)")
    assert people[3] == ("<5" if masked else 3)
    annex = next(book[name] for name in book.sheetnames if name.startswith("Phụ lục") and "che số nhỏ" in name)
    a1 = next(r for r in annex.iter_rows(values_only=True) if r[0] == world["a"][0])
    assert a1[2] == ("<5" if masked else 3)


@pytest.mark.parametrize(("persona", "masked"), [("leader_a", True), ("office_a", False)])
def test_the_dhis2_export_masks_a_leaders_unit_values(login, world, persona, masked):
    response = login(persona).get(
        "/api/dhis2/dataValueSets",
        {"period": "2026Q2", "orgUnit": PROVINCE_A, "orgUnitIdScheme": "CODE", "idScheme": "CODE"},
    )
    assert response.status_code == 200, response.content[:300]
    values = [v["value"] for v in response.json()["dataValues"] if v["dataElement"].startswith("ZS_PEOPLE")]
    assert ("<5" in values) == masked and ("x" in values) == masked
    assert ("3" in values) == (not masked)


def test_a_breakdown_designed_by_a_province_is_masked_by_its_own_groups(db):
    """The national age bands (five options, issue 11): one band of 1–4 hides the smallest other
    non-zero band of the same unit, whatever the combination's codes."""
    people = make_element("ZS_BANDS", disaggregation="age_bands", name="Người theo nhóm tuổi (thử)")
    assert suppression.groups(people) == [("AG0_13", "AG14_15", "AG16_17", "AG18_29", "AG30P")]
    form = make_form("ZS_BAND_FORM", Form.Level.COMMUNE, [people], name="Biểu thử nhóm tuổi")
    a = communes_of(PROVINCE_A, 2, first="24133")
    schedule = make_schedule(form, PROVINCE_A, communes=a)
    bands = {"AG0_13": 2, "AG14_15": 9, "AG16_17": 0, "AG18_29": 6, "AG30P": 30}
    for code in a:
        values = {"ZS_BANDS": 47, **{("ZS_BANDS", band): n for band, n in bands.items()}}
        make_submission(schedule, "2026Q2", commune=code, when=at(1), values=values)
    report = consolidation.province_report(
        form=form, period=Q2, province=Province.objects.get(code=PROVINCE_A), by_unit=True
    )
    suppression.apply(report, reveal=False)
    cells = report.units[0].cells
    shown = {band: cells[(people.pk, band)].shown for band in bands}
    assert shown == {"AG0_13": "<5", "AG14_15": Decimal(9), "AG16_17": Decimal(0), "AG18_29": "x", "AG30P": Decimal(30)}
