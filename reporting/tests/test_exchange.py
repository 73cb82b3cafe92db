"""Data exchange: CSV and DHIS2 JSON, every error kind with its row, all-or-nothing, idempotent
re-import, dry run, history, locks; the pages and the API router with their permissions.

The clock stands on 20/09/2026: 2026Q3 (administrative, 15/06–14/09, due 15/09) is open until
25/09; 2026Q2 and earlier are closed; 2026Q4 has not begun."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import include, path, reverse

from conftest import follow_job
from reporting.models import DataValue, Submission, ValueChange
from reporting.services import exchange
from reporting.tests.builders_consolidation import PROVINCE_A, PROVINCE_B, agency_world, commune_world, communes_of

PERSONAS = ["office_a", "office_b", "agency_a", "commune_a", "case_a", "leader_a", "national", "admin"]
D = Decimal


def _api_urls():
    from ninja import NinjaAPI

    from reporting.api import build_router

    api = NinjaAPI(urls_namespace="exchange-test", docs_url=None)
    api.add_router("/reporting/", build_router())
    return api.urls


urlpatterns = [path("api-test/", _api_urls()), path("", include("pcmt.urls"))]
API = "/api-test/reporting/data-values"


NOW = dt.datetime(2026, 9, 20, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(db):
    return commune_world()


def full(org_unit: str, period: str = "2026Q3", **values: object) -> list[str]:
    """CSV lines with every required total of the ZC form (a report that may be submitted)."""
    cells = {"ZC_SUM": 14, "ZC_AVG": 12.5, "ZC_MAX": 5, "ZC_LAST": 100, "ZC_DEN": 1} | values
    return [f"{code},{period},{org_unit},default,{value}" for code, value in cells.items()]


def csv_bytes(*rows: str) -> bytes:
    return ("dataElement,period,orgUnit,categoryOptionCombo,value\n" + "\n".join(rows) + "\n").encode()


def run(user, data: bytes, **kw):
    rows, errors = exchange.read_csv(data)
    return exchange.import_values(acting_user=user, rows=rows, errors=errors, **kw)


def value(sub_filter: dict, code: str, category: str = "") -> Decimal | None:
    v = DataValue.objects.filter(
        submission__in=Submission.objects.filter(**sub_filter), element__code=code, category=category
    ).first()
    return v.value if v else None


def test_csv_import_creates_submitted_reports_with_history(world, office_a):
    a1, a2, a3 = world.communes[PROVINCE_A]
    result = run(office_a, csv_bytes(*full(a2), f"ZC_SUM,2026Q3,{a2},M,9"))
    assert result.ok and (result.created, result.updated, result.unchanged, result.submissions_created) == (6, 0, 0, 1)
    sub = Submission.objects.get(commune_id=a2, period="2026Q3")
    assert sub.status == "submitted" and sub.submitted_by == office_a and sub.first_submitted_at is not None
    assert value({"pk": sub.pk}, "ZC_AVG") == D("12.5")
    assert ValueChange.objects.filter(submission=sub).count() == 6


def test_reimport_is_idempotent_and_updates_are_recorded(world, office_a):
    a2 = world.communes[PROVINCE_A][1]
    data = csv_bytes(f"ZC_SUM,2026Q3,{a2},default,14")
    assert run(office_a, data, status="draft").ok
    again = run(office_a, data, status="draft")
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert ValueChange.objects.filter(submission__period="2026Q3").count() == 1
    changed = run(office_a, csv_bytes(f"ZC_SUM,2026Q3,{a2},default,15"), status="draft")
    assert (changed.created, changed.updated) == (0, 1)
    change = ValueChange.objects.filter(submission__period="2026Q3", new="15").first()
    assert (change.old, change.new, change.changed_by) == ("14", "15", office_a)


def test_dry_run_reports_changes_and_writes_nothing(world, office_a):
    a1, a2, _ = world.communes[PROVINCE_A]
    before = (DataValue.objects.count(), Submission.objects.count(), ValueChange.objects.count())
    result = run(
        office_a,
        csv_bytes(f"ZC_SUM,2026Q3,{a2},default,14", f"ZC_SUM,2026Q3,{a1},default,999"),
        dry_run=True,
        status="draft",
    )
    # a1's 2026Q3 report is a draft with 999: unchanged; a2 has none yet.
    assert (
        result.ok
        and result.dry_run
        and (result.created, result.updated, result.unchanged, result.submissions_created) == (1, 0, 1, 1)
    )
    assert (DataValue.objects.count(), Submission.objects.count(), ValueChange.objects.count()) == before


def test_every_error_kind_is_reported_with_its_row_and_nothing_is_written(world, office_a):
    a1 = world.communes[PROVINCE_A][0]
    b1 = world.communes[PROVINCE_B][0]
    data = csv_bytes(
        f"ZC_SUM,2026Q3,{a1},default,1",  # 2: fine
        f"NOPE,2026Q3,{a1},default,1",  # 3: unknown element
        f"ZC_SUM,2026Q9,{a1},default,1",  # 4: unknown period
        "ZC_SUM,2026Q3,99999,default,1",  # 5: unknown unit
        f"ZC_SUM,2026Q3,{b1},default,1",  # 6: out of scope
        f"ZC_SUM,2026Q3,{a1},M,abc",  # 7: not a number
        f"ZC_SUM,2026Q3,{a1},default,2",  # 8: duplicate of 2
        f"ZC_SUM,2026Q3,{a1},U18,1",  # 9: category not for this element
        f"ZC_MAX,2026Q3,{a1},default,-4",  # 10: negative
        f"ZC_MAX,2026Q3,{a1},default,1.5",  # 11: integer expected
        f"ZC_SUM,202607,{a1},default,1",  # 12: no monthly schedule
        "ZC_SUM,2026Q3",  # 13: wrong column count
    )
    before = DataValue.objects.count()
    result = run(office_a, data)
    assert not result.ok and DataValue.objects.count() == before
    by_row = {}
    for e in result.errors:
        by_row.setdefault(e.row, []).append(e.message)
    text = {row: " ".join(msgs) for row, msgs in by_row.items()}
    assert 2 not in text
    assert "không tồn tại" in text[3] and "NOPE" in text[3]
    assert "kỳ «2026Q9» không hợp lệ" in text[4]
    assert "«99999» không tồn tại" in text[5]
    assert "ngoài phạm vi" in text[6]
    assert "không phải là số" in text[7]
    assert "trùng với dòng 2" in text[8]
    assert "phân tổ «U18»" in text[9]
    assert "Không nhận số âm" in text[10]
    assert "số nguyên" in text[11]
    assert "không có lịch báo cáo" in text[12]
    assert "cần đúng 5 cột" in text[13]
    assert str(result.errors[0]).startswith("Dòng ")


def test_approved_reports_are_locked(world, office_a):
    a1 = world.communes[PROVINCE_A][0]
    same = run(office_a, csv_bytes(f"ZC_SUM,2026Q2,{a1},default,10"), status="draft")
    assert same.ok and same.unchanged == 1  # re-importing approved figures unchanged is fine
    result = run(office_a, csv_bytes(f"ZC_SUM,2026Q2,{a1},default,11", f"ZC_SUM,2026Q3,{a1},default,5"), status="draft")
    assert not result.ok and result.errors[0].row == 2 and "đã được duyệt" in result.errors[0].message
    assert value({"commune_id": a1, "period": "2026Q2"}, "ZC_SUM") == D(10)
    assert value({"commune_id": a1, "period": "2026Q3"}, "ZC_SUM") == D(999)  # all or nothing


def test_returned_and_draft_reports_take_the_chosen_status(world, office_a):
    a1 = world.communes[PROVINCE_A][0]
    assert run(office_a, csv_bytes(*full(a1, ZC_SUM=5)), status="submitted").ok
    sub = Submission.objects.get(commune_id=a1, period="2026Q3")
    assert sub.status == "submitted" and sub.version == 2


def test_agency_units_and_json_round_trip(db, office_a):
    form, agencies = agency_world()
    exported = exchange.to_json(exchange.export_values(user=office_a, form=form, period="2026Q2"))
    assert {
        "dataElement": "ZA_SEIZED",
        "period": "2026Q2",
        "orgUnit": f"{PROVINCE_A}:SYT",
        "categoryOptionCombo": "default",
        "value": "12",
    } in exported["dataValues"]
    rows, errors = exchange.read_json(json.dumps(exported).encode())
    result = exchange.import_values(acting_user=office_a, rows=rows, errors=errors, dry_run=True)
    assert result.ok and result.unchanged == 2 and result.created == 0
    exported["dataValues"][0]["value"] = "13"
    rows, errors = exchange.read_json(exported)
    assert exchange.import_values(acting_user=office_a, rows=rows, errors=errors).ok is False  # approved: locked


def test_csv_round_trip_into_an_empty_period(world, office_a):
    a1, a2, _ = world.communes[PROVINCE_A]
    text = exchange.to_csv(exchange.export_values(user=office_a, form=world.form, period="2026Q2", province=PROVINCE_A))
    assert text.splitlines()[0] == ",".join(exchange.COLUMNS)
    assert f"ZC_SUM,2026Q2,{a1},M,6," in text and f"ZC_AVG,2026Q2,{a2},default,20," in text
    moved = text.replace("2026Q2", "2026Q3").encode()  # the open quarter (a1 has a draft there)
    result = run(office_a, moved, status="submitted")
    assert result.ok, result.errors
    assert result.created + result.updated == len(text.splitlines()) - 1
    back = exchange.to_csv(
        exchange.export_values(
            user=office_a, form=world.form, period="2026Q3", province=PROVINCE_A, include_submitted=True
        )
    )
    assert sorted(back.replace("2026Q3", "2026Q2").splitlines()) == sorted(text.splitlines())


def test_json_errors_are_numbered_by_position(world, office_a):
    rows, errors = exchange.read_json({"dataValues": [{"dataElement": "ZC_SUM"}, "x"]})
    assert [e.row for e in errors] == [1, 2]
    assert exchange.read_json(b"{not json")[1][0].message == "Nội dung không phải JSON hợp lệ."
    assert "dataValues" in exchange.read_json({"x": 1})[1][0].message


def test_bad_files_are_refused_in_vietnamese(world, office_a):
    assert "UTF-8" in str(run(office_a, b"ZC_SUM;\x81\x8d").errors[0])  # no text encoding at all
    assert "tiêu đề" in str(run(office_a, "ZC_SUM;ä".encode("latin-1")).errors[0])
    assert "tiêu đề" in str(run(office_a, b"a,b,c\n1,2,3\n").errors[0])
    assert "Không có giá trị" in str(run(office_a, csv_bytes()).errors[0])


def test_export_is_scoped(world, office_b, national):
    b_rows = list(exchange.export_values(user=office_b, form=world.form))
    assert b_rows and {r["orgUnit"] for r in b_rows} <= set(world.communes[PROVINCE_B])
    # Raw unit values stay in the province: the national monitor reads consolidated figures.
    assert list(exchange.export_values(user=national, form=world.form, period="2026Q2")) == []
    with_submitted = list(
        exchange.export_values(user=office_b, form=world.form, province=PROVINCE_A, include_submitted=True)
    )
    assert with_submitted == []


# ---- pages ---------------------------------------------------------------------------------

IMPORT_GET = {p: 403 for p in PERSONAS} | {"office_a": 200, "office_b": 200, "admin": 403}
EXPORT_GET = {p: 403 for p in PERSONAS} | {
    "office_a": 200,
    "office_b": 200,
    "leader_a": 200,
    "admin": 403,
}  # raw unit values stay in the province
EXPORT_A = EXPORT_GET | {"office_b": 404}


@pytest.mark.parametrize("persona", PERSONAS)
def test_import_page_permissions_and_scope(login, world, persona):
    client = login(persona)
    assert client.get(reverse("consolidation:exchange_import")).status_code == IMPORT_GET[persona]
    a2 = world.communes[PROVINCE_A][1]
    upload = io.BytesIO(csv_bytes(f"ZC_SUM,2026Q3,{a2},default,14"))
    upload.name = "values.csv"
    before = DataValue.objects.count()
    response = follow_job(
        client, client.post(reverse("consolidation:exchange_import"), {"file": upload, "status": "draft"})
    )
    expected = {"office_a": 200, "admin": 403, "office_b": 200}.get(persona, 403)
    assert response.status_code == expected
    assert DataValue.objects.count() == before + (1 if persona == "office_a" else 0)
    if persona == "office_a":
        assert "Đã nhập 1 giá trị: 1 mới" in response.content.decode()
    if persona == "office_b":  # the job fails and says why, in Vietnamese
        assert "ngoài phạm vi" in response.content.decode() and "Không nhập được" in response.content.decode()


def test_import_page_dry_run(login, world):
    a2 = world.communes[PROVINCE_A][1]
    upload = io.BytesIO(csv_bytes(f"ZC_SUM,2026Q3,{a2},default,14"))
    upload.name = "values.csv"
    before = DataValue.objects.count()
    client = login("office_a")
    response = follow_job(
        client,
        client.post(reverse("consolidation:exchange_import"), {"file": upload, "status": "draft", "dry_run": "on"}),
    )
    html = response.content.decode()
    assert "Kiểm tra thử (không ghi) 1 giá trị: 1 mới" in html and DataValue.objects.count() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_export_page_permissions(login, world, persona):
    client = login(persona)
    assert client.get(reverse("consolidation:exchange_export")).status_code == EXPORT_GET[persona]
    response = follow_job(
        client,
        client.get(
            reverse("consolidation:exchange_export"), {"province": PROVINCE_A, "format": "csv", "download": "1"}
        ),
    )
    assert response.status_code == EXPORT_A[persona]
    if response.status_code == 200:
        text = response.content.decode()
        assert text.startswith("dataElement,period,orgUnit,categoryOptionCombo,value")
        assert f"ZC_SUM,2026Q2,{world.communes[PROVINCE_A][0]},default,10" in text


def test_export_page_json(login, world):
    client = login("office_a")
    response = follow_job(
        client,
        client.get(reverse("consolidation:exchange_export"), {"format": "json", "period": "2026Q2", "download": "1"}),
    )
    data = json.loads(response.content)
    assert len(data["dataValues"]) == 14  # province A's approved values; B's 3 stay in B


# ---- API -----------------------------------------------------------------------------------

API_GET = {p: 403 for p in PERSONAS} | {"office_a": 200, "office_b": 404, "leader_a": 200, "admin": 403}
API_POST = {p: 403 for p in PERSONAS} | {"office_a": 200, "office_b": 400, "admin": 403}


@pytest.mark.urls("reporting.tests.test_exchange")
@pytest.mark.parametrize("persona", PERSONAS)
def test_api_export_permissions(login, world, persona):
    response = login(persona).get(API, {"province": PROVINCE_A, "period": "2026Q2"})
    assert response.status_code == API_GET[persona]
    if response.status_code == 200:
        assert {
            "dataElement": "ZC_SUM",
            "period": "2026Q2",
            "orgUnit": world.communes[PROVINCE_A][0],
            "categoryOptionCombo": "default",
            "value": "10",
        } in response.json()["dataValues"]


@pytest.mark.urls("reporting.tests.test_exchange")
@pytest.mark.parametrize("persona", PERSONAS)
def test_api_import_permissions(login, world, persona):
    a2 = world.communes[PROVINCE_A][1]
    body = {
        "dataValues": [
            {"dataElement": "ZC_SUM", "period": "2026Q3", "orgUnit": a2, "categoryOptionCombo": "default", "value": 14}
        ]
    }
    before = DataValue.objects.count()
    response = login(persona).post(f"{API}?status=draft", json.dumps(body), content_type="application/json")
    assert response.status_code == API_POST[persona]
    assert DataValue.objects.count() == before + (1 if API_POST[persona] == 200 else 0)


@pytest.mark.urls("reporting.tests.test_exchange")
def test_api_dry_run_csv_and_errors(login, world):
    client = login("office_a")
    a2 = world.communes[PROVINCE_A][1]
    before = DataValue.objects.count()
    response = client.post(
        f"{API}?dry_run=true&status=draft", csv_bytes(f"ZC_SUM,2026Q3,{a2},default,14"), content_type="text/csv"
    )
    assert response.status_code == 200 and response.json()["created"] == 1 and response.json()["dry_run"]
    assert DataValue.objects.count() == before
    bad = client.post(
        API,
        json.dumps({"dataValues": [{"dataElement": "X", "period": "2026Q3", "orgUnit": a2, "value": "1"}]}),
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["errors"][0] == {"row": 1, "message": "mã chỉ tiêu «X» không tồn tại."}
    csv_export = client.get(API, {"format": "csv", "period": "2026Q2", "province": PROVINCE_A})
    assert csv_export.content.decode().startswith("dataElement,")
    assert client.get(API, {"period": "2026Q9"}).status_code == 400
    assert client.get(API, {"form": "NOPE"}).status_code == 404


@pytest.mark.urls("reporting.tests.test_exchange")
def test_api_requires_session_and_csrf(world, office_a):
    assert Client().get(API).status_code == 401
    client = Client(enforce_csrf_checks=True)
    client.force_login(office_a)
    a2 = world.communes[PROVINCE_A][1]
    body = json.dumps({"dataValues": [{"dataElement": "ZC_SUM", "period": "2026Q3", "orgUnit": a2, "value": "1"}]})
    before = DataValue.objects.count()
    assert client.post(API, body, content_type="application/json").status_code == 403
    assert DataValue.objects.count() == before
    assert client.get(API).status_code == 200  # reading needs no token


def test_communes_helper_is_stable(db):
    assert communes_of(PROVINCE_A, 2) == communes_of(PROVINCE_A, 2)
