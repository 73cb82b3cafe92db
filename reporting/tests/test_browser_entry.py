"""Browser journey in Chromium: the commune fills and submits the quarterly form, bad values are
refused with their messages, the Standing Office returns it with a comment, the commune corrects
and resubmits, the office approves, consolidates the province and downloads the XLSX and DOCX."""

import pytest

pytestmark = [pytest.mark.browser]

PASSWORD = "Pcmt@2026demo"


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1")


def _schedule():
    from accounts.models import User
    from reporting import periods as P
    from reporting.models import Form
    from reporting.services import schedules as S
    from reporting.services.catalogue import load_starter_catalogue

    load_starter_catalogue()
    office = User.objects.get(username="thuongtruc")
    period = P.containing("quarterly", S.today(), "administrative")
    S.save_schedule(
        acting_user=office,
        schedule=None,
        province=office.province,
        data={
            "name": "Báo cáo quý cấp xã",
            "form": Form.objects.get(code="XA_QUY"),
            "frequency": "quarterly",
            "convention": "administrative",
            "due_kind": "days_after_close",
            "due_days": 10,
            "close_after_days": 10,
            "all_communes": True,
            "first_period": period.id,
            "is_active": True,
        },
    )
    return period


def _cell(page, testid):
    return page.locator(f'[data-testid="{testid}"]')


def _fill_form(page):
    """Type every cell: totals 4, breakdowns 1, yes/no "Có", the screening date; text left empty."""
    for handle in page.locator("[data-cell]").all():
        testid = handle.get_attribute("data-testid")
        if handle.evaluate("e => e.tagName") == "SELECT":
            handle.select_option("1")
        elif testid == "cell-SCREENING_DATE-T":
            handle.fill("01/11/2026")
        else:
            handle.fill("4" if testid.endswith("-T") else "1")


def test_commune_submits_office_returns_commune_corrects_office_approves(
    page, context, live_server, e2e_data, tmp_path
):
    period = _schedule()
    _login(page, live_server, "xa")
    page.click("nav >> text=Báo cáo cần nộp")
    page.click(f'[data-testid="open-{period.id}"]')
    _cell(page, "cell-MGMT_ADDICTS-T").wait_for()
    assert period.label in page.locator("main").inner_text()

    # Letters are refused beside the cell; the typing stays.
    _cell(page, "cell-MGMT_ADDICTS-T").fill("abc")
    _cell(page, "cell-MGMT_USERS-T").fill("1.234")
    _cell(page, "save-button").click()
    assert "«abc» không phải là số." in _cell(page, "error-cell-MGMT_ADDICTS-T").inner_text()
    assert _cell(page, "cell-MGMT_ADDICTS-T").input_value() == "abc"
    assert _cell(page, "cell-MGMT_USERS-T").input_value() == "1.234"

    # Enter moves down the column, like a spreadsheet.
    _cell(page, "cell-MGMT_ADDICTS-T").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.dataset.testid") == "cell-MGMT_USERS-T"

    # A part greater than its total blocks submission, with the rule's message beside the part.
    _fill_form(page)
    _cell(page, "cell-MGMT_ADDICTS-U18").fill("9")
    _cell(page, "submit-button").click()
    message = _cell(page, "rule-cell-MGMT_ADDICTS-U18")
    assert "Số người dưới 18 tuổi không được lớn hơn tổng số" in message.inner_text()
    assert _cell(page, "submission-status").inner_text() == "Đang nhập"
    _cell(page, "cell-MGMT_ADDICTS-U18").fill("1")
    _cell(page, "submit-button").click()
    page.wait_for_selector("text=Đã nộp báo cáo")
    assert _cell(page, "submission-status").inner_text() == "Đã nộp"

    # The Standing Office returns it with a comment.
    office = context.browser.new_context().new_page()
    _login(office, live_server, "thuongtruc")
    office.click('[data-testid="nav-reporting"]')
    office.click("nav >> text=Hộp báo cáo")
    office.click('[data-testid="inbox-open-commune:24133"]')
    _cell(office, "review-comment").fill("Số người dưới 18 tuổi cần đối chiếu lại với Công an xã.")
    _cell(office, "return-button").click()
    office.wait_for_selector("text=Đã trả lại báo cáo")
    assert _cell(office, "submission-status").inner_text() == "Trả lại"

    # The commune sees why, corrects and resubmits.
    page.click("nav >> text=Báo cáo cần nộp")
    assert "cần đối chiếu lại với Công an xã" in page.locator('[data-testid="due-list"]').inner_text()
    page.click(f'[data-testid="open-{period.id}"]')
    assert "cần đối chiếu lại" in _cell(page, "review-comment-shown").inner_text()
    assert _cell(page, "cell-MGMT_ADDICTS-U18").input_value() == "1"
    _cell(page, "cell-MGMT_ADDICTS-U18").fill("2")
    _cell(page, "submit-button").click()
    page.wait_for_selector("text=Đã nộp báo cáo")

    # The office approves: the data are locked.
    office.reload()
    questions = []
    office.once("dialog", lambda d: (questions.append(d.message), d.accept()))
    _cell(office, "approve-button").click()
    office.wait_for_selector("text=Đã duyệt báo cáo")
    assert _cell(office, "submission-status").inner_text() == "Đã duyệt"
    assert questions and questions[0].startswith("Duyệt báo cáo")  # approval asks first
    assert _cell(office, "cell-MGMT_ADDICTS-U18").inner_text() == "2"
    page.reload()
    assert page.locator('[data-testid="submit-button"]').count() == 0

    # The office consolidates the province and downloads both documents; each holds the total.
    from reporting.models import Form

    form_pk = Form.objects.get(code="XA_QUY").pk
    for fmt in ("xlsx", "docx"):
        office.goto(f"{live_server.url}/tong-hop/tinh/66/?form={form_pk}&period={period.id}")
        office.locator('[data-testid="as-of"]').wait_for()
        office.click(f'[data-testid="download-{fmt}"]')  # a background job: its page, then the file
        with office.expect_download() as info:
            office.click('[data-testid="job-download"]')
        path = tmp_path / f"bao-cao.{fmt}"
        info.value.save_as(path)
        assert _total_in(path, fmt, "Người nghiện ma túy có hồ sơ quản lý") == "4"


def _total_in(path, fmt, element_name):
    """The first number after the element's name on its row, read back from the file."""
    if fmt == "xlsx":
        from openpyxl import load_workbook

        rows = [
            [c for c in row if c is not None] for row in load_workbook(path).worksheets[0].iter_rows(values_only=True)
        ]
    else:
        from docx2python import docx2python

        with docx2python(path) as doc:
            rows = [["".join(cell).strip() for cell in row] for table in doc.body for row in table]
    for row in rows:
        texts = [str(c).strip() for c in row]
        if any(t.startswith(element_name) for t in texts):
            after = texts[next(i for i, t in enumerate(texts) if t.startswith(element_name)) + 1 :]
            return next(t for t in after if t.replace(".", "").replace(",", "").isdigit())
    raise AssertionError(f"{element_name} not found in the {fmt} file")
