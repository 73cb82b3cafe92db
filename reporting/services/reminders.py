"""Reminders before and after the due day, each sent once per unit, schedule, period and event.

- `before_due`: from `remind_before_days` days before the due day up to the due day, for units
  that have not submitted;
- `overdue`: after the due day while entry is still open (until the form closes), for units that
  have still not submitted.

Each event is recorded in ReportReminder (unique), and the notification key is the same event,
so running the command twice a day, or two at once, never reminds anyone twice.

The Standing Office may also remind one unit, or every late unit, from the status grid
(`remind_now`): the event is that day's ("m" + yyyymmdd), so a unit is reminded at most once a day
for a schedule and period however often the button is pressed; each act is in the audit log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse

from access.policy import require_visible
from audit.services import record
from reporting import periods as P
from reporting.models import ReportReminder, Schedule, Submission
from reporting.services import schedules as S


@dataclass
class ReminderReport:
    events: int = 0
    notifications: int = 0
    already: int = 0
    reminded: list[str] | None = None  # unit names (remind_now)
    skipped: list[str] | None = None  # unit names already reminded that day (remind_now)


def _officers_by_unit(units: list[S.Unit]) -> dict[str, list[Any]]:
    from access.roles import Role
    from accounts.selectors import assignments_in_force

    agency_ids = [u.pk for u in units if u.kind == "agency"]
    commune_codes = [u.pk for u in units if u.kind == "commune"]
    out: dict[str, list[Any]] = {}
    for a in assignments_in_force(role=Role.AGENCY_OFFICER, agency_id__in=agency_ids).select_related("user"):
        out.setdefault(f"agency:{a.agency_id}", []).append(a.user)
    for a in assignments_in_force(role=Role.COMMUNE_OFFICER, commune_id__in=commune_codes).select_related("user"):
        out.setdefault(f"commune:{a.commune_id}", []).append(a.user)
    return out


def _events(schedule: Schedule, on: dt.date) -> list[tuple[P.Period, str, dt.date]]:
    out = []
    for period in S.current_periods(schedule, on, back=4):
        due = S.due_date(schedule, period)
        if on <= due <= on + dt.timedelta(days=schedule.remind_before_days):
            out.append((period, "before_due", due))
        elif due < on <= S.close_date(schedule, period):
            out.append((period, "overdue", due))
    return out


def send_reminders(*, on: dt.date | None = None) -> ReminderReport:
    """Remind every unit that has a report due soon or overdue, once per event."""
    from notices.services import notify

    on = on or S.today()
    report = ReminderReport()
    for schedule in Schedule.objects.filter(is_active=True).select_related("form"):
        events = _events(schedule, on)
        if not events:
            continue
        units = S.schedule_units(schedule)
        officers = _officers_by_unit(units)
        for period, event, due in events:
            done = set(
                Submission.objects.filter(
                    schedule=schedule,
                    period=period.id,
                    status__in=(Submission.Status.SUBMITTED, Submission.Status.APPROVED),
                ).values_list("agency_id", "commune_id")
            )
            done_keys = {f"agency:{a}" if a else f"commune:{c}" for a, c in done}
            for unit in units:
                if unit.key in done_keys:
                    continue
                try:
                    with transaction.atomic():
                        ReportReminder.objects.create(schedule=schedule, period=period.id, event=event, **unit.filter)
                except IntegrityError:
                    report.already += 1
                    continue
                report.events += 1
                if event == "before_due":
                    title = f"Sắp đến hạn nộp báo cáo {period.label}: hạn {due:%d/%m/%Y}"
                else:
                    title = f"Quá hạn nộp báo cáo {period.label} (hạn {due:%d/%m/%Y})"
                body = (
                    f"{schedule.form.name} — {unit.name}. Khóa nhập số liệu sau ngày "
                    f"{S.close_date(schedule, period):%d/%m/%Y}."
                )
                sent = notify(
                    users=officers.get(unit.key, []),
                    key=f"reporting:{schedule.pk}:{period.id}:{unit.key}:{event}",
                    title=title,
                    body=body,
                    url=reverse("reporting:due"),
                )
                report.notifications += len(sent)
    return report


def manual_event(on: dt.date) -> str:
    return f"m{on:%Y%m%d}"


def reminded_today(schedule: Schedule, period_id: str, on: dt.date | None = None) -> set[str]:
    """Unit keys reminded from the status grid on `on` for the schedule and period (one query)."""
    on = on or S.today()
    rows = ReportReminder.objects.filter(schedule=schedule, period=period_id, event=manual_event(on))
    return {f"agency:{a}" if a else f"commune:{c}" for a, c in rows.values_list("agency_id", "commune_id")}


def remind_now(
    *,
    acting_user: Any,
    schedule: Schedule,
    period_id: str,
    unit_keys: list[str] | None = None,
    on: dt.date | None = None,
) -> ReminderReport:
    """Remind the named units (None: every late unit — past the due day, not submitted) of the
    schedule's period, now. A unit already reminded that day, or whose report is in, is skipped.

    Raises PermissionDenied/Http404 (via `require_visible`) for a schedule outside the person's
    province, and ValueError (Vietnamese) for a period the schedule does not have."""
    from notices.services import notify

    require_visible(Schedule.objects.for_user(acting_user, "manage"), schedule)
    on = on or S.today()
    period = P.parse(period_id)
    if period.id not in {p.id for p in S.schedule_periods(schedule, until=on)}:
        raise ValueError(f"Kỳ {period.label} không thuộc lịch báo cáo này hoặc chưa bắt đầu.")
    due, closes = S.due_date(schedule, period), S.close_date(schedule, period)
    received = {
        f"agency:{a}" if a else f"commune:{c}"
        for a, c in Submission.objects.filter(
            schedule=schedule,
            period=period.id,
            status__in=(Submission.Status.SUBMITTED, Submission.Status.APPROVED),
        ).values_list("agency_id", "commune_id")
    }
    units = [u for u in S.schedule_units(schedule) if u.key not in received]
    if unit_keys is None:
        units = units if on > due else []
    else:
        wanted = set(unit_keys)
        units = [u for u in units if u.key in wanted]
    report = ReminderReport(reminded=[], skipped=[])
    officers = _officers_by_unit(units)
    event = manual_event(on)
    late = on > due
    title = (
        f"Nhắc nộp báo cáo {period.label}: đã quá hạn {due:%d/%m/%Y}"
        if late
        else f"Nhắc nộp báo cáo {period.label}: hạn {due:%d/%m/%Y}"
    )
    for unit in units:
        try:
            with transaction.atomic():
                ReportReminder.objects.create(schedule=schedule, period=period.id, event=event, **unit.filter)
        except IntegrityError:
            report.already += 1
            report.skipped.append(unit.name)  # type: ignore[union-attr]
            continue
        report.events += 1
        report.reminded.append(unit.name)  # type: ignore[union-attr]
        sent = notify(
            users=officers.get(unit.key, []),
            key=f"reporting:{schedule.pk}:{period.id}:{unit.key}:{event}",
            title=title,
            body=f"{schedule.form.name} — {unit.name}. Cơ quan Thường trực nhắc nộp; khóa nhập sau ngày {closes:%d/%m/%Y}.",
            url=reverse("reporting:due"),
        )
        report.notifications += len(sent)
    if report.events:
        record(
            actor=acting_user,
            action="reminder.send",
            obj=schedule,
            changes={"period": period.id, "units": report.reminded, "notifications": report.notifications},
            province_code=schedule.province_id,
        )
    return report
