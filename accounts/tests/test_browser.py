"""Browser journeys in Chromium: each role signs in and lands on its home; lockout; logout."""

import pytest

pytestmark = [pytest.mark.browser]

HOMES = {
    "thuongtruc": "home-standing-office",
    "syt": "home-agency",
    "xa": "home-commune",
    "lanhdao": "home-leader",
    "c04": "home-nation",
    "quantri": "home-nation",
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


def _totp(secret_b32: str) -> str:
    """The current code an authenticator app would show for this secret."""
    import base64

    from django_otp.oath import totp

    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    return f"{totp(key, step=30, t0=0, digits=6):06d}"


def test_a_case_officer_must_set_up_and_then_use_the_second_factor(page, live_server, e2e_data):
    _login(page, live_server, "hoso")
    page.locator('[data-testid="otp-required"]').wait_for()
    secret = page.locator('[data-testid="otp-secret"]').inner_text()
    page.fill("#id_token", _totp(secret))
    page.click('[data-testid="otp-confirm"]')
    page.wait_for_selector('[data-testid="home-case-officer"]')
    page.click('[data-testid="user-menu"]')
    page.click("text=Đăng xuất")

    _login(page, live_server, "hoso")
    page.wait_for_selector('[data-testid="otp-submit"]')
    page.fill("#id_token", "000000")
    page.click('[data-testid="otp-submit"]')
    page.wait_for_selector("text=Mã xác thực không đúng")
