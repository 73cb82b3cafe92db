"""The quarter-end rush in Chromium: a double click on "Nhập báo cáo" opens one report, a double
click on "Nộp báo cáo" sends one request (the buttons are disabled while it runs) and says
"Đã nộp"; the import page states the notation of each format."""

import time

import pytest

from reporting.tests.test_browser_entry import PASSWORD, _cell, _fill_form, _schedule

pytestmark = [pytest.mark.browser]


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1")


def _slow_posts(page, fragment: str) -> list[str]:
    """Every POST whose URL holds `fragment` is held 0.6 s (a busy server at quarter end)."""
    posts: list[str] = []

    def hold(route):
        if route.request.method == "POST":
            posts.append(route.request.url)
            time.sleep(0.6)
        route.continue_()

    page.route(f"**{fragment}**", hold)
    return posts


def test_double_clicks_open_one_report_and_submit_once(page, live_server, e2e_data, tmp_path):
    from reporting.models import Submission

    period = _schedule()
    page.set_viewport_size({"width": 1366, "height": 768})
    _login(page, live_server, "xa")
    page.click("nav >> text=Báo cáo cần nộp")
    opened = _slow_posts(page, "/can-nop/mo/")
    page.locator(f'[data-testid="open-{period.id}"]').dblclick()
    _cell(page, "cell-MGMT_ADDICTS-T").wait_for()
    assert len(opened) == 1 and Submission.objects.filter(period=period.id).count() == 1
    _fill_form(page)
    page.screenshot(path=str(tmp_path / "entry-1366.png"), full_page=False)
    sent = _slow_posts(page, "/so-lieu/")
    _cell(page, "submit-button").dblclick()
    page.wait_for_selector("text=Đã nộp báo cáo")
    assert len(sent) == 1
    assert _cell(page, "submission-status").inner_text() == "Đã nộp"
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(tmp_path / "entry-390.png"), full_page=False)


def test_a_button_is_disabled_while_its_request_runs(page, live_server, e2e_data):
    period = _schedule()
    _login(page, live_server, "xa")
    page.click("nav >> text=Báo cáo cần nộp")
    page.click(f'[data-testid="open-{period.id}"]')
    _cell(page, "cell-MGMT_ADDICTS-T").wait_for()
    page.wait_for_load_state("load")  # PCMT's scripts (end of body) have run: their handler comes first
    # Look right after PCMT's own handler and keep the page from leaving: the buttons must be
    # disabled, and the clicked one's name and value kept for the request.
    page.evaluate(
        """() => document.addEventListener("submit", (e) => {
            window.__seen = {
                disabled: [...document.querySelectorAll('#entry-form button[type=submit]')].map(b => b.disabled),
                action: new FormData(e.target).get("action"),
            };
            e.preventDefault();
        })"""
    )
    _cell(page, "submit-button").click()
    page.wait_for_function("() => window.__seen !== undefined")
    seen = page.evaluate("() => window.__seen")
    assert seen["disabled"] == [True, True] and seen["action"] == "submit", seen


def test_the_import_page_says_which_notation_each_format_uses(page, live_server, e2e_data, tmp_path):
    _login(page, live_server, "thuongtruc")
    from django.urls import reverse

    page.goto(live_server.url + reverse("consolidation:exchange_import"))
    text = page.locator("main").inner_text()
    assert "1234.5" in text and "1.234,5" in text and "Excel" in text
    assert page.locator('select[name="status"] option[value="approved"]').count() == 0
    for width, height in ((1366, 768), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(tmp_path / f"import-{width}.png"), full_page=True)
    # A CSV saved by Excel in Vietnamese with a value written with a dot: refused with its row.
    period = _schedule()
    excel = "dataElement;period;orgUnit;categoryOptionCombo;value\n"
    excel += f"PLANTS_AREA_DETECTED;{period.id};24133;default;12.5\nMGMT_ADDICTS;{period.id};24133;default;1.234\n"
    page.set_input_files(
        'input[name="file"]', {"name": "bao-cao.csv", "mimeType": "text/csv", "buffer": excel.encode("utf-16")}
    )
    page.select_option('select[name="status"]', "draft")
    page.click("main form button[type=submit]")
    # The import runs as a background job: its page says why it refused the file.
    page.wait_for_selector("text=không rõ nghĩa")
    errors = page.locator("main").inner_text()
    assert "Dòng 2: «12.5» không rõ nghĩa" in errors and "Dòng 3" not in errors
    page.set_viewport_size({"width": 1366, "height": 768})
    page.screenshot(path=str(tmp_path / "import-refused-1366.png"), full_page=True)
