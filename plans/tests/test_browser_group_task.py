"""A task for every commune in Chromium: the office imports a plan whose task goes to "UBND các
xã, phường", three communes report, the office sees 3/102 and the communes behind, and grants one
commune's extension (that commune's deadline moves; the task's and the others' stay)."""

import datetime
import os

import pytest

from plans.tests.test_browser_plan_journey import _login, _logout

pytestmark = [pytest.mark.browser]

PLAN = """ỦY BAN NHÂN DÂN                    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH ĐẮK LẮK                          Độc lập - Tự do - Hạnh phúc
Số: 311/KH-UBND                      Đắk Lắk, ngày 02 tháng 12 năm 2026

KẾ HOẠCH
Rà soát người sử dụng trái phép chất ma túy
trên địa bàn tỉnh năm 2026

Căn cứ Kế hoạch số 96/KH-UBND ngày 22/10/2025 của Ủy ban nhân dân tỉnh, Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:

I. NHIỆM VỤ
1. Ủy ban nhân dân các xã, phường
- Rà soát, lập danh sách người sử dụng trái phép chất ma túy trên địa bàn, hoàn thành trong tháng 12/{year}.
2. Công an tỉnh
- Chủ trì hướng dẫn nghiệp vụ rà soát cho Công an cấp xã.

Nơi nhận:
- Lưu: VT.
"""


def _report(page, live_server, username, task_pk, text, percent):
    _login(page, live_server, username)
    page.goto(f"{live_server.url}/ke-hoach/nhiem-vu/{task_pk}/")
    page.fill('[data-testid="progress-text"]', text)
    page.fill('[data-testid="progress-percent"]', str(percent))
    page.click('[data-testid="progress-submit"]')
    page.wait_for_selector('[data-testid="history-item"]')


def test_three_communes_report_and_one_extension_is_granted(page, live_server, e2e_data, tmp_path):
    from django.utils import timezone

    from access.roles import Role
    from accounts.models import RoleAssignment, User
    from geo.models import Commune
    from plans.models import DeadlineExtension, Task, TaskUnit
    from plans.services.tracking import today

    year = today().year
    source = tmp_path / "ke-hoach-ra-soat.txt"
    source.write_text(PLAN.replace("{year}", str(year)), encoding="utf-8")
    mine = RoleAssignment.objects.get(user__username="xa").commune_id
    others = list(Commune.objects.filter(province_id="66").exclude(code=mine).order_by("code")[:2])
    for i, commune in enumerate(others):
        user = User.objects.create_user(username=f"xa_{i}", password="Pcmt@2026demo", full_name=f"Cán bộ {commune}")
        RoleAssignment.objects.create(
            user=user, role=Role.COMMUNE_OFFICER, province_id="66", commune=commune, approved_at=timezone.now()
        )

    _login(page, live_server, "thuongtruc")
    page.goto(f"{live_server.url}/ke-hoach/nhap/")
    page.set_input_files('[data-testid="import-file"]', str(source))
    page.click('[data-testid="import-submit"]')
    page.click('[data-testid="import-confirm"]')
    page.wait_for_url("**/ke-hoach/*/")
    task = Task.objects.get(plan__number="311/KH-UBND", lead_agency__code="UBNDX")
    n = Commune.objects.filter(province_id="66").count()
    assert task.units.count() == n == 102
    _logout(page)

    # Three communes report; the first also asks for more time.
    _report(page, live_server, "xa", task.pk, "Phường đã rà soát 3 tổ dân phố", 30)
    assert page.locator('[data-testid="own-unit"]').inner_text().endswith("30%")
    page.click('[data-testid="extension-toggle"]')
    page.fill('[data-testid="extension-date"]', f"15/01/{year + 1}")
    page.fill('[data-testid="extension-reason"]', "Địa bàn rộng, cần thêm thời gian xác minh")
    page.click('[data-testid="extension-submit"]')
    page.wait_for_selector('[data-testid="extension-table"]')
    _logout(page)
    _report(page, live_server, "xa_0", task.pk, "Xã đã lập danh sách", 100)
    _logout(page)
    _report(page, live_server, "xa_1", task.pk, "Xã đang rà soát", 50)
    _logout(page)

    _login(page, live_server, "thuongtruc")
    page.goto(f"{live_server.url}/ke-hoach/nhiem-vu/{task.pk}/")
    assert "3/102" in page.locator('[data-testid="unit-reported"]').inner_text()
    behind = page.locator('[data-testid="unit-behind"]')
    assert behind.count() == 99  # the communes that have not reported
    assert "Chưa báo cáo" in behind.first.inner_text()
    shots = os.environ.get("PCMT_SCREENSHOTS")
    if shots:  # for looking at the page: PCMT_SCREENSHOTS=/some/dir
        for width, height in ((1366, 768), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(path=f"{shots}/group-task-{width}.png", full_page=width < 400)
        page.set_viewport_size({"width": 1366, "height": 768})
    assert "Đơn vị:" in page.locator('[data-testid="decision-unit"]').inner_text()
    page.check('[data-testid="decision"][value="grant"]')
    page.click('[data-testid="decision-submit"]')
    page.wait_for_selector(".alert-success, [role=status], [data-testid=extension-table]")

    ext = DeadlineExtension.objects.get(task=task)
    assert ext.status == DeadlineExtension.Status.GRANTED and ext.unit.commune_id == mine
    unit = TaskUnit.objects.get(task=task, commune_id=mine)
    assert unit.deadline == datetime.date(year + 1, 1, 15)
    task.refresh_from_db()
    assert task.deadline == datetime.date(year, 12, 31)
    assert TaskUnit.objects.filter(task=task, deadline__isnull=False).count() == 1
    assert task.status == "in_progress" and task.progress == round((30 + 100 + 50) / 102)
