"""The registry's figures in the commune report form (issue 13 §2): pre-filled as of the period's
closing day, read-only on every path (grid, CSV, API), refreshed until approval and frozen after,
and an approved report flagged when a decision entered later with an earlier date changes it.

The clock stands on 20/11/2026: 2026Q4 (administrative convention, 15/09–14/12/2026) is open.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
import time_machine
from django.db import connection

from cases.models import RegistryReporting, ReportDiscrepancy
from cases.services import report_figures
from cases.services.decisions import add_decision
from reporting.models import DataValue, Submission, ValueChange
from reporting.services import entry, exchange, review
from reporting.tests.builders_entry import (
    COMMUNE_A,
    TODAY,
    at,
    commune_schedule,
    office,
    open_sub,
    reporting_catalogue,  # noqa: F401
    save,
    valid_input,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reporting_catalogue")]
PERIOD = "2026Q4"
CLOSING = dt.date(2026, 12, 14)
NAME = "Lường Thị Bí Mật"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(at(TODAY), tick=False):
        yield


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the refresh after a decision) as production would."""

    def run(call, *args, **kwargs):
        # The test's own transaction never commits: each call here stands for one committed transaction.
        connection.__dict__.pop("_pcmt_registry_marks", None)
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


@pytest.fixture
def registry_on(db):
    return RegistryReporting.objects.create(province_id="66", since=dt.date(2026, 1, 1))


def decide(person, decision_type, day, **kw):
    return add_decision(acting_user=None, person=person, decision_type=decision_type, decided_on=day, **kw)


def value(sub: Submission, code: str, category: str = "") -> Decimal | None:
    row = DataValue.objects.filter(submission=sub, element__code=code, category=category).first()
    return None if row is None else row.value


def typed_input(schedule) -> dict[str, str]:
    """The grid's input: every typed cell, none of the registry's (the grid has no input for them)."""
    cells = {entry.field_name(*c) for c in report_figures.registry_cells(entry.form_spec(schedule.form))}
    return {k: v for k, v in valid_input(schedule).items() if k not in cells}


@pytest.fixture
def people(new_person, ward_a, commit):
    """Persons of ward A on the path, as of 14/12/2026:
    - a man born 1990 under management (user, adult);
    - a woman born 2010 under management (user, under 18);
    - a man born 20/12/2008: 17 on the closing day although his birth year says 18 (user, under 18);
    - a man taken from management to post-rehab (post-rehab, not a user);
    - a man whose management decision is dated 20/12/2026, after the closing day (not counted)."""
    p1 = new_person(ward_a, name="Trần Văn Một", birth=dt.date(1990, 5, 17), sex="M")
    decide(p1, "quan_ly_su_dung", dt.date(2026, 10, 1))
    p2 = new_person(ward_a, name=NAME, birth=dt.date(2010, 3, 2), sex="F")
    decide(p2, "quan_ly_su_dung", dt.date(2026, 10, 5))
    p3 = new_person(ward_a, name="Đỗ Văn Ba", birth=dt.date(2008, 12, 20), sex="M")
    decide(p3, "quan_ly_su_dung", dt.date(2026, 10, 6))
    p4 = new_person(ward_a, name="Phạm Văn Bốn", birth=dt.date(1985, 1, 9), sex="M")
    decide(p4, "dua_di_xac_dinh_nghien", dt.date(2026, 3, 2))
    decide(p4, "ket_luan_nghien", dt.date(2026, 3, 9))
    decide(p4, "cai_tu_nguyen_cong_dong", dt.date(2026, 3, 16))
    decide(p4, "quan_ly_sau_cai", dt.date(2026, 9, 20))
    p5 = new_person(ward_a, name="Vũ Văn Năm", birth=dt.date(1991, 2, 3), sex="M")
    decide(p5, "quan_ly_su_dung", dt.date(2026, 12, 20))
    return [p1, p2, p3, p4, p5]


def test_the_figures_as_of_the_closing_day_per_element_and_breakdown(registry_on, people, client, login):
    schedule = commune_schedule()
    sub = open_sub(schedule, PERIOD)
    prefill = report_figures.sync(sub)
    assert prefill is not None and prefill.day == CLOSING
    # Users: the three under management on 14/12 (not the one decided on 20/12, not the post-rehab one).
    assert value(sub, "MGMT_USERS") == 3
    assert (value(sub, "MGMT_USERS", "M"), value(sub, "MGMT_USERS", "F")) == (2, 1)
    # Born 20/12/2008: 17 on 14/12/2026 (his sealed birth date decides, not his birth year).
    assert (value(sub, "MGMT_USERS", "U18"), value(sub, "MGMT_USERS", "A18")) == (2, 1)
    assert value(sub, "POST_REHAB_MGMT") == 1
    assert value(sub, "MGMT_ADDICTS") == 0 and value(sub, "MGMT_ADDICTS", "F") == 0
    assert value(sub, "METHADONE_PATIENTS") == 0
    # In home rehab on 30/06 (its Q2 closing day was 14/06): an addict then, not post-rehab.
    counts = report_figures.counts_by_commune([COMMUNE_A], dt.date(2026, 6, 14))[COMMUNE_A]
    assert (counts["addicts"], counts["rehab_home"], counts["post_rehab"]) == (1, 1, 0)
    # Stored as ordinary values with their history (no person as author).
    assert ValueChange.objects.filter(submission=sub, element__code="MGMT_USERS", category="", changed_by=None).exists()

    login("commune_a")
    page = client.get(f"/bao-cao/so-lieu/{sub.pk}/").content.decode()
    assert (
        'data-testid="cell-MGMT_USERS-T" data-registry-cell title="Tự động từ sổ quản lý hồ sơ (tính đến ngày 14/12/2026)">3<'
        in page
    )
    assert 'name="v-MGMT_USERS-T"' not in page and 'name="v-POST_REHAB_MGMT-T"' not in page
    assert 'name="v-ADDICT_DETERMINATIONS-T"' in page  # a typed element keeps its input
    assert "Tự động từ sổ quản lý hồ sơ (tính đến ngày 14/12/2026)" in page
    assert NAME not in page and "Trần Văn Một" not in page  # counts only


def test_without_the_province_switch_the_cells_are_typed(people, client, login):
    schedule = commune_schedule()
    sub = open_sub(schedule, PERIOD)
    assert report_figures.sync(sub) is None
    result = save(sub, valid_input(schedule, MGMT_USERS_T="7"))
    assert result.ok and value(sub, "MGMT_USERS") == 7
    login("commune_a")
    page = client.get(f"/bao-cao/so-lieu/{sub.pk}/").content.decode()
    assert 'name="v-MGMT_USERS-T"' in page and "Tự động từ sổ quản lý" not in page


def test_a_period_closing_before_the_switch_day_is_typed(people):
    RegistryReporting.objects.create(province_id="66", since=dt.date(2026, 12, 15))
    sub = open_sub(commune_schedule(), PERIOD)
    assert report_figures.sync(sub) is None


def test_the_grid_refuses_a_typed_registry_value_and_takes_an_equal_one(registry_on, people):
    schedule = commune_schedule()
    sub = open_sub(schedule, PERIOD)
    report_figures.sync(sub)  # as the page shows it
    result = save(sub, {**typed_input(schedule), "v-MGMT_USERS-T": "9", "v-COMM_SESSIONS-T": "2"})
    assert not result.ok
    assert "lấy tự động từ sổ quản lý hồ sơ (tính đến ngày 14/12/2026: 3), không nhập tay được" in result.refused
    assert value(sub, "MGMT_USERS") == 3 and value(sub, "COMM_SESSIONS") is None  # nothing written
    result = save(sub, {**typed_input(schedule), "v-MGMT_USERS-T": "3"}, submit=True)
    assert result.ok and result.submitted
    assert value(sub, "MGMT_USERS") == 3


def test_files_and_the_api_refuse_a_different_registry_value(registry_on, people, client, login):
    from reporting.tests.test_gate import csv_file

    schedule = commune_schedule()
    sub = open_sub(schedule, PERIOD)
    save(sub, typed_input(schedule))
    rows, errors = exchange.read_csv(
        csv_file([f"MGMT_USERS,{PERIOD},{COMMUNE_A},,5", f"COMM_SESSIONS,{PERIOD},{COMMUNE_A},,6"])
    )
    result = exchange.import_values(acting_user=office(), rows=rows, errors=errors, status="draft", on=TODAY)
    assert not result.ok
    assert [e.row for e in result.errors] == [2]
    assert "Người sử dụng trái phép chất ma túy đang được quản lý" in result.errors[0].message
    assert "không nhập tay được" in result.errors[0].message
    assert value(sub, "MGMT_USERS") == 3 and value(sub, "COMM_SESSIONS") == 4
    # The registry's own figure (a PCMT export coming back) changes nothing and passes.
    rows, errors = exchange.read_csv(
        csv_file([f"MGMT_USERS,{PERIOD},{COMMUNE_A},M,2", f"COMM_SESSIONS,{PERIOD},{COMMUNE_A},,6"])
    )
    result = exchange.import_values(acting_user=office(), rows=rows, errors=errors, status="draft", on=TODAY)
    assert result.ok and result.updated == 1 and value(sub, "COMM_SESSIONS") == 6
    # The API is the same gate.
    login("office_a")
    body = {"dataValues": [{"dataElement": "POST_REHAB_MGMT", "period": PERIOD, "orgUnit": COMMUNE_A, "value": "4"}]}
    answer = client.post("/api/reporting/data-values", json.dumps(body), content_type="application/json")
    assert answer.status_code == 400
    assert "không nhập tay được" in json.dumps(answer.json(), ensure_ascii=False)
    assert value(sub, "POST_REHAB_MGMT") == 1


def test_an_import_opening_a_report_fills_the_registry_cells(registry_on, people):
    from reporting.tests.test_gate import csv_file

    commune_schedule()
    rows, errors = exchange.read_csv(csv_file([f"COMM_SESSIONS,{PERIOD},{COMMUNE_A},,6"]))
    result = exchange.import_values(acting_user=office(), rows=rows, errors=errors, status="draft", on=TODAY)
    assert result.ok, result.errors
    sub = Submission.objects.get(commune_id=COMMUNE_A, period=PERIOD)
    assert value(sub, "MGMT_USERS") == 3 and value(sub, "COMM_SESSIONS") == 6


def test_refreshed_until_approval_frozen_after_and_a_back_dated_decision_flags_it(
    registry_on, people, new_person, ward_a, commit, client, login
):
    schedule = commune_schedule()
    sub = open_sub(schedule, PERIOD)
    assert save(sub, typed_input(schedule), submit=True).submitted
    assert value(sub, "MGMT_USERS") == 3
    # Submitted, not approved: a new decision in the period is counted at once.
    late = new_person(ward_a, name="Hoàng Văn Sáu", birth=dt.date(1995, 4, 4), sex="M")
    commit(decide, late, "quan_ly_su_dung", dt.date(2026, 11, 2))
    assert value(sub, "MGMT_USERS") == 4

    sub.refresh_from_db()
    commit(review.approve_submission, acting_user=office(), submission=sub)
    sub.refresh_from_db()
    assert sub.status == Submission.Status.APPROVED
    # A decision dated after the closing day changes nothing and flags nothing.
    after = new_person(ward_a, name="Hoàng Văn Bảy", birth=dt.date(1994, 4, 4), sex="F")
    commit(decide, after, "quan_ly_su_dung", dt.date(2026, 12, 16))
    assert not ReportDiscrepancy.objects.filter(submission=sub).exists()
    # Entered later with an earlier date: the approved value stays (frozen), the report is flagged.
    back = new_person(ward_a, name=NAME + " Hai", birth=dt.date(1993, 4, 4), sex="F")
    commit(decide, back, "quan_ly_su_dung", dt.date(2026, 10, 20))
    assert value(sub, "MGMT_USERS") == 4
    flag = ReportDiscrepancy.objects.get(submission=sub)
    assert ["MGMT_USERS", "", "4.0000", "5"] in flag.differences
    assert ["MGMT_USERS", "F", "1.0000", "2"] in flag.differences
    assert not any(d[0] == "POST_REHAB_MGMT" for d in flag.differences)

    login("office_a")
    queue = client.get("/bao-cao/hop-thu/?status=approved").content.decode()
    assert 'data-testid="inbox-registry-differs"' in queue
    page = client.get(f"/bao-cao/so-lieu/{sub.pk}/").content.decode()
    assert "Sổ quản lý khác với báo cáo đã duyệt" in page
    assert "Người sử dụng trái phép chất ma túy đang được quản lý: báo cáo đã duyệt" in page
    assert NAME not in page
    form = schedule.form_id
    summary = client.get(f"/tong-hop/tinh/66/?form={form}&period={PERIOD}&kind=quarterly").content.decode()
    assert 'data-testid="consolidation-registry-differs"' in summary and NAME not in summary
    login("commune_a")
    page = client.get(f"/bao-cao/so-lieu/{sub.pk}/").content.decode()
    assert 'data-testid="registry-differs"' in page and NAME not in page
    assert value(sub, "MGMT_USERS") == 4  # viewing never unfreezes

    # Unlocked for a correction: the registry's figures come in again, the flag goes.
    sub.refresh_from_db()
    review.unlock_submission(acting_user=office(), submission=sub, reason="Cập nhật theo sổ quản lý")
    client.get(f"/bao-cao/so-lieu/{sub.pk}/")
    assert value(sub, "MGMT_USERS") == 5
    assert not ReportDiscrepancy.objects.filter(submission=sub).exists()


def test_a_report_approved_before_the_switch_is_not_flagged(people, new_person, ward_a, commit):
    schedule = commune_schedule()
    sub = open_sub(schedule, PERIOD)
    assert save(sub, valid_input(schedule, MGMT_USERS_T="7"), submit=True).submitted
    sub.refresh_from_db()
    review.approve_submission(acting_user=office(), submission=sub)
    with time_machine.travel(at(TODAY, 11), tick=False):
        commit(report_figures.enable, "66", dt.date(2026, 1, 1))
        back = new_person(ward_a, name="Hoàng Văn Tám", birth=dt.date(1993, 4, 4), sex="F")
        commit(decide, back, "quan_ly_su_dung", dt.date(2026, 10, 20))
    assert value(sub, "MGMT_USERS") == 7
    assert not ReportDiscrepancy.objects.exists()
    sub.refresh_from_db()
    assert report_figures.differences(sub) == []


def test_the_review_queue_and_batch_approval_take_registry_cells_as_they_are(registry_on, people):
    schedule = commune_schedule()
    sub = open_sub(schedule, PERIOD)
    assert save(sub, typed_input(schedule), submit=True).submitted
    notes = review.review_notes(schedule, PERIOD, [sub])
    assert not any("Người sử dụng" in n for n in notes[sub.pk])


def test_the_registry_cells_are_one_mapping(registry_on):
    from reporting.catalogue import ELEMENTS_BY_CODE

    for code in ("MGMT_ADDICTS", "MGMT_USERS", "METHADONE_PATIENTS", "POST_REHAB_MGMT"):
        assert code in ELEMENTS_BY_CODE and report_figures.cell_key(code, "") in report_figures.FIGURE_LABELS
    assert report_figures.cell_key("MGMT_USERS", "U18") == "users:U18"
    assert report_figures.cell_key("COMM_SESSIONS", "") is None


def test_the_status_elements_of_the_catalogue(registry_on, new_person, ward_other, commit):
    from reporting.tests.builders_entry import commune_unit

    day = dt.date(2026, 2, 2)
    home = new_person(ward_other, name="Một", birth=dt.date(1990, 1, 1), sex="M")
    for step, kind in enumerate(("dua_di_xac_dinh_nghien", "ket_luan_nghien", "cai_tu_nguyen_cong_dong")):
        decide(home, kind, day + dt.timedelta(days=step))
    compulsory = new_person(ward_other, name="Hai", birth=dt.date(1991, 1, 1), sex="F")
    for step, kind in enumerate(("dua_di_xac_dinh_nghien", "ket_luan_nghien", "lap_ho_so_bat_buoc", "cai_bat_buoc")):
        decide(compulsory, kind, day + dt.timedelta(days=step))
    detained = new_person(ward_other, name="Ba", birth=dt.date(1992, 1, 1), sex="M")
    decide(detained, "quan_ly_su_dung", dt.date(2026, 10, 1))
    decide(detained, "tam_giu", dt.date(2026, 10, 10))
    released = new_person(ward_other, name="Bốn", birth=dt.date(1993, 1, 1), sex="F")
    decide(released, "tha_sau_chap_hanh_an", dt.date(2026, 9, 1))
    psychosis = new_person(ward_other, name="Năm", birth=dt.date(1994, 1, 1), sex="M")
    decide(psychosis, "quan_ly_su_dung", dt.date(2026, 10, 1))
    decide(psychosis, "loan_than", dt.date(2026, 10, 2))

    sub = open_sub(commune_schedule(), PERIOD, commune_unit(ward_other.code))
    report_figures.sync(sub)
    expected = {
        ("STATUS_HOME_REHAB", ""): 1,
        ("STATUS_HOME_REHAB", "M"): 1,
        ("STATUS_COMPULSORY", ""): 1,
        ("STATUS_COMPULSORY", "F"): 1,
        ("STATUS_COMPULSORY", "M"): 0,
        ("STATUS_FACILITY_REHAB", ""): 0,
        ("STATUS_DETENTION", ""): 1,
        ("RELEASED_AFTER_SENTENCE", ""): 1,
        ("PSYCHOSIS_MANAGED", ""): 1,
        # QĐ 28 Điều 6: only the man with psychosis (home rehab, compulsory, detained, released: not).
        ("USERS_EXCL_TREATMENT", ""): 1,
        ("MGMT_USERS", ""): 2,  # the detained man is still a user under management
        ("MGMT_ADDICTS", ""): 1,  # the man in home rehab (the woman is in a facility)
    }
    assert {cell: value(sub, *cell) for cell in expected} == expected


def test_many_decisions_in_one_transaction_refresh_once(registry_on, new_person, ward_a, ward_other, monkeypatch):
    from django.db import transaction

    calls = []
    monkeypatch.setattr(report_figures, "refresh", lambda marks: calls.append(dict(marks)))
    connection.__dict__.pop("_pcmt_registry_marks", None)
    with transaction.atomic():  # stands for the import's transaction (the test's own never commits)
        start = len(connection.run_on_commit)
        for i, ward in enumerate((ward_a, ward_other, ward_a)):
            person = new_person(ward, name=f"Người {i}", birth=dt.date(1990, 1, 1 + i))
            decide(person, "quan_ly_su_dung", dt.date(2026, 10, 10 - i))
        flushes = connection.run_on_commit[start:]
    for _, callback, _ in flushes:
        callback()
    assert calls == [{COMMUNE_A: dt.date(2026, 10, 8), ward_other.code: dt.date(2026, 10, 9)}]


def test_the_switch_command(people, commit):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    commit(call_command, "registry_reporting", "66", "--since", "01/07/2026", stdout=out)
    assert "từ 01/07/2026" in out.getvalue()
    assert RegistryReporting.objects.get(province_id="66").since == dt.date(2026, 7, 1)
    call_command("registry_reporting", "66", "--off", stdout=out)
    assert not RegistryReporting.objects.exists() and "Đã tắt." in out.getvalue()


def test_the_standing_office_switches_the_province_on_the_figures_page(client, login, commit):
    login("office_a")
    page = client.get("/ho-so/so-lieu/").content.decode()
    assert 'data-testid="registry-reporting"' in page and "Chưa bật" in page
    commit(client.post, "/ho-so/so-lieu/", {"province": "66", "since": "15/12/2025", "action": "on"})
    assert RegistryReporting.objects.get(province_id="66").since == dt.date(2025, 12, 15)
    assert "Đang bật" in client.get("/ho-so/so-lieu/").content.decode()
    # Another province's switch is not theirs.
    client.post("/ho-so/so-lieu/", {"province": "33", "since": "15/12/2025", "action": "on"})
    assert not RegistryReporting.objects.filter(province_id="33").exists()
    commit(client.post, "/ho-so/so-lieu/", {"province": "66", "action": "off"})
    assert not RegistryReporting.objects.exists()


@pytest.mark.parametrize("persona", ["leader_a", "case_a", "national"])
def test_only_the_standing_office_switches(persona, client, login):
    login(persona)
    page = client.get("/ho-so/so-lieu/")
    assert 'data-testid="registry-reporting"' not in page.content.decode()
    answer = client.post("/ho-so/so-lieu/", {"province": "66", "since": "15/12/2025", "action": "on"})
    assert answer.status_code == 403
    assert not RegistryReporting.objects.exists()
