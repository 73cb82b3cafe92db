"""One gate for every path: the grid, CSV (PCMT's, DHIS2's, Excel's in Vietnamese), DHIS2 JSON and
the API share the value checker, the entry window and locks, the rules and outlier checks, and
never approve. Each test below reproduces a "wrong today" finding of issue 10 (items 5 and 6).

The clock stands on 20/11/2026 (`TODAY`): 2026Q4 (15/09–14/12) is open, 2026Q3 closed on 25/09,
2027Q1 begins on 15/12/2026.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.urls import include, path, reverse

from core import vn
from reporting.models import DataValue, Submission
from reporting.services import entry, exchange, gate, review
from reporting.services import schedules as S
from reporting.tests.builders_entry import (
    COMMUNE_A,
    TODAY,
    at,
    commune_schedule,
    commune_unit,
    office,
    open_sub,
    reporting_catalogue,  # noqa: F401
    save,
    submitted,
    valid_input,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reporting_catalogue")]
D = Decimal


def _api_urls():
    from ninja import NinjaAPI

    from reporting.api import build_router

    api = NinjaAPI(urls_namespace="gate-test", docs_url=None)
    api.add_router("/reporting/", build_router())
    return api.urls


urlpatterns = [path("api-gate/", _api_urls()), path("", include("pcmt.urls"))]
API = "/api-gate/reporting/data-values"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(at(TODAY), tick=False):
        yield


def report_lines(
    schedule, org_unit: str, period: str, notation=vn.Notation.CANONICAL, sep: str = ",", **cells: str
) -> list[str]:
    """A whole report (the grid's `valid_input`, `cells` overriding it) as CSV lines in `notation`."""
    spec = entry.form_spec(schedule.form)
    elements = spec.elements
    lines = []
    for name, typed in valid_input(schedule, **cells).items():
        _, code, category = name.split("-", 2)
        if not typed:
            continue
        stored = entry.parse_cell(elements[code], typed)
        lines.append(
            sep.join(
                [
                    code,
                    period,
                    org_unit,
                    "default" if category == "T" else category,
                    write(elements[code], stored, notation),
                ]
            )
        )
    return lines


def write(element, stored: gate.Stored, notation) -> str:
    if element.value_type == "date":
        return vn.format_date(stored.text, notation)
    if element.value_type == "boolean":
        return (
            ("true" if stored.value else "false")
            if notation is vn.Notation.CANONICAL
            else ("Có" if stored.value else "Không")
        )
    if element.value_type == "text":
        return stored.text
    return vn.format_number(stored.value, notation=notation)


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def to_cp1258(text: str) -> bytes:
    """What Excel writes in Windows-1258: letters with their tone as a combining mark when the code
    page has no precomposed letter."""
    import unicodedata

    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            tone = "".join(m for m in decomposed if m in _TONES)
            base = unicodedata.normalize("NFC", "".join(m for m in decomposed if m not in _TONES))
            out += (base + tone).encode("cp1258")
    return out


def csv_file(lines: list[str], sep: str = ",", extra: str = "") -> bytes:
    header = sep.join(["dataElement", "period", "orgUnit", "categoryOptionCombo", "value"]) + extra
    return ("\n".join([header, *lines]) + "\n").encode()


def run(data: bytes, **kw) -> exchange.ImportResult:
    rows, errors = exchange.read_csv(data)
    return exchange.import_values(acting_user=office(), rows=rows, errors=errors, on=TODAY, **kw)


def counts() -> tuple[int, int]:
    return DataValue.objects.count(), Submission.objects.count()


# — windows and locks —


def test_an_import_into_a_closed_period_needs_a_lock_exception():
    schedule = commune_schedule()
    data = csv_file(report_lines(schedule, COMMUNE_A, "2026Q3"))
    before = counts()
    refused = run(data)
    assert not refused.ok and counts() == before
    assert refused.errors[0].row == 2 and "Đã khóa nhập số liệu kỳ Quý III/2026" in refused.errors[0].message
    review.grant_lock_exception(
        acting_user=office(),
        schedule=schedule,
        period_id="2026Q3",
        unit=commune_unit(),
        until=TODAY + dt.timedelta(days=3),
        reason="Xã gửi bổ sung bằng tệp",
        on=TODAY,
    )
    accepted = run(data)
    assert accepted.ok, accepted.errors
    assert Submission.objects.get(commune_id=COMMUNE_A, period="2026Q3").status == "submitted"


@pytest.mark.parametrize("period", ["2033Q1", "2027Q1"])
def test_an_import_beyond_the_current_period_is_refused(period):
    schedule = commune_schedule()  # open-ended: no last period
    before = counts()
    result = run(csv_file(report_lines(schedule, COMMUNE_A, period)), status="draft")
    assert not result.ok and counts() == before
    assert "chưa bắt đầu" in result.errors[0].message and result.errors[0].row == 2


def test_an_import_never_changes_an_approved_report_but_its_unchanged_figures_pass():
    schedule = commune_schedule()
    sub = submitted(schedule, "2026Q3")
    review.approve_submission(acting_user=office(), submission=sub)
    same = run(csv_file(report_lines(schedule, COMMUNE_A, "2026Q3")))
    assert same.ok and same.unchanged == same.rows and same.created == same.updated == 0
    changed = run(csv_file(report_lines(schedule, COMMUNE_A, "2026Q3", MGMT_ADDICTS_T="5")))
    assert not changed.ok and "đã được duyệt" in changed.errors[0].message


# — the form's rules, completeness, status —


def test_a_part_larger_than_its_total_is_refused_in_a_file_with_its_row():
    schedule = commune_schedule()
    lines = report_lines(schedule, COMMUNE_A, "2026Q4", MGMT_ADDICTS_U18="9")
    row = next(i for i, line in enumerate(lines, start=2) if line.startswith("MGMT_ADDICTS,2026Q4,24133,U18,"))
    before = counts()
    result = run(csv_file(lines))
    assert not result.ok and counts() == before
    assert [(e.row, e.code) for e in result.errors][:1] == [
        (
            row,
            "rule:MGMT_ADDICTS:U18:Số người dưới 18 tuổi không được lớn hơn tổng số (Người nghiện ma túy có hồ sơ quản lý).",
        )
    ]
    draft = run(csv_file(lines), status="draft")  # a file is refused whatever status it asks for
    assert not draft.ok and counts() == before


def test_an_import_submits_only_a_complete_report_and_never_approves(login):
    schedule = commune_schedule()
    one = csv_file(["MGMT_ADDICTS,2026Q4,24133,default,4"])
    before = counts()
    result = run(one)
    assert not result.ok and counts() == before
    assert "còn thiếu" in result.errors[0].message and "chỉ tiêu bắt buộc" in result.errors[0].message
    with pytest.raises(ValueError):
        run(one, status="approved")
    draft = run(one, status="draft")
    assert draft.ok and Submission.objects.get(commune_id=COMMUNE_A, period="2026Q4").status == "draft"
    page = login("office_a").get(reverse("consolidation:exchange_import")).content.decode()
    assert 'value="approved"' not in page
    full = run(csv_file(report_lines(schedule, COMMUNE_A, "2026Q4")))
    assert full.ok and Submission.objects.get(commune_id=COMMUNE_A, period="2026Q4").status == "submitted"


# — outliers —


def test_an_unexplained_outlier_is_refused_in_a_file_with_its_row_and_an_explained_one_kept():
    schedule = commune_schedule()
    for period in ("2026Q1", "2026Q2", "2026Q3"):
        submitted(schedule, period)  # MGMT_ADDICTS 4 each quarter
    lines = report_lines(schedule, COMMUNE_A, "2026Q4", MGMT_ADDICTS_T="400")
    row = next(i for i, line in enumerate(lines, start=2) if line.startswith("MGMT_ADDICTS,2026Q4,24133,default,"))
    refused = run(csv_file(lines))
    assert [(e.row, e.code) for e in refused.errors] == [(row, "outlier:MGMT_ADDICTS")]
    assert "khác thường" in refused.errors[0].message and "comment" in refused.errors[0].message
    explained = [line + (",Sáp nhập hai xã từ 1/7" if i == row else ",") for i, line in enumerate(lines, start=2)]
    accepted = run(csv_file(explained, extra=",comment"))
    assert accepted.ok, accepted.errors
    sub = Submission.objects.get(commune_id=COMMUNE_A, period="2026Q4")
    assert entry.saved_values(sub)[1] == {"MGMT_ADDICTS": "Sáp nhập hai xã từ 1/7"}  # the grid shows it
    again = exchange.to_csv(exchange.export_values(user=office(), period="2026Q4", include_submitted=True))
    assert "MGMT_ADDICTS,2026Q4,24133,default,400,Sáp nhập hai xã từ 1/7" in again


# — notation —


def test_a_csv_saved_by_excel_in_vietnamese_is_read_in_vietnamese_notation():
    schedule = commune_schedule()
    lines = report_lines(
        schedule,
        COMMUNE_A,
        "2026Q4",
        vn.Notation.VIETNAMESE,
        ";",
        PLANTS_AREA_DETECTED_T="1.234,5",
        NOTES_T="Đã rà soát",
    )
    for encoding in ("utf-8", "cp1258", "utf-16"):
        text = csv_file(lines, ";").decode()
        data = to_cp1258(text) if encoding == "cp1258" else text.encode(encoding)
        result = run(data, dry_run=True)
        assert result.ok and result.notation == "vietnamese", (encoding, result.errors)
    tabbed = csv_file([line.replace(";", "\t") for line in lines], "\t")
    assert run(tabbed, dry_run=True).ok
    result = run(to_cp1258(csv_file(lines, ";").decode()))
    assert result.ok
    sub = Submission.objects.get(commune_id=COMMUNE_A, period="2026Q4")
    stored = entry.saved_values(sub)[0]
    assert stored[("PLANTS_AREA_DETECTED", "")].value == D("1234.5") and stored[("NOTES", "")].text == "Đã rà soát"
    assert stored[("SCREENING_DATE", "")].text == "2026-11-01"


@pytest.mark.parametrize(
    ("notation", "sep", "code", "typed", "expected", "refusal"),
    [
        (vn.Notation.VIETNAMESE, ";", "PLANTS_AREA_DETECTED", "12.5", None, "ambiguous"),  # Excel never writes this
        (vn.Notation.VIETNAMESE, ";", "PLANTS_AREA_DETECTED", "1,234.5", None, "ambiguous"),
        (vn.Notation.VIETNAMESE, ";", "PLANTS_AREA_DETECTED", "1.234", D(1234), ""),
        (vn.Notation.VIETNAMESE, ";", "PLANTS_AREA_DETECTED", "12,5", D("12.5"), ""),
        (vn.Notation.CANONICAL, ",", "PLANTS_AREA_DETECTED", "1.234", D("1.234"), ""),
        (vn.Notation.CANONICAL, ",", "PLANTS_AREA_DETECTED", '"1,5"', None, "not_number"),
        (vn.Notation.CANONICAL, ",", "MGMT_ADDICTS", "1.234", None, "not_integer"),
        (vn.Notation.CANONICAL, ",", "MGMT_ADDICTS", "1234", D(1234), ""),
    ],
)
def test_a_value_is_read_in_its_formats_notation_and_an_ambiguous_one_refused(
    notation, sep, code, typed, expected, refusal
):
    schedule = commune_schedule()
    big = {"MGMT_ADDICTS_T": "2.000", "PLANTS_AREA_DESTROYED_T": "0"}
    lines = [
        line
        for line in report_lines(schedule, COMMUNE_A, "2026Q4", notation, sep, **big)
        if not line.startswith(f"{code}{sep}2026Q4{sep}{COMMUNE_A}{sep}default{sep}")
    ]
    lines.append(sep.join([code, "2026Q4", COMMUNE_A, "default", typed]))
    result = run(csv_file(lines, sep), status="draft")
    if refusal:
        assert [e.code for e in result.errors] == [refusal] and result.errors[0].row == len(lines) + 1
        if refusal == "not_integer":
            assert "dấu chấm là dấu thập phân" in result.errors[0].message
    else:
        assert result.ok, result.errors
        sub = Submission.objects.get(commune_id=COMMUNE_A, period="2026Q4")
        assert entry.saved_values(sub)[0][(code, "")].value == expected


# — DHIS2 parameters —


@pytest.mark.urls("reporting.tests.test_gate")
def test_dhis2_parameters_are_honoured_or_refused_never_ignored(login):
    schedule = commune_schedule()
    client = login("office_a")
    body = json.dumps(
        {
            "dataValues": [
                {
                    "dataElement": code,
                    "period": "2026Q4",
                    "orgUnit": COMMUNE_A,
                    "categoryOptionCombo": coc,
                    "value": value,
                }
                for code, _, _, coc, value in (line.split(",") for line in report_lines(schedule, COMMUNE_A, "2026Q4"))
            ]
        }
    )
    before = counts()
    dry = client.post(f"{API}?dryRun=true", body, content_type="application/json")
    assert dry.status_code == 200 and dry.json()["dry_run"] and dry.json()["created"] > 0
    assert counts() == before  # today dryRun=true committed the import
    for query, word in (
        ("importStrategy=DELETE", "DELETE"),
        ("idScheme=UID", "idScheme=UID"),
        ("orgUnitIdScheme=NAME", "orgUnitIdScheme"),
        ("dryRun=perhaps", "dryRun"),
        ("preheatCache=true", "preheatCache"),
        ("status=approved", "approved"),
    ):
        refused = client.post(f"{API}?{query}", body, content_type="application/json")
        assert refused.status_code == 400 and word in refused.json()["errors"][0]["message"], query
        assert counts() == before
    done = client.post(f"{API}?importStrategy=CREATE_AND_UPDATE&idScheme=CODE", body, content_type="application/json")
    assert done.status_code == 200 and not done.json()["dry_run"]
    changed = json.loads(body)
    changed["dataValues"][0]["value"] = "5"
    create_only = client.post(f"{API}?importStrategy=CREATE", json.dumps(changed), content_type="application/json")
    assert create_only.status_code == 200 and create_only.json()["ignored"] == 1 and create_only.json()["updated"] == 0
    update = client.post(f"{API}?importStrategy=UPDATE", json.dumps(changed), content_type="application/json")
    assert update.status_code == 200 and update.json()["updated"] == 1


def test_dhis2_csv_and_json_shapes_are_read():
    schedule = commune_schedule()
    lines = report_lines(schedule, COMMUNE_A, "2026Q4")
    dhis2 = ["dataelement,period,orgunit,catoptcombo,attroptcombo,value,storedby,lastupdated,comment,followup"]
    dhis2 += [
        f"{c},{p},{o},{k},HllvX50cXC0,{v},admin,2026-11-01,,false" for c, p, o, k, v in (x.split(",") for x in lines)
    ]
    assert run(("\n".join(dhis2) + "\n").encode(), dry_run=True).ok
    rows, errors = exchange.read_json(
        {"period": "2026Q4", "orgUnit": COMMUNE_A, "dataValues": [{"dataElement": "MGMT_ADDICTS", "value": 4}]}
    )
    assert not errors and (rows[0].period, rows[0].org_unit) == ("2026Q4", COMMUNE_A)
    assert "completeDate" in exchange.read_json({"completeDate": "2026-11-01", "dataValues": []})[1][0].message
    assert (
        "deleted"
        in exchange.read_json(
            {"dataValues": [{"dataElement": "A", "period": "2026Q4", "orgUnit": "1", "value": 1, "deleted": True}]}
        )[1][0].message
    )


# — the quarter-end rush —


def test_a_double_submit_says_already_submitted_not_a_conflict(login):
    schedule = commune_schedule()
    sub = open_sub(schedule, "2026Q4")
    data = valid_input(schedule)
    stale = sub.version
    assert save(sub, data, submit=True, version=stale).submitted
    second = save(sub, data, submit=True, version=stale)  # the second click carried the same version
    assert second.ok and second.already and second.submitted and not second.conflict
    client = login("commune_a")
    form = {**valid_input(schedule), "version": str(stale), "action": "submit"}
    response = client.post(reverse("reporting:submission", args=[sub.pk]), form, follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and "Báo cáo đã nộp lúc" in html and "người khác lưu" not in html
    other = {**form, "v-MGMT_ADDICTS-T": "5"}  # different values on a stale version: still a conflict
    assert (
        "người khác lưu"
        in client.post(reverse("reporting:submission", args=[sub.pk]), other, follow=True).content.decode()
    )


def test_a_double_save_of_a_draft_saves_once_without_a_conflict():
    schedule = commune_schedule()
    sub = open_sub(schedule, "2026Q4")
    data = valid_input(schedule, MGMT_USERS_T="")
    stale = sub.version
    first = save(sub, data, version=stale)
    second = save(sub, data, version=stale)
    assert first.ok and second.ok and not second.conflict and second.changed == 0


def test_opening_a_report_twice_at_once_gives_one_report(monkeypatch):
    """The second opening read "no report yet" before the first inserted its own (simulated here;
    the threads on PostgreSQL below race for real)."""
    schedule = commune_schedule()
    first = open_sub(schedule, "2026Q4")
    original = entry._existing_submission
    calls = []

    def late(*args):
        calls.append(args)
        return None if len(calls) == 1 else original(*args)

    monkeypatch.setattr(entry, "_existing_submission", late)
    second = open_sub(schedule, "2026Q4")
    assert second.pk == first.pk and Submission.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two real transactions racing need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_transactions_opening_the_same_report_on_postgresql(e2e_data, monkeypatch):
    with time_machine.travel(at(TODAY), tick=False):
        schedule = commune_schedule()
    barrier = threading.Barrier(2, timeout=10)
    original = entry._existing_submission
    local = threading.local()

    def racing(*args):
        found = original(*args)
        if not getattr(local, "waited", False):
            local.waited = True
            barrier.wait()  # both have read "no report" before either inserts
        return found

    monkeypatch.setattr(entry, "_existing_submission", racing)
    results: list[object] = []

    def open_it():
        try:
            results.append(open_sub(schedule, "2026Q4").pk)
        except Exception as exc:  # noqa: BLE001 - the failure is the finding
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=open_it) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert len(results) == 2 and all(isinstance(r, int) for r in results), results
    assert results[0] == results[1] and Submission.objects.filter(period="2026Q4").count() == 1


def test_a_double_click_on_open_opens_one_report(login):
    schedule = commune_schedule()
    client = login("commune_a")
    form = {"schedule": schedule.pk, "unit": f"commune:{COMMUNE_A}", "period": "2026Q4"}
    first = client.post(reverse("reporting:open"), form)
    second = client.post(reverse("reporting:open"), form)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Submission.objects.filter(period="2026Q4").count() == 1


# — PCMT's own export comes back unchanged —


def test_pcmt_imports_its_own_export_back_unchanged():
    from agencies.models import Agency
    from reporting.models import ValueChange
    from reporting.tests.builders_entry import agency_schedule

    schedule = commune_schedule()
    for period in ("2026Q2", "2026Q3"):
        submitted(schedule, period)
    review.approve_submission(acting_user=office(), submission=Submission.objects.get(period="2026Q2"))
    sub = open_sub(schedule, "2026Q4")
    data = valid_input(schedule, MGMT_ADDICTS_T="2.000", PLANTS_AREA_DETECTED_T="12,75")
    data |= {"c-MGMT_ADDICTS": "Sáp nhập xã", "c-PLANTS_AREA_DETECTED": "Phát hiện vùng trồng mới"}
    assert save(sub, data, submit=True).submitted
    agencies = agency_schedule("SYT")
    syt = Agency.objects.get(province_id="66", code="SYT")
    submitted(agencies, "2026Q3", S.Unit("agency", syt.pk, ""), COMM_PARTICIPANTS_T="8")
    before = (
        list(DataValue.objects.order_by("pk").values_list("pk", "value", "text", "comment")),
        ValueChange.objects.count(),
        list(Submission.objects.order_by("pk").values_list("pk", "status", "version")),
    )
    rows = list(exchange.export_values(user=office(), include_submitted=True))
    assert {r["period"] for r in rows} == {"2026Q2", "2026Q3", "2026Q4"} and any(":SYT" in r["orgUnit"] for r in rows)
    for data, reader in (
        (exchange.to_csv(rows).encode(), exchange.read_csv),
        (json.dumps(exchange.to_json(rows)).encode(), exchange.read_json),
    ):
        parsed, errors = reader(data)
        result = exchange.import_values(acting_user=office(), rows=parsed, errors=errors, on=TODAY)
        assert result.ok, result.errors[:3]
        assert (result.unchanged, result.created, result.updated, result.submissions_created) == (len(rows), 0, 0, 0)
    after = (
        list(DataValue.objects.order_by("pk").values_list("pk", "value", "text", "comment")),
        ValueChange.objects.count(),
        list(Submission.objects.order_by("pk").values_list("pk", "status", "version")),
    )
    assert after == before


def test_every_report_kind_comes_back_unchanged_and_an_annual_and_a_one_off_report_never_collide():
    from reporting.tests.builders_consolidation import make_element, make_form, make_schedule, make_submission

    form = make_form("ZK_FORM", "commune", [make_element("ZK_COUNT")])
    reports = {}
    for frequency, period, number in (
        ("monthly", "202610", 1),
        ("quarterly", "2026Q3", 2),
        ("semiannual", "2026S1", 3),
        ("annual", "2026", 10),
        ("once", "2026", 7),
    ):
        schedule = make_schedule(form, "66", communes=[COMMUNE_A], frequency=frequency, first_period=period)
        status = "submitted" if frequency == "once" else "approved"
        reports[frequency] = make_submission(
            schedule, period, commune=COMMUNE_A, status=status, values={"ZK_COUNT": number}
        )
    assert {s.kind for s in reports.values()} == {"monthly", "quarterly", "semiannual", "annual", "once"}
    rows = list(exchange.export_values(user=office(), form=form, include_submitted=True))
    same_year = sorted((r["value"], r.get("kind", "")) for r in rows if r["period"] == "2026")
    assert same_year == [("10", ""), ("7", "once")]  # two reports, two keys: no duplicate
    for data, reader in (
        (exchange.to_csv(rows).encode(), exchange.read_csv),
        (json.dumps(exchange.to_json(rows)).encode(), exchange.read_json),
    ):
        parsed, errors = reader(data)
        result = exchange.import_values(acting_user=office(), rows=parsed, errors=errors, on=TODAY)
        assert result.ok and (result.unchanged, result.created, result.updated) == (5, 0, 0), result.errors
    one_off = [dict(r, value="8") for r in rows if r.get("kind") == "once"]
    parsed, errors = exchange.read_json({"dataValues": one_off})
    assert exchange.import_values(acting_user=office(), rows=parsed, errors=errors, on=TODAY).ok
    values = dict(DataValue.objects.filter(submission__period="2026").values_list("submission__kind", "value"))
    assert values == {"annual": D(10), "once": D(8)}  # the one-off changed, the annual did not
    annual = [dict(r, value="11") for r in rows if r["period"] == "2026" and "kind" not in r]
    parsed, errors = exchange.read_json({"dataValues": annual})
    refused = exchange.import_values(acting_user=office(), rows=parsed, errors=errors, on=TODAY)
    assert "Báo cáo năm — Năm 2026" in refused.errors[0].message and "đã được duyệt" in refused.errors[0].message


def test_an_explanation_on_a_breakdown_row_is_kept_as_the_elements_explanation():
    commune_schedule()
    assert run(csv_file(["MGMT_ADDICTS,2026Q4,24133,default,4"]), status="draft").ok
    data = csv_file(["MGMT_ADDICTS,2026Q4,24133,M,1,Số liệu nam đã đối chiếu"], extra=",comment")
    assert run(data, status="draft").ok
    sub = Submission.objects.get(commune_id=COMMUNE_A, period="2026Q4")
    values, comments = entry.saved_values(sub)
    assert comments == {"MGMT_ADDICTS": "Số liệu nam đã đối chiếu"} and values[("MGMT_ADDICTS", "M")].value == 1


def test_a_report_opened_on_the_grid_while_a_file_is_imported_refuses_the_file_not_a_500(monkeypatch):
    schedule = commune_schedule()
    original = exchange._check_reports

    def meanwhile(*args, **kwargs):
        open_sub(schedule, "2026Q4")  # the commune opens its report between the import's read and write
        return original(*args, **kwargs)

    monkeypatch.setattr(exchange, "_check_reports", meanwhile)
    result = run(csv_file(["MGMT_ADDICTS,2026Q4,24133,default,4"]), status="draft")
    assert not result.ok and "cùng lúc" in result.errors[0].message
    sub = Submission.objects.get(commune_id=COMMUNE_A, period="2026Q4")
    assert sub.status == "draft" and not DataValue.objects.filter(submission=sub).exists()
