"""Deadline extensions: the lead requests, the Standing Office grants or refuses; the original
deadline stays on record and the requester is notified."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from notices.models import Notification
from plans.models import DeadlineExtension, TaskStatus
from plans.services import tracking
from plans.tests.builders import make_plan, make_task

TODAY = datetime.date(2026, 6, 5)
DEADLINE = datetime.date(2026, 6, 10)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(
        datetime.datetime(2026, 6, 5, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7))), tick=False
    ):
        yield


@pytest.fixture
def task(db):
    return make_task(make_plan(), lead="SYT", cooperating=["CA"], deadline=DEADLINE)


def _request(user, task, new=datetime.date(2026, 7, 15), reason="Chờ kinh phí bổ sung"):
    return tracking.request_extension(acting_user=user, task=task, new_deadline=new, reason=reason)


def test_the_lead_requests_and_the_office_is_told(agency_a, office_a, task, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ext = _request(agency_a, task)
    assert (ext.status, ext.old_deadline, ext.new_deadline) == (
        DeadlineExtension.Status.PENDING,
        DEADLINE,
        datetime.date(2026, 7, 15),
    )
    assert Notification.objects.filter(user=office_a, key=f"task-extension-{ext.pk}-requested").exists()
    assert AuditEvent.objects.filter(action="task.extension_request", object_id=str(task.pk)).exists()


@pytest.mark.parametrize(
    ("new", "message"),
    [
        (TODAY, "phải sau ngày hôm nay"),
        (DEADLINE, "phải sau thời hạn hiện tại (10/06/2026)"),
        (DEADLINE - datetime.timedelta(days=1), "phải sau thời hạn hiện tại"),
    ],
)
def test_the_new_date_must_be_later_than_today_and_the_deadline(agency_a, task, new, message):
    with pytest.raises(ValidationError) as e:
        _request(agency_a, task, new=new)
    assert message in str(e.value)
    assert not DeadlineExtension.objects.exists()


def test_a_reason_is_required(agency_a, task):
    with pytest.raises(ValidationError, match="lý do"):
        _request(agency_a, task, reason="  ")


def test_one_pending_request_at_a_time(agency_a, task):
    _request(agency_a, task)
    with pytest.raises(ValidationError, match="đang chờ"):
        _request(agency_a, task, new=datetime.date(2026, 8, 1))


def test_no_extension_for_a_task_without_deadline_or_done(agency_a, db):
    plan = make_plan()
    with pytest.raises(ValidationError, match="không có thời hạn"):
        _request(agency_a, make_task(plan, lead="SYT"))
    with pytest.raises(ValidationError, match="đã hoàn thành"):
        _request(agency_a, make_task(plan, lead="SYT", deadline=DEADLINE, status=TaskStatus.DONE, completed_on=TODAY))


def test_a_cooperating_agency_cannot_request(agency_a, db):
    task = make_task(make_plan(), lead="CA", cooperating=["SYT"], deadline=DEADLINE)
    with pytest.raises(PermissionDenied):
        _request(agency_a, task)


def test_granting_moves_the_deadline_keeps_the_original_and_notifies(
    agency_a, office_a, task, django_capture_on_commit_callbacks
):
    ext = _request(agency_a, task)
    with django_capture_on_commit_callbacks(execute=True):
        tracking.decide_extension(acting_user=office_a, extension=ext, grant=True)
    task.refresh_from_db()
    ext.refresh_from_db()
    assert (task.deadline, task.original_deadline, task.version) == (datetime.date(2026, 7, 15), DEADLINE, 2)
    assert ext.status == DeadlineExtension.Status.GRANTED and ext.decided_by == office_a
    n = Notification.objects.get(user=agency_a, key=f"task-extension-{ext.pk}-decided")
    assert "gia hạn đến 15/07/2026" in n.title
    event = AuditEvent.objects.get(action="task.extension_grant", object_id=str(task.pk))
    assert event.changes["deadline"] == ["2026-06-10", "2026-07-15"]
    # a second extension keeps the first original deadline
    ext2 = _request(agency_a, task, new=datetime.date(2026, 9, 1))
    tracking.decide_extension(acting_user=office_a, extension=ext2, grant=True)
    task.refresh_from_db()
    assert (task.deadline, task.original_deadline) == (datetime.date(2026, 9, 1), DEADLINE)


def test_refusing_needs_a_note_and_leaves_the_deadline(agency_a, office_a, task, django_capture_on_commit_callbacks):
    ext = _request(agency_a, task)
    with pytest.raises(ValidationError, match="lý do không đồng ý"):
        tracking.decide_extension(acting_user=office_a, extension=ext, grant=False)
    with django_capture_on_commit_callbacks(execute=True):
        tracking.decide_extension(acting_user=office_a, extension=ext, grant=False, note="Đề nghị hoàn thành đúng hạn")
    task.refresh_from_db()
    ext.refresh_from_db()
    assert (task.deadline, task.original_deadline) == (DEADLINE, None)
    assert ext.status == DeadlineExtension.Status.REFUSED and ext.decision_note == "Đề nghị hoàn thành đúng hạn"
    assert "không được gia hạn" in Notification.objects.get(user=agency_a).title
    with pytest.raises(ValidationError, match="đã được xem xét"):
        tracking.decide_extension(acting_user=office_a, extension=ext, grant=True)


@pytest.mark.parametrize("persona", ["agency_a", "office_b", "leader_a"])
def test_only_the_provinces_office_decides(request, agency_a, task, persona):
    ext = _request(agency_a, task)
    with pytest.raises(PermissionDenied):
        tracking.decide_extension(acting_user=request.getfixturevalue(persona), extension=ext, grant=True)
    task.refresh_from_db()
    ext.refresh_from_db()
    assert task.deadline == DEADLINE and ext.status == DeadlineExtension.Status.PENDING


def test_an_extension_turns_an_overdue_task_back_to_in_time(agency_a, office_a, db):
    task = make_task(
        make_plan(), lead="SYT", deadline=TODAY - datetime.timedelta(days=3), status=TaskStatus.IN_PROGRESS
    )
    assert tracking.classify(task.status, task.deadline, task.completed_on, TODAY) == tracking.Bucket.OVERDUE
    tracking.decide_extension(acting_user=office_a, extension=_request(agency_a, task), grant=True)
    task.refresh_from_db()
    assert tracking.classify(task.status, task.deadline, task.completed_on, TODAY) == tracking.Bucket.ONGOING
    assert task.status_label == "Đang thực hiện"


@pytest.fixture
def office_a2(db):
    """A second Standing Office officer of province A (two officers deciding)."""
    from django.utils import timezone

    from access.roles import Role
    from accounts.models import RoleAssignment, User

    user = User.objects.create(username="thuongtruc2", full_name="Cán bộ thứ hai", province_id="66")
    RoleAssignment.objects.create(user=user, role=Role.STANDING_OFFICE, province_id="66", approved_at=timezone.now())
    return user


def test_a_second_decision_is_refused_and_changes_nothing(agency_a, office_a, office_a2, task):
    ext = _request(agency_a, task)
    tracking.decide_extension(acting_user=office_a, extension=ext, grant=True)
    task.refresh_from_db()
    ext.refresh_from_db()
    before = (task.deadline, task.version, ext.status, ext.decided_by_id, ext.decided_at, AuditEvent.objects.count())
    for grant, note in ((True, ""), (False, "Không đồng ý")):
        with pytest.raises(ValidationError, match="Đề nghị này đã được xem xét."):
            tracking.decide_extension(acting_user=office_a2, extension=ext, grant=grant, note=note)
    task.refresh_from_db()
    ext.refresh_from_db()
    assert (
        task.deadline,
        task.version,
        ext.status,
        ext.decided_by_id,
        ext.decided_at,
        AuditEvent.objects.count(),
    ) == before


def test_two_officers_deciding_at_once_only_one_decision_wins(agency_a, office_a, office_a2, task, monkeypatch):
    """The second officer's transaction read the request while it was still pending (before the
    first decision committed): its write must not overwrite the first decision."""
    ext = _request(agency_a, task)
    tracking.decide_extension(acting_user=office_a, extension=ext, grant=False, note="Không đủ căn cứ")
    read = tracking._pending_extension

    def stale_read(pk):
        seen = read(pk)
        seen.status = DeadlineExtension.Status.PENDING  # what a concurrent reader saw
        return seen

    monkeypatch.setattr(tracking, "_pending_extension", stale_read)
    with pytest.raises(ValidationError, match="Đề nghị này đã được xem xét."):
        tracking.decide_extension(acting_user=office_a2, extension=ext, grant=True)
    task.refresh_from_db()
    ext.refresh_from_db()
    assert (task.deadline, task.version, ext.status, ext.decided_by) == (
        DEADLINE,
        1,
        DeadlineExtension.Status.REFUSED,
        office_a,
    )
    assert not AuditEvent.objects.filter(action="task.extension_grant").exists()
