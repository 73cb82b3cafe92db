"""Task tracking: the only writers of progress, contributions, status, guidance and extensions.

Also the counting rules of the Vietnamese task-tracking regulations (QĐ 42/2014/QĐ-TTg family)
and the deadline reminders. Every writer takes `acting_user=`, runs in one transaction,
re-checks the right through `Task.objects.for_user(acting_user, action)` inside it, and writes
an audit event with the old and new values. Notifications go out on commit.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone

from access.policy import reach
from access.roles import Role
from agencies.catalogue import Kind
from audit.services import diff, record
from core import uploads
from plans.models import (
    DeadlineExtension,
    Plan,
    Task,
    TaskAttachment,
    TaskReminder,
    TaskStatus,
    TaskUnit,
    TaskUnitPeriod,
    TaskUpdate,
    shared_task_q,
    today,
)
from plans.services import recurring
from plans.services import units as unit_rules

if TYPE_CHECKING:
    from accounts.models import User

STALE_MESSAGE = (
    "Nhiệm vụ đã được người khác cập nhật trong lúc bạn nhập. Thông tin mới nhất đang hiển thị; "
    "nội dung bạn nhập vẫn được giữ nguyên, hãy xem lại rồi gửi lại."
)
GROUP_STATUS_MESSAGE = (
    "Nhiệm vụ giao chung cho nhiều đơn vị: mỗi đơn vị báo cáo phần việc của mình, "
    "trạng thái chung do Cơ quan Thường trực cập nhật."
)
NO_UNIT_MESSAGE = "Đơn vị của bạn không có trong danh sách đơn vị được giao nhiệm vụ này."


class StaleTaskError(ValidationError):
    """The task changed since the form was opened (optimistic lock on `Task.version`)."""

    def __init__(self) -> None:
        super().__init__(STALE_MESSAGE, code="stale")


# ---------------------------------------------------------------------------------------------
# Uploads: the shared check of core.uploads (type by extension and content, size, unpacking).

UPLOAD_TYPES: dict[str, str] = {ext: uploads.TYPES[ext].content_type for ext in uploads.ATTACHMENT_EXTENSIONS}
MAX_FILES = 5
TYPES_LABEL = uploads.types_label(uploads.ATTACHMENT_EXTENSIONS)


def check_upload(f: Any) -> str:
    """Refuse a file that is too large, not of an accepted type, or whose content does not match
    its extension (a renamed .exe, a zip bomb, a damaged PDF); return its content type."""
    return uploads.check_file(f, uploads.ATTACHMENT_EXTENSIONS)


def check_uploads(files: Sequence[Any]) -> list[str]:
    if len(files) > MAX_FILES:
        raise ValidationError(f"Mỗi lần cập nhật đính kèm tối đa {MAX_FILES} tệp.", code="file_count")
    return [check_upload(f) for f in files]


# ---------------------------------------------------------------------------------------------
# Rights and the unit a person acts for.


def is_group_member(user: User, task: Task) -> bool:
    """True when the user updates the task only as one of the many units it is addressed to
    (on a task given to a list, the listed lead agency too reports on its own share)."""
    r = reach(user, "task.update")
    if r.covers_province(task.province_id) or not unit_rules.is_group_task(task):
        return False
    return task.units_listed or task.lead_agency_id not in r.agencies


def can(user: User, task: Task, action: str) -> bool:
    return Task.objects.for_user(user, action).filter(pk=task.pk).exists()


def _locked(user: User, task: Task, action: str, message: str) -> Task:
    """The task, row-locked, if the user holds `action` on it now; PermissionDenied otherwise."""
    locked = Task.objects.for_user(user, action).select_for_update(of=("self",)).filter(pk=task.pk).first()
    if locked is None:
        raise PermissionDenied(message)
    return locked


def _unit(user: User, task: Task, agency_ids: Iterable[int]) -> tuple[int | None, str | None]:
    """(agency id, commune code) the user acts for on this task."""
    r = reach(user, "task.update")
    if task.lead_agency_id in r.agencies:
        return task.lead_agency_id, None
    mine = sorted(set(agency_ids) & r.agencies)
    if mine:
        return mine[0], None
    lead = task.lead_agency
    if lead is not None and lead.kind == Kind.COMMUNE_GROUP and r.communes:
        from geo.models import Commune

        code = (
            Commune.objects.filter(code__in=sorted(r.communes), province_id=task.province_id)
            .order_by("code")
            .values_list("code", flat=True)
            .first()
        )
        return None, code
    if lead is not None and lead.kind == Kind.GROUP and r.agencies:
        from agencies.models import Agency

        return Agency.objects.filter(pk__in=sorted(r.agencies), province_id=task.province_id).order_by(
            "pk"
        ).values_list("pk", flat=True).first(), None
    return None, None


def _check_version(task: Task, version: int | None) -> None:
    if version is not None and version != task.version:
        raise StaleTaskError


def _save_task(task: Task, version: int, **values: Any) -> None:
    """Write `values` only if nobody changed the task since `version` was read."""
    n = Task.objects.filter(pk=task.pk, version=version).update(
        version=F("version") + 1, updated_at=timezone.now(), **values
    )
    if n != 1:
        raise StaleTaskError
    for k, v in values.items():
        setattr(task, k, v)
    task.version = version + 1


def _attach(update: TaskUpdate, files: Sequence[Any], types: list[str]) -> None:
    for f, content_type in zip(files, types, strict=True):
        TaskAttachment.objects.create(update=update, file=f, name=f.name[:255], size=f.size, content_type=content_type)


def _snapshot(task: Task) -> dict[str, Any]:
    return {
        "status": task.status,
        "progress": task.progress,
        "completed_on": task.completed_on,
        "deadline": task.deadline,
    }


def _on_commit_notify(**kwargs: Any) -> None:
    from notices.services import notify

    transaction.on_commit(lambda: notify(**kwargs))


def _task_url(task: Task) -> str:
    return reverse("plans:task_detail", args=[task.pk])


def _short(task: Task) -> str:
    text = task.text.strip()
    return text if len(text) <= 120 else text[:117] + "…"


def _require_text(text: str, field_name: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field_name: message})
    return text


def _not_future(day: datetime.date, field_name: str, message: str) -> None:
    if day > today():
        raise ValidationError({field_name: message})


def _own_unit(user: User, task: Task) -> TaskUnit:
    """The acting user's unit on a group task, row-locked (created if the group gained a member)."""
    unit = unit_rules.unit_for(user, task)
    if unit is None:
        unit_rules.ensure_units([task])
        recurring.ensure_unit_periods([task])
        unit = unit_rules.unit_for(user, task)
    if unit is None:
        raise PermissionDenied(NO_UNIT_MESSAGE)
    return TaskUnit.objects.select_for_update().select_related("task").get(pk=unit.pk)


def _unit_snapshot(unit: TaskUnit) -> dict[str, Any]:
    return {
        "status": unit.status,
        "progress": unit.progress,
        "completed_on": unit.completed_on,
        "deadline": unit.deadline,
    }


# ---------------------------------------------------------------------------------------------
# Writers.


def record_progress(
    *,
    acting_user: User,
    task: Task,
    version: int,
    on: datetime.date,
    text: str,
    percent: int | None = None,
    status: str = TaskStatus.IN_PROGRESS,
    completed_on: datetime.date | None = None,
    files: Sequence[Any] = (),
) -> TaskUpdate:
    """A progress report by the lead agency (or the Standing Office), optionally changing status.

    `done` sets progress to 100 and a completion date (the report's date by default). A unit
    reporting on a task addressed to all departments or all communes reports on its own share
    (`TaskUnit`): its progress, status and completion date; the task rolls the units up.
    """
    types = check_uploads(files)
    text = _require_text(text, "text", "Hãy nhập nội dung cập nhật.")
    _not_future(on, "on", "Ngày cập nhật không được sau ngày hôm nay.")
    if percent is not None and not 0 <= percent <= 100:
        raise ValidationError({"percent": "Tiến độ phải từ 0 đến 100%."})
    if status not in (TaskStatus.IN_PROGRESS, TaskStatus.DONE):
        raise ValidationError({"status": "Khi cập nhật tiến độ chỉ chọn «Đang thực hiện» hoặc «Hoàn thành»."})
    with transaction.atomic():
        locked = _locked(acting_user, task, "update", "Bạn không có quyền cập nhật tiến độ nhiệm vụ này.")
        member = is_group_member(acting_user, locked)
        if not member:
            _check_version(locked, version)
        if locked.status == TaskStatus.WAITING_GUIDANCE:
            raise ValidationError(
                "Nhiệm vụ đang chờ hướng dẫn của cấp trên: hãy ghi nhận văn bản hướng dẫn trước khi cập nhật tiến độ."
            )
        old = _snapshot(locked)
        values: dict[str, Any] = {}
        unit: TaskUnit | None = None
        finish_on: datetime.date | None = None  # a recurring task: the period finished
        unit_period: TaskUnitPeriod | None = None  # a recurring group task: the unit's period finished
        if member:
            unit = _own_unit(acting_user, locked)
            old_unit = _unit_snapshot(unit)
            if status == TaskStatus.DONE and locked.recurrence and unit.periods.exists():
                # «Hoàn thành» finishes the unit's current period; its next one starts.
                finish_on = completed_on or on
                _not_future(finish_on, "completed_on", "Ngày hoàn thành không được sau ngày hôm nay.")
                unit.status = TaskStatus.IN_PROGRESS
                if percent is not None:
                    unit.progress = percent
                unit.reported_on = max(on, unit.reported_on) if unit.reported_on else on
                unit.save()
                unit_period = recurring.finish_unit_period(locked, unit, finish_on)
                finish_on = None
            elif status == TaskStatus.DONE:
                kept = unit.completed_on if unit.status == TaskStatus.DONE else None
                completed_on = completed_on or kept or on
                _not_future(completed_on, "completed_on", "Ngày hoàn thành không được sau ngày hôm nay.")
                unit.status, unit.progress, unit.completed_on = TaskStatus.DONE, 100, completed_on
                percent = 100
            else:
                unit.status, unit.completed_on = TaskStatus.IN_PROGRESS, None
                if percent is not None:
                    unit.progress = percent
            if unit_period is None:
                unit.reported_on = max(on, unit.reported_on) if unit.reported_on else on
                unit.save()
        elif locked.units.exists():
            # The Standing Office on a task given to a group: a note; the units' reports make the status.
            percent = None
        elif status == TaskStatus.DONE and locked.recurrence and locked.periods.exists():
            # A recurring task: «Hoàn thành» finishes the current period; the next one starts.
            finish_on = completed_on or on
            _not_future(finish_on, "completed_on", "Ngày hoàn thành không được sau ngày hôm nay.")
            values = {"status": TaskStatus.IN_PROGRESS, "completed_on": None}
            if percent is not None:
                values["progress"] = percent
        elif status == TaskStatus.DONE:
            # A later note on a finished task keeps its completion date unless one is given.
            kept = locked.completed_on if locked.status == TaskStatus.DONE else None
            completed_on = completed_on or kept or on
            _not_future(completed_on, "completed_on", "Ngày hoàn thành không được sau ngày hôm nay.")
            values = {"status": TaskStatus.DONE, "progress": 100, "completed_on": completed_on}
            percent = 100
        else:
            values = {"status": TaskStatus.IN_PROGRESS, "completed_on": None}
            if percent is not None:
                values["progress"] = percent
        if values:
            _save_task(locked, locked.version, **values)
        period = recurring.finish_period(locked, finish_on) if finish_on else None
        if unit is not None:
            unit_rules.roll_up(locked)
            agency_id, commune_code = unit.agency_id, unit.commune_id
        else:
            agency_id, commune_code = _unit(acting_user, locked, [])
        update = TaskUpdate.objects.create(
            task=locked,
            kind=TaskUpdate.Kind.PROGRESS,
            unit=unit,
            agency_id=agency_id,
            commune_id=commune_code,
            author=acting_user,
            on=on,
            text=text,
            percent=percent,
        )
        _attach(update, files, types)
        changes: dict[str, Any] = {**diff(old, _snapshot(locked)), "update": update.pk, "files": len(files)}
        if unit is not None:
            changes["unit"] = {"id": unit.pk, **diff(old_unit, _unit_snapshot(unit))}
        if period is not None:
            changes["period"] = {"id": period.pk, "label": period.label, "completed_on": period.completed_on}
        if unit_period is not None:
            changes["unit_period"] = {"period": unit_period.period.label, "completed_on": unit_period.completed_on}
        record(actor=acting_user, action="task.progress", obj=locked, changes=changes, province_code=locked.province_id)
    _refresh(task, locked)
    return update


def record_contribution(
    *, acting_user: User, task: Task, on: datetime.date, text: str, files: Sequence[Any] = ()
) -> TaskUpdate:
    """A cooperating agency's contribution; it does not change the task's status or progress."""
    types = check_uploads(files)
    text = _require_text(text, "text", "Hãy nhập nội dung đóng góp.")
    _not_future(on, "on", "Ngày không được sau ngày hôm nay.")
    with transaction.atomic():
        locked = _locked(acting_user, task, "contribute", "Chỉ cơ quan phối hợp được gửi đóng góp cho nhiệm vụ này.")
        agency_id, _ = _unit(acting_user, locked, locked.cooperating.values_list("pk", flat=True))
        update = TaskUpdate.objects.create(
            task=locked,
            kind=TaskUpdate.Kind.CONTRIBUTION,
            agency_id=agency_id,
            author=acting_user,
            on=on,
            text=text,
        )
        _attach(update, files, types)
        record(
            actor=acting_user,
            action="task.contribution",
            obj=locked,
            changes={"update": update.pk, "files": len(files)},
            province_code=locked.province_id,
        )
    return update


STATUS_TARGETS = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.PAUSED, TaskStatus.WAITING_GUIDANCE)


def change_status(*, acting_user: User, task: Task, version: int, status: str, note: str = "") -> TaskUpdate:
    """Pause, resume, reset, or (Standing Office) put back to waiting for guidance.

    Completion goes through `record_progress`; leaving "chờ hướng dẫn" through `record_guidance`.
    """
    note = (note or "").strip()
    if status not in STATUS_TARGETS:
        raise ValidationError({"status": "Trạng thái không hợp lệ."})
    with transaction.atomic():
        locked = _locked(acting_user, task, "update", "Bạn không có quyền đổi trạng thái nhiệm vụ này.")
        if is_group_member(acting_user, locked):
            raise PermissionDenied(GROUP_STATUS_MESSAGE)
        if status == TaskStatus.WAITING_GUIDANCE and not can(acting_user, locked, "manage"):
            raise PermissionDenied("Chỉ Cơ quan Thường trực chuyển nhiệm vụ sang «Chờ hướng dẫn».")
        _check_version(locked, version)
        if locked.status == status:
            raise ValidationError({"status": "Nhiệm vụ đã ở trạng thái này."})
        if locked.status == TaskStatus.WAITING_GUIDANCE:
            raise ValidationError(
                {"status": "Nhiệm vụ đang chờ hướng dẫn: hãy ghi nhận văn bản hướng dẫn để bắt đầu thực hiện."}
            )
        if status in (TaskStatus.PAUSED, TaskStatus.WAITING_GUIDANCE) and not note:
            raise ValidationError({"note": "Hãy nêu lý do."})
        old = _snapshot(locked)
        old_label = locked.get_status_display()
        _save_task(locked, locked.version, status=status, completed_on=None)
        text = f"Chuyển trạng thái: {old_label} → {locked.get_status_display()}." + (f" {note}" if note else "")
        agency_id, commune_code = _unit(acting_user, locked, [])
        update = TaskUpdate.objects.create(
            task=locked,
            kind=TaskUpdate.Kind.STATUS,
            agency_id=agency_id,
            commune_id=commune_code,
            author=acting_user,
            on=today(),
            text=text,
        )
        record(
            actor=acting_user,
            action="task.status",
            obj=locked,
            changes={**diff(old, _snapshot(locked)), "note": note},
            province_code=locked.province_id,
        )
    _refresh(task, locked)
    return update


def record_guidance(
    *,
    acting_user: User,
    task: Task,
    version: int,
    received_on: datetime.date,
    document: str,
    status: str = TaskStatus.IN_PROGRESS,
) -> TaskUpdate:
    """The guidance a "chờ hướng dẫn" task waited for has arrived: the task can start."""
    document = _require_text(document, "document", "Hãy ghi số, ký hiệu hoặc trích yếu văn bản hướng dẫn.")
    _not_future(received_on, "received_on", "Ngày văn bản hướng dẫn không được sau ngày hôm nay.")
    if status not in (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS):
        raise ValidationError(
            {"status": "Sau khi có hướng dẫn, nhiệm vụ chuyển sang «Chưa thực hiện» hoặc «Đang thực hiện»."}
        )
    with transaction.atomic():
        locked = _locked(acting_user, task, "update", "Bạn không có quyền ghi nhận hướng dẫn cho nhiệm vụ này.")
        if is_group_member(acting_user, locked):
            raise PermissionDenied(GROUP_STATUS_MESSAGE)
        _check_version(locked, version)
        if locked.status != TaskStatus.WAITING_GUIDANCE:
            raise ValidationError("Nhiệm vụ không ở trạng thái chờ hướng dẫn.")
        old = {**_snapshot(locked), "guidance_received_on": None, "guidance_note": locked.guidance_note}
        _save_task(
            locked, locked.version, status=status, guidance_received_on=received_on, guidance_note=document[:500]
        )
        # A task given to a group: every unit still waiting receives the same guidance.
        TaskUnit.objects.filter(task=locked, status=TaskStatus.WAITING_GUIDANCE).update(
            status=TaskStatus.NOT_STARTED, guidance_received_on=received_on, guidance_note=document[:500]
        )
        agency_id, _ = _unit(acting_user, locked, [])
        update = TaskUpdate.objects.create(
            task=locked,
            kind=TaskUpdate.Kind.GUIDANCE,
            agency_id=agency_id,
            author=acting_user,
            on=received_on,
            text=f"Đã có hướng dẫn: {document}",
        )
        new = {**_snapshot(locked), "guidance_received_on": received_on, "guidance_note": locked.guidance_note}
        record(
            actor=acting_user,
            action="task.guidance",
            obj=locked,
            changes=diff(old, new),
            province_code=locked.province_id,
        )
    _refresh(task, locked)
    return update


def request_extension(*, acting_user: User, task: Task, new_deadline: datetime.date, reason: str) -> DeadlineExtension:
    """The lead agency asks the Standing Office for a later deadline."""
    reason = _require_text(reason, "reason", "Hãy nêu lý do đề nghị gia hạn.")
    with transaction.atomic():
        locked = _locked(acting_user, task, "update", "Chỉ cơ quan chủ trì được đề nghị gia hạn nhiệm vụ này.")
        # On a task given to a group, a unit asks for its own share only.
        unit = _own_unit(acting_user, locked) if is_group_member(acting_user, locked) else None
        status = unit.status if unit is not None else locked.status
        current = unit.due if unit is not None else locked.deadline
        if status == TaskStatus.DONE:
            raise ValidationError("Nhiệm vụ đã hoàn thành, không cần gia hạn.")
        if current is None:
            raise ValidationError("Nhiệm vụ không có thời hạn cụ thể nên không cần gia hạn.")
        if new_deadline <= today():
            raise ValidationError({"new_deadline": "Thời hạn đề nghị phải sau ngày hôm nay."})
        if new_deadline <= current:
            raise ValidationError(
                {"new_deadline": f"Thời hạn đề nghị phải sau thời hạn hiện tại ({current:%d/%m/%Y})."}
            )
        if locked.extensions.filter(status=DeadlineExtension.Status.PENDING, unit=unit).exists():
            raise ValidationError("Nhiệm vụ đã có một đề nghị gia hạn đang chờ Cơ quan Thường trực xem xét.")
        ext = DeadlineExtension.objects.create(
            task=locked,
            unit=unit,
            requested_by=acting_user,
            reason=reason,
            old_deadline=current,
            new_deadline=new_deadline,
        )
        record(
            actor=acting_user,
            action="task.extension_request",
            obj=locked,
            province_code=locked.province_id,
            changes={
                "extension": ext.pk,
                "deadline": [current, new_deadline],
                "reason": reason,
                "unit": unit.pk if unit is not None else None,
            },
        )
        from accounts.selectors import holders

        office = holders(role=Role.STANDING_OFFICE, province_id=locked.province_id)
        _on_commit_notify(
            users=list(office),
            key=f"task-extension-{ext.pk}-requested",
            title=f"Đề nghị gia hạn nhiệm vụ đến {new_deadline:%d/%m/%Y}"
            + (f" ({unit.name})" if unit is not None else ""),
            body=f"{_short(locked)}\nLý do: {reason}",
            url=_task_url(locked),
        )
    return ext


DECIDED_MESSAGE = "Đề nghị này đã được xem xét."


class ExtensionDecidedError(ValidationError):
    """The extension request was already granted or refused (a double click, or two officers)."""

    def __init__(self) -> None:
        super().__init__(DECIDED_MESSAGE, code="decided")


def _pending_extension(pk: int) -> DeadlineExtension:
    """The request, row-locked where the database supports it."""
    return DeadlineExtension.objects.select_for_update().get(pk=pk)


def decide_extension(
    *, acting_user: User, extension: DeadlineExtension, grant: bool, note: str = ""
) -> DeadlineExtension:
    """The Standing Office grants (the deadline moves, the original stays) or refuses with a note.

    Only one decision is ever recorded: a second one (a double click, or two officers at once)
    raises `ExtensionDecidedError` and changes nothing. The decision is written by a conditional
    update on the still-pending row, so it holds even where rows cannot be locked.
    """
    note = (note or "").strip()
    with transaction.atomic():
        task = _locked(acting_user, extension.task, "manage", "Chỉ Cơ quan Thường trực được quyết định gia hạn.")
        ext = _pending_extension(extension.pk)
        if ext.status != DeadlineExtension.Status.PENDING:
            raise ExtensionDecidedError
        if not grant and not note:
            raise ValidationError({"note": "Hãy ghi ý kiến (lý do không đồng ý)."})
        old = _snapshot(task)
        unit = TaskUnit.objects.select_for_update().get(pk=ext.unit_id) if ext.unit_id else None
        if grant and unit is not None:
            # A unit's extension moves that unit's deadline; the task and the other units keep theirs.
            current = unit.deadline or task.deadline
            if current is not None and ext.new_deadline <= current:
                raise ValidationError("Thời hạn đề nghị không còn sau thời hạn hiện tại của đơn vị.")
            unit.original_deadline = unit.original_deadline or task.deadline
            unit.deadline = ext.new_deadline
            unit.save(update_fields=["deadline", "original_deadline", "updated_at"])
        elif grant:
            if task.deadline is not None and ext.new_deadline <= task.deadline:
                raise ValidationError("Thời hạn đề nghị không còn sau thời hạn hiện tại của nhiệm vụ.")
            _save_task(
                task, task.version, deadline=ext.new_deadline, original_deadline=task.original_deadline or task.deadline
            )
        ext.status = DeadlineExtension.Status.GRANTED if grant else DeadlineExtension.Status.REFUSED
        ext.decided_by, ext.decided_at, ext.decision_note = acting_user, timezone.now(), note
        won = DeadlineExtension.objects.filter(pk=ext.pk, status=DeadlineExtension.Status.PENDING).update(
            status=ext.status,
            decided_by=acting_user,
            decided_at=ext.decided_at,
            decision_note=note,
        )
        if won != 1:
            raise ExtensionDecidedError  # rolls back the deadline written above
        changes = {**diff(old, _snapshot(task)), "extension": ext.pk, "decision": ext.status, "note": note}
        if unit is not None:
            changes["unit"] = {"id": unit.pk, "deadline": [ext.old_deadline, unit.deadline]}
        record(
            actor=acting_user,
            action="task.extension_grant" if grant else "task.extension_refuse",
            obj=task,
            changes=changes,
            province_code=task.province_id,
        )
        if ext.requested_by_id:
            verdict = f"được gia hạn đến {ext.new_deadline:%d/%m/%Y}" if grant else "không được gia hạn"
            _on_commit_notify(
                users=[ext.requested_by],
                key=f"task-extension-{ext.pk}-decided",
                title=f"Đề nghị gia hạn: nhiệm vụ {verdict}",
                body=_short(task) + (f"\nÝ kiến: {note}" if note else ""),
                url=_task_url(task),
            )
    extension.status, extension.decision_note = ext.status, ext.decision_note
    _refresh(extension.task, task)
    return ext


def _refresh(target: Task, source: Task) -> None:
    """Copy the written state back onto the caller's instance."""
    if target is source:
        return
    for f in (
        "status",
        "progress",
        "completed_on",
        "deadline",
        "original_deadline",
        "guidance_received_on",
        "guidance_note",
        "version",
    ):
        setattr(target, f, getattr(source, f))


# ---------------------------------------------------------------------------------------------
# Counting (QĐ 42/2014/QĐ-TTg family).


class Bucket(models.TextChoices):
    """The counting classes. A task waiting for guidance from above is counted apart.

    Judged against the current deadline (a granted extension moves it). A paused task counts as
    unfinished. An unfinished task without a deadline is "không thời hạn": neither on time nor late.
    """

    DONE_ON_TIME = "done_on_time", "Hoàn thành đúng hạn"
    DONE_LATE = "done_late", "Hoàn thành quá hạn"
    ONGOING = "ongoing", "Đang thực hiện trong hạn"
    OVERDUE = "overdue", "Quá hạn chưa hoàn thành"
    WAITING = "waiting", "Chờ hướng dẫn"
    NO_DEADLINE = "no_deadline", "Không thời hạn"


def classify(
    status: str, deadline: datetime.date | None, completed_on: datetime.date | None, on: datetime.date
) -> Bucket:
    """The counting class of one task on day `on` (pure: no database)."""
    if status == TaskStatus.DONE:
        if deadline is None or completed_on is None or completed_on <= deadline:
            return Bucket.DONE_ON_TIME
        return Bucket.DONE_LATE
    if status == TaskStatus.WAITING_GUIDANCE:
        return Bucket.WAITING
    if deadline is None:
        return Bucket.NO_DEADLINE
    if deadline >= on:
        return Bucket.ONGOING
    return Bucket.OVERDUE


@dataclass
class Counts:
    done_on_time: int = 0
    done_late: int = 0
    ongoing: int = 0
    no_deadline: int = 0
    overdue: int = 0
    waiting: int = 0

    @property
    def total(self) -> int:
        return self.done_on_time + self.done_late + self.ongoing + self.no_deadline + self.overdue + self.waiting

    @property
    def done(self) -> int:
        return self.done_on_time + self.done_late

    @property
    def done_percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(**{b.value: getattr(self, b.value) + getattr(other, b.value) for b in Bucket})

    def as_dict(self) -> dict[str, int]:
        return {b.value: getattr(self, b.value) for b in Bucket} | {"total": self.total}


def count_rows(rows: Iterable[Mapping[str, Any]], on: datetime.date) -> Counts:
    """Count rows with keys status, deadline, completed_on (pure)."""
    c = Counts()
    for r in rows:
        b = classify(r["status"], r["deadline"], r["completed_on"], on)
        setattr(c, b.value, getattr(c, b.value) + 1)
    return c


def bucket_q(bucket: str, on: datetime.date, prefix: str = "", *, deadline: str = "deadline") -> Q:
    """The database form of `classify` for one class (`prefix` for lookups across a relation;
    `deadline`: the field holding the deadline, "due_on" for `TaskUnit.objects.with_deadline()`)."""

    def f(name: str) -> str:
        return f"{prefix}{deadline}{name[8:]}" if name.startswith("deadline") else f"{prefix}{name}"

    done = Q(**{f("status"): TaskStatus.DONE})
    waiting = Q(**{f("status"): TaskStatus.WAITING_GUIDANCE})
    no_deadline = Q(**{f("deadline__isnull"): True})
    if bucket == Bucket.DONE_ON_TIME:
        return done & (
            no_deadline | Q(**{f("completed_on__isnull"): True}) | Q(**{f("completed_on__lte"): F(f("deadline"))})
        )
    if bucket == Bucket.DONE_LATE:
        return done & Q(**{f("completed_on__gt"): F(f("deadline"))})
    if bucket == Bucket.WAITING:
        return waiting
    open_ = ~done & ~waiting
    if bucket == Bucket.ONGOING:
        return open_ & Q(**{f("deadline__gte"): on})
    if bucket == Bucket.NO_DEADLINE:
        return open_ & no_deadline
    if bucket == Bucket.OVERDUE:
        return open_ & Q(**{f("deadline__lt"): on})
    raise ValueError(bucket)


def count_aggregates(on: datetime.date, prefix: str = "", *, distinct: bool = False) -> dict[str, Count]:
    """One conditional Count per class (`prefix` counts tasks across a relation, e.g. "tasks__")."""
    pk = f"{prefix}pk" if prefix else "pk"
    return {b.value: Count(pk, filter=bucket_q(b, on, prefix), distinct=distinct or bool(prefix)) for b in Bucket}


def count_queryset(qs: QuerySet[Task], on: datetime.date | None = None) -> Counts:
    """The classes of a task queryset, in one query."""
    on = on or today()
    return Counts(**qs.aggregate(**count_aggregates(on)))


@dataclass
class MatrixRow:
    key: Any
    label: str
    counts: Counts = field(default_factory=Counts)
    cells: list[tuple[int, str | None]] = field(default_factory=list)  # filled by the page: (count, link)


def matrix(qs: QuerySet[Task], on: datetime.date | None = None) -> list[MatrixRow]:
    """Lead agencies × counting classes, in one GROUP BY query (and one over units); tasks without
    a lead last.

    A task given to a group counts its units, each judged against its own deadline: a task for
    102 communes is 102 entries of "UBND cấp xã"; a task given to a list of agencies is one entry
    for each listed agency (in that agency's row), a list of communes counts in its lead's row."""
    on = on or today()
    listed_agency = Q(task__units_listed=True, agency__isnull=False)
    shares = (
        TaskUnit.objects.with_deadline()
        .filter(task__in=qs.filter(shared_task_q()).values("pk"))
        .annotate(
            row=Case(When(listed_agency, then=F("agency_id")), default=F("task__lead_agency_id")),
            row_name=Case(When(listed_agency, then=F("agency__name")), default=F("task__lead_agency__name")),
        )
    )
    by_key: dict[Any, MatrixRow] = {}
    unit_rows = (
        shares.order_by()
        .values("row", "row_name")
        .annotate(**{b.value: Count("pk", filter=bucket_q(b, on, deadline="due_on")) for b in Bucket})
    )
    task_rows = (
        qs.exclude(Exists(TaskUnit.objects.filter(task=OuterRef("pk"))))
        .order_by()
        .values("lead_agency_id", "lead_agency__name")
        .annotate(**count_aggregates(on))
    )
    for key, name, r in [
        *((r["row"], r["row_name"], r) for r in unit_rows),
        *((r["lead_agency_id"], r["lead_agency__name"], r) for r in task_rows),
    ]:
        row = by_key.setdefault(key, MatrixRow(key=key, label=name or "Chưa xác định cơ quan chủ trì"))
        row.counts = row.counts + Counts(**{b.value: r[b.value] for b in Bucket})
    unassigned = by_key.pop(None, None)
    out = sorted(by_key.values(), key=lambda r: (-r.counts.overdue, -r.counts.total, r.label))
    if unassigned:
        out.append(unassigned)
    return out


def project_matrix(qs: QuerySet[Task], on: datetime.date | None = None) -> list[MatrixRow]:
    """Projects DA1–DA9 (sub-projects rolled up into their project) × counting classes.

    A task linked to several projects counts once in each; tasks with no project come last.
    """
    from django.db.models.functions import Coalesce

    from program.models import Project

    on = on or today()
    top = Coalesce("projects__parent_id", "projects__code")
    rows = {
        r["top"]: Counts(**{b.value: r[b.value] for b in Bucket})
        for r in qs.order_by().annotate(top=top).values("top").annotate(**count_aggregates(on, distinct=True))
    }
    out = [
        MatrixRow(key=p.code, label=f"{p.code}: {p.name}", counts=rows.get(p.code, Counts()))
        for p in Project.objects.filter(parent__isnull=True)
    ]
    if rows.get(None):
        out.append(MatrixRow(key="none", label="Chưa gắn dự án", counts=rows[None]))
    return out


def plans_with_counts(
    plans: QuerySet[Plan], visible: QuerySet[Task], on: datetime.date | None = None
) -> QuerySet[Plan]:
    """Plans annotated with the counting classes of their tasks the user may see (one query)."""
    on = on or today()
    seen = Q(tasks__in=visible.values("pk"))
    counts = {b.value: Count("tasks", filter=seen & bucket_q(b, on, "tasks__"), distinct=True) for b in Bucket}
    return plans.annotate(**counts).order_by("-issued_on", "-created_at", "-pk")


def plan_counts(plan: Plan) -> Counts:
    """The classes of a plan annotated by `plans_with_counts`."""
    return Counts(**{b.value: getattr(plan, b.value) for b in Bucket})


def due_label(rule: str) -> str:
    """A reporting duty's due rule as people read it: "2026-06-15" → "15/06/2026",
    "--12-15" → "ngày 15/12 hằng năm", "15 of last month of quarter" → "ngày 15 tháng cuối quý"."""
    import re

    rule = (rule or "").strip()
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", rule):
        return f"{m[3]}/{m[2]}/{m[1]}"
    if m := re.fullmatch(r"--(\d{2})-(\d{2})", rule):
        return f"ngày {m[2]}/{m[1]} hằng năm"
    if m := re.fullmatch(r"(\d{1,2}) of last month of quarter", rule):
        return f"ngày {int(m[1])} tháng cuối quý"
    return rule


def urgency_ordering(qs: QuerySet[Task], on: datetime.date | None = None) -> QuerySet[Task]:
    """Overdue first (oldest deadline first), then the nearest deadline, then no deadline;
    waiting or paused tasks after those, finished tasks last."""
    on = on or today()
    parked = Q(status__in=[TaskStatus.WAITING_GUIDANCE, TaskStatus.PAUSED])
    return qs.annotate(
        urgency=Case(
            When(status=TaskStatus.DONE, then=Value(4)),
            When(parked, then=Value(3)),
            When(deadline__lt=on, then=Value(0)),
            When(deadline__isnull=False, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("urgency", F("deadline").asc(nulls_last=True), "-completed_on", "plan_id", "order", "pk")


def due_q(due: str, on: datetime.date) -> Q:
    """Open tasks due within N days ("7", "30"), or overdue ("overdue")."""
    if due == "overdue":
        return bucket_q(Bucket.OVERDUE, on)
    days = int(due)
    open_ = ~Q(status__in=[TaskStatus.DONE, TaskStatus.WAITING_GUIDANCE])
    return open_ & Q(deadline__gte=on, deadline__lte=on + datetime.timedelta(days=days))


def active_tasks(qs: QuerySet[Task]) -> QuerySet[Task]:
    """Tasks of plans in force (a replaced plan's tasks are no longer tracked)."""
    return qs.filter(plan__status=Plan.Status.ACTIVE)


# ---------------------------------------------------------------------------------------------
# Reminders.

REMIND_DAYS = 7


@dataclass
class ReminderReport:
    on: datetime.date
    due_soon: int = 0
    overdue: int = 0
    notifications: int = 0
    recipients: set[int] = field(default_factory=set)
    already_sent: int = 0
    without_recipient: int = 0
    # Shares of group tasks ("UBND cấp xã", "Các sở, ban, ngành"), reminded unit by unit.
    units_due_soon: int = 0
    units_overdue: int = 0
    units_without_recipient: int = 0

    def __str__(self) -> str:
        text = (
            f"Ngày {self.on:%d/%m/%Y}: nhắc {self.due_soon} nhiệm vụ sắp đến hạn (trong {REMIND_DAYS} ngày) và "
            f"{self.overdue} nhiệm vụ quá hạn; {self.notifications} thông báo tới {len(self.recipients)} người; "
            f"{self.already_sent} nhắc đã gửi trước đó được bỏ qua; "
            f"{self.without_recipient} nhiệm vụ chưa có người nhận (cơ quan chủ trì chưa có tài khoản)."
        )
        if self.units_due_soon or self.units_overdue:
            text += (
                f" Nhiệm vụ giao chung: nhắc {self.units_due_soon} đơn vị sắp đến hạn và {self.units_overdue} đơn vị "
                f"quá hạn; {self.units_without_recipient} đơn vị chưa có tài khoản."
            )
        return text


def _recipients_by_task(tasks: list[Task]) -> dict[int, list[User]]:
    """The officers of each task's lead agency (every commune officer of the province for
    "UBND cấp xã", every agency officer of the province for "Các sở, ban, ngành")."""
    from accounts.selectors import assignments_in_force

    provinces = {t.province_id for t in tasks}
    by_agency: dict[int, dict[int, User]] = {}
    agency_officers: dict[str, dict[int, User]] = {}
    commune_officers: dict[str, dict[int, User]] = {}
    assignments = assignments_in_force(
        province_id__in=provinces,
        role__in=[Role.AGENCY_OFFICER, Role.COMMUNE_OFFICER],
    ).select_related("user")
    for a in assignments:
        if a.province_id is None:
            continue
        if a.role == Role.AGENCY_OFFICER:
            if a.agency_id is not None:
                by_agency.setdefault(a.agency_id, {})[a.user_id] = a.user
            agency_officers.setdefault(a.province_id, {})[a.user_id] = a.user
        else:
            commune_officers.setdefault(a.province_id, {})[a.user_id] = a.user
    out: dict[int, list[User]] = {}
    for t in tasks:
        lead = t.lead_agency
        if lead is None:
            users: dict[int, User] = {}
        elif lead.kind == Kind.COMMUNE_GROUP:
            users = commune_officers.get(t.province_id, {})
        elif lead.kind == Kind.GROUP and lead.code == "SBN":
            users = agency_officers.get(t.province_id, {})
        else:
            users = by_agency.get(lead.pk, {})
        out[t.pk] = list(users.values())
    return out


def _reminder_title(event: str, deadline: datetime.date, on: datetime.date) -> str:
    """The notice's title: how late, or how soon, with the deadline."""
    if event == TaskReminder.Event.OVERDUE:
        return f"Nhiệm vụ quá hạn {(on - deadline).days} ngày (hạn {deadline:%d/%m/%Y})"
    days = (deadline - on).days
    when = "hôm nay" if days == 0 else f"sau {days} ngày"
    return f"Nhiệm vụ đến hạn {when} ({deadline:%d/%m/%Y})"


def send_reminders(*, on: datetime.date | None = None) -> ReminderReport:
    """Notify lead agencies of open tasks due within 7 days and of overdue ones, once per
    (task, event, deadline): an extension gives a new deadline and so a new reminder."""
    from notices.services import notify

    on = on or today()
    report = ReminderReport(on=on)
    soon = (
        bucket_q(Bucket.ONGOING, on)
        & Q(deadline__lte=on + datetime.timedelta(days=REMIND_DAYS))
        & ~Q(status=TaskStatus.PAUSED)
    )
    late = bucket_q(Bucket.OVERDUE, on) & ~Q(status=TaskStatus.PAUSED)
    # Group tasks are reminded unit by unit (`_send_unit_reminders`), each against its own deadline.
    candidates = list(
        active_tasks(Task.objects.filter(soon | late).exclude(shared_task_q()))
        .select_related("lead_agency", "plan")
        .order_by("deadline", "pk")
    )
    sent = set(TaskReminder.objects.filter(task__in=candidates).values_list("task_id", "event", "deadline"))
    recipients = _recipients_by_task(candidates)
    for task in candidates:
        deadline = task.deadline
        assert deadline is not None  # both filters require a deadline
        event = TaskReminder.Event.OVERDUE if deadline < on else TaskReminder.Event.DUE_SOON
        if (task.pk, event, deadline) in sent:
            report.already_sent += 1
            continue
        users = recipients[task.pk]
        title = _reminder_title(event, deadline, on)
        try:
            with transaction.atomic():
                TaskReminder.objects.create(task=task, event=event, deadline=deadline, recipients=len(users))
                created = notify(
                    users=users,
                    key=f"task-{event}-{task.pk}-{deadline.isoformat()}",
                    title=title,
                    body=f"{_short(task)}\n{task.plan}",
                    url=_task_url(task),
                )
        except IntegrityError:
            report.already_sent += 1  # another run sent it meanwhile
            continue
        if event == TaskReminder.Event.OVERDUE:
            report.overdue += 1
        else:
            report.due_soon += 1
        report.notifications += len(created)
        report.recipients |= {n.user_id for n in created}
        report.without_recipient += not users
    _send_unit_reminders(report, on)
    return report


def _send_unit_reminders(report: ReminderReport, on: datetime.date) -> None:
    """The units of group tasks that are due within 7 days or late: each unit's own officers."""
    from accounts.selectors import assignments_in_force
    from notices.services import notify

    soon = bucket_q(Bucket.ONGOING, on, deadline="due_on") & Q(due_on__lte=on + datetime.timedelta(days=REMIND_DAYS))
    late = bucket_q(Bucket.OVERDUE, on, deadline="due_on")
    units = list(
        TaskUnit.objects.with_deadline()
        .filter(soon | late)
        .exclude(status=TaskStatus.PAUSED)
        .filter(task__plan__status=Plan.Status.ACTIVE)
        .exclude(task__status__in=[TaskStatus.PAUSED, TaskStatus.WAITING_GUIDANCE])
        .select_related("task", "task__plan", "commune", "agency")
        .order_by("due_on", "pk")
    )
    if not units:
        return
    sent = set(TaskReminder.objects.filter(unit__in=units).values_list("unit_id", "event", "deadline"))
    by_commune: dict[str, dict[int, User]] = {}
    by_agency: dict[int, dict[int, User]] = {}
    for a in assignments_in_force(
        province_id__in={u.task.province_id for u in units},
        role__in=[Role.AGENCY_OFFICER, Role.COMMUNE_OFFICER],
    ).select_related("user"):
        if a.role == Role.COMMUNE_OFFICER and a.commune_id:
            by_commune.setdefault(a.commune_id, {})[a.user_id] = a.user
        elif a.role == Role.AGENCY_OFFICER and a.agency_id:
            by_agency.setdefault(a.agency_id, {})[a.user_id] = a.user
    for unit in units:
        deadline = unit.due
        assert deadline is not None
        event = TaskReminder.Event.OVERDUE if deadline < on else TaskReminder.Event.DUE_SOON
        if (unit.pk, event, deadline) in sent:
            report.already_sent += 1
            continue
        found = by_commune.get(unit.commune_id or "", {}) if unit.commune_id else by_agency.get(unit.agency_id or 0, {})
        users = list(found.values())
        title = f"{_reminder_title(event, deadline, on)} — {unit.name}"
        try:
            with transaction.atomic():
                TaskReminder.objects.create(
                    task=unit.task, unit=unit, event=event, deadline=deadline, recipients=len(users)
                )
                created = notify(
                    users=users,
                    key=f"task-{event}-{unit.task_id}-u{unit.pk}-{deadline.isoformat()}",
                    title=title,
                    body=f"{_short(unit.task)}\n{unit.task.plan}",
                    url=_task_url(unit.task),
                )
        except IntegrityError:
            report.already_sent += 1
            continue
        if event == TaskReminder.Event.OVERDUE:
            report.units_overdue += 1
        else:
            report.units_due_soon += 1
        report.notifications += len(created)
        report.recipients |= {n.user_id for n in created}
        report.units_without_recipient += not users
