"""Browser journey (issue 11 §3) in Chromium: the Standing Office copies the national commune
form, adds its own element broken down by the national statistics' age bands (with a live check
of a rule), a schedule uses the copy, a commune enters the figures, the office approves; the
consolidated report shows the element by age band, and the DHIS2 export and metadata package
carry it with its categoryOptionCombos."""

from __future__ import annotations

import json

import pytest

from reporting.tests.test_browser_entry import _cell, _fill_form, _login

pytestmark = [pytest.mark.browser]

BANDS = {
    "AG0_13": "1",
    "AG14_15": "2",
    "AG16_17": "3",
    "AG18_29": "4",
    "AG30P": "5",
}


def test_office_designs_its_own_element_commune_reports_it_and_dhis2_carries_it(
    page, context, live_server, e2e_data, tmp_path
):
    from reporting import periods as P
    from reporting.models import Form
    from reporting.services import schedules as S

    period = P.containing("quarterly", S.today(), "administrative")
    page.set_viewport_size({"width": 1366, "height": 900})
    _login(page, live_server, "thuongtruc")

    # 1. Copy the national commune form: the copy is the province's own.
    page.goto(f"{live_server.url}/bao-cao/thiet-ke/")
    national = Form.objects.get(code="XA_QUY")
    assert "chỉ xem" in _cell(page, "element-MGMT_ADDICTS").inner_text()  # the national catalogue: read-only
    _cell(page, "form-XA_QUY").locator("text=Sao chép").click()
    assert page.input_value("#id_code") == "T66_XA_QUY"  # a province's codes carry its prefix
    page.click("button:has-text('Sao chép')")
    page.wait_for_selector("h2:has-text('Quy tắc kiểm tra')")
    copy = Form.objects.get(code="T66_XA_QUY")
    assert copy.province_id == "66" and copy.copied_from == national

    # 2. A new element broken down by the national statistics' age bands.
    page.goto(f"{live_server.url}/bao-cao/thiet-ke/chi-tieu/them/")
    page.fill("#id_code", "T66_NEW_YOUTH")
    page.fill("#id_name", "Người sử dụng ma túy mới phát hiện theo nhóm tuổi")
    page.fill("#id_unit", "người")
    page.select_option("#id_category_combo", label="Theo nhóm tuổi thống kê (dưới 14, 14–16, 16–18, 18–30, từ 30)")
    page.click("button:has-text('Lưu chỉ tiêu')")
    page.wait_for_selector("text=Đã lưu chỉ tiêu T66_NEW_YOUTH")

    # 3. Into the copy, with a rule checked live as it is typed.
    page.goto(f"{live_server.url}/bao-cao/thiet-ke/bieu-mau/{copy.pk}/")
    page.select_option("#id_i-element", label="T66_NEW_YOUTH — Người sử dụng ma túy mới phát hiện theo nhóm tuổi")
    page.click("button:has-text('Thêm chỉ tiêu')")
    page.wait_for_selector('[data-testid="item-T66_NEW_YOUTH"]')
    assert _cell(page, "rule-T66_NEW_YOUTH_PCMT_NHOM_TUOI_TK").count() == 1  # part ≤ total, generated
    page.fill("#id_r-text", "T66_NEW_YOUTH:M <= T66_NEW_YOUTH")
    page.wait_for_selector('[data-testid="rule-check"]:has-text("không phân tổ theo «M»")')
    page.fill("#id_r-text", "T66_NEW_YOUTH:AG14_15 + T66_NEW_YOUTH:AG16_17 <= T66_NEW_YOUTH")
    page.wait_for_selector('[data-testid="rule-check"]:has-text("Quy tắc hợp lệ")')
    page.fill("#id_r-code", "T66_UNDER18")
    page.fill("#id_r-message", "Số từ 14 đến dưới 18 tuổi không được lớn hơn tổng số.")
    page.click("button:has-text('Thêm quy tắc')")
    page.wait_for_selector('[data-testid="rule-T66_UNDER18"]')

    # 4. A schedule uses the copy.
    page.goto(f"{live_server.url}/bao-cao/lich/them/")
    page.fill("#id_name", "Báo cáo quý cấp xã (mẫu của tỉnh)")
    page.select_option("#id_form", label=copy.name)
    page.select_option("#id_frequency", "quarterly")
    page.select_option("#id_convention", "administrative")
    page.fill("#id_first_period", period.id)
    page.select_option("#id_due_kind", "days_after_close")
    page.fill("#id_due_days", "10")
    page.check("#id_all_communes")
    _cell(page, "schedule-save").click()
    page.wait_for_selector("text=Đã tạo lịch báo cáo")

    # 5. The commune enters the figures by age band and submits.
    commune = context.browser.new_context().new_page()
    _login(commune, live_server, "xa")
    commune.click("nav >> text=Báo cáo cần nộp")
    commune.click(f'[data-testid="open-{period.id}"]')
    _cell(commune, "cell-T66_NEW_YOUTH-AG14_15").wait_for()
    _fill_form(commune)
    _cell(commune, "cell-T66_NEW_YOUTH-T").fill("15")
    for band, value in BANDS.items():
        _cell(commune, f"cell-T66_NEW_YOUTH-{band}").fill(value)
    _cell(commune, "submit-button").click()
    commune.wait_for_selector("text=Đã nộp báo cáo")

    # 6. The office approves.
    page.click('[data-testid="nav-reporting"]')
    page.click("nav >> text=Hộp báo cáo")
    page.click('[data-testid="inbox-open-commune:24133"]')
    page.once("dialog", lambda d: d.accept())
    _cell(page, "approve-button").click()
    page.wait_for_selector("text=Đã duyệt báo cáo")

    # 7. The consolidated report shows the element by age band.
    page.goto(f"{live_server.url}/tong-hop/tinh/66/?form={copy.pk}&period={period.id}")
    page.locator('[data-testid="as-of"]').wait_for()
    table = page.locator("main").inner_text()
    assert "Người sử dụng ma túy mới phát hiện theo nhóm tuổi" in table
    assert "trong đó: từ đủ 14 đến dưới 16 tuổi" in table and "trong đó: từ đủ 30 tuổi trở lên" in table
    page.screenshot(path=str(tmp_path / "consolidated.png"), full_page=True)

    # 8. DHIS2: the export carries the element with its categoryOptionCombos, the package the combo.
    exported = page.request.get(
        f"{live_server.url}/api/dhis2/dataValueSets?period={period.id}&orgUnit=66&idScheme=CODE"
    ).json()
    mine = {
        v["categoryOptionCombo"]: v["value"]
        for v in exported["dataValues"]
        if v["dataElement"] == "T66_NEW_YOUTH_NTK" and v["orgUnit"] == "24133"
    }
    assert mine == BANDS
    assert any(
        v["dataElement"] == "T66_NEW_YOUTH" and v["categoryOptionCombo"] == "default" and v["value"] == "15"
        for v in exported["dataValues"]
    )
    page.goto(f"{live_server.url}/dhis2/")
    with page.expect_download() as info:
        page.click('[data-testid="metadata-66"]')
    path = tmp_path / "metadata.json"
    info.value.save_as(path)
    package = json.loads(path.read_text(encoding="utf-8"))
    assert {"AG0_13", "AG14_15", "AG16_17", "AG18_29", "AG30P"} <= {c["code"] for c in package["categoryOptionCombos"]}
    assert "PCMT_NHOM_TUOI_TK" in {c["code"] for c in package["categoryCombos"]}
    data_set = next(d for d in package["dataSets"] if d["code"] == "T66_XA_QUY_QUARTERLY")
    de_uid = next(d["id"] for d in package["dataElements"] if d["code"] == "T66_NEW_YOUTH_NTK")
    assert de_uid in {e["dataElement"]["id"] for e in data_set["dataSetElements"]}
