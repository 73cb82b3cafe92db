"""Review by the Standing Office: approve, return with a comment, unlock, lock exceptions."""

import datetime as dt

import pytest

from audit.models import AuditEvent
from notices.models import Notification
from reporting.models import LockException
from reporting.services import review
from reporting.services import schedules as S
from reporting.tests.builders_entry import (
    TODAY,
    commune_schedule,
    commune_unit,
    open_sub,
    reporting_catalogue,  # noqa: F401
    save,
    submitted,
    user,
)

pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.usefixtures("reporting_catalogue")]


@pytest.fixture
def sub(django_capture_on_commit_callbacks):
    return submitted(commune_schedule(), "2026Q4")


def test_approving_locks_the_data_and_tells_the_commune(sub, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        review.approve_submission(acting_user=user("thuongtruc"), submission=sub, comment="Tốt")
    sub.refresh_from_db()
    assert (sub.status, sub.reviewed_by.username, sub.review_comment) == ("approved", "thuongtruc", "Tốt")
    assert AuditEvent.objects.filter(action="submission.approve", object_id=str(sub.pk)).exists()
    assert Notification.objects.filter(user__username="xa", title__startswith="Báo cáo đã được duyệt").exists()
    assert save(sub, {"v-MGMT_ADDICTS-T": "1"}).refused


def test_returning_needs_a_comment_and_notifies_the_units_officers(sub, django_capture_on_commit_callbacks):
    with pytest.raises(review.ReviewError, match="Hãy ghi ý kiến"):
        review.return_submission(acting_user=user("thuongtruc"), submission=sub, comment="  ")
    sub.refresh_from_db()
    assert sub.status == "submitted"
    with django_capture_on_commit_callbacks(execute=True):
        review.return_submission(acting_user=user("thuongtruc"), submission=sub, comment="Số dưới 18 tuổi chưa khớp")
    sub.refresh_from_db()
    assert sub.status == "returned" and sub.review_comment == "Số dưới 18 tuổi chưa khớp"
    note = Notification.objects.get(user__username="xa")
    assert note.title.startswith("Báo cáo bị trả lại") and note.body == "Số dưới 18 tuổi chưa khớp"
    assert not Notification.objects.filter(user__username__in=["syt", "hoso", "thuongtruc"]).exists()


def test_a_report_returned_twice_notifies_twice(sub, django_capture_on_commit_callbacks):
    office = user("thuongtruc")
    with django_capture_on_commit_callbacks(execute=True):
        review.return_submission(acting_user=office, submission=sub, comment="Lần 1")
    from reporting.tests.builders_entry import valid_input

    assert save(sub, valid_input(sub.schedule), submit=True).submitted
    with django_capture_on_commit_callbacks(execute=True):
        review.return_submission(acting_user=office, submission=sub, comment="Lần 2")
    assert list(Notification.objects.filter(user__username="xa").order_by("id").values_list("body", flat=True)) == [
        "Lần 1",
        "Lần 2",
    ]


def test_review_acts_check_the_state(sub):
    office = user("thuongtruc")
    review.approve_submission(acting_user=office, submission=sub)
    with pytest.raises(review.ReviewError, match="Đã duyệt"):
        review.approve_submission(acting_user=office, submission=sub)
    with pytest.raises(review.ReviewError, match="Đã duyệt"):
        review.return_submission(acting_user=office, submission=sub, comment="x")
    draft = open_sub(sub.schedule, "2026Q4", commune_unit("24169"))
    with pytest.raises(review.ReviewError, match="Đang nhập"):
        review.approve_submission(acting_user=office, submission=draft)
    with pytest.raises(review.ReviewError, match="Đang nhập"):
        review.unlock_submission(acting_user=office, submission=draft, reason="x")


def test_unlocking_an_approved_report_is_a_logged_act_with_its_reason(sub):
    office = user("thuongtruc")
    review.approve_submission(acting_user=office, submission=sub)
    with pytest.raises(review.ReviewError, match="lý do"):
        review.unlock_submission(acting_user=office, submission=sub, reason="")
    review.unlock_submission(acting_user=office, submission=sub, reason="Công an xã điều chỉnh số liệu")
    sub.refresh_from_db()
    assert sub.status == "returned" and "Công an xã điều chỉnh" in sub.review_comment
    event = AuditEvent.objects.get(action="submission.unlock", object_id=str(sub.pk))
    assert event.changes == {"reason": "Công an xã điều chỉnh số liệu"} and event.actor.username == "thuongtruc"
    assert save(sub, {"v-MGMT_ADDICTS-T": "5"}).ok


def test_a_lock_exception_is_for_one_unit_and_period_until_a_date():
    schedule = commune_schedule()
    office = user("thuongtruc")
    with pytest.raises(review.ReviewError, match="lý do"):
        review.grant_lock_exception(
            acting_user=office,
            schedule=schedule,
            period_id="2026Q3",
            unit=commune_unit(),
            until=TODAY,
            reason="",
            on=TODAY,
        )
    with pytest.raises(review.ReviewError, match="đã qua"):
        review.grant_lock_exception(
            acting_user=office,
            schedule=schedule,
            period_id="2026Q3",
            unit=commune_unit(),
            until=dt.date(2026, 11, 1),
            reason="x",
            on=TODAY,
        )
    with pytest.raises(review.ReviewError, match="không thuộc lịch"):
        review.grant_lock_exception(
            acting_user=office,
            schedule=schedule,
            period_id="2026Q3",
            unit=commune_unit("00004"),
            until=TODAY,
            reason="x",
            on=TODAY,
        )
    with pytest.raises(review.ReviewError, match="chưa bắt đầu"):
        review.grant_lock_exception(
            acting_user=office,
            schedule=schedule,
            period_id="2027Q3",
            unit=commune_unit(),
            until=TODAY,
            reason="x",
            on=TODAY,
        )
    assert not LockException.objects.exists()
    review.grant_lock_exception(
        acting_user=office,
        schedule=schedule,
        period_id="2026Q3",
        unit=commune_unit(),
        until=dt.date(2026, 11, 30),
        reason="Cán bộ mới nhận việc",
        on=TODAY,
    )
    assert AuditEvent.objects.filter(action="lock_exception.grant").exists()
    assert open_sub(schedule, "2026Q3").status == "draft"
    with pytest.raises(ValueError, match="Đã khóa"):
        open_sub(schedule, "2026Q3", commune_unit("24169"))  # another commune stays closed


# — clean reports and the batch approval (issue 16) —


def test_batch_approval_takes_only_clean_reports_and_logs_each():
    from audit.models import AuditEvent
    from reporting.tests.builders_entry import commune_unit, office

    schedule = commune_schedule(first="2026Q1", all_communes=False, communes=["24133", "24169", "24175"])
    clean = submitted(schedule, "2026Q3", commune_unit("24133"))
    warned = submitted(schedule, "2026Q3", commune_unit("24169"), COMM_PARTICIPANTS_T="1", COMM_SESSIONS_T="4")
    notes = review.review_notes(schedule, "2026Q3", [clean, warned])
    assert notes[clean.pk] == [] and notes[warned.pk] == [
        "Lưu ý: Số lượt người tham dự ít hơn số buổi tuyên truyền: hãy kiểm tra lại."
    ]
    result = review.approve_clean(acting_user=office(), schedule=schedule, period_id="2026Q3")
    assert [s.pk for s in result.approved] == [clean.pk] and result.held == 1
    clean.refresh_from_db()
    warned.refresh_from_db()
    assert (clean.status, warned.status) == ("approved", "submitted")
    assert AuditEvent.objects.filter(action="submission.approve").count() == 1
    assert review.approve_clean(acting_user=office(), schedule=schedule, period_id="2026Q3").approved == []


def test_an_outlier_keeps_a_report_out_of_the_batch():
    from reporting.tests.builders_entry import commune_unit, office

    schedule = commune_schedule(first="2025Q1")
    for period in ("2025Q3", "2025Q4", "2026Q1", "2026Q2"):
        submitted(schedule, period, commune_unit(), MGMT_USERS_T="4")
    import time_machine

    from reporting.tests.builders_entry import at, valid_input

    due = S.due_date(schedule, S.period_of(schedule, "2026Q3"))
    with time_machine.travel(at(due), tick=False):
        odd = open_sub(schedule, "2026Q3", on=due)
        data = {**valid_input(schedule, MGMT_USERS_T="40"), "c-MGMT_USERS": "Đợt rà soát mới."}
        assert save(odd, data, submit=True, on=due).submitted  # explained, so it could be submitted
    notes = review.review_notes(schedule, "2026Q3", [odd])
    assert any(n.startswith("Khác thường: ") for n in notes[odd.pk])
    assert review.approve_clean(acting_user=office(), schedule=schedule, period_id="2026Q3").held == 1


def test_batch_approval_is_the_offices_own_provinces_act():
    from django.core.exceptions import PermissionDenied

    from reporting.tests.builders_entry import commune_unit

    schedule = commune_schedule(first="2026Q1")
    sub = submitted(schedule, "2026Q3", commune_unit())
    for username in ("thuongtruc_b", "xa", "lanhdao"):
        with pytest.raises(PermissionDenied):
            review.approve_clean(acting_user=user(username), schedule=schedule, period_id="2026Q3")
    sub.refresh_from_db()
    assert sub.status == "submitted"
