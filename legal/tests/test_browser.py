"""The administrator edits a rule set and a holiday in Chromium (screenshots at 1366 and 390 px)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser]

SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/shots-legal"))


def _login(page, live_server, username="quantri", password="Pcmt@2026demo"):
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_selector('[data-testid="user-menu"]')


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_the_administrator_edits_a_rule_set_and_a_holiday(page, live_server, e2e_data):
    from legal.models import Holiday, RuleSet

    page.set_viewport_size({"width": 1366, "height": 768})
    _login(page, live_server)
    page.goto(f"{live_server.url}/phap-ly/quy-tac/")
    page.wait_for_selector("text=LPCMT-2025")
    _shot(page, "rulesets-1366")
    page.click("text=LPCMT-2025")
    page.wait_for_selector("text=Luật Phòng, chống ma túy 2025")
    _shot(page, "ruleset-detail-1366")
    page.click("a:has-text('Sửa')")
    row = page.locator("tr", has_text="Quyết định quản lý sau cai nghiện tại nơi cư trú")
    row.locator("input[name$='-months']").fill("18")
    page.fill("#id_notes", "Đã đối chiếu nghị định hướng dẫn")
    _shot(page, "ruleset-edit-1366")
    page.click("button:has-text('Lưu')")
    page.wait_for_selector("text=Đã lưu bộ quy tắc LPCMT-2025")
    assert RuleSet.objects.get(code="LPCMT-2025").body["decisions"]["quan_ly_sau_cai"]["months"] == 18

    page.goto(f"{live_server.url}/phap-ly/ngay-nghi/?nam=2026")
    page.fill("#id_day", "10/03/2026")
    page.fill("#id_name", "Nghỉ bù")
    page.click("button:has-text('Thêm')")
    page.wait_for_selector("text=Đã thêm ngày nghỉ 10/03/2026")
    assert Holiday.objects.filter(name="Nghỉ bù").exists()
    _shot(page, "holidays-1366")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/phap-ly/ngay-nghi/?nam=2026")
    _shot(page, "holidays-390")
    page.goto(f"{live_server.url}/phap-ly/quy-tac/{RuleSet.objects.get(code='LPCMT-2025').pk}/")
    _shot(page, "ruleset-detail-390")
