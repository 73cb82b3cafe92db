"""A large plan's review page in Chromium: blocks collapsed and paged; opening one loads its tasks;
a deadline set for the whole plan at once reaches every task without one."""

import copy
import os

import pytest

from plans.tests.test_browser_plan_journey import _login

pytestmark = [pytest.mark.browser]


def test_open_a_block_and_set_a_deadline_for_the_whole_plan(page, live_server, e2e_data):
    from accounts.models import User
    from geo.models import Province
    from plans.models import PlanImport
    from plans.services import drafts, imports

    office = User.objects.get(username="thuongtruc")
    extraction = {
        "schema": "plan-extract/1",
        "meta": {
            "number": "5/KH-UBND",
            "date": "2026-01-15",
            "place": "Đắk Lắk",
            "title": "Kế hoạch lớn",
            "period": None,
        },
        "basis": [],
        "targets": [],
        "reporting": [],
        "assignments": [
            {
                "agencies": ["Sở Y tế" if b % 2 else "Sở Lao động - Thương binh và Xã hội"],
                "requested": False,
                "section": f"II.{b + 1}",
                "tasks": [
                    {
                        "text": f"Tuyên truyền phòng, chống ma túy đợt {b}.{t}",
                        "role": "perform",
                        "projects": [],
                        "deadline": None,
                        "condition": None,
                    }
                    for t in range(6)
                ],
            }
            for b in range(60)
        ],
    }
    draft = imports.create_draft(
        acting_user=office, province=Province.objects.get(code="66"), name="lon.txt", content="KẾ HOẠCH\nLớn\n".encode()
    )
    PlanImport.objects.filter(pk=draft.pk).update(
        data=drafts.prepare_draft(copy.deepcopy(extraction), drafts.Catalogue.for_province("66"))
    )
    _login(page, live_server, "thuongtruc")
    page.goto(f"{live_server.url}/ke-hoach/nhap/{draft.pk}/")
    assert page.locator('[data-testid="blocks-lazy-note"]').is_visible()
    assert page.locator('[data-testid^="task-text-"]').count() == 0
    assert "Sở Nội vụ" in page.locator('[data-testid="legacy-item"]').inner_text()
    page.click('[data-testid="block-lazy-3"] summary')
    page.wait_for_selector('[data-testid="task-text-3-0"]')
    shots = os.environ.get("PCMT_SCREENSHOTS")
    if shots:
        for width, height in ((1366, 768), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(path=f"{shots}/review-large-{width}.png", full_page=False)
        page.set_viewport_size({"width": 1366, "height": 768})
    page.click('[data-testid="bulk-card"] summary')
    page.fill('[data-testid="bulk-deadline"]', "31/12/2026")
    page.click('[data-testid="bulk-submit"]')
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=bulk-deadline]') || document.querySelector('[data-testid=bulk-deadline]').value === ''"
    )
    draft.refresh_from_db()
    deadlines = {t["deadline"] for b in draft.data["assignments"] for t in b["tasks"]}
    assert deadlines == {"2026-12-31"}
