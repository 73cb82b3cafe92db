"""Review by the Standing Office: approve, return with a comment, unlock an approved report, and
reopen entry for one unit and period after the form closed (a lock exception); which submitted
reports are clean (no rule warnings, no outliers) and the batch approval of those alone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from access.policy import require_visible
from access.roles import Role
from audit.services import record
from reporting import periods as P
from reporting.models import LockException, Schedule, Submission
from reporting.services import prefill as autofill
from reporting.services import schedules as S
from reporting.services.gate import Checks, FormSpec, check, form_spec, report_histories, version_spec


class ReviewError(ValueError):
    """A review act that the report's state does not allow; the message is Vietnamese."""


def unit_officers(*, agency_id: int | None = None, commune_id: str | None = None) -> list[Any]:
    """The active officers of an agency (agency officers) or of a commune (commune officers)."""
    from accounts.selectors import holders

    if agency_id:
        return list(holders(role=Role.AGENCY_OFFICER, agency_id=agency_id))
    return list(holders(role=Role.COMMUNE_OFFICER, commune_id=commune_id))


def _notify_unit(submission: Submission, event: str, title: str, body: str) -> None:
    from notices.services import notify

    users = unit_officers(agency_id=submission.agency_id, commune_id=submission.commune_id)
    key = f"reporting:{submission.pk}:{event}:{submission.version}"
    url = reverse("reporting:submission", args=[submission.pk])
    transaction.on_commit(lambda: notify(users=users, key=key, title=title, body=body, url=url))


def _label(submission: Submission) -> str:
    return f"{submission.schedule.form.name} — {P.parse(submission.period).label}"


def _locked(submission: Submission, expected: str) -> Submission:
    current = Submission.objects.select_for_update().select_related("schedule__form").get(pk=submission.pk)
    if current.status != expected:
        raise ReviewError(f"Báo cáo đang ở trạng thái «{current.get_status_display()}»: không thực hiện được.")
    return current


def _set_status(submission: Submission, status: str, acting_user: Any, comment: str) -> None:
    submission.status, submission.reviewed_at, submission.reviewed_by = status, timezone.now(), acting_user
    submission.review_comment = comment
    Submission.objects.filter(pk=submission.pk).update(version=F("version") + 1)
    submission.save(update_fields=["status", "reviewed_at", "reviewed_by", "review_comment", "updated_at"])
    submission.refresh_from_db(fields=["version"])


@transaction.atomic
def approve_submission(*, acting_user: Any, submission: Submission, comment: str = "") -> Submission:
    """Submitted → approved: the data are locked."""
    require_visible(Submission.objects.for_user(acting_user, "review"), submission)
    sub = _locked(submission, Submission.Status.SUBMITTED)
    # The case registry's figures as of the period's closing day, one last time: frozen from here.
    autofill.provider().sync(sub)
    _set_status(sub, Submission.Status.APPROVED, acting_user, comment.strip())
    record(
        actor=acting_user,
        action="submission.approve",
        obj=sub,
        changes={"comment": sub.review_comment},
        province_code=sub.province_id,
    )
    _notify_unit(sub, "approved", f"Báo cáo đã được duyệt: {_label(sub)}", sub.review_comment)
    return sub


@transaction.atomic
def return_submission(*, acting_user: Any, submission: Submission, comment: str) -> Submission:
    """Submitted → returned with the office's comment; the unit's officers are told."""
    require_visible(Submission.objects.for_user(acting_user, "review"), submission)
    if not comment.strip():
        raise ReviewError("Hãy ghi ý kiến: đơn vị cần biết phải sửa gì.")
    sub = _locked(submission, Submission.Status.SUBMITTED)
    _set_status(sub, Submission.Status.RETURNED, acting_user, comment.strip())
    record(
        actor=acting_user,
        action="submission.return",
        obj=sub,
        changes={"comment": sub.review_comment},
        province_code=sub.province_id,
    )
    _notify_unit(sub, "returned", f"Báo cáo bị trả lại: {_label(sub)}", sub.review_comment)
    return sub


@transaction.atomic
def unlock_submission(*, acting_user: Any, submission: Submission, reason: str) -> Submission:
    """Approved → returned, for a correction: a logged act with its reason."""
    require_visible(Submission.objects.for_user(acting_user, "review"), submission)
    if not reason.strip():
        raise ReviewError("Hãy ghi lý do mở khóa báo cáo đã duyệt.")
    sub = _locked(submission, Submission.Status.APPROVED)
    _set_status(sub, Submission.Status.RETURNED, acting_user, f"Mở khóa để điều chỉnh: {reason.strip()}")
    record(
        actor=acting_user,
        action="submission.unlock",
        obj=sub,
        changes={"reason": reason.strip()},
        province_code=sub.province_id,
    )
    _notify_unit(sub, "unlocked", f"Báo cáo đã duyệt được mở khóa để điều chỉnh: {_label(sub)}", reason.strip())
    return sub


@transaction.atomic
def grant_lock_exception(
    *,
    acting_user: Any,
    schedule: Any,
    period_id: str,
    unit: S.Unit,
    until: dt.date,
    reason: str,
    on: dt.date | None = None,
) -> LockException:
    """Reopen entry for one unit and period until `until` (inclusive), after the form closed."""
    require_visible(Schedule.objects.for_user(acting_user, "manage"), schedule)
    on = on or S.today()
    if not reason.strip():
        raise ReviewError("Hãy ghi lý do mở khóa.")
    if until < on:
        raise ReviewError(f"Ngày mở đến ({until:%d/%m/%Y}) đã qua.")
    if not S.includes_unit(schedule, unit):
        raise ReviewError("Đơn vị không thuộc lịch báo cáo này.")
    period = P.parse(period_id)
    if period.id not in {p.id for p in S.schedule_periods(schedule, until=on)}:
        raise ReviewError(f"Kỳ {period.label} không thuộc lịch báo cáo này hoặc chưa bắt đầu.")
    exception = LockException.objects.create(
        schedule=schedule, period=period.id, until=until, reason=reason.strip(), granted_by=acting_user, **unit.filter
    )
    record(
        actor=acting_user,
        action="lock_exception.grant",
        obj=exception,
        changes={"unit": unit.key, "period": period.id, "until": until.isoformat(), "reason": reason.strip()},
        province_code=schedule.province_id,
    )
    return exception


def review_notes(schedule: Schedule, period_id: str, submissions: list[Submission]) -> dict[int, list[str]]:
    """What a reviewer should look at in each report of one schedule and period: broken rules
    (blocking or warnings) and outliers against the unit's history, as sentences; an empty list
    is a clean report. Four queries whatever the number of reports."""
    if not submissions:
        return {}
    from reporting.services.entry import saved_values_many

    # The reports of one schedule and period share the period's form version.
    version = submissions[0].form_version if submissions[0].form_version_id else None
    spec = version_spec(version, form=schedule.form) if version is not None else form_spec(schedule.form)
    units = {s.pk: (("a", s.agency_id) if s.agency_id else ("c", s.commune_id)) for s in submissions}
    past = report_histories([(schedule.pk, u) for u in units.values()], period_id)
    values = saved_values_many([s.pk for s in submissions])
    # The registry's cells (the same for every commune report of the period) are never outliers.
    fixed = (
        autofill.provider().registry_cells(spec) if any(autofill.provider().applies(s) for s in submissions[:1]) else []
    )
    out: dict[int, list[str]] = {}
    for sub in submissions:
        saved, comments = values.get(sub.pk, ({}, {}))
        out[sub.pk] = notes_of(spec, check(spec, saved, comments, past[(schedule.pk, units[sub.pk])], fixed=fixed))
    return out


def notes_of(spec: FormSpec, checks: Checks) -> list[str]:
    """A report's checks as the sentences a reviewer reads; empty for a clean report."""
    names = {code: el.name for code, el in spec.elements.items()}
    labels = spec.labels
    notes = [m for msgs in checks.errors.values() for m in msgs]
    notes += [f"Lưu ý: {m}" for msgs in checks.warnings.values() for m in msgs]
    for (code, cat), reason in checks.outliers.items():
        label = names.get(code, code) + (f" — {labels.get(cat, cat)}" if cat else "")
        notes.append(f"Khác thường: {label}: {reason}")
    notes += [f"Thiếu: {names.get(code, code)}" for code, _ in checks.missing]
    return notes


@dataclass
class BatchApproval:
    approved: list[Submission]
    held: int  # submitted reports left for a look (warnings or outliers)


def approve_clean(*, acting_user: Any, schedule: Schedule, period_id: str) -> BatchApproval:
    """Approve every submitted report of the schedule and period that is clean (no rule warning,
    no outlier); the others wait for a reviewer's look. Each approval is logged and told."""
    require_visible(Schedule.objects.for_user(acting_user, "manage"), schedule)
    pending = list(
        Submission.objects.for_user(acting_user, "review")
        .filter(schedule=schedule, period=period_id, status=Submission.Status.SUBMITTED)
        .select_related("schedule__form")
        .order_by("pk")
    )
    notes = review_notes(schedule, period_id, pending)
    approved = []
    for sub in pending:
        if notes.get(sub.pk):
            continue
        try:
            approved.append(approve_submission(acting_user=acting_user, submission=sub))
        except ReviewError:
            continue  # decided meanwhile by someone else
    return BatchApproval(approved, len(pending) - len(approved))
