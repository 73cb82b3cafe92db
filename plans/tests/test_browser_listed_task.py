"""A task given to a list of units in Chromium: the office imports a plan whose point two
departments lead together, the review page shows it as one task for that list, the office adds
the provincial police to the list and confirms; one listed agency reports, the office sees 1/3
reported and the two agencies behind."""

import os

import pytest

from plans.tests.test_browser_plan_journey import _login, _logout

pytestmark = [pytest.mark.browser]

PLAN = """ỦY BAN NHÂN DÂN
TỈNH ĐẮK LẮK
Số: 412/KH-UBND
Đắk Lắk, ngày 01 tháng 12 năm 2026

KẾ HOẠCH
Phòng, chống ma túy trong trường học năm {year}

I. NHIỆM VỤ
1. Tổ chức khám sàng lọc, tư vấn cho học sinh, sinh viên (giao Sở Y tế, Sở Giáo dục và Đào tạo chủ trì, hoàn thành trong tháng 12/{year}).
2. Sở Tư pháp
- Phổ biến pháp luật về phòng, chống ma túy trong trường học.
"""


def _shots(page, name):
    shots = os.environ.get("PCMT_SCREENSHOTS")
    if shots:  # for looking at the page: PCMT_SCREENSHOTS=/some/dir
        for width, height in ((1366, 768), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(path=f"{shots}/{name}-{width}.png", full_page=True)
        page.set_viewport_size({"width": 1366, "height": 768})


def test_a_point_two_agencies_lead_becomes_one_task_for_a_list(page, live_server, e2e_data, tmp_path):
    from plans.models import PlanImport, Task
    from plans.services.tracking import today

    year = today().year
    source = tmp_path / "ke-hoach-truong-hoc.txt"
    source.write_text(PLAN.replace("{year}", str(year)), encoding="utf-8")
    _login(page, live_server, "thuongtruc")
    page.goto(f"{live_server.url}/ke-hoach/nhap/")
    page.set_input_files('[data-testid="import-file"]', str(source))
    page.click('[data-testid="import-submit"]')
    page.wait_for_selector('[data-testid="import-confirm"]')

    draft = PlanImport.objects.latest("uploaded_at")
    b = next(i for i, block in enumerate(draft.data["assignments"]) if len(block["agencies"]) == 2)
    units = page.locator(f'[data-testid="task-units-{b}-0"]')
    assert units.input_value() == "Sở Y tế; Sở Giáo dục và Đào tạo"
    assert "Giao chung 2 đơn vị" in page.locator(f'[data-testid="task-planned-{b}-0"]').inner_text()
    units.fill("Sở Y tế; Sở Giáo dục và Đào tạo; Công an tỉnh")
    before = page.input_value("#draft-version")
    page.click(f'[data-testid="task-save-{b}-0"]')
    page.wait_for_function("v => document.querySelector('#draft-version').value !== v", arg=before)
    assert "Giao chung 3 đơn vị" in page.locator(f'[data-testid="task-planned-{b}-0"]').inner_text()
    _shots(page, "review-listed")

    page.click('[data-testid="import-confirm"]')
    page.wait_for_url("**/ke-hoach/*/")
    task = Task.objects.get(plan__number="412/KH-UBND", units_listed=True)
    assert sorted(task.units.values_list("agency__code", flat=True)) == ["CA", "SGDDT", "SYT"]
    _logout(page)

    _login(page, live_server, "syt")
    page.goto(f"{live_server.url}/ke-hoach/nhiem-vu/{task.pk}/")
    page.fill('[data-testid="progress-text"]', "Đã khám sàng lọc tại 12 trường")
    page.fill('[data-testid="progress-percent"]', "60")
    page.click('[data-testid="progress-submit"]')
    page.wait_for_selector('[data-testid="history-item"]')
    assert page.locator('[data-testid="own-unit"]').inner_text().startswith("Sở Y tế")
    _logout(page)

    _login(page, live_server, "thuongtruc")
    page.goto(f"{live_server.url}/ke-hoach/nhiem-vu/{task.pk}/")
    assert "1/3" in page.locator('[data-testid="unit-reported"]').inner_text()
    assert "Công an tỉnh" in page.locator('[data-testid="task-listed"]').inner_text()
    behind = page.locator('[data-testid="unit-behind"]')
    assert behind.count() == 2
    _shots(page, "listed-task")
