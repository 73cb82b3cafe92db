"""Every reporting page and POST: the permission matrix (persona × in scope / out of scope, and
nothing changed on refusal), the grid's behaviour through HTTP, and query-count guards."""

import datetime as dt
import hashlib

import pytest
import time_machine
from django.urls import reverse

from plans.models import Plan, ReportingDuty
from reporting.models import DataValue, LockException, Schedule, Submission
from reporting.services import review
from reporting.tests.builders_entry import (
    TODAY,
    at,
    commune_schedule,
    commune_unit,
    open_sub,
    reporting_catalogue,  # noqa: F401
    save,
    submitted,
    user,
    valid_input,
)

ALL = ["office_a", "office_b", "agency_a", "commune_a", "case_a", "leader_a", "national", "admin"]
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reporting_catalogue")]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(at(TODAY), tick=False):
        yield


@pytest.fixture
def world():
    """Province A's commune schedule with a draft of commune 24133 (2026Q4), a submitted and an
    approved report of other communes of A; province B's schedule."""
    a = commune_schedule(first="2026Q1")
    b = commune_schedule(province="33", first="2026Q1")
    draft = open_sub(a, "2026Q4")
    save(draft, {"v-MGMT_ADDICTS-T": "5"})
    sent = submitted(a, "2026Q4", commune_unit("24169"), on=TODAY)
    approved = submitted(a, "2026Q3", commune_unit("24175"))
    review.approve_submission(acting_user=user("thuongtruc"), submission=approved)
    return {"a": a, "b": b, "draft": draft, "sent": sent, "approved": approved}


def snapshot():
    return (
        list(Submission.objects.order_by("pk").values_list("pk", "status", "version")),
        list(DataValue.objects.order_by("pk").values_list("pk", "value")),
        Schedule.objects.count(),
        LockException.objects.count(),
    )


def check(login, persona, method, url, expected, data=None):
    client = login(persona)
    before = snapshot()
    response = client.post(url, data or {}) if method == "post" else client.get(url)
    assert response.status_code == expected[persona], (persona, response.status_code)
    if response.status_code in (403, 404, 405):
        assert snapshot() == before, f"{persona} changed something on refusal"
    return response


UNITS = {p: 403 for p in ALL} | {"agency_a": 200, "commune_a": 200, "admin": 403}
VIEW_A = {
    "office_a": 200,
    "office_b": 404,
    "agency_a": 404,
    "commune_a": 200,
    "case_a": 403,
    "leader_a": 200,
    "national": 403,
    "admin": 403,
}
EDIT_A = {
    "office_a": 403,
    "office_b": 403,
    "agency_a": 404,
    "commune_a": 302,
    "case_a": 403,
    "leader_a": 403,
    "national": 403,
    "admin": 403,
}
REVIEW_A = {p: 403 for p in ALL} | {"office_a": 302, "office_b": 404, "admin": 403}
PROVINCE = {p: 403 for p in ALL} | {"office_a": 200, "office_b": 200, "leader_a": 200, "admin": 403}
PROVINCE_A = PROVINCE | {"office_b": 404}
OFFICE = {p: 403 for p in ALL} | {"office_a": 200, "office_b": 200, "admin": 403}
OFFICE_A = OFFICE | {"office_b": 404}
OFFICE_A_POST = {p: 403 for p in ALL} | {"office_a": 302, "office_b": 404, "admin": 403}


@pytest.mark.parametrize("persona", ALL)
def test_due_list(login, persona, world):
    response = check(login, persona, "get", reverse("reporting:due"), UNITS)
    if persona == "commune_a":
        assert 'data-testid="due-' in response.content.decode()


@pytest.mark.parametrize("persona", ALL)
def test_open_a_period(login, persona, world):
    expected = {p: 403 for p in ALL} | {"agency_a": 404, "commune_a": 302, "admin": 403}
    world["draft"].delete()
    data = {"schedule": world["a"].pk, "period": "2026Q4", "unit": "commune:24133"}
    response = check(login, persona, "post", reverse("reporting:open"), expected, data)
    created = Submission.objects.filter(commune_id="24133", period="2026Q4").first()
    assert bool(created) == (expected[persona] == 302)
    if created:
        assert response["Location"] == reverse("reporting:submission", args=[created.pk])


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"period": "2026Q4", "unit": "commune:24133"}, 404),  # province B's schedule
        ({"period": "2027Q3", "unit": "commune:24133", "a": 1}, 404),  # not started
        ({"period": "bad", "unit": "commune:24133", "a": 1}, 404),
        ({"period": "2026Q4", "unit": "commune:24169", "a": 1}, 404),  # not the officer's commune
        ({"period": "2026Q4", "unit": "agency:1", "a": 1}, 404),
    ],
)
def test_opening_out_of_scope_is_404_and_creates_nothing(login, world, data, status):
    schedule = world["a"] if data.pop("a", None) else world["b"]
    before = Submission.objects.count()
    response = login("commune_a").post(reverse("reporting:open"), {"schedule": schedule.pk, **data})
    assert response.status_code == status and Submission.objects.count() == before


def test_opening_a_closed_period_says_so(login, world):
    response = login("commune_a").post(
        reverse("reporting:open"), {"schedule": world["a"].pk, "period": "2026Q3", "unit": "commune:24133"}, follow=True
    )
    assert "Đã khóa nhập số liệu kỳ Quý III/2026" in response.content.decode()


def test_open_is_post_only(login, world):
    assert login("commune_a").get(reverse("reporting:open")).status_code == 405


@pytest.mark.parametrize("persona", ALL)
def test_submission_page(login, persona, world):
    check(login, persona, "get", reverse("reporting:submission", args=[world["draft"].pk]), VIEW_A)


@pytest.mark.parametrize("persona", ALL)
def test_submission_history_page(login, persona, world):
    response = check(login, persona, "get", reverse("reporting:history", args=[world["draft"].pk]), VIEW_A)
    if persona == "commune_a":  # the element by its name, never its internal code (issue 10)
        html = response.content.decode()
        assert "Người nghiện ma túy có hồ sơ quản lý" in html and "MGMT_ADDICTS" not in html


@pytest.mark.parametrize("persona", ALL)
def test_saving_a_submission(login, persona, world):
    sub = world["draft"]
    data = {"version": sub.version, "action": "save", "v-MGMT_ADDICTS-T": "8"}
    check(login, persona, "post", reverse("reporting:submission", args=[sub.pk]), EDIT_A, data)
    value = DataValue.objects.get(submission=sub, element__code="MGMT_ADDICTS", category="").value
    assert value == (8 if EDIT_A[persona] == 302 else 5)


def test_a_commune_officer_cannot_save_another_communes_report(login, world):
    sub = world["sent"]
    response = login("commune_a").post(
        reverse("reporting:submission", args=[sub.pk]), {"version": sub.version, "action": "save"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ALL)
def test_inbox(login, persona, world):
    response = check(login, persona, "get", reverse("reporting:inbox"), PROVINCE)
    if response.status_code == 200:
        seen = {s.pk for s, _ in response.context["rows"]}
        assert (world["sent"].pk in seen) == (persona in ("office_a", "leader_a"))
        assert world["draft"].pk not in seen and world["approved"].pk not in seen  # default filter: submitted


def test_inbox_filters(login, world):
    client = login("office_a")
    rows = lambda **q: {s.pk for s, _ in client.get(reverse("reporting:inbox"), q).context["rows"]}  # noqa: E731
    assert rows(status="approved") == {world["approved"].pk}
    assert rows(status="") == {world["sent"].pk, world["approved"].pk}
    assert rows(status="", period="2026Q3") == {world["approved"].pk}
    assert rows(status="", q="24169") == {world["sent"].pk}
    assert rows(status="", form=world["a"].form.pk) == {world["sent"].pk, world["approved"].pk}
    response = client.get(reverse("reporting:inbox"), {"period": "Quý 9"})
    assert response.status_code == 200 and "không hợp lệ" in response.content.decode()
    partial = client.get(reverse("reporting:inbox"), {"status": ""}, HTTP_HX_REQUEST="true")
    assert partial.templates[0].name == "reporting/partials/inbox_table.html"


@pytest.mark.parametrize("persona", ALL)
def test_approve(login, persona, world):
    check(login, persona, "post", reverse("reporting:approve", args=[world["sent"].pk]), REVIEW_A, {"comment": "Tốt"})
    world["sent"].refresh_from_db()
    assert world["sent"].status == ("approved" if REVIEW_A[persona] == 302 else "submitted")


@pytest.mark.parametrize("persona", ALL)
def test_return(login, persona, world):
    check(
        login, persona, "post", reverse("reporting:return", args=[world["sent"].pk]), REVIEW_A, {"comment": "Sửa lại"}
    )
    world["sent"].refresh_from_db()
    assert world["sent"].status == ("returned" if REVIEW_A[persona] == 302 else "submitted")


def test_return_without_a_comment_is_refused_with_its_message(login, world):
    response = login("office_a").post(
        reverse("reporting:return", args=[world["sent"].pk]), {"comment": ""}, follow=True
    )
    assert "Hãy ghi ý kiến" in response.content.decode()
    world["sent"].refresh_from_db()
    assert world["sent"].status == "submitted"


@pytest.mark.parametrize("persona", ALL)
def test_unlock(login, persona, world):
    check(
        login,
        persona,
        "post",
        reverse("reporting:unlock", args=[world["approved"].pk]),
        REVIEW_A,
        {"reason": "Điều chỉnh"},
    )
    world["approved"].refresh_from_db()
    assert world["approved"].status == ("returned" if REVIEW_A[persona] == 302 else "approved")


def test_review_urls_are_post_only(login, world):
    client = login("office_a")
    for name in ("approve", "return", "unlock"):
        assert client.get(reverse(f"reporting:{name}", args=[world["sent"].pk])).status_code == 405


def test_the_office_cannot_review_a_draft(login, world):
    response = login("office_a").post(reverse("reporting:approve", args=[world["draft"].pk]), follow=True)
    assert "Đang nhập" in response.content.decode()
    world["draft"].refresh_from_db()
    assert world["draft"].status == "draft"


@pytest.mark.parametrize("persona", ALL)
def test_completeness(login, persona, world):
    check(login, persona, "get", reverse("reporting:completeness") + f"?schedule={world['a'].pk}", PROVINCE_A)


def test_completeness_without_a_schedule_picks_one_and_a_bad_id_is_404(login, world):
    client = login("office_a")
    assert client.get(reverse("reporting:completeness")).context["schedule"] == world["a"]
    assert client.get(reverse("reporting:completeness") + "?schedule=999999").status_code == 404


@pytest.mark.parametrize("persona", ALL)
def test_schedule_list(login, persona, world):
    response = check(login, persona, "get", reverse("reporting:schedules"), PROVINCE)
    if persona == "office_b":
        assert list(response.context["schedules"]) == [world["b"]]


@pytest.mark.parametrize("persona", ALL)
def test_schedule_create_page(login, persona, world):
    check(login, persona, "get", reverse("reporting:schedule_create"), OFFICE)


def _schedule_post(schedule, **extra):
    return {
        "name": "Lịch mới",
        "form": schedule.form.pk,
        "frequency": "quarterly",
        "convention": "administrative",
        "due_kind": "day_of_last_month",
        "due_day": "15",
        "close_after_days": "7",
        "remind_before_days": "3",
        "all_communes": "on",
        "first_period": "2026Q1",
        "is_active": "on",
        **extra,
    }


def test_the_office_creates_a_schedule_and_bad_input_is_refused(login, world):
    client = login("office_a")
    bad = client.post(
        reverse("reporting:schedule_create"), _schedule_post(world["a"], due_kind="fixed_date", due_date="31/02/2026")
    )
    assert bad.status_code == 200 and "Ngày 31/02/2026 không tồn tại" in bad.content.decode()
    assert Schedule.objects.count() == 2
    assert client.post(reverse("reporting:schedule_create"), _schedule_post(world["a"])).status_code == 302
    assert Schedule.objects.get(name="Lịch mới").province_id == "66"
    other = client.post(
        reverse("reporting:schedule_create") + "?province=33", _schedule_post(world["a"], province="33")
    )
    assert other.status_code == 404


@pytest.mark.parametrize("persona", ALL)
def test_schedule_edit(login, persona, world):
    url = reverse("reporting:schedule_edit", args=[world["a"].pk])
    check(login, persona, "get", url, OFFICE_A)
    check(login, persona, "post", url, OFFICE_A_POST, _schedule_post(world["a"], name="Đã sửa"))
    assert Schedule.objects.filter(name="Đã sửa").exists() == (OFFICE_A_POST[persona] == 302)


@pytest.mark.parametrize("persona", ALL)
def test_lock_exceptions(login, persona, world):
    url = reverse("reporting:lock_exceptions", args=[world["a"].pk])
    check(login, persona, "get", url, OFFICE_A)
    data = {"unit": "commune:24133", "period": "2026Q3", "until": "30/11/2026", "reason": "Cán bộ nghỉ ốm"}
    check(login, persona, "post", url, OFFICE_A_POST, data)
    assert LockException.objects.exists() == (OFFICE_A_POST[persona] == 302)


def test_a_lock_exception_with_an_impossible_date_is_refused(login, world):
    url = reverse("reporting:lock_exceptions", args=[world["a"].pk])
    response = login("office_a").post(
        url, {"unit": "commune:24133", "period": "2026Q3", "until": "31/11/2026", "reason": "x"}
    )
    assert response.status_code == 200 and "Ngày 31/11/2026 không tồn tại" in response.content.decode()
    assert not LockException.objects.exists()


def _plan(province):
    plan = Plan.objects.create(
        province_id=province,
        number=f"{province}/KH",
        title="Kế hoạch",
        issued_on=TODAY,
        source_file="plans/x.txt",
        source_name="x.txt",
        source_sha256=hashlib.sha256(province.encode()).hexdigest(),
    )
    ReportingDuty.objects.create(plan=plan, frequency="quarterly", due="15 of last month of quarter")
    return plan


@pytest.mark.parametrize("persona", ALL)
def test_plan_duties_page(login, persona, world):
    _plan("66")
    response = check(login, persona, "get", reverse("reporting:plan_duties"), OFFICE)
    if persona == "office_b":
        assert list(response.context["plans"]) == []


@pytest.mark.parametrize("persona", ALL)
def test_schedules_from_plan(login, persona, world):
    plan = _plan("66")
    duties = {"duty": list(plan.reporting_duties.values_list("pk", flat=True))}
    check(login, persona, "post", reverse("reporting:schedules_from_plan", args=[plan.pk]), OFFICE_A_POST, duties)
    assert Schedule.objects.filter(source_duty__plan=plan).exists() == (OFFICE_A_POST[persona] == 302)


@pytest.mark.parametrize("persona", ALL)
def test_schedules_from_plan_preview(login, persona, world):
    plan = _plan("66")
    url = reverse("reporting:schedules_from_plan_preview", args=[plan.pk])
    expected = {p: (200 if c == 302 else c) for p, c in OFFICE_A_POST.items()}
    check(login, persona, "get", url, expected)
    assert not Schedule.objects.filter(source_duty__plan=plan).exists()  # a preview creates nothing


@pytest.mark.parametrize("persona", ALL)
def test_catalogue_pages_are_for_everyone_signed_in(login, persona, world):
    client = login(persona)
    assert client.get(reverse("reporting:forms")).status_code == 200
    response = client.get(reverse("reporting:form_detail", args=["XA_QUY"]))
    assert response.status_code == 200 and "Người nghiện ma túy có hồ sơ quản lý" in response.content.decode()
    assert client.get(reverse("reporting:form_detail", args=["KHONG_CO"])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for url in (
        reverse("reporting:due"),
        reverse("reporting:inbox"),
        reverse("reporting:forms"),
        reverse("reporting:submission", args=[world["draft"].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]


# — the grid through HTTP —


def test_letters_are_kept_beside_the_cell_and_the_good_cells_are_saved(login, world):
    sub = world["draft"]
    data = {
        **valid_input(sub.schedule, MGMT_ADDICTS_T="abc", MGMT_USERS_T="17"),
        "version": sub.version,
        "action": "save",
    }
    client = login("commune_a")
    response = client.post(reverse("reporting:submission", args=[sub.pk]), data)
    assert response.status_code == 302  # saved: the page is read again, as after a reload
    html = client.get(response["Location"]).content.decode()
    assert "«abc» không phải là số." in html and "1 ô nhập chưa đúng được giữ nguyên" in html
    assert 'value="abc"' in html and 'value="17"' in html and 'data-testid="error-cell-MGMT_ADDICTS-T"' in html
    assert 'href="#cell-MGMT_ADDICTS-T" data-jump="cell-MGMT_ADDICTS-T"' in html and 'id="cell-MGMT_ADDICTS-T"' in html
    assert DataValue.objects.get(submission=sub, element__code="MGMT_ADDICTS", category="").value == 5
    assert DataValue.objects.get(submission=sub, element__code="MGMT_USERS", category="").value == 17


def test_a_rule_message_is_shown_beside_the_part_and_submission_is_blocked(login, world):
    sub = world["draft"]
    data = {**valid_input(sub.schedule, MGMT_ADDICTS_U18="9"), "version": sub.version, "action": "submit"}
    response = login("commune_a").post(reverse("reporting:submission", args=[sub.pk]), data, follow=True)
    html = response.content.decode()
    assert 'data-testid="rule-cell-MGMT_ADDICTS-U18">Số người dưới 18 tuổi không được lớn hơn tổng số' in html
    assert "Đã lưu nháp nhưng chưa nộp được: còn" in html and 'data-jump="cell-MGMT_ADDICTS-U18"' in html
    sub.refresh_from_db()
    assert sub.status == "draft"


def test_submit_then_the_office_sees_it(login, world):
    sub = world["draft"]
    data = {**valid_input(sub.schedule), "version": sub.version, "action": "submit"}
    response = login("commune_a").post(reverse("reporting:submission", args=[sub.pk]), data, follow=True)
    assert "Đã nộp báo cáo" in response.content.decode()
    sub.refresh_from_db()
    assert sub.status == "submitted"
    page = login("office_a").get(reverse("reporting:submission", args=[sub.pk])).content.decode()
    assert 'data-testid="approve-button"' in page and 'data-testid="return-button"' in page
    assert 'data-testid="review-clean"' in page  # nothing to look at first
    assert 'name="v-MGMT_ADDICTS-T"' not in page  # read-only for the office


def test_a_stale_version_gets_a_clear_message_and_keeps_the_typing(login, world):
    sub = world["draft"]
    stale = sub.version
    save(sub, {"v-MGMT_ADDICTS-T": "6"})  # someone else saves first
    response = login("commune_a").post(
        reverse("reporting:submission", args=[sub.pk]), {"version": stale, "action": "save", "v-MGMT_ADDICTS-T": "7"}
    )
    html = response.content.decode()
    assert "vừa được người khác lưu" in html and 'value="7"' in html and "đã lưu: 6" in html
    assert DataValue.objects.get(submission=sub, element__code="MGMT_ADDICTS", category="").value == 6


def test_a_closed_form_shows_why(login, world):
    with time_machine.travel(at(TODAY.replace(month=12, day=26)), tick=False):
        response = login("commune_a").get(reverse("reporting:submission", args=[world["draft"].pk]))
        assert 'data-testid="closed-reason"' in response.content.decode()
        world["draft"].refresh_from_db()
        response = login("commune_a").post(
            reverse("reporting:submission", args=[world["draft"].pk]),
            {"version": world["draft"].version, "action": "save", "v-MGMT_ADDICTS-T": "9"},
        )
        html = response.content.decode()
        assert "Chưa lưu: Đã khóa nhập số liệu" in html
        assert '<div class="text-end" data-testid="cell-MGMT_ADDICTS-T">9</div>' in html  # the typing is still shown
    assert DataValue.objects.get(submission=world["draft"], element__code="MGMT_ADDICTS", category="").value == 5


# — query-count guards —


def test_the_grid_costs_the_same_queries_with_one_value_or_all(login, world, queries_of):
    sub = world["draft"]  # one value saved
    client = login("commune_a")
    url = reverse("reporting:submission", args=[sub.pk])
    client.get(url)
    one = queries_of(lambda: client.get(url))
    save(sub, valid_input(sub.schedule))
    assert queries_of(lambda: client.get(url)) == one

    def post(**cells: str) -> None:
        sub.refresh_from_db()
        response = client.post(url, {**valid_input(sub.schedule, **cells), "version": sub.version, "action": "save"})
        assert response.status_code == 302

    one_change = queries_of(lambda: post(MGMT_ADDICTS_T="6"))
    many = {name: "7" for name in ("MGMT_ADDICTS_T", "MGMT_USERS_T", "DRUG_CASES_T")}
    assert queries_of(lambda: post(**many)) == one_change
    assert (
        DataValue.objects.filter(
            submission=sub, element__code__in=["MGMT_ADDICTS", "MGMT_USERS", "DRUG_CASES"], value=7
        ).count()
        == 3
    )


def test_the_inbox_costs_the_same_queries_with_one_report_or_seven(login, world, queries_of):
    from geo.models import Commune

    client = login("office_a")
    client.get(reverse("reporting:inbox"))
    one = queries_of(lambda: client.get(reverse("reporting:inbox")))
    codes = (
        Commune.objects.filter(province_id="66")
        .exclude(code__in=["24133", "24169", "24175"])
        .values_list("code", flat=True)
    )
    for code in codes[:6]:
        submitted(world["a"], "2026Q4", commune_unit(code), on=TODAY)
    assert queries_of(lambda: client.get(reverse("reporting:inbox"))) == one
    assert len(client.get(reverse("reporting:inbox")).context["rows"]) == 7


def test_the_matrix_page_costs_the_same_queries_for_two_periods_or_twenty(login, world, queries_of):
    client = login("office_a")
    url = reverse("reporting:completeness") + f"?schedule={world['a'].pk}&n="
    client.get(url + "2")
    assert queries_of(lambda: client.get(url + "2")) == queries_of(lambda: client.get(url + "20"))
    response = client.get(url + "20")
    assert response.status_code == 200 and len(response.context["matrix"].units) == 102


def test_the_due_list_costs_the_same_queries_with_more_reports(login, world, queries_of):
    client = login("commune_a")
    assert client.get(reverse("reporting:due")).status_code == 200
    few = queries_of(lambda: client.get(reverse("reporting:due")))
    for period in ("2026Q1", "2026Q2", "2026Q3"):
        submitted(world["a"], period, commune_unit("24133"))
    assert queries_of(lambda: client.get(reverse("reporting:due"))) == few


# — autosave of the draft —


@pytest.mark.parametrize("persona", ALL)
def test_autosave_is_for_the_units_own_officers(login, persona, world):
    sub = world["draft"]
    expected = EDIT_A | {"commune_a": 200, "agency_a": 404}
    data = {"v-MGMT_USERS-T": "8", "version": sub.version}
    check(login, persona, "post", reverse("reporting:autosave", args=[sub.pk]), expected, data)


def test_autosave_saves_the_good_cells_keeps_the_bad_one_and_answers_with_the_list(login, world):
    sub = world["draft"]
    client = login("commune_a")
    url = reverse("reporting:autosave", args=[sub.pk])
    assert client.get(url).status_code == 405
    data = {"v-MGMT_USERS-T": "8", "v-MGMT_ADDICTS-T": "5,5", "version": sub.version, "action": "submit"}
    body = client.post(url, data).json()
    assert body["saved"] and body["saved_at"] == "09:00" and body["changed"] == 1
    assert body["invalid"] == {"v-MGMT_ADDICTS-T": next(iter(body["invalid"].values()))}
    assert "chỉ nhận số nguyên" in body["invalid"]["v-MGMT_ADDICTS-T"]
    assert 'data-jump="cell-MGMT_ADDICTS-T"' in body["problems_html"] and body["problems"] >= 1
    sub.refresh_from_db()
    assert sub.status == "draft" and body["version"] == sub.version  # autosave never submits
    assert sub.pending_raw == {"v-MGMT_ADDICTS-T": "5,5"}
    assert DataValue.objects.get(submission=sub, element__code="MGMT_USERS", category="").value == 8
    # The next autosave sends the version it was given; an old version is a conflict: nothing written.
    stale = client.post(url, {"v-MGMT_USERS-T": "9", "version": body["version"] - 1})
    assert stale.status_code == 409 and not stale.json()["saved"] and "Chưa lưu tự động" in stale.json()["message"]
    assert DataValue.objects.get(submission=sub, element__code="MGMT_USERS", category="").value == 8
    fixed = client.post(url, {"v-MGMT_ADDICTS-T": "6", "version": body["version"]}).json()
    assert fixed["saved"] and fixed["invalid"] == {}
    sub.refresh_from_db()
    assert sub.pending_raw == {}


def test_autosave_into_a_closed_form_writes_nothing(login, world):
    sub = world["draft"]
    with time_machine.travel(at(dt.date(2026, 12, 28)), tick=False):
        client = login("commune_a")
        response = client.post(
            reverse("reporting:autosave", args=[sub.pk]), {"v-MGMT_USERS-T": "8", "version": sub.version}
        )
    assert response.status_code == 409 and "khóa nhập" in response.json()["message"]
    assert not DataValue.objects.filter(submission=sub, element__code="MGMT_USERS").exists()


# — the status grid's acts (issue 16) —


@pytest.mark.parametrize("persona", ALL)
def test_remind_from_the_status_grid(login, persona, world):
    from reporting.models import ReportReminder

    data = {"schedule": world["a"].pk, "period": "2026Q3", "unit": "commune:24133"}
    check(login, persona, "post", reverse("reporting:remind"), OFFICE_A_POST, data)
    assert ReportReminder.objects.filter(commune_id="24133", period="2026Q3").count() == (persona == "office_a")


@pytest.mark.parametrize("persona", ALL)
def test_batch_approve_from_the_status_grid(login, persona, world):
    data = {"schedule": world["a"].pk, "period": "2026Q4"}
    check(login, persona, "post", reverse("reporting:approve_batch"), OFFICE_A_POST, data)
    world["sent"].refresh_from_db()
    assert world["sent"].status == ("approved" if persona == "office_a" else "submitted")


def test_status_grid_filters_sorts_reminds_once_and_approves_back_to_itself(login, world):
    client = login("office_a")
    base = reverse("reporting:completeness")
    url = f"{base}?schedule={world['a'].pk}&period=2026Q3&state=missing&sort=state"
    html = client.get(url).content.decode()
    assert 'data-testid="row-commune:24133"' in html and 'data-testid="row-commune:24175"' not in html  # approved
    assert 'data-testid="remind-commune:24133"' in html and 'data-testid="remind-late"' in html
    data = {"schedule": world["a"].pk, "period": "2026Q3", "unit": "late", "back": url}
    response = client.post(reverse("reporting:remind"), data)
    assert response.status_code == 302 and response["Location"] == url
    html = client.get(url).content.decode()
    assert 'data-testid="reminded-commune:24133"' in html and 'data-testid="remind-commune:24133"' not in html
    again = client.post(reverse("reporting:remind"), data, follow=True).content.decode()
    assert "đã được nhắc hôm nay" in again
    # An off-site "back" is ignored; a period the schedule does not have is a 404.
    evil = client.post(reverse("reporting:remind"), {**data, "back": "https://evil.example/"})
    assert evil["Location"].startswith(base + "?schedule=")
    assert client.post(reverse("reporting:remind"), {**data, "period": "2030Q1"}).status_code == 404
    # The period in focus shows the clean submitted report with a confirmed "Duyệt".
    html = client.get(f"{base}?schedule={world['a'].pk}&period=2026Q4").content.decode()
    assert f'action="{reverse("reporting:approve", args=[world["sent"].pk])}" data-confirm="Duyệt báo cáo' in html
    assert 'data-testid="approve-clean"' in html
    back = f"{base}?schedule={world['a'].pk}&period=2026Q4"
    response = client.post(reverse("reporting:approve", args=[world["sent"].pk]), {"back": back})
    assert response["Location"] == back
    world["sent"].refresh_from_db()
    assert world["sent"].status == "approved"


def test_the_review_panel_lists_what_to_look_at_before_approving(login, world):
    sub = submitted(world["a"], "2026Q3", commune_unit("24133"), COMM_PARTICIPANTS_T="1", COMM_SESSIONS_T="4")
    page = login("office_a").get(reverse("reporting:submission", args=[sub.pk])).content.decode()
    assert 'data-testid="review-notes"' in page and "Số lượt người tham dự ít hơn số buổi tuyên truyền" in page
