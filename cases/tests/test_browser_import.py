"""Browser journey: a case officer downloads the template, uploads a list with «Kiểm tra trước»,
follows the job's page to its row-level report, then imports for real and finds the persons.
Screenshots at 1366x768 and 390 px in /tmp/shots-cases/."""

from __future__ import annotations

import datetime

import pytest

from cases.tests.test_browser import _code, _shot, clean_log  # noqa: F401 - the fixture

pytestmark = [pytest.mark.browser]


def test_upload_a_list_check_it_then_import_it(page, live_server, e2e_data, clean_log, tmp_path):  # noqa: F811
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User
    from cases.models import AccessLog, Person
    from cases.tests.conftest import cccd_for

    officer = User.objects.get(username="hoso")
    device = TOTPDevice.objects.create(user=officer, name="test", confirmed=True)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", "hoso")
    page.fill("#id_password", "Pcmt@2026demo")
    page.click("main button[type=submit]")
    page.wait_for_selector('[data-testid="otp-submit"]')
    page.fill("#id_token", _code(device))
    page.click('[data-testid="otp-submit"]')
    page.wait_for_selector('[data-testid="home-registry-link"]')

    page.goto(f"{live_server.url}/ho-so/")
    page.click('[data-testid="cases-import-link"]')
    with page.expect_download() as download:
        page.click('[data-testid="cases-import-template"]')
    assert download.value.suggested_filename == "mau-nhap-danh-sach-ho-so.xlsx"
    _shot(page, "import-upload")

    birth = datetime.date(1991, 3, 9)
    good = f"Lý Văn Tệp,09/03/1991,Nam,{cccd_for(birth, 'M', serial=930001)},24133,Thôn 2,Nghiện"
    bad = "Mai Thị Sai,09/03/1991,Nữ,,24133,,Không rõ"
    csv = tmp_path / "danh-sach.csv"
    header = "ho_ten,ngay_sinh,gioi_tinh,cccd,ma_xa,dia_chi,tinh_trang"
    csv.write_text("\n".join([header, good, bad]) + "\n", encoding="utf-8")
    page.set_input_files('[data-testid="import-file"]', str(csv))
    assert page.is_checked("#id_dry_run")  # «Kiểm tra trước» is offered first
    page.click('[data-testid="cases-import-submit"]')
    page.wait_for_selector("#job-status >> text=Không thành công")
    report = page.locator("#job-status").inner_text()
    assert "Dòng 3:" in report and "tình trạng «Không rõ»" in report and "Không nhập người nào" in report
    _shot(page, "import-refused")
    assert not Person.objects.exists()

    csv.write_text("\n".join([header, good]) + "\n", encoding="utf-8")
    page.goto(f"{live_server.url}/ho-so/nhap/")
    page.set_input_files('[data-testid="import-file"]', str(csv))
    page.click('[data-testid="cases-import-submit"]')
    page.wait_for_selector("#job-status >> text=Kiểm tra xong: 1 dòng hợp lệ")
    assert page.locator(".progress-bar").get_attribute("style") == "width: 100%"

    page.goto(f"{live_server.url}/ho-so/nhap/")
    page.set_input_files('[data-testid="import-file"]', str(csv))
    page.uncheck("#id_dry_run")
    page.click('[data-testid="cases-import-submit"]')
    page.wait_for_selector("#job-status >> text=Đã nhập 1 người vào sổ quản lý.")
    _shot(page, "import-done")
    page.goto(f"{live_server.url}/ho-so/?q=ly van tep")
    assert page.locator('[data-testid="person-table"] tbody tr').count() == 1
    assert AccessLog.objects.filter(action=AccessLog.Action.IMPORT).count() == 3
