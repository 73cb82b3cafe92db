"""The office produces the quarter's report of the province in Chromium: one DOCX covering the
communes' and the agencies' forms, a generated sentence edited, saved, and found again in the
file with the totals; the page reads at 1366×768 and at 390 px."""

from __future__ import annotations

import pytest
from docx2python import docx2python

from reporting.tests.builders_consolidation import PROVINCE_A, agency_world, commune_world
from reporting.tests.test_browser_entry import _login

pytestmark = [pytest.mark.browser]

SENTENCE = "- Số vụ bắt giữ (thử): 42 vụ."
EDITED = "- Số vụ bắt giữ (thử): 42 vụ, trong đó 40 vụ đã khởi tố."


def test_office_edits_the_generated_report_and_downloads_it(page, live_server, e2e_data, tmp_path):
    commune_world()
    agency_world()
    page.set_viewport_size({"width": 1366, "height": 768})
    _login(page, live_server, "thuongtruc")
    page.click('[data-testid="nav-reporting"]')
    page.click("nav >> text=Báo cáo chung của kỳ")
    page.select_option("#period", "2026Q2")
    page.click("text=Xem")
    coverage = page.locator('[data-testid="coverage"]')
    assert coverage.nth(0).inner_text().startswith("Báo cáo quý cấp xã (thử): 2/3 xã có số liệu đã duyệt")
    assert "2/2 cơ quan có số liệu đã duyệt" in coverage.nth(1).inner_text()
    page.screenshot(path=str(tmp_path / "period-report-1366.png"))

    results = page.locator("#id_results")
    text = results.input_value()
    assert SENTENCE in text
    results.fill(text.replace(SENTENCE, EDITED))
    page.click('[data-testid="save-version"]')
    page.wait_for_selector("text=Đã lưu phiên bản 1")

    page.click('[data-testid="period-docx"]')  # a background job: its page, then the file
    with page.expect_download() as info:
        page.click('[data-testid="job-download"]')
    path = tmp_path / "bao-cao-chung.docx"
    info.value.save_as(path)
    with docx2python(path) as doc:
        body = doc.text
        rows = [["".join(cell).strip() for cell in row] for table in doc.body for row in table]
    assert EDITED.removeprefix("- ") in body
    totals = {r[1]: r[3] for r in rows if len(r) == 8}
    assert totals["Số người có hồ sơ quản lý (thử)"] == "30"  # the communes' form
    assert totals["Số vụ bắt giữ (thử)"] == "42"  # the agencies' form

    page.goto(f"{live_server.url}/bao-cao-chung/tinh/{PROVINCE_A}/?period=2026Q2")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(tmp_path / "period-report-390.png"), full_page=True)
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 390
