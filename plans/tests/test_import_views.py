"""The import pages: permission matrix for every view and POST, htmx and no-JS edits, locking."""

from pathlib import Path

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from plans.models import Plan, PlanImport
from plans.tests.test_import_support import agency, make_draft, ready

pytestmark = pytest.mark.django_db

ALL = ["office_a", "office_b", "agency_a", "commune_a", "case_a", "leader_a", "national", "admin"]
REFUSED = {"agency_a": 403, "commune_a": 403, "case_a": 403, "leader_a": 403, "national": 403}
PAGES = {"office_a": 200, "office_b": 200, "admin": 403, **REFUSED}  # no object: every office may
OBJECT = {"office_a": 200, "office_b": 404, "admin": 403, **REFUSED}  # a draft of province A
OBJECT_POST = {"office_a": 302, "office_b": 404, "admin": 403, **REFUSED}


def task(**overrides):
    return {
        "text": "Kiểm tra các cơ sở kinh doanh dịch vụ",
        "role": "perform",
        "agency": "",
        "projects": "DA1",
        "deadline": "30/06/2026",
        "condition": "",
        "recurrence": "",
        **overrides,
    }


META = {
    "number": "16/KH-UBND",
    "date": "11/03/2026",
    "place": "Đắk Lắk",
    "title": "Kế hoạch đã sửa",
    "period_start": "2026",
    "period_end": "2026",
}
TARGET = {"text": "100% xã có tổ tư vấn", "comparator": "=", "value": "100", "unit": "%", "year": "2026"}
DUTY = {"frequency": "annual", "due": "15/12", "to_agency": ""}

# name, extra url args, payload (a function of the draft); each one changes the draft for an office.
POSTS = [
    ("import_meta", [], lambda d: META),
    ("import_replaces", [], lambda d: {"replaces": ""}),
    ("import_ack_duplicate", [], lambda d: {}),
    ("import_target_add", [], lambda d: TARGET),
    ("import_target_save", [0], lambda d: TARGET),
    ("import_target_delete", [0], lambda d: {}),
    ("import_duty_add", [], lambda d: DUTY),
    ("import_duty_save", [0], lambda d: DUTY),
    ("import_duty_delete", [0], lambda d: {}),
    ("import_block_add", [], lambda d: {"section": "II.5", "agency": agency("TD").pk}),
    ("import_block_save", [3], lambda d: {"slot_0": agency("HND").pk}),
    ("import_task_add", [0], lambda d: task()),
    ("import_task_save", [0, 0], lambda d: task()),
    ("import_task_delete", [1, 1], lambda d: {}),
    ("import_task_split", [0, 0], lambda d: {}),
    ("import_task_merge", [1, 0], lambda d: {}),
    ("import_confirm", [], lambda d: {}),
    ("import_discard", [], lambda d: {}),
]


def snapshot(draft):
    draft.refresh_from_db()
    return (
        draft.version,
        draft.status,
        draft.data,
        draft.replaces_id,
        PlanImport.objects.count(),
        Plan.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize("name", ["import_upload", "import_list"])
def test_pages_without_a_draft(login, persona, name):
    assert login(persona).get(reverse(f"plans:{name}")).status_code == PAGES[persona]


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize("name", ["import_review", "import_file"])
def test_pages_of_a_draft(login, persona, name):
    draft = make_draft()
    response = login(persona).get(reverse(f"plans:{name}", args=[draft.pk]))
    assert response.status_code == OBJECT[persona]


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize(("name", "args", "payload"), POSTS, ids=[p[0] for p in POSTS])
def test_every_post(login, persona, name, args, payload):
    draft = ready(make_draft())
    before = snapshot(draft)
    response = login(persona).post(
        reverse(f"plans:{name}", args=[draft.pk, *args]), {"version": draft.version, **payload(draft)}
    )
    assert response.status_code == OBJECT_POST[persona]
    after = snapshot(draft)
    if OBJECT_POST[persona] == 302:
        assert after != before
        assert response["Location"].startswith("/ke-hoach/")
    else:
        assert after == before


@pytest.mark.parametrize("persona", ALL)
def test_upload_post(login, persona):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from plans.tests.test_import_support import PLAN_TEXT

    before = PlanImport.objects.count()
    province = {"office_b": "33"}.get(persona, "66")
    response = login(persona).post(
        reverse("plans:import_upload"), {"province": province, "file": SimpleUploadedFile("kh.txt", PLAN_TEXT.encode())}
    )
    assert response.status_code == {**PAGES, "office_a": 302, "office_b": 302, "admin": 403}[persona]
    assert PlanImport.objects.count() == before + (1 if response.status_code == 302 else 0)


def test_office_a_cannot_upload_into_province_b(login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from plans.tests.test_import_support import PLAN_TEXT

    response = login("office_a").post(
        reverse("plans:import_upload"), {"province": "33", "file": SimpleUploadedFile("kh.txt", PLAN_TEXT.encode())}
    )
    assert response.status_code == 200 and not PlanImport.objects.filter(province_id="33").exists()


@pytest.mark.parametrize(
    ("name", "args"),
    [("import_meta", []), ("import_task_split", [0, 0]), ("import_confirm", []), ("import_discard", [])],
)
def test_get_on_a_post_only_view_is_405(login, name, args):
    draft = make_draft()
    assert login("office_a").get(reverse(f"plans:{name}", args=[draft.pk, *args])).status_code == 405


def test_a_missing_draft_is_404(login):
    assert login("office_a").get(reverse("plans:import_review", args=[999999])).status_code == 404
    assert login("office_a").post(reverse("plans:import_task_save", args=[999999, 0, 0]), task()).status_code == 404


def test_the_list_shows_only_the_province_drafts(login):
    mine, theirs = make_draft(), make_draft(user="thuongtruc_b", province="33")
    response = login("office_a").get(reverse("plans:import_list"))
    drafts = list(response.context["page"].object_list)
    assert mine in drafts and theirs not in drafts
    assert reverse("plans:import_review", args=[mine.pk]) in response.content.decode()


# --- editing through the pages -----------------------------------------------------------------


def test_review_page_shows_meta_blocks_and_flags_unknown_agencies(login):
    draft = make_draft()
    page = login("office_a").get(reverse("plans:import_review", args=[draft.pk])).content.decode()
    assert "15/KH-UBND" in page and 'value="10/03/2026"' in page and "Thực hiện công tác phòng, chống ma túy" in page
    assert "Hội Người cao tuổi tỉnh" in page and "không có trong danh mục" in page
    assert "Nghị quyết 163/2024/QH15" in page and "ngày 15 tháng cuối quý" in page
    assert "Sở Tư pháp chủ trì" in page and "Sở Nội vụ chủ trì" in page  # one task per block agency
    assert "Công an tỉnh chủ trì; phối hợp: Sở Y tế" in page  # the cooperate task's lead
    for testid in ("task-text-0-0", "task-agency-0-0", "task-save-0-0", "import-confirm"):
        assert f'data-testid="{testid}"' in page


def test_an_htmx_edit_answers_the_block_and_the_new_version(login):
    draft = make_draft()
    client = login("office_a")
    response = client.post(
        reverse("plans:import_task_save", args=[draft.pk, 2, 0]),
        {"version": draft.version, **task(agency=agency("SNV").pk)},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.startswith('<article id="block-2"')
    assert (
        "Đã lưu" in html and f'id="draft-version" value="{draft.version + 1}"' in html and 'hx-swap-oob="true"' in html
    )
    draft.refresh_from_db()
    saved = draft.data["assignments"][2]["tasks"][0]
    assert saved["agency_id"] == agency("SNV").pk and saved["deadline"] == "2026-06-30" and saved["projects"] == ["DA1"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("deadline", "31/02/2026", "Ngày 31/02/2026 không tồn tại."),
        ("projects", "DA12", "Không có dự án «DA12»"),
        ("text", "", "Nội dung nhiệm vụ không được để trống."),
    ],
)
@pytest.mark.parametrize("htmx", [True, False])
def test_invalid_input_shows_a_message_beside_the_field_and_changes_nothing(login, field, value, message, htmx):
    draft = make_draft()
    before = snapshot(draft)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = login("office_a").post(
        reverse("plans:import_task_save", args=[draft.pk, 0, 0]),
        {"version": draft.version, **task(**{field: value})},
        **headers,
    )
    html = response.content.decode()
    assert response.status_code == 200 and message in html and "is-invalid" in html
    if field != "text":
        assert f'value="{value}"' in html  # what the officer typed stays in the field
    assert snapshot(draft) == before


def test_a_percentage_with_letters_is_refused(login):
    draft = make_draft()
    before = snapshot(draft)
    response = login("office_a").post(
        reverse("plans:import_target_save", args=[draft.pk, 0]),
        {"version": draft.version, **TARGET, "value": "5O"},
        HTTP_HX_REQUEST="true",
    )
    assert "«5O» không phải là số" in response.content.decode()
    assert snapshot(draft) == before


def test_a_stale_edit_is_refused_with_a_clear_message(login):
    draft = make_draft()
    client = login("office_a")
    url = reverse("plans:import_task_save", args=[draft.pk, 0, 0])
    loaded = draft.version  # both tabs loaded the page at this version
    assert client.post(url, {"version": loaded, **task(text="Bản của thẻ thứ nhất")}).status_code == 302
    before = snapshot(draft)
    response = client.post(url, {"version": loaded, **task(text="Bản cũ của thẻ thứ hai")}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Retarget"] == "#review-alerts"
    assert "vừa được thay đổi ở nơi khác" in response.content.decode()
    response = client.post(url, {"version": loaded, **task(text="Bản cũ của thẻ thứ hai")}, follow=True)
    assert "vừa được thay đổi ở nơi khác" in response.content.decode()
    assert snapshot(draft) == before
    assert draft.data["assignments"][0]["tasks"][0]["text"] == "Bản của thẻ thứ nhất"


def test_without_javascript_each_operation_redirects_back_to_the_block(login):
    draft = make_draft()
    client = login("office_a")
    response = client.post(reverse("plans:import_task_split", args=[draft.pk, 1, 0]), {"version": draft.version})
    assert response.status_code == 302 and response["Location"].endswith("#block-1")
    draft.refresh_from_db()
    assert len(draft.data["assignments"][1]["tasks"]) == 3
    client.post(reverse("plans:import_task_merge", args=[draft.pk, 1, 0]), {"version": draft.version})
    client.post(reverse("plans:import_task_delete", args=[draft.pk, 1, 1]), {"version": draft.version + 1})
    draft.refresh_from_db()
    assert len(draft.data["assignments"][1]["tasks"]) == 1 and draft.version == 5


def test_choosing_the_agency_of_an_unknown_name_clears_the_problem(login):
    draft = make_draft()
    client = login("office_a")
    page = client.get(reverse("plans:import_review", args=[draft.pk]))
    assert page.context["problems"] and 'data-testid="import-confirm" disabled' in page.content.decode()
    response = client.post(
        reverse("plans:import_block_save", args=[draft.pk, 3]),
        {"version": draft.version, "slot_0": agency("HCCB").pk},
        HTTP_HX_REQUEST="true",
    )
    assert "Sẵn sàng" in response.content.decode() and "Không còn lỗi" in response.content.decode()
    response = client.post(reverse("plans:import_confirm", args=[draft.pk]), {"version": draft.version + 1})
    plan = Plan.objects.get(source_sha256=draft.source_sha256)
    assert response["Location"] == f"/ke-hoach/{plan.pk}/"
    assert plan.tasks.filter(lead_agency__code="HCCB").count() == 1


def test_an_agency_of_another_province_is_not_accepted(login):
    draft = make_draft()
    before = snapshot(draft)
    response = login("office_a").post(
        reverse("plans:import_block_save", args=[draft.pk, 3]),
        {"version": draft.version, "slot_0": agency("SYT", "33").pk},
        HTTP_HX_REQUEST="true",
    )
    assert "không có trong danh mục của tỉnh" in response.content.decode()
    assert snapshot(draft) == before


def test_a_discarded_draft_is_read_only(login):
    draft = make_draft()
    client = login("office_a")
    client.post(reverse("plans:import_discard", args=[draft.pk]))
    response = client.post(
        reverse("plans:import_task_save", args=[draft.pk, 0, 0]), {"version": draft.version + 1, **task()}, follow=True
    )
    assert "Đã hủy" in response.content.decode() and "không sửa được nữa" in response.content.decode()


def test_a_confirmed_draft_leads_to_its_plan(login):
    draft = ready(make_draft())
    client = login("office_a")
    client.post(reverse("plans:import_confirm", args=[draft.pk]), {"version": draft.version})
    draft.refresh_from_db()
    response = client.get(reverse("plans:import_review", args=[draft.pk]))
    assert response.status_code == 302 and response["Location"] == f"/ke-hoach/{draft.plan_id}/"


def test_the_review_page_query_count_does_not_grow_with_the_plan(login, queries_of):
    small = make_draft()
    big = make_draft(
        content=(Path(__file__).resolve().parent / "fixtures" / "agency_plan.md").read_bytes(),
        name="agency_plan.md",
        extraction=None,
    )
    client = login("office_a")
    client.get(reverse("plans:import_review", args=[small.pk]))
    counts = [
        queries_of(lambda d=draft: client.get(reverse("plans:import_review", args=[d.pk]))) for draft in (small, big)
    ]
    assert counts[0] == counts[1]


@pytest.mark.parametrize("htmx", [True, False])
def test_a_row_that_is_gone_or_an_operation_that_does_not_apply_gives_a_clear_message(login, htmx):
    draft = make_draft()
    before = snapshot(draft)
    client = login("office_a")
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    for name, args, message in (
        ("import_task_save", [9, 0], "Không tìm thấy khối nhiệm vụ"),
        ("import_task_merge", [0, 0], "nhiệm vụ cuối của khối"),
        ("import_target_delete", [5], "Không tìm thấy chỉ tiêu"),
    ):
        response = client.post(
            reverse(f"plans:{name}", args=[draft.pk, *args]),
            {"version": draft.version, **task()},
            follow=not htmx,
            **headers,
        )
        assert response.status_code == 200 and message in response.content.decode()
        if htmx:
            assert response["HX-Retarget"] == "#review-alerts"
    assert snapshot(draft) == before


def test_htmx_split_merge_and_delete_answer_the_re_rendered_block(login):
    draft = make_draft()
    client = login("office_a")
    for name, args, tasks in (
        ("import_task_split", [1, 0], 3),
        ("import_task_merge", [1, 1], 2),
        ("import_task_delete", [1, 1], 1),
    ):
        draft.refresh_from_db()
        response = client.post(
            reverse(f"plans:{name}", args=[draft.pk, *args]), {"version": draft.version}, HTTP_HX_REQUEST="true"
        )
        html = response.content.decode()
        assert html.startswith('<article id="block-1"') and html.count('data-testid="task-save-1-') == tasks
    draft.refresh_from_db()
    assert [t["text"][:10] for t in draft.data["assignments"][1]["tasks"]] == ["Chủ trì tr"]
