"""Browser journey in Chromium: a commune assesses itself, the Standing Office approves."""

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser]


def _login(page, live_server, username, password="Pcmt@2026demo"):
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_selector('[data-testid="user-menu"]')


def test_a_commune_goes_from_self_assessment_to_approval(page, context, live_server, e2e_data):
    from areas.models import CommuneAssessment

    page.on("dialog", lambda dialog: dialog.accept())  # the "send?" confirmations
    _login(page, live_server, "xa")
    page.click('[data-testid="nav-areas"]')
    page.click("nav >> text=Phân loại địa bàn")
    page.click('[data-testid="start-self-assessment"]')

    page.fill("#id_default_note", "Công an phường, số liệu đến 14/12")
    figures = {
        "population": "35.120",
        "users_with_records": "40",
        "points": "1",
        "arrested": "20",
        "plants": "0",
        "area_m2": "0",
        "residents_using": "12",
        "residents_violating": "2",
        "fugitives": "0",
    }
    for name, value in figures.items():
        page.fill(f"#id_{name}", value)
    page.select_option("#id_on_route", "0")
    # The engine's proposal appears while typing (htmx), before anything is saved.
    page.wait_for_selector('[data-testid="proposal-class"]:has-text("Loại II")')
    assert CommuneAssessment.objects.count() == 0

    page.click('[data-testid="save-submit"]')
    page.wait_for_selector('[data-testid="status"]:has-text("Xã đã gửi")')
    assert page.locator('[data-testid="proposed-class"]').inner_text() == "Loại II"

    office = context.browser.new_context().new_page()
    office.on("dialog", lambda dialog: dialog.accept())
    _login(office, live_server, "thuongtruc")
    office.click('[data-testid="nav-areas"]')
    office.click("nav >> text=Phân loại địa bàn")
    office.fill("#id_q", "Buôn Ma Thuột")
    office.wait_for_selector('[data-testid="area-table"] >> text=Xã đã gửi')
    office.click('[data-testid="area-table"] >> text=Phường Buôn Ma Thuột')
    office.click('[data-testid="forward"]')
    office.wait_for_selector('[data-testid="status"]:has-text("Đã thẩm định")')
    office.fill("#id_decision_number", "1234/QĐ-UBND")
    office.fill("#id_decision_date", "31/02/2026")  # no such day: refused, nothing saved
    office.click('[data-testid="approve"]')
    office.wait_for_selector("text=Ngày 31/02/2026 không tồn tại")
    office.fill("#id_decision_date", timezone.localdate().strftime("%d/%m/%Y"))
    office.click('[data-testid="approve"]')
    office.wait_for_selector('[data-testid="approved-class"]:has-text("Loại II")')

    page.reload()
    assert page.locator('[data-testid="status"]').inner_text() == "UBND tỉnh đã phê duyệt"
    obj = CommuneAssessment.objects.get()
    assert (obj.status, obj.approved_class, obj.decision_number) == ("approved", "II", "1234/QĐ-UBND")
