"""XLSX and DOCX exports in the NĐ 30/2020 format, and the narrative the officer edits."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx2python import docx2python
from openpyxl import load_workbook

from conftest import follow_job
from geo.models import Province
from reporting.models import ReportNarrative
from reporting.periods import parse
from reporting.services import consolidation, exports
from reporting.tests.builders_consolidation import PROVINCE_A, commune_world

PERSONAS = ["office_a", "office_b", "agency_a", "commune_a", "case_a", "leader_a", "national", "admin"]
READ = {
    "office_a": 200,
    "office_b": 404,
    "agency_a": 403,
    "commune_a": 403,
    "case_a": 403,
    "leader_a": 200,
    "national": 200,
    "admin": 403,
}
NATION = {p: 403 for p in PERSONAS} | {"national": 200, "admin": 403}
EDIT_GET = {
    "office_a": 200,
    "office_b": 404,
    "agency_a": 403,
    "commune_a": 403,
    "case_a": 403,
    "leader_a": 403,
    "national": 403,
    "admin": 403,
}
EDIT_POST = EDIT_GET | {"office_a": 302, "admin": 403}


@pytest.fixture
def world(db):
    return commune_world()


def _q(world, **extra):
    return {"form": world.form.pk, "period": "2026Q2", **extra}


def _docx_text(content: bytes) -> str:
    with docx2python(io.BytesIO(content)) as doc:
        return doc.text


def test_date_line_follows_decree_30():
    assert exports.date_line("Đắk Lắk", dt.date(2026, 11, 25)) == "Đắk Lắk, ngày 25 tháng 11 năm 2026"
    assert exports.date_line("Hưng Yên", dt.date(2026, 1, 5)) == "Hưng Yên, ngày 05 tháng 01 năm 2026"
    assert exports.date_line("Hà Nội", dt.date(2026, 3, 9)) == "Hà Nội, ngày 09 tháng 3 năm 2026"


def test_default_header_names_the_province(world):
    province = Province.objects.get(code=PROVINCE_A)
    n = exports.default_narrative(province=province, form=world.form, period=parse("2026Q2"))
    assert n.parent_body == "UBND TỈNH ĐẮK LẮK" and n.issuing_body == "CÔNG AN TỈNH" and n.place == "Đắk Lắk"
    assert n.title.endswith("quý II năm 2026 trên địa bàn tỉnh Đắk Lắk")


def test_xlsx_has_the_header_block_and_the_totals(world):
    province = Province.objects.get(code=PROVINCE_A)
    report = consolidation.province_report(form=world.form, period=parse("2026Q2"), province=province, by_unit=True)
    narrative = exports.default_narrative(province=province, form=world.form, period=report.period)
    narrative.issued_on = dt.date(2026, 11, 25)
    wb = load_workbook(io.BytesIO(exports.report_xlsx(report, narrative)))
    ws = wb["Tổng hợp"]
    assert ws["A1"].value == "UBND TỈNH ĐẮK LẮK" and ws["A2"].value == "CÔNG AN TỈNH" and ws["A2"].font.b
    assert ws["D1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and ws["D2"].value == "Độc lập - Tự do - Hạnh phúc"
    assert ws["D3"].value == "Đắk Lắk, ngày 25 tháng 11 năm 2026"
    assert ws["A5"].value == "BÁO CÁO" and ws["A1"].font.name == "Times New Roman"
    assert "Số liệu tính đến 09:00 ngày 03/07/2026" in ws["A8"].value
    rows = {r[1]: r for r in ws.iter_rows(min_row=11, values_only=True) if r[1]}
    assert rows["Số người có hồ sơ quản lý (thử)"][3] == 30
    assert rows["Số người có hồ sơ quản lý (thử)"][4] == 40  # previous quarter
    assert rows["Tỷ lệ trung bình (thử)"][3] == 15
    units = wb["Theo đơn vị"]
    assert units.max_row == 2 + 3  # two header rows, three communes
    assert any(row[2] == 10 for row in units.iter_rows(min_row=3, values_only=True))


def test_docx_has_the_administrative_layout_and_the_totals(world):
    province = Province.objects.get(code=PROVINCE_A)
    report = consolidation.province_report(form=world.form, period=parse("2026Q2"), province=province)
    narrative = exports.default_narrative(province=province, form=world.form, period=report.period)
    narrative.issued_on, narrative.situation = dt.date(2026, 11, 25), "Tình hình trên địa bàn ổn định."
    narrative.signer_name = "Nguyễn Văn A"
    content = exports.report_docx(report, narrative)
    text = _docx_text(content)
    for needle in (
        "UBND TỈNH ĐẮK LẮK",
        "CÔNG AN TỈNH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Đắk Lắk, ngày 25 tháng 11 năm 2026",
        "Số:",
        "BÁO CÁO",
        "I. TÌNH HÌNH CHUNG",
        "Tình hình trên địa bàn ổn định.",
        "II. KẾT QUẢ THỰC HIỆN",
        "Nơi nhận:",
        "KT. GIÁM ĐỐC",
        "Nguyễn Văn A",
        "Số liệu tính đến",
    ):
        assert needle in text, needle
    with docx2python(io.BytesIO(content)) as doc:
        tables = [t for t in doc.body if len(t) > 3]
    data = tables[0]
    row = next(r for r in data if "Số người có hồ sơ quản lý (thử)" in "".join(r[1]))
    assert "".join(row[3]) == "30" and "".join(row[5]) == "-25,0"
    from docx import Document

    doc = Document(io.BytesIO(content))
    assert doc.styles["Normal"].font.name == "Times New Roman" and doc.styles["Normal"].font.size.pt == 14


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_province_download_permissions(login, world, persona, fmt):
    client = login(persona)
    response = follow_job(
        client, client.get(reverse("consolidation:province_export", args=[PROVINCE_A, fmt]), _q(world))
    )
    assert response.status_code == READ[persona]
    if response.status_code == 200:
        assert response["Content-Disposition"].endswith(f'.{fmt}"')


@pytest.mark.parametrize("persona", PERSONAS)
def test_nation_download_permissions(login, world, persona):
    client = login(persona)
    response = follow_job(client, client.get(reverse("consolidation:nation_export", args=["xlsx"]), _q(world)))
    assert response.status_code == NATION[persona]
    if response.status_code == 200:
        ws = load_workbook(io.BytesIO(response.content))["Tổng hợp"]
        assert ws["A1"].value == "BỘ CÔNG AN"
        assert any(r[3] == 45 for r in ws.iter_rows(min_row=11, values_only=True))


def test_unknown_format_is_404(login, world):
    assert login("office_a").get(f"/tong-hop/tinh/{PROVINCE_A}/tai-ve.pdf").status_code == 404


def _narrative_post(**extra):
    return {
        "parent_body": "UBND TỈNH ĐẮK LẮK",
        "issuing_body": "CÔNG AN TỈNH",
        "number": "Số: 123/BC-CAT-PC04",
        "place": "Đắk Lắk",
        "issued_on": "25/11/2026",
        "title": "Kết quả công tác quý II",
        "situation": "Đoạn mở đầu.",
        "results": "Nhận xét kết quả.",
        "shortcomings": "",
        "next_tasks": "Nhiệm vụ quý III.",
        "proposals": "",
        "signer_authority": "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
        "signer_name": "Trần Văn B",
        "recipients": "- Như trên;\n- Lưu: VT.",
        **extra,
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_narrative_page_permissions(login, world, persona):
    url = f"{reverse('consolidation:narrative', args=[PROVINCE_A])}?form={world.form.pk}&period=2026Q2"
    client = login(persona)
    assert client.get(url).status_code == EDIT_GET[persona]
    response = client.post(url, _narrative_post())
    assert response.status_code == EDIT_POST[persona]
    assert ReportNarrative.objects.filter(province_id=PROVINCE_A).exists() == (EDIT_POST[persona] == 302)


def test_saved_narrative_is_kept_and_used_by_the_downloads(login, world):
    client = login("office_a")
    url = f"{reverse('consolidation:narrative', args=[PROVINCE_A])}?form={world.form.pk}&period=2026Q2"
    client.post(url, _narrative_post())
    client.post(url, _narrative_post(situation="Đoạn mở đầu đã sửa."))
    assert ReportNarrative.objects.filter(province_id=PROVINCE_A).count() == 1
    assert "Đoạn mở đầu đã sửa." in client.get(url).content.decode()
    response = follow_job(
        client, client.get(reverse("consolidation:province_export", args=[PROVINCE_A, "docx"]), _q(world))
    )
    text = _docx_text(response.content)
    assert "Số: 123/BC-CAT-PC04" in text and "Đoạn mở đầu đã sửa." in text and "Trần Văn B" in text
    assert "Nhiệm vụ quý III." in text and "III. TỒN TẠI" not in text  # empty sections are left out


def test_a_bad_date_keeps_the_text_and_says_why(login, world):
    url = f"{reverse('consolidation:narrative', args=[PROVINCE_A])}?form={world.form.pk}&period=2026Q2"
    response = login("office_a").post(url, _narrative_post(issued_on="31/02/2026"))
    html = response.content.decode()
    assert response.status_code == 200 and "Ngày 31/02/2026 không tồn tại." in html and "Đoạn mở đầu." in html
    assert not ReportNarrative.objects.exists()


def test_the_narrative_service_rechecks_the_province_itself(world, office_b):
    from django.core.exceptions import PermissionDenied

    from reporting.services.narratives import save_narrative

    with pytest.raises(PermissionDenied):
        save_narrative(
            acting_user=office_b,
            province=Province.objects.get(code=PROVINCE_A),
            form=world.form,
            period=parse("2026Q2"),
            data={"title": "Báo cáo của tỉnh khác"},
        )
    assert not ReportNarrative.objects.filter(province_id=PROVINCE_A).exists()
