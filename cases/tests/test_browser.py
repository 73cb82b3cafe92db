"""Browser journey: a case officer takes a person from a management decision to post-rehab and
sees the commune's figure change, in the registry's figures and in the commune's report form
(pre-filled, read-only). Screenshots at 1366x768 and 390 px in /tmp/shots-cases/."""

from __future__ import annotations

import datetime
import importlib
from pathlib import Path

import pytest
from django.db import connection

pytestmark = [pytest.mark.browser]
SHOTS = Path("/tmp/shots-cases")
_triggers = importlib.import_module("cases.migrations.0002_access_log_append_only")


@pytest.fixture
def clean_log(e2e_data):
    """The live-server test ends by emptying every table; the access log refuses DELETE, so its
    rows go first with the trigger lifted (as only a database owner can), then it is restored.
    The rule sets and holidays are loaded as the session's data has them."""
    from django.core.management import call_command

    call_command("load_legal_rules", verbosity=0)
    call_command("load_holidays", verbosity=0)
    yield
    vendor = connection.vendor
    with connection.cursor() as cur:
        for sql in {"sqlite": _triggers.SQLITE_REVERSE, "postgresql": _triggers.POSTGRES_REVERSE}[vendor]:
            cur.execute(sql)
        cur.execute("DELETE FROM cases_accesslog")
        for sql in {"sqlite": _triggers.SQLITE, "postgresql": _triggers.POSTGRES}[vendor]:
            cur.execute(sql)


def _code(device) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=30, t0=0, digits=6):06d}"


def _shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    for width, height in ((1366, 768), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})


def _figure(page, live_server, label: str) -> str:
    page.goto(f"{live_server.url}/ho-so/so-lieu/?commune=24133")
    return page.locator(f'[data-figure="{label}"]').inner_text().strip()


def _decide(page, decision_type: str, day: datetime.date) -> None:
    page.select_option("#id_decision_type", decision_type)
    page.fill("#id_decided_on", day.strftime("%d/%m/%Y"))
    page.click('[data-testid="decision-form"] button[type=submit]')
    page.wait_for_selector("text=Đã ghi quyết định")


def _report_form(page, url: str) -> dict[str, str]:
    """The commune officer's report form: the registry's cells as shown (never inputs)."""
    page.goto(url)
    page.wait_for_selector('[data-testid="registry-note"]')
    out = {}
    for code in ("MGMT_USERS-T", "MGMT_USERS-M", "POST_REHAB_MGMT-T", "MGMT_ADDICTS-T"):
        cell = page.locator(f'[data-testid="cell-{code}"]')
        assert cell.evaluate("e => e.tagName") == "DIV"  # no input: read-only
        out[code] = cell.inner_text().strip()
    assert page.locator('input[name="v-MGMT_USERS-T"], input[name="v-POST_REHAB_MGMT-T"]').count() == 0
    assert page.locator('input[name="v-ADDICT_DETERMINATIONS-T"]').count() == 1  # typed cells stay typed
    return out


def test_a_person_from_management_to_post_rehab_moves_the_commune_figures(
    page, browser, live_server, e2e_data, clean_log
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User
    from cases.models import RegistryReporting
    from cases.tests.conftest import cccd_for
    from reporting.services import entry
    from reporting.services import schedules as S
    from reporting.tests.test_browser_entry import _login, _schedule

    # The province takes its commune reports' figures from the registry; the commune officer of
    # Phường Buôn Ma Thuột has this quarter's report open in another browser.
    period = _schedule()
    RegistryReporting.objects.create(province_id="66", since=datetime.date(2026, 1, 1))
    commune = User.objects.get(username="xa")
    report = entry.open_submission(
        acting_user=commune,
        schedule=S.schedules_for_units(set(), {"24133"})["commune:24133"][0],
        period_id=period.id,
        unit=S.Unit("commune", "24133", ""),
    )
    report_url = f"{live_server.url}/bao-cao/so-lieu/{report.pk}/"
    commune_page = browser.new_page(viewport={"width": 1366, "height": 768})
    _login(commune_page, live_server, "xa")
    assert _report_form(commune_page, report_url) == {
        "MGMT_USERS-T": "0",
        "MGMT_USERS-M": "0",
        "POST_REHAB_MGMT-T": "0",
        "MGMT_ADDICTS-T": "0",
    }

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
    _shot(page, "home")

    post_rehab = "Đang quản lý sau cai nghiện"
    assert _figure(page, live_server, post_rehab) == "0"

    page.goto(f"{live_server.url}/ho-so/")
    page.click('[data-testid="cases-nav"] >> text=Thêm người')
    birth = datetime.date(1992, 8, 14)
    page.fill("#id_full_name", "Trịnh Văn Duyệt")
    page.fill("#id_birth_date", birth.strftime("%d/%m/%Y"))
    page.select_option("#id_sex", "M")
    page.fill("#id_cccd", cccd_for(birth, "M"))
    page.select_option("#id_commune", "24133")
    page.fill("#id_address", "45 Nguyễn Tất Thành")
    page.click('[data-testid="person-submit"]')
    page.wait_for_selector('[data-testid="person-name"]')

    today = datetime.date.today()
    start = today - datetime.timedelta(days=120)
    _decide(page, "quan_ly_su_dung", start)
    assert "Sử dụng trái phép" in page.locator('[data-testid="person-status"]').inner_text()
    # The report form counts the person at once: one user under management, a man; no name.
    shown = _report_form(commune_page, report_url)
    assert (shown["MGMT_USERS-T"], shown["MGMT_USERS-M"], shown["POST_REHAB_MGMT-T"]) == ("1", "1", "0")
    note = commune_page.locator('[data-testid="auto-cell-MGMT_USERS-T"]').inner_text()
    closing = period.bounds("administrative")[1]
    assert note == f"Tự động từ sổ quản lý hồ sơ (tính đến ngày {closing:%d/%m/%Y})"
    assert "Trịnh Văn Duyệt" not in commune_page.content()
    _shot(commune_page, "report-user")
    # An impossible step is refused with the law's wording and nothing is recorded.
    page.select_option("#id_decision_type", "quan_ly_sau_cai")
    page.fill("#id_decided_on", (start + datetime.timedelta(days=1)).strftime("%d/%m/%Y"))
    page.click('[data-testid="decision-form"] button[type=submit]')
    page.wait_for_selector("text=Không thể ghi")
    _decide(page, "dua_di_xac_dinh_nghien", start + datetime.timedelta(days=20))
    _decide(page, "ket_luan_nghien", start + datetime.timedelta(days=27))
    _decide(page, "cai_tu_nguyen_cong_dong", start + datetime.timedelta(days=30))
    assert _figure(page, live_server, post_rehab) == "0"
    # In home rehab: an addict residing in the commune, no longer a user.
    shown = _report_form(commune_page, report_url)
    assert (shown["MGMT_USERS-T"], shown["MGMT_ADDICTS-T"], shown["POST_REHAB_MGMT-T"]) == ("0", "1", "0")
    page.goto(f"{live_server.url}/ho-so/")
    page.click("text=Trịnh Văn Duyệt")
    _decide(page, "quan_ly_sau_cai", today - datetime.timedelta(days=5))
    assert "Sau cai nghiện" in page.locator('[data-testid="person-status"]').inner_text()
    assert page.locator('[data-testid="timeline"] li').count() == 5
    _shot(page, "person")

    assert _figure(page, live_server, post_rehab) == "1"
    _shot(page, "figures")
    # The commune's report form: post-rehab 1, no longer a user under management.
    shown = _report_form(commune_page, report_url)
    assert (shown["MGMT_USERS-T"], shown["POST_REHAB_MGMT-T"]) == ("0", "1")
    assert "Trịnh Văn Duyệt" not in commune_page.content()
    _shot(commune_page, "report-post-rehab")
    commune_page.close()
    page.goto(f"{live_server.url}/ho-so/?q=trinh duyet")
    assert page.locator('[data-testid="person-table"] tbody tr').count() == 1
    _shot(page, "list")
