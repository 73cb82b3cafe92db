"""The period's report as one document: every form that feeds it with the units it rests on,
generated sentences the office edits and saves as versions, one DOCX and one XLSX, permissions."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx2python import docx2python
from openpyxl import load_workbook

from audit.models import AuditEvent
from conftest import follow_job
from geo.models import Province
from periodreport import exports, services
from periodreport.models import PeriodReport
from reporting.periods import parse
from reporting.tests.builders_consolidation import PROVINCE_A, agency_world, commune_world

PERSONAS = ["office_a", "office_b", "agency_a", "commune_a", "case_a", "leader_a", "national", "admin"]
READ = {p: 403 for p in PERSONAS} | {"office_a": 200, "office_b": 404, "leader_a": 200, "national": 200}
NATION = {p: 403 for p in PERSONAS} | {"national": 200}
Q2 = parse("2026Q2")


@pytest.fixture
def world(db):
    w = commune_world()
    form, agencies = agency_world()
    return w, form, agencies


@pytest.fixture
def province(db):
    return Province.objects.get(code=PROVINCE_A)


def _text(content: bytes) -> str:
    with docx2python(io.BytesIO(content)) as doc:
        return doc.text


def _post(letter: PeriodReport, **changes):
    data = {name: getattr(letter, name) for name in PeriodReport.EDITABLE_FIELDS}
    data["issued_on"] = "25/11/2026"
    data.update(changes)
    return data


def test_both_forms_feed_the_report_with_the_units_they_rest_on(world, province):
    bundle = services.assemble(province=province, period=Q2)
    parts = {p.form.code: p for p in bundle.parts}
    assert {"ZC_COMMUNE", "ZC_AGENCY"} <= set(parts)
    assert [p.form.level for p in bundle.parts][0] == "commune"  # communes first
    # The third commune's report is only submitted: 2 of 3 communes have approved data.
    assert parts["ZC_COMMUNE"].coverage_text == "2/3 xã có số liệu đã duyệt"
    assert parts["ZC_AGENCY"].coverage_text == "2/2 cơ quan có số liệu đã duyệt"
    assert parts["ZC_COMMUNE"].report.total("ZC_SUM") == 30
    assert parts["ZC_AGENCY"].report.total("ZA_SEIZED") == 42


def test_generated_sentences_state_figures_changes_and_units_missing(world, province):
    w, _, _ = world
    bundle = services.assemble(province=province, period=Q2)
    text = services.generate(bundle)
    assert "Trong quý II năm 2026, toàn tỉnh đã tổng hợp số liệu từ" in text["situation"]
    assert "2/3 xã có số liệu đã duyệt" in text["situation"]
    # 10 + 20 approved; Q1 40 → −25 %; Q2/2025 50 → −40 %.
    assert (
        "- Số người có hồ sơ quản lý (thử): 30 người (giảm 25,0 % so với kỳ trước; giảm 40,0 % so với cùng kỳ năm 2025)."
        in text["results"]
    )
    assert "- Số vụ bắt giữ (thử): 42 vụ." in text["results"]
    from geo.models import Commune

    third = Commune.objects.get(code=w.communes[PROVINCE_A][2]).name
    assert f"1 xã, phường chưa có số liệu đã duyệt của báo cáo quý cấp xã (thử): {third}." in text["shortcomings"]
    assert text["next_tasks"].startswith("Trong quý III năm 2026")


def test_thin_coverage_is_said_in_the_situation(world, province):
    from reporting.models import Submission

    Submission.objects.filter(schedule__form__code="ZC_COMMUNE", period="2026Q2").exclude(
        commune_id=world[0].communes[PROVINCE_A][0]
    ).update(status="submitted")
    text = services.generate(services.assemble(province=province, period=Q2))
    assert "1/3 xã" in text["situation"]
    assert "mới phản ánh dưới 80 % đơn vị báo cáo, chưa đủ để đánh giá chung" in text["situation"]


def test_tasks_due_in_the_period_by_project(world, province):
    from agencies.models import Agency
    from plans.models import Plan, Task, TaskStatus
    from program.models import Project

    plan = Plan.objects.create(province=province, title="Kế hoạch thử", number="1/KH-UBND")
    lead = Agency.objects.filter(province=province).first()
    da1 = Project.objects.filter(parent__isnull=True).order_by("sort_key").first()
    done = Task.objects.create(
        plan=plan,
        province=province,
        text="Việc đã xong",
        lead_agency=lead,
        deadline=dt.date(2026, 5, 10),
        status=TaskStatus.DONE,
    )
    late = Task.objects.create(
        plan=plan, province=province, text="Việc trễ", lead_agency=lead, deadline=dt.date(2026, 6, 1)
    )
    Task.objects.create(
        plan=plan, province=province, text="Việc quý sau", lead_agency=lead, deadline=dt.date(2026, 8, 1)
    )
    done.projects.add(da1)
    late.projects.add(da1)
    bundle = services.assemble(province=province, period=Q2, today=dt.date(2026, 7, 1))
    (row,) = [p for p in bundle.projects if p.code == da1.code]
    assert (row.due, row.done, row.overdue) == (2, 1, 1)
    assert bundle.upcoming == ["Việc quý sau"]
    assert "1 nhiệm vụ đến hạn trong kỳ đã quá hạn nhưng chưa hoàn thành" in services.generate(bundle)["shortcomings"]


def test_saving_adds_versions_and_the_newest_is_the_draft(world, province, office_a):
    bundle = services.assemble(province=province, period=Q2)
    first = services.draft(bundle=bundle)
    assert first.pk is None and first.version == 0 and first.issuing_body == "CÔNG AN TỈNH"
    data = {f: getattr(first, f) for f in PeriodReport.EDITABLE_FIELDS}
    v1 = services.save(acting_user=office_a, province=province, period=Q2, data=data)
    v2 = services.save(acting_user=office_a, province=province, period=Q2, data=data | {"proposals": "Đề nghị A."})
    assert (v1.version, v2.version) == (1, 2)
    assert services.draft(bundle=bundle).pk == v2.pk
    assert [v.version for v in services.versions(province=province, period=Q2)] == [2, 1]
    assert AuditEvent.objects.filter(action="period_report.save").count() == 2


def test_office_edits_a_generated_sentence_and_the_download_carries_it(world, login):
    client = login("office_a")
    url = reverse("periodreport:province", args=[PROVINCE_A])
    page = client.get(url, {"period": "2026Q2"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "2/3 xã có số liệu đã duyệt" in body and "Chưa đủ số liệu" in body
    letter = page.context["letter"]
    edited = letter.results.replace("Số vụ bắt giữ (thử): 42 vụ.", "Số vụ bắt giữ (thử): 42 vụ, đều đã khởi tố.")
    assert edited != letter.results
    response = client.post(f"{url}?period=2026Q2", _post(letter, results=edited, action="save"))
    assert response.status_code == 302
    assert PeriodReport.objects.get(province_id=PROVINCE_A, period="2026Q2").version == 1
    download = follow_job(
        client, client.get(reverse("periodreport:province_export", args=[PROVINCE_A, "docx"]), {"period": "2026Q2"})
    )
    assert download.status_code == 200
    text = _text(download.content)
    assert "42 vụ, đều đã khởi tố." in text
    assert "Báo cáo quý cấp xã (thử) — 2/3 xã có số liệu đã duyệt" in text
    assert "Báo cáo quý sở, ngành (thử) — 2/2 cơ quan có số liệu đã duyệt" in text
    assert "Phụ lục 1." in text and "Phụ lục 2." in text
    with docx2python(io.BytesIO(download.content)) as doc:
        rows = [r for t in doc.body for r in t if len(r) >= 4]
    totals = {"".join(r[1]).strip(): "".join(r[3]).strip() for r in rows if len(r) == 8}
    assert totals["Số người có hồ sơ quản lý (thử)"] == "30" and totals["Số vụ bắt giữ (thử)"] == "42"


def test_regenerate_fills_the_sections_again_without_saving(world, login):
    client = login("office_a")
    url = reverse("periodreport:province", args=[PROVINCE_A])
    letter = client.get(url, {"period": "2026Q2"}).context["letter"]
    response = client.post(f"{url}?period=2026Q2", _post(letter, results="Tự viết.", action="generated"))
    assert response.status_code == 200
    assert "Số vụ bắt giữ (thử): 42 vụ." in response.context["form"]["results"].value()
    assert not PeriodReport.objects.exists()


def test_xlsx_workbook_has_every_form_the_tasks_and_the_annexes(world, province):
    bundle = services.assemble(province=province, period=Q2)
    letter = services.draft(bundle=bundle)
    wb = load_workbook(io.BytesIO(exports.report_xlsx(bundle, letter)))
    names = wb.sheetnames
    assert names[0] == "Báo cáo"
    assert names[1:] == [
        "Bảng 1 - Báo cáo quý cấp xã",
        "Bảng 2 - Báo cáo quý sở, ngành",
        "Phụ lục 1 - Báo cáo quý cấp xã",
        "Phụ lục 2 - Báo cáo quý sở",
    ]
    sheet = wb["Bảng 1 - Báo cáo quý cấp xã"]
    values = {r[1]: r[3] for r in sheet.iter_rows(min_row=3, values_only=True) if r[1]}
    assert values["Số người có hồ sơ quản lý (thử)"] == 30
    assert "2/3 xã có số liệu đã duyệt" in sheet["A1"].value


def test_invalid_text_is_refused_with_a_message(world, login):
    client = login("office_a")
    url = reverse("periodreport:province", args=[PROVINCE_A])
    letter = client.get(url, {"period": "2026Q2"}).context["letter"]
    response = client.post(f"{url}?period=2026Q2", _post(letter, issued_on="31/02/2026", action="save"))
    assert response.status_code == 200 and response.context["form"].errors
    assert not PeriodReport.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_page_and_download_permissions(world, login, persona):
    client = login(persona)
    page = client.get(reverse("periodreport:province", args=[PROVINCE_A]), {"period": "2026Q2"})
    assert page.status_code == READ[persona]
    download = follow_job(
        client, client.get(reverse("periodreport:province_export", args=[PROVINCE_A, "xlsx"]), {"period": "2026Q2"})
    )
    assert download.status_code == READ[persona]


@pytest.mark.parametrize("persona", ["leader_a", "national"])
def test_readers_cannot_save(world, login, persona):
    client = login(persona)
    url = reverse("periodreport:province", args=[PROVINCE_A])
    letter = client.get(url, {"period": "2026Q2"}).context["letter"]
    assert client.post(f"{url}?period=2026Q2", _post(letter, action="save")).status_code == 403
    assert not PeriodReport.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_nation_report_permissions_and_content(world, login, persona):
    client = login(persona)
    response = client.get(reverse("periodreport:nation"), {"period": "2026Q2"})
    assert response.status_code == NATION[persona]
    if response.status_code == 200:
        parts = {p.form.code: p for p in response.context["bundle"].parts}
        assert parts["ZC_COMMUNE"].unit_word == "tỉnh, thành phố"
        assert parts["ZC_COMMUNE"].report.total("ZC_SUM") == 45  # A 30 + B 15


def test_bad_period_falls_back_and_bad_format_is_404(world, login):
    client = login("office_a")
    assert client.get(reverse("periodreport:province", args=[PROVINCE_A]), {"period": "2026Q9"}).status_code == 200
    assert client.get(f"/bao-cao-chung/tinh/{PROVINCE_A}/tai-ve.pdf").status_code == 404
