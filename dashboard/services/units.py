"""What is due from me: an agency's or a commune's reports and tasks in deadline order, and what
was returned to it and why. Read only through the person's own reach (`submission.enter`,
`task.update`, `area.assess`): nothing of another unit appears here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse

from access.policy import reach
from accounts.models import User
from areas.models import CommuneAssessment, Status
from dashboard.services.queue import short
from plans.models import DeadlineExtension, Plan, Task, TaskStatus, TaskUnit, shared_task_q, today
from reporting.services import entry

OPEN_REPORT_STATES = ("returned", "overdue", "due_soon", "draft", "upcoming")


@dataclass
class DueLine:
    kind: str  # "Báo cáo" | "Nhiệm vụ"
    title: str
    unit: str
    deadline: dt.date | None
    state: str
    badge: str
    url: str

    @property
    def overdue(self) -> bool:
        return self.deadline is not None and self.deadline < today() and self.state != "Hoàn thành"


@dataclass
class Returned:
    kind: str
    title: str
    reason: str
    when: dt.date | dt.datetime | None
    url: str


def _task_state(status: str, deadline: dt.date | None, on: dt.date) -> tuple[str, str]:
    if status == TaskStatus.WAITING_GUIDANCE:
        return "Chờ hướng dẫn", "secondary"
    if deadline is not None and deadline < on:
        return "Quá hạn", "danger"
    if deadline is not None and (deadline - on).days <= 7:
        return "Sắp đến hạn", "warning"
    if status == TaskStatus.PAUSED:
        return "Tạm dừng", "secondary"
    return "Đang thực hiện", "info"


def my_tasks(user: User) -> tuple[list[tuple[Task, dt.date | None, str]], list[TaskUnit]]:
    """Unfinished tasks the person's units lead, and their own shares of tasks given to a group."""
    r = reach(user, "task.update")
    lead = list(
        Task.objects.for_user(user, "update")
        .filter(plan__status=Plan.Status.ACTIVE, lead_agency_id__in=sorted(r.agencies))
        .exclude(shared_task_q())
        .exclude(status=TaskStatus.DONE)
        .select_related("lead_agency")
    )
    shares = list(
        TaskUnit.objects.for_user(user)
        .with_deadline()
        .filter(Q(agency_id__in=sorted(r.agencies)) | Q(commune_id__in=sorted(r.communes)))
        .filter(task__plan__status=Plan.Status.ACTIVE)
        .exclude(status=TaskStatus.DONE)
        .exclude(task__status=TaskStatus.DONE)
        .select_related("task", "agency", "commune")
    )
    return [(t, t.deadline, t.lead_agency.name if t.lead_agency else "") for t in lead], shares


def due_from_me(user: User, items: list[entry.DueItem] | None = None) -> list[DueLine]:
    """Reports and tasks together, nearest deadline first (no deadline last); `items`: the
    person's `reporting.services.entry.due_items` when the caller already has them."""
    on = today()
    lines = []
    for item in entry.due_items(user, on) if items is None else items:
        if item.state not in OPEN_REPORT_STATES:
            continue
        url = (
            reverse("reporting:submission", args=[item.submission.pk]) if item.submission else reverse("reporting:due")
        )
        lines.append(
            DueLine(
                "Báo cáo",
                f"{item.schedule.name} — {item.period.label}",
                item.unit.name,
                item.due,
                item.state_label,
                item.badge,
                url,
            )
        )
    tasks, shares = my_tasks(user)
    for task, deadline, unit in tasks:
        state, badge = _task_state(task.status, deadline, on)
        lines.append(
            DueLine(
                "Nhiệm vụ", short(task.text), unit, deadline, state, badge, reverse("plans:task_detail", args=[task.pk])
            )
        )
    for share in shares:
        due = share.due_on  # type: ignore[attr-defined]  # annotated by with_deadline()
        state, badge = _task_state(share.task.status, due, on)
        lines.append(
            DueLine(
                "Nhiệm vụ",
                short(share.task.text),
                share.name,
                due,
                state,
                badge,
                reverse("plans:task_detail", args=[share.task_id]),
            )
        )
    lines.sort(key=lambda d: (d.deadline is None, d.deadline or on, d.kind, d.title))
    return lines


def returned_to_me(user: User, items: list[entry.DueItem] | None = None) -> list[Returned]:
    """Reports returned for correction, extension requests refused and self-assessments sent
    back, each with the reviewer's reason, newest first."""
    on = today()
    out = [
        Returned(
            "Báo cáo bị trả lại",
            f"{i.schedule.name} — {i.period.label} ({i.unit.name})",
            i.submission.review_comment if i.submission else "",
            i.submission.reviewed_at if i.submission else None,
            reverse("reporting:submission", args=[i.submission.pk]) if i.submission else reverse("reporting:due"),
        )
        for i in (entry.due_items(user, on) if items is None else items)
        if i.state == "returned"
    ]
    r = reach(user, "task.update")
    mine = Q(task__lead_agency_id__in=sorted(r.agencies)) | Q(unit__agency_id__in=sorted(r.agencies))
    mine |= Q(unit__commune_id__in=sorted(r.communes))
    refused = (
        DeadlineExtension.objects.filter(
            mine,
            status=DeadlineExtension.Status.REFUSED,
            decided_at__date__gte=on - dt.timedelta(days=90),
            task__in=Task.objects.for_user(user).values("pk"),
        )
        .select_related("task")
        .order_by("-decided_at")[:10]
    )
    out += [
        Returned(
            "Đề nghị gia hạn không được đồng ý",
            short(e.task.text),
            e.decision_note,
            e.decided_at,
            reverse("plans:task_detail", args=[e.task_id]),
        )
        for e in refused
    ]
    assessments = (
        CommuneAssessment.objects.for_user(user, "edit").filter(status=Status.RETURNED).select_related("commune")
    )
    out += [
        Returned(
            "Hồ sơ tự đánh giá bị trả lại",
            f"{a.commune.name} — năm {a.year}",
            a.review_comment,
            a.reviewed_at,
            reverse("areas:commune", args=[a.commune_id]),
        )
        for a in assessments
    ]
    out.sort(key=lambda x: _stamp(x.when), reverse=True)
    return out


def _stamp(when: dt.date | dt.datetime | None) -> dt.datetime:
    if when is None:
        return dt.datetime.min.replace(tzinfo=dt.UTC)
    if isinstance(when, dt.datetime):
        return when
    return dt.datetime.combine(when, dt.time.min, tzinfo=dt.UTC)


def completed_by_month(user: User, months: int = 6) -> list[tuple[str, int, int]]:
    """(month label, done on time, done late) of the person's tasks and shares, oldest first."""
    on = today()
    first = (on.replace(day=1) - dt.timedelta(days=31 * (months - 1))).replace(day=1)
    r = reach(user, "task.update")
    keys = []
    month = first
    while month <= on:
        keys.append((month.year, month.month))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    counts = {k: [0, 0] for k in keys}
    tasks = (
        Task.objects.for_user(user, "update")
        .filter(lead_agency_id__in=sorted(r.agencies), status=TaskStatus.DONE, completed_on__gte=first)
        .values_list("deadline", "completed_on")
    )
    shares = (
        TaskUnit.objects.for_user(user)
        .filter(Q(agency_id__in=sorted(r.agencies)) | Q(commune_id__in=sorted(r.communes)))
        .filter(status=TaskStatus.DONE, completed_on__gte=first)
        .values_list("deadline", "task__deadline", "completed_on")
    )
    done_rows = [*tasks, *((own or task_deadline, done) for own, task_deadline, done in shares)]
    for deadline, done in done_rows:
        if done is None:
            continue
        key = (done.year, done.month)
        if key in counts:
            counts[key][0 if deadline is None or done <= deadline else 1] += 1
    return [(f"{m:02d}/{y}", counts[(y, m)][0], counts[(y, m)][1]) for y, m in keys]
