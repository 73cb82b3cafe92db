"""The XLSX export of the province table, read back with openpyxl."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from areas import services
from areas.tests.builders import TYPE_III, YEAR, A, B, approved, commune, submitted

pytestmark = pytest.mark.django_db


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(response.content)).active


def test_the_export_holds_one_line_per_commune_with_class_status_decision_and_change(login, commune_a, office_a):
    submitted(commune_a, figures=TYPE_III)
    approved(office_a, office_a, code=B)
    services.record_historical_class(acting_user=office_a, commune=commune(B), year=2024, klass="II")
    services.set_commune_target(acting_user=office_a, commune=commune(B), target_year=2026)
    ws = _sheet(login("office_a").get(reverse("areas:province_xlsx", args=["66"]), {"year": YEAR}))
    assert ws.title == "Xếp loại 2026"
    assert "Tỉnh Đắk Lắk" in ws["A1"].value and "15/12/2025 – 14/12/2026" in ws["A1"].value
    headers = [c.value for c in ws[2]]
    assert headers[:4] == ["Mã xã", "Tên xã, phường, đặc khu", "Loại đơn vị", "Xếp loại"]
    rows = {r[0]: dict(zip(headers, r, strict=True)) for r in ws.iter_rows(min_row=3, values_only=True)}
    assert len(rows) == 102
    b = rows[B]
    assert (b["Xếp loại"], b["Là đề xuất của xã"], b["Trạng thái"]) == (
        "Không ma túy",
        "Không",
        "UBND tỉnh đã phê duyệt",
    )
    assert b["Căn cứ pháp lý"] == "QĐ 28/2025/QĐ-TTg" and b["Số quyết định phê duyệt"] == "123/QĐ-UBND"
    assert b["Ngày quyết định"] == datetime.datetime(2026, 11, 25)
    assert b["Năm đăng ký đạt không ma túy"] == 2026 and b["Điều kiện không ma túy đạt (/3)"] == 3
    a = rows[A]
    assert (a["Xếp loại"], a["Là đề xuất của xã"], a["Tiêu chí loại III đạt (/3)"]) == ("Loại III", "Có", 1)
    assert rows["24175"]["Xếp loại"] == "Chưa có kết quả" and rows["24175"]["Trạng thái"] == "Chưa có hồ sơ"


def test_the_export_follows_the_filters(login, commune_a, office_a):
    submitted(commune_a, figures=TYPE_III)
    approved(office_a, office_a, code=B)
    ws = _sheet(
        login("leader_a").get(reverse("areas:province_xlsx", args=["66"]), {"year": YEAR, "klass": "drug_free"})
    )
    assert [r[0] for r in ws.iter_rows(min_row=3, values_only=True)] == [B]


def test_national_viewers_export_approved_results_only(login, commune_a, office_a):
    submitted(commune_a, figures=TYPE_III)
    ws = _sheet(login("national").get(reverse("areas:province_xlsx", args=["66"]), {"year": YEAR}))
    rows = {r[0]: r for r in ws.iter_rows(min_row=3, values_only=True)}
    assert rows[A][3] == "Chưa có kết quả"
