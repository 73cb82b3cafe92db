"""Browser journeys in Chromium: each role signs in and lands on its home; lockout; logout."""

import pytest

pytestmark = [pytest.mark.browser]

HOMES = {
    "thuongtruc": "home-standing-office", "syt": "home-agency", "xa": "home-commune", "hoso": "home-case-officer",
    "lanhdao": "home-leader", "c04": "home-nation", "quantri": "home-nation",
}


def _login(page, live_server, username, password="Pcmt@2026demo"):
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_every_role_signs_in_to_its_home_and_signs_out(page, live_server, e2e_data):
    for username, section in HOMES.items():
        _login(page, live_server, username)
        page.wait_for_selector(f'[data-testid="{section}"]')
        assert page.locator("h1").first.inner_text().startswith("Xin chào")
        page.click('[data-testid="user-menu"]')
        page.click("text=Đăng xuất")
        page.wait_for_selector("#id_username")
        assert "/tai-khoan/dang-nhap/" in page.url


def test_a_locked_out_login_shows_its_message_and_the_office_unlocks_it(page, context, live_server, e2e_data):
    from accounts.models import User

    office = context.browser.new_context().new_page()  # the office is signed in elsewhere
    _login(office, live_server, "thuongtruc")
    office.wait_for_selector('[data-testid="home-standing-office"]')

    for _ in range(5):
        _login(page, live_server, "xa", "mat-khau-sai")
    message = page.locator('[data-testid="lockout-message"]')
    message.wait_for()
    assert "tạm khóa trong 15 phút" in message.inner_text()
    _login(page, live_server, "xa")  # the right password does not help while locked
    assert page.locator('[data-testid="lockout-message"]').count() == 1

    office.goto(f"{live_server.url}/tai-khoan/nguoi-dung/{User.objects.get(username='xa').pk}/")
    office.locator('[data-testid="locked-badge"]').wait_for()
    office.click("text=Mở khóa đăng nhập")
    office.wait_for_selector("text=Đã mở khóa đăng nhập")

    _login(page, live_server, "xa")
    page.wait_for_selector('[data-testid="home-commune"]')
