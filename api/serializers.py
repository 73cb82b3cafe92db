"""Model instances as API dictionaries (explicit, no query per row: callers prefetch)."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from plans.models import DeadlineExtension, Plan, Task, TaskUpdate
from plans.services import tracking


def counts(c: tracking.Counts) -> dict[str, int]:
    return c.as_dict()


def plan(p: Plan, c: tracking.Counts) -> dict[str, Any]:
    return {
        "id": p.pk,
        "province": p.province_id,
        "province_name": p.province.name,
        "number": p.number,
        "title": p.title,
        "issued_on": p.issued_on,
        "period_start": p.period_start,
        "period_end": p.period_end,
        "status": p.status,
        "status_label": p.get_status_display(),
        "counts": counts(c),
        "url": reverse("plans:plan_detail", args=[p.pk]),
    }


def agency(a: Any) -> dict[str, Any] | None:
    return None if a is None else {"id": a.pk, "code": a.code, "name": a.name}


def task(t: Task, on: datetime.date) -> dict[str, Any]:
    bucket = tracking.classify(t.status, t.deadline, t.completed_on, on)
    return {
        "id": t.pk,
        "plan_id": t.plan_id,
        "province": t.province_id,
        "section": t.section,
        "order": t.order,
        "text": t.text,
        "role": t.role,
        "requested": t.requested,
        "lead_agency": agency(t.lead_agency),
        "cooperating": [agency(a) for a in t.cooperating.all()],
        "projects": [p.code for p in t.projects.all()],
        "deadline": t.deadline,
        "original_deadline": t.original_deadline,
        "recurrence": t.recurrence,
        "condition": t.condition,
        "status": t.status,
        "status_label": t.status_label,
        "bucket": bucket.value,
        "bucket_label": bucket.label,
        "progress": t.progress,
        "completed_on": t.completed_on,
        "version": t.version,
        "url": reverse("plans:task_detail", args=[t.pk]),
    }


def update(u: TaskUpdate) -> dict[str, Any]:
    unit = u.agency.name if u.agency else (u.commune.name if u.commune else None)
    return {
        "id": u.pk,
        "kind": u.kind,
        "kind_label": u.get_kind_display(),
        "on": u.on,
        "text": u.text,
        "percent": u.percent,
        "author": str(u.author) if u.author else None,
        "unit": unit,
        "created_at": u.created_at,
        "attachments": [
            {
                "id": a.pk,
                "name": a.name,
                "size": a.size,
                "content_type": a.content_type,
                "url": reverse("plans:attachment_download", args=[a.pk]),
            }
            for a in u.attachments.all()
        ],
    }


def extension(e: DeadlineExtension) -> dict[str, Any]:
    return {
        "id": e.pk,
        "status": e.status,
        "status_label": e.get_status_display(),
        "reason": e.reason,
        "old_deadline": e.old_deadline,
        "new_deadline": e.new_deadline,
        "requested_at": e.requested_at,
        "requested_by": str(e.requested_by) if e.requested_by else None,
        "decided_at": e.decided_at,
        "decision_note": e.decision_note,
    }
