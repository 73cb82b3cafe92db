"""GET /api/tasks, GET /api/tasks/{id}, POST /api/tasks/{id}/updates: the pages' rules exactly."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from access.decorators import api_feature
from api import serializers
from api.schemas import Conflict, Error, ProgressIn, TaskDetailOut, TaskFilters, TaskList, UpdateOut, ValidationErrors
from plans.forms_tracking import TaskFilterForm
from plans.models import Task, TaskUnit, TaskUpdate
from plans.services import tracking, units
from plans.services.tracking import StaleTaskError
from plans.views_tracking import list_columns

router = Router(tags=["Nhiệm vụ"])


@router.get(
    "",
    response={200: TaskList, 403: Error, 422: ValidationErrors},
    summary="Danh sách nhiệm vụ",
    description="Các nhiệm vụ (của kế hoạch đang thực hiện) người dùng được xem, khẩn nhất trước: "
    "quá hạn, rồi thời hạn gần nhất. Bộ lọc giống trang «Nhiệm vụ của tôi».",
)
@api_feature("task.list")
def list_tasks(request: HttpRequest, filters: Query[TaskFilters]) -> Any:
    data = filters.model_dump(exclude_none=True, exclude={"limit", "offset"})
    form = TaskFilterForm(data, user=request.user, layout="api")
    if not form.is_valid():
        return Status(
            422,
            {
                "detail": [
                    {"loc": ["query", name], "msg": m, "type": "value_error"}
                    for name, errs in form.errors.items()
                    for m in errs
                ]
            },
        )
    on = tracking.today()
    tasks = tracking.urgency_ordering(
        list_columns(form.filter(tracking.active_tasks(Task.objects.for_user(request.user)), on)), on
    )
    page = list(tasks[filters.offset : filters.offset + filters.limit])
    return {"count": tasks.count(), "items": [serializers.task(t, on) for t in page]}


def _task(request: HttpRequest, task_id: int) -> Task:
    qs = Task.objects.for_user(request.user).select_related("lead_agency").prefetch_related("cooperating", "projects")
    return get_object_or_404(qs, pk=task_id)


@router.get("/{int:task_id}", response={200: TaskDetailOut, 403: Error, 404: Error}, summary="Một nhiệm vụ")
@api_feature("task.read")
def get_task(request: HttpRequest, task_id: int) -> dict[str, Any]:
    t = _task(request, task_id)
    updates = (
        TaskUpdate.objects.visible_to(request.user)
        .filter(task=t)
        .select_related("author", "agency", "commune")
        .prefetch_related("attachments")
    )
    rights = {a: tracking.can(request.user, t, a) for a in ("update", "contribute", "manage")}
    return {
        **serializers.task(t, tracking.today()),
        "guidance_received_on": t.guidance_received_on,
        "guidance_note": t.guidance_note,
        "updates": [serializers.update(u) for u in updates],
        "extensions": [
            serializers.extension(e)
            for e in units.visible_extensions(request.user, t, rights["manage"]).select_related("requested_by")
        ],
        "rights": rights,
        "units": _units(request, t),
    }


def _units(request: HttpRequest, t: Task) -> dict[str, int] | None:
    """A task given to a group: how many units have reported, finished, are late (as on the page)."""
    if not units.is_group_task(t):
        return None
    s = units.summary(t, TaskUnit.objects.for_user(request.user))
    return {"total": s.total, "reported": s.reported, "done": s.done, "overdue": s.overdue}


@router.post(
    "/{int:task_id}/updates",
    response={201: UpdateOut, 403: Error, 404: Error, 409: Conflict, 422: ValidationErrors},
    summary="Cập nhật tiến độ",
    description="Như biểu mẫu «Cập nhật tiến độ»: cơ quan chủ trì hoặc Cơ quan Thường trực. `version` là "
    "phiên bản nhiệm vụ đã đọc; nếu nhiệm vụ đã thay đổi, trả 409 kèm phiên bản hiện tại.",
)
@api_feature("task.update")
def post_update(request: HttpRequest, task_id: int, payload: ProgressIn) -> Any:
    t = _task(request, task_id)
    if not tracking.can(request.user, t, "update"):
        raise PermissionDenied("Chỉ cơ quan chủ trì và Cơ quan Thường trực cập nhật tiến độ nhiệm vụ này.")
    try:
        created = tracking.record_progress(
            acting_user=request.user,
            task=t,
            version=payload.version,
            on=payload.on or tracking.today(),
            text=payload.text,
            percent=payload.percent,
            status=payload.status,
            completed_on=payload.completed_on,
        )
    except StaleTaskError:
        t.refresh_from_db(fields=["version"])
        return Status(409, {"detail": tracking.STALE_MESSAGE, "version": t.version})
    u = (
        TaskUpdate.objects.select_related("author", "agency", "commune")
        .prefetch_related("attachments")
        .get(pk=created.pk)
    )
    return Status(201, serializers.update(u))
