"""Writers of task tracking: rights re-checked, audit old → new, optimistic lock, upload limits."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from core.tests import samples
from geo.models import Commune
from plans.models import TaskAttachment, TaskStatus, TaskUpdate
from plans.services import tracking
from plans.services.tracking import StaleTaskError
from plans.tests.builders import agency, make_plan, make_task

TODAY = datetime.date(2026, 6, 5)
DAY = datetime.timedelta(days=1)
S = TaskStatus


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(
        datetime.datetime(2026, 6, 5, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7))), tick=False
    ):
        yield


_zip = samples.zip_bytes
PDF, PNG, DOCX, ODT = samples.PDF, samples.PNG, samples.DOCX, samples.ODT


def upload(name, data):
    return SimpleUploadedFile(name, data)


def _state(task):
    task.refresh_from_db()
    return (
        task.status,
        task.progress,
        task.completed_on,
        task.deadline,
        task.version,
        TaskUpdate.objects.filter(task=task).count(),
        AuditEvent.objects.filter(object_type="plans.task", object_id=str(task.pk)).count(),
    )


@pytest.fixture
def task(db):
    return make_task(make_plan(), lead="SYT", cooperating=["CA"], deadline=TODAY + datetime.timedelta(days=10))


# Progress ---------------------------------------------------------------------------------------


def test_the_lead_agency_records_progress_and_it_is_audited(agency_a, task):
    update = tracking.record_progress(
        acting_user=agency_a, task=task, version=1, on=TODAY, text="Đã tổ chức 3 buổi", percent=40
    )
    task.refresh_from_db()
    assert (task.status, task.progress, task.version) == (S.IN_PROGRESS, 40, 2)
    assert update.agency == agency("SYT") and update.author == agency_a and update.percent == 40
    event = AuditEvent.objects.get(action="task.progress", object_id=str(task.pk))
    assert event.changes["status"] == ["not_started", "in_progress"] and event.changes["progress"] == [0, 40]
    assert event.actor == agency_a and event.province_code == "66"


def test_done_sets_100_percent_and_the_completion_date(agency_a, task):
    tracking.record_progress(
        acting_user=agency_a, task=task, version=1, on=TODAY, text="Xong", percent=70, status=S.DONE
    )
    task.refresh_from_db()
    assert (task.status, task.progress, task.completed_on) == (S.DONE, 100, TODAY)
    assert TaskUpdate.objects.get(task=task).percent == 100


def test_done_can_carry_an_earlier_completion_date(agency_a, task):
    earlier = TODAY - datetime.timedelta(days=3)
    tracking.record_progress(
        acting_user=agency_a, task=task, version=1, on=TODAY, text="Xong", status=S.DONE, completed_on=earlier
    )
    task.refresh_from_db()
    assert task.completed_on == earlier


def test_a_note_on_a_done_task_keeps_its_completion_date(agency_a, task):
    earlier = TODAY - datetime.timedelta(days=3)
    tracking.record_progress(acting_user=agency_a, task=task, version=1, on=earlier, text="Xong", status=S.DONE)
    tracking.record_progress(
        acting_user=agency_a, task=task, version=2, on=TODAY, text="Bổ sung biên bản", status=S.DONE
    )
    task.refresh_from_db()
    assert (task.status, task.completed_on) == (S.DONE, earlier)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"on": TODAY + datetime.timedelta(days=1)}, "không được sau ngày hôm nay"),
        ({"percent": 101}, "từ 0 đến 100"),
        ({"text": "   "}, "Hãy nhập nội dung"),
        ({"status": S.PAUSED}, "chỉ chọn"),
        ({"status": S.DONE, "completed_on": TODAY + datetime.timedelta(days=2)}, "Ngày hoàn thành không được sau"),
    ],
)
def test_invalid_progress_is_refused_in_vietnamese_and_nothing_changes(agency_a, task, kwargs, message):
    before = _state(task)
    args = {
        "acting_user": agency_a,
        "task": task,
        "version": 1,
        "on": TODAY,
        "text": "Nội dung",
        "percent": 10,
    } | kwargs
    with pytest.raises(ValidationError) as e:
        tracking.record_progress(**args)
    assert message in str(e.value)
    assert _state(task) == before


def test_a_cooperating_agency_cannot_record_progress(agency_a, db):
    task = make_task(make_plan(), lead="CA", cooperating=["SYT"])
    before = _state(task)
    with pytest.raises(PermissionDenied):
        tracking.record_progress(acting_user=agency_a, task=task, version=1, on=TODAY, text="x")
    assert _state(task) == before


def test_the_office_of_another_province_cannot_record_progress(office_b, task):
    with pytest.raises(PermissionDenied):
        tracking.record_progress(acting_user=office_b, task=task, version=1, on=TODAY, text="x")


def test_the_standing_office_can_record_progress(office_a, task):
    tracking.record_progress(
        acting_user=office_a, task=task, version=1, on=TODAY, text="Cơ quan Thường trực cập nhật", percent=20
    )
    assert TaskUpdate.objects.get(task=task).agency is None


# Optimistic lock ------------------------------------------------------------------------------------


def test_a_stale_version_is_refused_and_nothing_is_lost(agency_a, office_a, task):
    tracking.record_progress(acting_user=office_a, task=task, version=1, on=TODAY, text="Lần 1", percent=10)
    before = _state(task)
    with pytest.raises(StaleTaskError) as e:
        tracking.record_progress(acting_user=agency_a, task=task, version=1, on=TODAY, text="Lần 2", percent=50)
    assert "đã được người khác cập nhật" in str(e.value)
    assert _state(task) == before
    assert list(TaskUpdate.objects.filter(task=task).values_list("text", flat=True)) == ["Lần 1"]


def test_a_status_change_also_checks_the_version(agency_a, task):
    with pytest.raises(StaleTaskError):
        tracking.change_status(acting_user=agency_a, task=task, version=7, status=S.PAUSED, note="Chờ kinh phí")


# Files ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("bao-cao.pdf", PDF),
        ("anh.png", PNG),
        ("bao-cao.docx", DOCX),
        ("bao-cao.odt", ODT),
        ("ho-so.zip", _zip({"a.txt": b"a"})),
    ],
)
def test_accepted_files_are_attached(agency_a, task, name, data):
    update = tracking.record_progress(
        acting_user=agency_a, task=task, version=1, on=TODAY, text="Kèm tệp", files=[upload(name, data)]
    )
    att = TaskAttachment.objects.get(update=update)
    assert att.name == name and att.size == len(data)
    assert att.content_type == tracking.UPLOAD_TYPES[name.rsplit(".", 1)[1]]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("chuong-trinh.exe", b"MZ\x90\x00", "chỉ nhận các định dạng"),
        ("ghi-chu.txt", b"hello", "chỉ nhận các định dạng"),
        ("gia-mao.pdf", b"MZ\x90\x00 not a pdf", "không đúng định dạng .pdf"),
        ("gia-mao.docx", _zip({"a.txt": b"a"}), "không đúng định dạng .docx"),
        ("gia-mao.xlsx", PDF, "không đúng định dạng .xlsx"),
        ("gia-mao.jpg", PNG, "không đúng định dạng .jpg"),
        ("rong.pdf", b"", "rỗng"),
    ],
)
def test_wrong_types_are_refused_by_extension_and_content(agency_a, task, name, data, message):
    before = _state(task)
    with pytest.raises(ValidationError) as e:
        tracking.record_progress(
            acting_user=agency_a, task=task, version=1, on=TODAY, text="x", files=[upload(name, data)]
        )
    assert message in str(e.value)
    assert _state(task) == before and not TaskAttachment.objects.exists()


def test_a_file_over_10_mb_is_refused(agency_a, task):
    big = upload("lon.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as e:
        tracking.record_progress(acting_user=agency_a, task=task, version=1, on=TODAY, text="x", files=[big])
    assert "quá lớn" in str(e.value) and "giới hạn là 10,0 MB" in str(e.value)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bao-cao.docx", samples.docx_bomb(200 * 1024 * 1024), "khi giải nén quá lớn"),
        ("bao-cao.docx", samples.lying_docx(), "bị hỏng"),
        ("bao-cao.pdf", b"%PDF-1.7\n" + b"rac" * 400 + b"\n%%EOF\n", "tệp PDF bị hỏng"),
        ("bao-cao.pdf", PDF[: len(PDF) // 2], "tệp PDF bị hỏng"),
        ("anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "ảnh bị hỏng"),
    ],
    ids=["docx-bomb", "docx-lying-sizes", "pdf-garbage", "pdf-truncated", "png-damaged"],
)
def test_a_zip_bomb_or_a_malformed_file_is_refused_and_nothing_is_written(agency_a, task, name, data, message):
    before = _state(task)
    for write in (
        lambda f: tracking.record_progress(acting_user=agency_a, task=task, version=1, on=TODAY, text="x", files=[f]),
        lambda f: tracking.record_contribution(acting_user=agency_a, task=task, on=TODAY, text="x", files=[f]),
    ):
        with pytest.raises(ValidationError) as e:
            write(upload(name, data))
        assert message in str(e.value) and f"«{name}»" in str(e.value)
    assert _state(task) == before and not TaskAttachment.objects.exists() and not TaskUpdate.objects.exists()


def test_a_file_of_exactly_10_mb_is_accepted(agency_a, task):
    exact = upload("du.pdf", PDF + b"0" * (10 * 1024 * 1024 - len(PDF)))
    tracking.record_progress(acting_user=agency_a, task=task, version=1, on=TODAY, text="x", files=[exact])
    assert TaskAttachment.objects.count() == 1


def test_more_than_five_files_are_refused(agency_a, task):
    with pytest.raises(ValidationError, match="tối đa 5 tệp"):
        tracking.record_progress(
            acting_user=agency_a,
            task=task,
            version=1,
            on=TODAY,
            text="x",
            files=[upload(f"{i}.pdf", PDF) for i in range(6)],
        )


# Contributions -----------------------------------------------------------------------------------------


def test_a_cooperating_agency_contributes_without_changing_the_task(agency_a, db):
    task = make_task(make_plan(), lead="CA", cooperating=["SYT"])
    before = _state(task)
    update = tracking.record_contribution(
        acting_user=agency_a,
        task=task,
        on=TODAY,
        text="Sở Y tế đã phối hợp khám sàng lọc",
        files=[upload("ds.pdf", PDF)],
    )
    task.refresh_from_db()
    assert (task.status, task.progress, task.version) == before[:2] + (before[4],)
    assert update.kind == TaskUpdate.Kind.CONTRIBUTION and update.agency == agency("SYT")
    assert AuditEvent.objects.filter(action="task.contribution", object_id=str(task.pk)).exists()


def test_an_agency_that_does_not_cooperate_cannot_contribute(agency_a, db):
    task = make_task(make_plan(), lead="CA", cooperating=["SGDDT"])
    with pytest.raises(PermissionDenied):
        tracking.record_contribution(acting_user=agency_a, task=task, on=TODAY, text="x")
    assert not TaskUpdate.objects.exists()


# Status ----------------------------------------------------------------------------------------------


def test_the_lead_pauses_with_a_reason_and_resumes(agency_a, task):
    with pytest.raises(ValidationError, match="Hãy nêu lý do"):
        tracking.change_status(acting_user=agency_a, task=task, version=1, status=S.PAUSED)
    tracking.change_status(acting_user=agency_a, task=task, version=1, status=S.PAUSED, note="Chờ bố trí kinh phí")
    task.refresh_from_db()
    assert task.status == S.PAUSED and task.status_label == "Tạm dừng"
    assert "Chưa thực hiện → Tạm dừng" in TaskUpdate.objects.get(task=task).text
    tracking.change_status(acting_user=agency_a, task=task, version=2, status=S.IN_PROGRESS)
    task.refresh_from_db()
    assert task.status == S.IN_PROGRESS
    assert AuditEvent.objects.filter(action="task.status", object_id=str(task.pk)).count() == 2


def test_only_the_office_puts_a_task_back_to_waiting_for_guidance(agency_a, office_a, task):
    with pytest.raises(PermissionDenied):
        tracking.change_status(
            acting_user=agency_a, task=task, version=1, status=S.WAITING_GUIDANCE, note="Chờ Bộ Y tế"
        )
    tracking.change_status(acting_user=office_a, task=task, version=1, status=S.WAITING_GUIDANCE, note="Chờ Bộ Y tế")
    task.refresh_from_db()
    assert task.status == S.WAITING_GUIDANCE


def test_a_cooperating_agency_cannot_change_the_status(agency_a, db):
    task = make_task(make_plan(), lead="CA", cooperating=["SYT"])
    with pytest.raises(PermissionDenied):
        tracking.change_status(acting_user=agency_a, task=task, version=1, status=S.PAUSED, note="x")


# Guidance ---------------------------------------------------------------------------------------------


def test_guidance_starts_a_waiting_task(agency_a, db):
    task = make_task(
        make_plan(), lead="SYT", status=S.WAITING_GUIDANCE, condition="sau khi Bộ Y tế có hướng dẫn thực hiện"
    )
    with pytest.raises(ValidationError, match="chờ hướng dẫn"):
        tracking.record_progress(acting_user=agency_a, task=task, version=1, on=TODAY, text="x")
    tracking.record_guidance(
        acting_user=agency_a,
        task=task,
        version=1,
        received_on=TODAY - datetime.timedelta(days=2),
        document="Công văn 123/BYT-KCB ngày 03/6/2026",
    )
    task.refresh_from_db()
    assert task.status == S.IN_PROGRESS and task.guidance_received_on == TODAY - datetime.timedelta(days=2)
    assert task.guidance_note.startswith("Công văn 123/BYT-KCB")
    event = AuditEvent.objects.get(action="task.guidance", object_id=str(task.pk))
    assert event.changes["status"] == ["waiting_guidance", "in_progress"]


def test_guidance_can_leave_the_task_not_started(office_a, db):
    task = make_task(make_plan(), lead="SYT", status=S.WAITING_GUIDANCE)
    tracking.record_guidance(
        acting_user=office_a, task=task, version=1, received_on=TODAY, document="HD 01", status=S.NOT_STARTED
    )
    task.refresh_from_db()
    assert task.status == S.NOT_STARTED


def test_guidance_on_a_task_that_is_not_waiting_is_refused(agency_a, task):
    with pytest.raises(ValidationError, match="không ở trạng thái chờ hướng dẫn"):
        tracking.record_guidance(acting_user=agency_a, task=task, version=1, received_on=TODAY, document="HD")


def test_a_waiting_task_leaves_only_through_guidance(agency_a, db):
    task = make_task(make_plan(), lead="SYT", status=S.WAITING_GUIDANCE)
    with pytest.raises(ValidationError, match="ghi nhận văn bản hướng dẫn"):
        tracking.change_status(acting_user=agency_a, task=task, version=1, status=S.IN_PROGRESS)


# Tasks addressed to many units ------------------------------------------------------------------------


def test_a_commune_reports_on_its_own_share_of_a_task_for_every_commune(commune_a, db):
    task = make_task(make_plan(), lead="UBNDX")
    n = task.units.count()
    assert n == Commune.objects.filter(province_id="66").count() and n > 1
    update = tracking.record_progress(
        acting_user=commune_a, task=task, version=99, on=TODAY, text="Phường đã triển khai", percent=50
    )
    task.refresh_from_db()
    unit = task.units.get(commune_id="24133")
    assert update.commune_id == "24133" and update.agency is None and update.unit == unit
    assert (unit.status, unit.progress, unit.reported_on) == (S.IN_PROGRESS, 50, TODAY)
    assert task.status == S.IN_PROGRESS and task.progress == round(50 / n)  # the mean of the units
    tracking.record_progress(acting_user=commune_a, task=task, version=task.version, on=TODAY, text="x", status=S.DONE)
    unit.refresh_from_db()
    task.refresh_from_db()
    assert unit.status == S.DONE and unit.completed_on == TODAY
    assert task.status == S.IN_PROGRESS  # the other communes are not done
    with pytest.raises(PermissionDenied):
        tracking.change_status(acting_user=commune_a, task=task, version=task.version, status=S.PAUSED, note="x")


def test_a_group_task_is_done_when_every_unit_is(office_a, commune_a, db):
    task = make_task(make_plan(), lead="UBNDX")
    task.units.exclude(commune_id="24133").update(status=S.DONE, progress=100, completed_on=TODAY - DAY)
    tracking.record_progress(acting_user=commune_a, task=task, version=1, on=TODAY, text="Xong", status=S.DONE)
    task.refresh_from_db()
    assert (task.status, task.progress, task.completed_on) == (S.DONE, 100, TODAY)


def test_an_agency_reports_on_a_task_for_all_departments_as_itself(agency_a, db):
    task = make_task(make_plan(), lead="SBN")
    update = tracking.record_progress(acting_user=agency_a, task=task, version=1, on=TODAY, text="Sở Y tế đã thực hiện")
    assert update.agency == agency("SYT")
