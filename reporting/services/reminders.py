"""Reminders before and after the due day, each sent once per unit, schedule, period and event.

- `before_due`: from `remind_before_days` days before the due day up to the due day, for units
  that have not submitted;
- `overdue`: after the due day while entry is still open (until the form closes), for units that
  have still not submitted.

Each event is recorded in ReportReminder (unique), and the notification key is the same event,
so running the command twice a day, or two at once, never reminds anyone twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse

from reporting import periods as P
from reporting.models import ReportReminder, Schedule, Submission
from reporting.services import schedules as S


@dataclass
class ReminderReport:
    events: int = 0
    notifications: int = 0
    already: int = 0


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
