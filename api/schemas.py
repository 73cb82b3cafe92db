"""Shapes of the API's requests and responses (they make the OpenAPI schema)."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from ninja import Field, Schema


class Error(Schema):
    detail: str


class ValidationItem(Schema):
    loc: list[str]
    msg: str
    type: str


class ValidationErrors(Schema):
    detail: list[ValidationItem]


class Conflict(Schema):
    detail: str
    version: int


class CountsOut(Schema):
    total: int
    done_on_time: int = Field(description="Hoàn thành đúng hạn")
    done_late: int = Field(description="Hoàn thành quá hạn")
    ongoing: int = Field(description="Đang thực hiện trong hạn")
    no_deadline: int = Field(0, description="Chưa hoàn thành, không thời hạn (không tính trong hạn hay quá hạn)")
    overdue: int = Field(description="Quá hạn chưa hoàn thành")
    waiting: int = Field(description="Chờ hướng dẫn")


class PlanOut(Schema):
    id: int
    province: str
    province_name: str
    number: str
    title: str
    issued_on: datetime.date | None
    period_start: int | None
    period_end: int | None
    status: str
    status_label: str
    counts: CountsOut
    url: str


class PlanList(Schema):
    count: int
    items: list[PlanOut]


class TargetOut(Schema):
    text: str
    comparator: str
    value: float | None
    unit: str
    year: int | None


class DutyOut(Schema):
    frequency: str
    frequency_label: str
    due: str
    to_agency: str | None
    to_text: str


class PlanDetailOut(PlanOut):
    place: str
    basis: list[dict[str, Any]]
    targets: list[TargetOut]
    reporting_duties: list[DutyOut]


class AgencyRef(Schema):
    id: int
    code: str
    name: str


class TaskOut(Schema):
    id: int
    plan_id: int
    province: str
    section: str
    order: int
    text: str
    role: str
    requested: bool
    lead_agency: AgencyRef | None
    cooperating: list[AgencyRef]
    projects: list[str]
    deadline: datetime.date | None
    original_deadline: datetime.date | None
    recurrence: str
    condition: str
    status: str
    status_label: str
    bucket: str
    bucket_label: str
    progress: int
    completed_on: datetime.date | None
    version: int
    url: str


class TaskList(Schema):
    count: int
    items: list[TaskOut]


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    url: str


class UpdateOut(Schema):
    id: int
    kind: str
    kind_label: str
    on: datetime.date
    text: str
    percent: int | None
    author: str | None
    unit: str | None
    created_at: datetime.datetime
    attachments: list[AttachmentOut]


class ExtensionOut(Schema):
    id: int
    status: str
    status_label: str
    reason: str
    old_deadline: datetime.date | None
    new_deadline: datetime.date
    requested_at: datetime.datetime
    requested_by: str | None
    decided_at: datetime.datetime | None
    decision_note: str


class RightsOut(Schema):
    update: bool = Field(description="Cập nhật tiến độ (cơ quan chủ trì, Cơ quan Thường trực)")
    contribute: bool = Field(description="Gửi nội dung phối hợp (cơ quan phối hợp)")
    manage: bool = Field(description="Quyết định gia hạn (Cơ quan Thường trực)")


class UnitsOut(Schema):
    total: int = Field(description="Số đơn vị được giao (nhiệm vụ giao chung)")
    reported: int = Field(description="Số đơn vị đã báo cáo")
    done: int = Field(description="Số đơn vị đã hoàn thành")
    overdue: int = Field(description="Số đơn vị quá hạn")


class TaskDetailOut(TaskOut):
    guidance_received_on: datetime.date | None
    guidance_note: str
    updates: list[UpdateOut]
    extensions: list[ExtensionOut]
    rights: RightsOut
    units: UnitsOut | None = Field(
        None, description="Nhiệm vụ giao cho mọi xã hoặc mọi sở, ngành: theo dõi từng đơn vị"
    )


class TaskFilters(Schema):
    q: str | None = Field(None, description="Tìm trong nội dung")
    province: str | None = Field(None, description="Mã tỉnh")
    plan: int | None = None
    project: str | None = Field(None, description="DA1…DA9, hoặc none")
    agency: int | None = Field(None, description="Cơ quan chủ trì (id)")
    status: str | None = None
    bucket: str | None = Field(None, description="done_on_time, done_late, ongoing, no_deadline, overdue, waiting")
    due: str | None = Field(None, description="7, 30 hoặc overdue")
    role: str | None = Field(None, description="lead hoặc cooperate")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)


class ProgressIn(Schema):
    version: int = Field(description="Task.version đã đọc (khóa lạc quan)")
    text: str = Field(min_length=1, max_length=5000)
    on: datetime.date | None = Field(None, description="Ngày cập nhật; mặc định hôm nay")
    percent: int | None = Field(None, ge=0, le=100)
    status: Literal["in_progress", "done"] = "in_progress"
    completed_on: datetime.date | None = None
