"""The schedule preview in Chromium: a plan stating the same half-year report twice and yearly
reports to the People's Council and the Government; the preview lists no duplicate schedule and
no period already locked, and creating from it makes the schedules and the Standing Office task."""

import datetime as dt
import os

import pytest

from plans.tests.test_browser_plan_journey import _login

pytestmark = [pytest.mark.browser]


def test_the_preview_shows_no_duplicate_and_no_locked_period(page, live_server, e2e_data):
    from agencies.models import Agency
    from plans.models import Plan, ReportingDuty, Task
    from reporting import periods as P
    from reporting.models import Schedule
    from reporting.services.schedules import close_date, today

    now = today()
    plan = Plan.objects.create(
        province_id="66",
        number="77/KH-UBND",
        title="Kế hoạch phòng, chống ma túy",
        issued_on=dt.date(now.year, 1, 10),
        period_start=now.year,
        period_end=now.year + 1,
        source_file="plans/p.txt",
        source_name="p.txt",
        source_sha256="0" * 64,
    )
    ca = Agency.objects.get(province_id="66", code="CA")
    Task.objects.create(
        plan=plan, province_id="66", text="Nhiệm vụ", lead_agency=Agency.objects.get(province_id="66", code="SYT")
    )
    for frequency, due, to in [
        ("quarterly", "15 of last month of quarter", ca),
        ("semiannual", "--06-15", ca),
        ("semiannual", "--06-15", ca),
        ("annual", "", Agency.objects.get(province_id="66", code="HDNDT")),
        ("annual", "", Agency.objects.get(province_id="66", code="CP")),
    ]:
        ReportingDuty.objects.create(plan=plan, frequency=frequency, due=due, to_agency=to)

    _login(page, live_server, "thuongtruc")
    page.goto(f"{live_server.url}/bao-cao/lich/tu-ke-hoach/{plan.pk}/xem-truoc/")
    names = page.locator('[data-testid="proposal-schedule"]').all_inner_texts()
    assert len(names) == len(set(names)) == 4  # two duties × (communes, agencies); the repeated one is not
    assert page.locator('[data-testid="proposal-task"]').count() == 1
    shots = os.environ.get("PCMT_SCREENSHOTS")
    if shots:
        for width, height in ((1366, 768), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(path=f"{shots}/plan-preview-{width}.png", full_page=True)
    page.click('[data-testid="preview-submit"]')
    page.wait_for_url("**/tu-ke-hoach/")
    schedules = list(Schedule.objects.filter(source_duty__plan=plan))
    assert len(schedules) == 4
    for s in schedules:  # the first period is still open for entry: never a locked one
        assert close_date(s, P.parse(s.first_period)) >= now
    assert Task.objects.filter(plan=plan, lead_agency=ca, text__contains="HĐND tỉnh, Chính phủ").count() == 1
