"""Browser test in Chromium (issue 16, "entry that keeps work"): on a 390 px phone a commune types
the whole quarterly form with one bad cell far to the right, saves the draft, reloads, finds every
other value kept and the bad one as typed, and jumps to it from the list of remaining problems;
the draft also saves itself while typing ("Đã lưu lúc …") and a failed autosave loses nothing."""

import os
from pathlib import Path

import pytest

from reporting.tests.test_browser_entry import _cell, _fill_form, _login, _schedule

pytestmark = [pytest.mark.browser]

SHOTS = Path(os.environ.get("PCMT_SHOTS", "/tmp/shots-entry16"))
BAD = "cell-MGMT_ADDICTS-A18"  # the right-most column: off-screen at 390 px


def _in_view(page, testid):
    """True when the element's box lies inside the window (nothing to scroll to see it)."""
    return page.evaluate(
        """id => { const r = document.querySelector(`[data-testid="${id}"]`).getBoundingClientRect();
                   return r.left >= 0 && r.right <= window.innerWidth && r.top >= 0 && r.bottom <= window.innerHeight; }""",
        testid,
    )


def _wait_status(page, start):
    page.wait_for_function(
        "s => document.querySelector('[data-testid=autosave-status]').textContent.startsWith(s)", arg=start
    )


def _page_width(page):
    return page.evaluate("document.scrollingElement.scrollWidth")


def test_a_draft_with_one_bad_cell_keeps_everything_and_leads_to_the_cell_at_390px(page, live_server, e2e_data):
    from reporting.models import DataValue, Submission

    SHOTS.mkdir(parents=True, exist_ok=True)
    period = _schedule()
    page.set_viewport_size({"width": 390, "height": 844})
    _login(page, live_server, "xa")
    page.goto(f"{live_server.url}/bao-cao/can-nop/")
    page.click(f'[data-testid="open-{period.id}"]')
    _cell(page, BAD).wait_for()

    _fill_form(page)
    _cell(page, BAD).fill("ba mươi")
    _cell(page, "save-button").click()
    page.wait_for_selector("text=Đã lưu nháp")

    # Reload: every good value is there, the bad one as typed and marked, and it blocks nothing else.
    page.reload()
    _cell(page, BAD).wait_for()
    assert _cell(page, "cell-MGMT_USERS-T").input_value() == "4"
    assert _cell(page, "cell-MGMT_ADDICTS-T").input_value() == "4"
    assert _cell(page, "cell-MGMT_ADDICTS-U18").input_value() == "1"
    assert _cell(page, "cell-SCREENING_DATE-T").input_value() == "01/11/2026"
    assert _cell(page, BAD).input_value() == "ba mươi"
    assert "không phải là số" in _cell(page, f"error-{BAD}").inner_text()
    sub = Submission.objects.get(period=period.id)
    assert sub.status == "draft" and sub.pending_raw == {"v-MGMT_ADDICTS-A18": "ba mươi"}
    assert DataValue.objects.get(submission=sub, element__code="MGMT_USERS", category="").value == 4

    # The banner says how many problems remain and leads to the list; the link jumps to the cell.
    page.evaluate("window.scrollTo(0, 0)")
    banner = _cell(page, "problems-banner")
    assert "Còn 1 vấn đề" in banner.inner_text()
    if not _cell(page, "problems-list").is_visible():
        banner.click()
    page.screenshot(path=str(SHOTS / "entry-problems-390.png"))
    assert not _in_view(page, BAD)  # off-screen to the right before the jump
    _cell(page, f"jump-{BAD}").click()
    assert page.evaluate("document.activeElement.dataset.testid") == BAD
    assert _in_view(page, BAD)
    assert _page_width(page) <= 390  # the grid scrolls in its own box, never the page
    page.screenshot(path=str(SHOTS / "entry-jumped-390.png"))

    # Submitting is what the bad cell blocks.
    _cell(page, "submit-button").click()
    page.wait_for_selector("text=chưa nộp được")
    assert Submission.objects.get(pk=sub.pk).status == "draft"

    # Corrected, the draft saves itself while typing, and says when.
    _cell(page, BAD).fill("3")
    status = _cell(page, "autosave-status")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=autosave-status]').textContent.startsWith('Đã lưu lúc')"
    )
    assert "Đã lưu lúc" in status.inner_text()
    assert _cell(page, "problems").count() == 0 or "Còn" not in _cell(page, "problems-banner").inner_text()
    sub.refresh_from_db()
    assert sub.pending_raw == {}
    assert DataValue.objects.get(submission=sub, element__code="MGMT_ADDICTS", category="A18").value == 3

    # A failed autosave (no network) leaves the typing in place and says so; the tab is then lost:
    # opening the report again brings the typing back from this browser and saves it.
    page.route("**/luu-tu-dong/", lambda route: route.abort())
    _cell(page, "cell-MGMT_USERS-T").fill("7")
    _wait_status(page, "Chưa lưu được")
    assert _cell(page, "cell-MGMT_USERS-T").input_value() == "7"
    assert DataValue.objects.get(submission=sub, element__code="MGMT_USERS", category="").value == 4
    again = page.context.new_page()
    again.goto(page.url)
    page.close()
    page = again
    assert _cell(page, "cell-MGMT_USERS-T").input_value() == "7"
    _wait_status(page, "Đã lưu lúc")
    assert DataValue.objects.get(submission=sub, element__code="MGMT_USERS", category="").value == 7
    page.reload()
    assert _cell(page, "cell-MGMT_USERS-T").input_value() == "7"
    assert not page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('pcmt:entry:')).length")

    # Finally it submits, and the wide layout reads as well.
    _cell(page, "submit-button").click()
    page.wait_for_selector("text=Đã nộp báo cáo")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.screenshot(path=str(SHOTS / "entry-submitted-1366.png"))


def test_the_problem_list_at_1366(page, live_server, e2e_data):
    SHOTS.mkdir(parents=True, exist_ok=True)
    period = _schedule()
    page.set_viewport_size({"width": 1366, "height": 768})
    _login(page, live_server, "xa")
    page.click("nav >> text=Báo cáo cần nộp")
    page.click(f'[data-testid="open-{period.id}"]')
    _fill_form(page)
    _cell(page, BAD).fill("x")
    _cell(page, "cell-MGMT_ADDICTS-U18").fill("9")  # a part over its total: a rule
    _cell(page, "submit-button").click()
    page.wait_for_selector("text=chưa nộp được")
    assert "Còn " in _cell(page, "problems-banner").inner_text()
    assert _cell(page, f"jump-{BAD}").first.is_visible()
    page.screenshot(path=str(SHOTS / "entry-problems-1366.png"))
    _cell(page, "jump-cell-MGMT_ADDICTS-U18").click()
    assert page.evaluate("document.activeElement.dataset.testid") == "cell-MGMT_ADDICTS-U18"
    assert _page_width(page) <= 1366
    # Signing out leaves no copy of unsaved typing in the browser.
    page.route("**/luu-tu-dong/", lambda route: route.abort())  # the typing stays unsaved
    page.fill(f'[data-testid="{BAD}"]', "y")
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('pcmt:entry:')).length") == 1
    page.once("dialog", lambda d: d.accept())  # "leave with unsaved changes?"
    page.evaluate("document.querySelector('form[data-sign-out]').requestSubmit()")
    page.wait_for_url("**/dang-nhap/**")
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('pcmt:entry:')).length") == 0
