"""Figures a province can sign (issue 10, items 1–4): each test reproduces one thing that was
wrong — report kinds added up, a year mixing the annual report with its quarters, the same
figure counted from two levels, totals without their coverage, text in XLSX number cells,
three roundings, internal codes on screens and in files — and checks it no longer happens."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from agencies.models import Agency
from geo.models import Commune, Province
from indicators import services as indicators
from indicators.models import Indicator
from reporting import catalogue
from reporting.models import DataElement, DataValue, Form, Submission, ValueChange
from reporting.periods import bounds_label, kind_label, parse
from reporting.services import consolidation, exports, gate
from reporting.tests.builders_consolidation import PROVINCE_A, at, communes_of, make_schedule, make_submission

D = Decimal
YEAR = parse("2026")


@pytest.fixture
def xa(db):
    return Form.objects.get(code="XA_QUY")


@pytest.fixture
def sbn(db):
    return Form.objects.get(code="SBN_QUY")


def _province():
    return Province.objects.get(code=PROVINCE_A)


def _agency(code):
    return Agency.objects.get(province_id=PROVINCE_A, code=code)


def _card(board, code):
    return next(c for c in board.cards if c.indicator.code == code).cell


# ---- 1. report kinds ------------------------------------------------------------------------


def test_a_one_off_and_an_annual_report_of_2026_are_never_added(xa):
    commune = communes_of(PROVINCE_A, 1)[0]
    annual = make_schedule(xa, PROVINCE_A, communes=[commune], frequency="annual", first_period="2026")
    once = make_schedule(xa, PROVINCE_A, communes=[commune], frequency="once", first_period="2026")
    make_submission(annual, "2026", commune=commune, values={"COMM_SESSIONS": 10})
    make_submission(once, "2026", commune=commune, values={"COMM_SESSIONS": 7})

    def total(kind):
        report = consolidation.province_report(form=xa, period=YEAR, province=_province(), kind=kind)
        return report.total("COMM_SESSIONS"), report.coverage.reported, report.kind_label

    assert total("annual") == (D(10), 1, "Báo cáo năm — Năm 2026")  # not 17, not "2 báo cáo"
    assert total("once") == (D(7), 1, "Báo cáo một lần — năm 2026")
    assert total(None)[0] == D(10)  # the period id "2026" names the annual report
    assert consolidation.available(form=xa, province=_province()) == [("annual", "2026"), ("once", "2026")]
    # The commune's list names the kind: two lines, never "Năm 2026 — …" twice.
    assert kind_label("annual", "2026") != kind_label("once", "2026")


def test_the_consolidation_page_offers_a_kind_chooser_and_keeps_kinds_apart(login, xa):
    commune = communes_of(PROVINCE_A, 1)[0]
    annual = make_schedule(xa, PROVINCE_A, communes=[commune], frequency="annual", first_period="2026")
    once = make_schedule(xa, PROVINCE_A, communes=[commune], frequency="once", first_period="2026")
    make_submission(annual, "2026", commune=commune, values={"COMM_SESSIONS": 10})
    make_submission(once, "2026", commune=commune, values={"COMM_SESSIONS": 7})
    url = reverse("consolidation:province", args=[PROVINCE_A])
    page = login("office_a").get(url, {"form": xa.pk, "period": "2026", "kind": "once"})
    html = page.content.decode()
    assert page.context["report"].total("COMM_SESSIONS") == D(7)
    assert 'data-testid="kind-chooser"' in html and "Báo cáo một lần — năm 2026" in html


def test_the_entry_page_shows_the_dates_the_period_covers():
    assert bounds_label(parse("2026Q4"), "administrative") == "15/09–14/12/2026"
    assert bounds_label(parse("2026"), "administrative") == "15/12/2025–14/12/2026"
    assert bounds_label(parse("2026Q4"), "calendar") == "01/10–31/12/2026"


# ---- 2. one source per figure ---------------------------------------------------------------


SHARED = sorted(
    {i.rstrip("?") for s in catalogue.COMMUNE_FORM.sections for i in s.items}
    & {i.rstrip("?") for s in catalogue.AGENCY_FORM.sections for i in s.items}
)


def test_every_element_on_both_forms_is_counted_from_one_level(xa, sbn):
    # (17 when the issue was filed; the agency form has since lost the sections other levels report)
    assert len(SHARED) >= 10
    commune = communes_of(PROVINCE_A, 1)[0]
    make_submission(
        make_schedule(xa, PROVINCE_A, communes=[commune]),
        "2026Q2",
        commune=commune,
        values={code: 1000 for code in SHARED if code != "NOTES"},
    )
    agencies = list(Agency.objects.filter(province_id=PROVINCE_A, code__in=["SYT", "CA", "STP", "SVHTTDL"]))
    schedule = make_schedule(sbn, PROVINCE_A, agencies=agencies)
    for agency in agencies:
        make_submission(schedule, "2026Q2", agency=agency, values={code: 7 for code in SHARED if code != "NOTES"})
    elements = list(DataElement.objects.filter(code__in=SHARED).exclude(code="NOTES"))
    counted = DataValue.objects.filter(indicators.source_filter(elements), submission__period="2026Q2")
    totals: dict[str, Decimal] = {}
    for code, value in counted.values_list("element__code", "value"):
        totals[code] = totals.get(code, D(0)) + value
    for element in elements:
        if element.source_level == "agency":
            filed = sum(1 for a in agencies if not element.agency_codes or a.code in element.agency_codes)
            assert totals[element.code] == 7 * filed, element.code  # never + 1000 from the communes
        else:
            assert totals[element.code] == 1000, element.code  # "both": the communes' breakdown only


def test_an_agency_fills_only_its_own_sections(sbn):
    schedule = make_schedule(sbn, PROVINCE_A, agencies=[_agency("SYT"), _agency("STP")])
    health = make_submission(schedule, "2026Q2", agency=_agency("SYT"), status="draft")
    justice = make_submission(schedule, "2026Q2", agency=_agency("STP"), status="draft")
    assert [name[:2] for name, _ in gate.spec_for(health).sections] == ["D.", "H.", "I."]  # H: every agency trains
    assert set(gate.spec_for(justice).elements) == {
        "LEGAL_AID_REQUESTED",
        "LEGAL_AID_GIVEN",
        "TRAINING_SESSIONS",
        "TRAINEES",
        "NOTES",
    }
    assert {r.code for r in gate.spec_for(justice).rules} == {"LEGAL_AID_LE", "TRAINEES_GE_SESSIONS"}


def test_a_commune_form_row_says_where_the_official_figure_comes_from(xa):
    report = consolidation.province_report(form=xa, period=parse("2026Q2"), province=_province())
    notes = {r.element.code: r.note for r in report.rows if not r.category}
    assert "sở, ban, ngành" in notes["DRUG_CASES"] and notes["MGMT_ADDICTS"] == "" and notes["COMM_SESSIONS"] == ""
    assert "Vụ phạm tội về ma túy phát hiện, bắt giữ" in exports.source_notes(report)  # said in XLSX and DOCX


# ---- 3. stocks and flows by period type -----------------------------------------------------


@pytest.fixture
def year_world(xa, sbn):
    """Đắk Lắk, 2026: four approved quarterly commune reports and an annual one; SYT's quarters
    and annual report. Stocks grow to Q4 (MGMT_ADDICTS 2,500 + MGMT_USERS 7 = 2,507); the annual
    report says 23 (a different report, never mixed in)."""
    commune = communes_of(PROVINCE_A, 1)[0]
    quarterly = make_schedule(xa, PROVINCE_A, communes=[commune])
    annual = make_schedule(xa, PROVINCE_A, communes=[commune], frequency="annual", first_period="2026")
    for q, addicts in ((1, 2200), (2, 2300), (3, 2400), (4, 2500)):
        make_submission(
            quarterly,
            f"2026Q{q}",
            commune=commune,
            when=at(1, 3 * q),
            values={"MGMT_ADDICTS": addicts, "MGMT_USERS": 7, "POST_REHAB_MGMT": 0, "MED_PSY_SUPPORT": 5000},
        )
    make_submission(annual, "2026", commune=commune, values={"MGMT_ADDICTS": 20, "MGMT_USERS": 3})
    syt = make_schedule(sbn, PROVINCE_A, agencies=[_agency("SYT")])
    syt_annual = make_schedule(sbn, PROVINCE_A, agencies=[_agency("SYT")], frequency="annual", first_period="2026")
    for q in (1, 2, 3, 4):
        make_submission(
            syt, f"2026Q{q}", agency=_agency("SYT"), values={"MED_PSY_SUPPORT": 100, "METHADONE_PATIENTS": 90 + q}
        )
    make_submission(syt_annual, "2026", agency=_agency("SYT"), values={"MED_PSY_SUPPORT": 400, "METHADONE_PATIENTS": 1})
    return commune


def test_a_years_stock_is_the_q4_value_not_the_annual_report_nor_a_sum(year_world):
    board = indicators.dashboard(period=YEAR, province=_province())
    assert board.kind == "quarterly"
    assert _card(board, "CS_T1").value == D(2507)  # not 23, not 2,207 + … summed
    assert "Quý IV/2026" in board.source_label
    from_annual = indicators.dashboard(period=YEAR, province=_province(), kind="annual")
    assert _card(from_annual, "CS_T1").value == D(23)


def test_a_years_flow_is_its_quarters_and_a_percentage_stays_a_percentage(year_world):
    cell = _card(indicators.dashboard(period=YEAR, province=_province()), "CS_T9")
    # SYT's 4 × 100 people supported ÷ (2,500 + 7 + 0 + Q4 methadone 94) × 100: not 41.260,9 %.
    assert cell.value == D(400) / D(2601) * 100
    assert cell.value < 100
    annual = _card(indicators.dashboard(period=YEAR, province=_province(), kind="annual"), "CS_T9")
    assert annual.value == D(400) / D(20 + 3 + 1) * 100  # the annual reports alone, never + the quarters


def test_t7b_counts_communes_with_addicts_and_t7c_all_communes(xa):
    schedule = make_schedule(xa, PROVINCE_A, all_communes=True)
    codes = communes_of(PROVINCE_A, 4)
    make_submission(schedule, "2026Q4", commune=codes[0], values={"MGMT_ADDICTS": 5, "COUNSEL_POINT": 1})
    make_submission(schedule, "2026Q4", commune=codes[1], values={"MGMT_ADDICTS": 3, "COUNSEL_POINT": 0})
    make_submission(schedule, "2026Q4", commune=codes[2], values={"MGMT_ADDICTS": 0, "REHAB_COMMUNITY_ORGANISED": 1})
    board = indicators.dashboard(period=parse("2026Q4"), province=_province())
    assert _card(board, "CS_T7B").value == D(50)  # 1 of the 2 communes with addicts
    n = Commune.objects.filter(province_id=PROVINCE_A).count()
    assert _card(board, "CS_T7C").value == D(100) / n  # 1 of every commune


def test_definitions_are_corrected():
    by_code = catalogue.ELEMENTS_BY_CODE
    assert "thời hạn ghi trong quyết định" in by_code["POST_REHAB_MGMT"].definition
    assert "01 năm" not in by_code["POST_REHAB_MGMT"].definition
    assert "Điều 3 Nghị định 116/2021/NĐ-CP" in by_code["RELAPSES"].definition
    for e in catalogue.ELEMENTS:
        assert "Chủ tịch" not in e.definition, e.code  # the deciding authority changes on 1/7/2026
        if e.aggregation == catalogue.LAST and e.value_type not in (catalogue.TEXT, catalogue.DATE):
            assert "trong kỳ" not in e.definition and "trong quý" not in e.definition, e.code


# ---- 4. coverage with every total -----------------------------------------------------------


@pytest.fixture
def one_of_102(xa):
    schedule = make_schedule(xa, PROVINCE_A, all_communes=True)
    commune = communes_of(PROVINCE_A, 1)[0]
    make_submission(
        schedule,
        "2026Q2",
        commune=commune,
        values={"PLACES_CARRIED": 1, "PLACES_DETECTED": 1, "PLACES_ELIMINATED": 2, "PLANTS_AREA_DETECTED": 12.345},
    )
    return commune


def test_one_commune_of_102_reads_not_enough_data_never_achieved(one_of_102, login):
    assert Commune.objects.filter(province_id=PROVINCE_A).count() == 102
    cell = _card(indicators.dashboard(period=parse("2026Q2"), province=_province()), "CS_T3A")
    assert cell.value == D(100) and cell.status == "insufficient" and cell.label == "Chưa đủ số liệu"
    assert cell.coverage_label == "1/102 xã có số liệu đã duyệt"
    Indicator.objects.filter(code="CS_T3A").update(min_coverage=0)  # a province may lower the threshold
    assert _card(indicators.dashboard(period=parse("2026Q2"), province=_province()), "CS_T3A").status == "achieved"
    Indicator.objects.filter(code="CS_T3A").update(min_coverage=80)
    html = login("office_a").get(reverse("indicators:province", args=[PROVINCE_A]), {"period": "2026Q2"})
    text = html.content.decode()
    assert "1/102 xã có số liệu đã duyệt" in text and "Chưa đủ số liệu" in text


def test_coverage_is_on_the_page_in_the_xlsx_and_in_the_docx(one_of_102, xa, login):
    report = consolidation.province_report(form=xa, period=parse("2026Q2"), province=_province(), by_unit=True)
    assert report.coverage == consolidation.Coverage(1, 1, 102, "commune") and not report.coverage.enough()
    page = login("office_a").get(reverse("consolidation:province", args=[PROVINCE_A]), {"form": xa.pk})
    assert "1/102 xã có số liệu đã duyệt" in page.content.decode()
    narrative = exports.default_narrative(province=_province(), form=xa, period=report.period)
    assert "1/102 xã có số liệu đã duyệt" in _xlsx_text(exports.report_xlsx(report, narrative))
    assert "1/102 xã có số liệu đã duyệt" in _docx_text(exports.report_docx(report, narrative))


def test_nation_coverage_adds_the_provinces(one_of_102, xa):
    report = consolidation.nation_report(form=xa, period=parse("2026Q2"))
    assert (report.coverage.approved, report.coverage.expected) == (1, 102)
    assert next(u for u in report.units if u.key == PROVINCE_A).coverage.label == "1/102 xã có số liệu đã duyệt"


def test_xlsx_number_cells_stay_empty_without_data(one_of_102, xa):
    from openpyxl import load_workbook

    report = consolidation.province_report(form=xa, period=parse("2026Q2"), province=_province(), by_unit=True)
    narrative = exports.default_narrative(province=_province(), form=xa, period=report.period)
    book = load_workbook(io.BytesIO(exports.report_xlsx(report, narrative)))
    units = book["Theo đơn vị"]
    numeric = range(3, 3 + len(report.rows))  # after "Mã thống kê" and the commune's name
    rows = list(units.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 102
    for row in rows:
        for col in numeric:
            assert row[col - 1] is None or isinstance(row[col - 1], int | float), row
    assert sum(1 for row in rows if any(row[c - 1] is not None for c in numeric)) == 1  # the others: empty
    totals = book["Tổng hợp"]
    for row in totals.iter_rows(min_row=12, max_row=11 + len(report.rows), max_col=8, values_only=True):
        for value in row[3:]:
            assert not isinstance(value, str), row  # never "—" or "chưa có số liệu" in a number column


def test_one_rounding_on_the_page_in_docx_and_in_xlsx(one_of_102, xa, login):
    from openpyxl import load_workbook

    report = consolidation.province_report(form=xa, period=parse("2026Q2"), province=_province())
    row = next(r for r in report.rows if r.element.code == "PLANTS_AREA_DETECTED")
    assert row.current.value == D("12.345")
    page = login("office_a").get(reverse("consolidation:province", args=[PROVINCE_A]), {"form": xa.pk})
    assert "12,35" in page.content.decode() and "12,3<" not in page.content.decode()
    narrative = exports.default_narrative(province=_province(), form=xa, period=report.period)
    assert "12,35" in _docx_text(exports.report_docx(report, narrative))
    sheet = load_workbook(io.BytesIO(exports.report_xlsx(report, narrative)))["Tổng hợp"]
    cell = next(c for r in sheet.iter_rows(min_row=12) for c in r if c.value == 12.35)
    assert cell.number_format == "#,##0.00"


# ---- no internal code on a screen or in a file ----------------------------------------------

_ALL_CODES = sorted({e.code for e in catalogue.ELEMENTS} | {"CS_T1", "CS_T3A", "CS_T7B", "CS_T9"}, key=len)
CODES = re.compile(r"\b(?:" + "|".join(reversed(_ALL_CODES)) + r")\b")


def _visible(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def _xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    return " ".join(str(c.value) for ws in book for r in ws.iter_rows() for c in r if c.value is not None)


def _docx_text(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for t in doc.tables for row in t.rows for cell in row.cells]
    return " ".join(parts)


def test_no_internal_code_on_the_pages_or_in_the_files(one_of_102, year_world, xa, login):
    client = login("office_a")
    element = DataElement.objects.get(code="MGMT_ADDICTS")
    pages = [
        client.get(reverse("consolidation:province", args=[PROVINCE_A]), {"form": xa.pk, "period": "2026Q2"}),
        client.get(
            reverse("consolidation:province", args=[PROVINCE_A]),
            {"form": xa.pk, "period": "2026Q4", "element": element.pk},
        ),
        client.get(reverse("indicators:province", args=[PROVINCE_A]), {"period": "2026"}),
        client.get(reverse("indicators:province", args=[PROVINCE_A]), {"period": "2026Q2"}),
    ]
    sub = Submission.objects.filter(schedule__form=xa, period="2026Q2").first()
    ValueChange.objects.create(submission=sub, element=element, category="F", old="", new="3")
    pages += [
        client.get(reverse("reporting:submission", args=[sub.pk])),
        client.get(reverse("reporting:history", args=[sub.pk])),
    ]
    for page in pages:
        assert page.status_code == 200
        found = CODES.findall(_visible(page.content.decode()))
        assert not found, found
    for period in ("2026Q2", "2026Q4"):
        report = consolidation.province_report(form=xa, period=parse(period), province=_province(), by_unit=True)
        narrative = exports.default_narrative(province=_province(), form=xa, period=report.period)
        for text in (
            _xlsx_text(exports.report_xlsx(report, narrative)),
            _docx_text(exports.report_docx(report, narrative)),
        ):
            found = CODES.findall(text)
            assert not found, found


def test_the_api_gives_totals_with_their_kind_and_coverage(one_of_102, xa, login):
    client = login("office_a")
    url = reverse("api:reporting_totals")
    body = client.get(url, {"form": "XA_QUY", "period": "2026Q2", "province": PROVINCE_A}).json()
    assert body["kindLabel"] == "Báo cáo quý — Quý II/2026" and body["enoughData"] is False
    assert body["coverage"] == {
        "reported": 1,
        "approved": 1,
        "expected": 102,
        "level": "commune",
        "label": "1/102 xã có số liệu đã duyệt",
    }
    area = next(t for t in body["totals"] if t["dataElement"] == "PLANTS_AREA_DETECTED")
    assert area["value"] == "12.345"
    assert client.get(url, {"form": "XA_QUY", "period": "2026Q2"}).status_code == 403  # the nation: national users
    assert client.get(url, {"form": "XA_QUY", "period": "2026Q2", "province": "33"}).status_code == 404
    assert client.get(url, {"form": "XA_QUY", "period": "2026Q2", "kind": "annual"}).status_code == 400
