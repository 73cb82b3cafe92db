"""Browser test in Chromium (issue 16, "review that guides"): the Standing Office opens the
submission-status grid on a late quarter, filters it by state, reminds every late unit in one
confirmed act (once a day), approves the clean reports in one confirmed batch while the one with
a warning waits, and the grid reads at 1366 px and at 390 px."""

import datetime as dt
import os
from pathlib import Path

import pytest

from reporting.tests.test_browser_entry import _cell, _login

pytestmark = [pytest.mark.browser]

SHOTS = Path(os.environ.get("PCMT_SHOTS", "/tmp/shots-entry16"))
C1, C2, C3 = "24133", "24169", "24175"


def _world():
    """Quarter 2026Q3 of three communes: C1 submitted clean, C2 with a rule warning, C3 nothing."""
    import time_machine

    from reporting.tests.builders_entry import at, commune_schedule, commune_unit, open_sub, save, valid_input

    schedule = commune_schedule(first="2026Q2", all_communes=False, communes=[C1, C2, C3])
    day = dt.date(2026, 9, 15)
    with time_machine.travel(at(day), tick=False):
        for code, extra in ((C1, {}), (C2, {"COMM_PARTICIPANTS_T": "1", "COMM_SESSIONS_T": "4"})):
            sub = open_sub(schedule, "2026Q3", commune_unit(code), on=day)
            assert save(sub, valid_input(schedule, **extra), submit=True, on=day).submitted
    return schedule


def test_the_office_filters_reminds_late_units_once_and_approves_clean_reports(page, live_server, e2e_data):
    from reporting.models import ReportReminder, Submission

    SHOTS.mkdir(parents=True, exist_ok=True)
    schedule = _world()
    page.set_viewport_size({"width": 1366, "height": 768})
    _login(page, live_server, "thuongtruc")
    url = f"{live_server.url}/bao-cao/tinh-hinh-nop/?schedule={schedule.pk}&period=2026Q3"
    page.goto(url)
    assert _cell(page, f"state-commune:{C3}").inner_text() == "Chưa nộp (quá hạn)"
    assert _cell(page, f"approve-commune:{C1}").is_visible()
    assert "1 cảnh báo" in _cell(page, f"look-commune:{C2}").inner_text()
    page.screenshot(path=str(SHOTS / "status-grid-1366.png"), full_page=True)

    # Filter by state: only the late unit.
    page.select_option('[data-testid="state-filter"]', "missing")
    _cell(page, "status-apply").click()
    page.wait_for_url("**state=missing**")
    assert page.locator("tr[data-state]").count() == 1

    # Remind every late unit: asked first, then done once; the same day it is not offered again.
    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.accept()))
    _cell(page, "remind-late").click()
    page.wait_for_selector("text=Đã nhắc 1 đơn vị")
    assert asked and asked[0].startswith("Nhắc 1 đơn vị")
    assert _cell(page, f"reminded-commune:{C3}").inner_text() == "Đã nhắc hôm nay"
    assert "state=missing" in page.url  # back to the same view
    page.once("dialog", lambda d: d.accept())
    _cell(page, "remind-late").click()
    page.wait_for_selector("text=không nhắc lại trong ngày")
    assert ReportReminder.objects.filter(schedule=schedule, commune_id=C3).count() == 1

    # Approve the clean ones in one batch; a "no" to the question changes nothing.
    page.goto(url + "&sort=state")
    page.once("dialog", lambda d: d.dismiss())
    _cell(page, "approve-clean").click()
    assert Submission.objects.filter(schedule=schedule, status="approved").count() == 0
    page.once("dialog", lambda d: d.accept())
    _cell(page, "approve-clean").click()
    page.wait_for_selector("text=Đã duyệt 1 báo cáo")
    statuses = dict(Submission.objects.filter(schedule=schedule).values_list("commune_id", "status"))
    assert statuses == {C1: "approved", C2: "submitted"}
    assert (
        _cell(page, f"state-commune:{C1}").inner_text() == "Đã duyệt (nộp muộn)"
        or "Đã duyệt" in _cell(page, f"state-commune:{C1}").inner_text()
    )
    page.screenshot(path=str(SHOTS / "status-grid-after-1366.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    page.screenshot(path=str(SHOTS / "status-grid-390.png"), full_page=True)
