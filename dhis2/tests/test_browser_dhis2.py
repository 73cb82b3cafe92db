"""The DHIS2 page in Chromium: the office downloads the province's metadata package and the page
reads at 1366×768 and at 390 px without sideways scrolling."""

from __future__ import annotations

import json

import pytest

from reporting.tests.builders_consolidation import commune_world
from reporting.tests.test_browser_entry import _login

pytestmark = [pytest.mark.browser]


def test_office_downloads_the_metadata_package(page, live_server, e2e_data, tmp_path):
    commune_world()
    page.set_viewport_size({"width": 1366, "height": 768})
    _login(page, live_server, "thuongtruc")
    page.click('[data-testid="nav-reporting"]')
    page.click("nav >> text=Trao đổi với DHIS2")
    page.wait_for_selector("h1:has-text('Trao đổi với DHIS2')")
    page.screenshot(path=str(tmp_path / "dhis2-1366.png"), full_page=True)
    with page.expect_download() as info:
        page.click('[data-testid="metadata-66"]')
    path = tmp_path / "metadata.json"
    info.value.save_as(path)
    package = json.loads(path.read_text(encoding="utf-8"))
    assert {"ZC_SUM", "ZC_SUM_GT"} <= {de["code"] for de in package["dataElements"]}
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(tmp_path / "dhis2-390.png"), full_page=True)
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 390
