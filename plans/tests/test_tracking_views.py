"""Every tracking page and form × persona: in scope 200/302, wrong role 403, other province 404,
database unchanged on refusal; lists without N+1."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from core.tests import samples
from plans.models import DeadlineExtension, Task, TaskAttachment, TaskStatus, TaskUpdate
from plans.services import tracking
from plans.tests.builders import make_plan, make_task

ALL = ["office_a", "office_b", "agency_a", "commune_a", "case_a", "leader_a", "national", "admin"]
S = TaskStatus
PDF = samples.PDF


def expect(**codes):
    """Expected status per persona: defaults, then overrides."""
    return codes


def today():
    return tracking.today()


@pytest.fixture
def world(db, agency_a, office_a):
    """Province A: a plan with tasks led by Sở Y tế, by the police (Sở Y tế cooperates), by every
    commune, by another department; province B: a plan with one task."""
    plan = make_plan()
    soon = today() + datetime.timedelta(days=5)
    w = {
        "plan": plan,
        "syt": make_task(plan, lead="SYT", cooperating=["CA"], deadline=soon, projects=["DA1"]),
        "ca": make_task(plan, lead="CA", cooperating=["SYT"], deadline=soon, projects=["DA3.1"]),
        "communes": make_task(plan, lead="UBNDX", deadline=soon),
        "sgd": make_task(plan, lead="SGDDT", deadline=today() - datetime.timedelta(days=2)),
        "waiting": make_task(plan, lead="SYT", status=S.WAITING_GUIDANCE, condition="sau khi Bộ Y tế có hướng dẫn"),
        "plan_b": make_plan("33"),
    }
    w["task_b"] = make_task(w["plan_b"], lead="SYT", deadline=soon)
    update = tracking.record_progress(
        acting_user=agency_a,
        task=w["syt"],
        version=1,
        on=today(),
        text="Đã triển khai",
        percent=30,
        files=[SimpleUploadedFile("bao-cao.pdf", PDF)],
    )
    w["syt"].refresh_from_db()
    w["attachment"] = TaskAttachment.objects.get(update=update)
    return w


# GET pages ---------------------------------------------------------------------------------------------

VIEWERS = {
    "office_a": 200,
    "office_b": 200,
    "agency_a": 200,
    "commune_a": 200,
    "case_a": 403,
    "leader_a": 200,
    "national": 200,
    "admin": 403,
}
PLAN_A = VIEWERS | {"office_b": 404}
TASK_SYT = PLAN_A | {"commune_a": 404, "national": 403}  # a task page (names, files) is not for national viewers
OFFICERS = {p: 403 for p in ALL} | {"agency_a": 200, "commune_a": 200, "admin": 403}
REPORTS_A = {
    "office_a": 200,
    "office_b": 404,
    "agency_a": 403,
    "commune_a": 403,
    "case_a": 403,
    "leader_a": 200,
    "national": 200,
    "admin": 403,
}


@pytest.mark.parametrize("persona", ALL)
def test_plan_list(login, persona, world):
    response = login(persona).get(reverse("plans:plan_list"))
    assert response.status_code == VIEWERS[persona]
    if response.status_code == 200:
        ids = {p.pk for p in response.context["page"].object_list}
        assert (world["plan"].pk in ids) == (persona != "office_b")
        assert (world["plan_b"].pk in ids) == (persona in ("office_b", "national"))


@pytest.mark.parametrize("persona", ALL)
def test_plan_detail(login, persona, world):
    response = login(persona).get(reverse("plans:plan_detail", args=[world["plan"].pk]))
    assert response.status_code == PLAN_A[persona]
    if persona == "agency_a":  # an agency sees only its own tasks of the plan
        shown = {t.pk for t in response.context["page"].object_list}
        assert shown == {world["syt"].pk, world["ca"].pk, world["waiting"].pk}
        assert response.context["counts"].total == 3
    if persona == "office_a":
        assert response.context["counts"].total == 5 and response.context["counts"].overdue == 1


@pytest.mark.parametrize("persona", ALL)
def test_task_detail(login, persona, world):
    response = login(persona).get(reverse("plans:task_detail", args=[world["syt"].pk]))
    assert response.status_code == TASK_SYT[persona]
    if response.status_code == 200:
        body = response.content.decode()
        assert "Đã triển khai" in body and "bao-cao.pdf" in body
        assert ('data-testid="progress-form"' in body) == (persona in ("office_a", "agency_a"))
        assert ('data-testid="contribution-form"' in body) is False


def test_a_cooperating_agency_sees_the_contribution_form_only(login, world):
    body = login("agency_a").get(reverse("plans:task_detail", args=[world["ca"].pk])).content.decode()
    assert 'data-testid="contribution-form"' in body and 'data-testid="progress-form"' not in body


def test_a_waiting_task_shows_the_guidance_form(login, world):
    body = login("agency_a").get(reverse("plans:task_detail", args=[world["waiting"].pk])).content.decode()
    assert 'data-testid="guidance-form"' in body and 'data-testid="progress-form"' not in body


def test_a_task_of_another_agency_is_404_and_a_missing_one_too(login, world):
    client = login("agency_a")
    assert client.get(reverse("plans:task_detail", args=[world["sgd"].pk])).status_code == 404
    assert client.get(reverse("plans:task_detail", args=[999999])).status_code == 404


def test_the_commune_officer_sees_the_commune_task(login, world):
    assert login("commune_a").get(reverse("plans:task_detail", args=[world["communes"].pk])).status_code == 200


@pytest.mark.parametrize("persona", ALL)
def test_my_tasks(login, persona, world):
    response = login(persona).get(reverse("plans:my_tasks"))
    assert response.status_code == OFFICERS[persona]
    if persona == "agency_a":
        rows = list(response.context["page"].object_list)
        assert {t.pk for t in rows} == {world["syt"].pk, world["ca"].pk, world["waiting"].pk}
        roles = {t.pk: t.as_lead for t in rows}
        assert roles[world["syt"].pk] and not roles[world["ca"].pk]
        assert 'data-testid="task-row"' in response.content.decode()
    if persona == "commune_a":
        assert [t.pk for t in response.context["page"].object_list] == [world["communes"].pk]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("role=lead", {"syt", "waiting"}),
        ("role=cooperate", {"ca"}),
        ("due=7", {"syt", "ca"}),
        ("due=overdue", set()),
        ("status=waiting_guidance", {"waiting"}),
        ("project=DA3", {"ca"}),
        ("project=none", {"waiting"}),
        ("q=tuyên truyền", {"syt", "ca", "waiting"}),
        ("plan=999999", {"syt", "ca", "waiting"}),  # an invalid value is ignored, never an error page
    ],
)
def test_my_tasks_filters(login, world, query, expected):
    response = login("agency_a").get(reverse("plans:my_tasks") + "?" + query)
    assert {t.pk for t in response.context["page"].object_list} == {world[k].pk for k in expected}


def test_my_tasks_answers_htmx_with_the_table_only(login, world):
    response = login("agency_a").get(reverse("plans:my_tasks") + "?role=lead", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and 'data-testid="task-row"' in body


def test_my_tasks_puts_overdue_first(login, world, agency_a):
    late = make_task(world["plan"], lead="SYT", deadline=today() - datetime.timedelta(days=1))
    rows = list(login("agency_a").get(reverse("plans:my_tasks")).context["page"].object_list)
    assert rows[0].pk == late.pk and rows[-1].pk == world["waiting"].pk
    assert rows[0].days_late == 1


def test_my_tasks_has_no_n_plus_1(login, world, queries_of):
    client = login("agency_a")
    client.get(reverse("plans:my_tasks"))
    few = queries_of(lambda: client.get(reverse("plans:my_tasks")))
    for i in range(40):
        make_task(
            world["plan"],
            lead="SYT" if i % 2 else "CA",
            cooperating=["SYT", "SGDDT"],
            projects=["DA1", "DA2"],
            deadline=today() + datetime.timedelta(days=i - 10),
        )
    assert queries_of(lambda: client.get(reverse("plans:my_tasks"))) == few
    assert len(client.get(reverse("plans:my_tasks")).context["page"].object_list) == 30


@pytest.mark.parametrize("name", ["plans:task_list", "plans:overdue", "plans:matrix", "plans:by_project"])
@pytest.mark.parametrize("persona", ALL)
def test_office_reports(login, persona, name, world):
    response = login(persona).get(reverse(name) + "?province=66")
    assert response.status_code == REPORTS_A[persona]


def test_the_overdue_list_has_only_overdue_tasks(login, world):
    response = login("leader_a").get(reverse("plans:overdue"))
    assert [t.pk for t in response.context["page"].object_list] == [world["sgd"].pk]


def test_office_b_gets_its_own_province_by_default(login, world):
    response = login("office_b").get(reverse("plans:task_list"))
    assert response.status_code == 200 and response.context["province"].code == "33"
    assert [t.pk for t in response.context["page"].object_list] == [world["task_b"].pk]


def test_the_matrix_links_each_cell_to_the_filtered_list(login, world):
    response = login("office_a").get(reverse("plans:matrix") + "?province=66")
    rows = {r.label: r for r in response.context["rows"]}
    total, *cells = rows["Sở Giáo dục và Đào tạo"].cells
    assert total[1] == 1
    label, overdue_count, overdue_url = cells[3]
    assert label == "Quá hạn"
    assert (
        overdue_count == 1
        and "bucket=overdue" in overdue_url
        and f"agency={world['sgd'].lead_agency_id}" in overdue_url
    )
    listed = login("office_a").get(overdue_url)
    assert [t.pk for t in listed.context["page"].object_list] == [world["sgd"].pk]
    # The task for every commune counts once per commune (its units), the others once each.
    assert response.context["totals"].total == 4 + world["communes"].units.count()
    assert rows["UBND cấp xã"].counts.total == world["communes"].units.count() > 1


def test_the_project_view_counts_sub_projects_in_their_project(login, world):
    response = login("office_a").get(reverse("plans:by_project") + "?province=66")
    rows = {r.key: r.counts for r in response.context["rows"]}
    assert rows["DA3"].total == 1 and rows["DA1"].total == 1 and rows["none"].total == 3


@pytest.mark.parametrize("name", ["plans:task_list", "plans:matrix", "plans:by_project", "plans:plan_list"])
def test_report_pages_have_no_n_plus_1(login, world, name, queries_of):
    client = login("office_a")
    assert client.get(reverse(name)).status_code == 200
    few = queries_of(lambda: client.get(reverse(name)))
    for i in range(40):
        make_task(
            world["plan"],
            lead=["SYT", "CA", "SGDDT", "STP"][i % 4],
            cooperating=["SYT", "CA"],
            projects=["DA1", "DA3.1"],
            deadline=today() + datetime.timedelta(days=i - 20),
        )
    assert queries_of(lambda: client.get(reverse(name))) == few


def test_plan_detail_has_no_n_plus_1(login, world, queries_of):
    client = login("office_a")
    url = reverse("plans:plan_detail", args=[world["plan"].pk])
    assert client.get(url).status_code == 200
    few = queries_of(lambda: client.get(url))
    for _ in range(40):
        make_task(world["plan"], lead="SYT", cooperating=["CA"], projects=["DA1"])
    assert queries_of(lambda: client.get(url)) == few


def test_task_detail_has_no_n_plus_1(login, world, agency_a, queries_of):
    task = world["syt"]
    client = login("agency_a")
    url = reverse("plans:task_detail", args=[task.pk])
    assert client.get(url).status_code == 200
    few = queries_of(lambda: client.get(url))
    for i in range(10):
        task.refresh_from_db()
        tracking.record_progress(
            acting_user=agency_a,
            task=task,
            version=task.version,
            on=today(),
            text=f"Lần {i}",
            percent=i,
            files=[SimpleUploadedFile(f"{i}.pdf", PDF), SimpleUploadedFile(f"{i}b.pdf", PDF)],
        )
    assert queries_of(lambda: client.get(url)) == few


@pytest.mark.parametrize("persona", ALL)
def test_attachment_download(login, persona, world):
    response = login(persona).get(reverse("plans:attachment_download", args=[world["attachment"].pk]))
    assert response.status_code == TASK_SYT[persona]
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == PDF
        assert "attachment" in response["Content-Disposition"]


# POST forms ---------------------------------------------------------------------------------------------

ACTORS_SYT = {
    "office_a": 302,
    "office_b": 404,
    "agency_a": 302,
    "commune_a": 404,
    "case_a": 403,
    "leader_a": 403,
    "national": 403,
    "admin": 403,
}


def _snapshot(task):
    task.refresh_from_db()
    return (task.status, task.progress, task.deadline, task.version, task.updates.count(), task.extensions.count())


@pytest.mark.parametrize("persona", ALL)
def test_post_progress(login, persona, world):
    task = world["syt"]
    before = _snapshot(task)
    response = login(persona).post(
        reverse("plans:task_progress", args=[task.pk]),
        {
            "p-version": task.version,
            "p-on": today().strftime("%d/%m/%Y"),
            "p-status": "in_progress",
            "p-percent": "60",
            "p-text": "Đã hoàn thành 60%",
        },
    )
    assert response.status_code == ACTORS_SYT[persona]
    after = _snapshot(task)
    assert (after[1] == 60) == (response.status_code == 302)
    if response.status_code != 302:
        assert after == before


def test_a_cooperating_agency_posting_progress_gets_403(login, world):
    before = _snapshot(world["ca"])
    response = login("agency_a").post(reverse("plans:task_progress", args=[world["ca"].pk]), {"p-text": "x"})
    assert response.status_code == 403 and _snapshot(world["ca"]) == before


def test_progress_with_a_file_and_done(login, world):
    task = world["syt"]
    response = login("agency_a").post(
        reverse("plans:task_progress", args=[task.pk]),
        {
            "p-version": task.version,
            "p-on": today().strftime("%d/%m/%Y"),
            "p-status": "done",
            "p-percent": "",
            "p-text": "Hoàn thành",
            "p-files": [SimpleUploadedFile("ket-qua.pdf", PDF), SimpleUploadedFile("anh.png", samples.PNG)],
        },
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == S.DONE and task.progress == 100 and task.completed_on == today()
    assert TaskAttachment.objects.filter(update__task=task).count() == 3


def test_a_bad_file_is_refused_with_the_form_kept(login, world):
    task = world["syt"]
    before = _snapshot(task)
    response = login("agency_a").post(
        reverse("plans:task_progress", args=[task.pk]),
        {
            "p-version": task.version,
            "p-on": today().strftime("%d/%m/%Y"),
            "p-status": "in_progress",
            "p-text": "Nội dung giữ lại",
            "p-files": [SimpleUploadedFile("virus.pdf", b"MZ\x90")],
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and "không đúng định dạng .pdf" in body and "Nội dung giữ lại" in body
    assert _snapshot(task) == before


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bao-cao.docx", samples.docx_bomb(200 * 1024 * 1024), "khi giải nén quá lớn"),
        ("bao-cao.pdf", b"%PDF-1.4\n" + b"rac" * 100 + b"\n%%EOF\n", "tệp PDF bị hỏng"),
    ],
    ids=["docx-bomb", "pdf-malformed"],
)
def test_a_zip_bomb_or_a_malformed_pdf_attachment_is_refused(login, world, name, data, message):
    task = world["syt"]
    before = _snapshot(task), TaskAttachment.objects.count()
    response = login("agency_a").post(
        reverse("plans:task_progress", args=[task.pk]),
        {
            "p-version": task.version,
            "p-on": today().strftime("%d/%m/%Y"),
            "p-status": "in_progress",
            "p-text": "Kèm tệp",
            "p-files": [SimpleUploadedFile(name, data)],
        },
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert (_snapshot(task), TaskAttachment.objects.count()) == before


def test_invalid_input_is_refused_in_vietnamese(login, world):
    task = world["syt"]
    before = _snapshot(task)
    response = login("agency_a").post(
        reverse("plans:task_progress", args=[task.pk]),
        {
            "p-version": task.version,
            "p-on": "31/02/2026",
            "p-status": "in_progress",
            "p-percent": "150",
            "p-text": "",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ngày 31/02/2026 không tồn tại." in body
    assert "Tiến độ phải từ 0 đến 100%." in body and "Hãy nhập nội dung cập nhật." in body
    assert _snapshot(task) == before


def test_a_stale_form_is_re_rendered_with_the_users_input_and_the_new_version(login, world, office_a):
    task = world["syt"]
    opened_at = task.version
    tracking.record_progress(
        acting_user=office_a, task=task, version=opened_at, on=today(), text="Cơ quan Thường trực cập nhật", percent=45
    )
    before = _snapshot(task)
    response = login("agency_a").post(
        reverse("plans:task_progress", args=[task.pk]),
        {
            "p-version": opened_at,
            "p-on": today().strftime("%d/%m/%Y"),
            "p-status": "in_progress",
            "p-percent": "70",
            "p-text": "Nội dung của Sở Y tế",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and "Nhiệm vụ đã được người khác cập nhật" in body
    assert "Nội dung của Sở Y tế" in body and "Cơ quan Thường trực cập nhật" in body
    assert f'name="p-version" value="{opened_at + 1}"' in body
    assert _snapshot(task) == before
    # resubmitting the kept input now succeeds
    response = login("agency_a").post(
        reverse("plans:task_progress", args=[task.pk]),
        {
            "p-version": opened_at + 1,
            "p-on": today().strftime("%d/%m/%Y"),
            "p-status": "in_progress",
            "p-percent": "70",
            "p-text": "Nội dung của Sở Y tế",
        },
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.progress == 70


CONTRIBUTORS_CA = ACTORS_SYT


@pytest.mark.parametrize("persona", ALL)
def test_post_contribution(login, persona, world):
    task = world["ca"]
    before = _snapshot(task)
    response = login(persona).post(
        reverse("plans:task_contribute", args=[task.pk]),
        {
            "c-on": today().strftime("%d/%m/%Y"),
            "c-text": "Đã phối hợp",
        },
    )
    assert response.status_code == CONTRIBUTORS_CA[persona]
    assert (task.updates.filter(kind=TaskUpdate.Kind.CONTRIBUTION).count() == 1) == (response.status_code == 302)
    if response.status_code != 302:
        assert _snapshot(task) == before


@pytest.mark.parametrize("persona", ALL)
def test_post_status(login, persona, world):
    task = world["syt"]
    before = _snapshot(task)
    response = login(persona).post(
        reverse("plans:task_status", args=[task.pk]),
        {
            "s-version": task.version,
            "s-status": "paused",
            "s-note": "Chờ kinh phí",
        },
    )
    assert response.status_code == ACTORS_SYT[persona]
    task.refresh_from_db()
    assert (task.status == S.PAUSED) == (response.status_code == 302)
    if response.status_code != 302:
        assert _snapshot(task) == before


@pytest.mark.parametrize("persona", ALL)
def test_post_guidance(login, persona, world):
    task = world["waiting"]
    before = _snapshot(task)
    response = login(persona).post(
        reverse("plans:task_guidance", args=[task.pk]),
        {
            "g-version": task.version,
            "g-received_on": today().strftime("%d/%m/%Y"),
            "g-document": "CV 12/BYT",
            "g-status": "in_progress",
        },
    )
    expected = ACTORS_SYT[persona]
    assert response.status_code == expected
    task.refresh_from_db()
    assert (task.status == S.IN_PROGRESS) == (expected == 302)
    if expected != 302:
        assert _snapshot(task) == before


@pytest.mark.parametrize("persona", ALL)
def test_post_extension_request(login, persona, world):
    task = world["syt"]
    response = login(persona).post(
        reverse("plans:task_extension", args=[task.pk]),
        {
            "e-new_deadline": (today() + datetime.timedelta(days=60)).strftime("%d/%m/%Y"),
            "e-reason": "Chờ kinh phí",
        },
    )
    assert response.status_code == ACTORS_SYT[persona]
    assert DeadlineExtension.objects.filter(task=task).exists() == (response.status_code == 302)


def test_an_extension_request_with_a_past_date_is_refused(login, world):
    task = world["syt"]
    response = login("agency_a").post(
        reverse("plans:task_extension", args=[task.pk]),
        {
            "e-new_deadline": today().strftime("%d/%m/%Y"),
            "e-reason": "x",
        },
    )
    assert response.status_code == 200 and "Thời hạn đề nghị phải sau ngày hôm nay." in response.content.decode()
    assert not DeadlineExtension.objects.exists()


DECIDERS = {p: 403 for p in ALL} | {"office_a": 302, "office_b": 404, "admin": 403}


@pytest.mark.parametrize("persona", ALL)
def test_post_extension_decision(login, persona, world, agency_a):
    task = world["syt"]
    new = today() + datetime.timedelta(days=60)
    ext = tracking.request_extension(acting_user=agency_a, task=task, new_deadline=new, reason="Chờ kinh phí")
    before = _snapshot(task)
    response = login(persona).post(
        reverse("plans:extension_decide", args=[ext.pk]), {"d-decision": "grant", "d-note": ""}
    )
    assert response.status_code == DECIDERS[persona]
    task.refresh_from_db()
    ext.refresh_from_db()
    assert (task.deadline == new) == (response.status_code == 302)
    if response.status_code != 302:
        assert _snapshot(task) == before and ext.status == DeadlineExtension.Status.PENDING


def test_the_office_sees_the_pending_request_and_refuses_it(login, world, agency_a):
    task = world["syt"]
    ext = tracking.request_extension(
        acting_user=agency_a, task=task, new_deadline=today() + datetime.timedelta(days=30), reason="Lý do A"
    )
    client = login("office_a")
    assert 'data-testid="decision-form"' in client.get(reverse("plans:task_detail", args=[task.pk])).content.decode()
    response = client.post(reverse("plans:extension_decide", args=[ext.pk]), {"d-decision": "refuse", "d-note": ""})
    assert response.status_code == 200 and "Hãy ghi ý kiến" in response.content.decode()
    response = client.post(
        reverse("plans:extension_decide", args=[ext.pk]), {"d-decision": "refuse", "d-note": "Không đủ căn cứ"}
    )
    assert response.status_code == 302
    ext.refresh_from_db()
    assert ext.status == DeadlineExtension.Status.REFUSED


@pytest.mark.parametrize(
    "name",
    [
        "plans:task_progress",
        "plans:task_contribute",
        "plans:task_status",
        "plans:task_guidance",
        "plans:task_extension",
    ],
)
def test_get_on_a_form_url_is_405(login, world, name):
    assert login("office_a").get(reverse(name, args=[world["syt"].pk])).status_code == 405


def test_anonymous_users_are_sent_to_login(client, world):
    response = client.get(reverse("plans:my_tasks"))
    assert response.status_code == 302 and "/tai-khoan/" in response["Location"]


def test_navigation_links(login, world):
    assert reverse("plans:my_tasks") in login("agency_a").get("/").content.decode()
    body = login("office_a").get("/").content.decode()
    assert reverse("plans:plan_list") in body and reverse("plans:my_tasks") not in body


def test_tasks_of_a_replaced_plan_leave_my_tasks(login, world):
    plan = world["plan"]
    plan.status = plan.Status.REPLACED
    plan.save(update_fields=["status"])
    assert not login("agency_a").get(reverse("plans:my_tasks")).context["page"].object_list
    assert Task.objects.filter(plan=plan).exists()


def test_the_home_page_shows_my_overdue_and_due_soon_counts(login, world):
    make_task(world["plan"], lead="SYT", deadline=today() - datetime.timedelta(days=3))
    response = login("agency_a").get("/")
    assert response.context["task_alerts"] == {"overdue": 1, "due7": 2, "mine": True}  # led and cooperating
    assert 'data-testid="home-task-alerts"' in response.content.decode()
    office = login("office_a").get("/")
    assert office.context["task_alerts"]["overdue"] == 2 and not office.context["task_alerts"]["mine"]
    assert login("leader_a").get("/").context["task_alerts"] is None


def _decision_state(task, ext):
    task.refresh_from_db()
    ext.refresh_from_db()
    return (
        task.deadline,
        task.version,
        ext.status,
        ext.decided_by_id,
        ext.decided_at,
        ext.decision_note,
        AuditEvent.objects.filter(action__startswith="task.extension_").count(),
    )


@pytest.mark.parametrize(
    ("second_by", "data"),
    [
        ("office_a", {"d-decision": "grant", "d-note": ""}),  # a double click
        ("office_a", {"d-decision": "refuse", "d-note": ""}),  # refusing without a note
        ("office_a", {"d-decision": "refuse", "d-note": "Không đồng ý"}),
    ],
)
def test_deciding_an_extension_twice_says_it_was_decided_and_changes_nothing(login, world, agency_a, second_by, data):
    task = world["syt"]
    ext = tracking.request_extension(
        acting_user=agency_a, task=task, new_deadline=today() + datetime.timedelta(days=60), reason="Chờ kinh phí"
    )
    url = reverse("plans:extension_decide", args=[ext.pk])
    assert login("office_a").post(url, {"d-decision": "grant", "d-note": ""}).status_code == 302
    before = _decision_state(task, ext)
    response = login(second_by).post(url, data, follow=True)
    assert response.redirect_chain == [(reverse("plans:task_detail", args=[task.pk]), 302)]
    assert "Đề nghị này đã được xem xét." in response.content.decode()
    assert _decision_state(task, ext) == before
