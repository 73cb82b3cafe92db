"""Every page of the reporting and indicators areas reads at 390 px without sideways scrolling
(issue 16): each page is opened in Chromium as the role that uses it, and the document is no
wider than the window. Wide tables scroll inside their own box, never the page."""

import os
import re
from pathlib import Path

import pytest

from reporting.tests.test_browser_entry import _login, _schedule

pytestmark = [pytest.mark.browser]

WIDTH = 390
SHOTS = Path(os.environ.get("PCMT_SHOTS", "/tmp/shots-entry16"))


def _pages(period_id):
    """(username, path) for every page of the areas, with the objects they need."""
    from accounts.models import User
    from reporting.models import Form, Schedule, Submission
    from reporting.services import entry
    from reporting.tests.builders_entry import valid_input

    schedule = Schedule.objects.get()
    commune = User.objects.get(username="xa")
    sub = entry.open_submission(
        acting_user=commune,
        schedule=schedule,
        period_id=period_id,
        unit=entry.S.Unit("commune", "24133", ""),
    )
    entry.save_submission(
        acting_user=commune,
        submission=sub,
        version=sub.version,
        data=valid_input(schedule, MGMT_ADDICTS_A18="x"),
    )
    sub = Submission.objects.get(pk=sub.pk)
    form = Form.objects.get(code="XA_QUY").pk
    s, p = schedule.pk, period_id
    pages = [
        ("xa", "/bao-cao/can-nop/"),
        ("xa", f"/bao-cao/so-lieu/{sub.pk}/"),
        ("xa", f"/bao-cao/so-lieu/{sub.pk}/lich-su/"),
        ("thuongtruc", f"/bao-cao/so-lieu/{sub.pk}/"),
        ("thuongtruc", "/bao-cao/hop-thu/?status="),
        ("thuongtruc", f"/bao-cao/tinh-hinh-nop/?schedule={s}"),
        ("thuongtruc", f"/bao-cao/tinh-hinh-nop/?schedule={s}&period={p}&state=draft&sort=state"),
        ("thuongtruc", "/bao-cao/lich/"),
        ("thuongtruc", "/bao-cao/lich/them/"),
        ("thuongtruc", f"/bao-cao/lich/{s}/sua/"),
        ("thuongtruc", f"/bao-cao/lich/{s}/mo-khoa/"),
        ("thuongtruc", "/bao-cao/lich/tu-ke-hoach/"),
        ("thuongtruc", "/bao-cao/bieu-mau/"),
        ("thuongtruc", "/bao-cao/bieu-mau/XA_QUY/"),
        ("thuongtruc", "/tong-hop/"),
        ("thuongtruc", f"/tong-hop/tinh/66/?form={form}&period={p}"),
        ("thuongtruc", f"/tong-hop/tinh/66/noi-dung/?form={form}&period={p}"),
        ("thuongtruc", "/tong-hop/trao-doi/nhap/"),
        ("thuongtruc", "/tong-hop/trao-doi/xuat/"),
        ("thuongtruc", "/chi-tieu/"),
        ("thuongtruc", "/chi-tieu/tinh/66/"),
        ("thuongtruc", "/chi-tieu/muc-tieu/"),
        ("lanhdao", "/chi-tieu/"),
        ("lanhdao", f"/bao-cao/tinh-hinh-nop/?schedule={s}"),
        ("c04", "/tong-hop/toan-quoc/"),
        ("c04", "/chi-tieu/"),
        ("c04", "/chi-tieu/toan-quoc/"),
    ]
    return pages + _period_report_pages(p)


def _period_report_pages(period_id):
    """The period's report as one document (issue 16 §1), where that app is installed."""
    from django.urls import NoReverseMatch, reverse

    try:
        index = reverse("periodreport:index")
    except NoReverseMatch:
        return []
    return [
        ("thuongtruc", index),
        ("thuongtruc", reverse("periodreport:province", args=["66"]) + f"?period={period_id}"),
        ("c04", reverse("periodreport:nation") + f"?period={period_id}"),
    ]


def test_every_reporting_and_indicators_page_fits_390px(browser, live_server, e2e_data):
    SHOTS.mkdir(parents=True, exist_ok=True)
    period = _schedule()
    pages = _pages(period.id)
    wide, broken, pages_by_user = [], [], {}
    for username, path in pages:
        pages_by_user.setdefault(username, []).append(path)
    for username, paths in pages_by_user.items():
        context = browser.new_context(viewport={"width": WIDTH, "height": 844})
        page = context.new_page()
        _login(page, live_server, username)
        for path in paths:
            response = page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("load")
            if response is None or response.status >= 400:
                broken.append((username, path, response.status if response else None))
                continue
            width = page.evaluate("document.scrollingElement.scrollWidth")
            name = re.sub(r"[^a-z0-9]+", "-", f"{username}{path}".lower()).strip("-")[:80]
            page.screenshot(path=str(SHOTS / f"w390-{name}.png"))
            if width > WIDTH:
                wide.append((username, path, width))
        context.close()
    assert not broken, broken
    assert not wide, wide
