"""Entry services: opening a period, saving, submitting, rules, outliers, locking, history."""

import datetime as dt
from decimal import Decimal

import pytest

from reporting.models import DataValue, LockException, Submission, ValueChange
from reporting.periods import PeriodError
from reporting.services import entry, review
from reporting.services import schedules as S
from reporting.services.outliers import outlier_reason
from reporting.tests.builders_entry import (
    TODAY,
    agency_schedule,
    commune_schedule,
    commune_unit,
    open_sub,
    reporting_catalogue,  # noqa: F401
    save,
    submitted,
    user,
    valid_input,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reporting_catalogue")]


def values(sub):
    return {
        (v.element.code, v.category): v.value if v.value is not None else v.text
        for v in DataValue.objects.filter(submission=sub).select_related("element")
    }


# — opening a period —


def test_opening_a_period_creates_one_draft_lazily():
    schedule = commune_schedule()
    assert not Submission.objects.exists()
    sub = open_sub(schedule, "2026Q4")
    assert (sub.status, sub.period, sub.commune_id, sub.province_id) == ("draft", "2026Q4", "24133", "66")
    assert open_sub(schedule, "2026Q4").pk == sub.pk and Submission.objects.count() == 1


def test_a_unit_outside_the_schedule_or_a_foreign_period_cannot_open():
    schedule = agency_schedule("SYT")
    with pytest.raises(PermissionError):
        open_sub(schedule, "2026Q4", commune_unit())
    schedule = commune_schedule()
    with pytest.raises(PeriodError):
        open_sub(schedule, "2026S1")
    with pytest.raises(PeriodError):
        open_sub(schedule, "2027Q2")  # not started on TODAY
    with pytest.raises(PermissionError):
        open_sub(schedule, "2026Q4", commune_unit("00004"))  # a commune of another province


@pytest.mark.parametrize("by", ["xa", "thuongtruc", "lanhdao", "syt", "thuongtruc_b"])
def test_only_the_units_own_officers_open_its_report(by):
    """`open_submission` re-checks scope itself: another commune's officer, the office, a leader
    or an agency officer cannot create a commune's report, even without a view."""
    from django.core.exceptions import PermissionDenied

    from audit.models import AuditEvent
    from geo.models import Commune

    schedule = commune_schedule()
    other = (
        Commune.objects.filter(province_id="66").exclude(code="24133").order_by("code").first().code
        if by == "xa"
        else "24133"
    )
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        entry.open_submission(
            acting_user=user(by), schedule=schedule, period_id="2026Q4", unit=commune_unit(other), on=TODAY
        )
    assert not Submission.objects.exists() and AuditEvent.objects.count() == events


def test_a_closed_period_cannot_be_opened():
    schedule = commune_schedule()
    with pytest.raises(ValueError, match="Đã khóa nhập số liệu kỳ Quý III/2026 từ ngày 26/09/2026"):
        open_sub(schedule, "2026Q3")


# — saving —


def test_a_draft_save_writes_values_and_their_history():
    schedule = commune_schedule()
    sub = open_sub(schedule, "2026Q4")
    result = save(
        sub,
        {
            "v-MGMT_ADDICTS-T": "1.234",
            "v-MGMT_ADDICTS-M": "1.000",
            "v-SEIZED_HEROIN_G-T": "12,5",
            "v-SCREENING_DATE-T": "15/11/2026",
            "v-COUNSEL_POINT-T": "1",
            "v-NOTES-T": "Thiếu kinh phí",
        },
    )
    assert result.ok and result.changed == 5 and not result.submitted
    got = values(sub)
    assert got[("MGMT_ADDICTS", "")] == 1234 and got[("MGMT_ADDICTS", "M")] == 1000
    assert got[("SCREENING_DATE", "")] == "2026-11-15" and got[("COUNSEL_POINT", "")] == 1
    assert got[("NOTES", "")] == "Thiếu kinh phí"
    assert ("SEIZED_HEROIN_G", "") not in got  # not on the commune form: ignored
    sub.refresh_from_db()
    assert sub.version == 2 and sub.status == "draft"
    change = ValueChange.objects.get(submission=sub, element__code="MGMT_ADDICTS", category="")
    assert (change.old, change.new, change.changed_by.username) == ("", "1234", "xa")


def test_changing_and_clearing_values_keeps_who_when_old_and_new():
    sub = open_sub(commune_schedule(), "2026Q4")
    save(sub, {"v-MGMT_ADDICTS-T": "10"})
    save(sub, {"v-MGMT_ADDICTS-T": "12"})
    save(sub, {"v-MGMT_ADDICTS-T": ""})
    save(sub, {"v-MGMT_ADDICTS-T": ""})  # unchanged: no history row
    history = list(ValueChange.objects.filter(submission=sub).order_by("id").values_list("old", "new"))
    assert history == [("", "10"), ("10", "12"), ("12", "")]
    assert not DataValue.objects.filter(submission=sub).exists()


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("v-MGMT_ADDICTS-T", "mười", "không phải là số"),
        ("v-MGMT_ADDICTS-T", "-3", "Không nhận số âm"),
        ("v-MGMT_ADDICTS-T", "12,5", "chỉ nhận số nguyên"),
        ("v-PLANTS_AREA_DETECTED-T", "-0,5", "Không nhận số âm"),
        ("v-SCREENING_DATE-T", "31/02/2026", "Ngày 31/02/2026 không tồn tại"),
        ("v-COUNSEL_POINT-T", "có lẽ", "Chọn Có hoặc Không"),
        ("v-MGMT_ADDICTS-T", "1" * 16, "quá lớn"),
        ("v-PLANTS_AREA_DETECTED-T", "1,23456", "tối đa 4 chữ số"),
    ],
)
def test_a_bad_cell_is_kept_as_typed_while_the_good_ones_are_saved(field, typed, message):
    sub = open_sub(commune_schedule(), "2026Q4")
    save(sub, {"v-MGMT_ADDICTS-T": "7", "v-MGMT_USERS-T": "3"})
    before = values(sub)
    result = save(sub, {"v-MGMT_USERS-T": "5", field: typed})
    assert result.ok and not result.submitted
    assert message in " ".join(result.invalid.values())
    cell = (field[2:].rsplit("-", 1)[0], "" if field.endswith("-T") else field.rsplit("-", 1)[1])
    assert result.kept.raw[cell] == typed and set(result.invalid) == {cell}
    # The good cell is written; the refused one keeps its stored value and its text as typed.
    after = values(sub)
    assert after[("MGMT_USERS", "")] == Decimal("5")
    assert after.get(cell) == before.get(cell)
    sub.refresh_from_db()
    assert sub.pending_raw == {field: typed} and sub.version == 3
    # Read again (a reload), the same checker marks the same cell with the same message.
    kept = entry.kept_input(entry.form_spec(sub.schedule.form), sub.pending_raw)
    assert kept.raw == {cell: typed} and message in kept.errors[cell]


def test_correcting_a_kept_cell_clears_it_and_an_untouched_one_stays_kept():
    sub = open_sub(commune_schedule(), "2026Q4")
    save(sub, {"v-MGMT_ADDICTS-T": "abc", "v-MGMT_USERS-T": "x"})
    sub.refresh_from_db()
    assert sub.pending_raw == {"v-MGMT_ADDICTS-T": "abc", "v-MGMT_USERS-T": "x"}
    result = save(sub, {"v-MGMT_ADDICTS-T": "12"})  # the other cell not sent: it stays kept
    sub.refresh_from_db()
    assert sub.pending_raw == {"v-MGMT_USERS-T": "x"} and set(result.invalid) == {("MGMT_USERS", "")}
    assert values(sub)[("MGMT_ADDICTS", "")] == Decimal("12")
    save(sub, {"v-MGMT_USERS-T": ""})
    sub.refresh_from_db()
    assert sub.pending_raw == {}


def test_a_kept_cell_blocks_submission_only_and_is_logged():
    from audit.models import AuditEvent

    schedule = commune_schedule()
    sub = open_sub(schedule, "2026Q4")
    save(sub, valid_input(schedule))
    result = save(sub, valid_input(schedule, MGMT_ADDICTS_T="4,5"), submit=True)
    assert result.ok and not result.submitted and set(result.invalid) == {("MGMT_ADDICTS", "")}
    assert not result.checks.blocking  # nothing else blocks: the kept cell alone does
    sub.refresh_from_db()
    assert sub.status == "draft" and sub.submitted_at is None
    event = AuditEvent.objects.filter(action="submission.save").latest("pk")
    assert event.changes["kept_as_typed"] == 1
    result = save(sub, valid_input(schedule), submit=True)
    assert result.submitted and not result.invalid
    sub.refresh_from_db()
    assert sub.status == "submitted" and sub.pending_raw == {}


def test_a_double_click_with_a_bad_cell_is_not_a_conflict():
    sub = open_sub(commune_schedule(), "2026Q4")
    sub.refresh_from_db()
    stale = sub.version
    data = {"v-MGMT_ADDICTS-T": "abc", "v-MGMT_USERS-T": "3"}
    assert save(sub, data, version=stale).ok
    again = save(sub, data, version=stale)
    assert again.ok and not again.conflict
    assert not save(sub, {**data, "v-MGMT_ADDICTS-T": "abd"}, version=stale).ok


# — submitting —


def test_a_valid_report_is_submitted():
    sub = open_sub(commune_schedule(), "2026Q4")
    result = save(sub, valid_input(sub.schedule), submit=True)
    assert result.submitted
    sub.refresh_from_db()
    assert sub.status == "submitted" and sub.submitted_by.username == "xa" and sub.first_submitted_at is not None


def test_a_part_greater_than_its_total_blocks_submission_beside_the_part():
    sub = open_sub(commune_schedule(), "2026Q4")
    result = save(sub, valid_input(sub.schedule, MGMT_ADDICTS_U18="9"), submit=True)
    assert result.ok and not result.submitted
    assert result.checks.errors[("MGMT_ADDICTS", "U18")] == [
        "Số người dưới 18 tuổi không được lớn hơn tổng số (Người nghiện ma túy có hồ sơ quản lý)."
    ]
    sub.refresh_from_db()
    assert sub.status == "draft" and values(sub)[("MGMT_ADDICTS", "U18")] == 9  # kept as a draft


def test_eliminated_places_cannot_exceed_detected_plus_carried_over():
    sub = open_sub(commune_schedule(), "2026Q4")
    data = valid_input(sub.schedule, PLACES_CARRIED_T="2", PLACES_DETECTED_T="1", PLACES_ELIMINATED_T="4")
    result = save(sub, data, submit=True)
    assert not result.submitted and result.checks.errors[("PLACES_ELIMINATED", "")]
    data["v-PLACES_ELIMINATED-T"] = "3"
    assert save(sub, data, submit=True).submitted


def test_missing_required_values_block_submission_but_optional_ones_do_not():
    sub = open_sub(commune_schedule(), "2026Q4")
    data = valid_input(sub.schedule, MGMT_USERS_T="", COUNSEL_POINT_T="", NOTES_T="")
    result = save(sub, data, submit=True)
    assert not result.submitted and result.checks.missing == {("MGMT_USERS", "")}


def test_a_warning_rule_is_shown_but_does_not_block():
    sub = open_sub(commune_schedule(), "2026Q4")
    result = save(
        sub,
        valid_input(
            sub.schedule,
            DRUG_OFFENDERS_T="2",
            DRUG_OFFENDERS_M="1",
            DRUG_OFFENDERS_F="1",
            DRUG_OFFENDERS_U18="0",
            DRUG_OFFENDERS_A18="2",
            DRUG_CASES_T="3",
        ),
        submit=True,
    )
    assert result.submitted and result.checks.warnings[("DRUG_OFFENDERS", "")]


def test_an_agency_report_can_leave_other_sectors_blank():
    schedule = agency_schedule("SYT")
    sub = open_sub(schedule, "2026Q4", S.Unit("agency", schedule.agencies.get().pk, ""), by="syt")
    result = save(sub, {"v-HS_TOTAL-T": "102", "v-HS_QUALIFIED-T": "103"}, submit=True, by="syt")
    assert not result.submitted and result.checks.errors[("HS_QUALIFIED", "")]
    assert save(sub, {"v-HS_QUALIFIED-T": "85"}, submit=True, by="syt").submitted


# — outliers —


@pytest.mark.parametrize(
    ("value", "history", "flagged"),
    [
        (10, [10, 11, 9, 10], False),
        (30, [10, 11, 9, 10], True),
        (10, [5, 5, 5, 5], True),
        (5, [5, 5, 5, 5], False),
        (14, [10, 12], False),
        (19, [10, 12], True),
        (3, [10, 12], True),
        (100, [10], False),
        (None, [1, 2, 3, 4], False),
        (2, [0, 0, 1], False),
        (3, [0, 0, 1], True),
    ],
)
def test_outlier_rule(value, history, flagged):
    reason = outlier_reason(None if value is None else Decimal(value), [Decimal(h) for h in history])
    assert bool(reason) is flagged
    if flagged:
        assert "Khác thường so với" in reason


def test_an_outlier_asks_for_an_explanation_instead_of_blocking():
    schedule = commune_schedule(first="2025Q1")
    for period, n in [("2025Q3", "10"), ("2025Q4", "11"), ("2026Q1", "9"), ("2026Q2", "10")]:
        submitted(schedule, period, MGMT_ADDICTS_T=n)
    sub = open_sub(schedule, "2026Q4")
    data = valid_input(schedule, MGMT_ADDICTS_T="60")
    result = save(sub, data, submit=True)
    assert not result.submitted and result.checks.needs_comment == {"MGMT_ADDICTS"}
    assert "trung bình 10" in result.checks.outliers[("MGMT_ADDICTS", "")]
    data["c-MGMT_ADDICTS"] = "Đợt rà soát tháng 10 phát hiện thêm 50 người."
    result = save(sub, data, submit=True)
    assert result.submitted
    assert DataValue.objects.get(submission=sub, element__code="MGMT_ADDICTS", category="").comment.startswith(
        "Đợt rà soát"
    )


def test_the_grid_shows_last_periods_values_alongside():
    schedule = commune_schedule()
    submitted(schedule, "2026Q2", MGMT_ADDICTS_T="1.500")
    with pytest.raises(ValueError):
        open_sub(schedule, "2026Q3")
    LockException.objects.create(schedule=schedule, period="2026Q3", commune_id="24133", until=TODAY, reason="x")
    sub = open_sub(schedule, "2026Q3")
    spec = entry.form_spec(schedule.form)
    grid = entry.build_grid(spec, sub, shown={}, comments={}, checks=None, past=entry.history(sub))
    row = next(r for _, rows in grid.sections for r in rows if r.element.code == "MGMT_ADDICTS")
    assert row.previous == "1.500" and grid.previous_label == "Quý II/2026"
    assert [c.testid for c in row.cells] == [
        "cell-MGMT_ADDICTS-T",
        "cell-MGMT_ADDICTS-M",
        "cell-MGMT_ADDICTS-F",
        "cell-MGMT_ADDICTS-U18",
        "cell-MGMT_ADDICTS-A18",
    ]


# — optimistic locking —


def test_two_people_saving_the_same_version_the_second_is_told_and_nothing_is_lost():
    sub = open_sub(commune_schedule(), "2026Q4")
    version = sub.version
    first = save(sub, {"v-MGMT_ADDICTS-T": "10"}, version=version)
    second = save(sub, {"v-MGMT_ADDICTS-T": "20", "v-MGMT_USERS-T": "5"}, version=version)
    assert first.ok and second.conflict and not second.ok
    assert values(sub) == {("MGMT_ADDICTS", ""): 10}  # the first is kept
    assert second.saved[("MGMT_ADDICTS", "")].value == 10  # shown to the second person
    assert second.parsed.raw[("MGMT_ADDICTS", "")] == "20"  # and their typing is returned to them
    sub.refresh_from_db()
    third = save(sub, {"v-MGMT_ADDICTS-T": "20", "v-MGMT_USERS-T": "5"}, version=sub.version)  # a deliberate overwrite
    assert third.ok and values(sub)[("MGMT_ADDICTS", "")] == 20


# — closing and locking —


def test_entry_closes_after_the_due_day_unless_an_exception_is_open():
    schedule = commune_schedule()
    sub = open_sub(schedule, "2026Q4")
    assert save(sub, {"v-MGMT_ADDICTS-T": "1"}, on=dt.date(2026, 12, 25)).ok  # due 15/12 + 10 days
    closed = save(sub, {"v-MGMT_ADDICTS-T": "2"}, on=dt.date(2026, 12, 26))
    assert not closed.ok and "Đã khóa nhập số liệu kỳ Quý IV/2026 từ ngày 26/12/2026" in closed.refused
    assert values(sub)[("MGMT_ADDICTS", "")] == 1
    review.grant_lock_exception(
        acting_user=user("thuongtruc"),
        schedule=schedule,
        period_id="2026Q4",
        unit=commune_unit(),
        until=dt.date(2026, 12, 31),
        reason="Mất điện",
        on=dt.date(2026, 12, 26),
    )
    assert save(sub, {"v-MGMT_ADDICTS-T": "2"}, on=dt.date(2026, 12, 31)).ok
    assert not save(sub, {"v-MGMT_ADDICTS-T": "3"}, on=dt.date(2027, 1, 1)).ok


def test_submitted_and_approved_reports_cannot_be_edited_a_returned_one_can_even_after_closing():
    schedule = commune_schedule()
    sub = submitted(schedule, "2026Q4")
    original = sub.first_submitted_at
    assert "Đã nộp" in save(sub, {"v-MGMT_ADDICTS-T": "9"}).refused
    review.return_submission(acting_user=user("thuongtruc"), submission=sub, comment="Sửa số liệu")
    late = dt.date(2027, 2, 1)
    result = save(sub, valid_input(schedule, MGMT_ADDICTS_T="5"), submit=True, on=late)
    assert result.submitted
    review.approve_submission(acting_user=user("thuongtruc"), submission=sub)
    assert "Đã duyệt" in save(sub, {"v-MGMT_ADDICTS-T": "9"}).refused
    sub.refresh_from_db()
    assert sub.first_submitted_at == original and sub.submitted_at != original  # timeliness keeps the first date


# — what a unit must report —


def _states(username, on):
    return {(i.period.id, i.state) for i in entry.due_items(user(username), on)}


def test_due_items_show_each_state():
    schedule = commune_schedule(first="2026Q1")
    assert ("2026Q4", "upcoming") in _states("xa", TODAY) and ("2026Q3", "closed") in _states("xa", TODAY)
    assert ("2026Q4", "due_soon") in _states("xa", dt.date(2026, 12, 10))
    assert ("2026Q4", "overdue") in _states("xa", dt.date(2026, 12, 16))
    sub = submitted(schedule, "2026Q4")
    assert ("2026Q4", "submitted") in _states("xa", dt.date(2026, 12, 16))
    review.return_submission(acting_user=user("thuongtruc"), submission=sub, comment="Sửa")
    assert ("2026Q4", "returned") in _states("xa", dt.date(2027, 3, 1))
    assert _states("syt", TODAY) == set()  # the agency does not report under the commune schedule


def test_across_the_year_end_the_14th_closing_opens_the_next_years_first_quarter_on_15_december():
    commune_schedule(first="2026Q1")
    on_14 = _states("xa", dt.date(2026, 12, 14))
    on_15 = _states("xa", dt.date(2026, 12, 15))
    on_16 = _states("xa", dt.date(2026, 12, 16))
    assert not any(p == "2027Q1" for p, _ in on_14)
    assert ("2027Q1", "upcoming") in on_15 and ("2026Q4", "due_soon") in on_15
    assert ("2026Q4", "overdue") in on_16
