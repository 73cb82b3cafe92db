"""The JSON API: exactly the pages' permissions, responses valid against the OpenAPI schema,
Vietnamese errors, CSRF on writes, no N+1."""

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse

from api.tests.openapi import validate_response
from plans.models import TaskStatus, TaskUpdate
from plans.services import tracking
from plans.tests.builders import make_plan, make_task

ALL = ["office_a", "office_b", "agency_a", "commune_a", "case_a", "leader_a", "national", "admin"]
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
POST_SYT = {
    "office_a": 201,
    "office_b": 404,
    "agency_a": 201,
    "commune_a": 404,
    "case_a": 403,
    "leader_a": 403,
    "national": 403,
    "admin": 403,
}


@pytest.fixture
def schema(db, office_a):
    client = Client()
    client.force_login(office_a)
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def world(db):
    today = tracking.today()
    plan = make_plan()
    w = {
        "plan": plan,
        "syt": make_task(
            plan, lead="SYT", cooperating=["CA"], projects=["DA1"], deadline=today + datetime.timedelta(days=3)
        ),
        "ca": make_task(plan, lead="CA", cooperating=["SYT"], deadline=today - datetime.timedelta(days=1)),
        "sgd": make_task(plan, lead="SGDDT"),
        "plan_b": make_plan("33"),
    }
    w["task_b"] = make_task(w["plan_b"], lead="SYT")
    plan.targets.create(text="100% xã có kế hoạch", comparator="=", value=100, unit="%", year=2026)
    plan.reporting_duties.create(frequency="quarterly", due="15 of last month of quarter", to_text="Công an tỉnh")
    return w


def _post(client, task, **payload):
    body = {"version": task.version, "text": "Cập nhật qua API", "percent": 40} | payload
    return client.post(f"/api/tasks/{task.pk}/updates", data=json.dumps(body), content_type="application/json")


def test_the_schema_and_docs_are_served_from_this_origin(login, schema):
    assert schema["info"]["title"] == "PCMT API" and schema["info"]["version"] == "1"
    assert {
        "/api/plans",
        "/api/plans/{plan_id}",
        "/api/tasks",
        "/api/tasks/{task_id}",
        "/api/tasks/{task_id}/updates",
    } <= set(schema["paths"])
    docs = login("agency_a").get("/api/docs")
    assert docs.status_code == 200 and "cdn." not in docs.content.decode() and "/static/ninja/" in docs.content.decode()
    assert reverse("api:openapi-json") == "/api/openapi.json"


@pytest.mark.parametrize("persona", ALL)
def test_get_plans(login, persona, world, schema):
    response = login(persona).get("/api/plans")
    assert response.status_code == VIEWERS[persona]
    body = validate_response(schema, "/api/plans", "GET", response)
    if response.status_code == 200:
        ids = {p["id"] for p in body["items"]}
        assert (world["plan"].pk in ids) == (persona != "office_b")
        assert (world["plan_b"].pk in ids) == (persona in ("office_b", "national"))
    else:
        assert body["detail"] == "Bạn không có quyền truy cập chức năng này."


@pytest.mark.parametrize("persona", ALL)
def test_get_a_plan(login, persona, world, schema):
    response = login(persona).get(f"/api/plans/{world['plan'].pk}")
    assert response.status_code == PLAN_A[persona]
    body = validate_response(schema, "/api/plans/{plan_id}", "GET", response)
    if persona == "office_a":
        assert body["counts"] == {
            "total": 3,
            "done_on_time": 0,
            "done_late": 0,
            "ongoing": 1,
            "no_deadline": 1,  # the task without a deadline is not counted as on time
            "overdue": 1,
            "waiting": 0,
        }
        assert body["targets"][0]["value"] == 100.0 and body["reporting_duties"][0]["frequency_label"] == "Hằng quý"
    if persona == "agency_a":
        assert body["counts"]["total"] == 2  # its own tasks only, as on the page
    if response.status_code == 404:
        assert body["detail"].startswith("Không tìm thấy")


@pytest.mark.parametrize("persona", ALL)
def test_get_tasks(login, persona, world, schema):
    response = login(persona).get("/api/tasks")
    assert response.status_code == VIEWERS[persona]
    body = validate_response(schema, "/api/tasks", "GET", response)
    if persona == "agency_a":
        assert [t["id"] for t in body["items"]] == [world["ca"].pk, world["syt"].pk]  # overdue first
        assert body["items"][0]["bucket"] == "overdue" and body["items"][0]["status_label"] == "Quá hạn"
        assert body["items"][1]["cooperating"][0]["code"] == "CA" and body["items"][1]["projects"] == ["DA1"]
    if persona == "office_b":
        assert [t["id"] for t in body["items"]] == [world["task_b"].pk]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("role=lead", ["syt"]),
        ("role=cooperate", ["ca"]),
        ("due=overdue", ["ca"]),
        ("due=7", ["syt"]),
        ("project=DA1", ["syt"]),
        ("limit=1", ["ca"]),
        ("limit=1&offset=1", ["syt"]),
    ],
)
def test_task_filters_like_my_tasks(login, world, schema, query, expected):
    response = login("agency_a").get("/api/tasks?" + query)
    body = validate_response(schema, "/api/tasks", "GET", response)
    assert [t["id"] for t in body["items"]] == [world[k].pk for k in expected]
    assert body["count"] == (2 if query.startswith("limit") else len(expected))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("plan=999999", "Kế hoạch không hợp lệ hoặc ngoài phạm vi của bạn."),
        ("due=3", "Thời hạn lọc không hợp lệ."),
        ("limit=500", "Phải nhỏ hơn hoặc bằng 200."),
        ("plan=abc", "Phải là số nguyên."),
    ],
)
def test_bad_filters_are_422_in_vietnamese(login, world, schema, query, message):
    response = login("agency_a").get("/api/tasks?" + query)
    assert response.status_code == 422
    body = validate_response(schema, "/api/tasks", "GET", response)
    assert message in [d["msg"] for d in body["detail"]]


def test_a_plan_of_another_province_is_not_a_valid_filter(login, world):
    response = login("office_a").get(f"/api/tasks?plan={world['plan_b'].pk}")
    assert response.status_code == 422


@pytest.mark.parametrize("persona", ALL)
def test_get_a_task(login, persona, world, schema, agency_a):
    tracking.record_progress(
        acting_user=agency_a, task=world["syt"], version=1, on=tracking.today(), text="Đã làm", percent=10
    )
    response = login(persona).get(f"/api/tasks/{world['syt'].pk}")
    assert response.status_code == TASK_SYT[persona]
    body = validate_response(schema, "/api/tasks/{task_id}", "GET", response)
    if persona == "agency_a":
        assert body["rights"] == {"update": True, "contribute": False, "manage": False}
        assert (
            body["updates"][0]["text"] == "Đã làm" and body["updates"][0]["unit"] == "Sở Y tế" and body["version"] == 2
        )
    if persona == "office_a":
        assert body["rights"] == {"update": True, "contribute": True, "manage": True}


@pytest.mark.parametrize("persona", ALL)
def test_post_an_update(login, persona, world, schema):
    task = world["syt"]
    response = _post(login(persona), task)
    assert response.status_code == POST_SYT[persona]
    body = validate_response(schema, "/api/tasks/{task_id}/updates", "POST", response)
    task.refresh_from_db()
    if response.status_code == 201:
        assert body["percent"] == 40 and body["kind"] == "progress" and task.progress == 40 and task.version == 2
    else:
        assert (task.progress, task.version) == (0, 1) and not TaskUpdate.objects.exists()


def test_a_cooperating_agency_cannot_post_an_update(login, world, schema):
    response = _post(login("agency_a"), world["ca"])
    assert response.status_code == 403
    assert validate_response(schema, "/api/tasks/{task_id}/updates", "POST", response)["detail"].startswith(
        "Chỉ cơ quan chủ trì"
    )
    assert not TaskUpdate.objects.exists()


def test_done_through_the_api(login, world, schema):
    response = _post(login("agency_a"), world["syt"], status="done", percent=None)
    assert response.status_code == 201
    world["syt"].refresh_from_db()
    assert world["syt"].status == TaskStatus.DONE and world["syt"].progress == 100


@pytest.mark.parametrize(
    ("payload", "loc", "message"),
    [
        ({"percent": 150}, ["body", "payload", "percent"], "Phải nhỏ hơn hoặc bằng 100."),
        ({"text": ""}, ["body", "payload", "text"], "Không được để trống."),
        ({"version": "x"}, ["body", "payload", "version"], "Phải là số nguyên."),
        (
            {"status": "paused"},
            ["body", "payload", "status"],
            "Giá trị không hợp lệ; chọn một trong: 'in_progress' hoặc 'done'.",
        ),
        ({"on": "2099-01-01"}, ["body", "payload", "on"], "Ngày cập nhật không được sau ngày hôm nay."),
        ({"on": "31/12/2026"}, ["body", "payload", "on"], "Ngày không hợp lệ (dạng YYYY-MM-DD)."),
    ],
)
def test_invalid_updates_are_422_in_vietnamese_and_change_nothing(login, world, schema, payload, loc, message):
    response = _post(login("agency_a"), world["syt"], **payload)
    assert response.status_code == 422
    body = validate_response(schema, "/api/tasks/{task_id}/updates", "POST", response)
    assert {"loc": loc, "msg": message} in [{"loc": d["loc"], "msg": d["msg"]} for d in body["detail"]]
    world["syt"].refresh_from_db()
    assert world["syt"].version == 1 and not TaskUpdate.objects.exists()


def test_a_missing_field_is_named(login, world):
    response = login("agency_a").post(
        f"/api/tasks/{world['syt'].pk}/updates", data=json.dumps({"text": "x"}), content_type="application/json"
    )
    assert response.status_code == 422
    assert {
        "loc": ["body", "payload", "version"],
        "msg": "Thiếu trường bắt buộc.",
        "type": "missing",
    } in response.json()["detail"]


def test_a_stale_version_is_409_with_the_current_version(login, world, schema, office_a):
    task = world["syt"]
    tracking.record_progress(acting_user=office_a, task=task, version=1, on=tracking.today(), text="Trước", percent=5)
    response = _post(login("agency_a"), task, version=1)
    assert response.status_code == 409
    body = validate_response(schema, "/api/tasks/{task_id}/updates", "POST", response)
    assert body["version"] == 2 and "đã được người khác cập nhật" in body["detail"]
    assert TaskUpdate.objects.count() == 1


def test_anonymous_is_401(world, client):
    response = client.get("/api/tasks")
    assert response.status_code == 401 and response.json()["detail"].startswith("Bạn cần đăng nhập")
    assert _post(client, world["syt"]).status_code == 401


def test_writes_need_the_csrf_token(world, agency_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(agency_a)
    response = _post(client, world["syt"])
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert not TaskUpdate.objects.exists()
    client.get(reverse("plans:my_tasks"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        f"/api/tasks/{world['syt'].pk}/updates",
        data=json.dumps({"version": 1, "text": "Có mã CSRF"}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 201


def test_reads_do_not_need_the_csrf_token(world, agency_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(agency_a)
    assert client.get("/api/tasks").status_code == 200


@pytest.mark.parametrize("url", ["/api/tasks", "/api/plans"])
def test_lists_have_no_n_plus_1(login, world, url, queries_of):
    client = login("agency_a")
    assert client.get(url).status_code == 200
    few = queries_of(lambda: client.get(url))
    for i in range(30):
        make_task(world["plan"], lead="SYT" if i % 2 else "CA", cooperating=["SYT", "SGDDT"], projects=["DA1", "DA2"])
        make_plan()
    assert queries_of(lambda: client.get(url)) == few


def test_task_detail_has_no_n_plus_1(login, world, agency_a, queries_of):
    client = login("agency_a")
    url = f"/api/tasks/{world['syt'].pk}"
    tracking.record_progress(
        acting_user=agency_a, task=world["syt"], version=world["syt"].version, on=tracking.today(), text="Lần đầu"
    )
    assert client.get(url).status_code == 200
    few = queries_of(lambda: client.get(url))  # one update (an empty list skips its prefetches)
    for i in range(8):
        tracking.record_progress(
            acting_user=agency_a, task=world["syt"], version=world["syt"].version, on=tracking.today(), text=f"Lần {i}"
        )
    assert queries_of(lambda: client.get(url)) == few
