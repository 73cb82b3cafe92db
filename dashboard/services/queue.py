"""The Standing Office's work queue: everything waiting for it, counted, with the oldest first.

Every list is read through the office's own scope (`for_user(user, "review" | "manage")`), so a
second province's office sees only its own queue. Nothing here is cached: an approval from the
queue must disappear from it at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from accounts.models import User
from areas.models import CommuneAssessment, Status
from plans.models import DeadlineExtension, Task, TaskStatus
from plans.services import tracking
from reporting import periods as P
from reporting.models import Submission

SHOWN = 5


def short(text: str, length: int = 110) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1] + "…"


@dataclass
class QueueItem:
    label: str
    detail: str
    url: str
    when: dt.date | dt.datetime | None = None
    approve_pk: int | None = None  # a submission the office may approve in one click


@dataclass
class QueueLine:
    key: str
    label: str
    count: int
    url: str
    action: str
    items: list[QueueItem] = field(default_factory=list)


def _submission_item(s: Submission, *, approve: bool) -> QueueItem:
    unit = s.agency.name if s.agency_id and s.agency else (s.commune.name if s.commune else "")
    return QueueItem(
        label=f"{unit} — {s.schedule.form.name}",
        detail=P.parse(s.period).label + (f" · {s.review_comment}" if not approve and s.review_comment else ""),
        url=reverse("reporting:submission", args=[s.pk]),
        when=s.submitted_at or s.updated_at,
        approve_pk=s.pk if approve else None,
    )


def office_queue(user: User, rates: list[Any] | None = None) -> list[QueueLine]:
    """The office's lines of work, each with a count, a link to act and the oldest items."""
    inbox = reverse("reporting:inbox")
    tasks = reverse("plans:task_list")
    subs = Submission.objects.for_user(user, "review").select_related("schedule__form", "agency", "commune")
    waiting = subs.filter(status=Submission.Status.SUBMITTED).order_by("submitted_at", "pk")
    returned = subs.filter(status=Submission.Status.RETURNED).order_by("reviewed_at", "pk")
    managed = tracking.active_tasks(Task.objects.for_user(user, "manage"))
    extensions = (
        DeadlineExtension.objects.filter(task__in=managed.values("pk"), status=DeadlineExtension.Status.PENDING)
        .select_related("task", "unit")
        .order_by("requested_at", "pk")
    )
    guidance = (
        managed.filter(status=TaskStatus.WAITING_GUIDANCE).select_related("lead_agency").order_by("deadline", "pk")
    )
    assessments = (
        CommuneAssessment.objects.for_user(user, "review")
        .filter(status=Status.SUBMITTED)
        .select_related("commune")
        .order_by("submitted_at", "pk")
    )
    lines = [
        QueueLine(
            "approve",
            "Báo cáo chờ duyệt",
            waiting.count(),
            f"{inbox}?status=submitted",
            "Duyệt",
            [_submission_item(s, approve=True) for s in waiting[:SHOWN]],
        ),
        QueueLine(
            "returned",
            "Báo cáo đã trả lại, đơn vị chưa nộp lại",
            returned.count(),
            f"{inbox}?status=returned",
            "Xem",
            [_submission_item(s, approve=False) for s in returned[:SHOWN]],
        ),
        QueueLine(
            "extensions",
            "Đề nghị gia hạn nhiệm vụ",
            extensions.count(),
            tasks,
            "Quyết định",
            [
                QueueItem(
                    label=short(e.task.text),
                    detail=f"đề nghị đến {e.new_deadline:%d/%m/%Y}"
                    + (f" · {e.unit.name}" if e.unit_id and e.unit else ""),
                    url=reverse("plans:task_detail", args=[e.task_id]),
                    when=e.requested_at,
                )
                for e in extensions[:SHOWN]
            ],
        ),
        QueueLine(
            "guidance",
            "Nhiệm vụ chờ hướng dẫn",
            guidance.count(),
            f"{tasks}?status={TaskStatus.WAITING_GUIDANCE}",
            "Trả lời",
            [
                QueueItem(
                    label=short(t.text),
                    detail=t.lead_agency.name if t.lead_agency else "",
                    url=reverse("plans:task_detail", args=[t.pk]),
                    when=t.deadline,
                )
                for t in guidance[:SHOWN]
            ],
        ),
        QueueLine(
            "assessments",
            "Hồ sơ tự đánh giá của xã chờ thẩm định",
            assessments.count(),
            reverse("areas:index"),
            "Thẩm định",
            [
                QueueItem(
                    label=a.commune.name,
                    detail=f"năm {a.year}",
                    url=reverse("areas:commune", args=[a.commune_id]),
                    when=a.submitted_at,
                )
                for a in assessments[:SHOWN]
            ],
        ),
    ]
    closed = [r for r in rates or [] if r.closed_missing]
    lines.append(
        QueueLine(
            "lock",
            "Đơn vị chưa nộp khi đã khóa nhập (cần mở khóa nếu cho nộp muộn)",
            sum(r.closed_missing for r in closed),
            reverse("reporting:completeness"),
            "Mở khóa",
            [
                QueueItem(
                    label=r.schedule_name,
                    detail=f"{r.period.label}: {r.closed_missing} đơn vị, khóa nhập từ {r.closes:%d/%m/%Y}",
                    url=reverse("reporting:lock_exceptions", args=[r.schedule_id]),
                )
                for r in closed[:SHOWN]
            ],
        )
    )
    return lines
