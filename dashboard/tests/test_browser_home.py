"""Each role signs in and finds its answer on the home page (Chromium, 1366×768 and 390 px).

Screenshots go to /tmp/shots-home14/ (or PCMT_SHOTS) so that a person can look at them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dashboard.tests.builders import province_story
from reporting.tests.test_browser_gate import _login

pytestmark = [pytest.mark.browser]
SHOTS = Path(os.environ.get("PCMT_SHOTS", "/tmp/shots-home14"))


def _one_a4_page(page, name):
    """The page printed on A4 (print stylesheet) fits one sheet and carries its date and coverage."""
    import pdfplumber

    path = SHOTS / f"{name}-a4.pdf"
    page.pdf(path=str(path), format="A4", print_background=True)
    with pdfplumber.open(path) as pdf:
        text = pdf.pages[0].extract_text()
        assert len(pdf.pages) == 1, (name, len(pdf.pages))
    assert "Bản tin PCMT ngày" in text and "Phạm vi:" in text, text


def _shots(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    if name in ("leader", "office", "agency", "national"):
        _one_a4_page(page, name)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.wait_for_timeout(150)
    page.screenshot(path=str(SHOTS / f"{name}-1366.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(150)
    page.screenshot(path=str(SHOTS / f"{name}-390.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})


def _story():
    from reporting.services.schedules import today

    return province_story(today())


def test_the_leader_sees_who_is_behind_and_the_quarter_without_scrolling(page, live_server, e2e_data):
    _story()
    page.set_viewport_size({"width": 1366, "height": 768})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _login(page, live_server, "lanhdao")
    answer = page.locator('[data-testid="leader-answer"]')
    assert "Sở Công Thương" in answer.inner_text() and "3 nhiệm vụ quá hạn" in answer.inner_text()
    assert "Quý III/2026" in answer.inner_text()
    worst = page.locator('[data-testid="worst-agency"]')
    assert "Sở Công Thương" in worst.inner_text()
    for testid in ("worst-agency", "brief-rate", "brief-indicators", "brief-areas"):
        box = page.locator(f'[data-testid="{testid}"]').first.bounding_box()
        assert box and box["y"] + min(box["height"], 60) <= 768, testid  # in the first screen
    assert not errors, errors
    page.wait_for_selector('[data-home-chart^="completeness-"] :is(svg, canvas)')
    _shots(page, "leader")


def test_the_standing_office_approves_from_its_queue_in_one_click(page, live_server, e2e_data):
    from reporting.models import Submission

    story = _story()
    _login(page, live_server, "thuongtruc")
    assert page.locator('[data-testid="queue-count-approve"]').inner_text() == "2"
    _shots(page, "office")
    buttons = page.locator('[data-testid^="approve-"]')
    shown = [buttons.nth(i).get_attribute("data-testid") for i in range(buttons.count())]
    assert f"approve-{story['on_time'].pk}" in shown, (shown, story["on_time"].pk, page.url)
    page.click(f'[data-testid="approve-{story["on_time"].pk}"]')
    page.wait_for_selector("text=Đã duyệt báo cáo")
    assert page.locator('[data-testid="queue-count-approve"]').inner_text() == "1"
    story["on_time"].refresh_from_db()
    assert story["on_time"].status == Submission.Status.APPROVED


def test_an_agency_sees_what_is_due_from_it(page, live_server, e2e_data):
    _story()
    _login(page, live_server, "syt")
    table = page.locator('[data-testid="due-table"]').inner_text()
    assert "Quá hạn" in table and "Sắp đến hạn" in table and "Sở Công Thương" not in table
    _shots(page, "agency")


def test_the_national_monitor_compares_two_provinces_and_opens_the_map(page, live_server, e2e_data):
    _story()
    _login(page, live_server, "c04")
    page.select_option("#cmp-a", "66")
    page.select_option("#cmp-b", "33")
    with page.expect_navigation():
        page.click('[data-testid="compare-form"] button[type=submit]')
    heads = page.locator('[data-testid="compare-head"]').all_inner_texts()
    assert heads == ["Tỉnh Đắk Lắk", "Tỉnh Hưng Yên"]
    assert "Sở Công Thương" not in page.content()
    page.wait_for_selector('[data-home-chart="nation-completeness"] :is(svg, canvas)')
    _shots(page, "national")
    page.click('[data-testid="nation-map-link"]')
    page.wait_for_selector('[data-testid="map-svg"]')
    assert page.locator('[data-testid="map-svg"] circle').count() == 34
    _shots(page, "nation-map")
    page.goto(f"{live_server.url}/ban-do/66/")
    assert page.locator('[data-testid="map-svg"] circle').count() >= 102
    assert page.locator('[data-testid="map-legend"] li').count() == 6
    _shots(page, "province-map")
