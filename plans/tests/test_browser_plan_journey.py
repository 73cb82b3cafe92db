"""The plan journey in Chromium: the office uploads a real plan, corrects a task and confirms;
the Sở Y tế officer then finds the task in "Nhiệm vụ của tôi" and records progress."""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser]

SAMPLE = Path(__file__).resolve().parents[2].parent / "shared" / "samples" / "000_dcdec21097959a90.txt"
CORRECTED = "Chủ trì tham mưu triển khai Dự án 6 về đáp ứng y tế (nội dung đã hiệu đính trong kiểm thử)"


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", "Pcmt@2026demo")
    page.click("button[type=submit]")
    page.wait_for_selector("main h1")


def _logout(page):
    page.click('[data-testid="user-menu"]')
    page.click("text=Đăng xuất")
    page.wait_for_selector("#id_username")


@pytest.mark.skipif(not SAMPLE.exists(), reason="Thiếu kế hoạch mẫu trong ../shared/samples")
def test_upload_correct_confirm_then_the_agency_records_progress(page, live_server, e2e_data):
    from plans.models import Plan, Task, TaskUpdate

    _login(page, live_server, "thuongtruc")
    page.goto(f"{live_server.url}/ke-hoach/nhap/")
    page.set_input_files('[data-testid="import-file"]', str(SAMPLE))
    page.click('[data-testid="import-submit"]')
    page.wait_for_selector('[data-testid="import-confirm"]')

    # Correct the first task of the block addressed to Sở Y tế.
    from plans.models import PlanImport

    draft = PlanImport.objects.latest("uploaded_at")
    b = next(i for i, block in enumerate(draft.data["assignments"]) if block["agencies"] == ["Sở Y tế"])
    t = 0
    text_field = page.locator(f'[data-testid="task-text-{b}-{t}"]')
    text_field.fill(CORRECTED)
    before = page.input_value("#draft-version")
    page.click(f'[data-testid="task-save-{b}-{t}"]')
    # The save answers with the new draft version (out-of-band): confirm only once it is on the page,
    # as a person sees the summary refresh (waiting for "network idle" returns at once once reached).
    page.wait_for_function("v => document.querySelector('#draft-version').value !== v", arg=before)

    page.click('[data-testid="import-confirm"]')
    page.wait_for_url("**/ke-hoach/*/")
    plan = Plan.objects.get(number="096/KH-UBND")
    task = Task.objects.get(plan=plan, text=CORRECTED)
    assert task.lead_agency.code == "SYT" and task.status == "waiting_guidance"
    assert plan.tasks.count() > 30
    _logout(page)

    _login(page, live_server, "syt")
    page.goto(f"{live_server.url}/ke-hoach/nhiem-vu-cua-toi/")
    row = page.locator('[data-testid="task-row"]', has_text="đã hiệu đính trong kiểm thử")
    row.locator('[data-testid="task-link"]').click()
    # The plan made this task wait for the Ministry's guidance: record it, then report progress.
    page.wait_for_selector('[data-testid="guidance-form"]')
    page.fill('[data-testid="guidance-on"]', "20/11/2026")
    page.fill('[data-testid="guidance-document"]', "Công văn 123/BYT-KCB hướng dẫn Dự án 6")
    page.click('[data-testid="guidance-submit"]')
    page.wait_for_selector('[data-testid="progress-form"]')
    page.fill('[data-testid="progress-text"]', "Đã xây dựng dự thảo kế hoạch Dự án 6, trình lãnh đạo Sở.")
    page.fill('[data-testid="progress-percent"]', "40")
    page.click('[data-testid="progress-submit"]')
    page.wait_for_selector('[data-testid="history-item"]')

    update = TaskUpdate.objects.get(task=task, kind=TaskUpdate.Kind.PROGRESS)
    assert update.percent == 40 and update.author.username == "syt"
    task.refresh_from_db()
    assert task.progress == 40 and task.status == "in_progress"
