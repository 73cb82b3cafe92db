"""Schedules: their periods, due and closing days, reporting units; creating them by hand or from a plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from access.policy import require_visible
from audit.services import record
from plans.models import Plan
from reporting import periods as P
from reporting.models import Form, LockException, Schedule

MAX_PERIODS = 400


def today() -> dt.date:
    return timezone.localdate()


# — periods —


def period_of(schedule: Schedule, period_id: str) -> P.Period:
    return P.parse(period_id)


def due_date(schedule: Schedule, period: P.Period) -> dt.date:
    return schedule.due_rule.due(period, schedule.convention)


def close_date(schedule: Schedule, period: P.Period) -> dt.date:
    """The last day entry is open: `close_after_days` after the due day."""
    return due_date(schedule, period) + dt.timedelta(days=schedule.close_after_days)


def period_start(schedule: Schedule, period: P.Period) -> dt.date:
    return period.bounds(schedule.convention)[0]


def schedule_periods(schedule: Schedule, until: dt.date | None = None) -> list[P.Period]:
    """The schedule's periods from its first to its last (or, open-ended, to the one that has started
    by `until`), oldest first.

    A period whose due day falls on or before its first day is left out: a report cannot be due
    before its period begins. That is how a plan's "6 tháng: trước 15/6" schedule reports the first
    half only (the second half is the annual report's, "trước 15/12").
    """
    first = P.parse(schedule.first_period)
    if schedule.frequency == "once":
        return [first]
    last = P.parse(schedule.last_period) if schedule.last_period else None
    out: list[P.Period] = []
    period = first
    while len(out) < MAX_PERIODS:
        if last is not None and period > last:
            break
        start = period_start(schedule, period)
        if until is not None and start > until:
            break
        if due_date(schedule, period) > start:
            out.append(period)
        period = period.next()
    return out


def current_periods(schedule: Schedule, on: dt.date, back: int = 8) -> list[P.Period]:
    """The last `back` periods that have started by `on` (newest last)."""
    return schedule_periods(schedule, until=on)[-back:]


# — reporting units —


@dataclass(frozen=True)
class Unit:
    """A reporting unit: an agency or a commune (`key` is "agency:<id>" or "commune:<code>")."""

    kind: str
    pk: Any
    name: str

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.pk}"

    @property
    def filter(self) -> dict[str, Any]:
        return {"agency_id": self.pk} if self.kind == "agency" else {"commune_id": self.pk}


def schedule_units(schedule: Schedule) -> list[Unit]:
    """Every unit that reports under the schedule, agencies first, then communes, by name."""
    from agencies.models import Agency
    from geo.models import Commune

    agencies = Agency.objects.filter(pk__in=schedule.agencies.values("pk")).order_by("name").values_list("pk", "name")
    communes = Commune.objects.filter(province_id=schedule.province_id)
    if not schedule.all_communes:
        communes = communes.filter(pk__in=schedule.communes.values("pk"))
    units = [Unit("agency", pk, name) for pk, name in agencies]
    units += [Unit("commune", code, name) for code, name in communes.order_by("name").values_list("code", "name")]
    return units


def includes_unit(schedule: Schedule, unit: Unit) -> bool:
    if unit.kind == "agency":
        return schedule.agencies.filter(pk=unit.pk).exists()
    if schedule.all_communes:
        from geo.models import Commune

        return Commune.objects.filter(pk=unit.pk, province_id=schedule.province_id).exists()
    return schedule.communes.filter(pk=unit.pk).exists()


def schedules_for_units(agency_ids: set[int], commune_codes: set[str]) -> dict[str, list[Schedule]]:
    """Active schedules per unit key, for the units a person reports for (three queries)."""
    from geo.models import Commune

    provinces = dict(Commune.objects.filter(code__in=commune_codes).values_list("code", "province_id"))
    q = (
        Q(agencies__in=agency_ids)
        | Q(communes__in=commune_codes)
        | Q(all_communes=True, province_id__in=set(provinces.values()))
    )
    schedules = list(
        Schedule.objects.filter(q, is_active=True).distinct().select_related("form").order_by("form__code", "id")
    )
    ids = [s.pk for s in schedules]
    agency_links = set(
        Schedule.agencies.through.objects.filter(schedule_id__in=ids, agency_id__in=agency_ids).values_list(
            "schedule_id", "agency_id"
        )
    )
    commune_links = set(
        Schedule.communes.through.objects.filter(schedule_id__in=ids, commune_id__in=commune_codes).values_list(
            "schedule_id", "commune_id"
        )
    )
    out: dict[str, list[Schedule]] = {}
    for s in schedules:
        for a in agency_ids:
            if (s.pk, a) in agency_links:
                out.setdefault(f"agency:{a}", []).append(s)
        for c in commune_codes:
            if (s.pk, c) in commune_links or (s.all_communes and provinces.get(c) == s.province_id):
                out.setdefault(f"commune:{c}", []).append(s)
    return out


# — entry window —


def active_exception(schedule: Schedule, period_id: str, unit: Unit, on: dt.date) -> LockException | None:
    return (
        LockException.objects.filter(schedule=schedule, period=period_id, until__gte=on, **unit.filter)
        .order_by("-until")
        .first()
    )


def entry_window(
    schedule: Schedule,
    period: P.Period,
    unit: Unit,
    on: dt.date,
    returned: bool = False,
    excepted: bool | None = None,
) -> tuple[bool, str]:
    """(open, reason in Vietnamese when closed). A returned report stays open for its correction.

    `excepted`: whether a lock exception is open, when the caller loaded them in bulk (None: read here).
    """
    start = period_start(schedule, period)
    if on < start:
        return False, f"Kỳ {period.label} bắt đầu từ ngày {start:%d/%m/%Y}."
    if returned:
        return True, ""
    closes = close_date(schedule, period)
    if on <= closes:
        return True, ""
    if excepted if excepted is not None else active_exception(schedule, period.id, unit, on) is not None:
        return True, ""
    return False, (
        f"Đã khóa nhập số liệu kỳ {period.label} từ ngày {closes + dt.timedelta(days=1):%d/%m/%Y} "
        f"({schedule.close_after_days} ngày sau hạn nộp). Liên hệ Cơ quan Thường trực để được mở khóa."
    )


# — writing schedules —

SCHEDULE_FIELDS = (
    "name",
    "form",
    "frequency",
    "convention",
    "due_kind",
    "due_day",
    "due_month",
    "due_date",
    "due_days",
    "close_after_days",
    "remind_before_days",
    "all_communes",
    "first_period",
    "last_period",
    "to_agency",
    "is_active",
)


def _foreign_units(province_id: str, data: dict[str, Any]) -> bool:
    """True when the agencies or communes given (instances or keys) include one of another province."""
    from agencies.models import Agency
    from geo.models import Commune

    def keys(name: str) -> list[Any]:
        return [getattr(u, "pk", u) for u in data.get(name) or ()]

    agencies, communes = keys("agencies"), keys("communes")
    return bool(
        (agencies and Agency.objects.filter(pk__in=agencies).exclude(province_id=province_id).exists())
        or (communes and Commune.objects.filter(pk__in=communes).exclude(province_id=province_id).exists())
    )


@transaction.atomic
def save_schedule(*, acting_user: Any, schedule: Schedule | None, province: Any, data: dict[str, Any]) -> Schedule:
    """Create (schedule=None) or update a schedule from cleaned form data, with its units; audited.

    Only in a province the user manages, with reporting units of that province (PermissionDenied)."""
    manageable = Schedule.objects.for_user(acting_user, "manage")
    creating = schedule is None
    if schedule is None:
        from geo.models import Province

        require_visible(Province.objects.for_user(acting_user, "schedule.manage"), province)
        schedule = Schedule(province=province)
    else:
        require_visible(manageable, schedule)
    if _foreign_units(schedule.province_id, data):
        raise PermissionDenied("Đơn vị báo cáo phải thuộc tỉnh của lịch báo cáo.")
    before = {f: getattr(schedule, f, None) for f in SCHEDULE_FIELDS} if not creating else {}
    for f in SCHEDULE_FIELDS:
        if f in data:
            setattr(schedule, f, data[f])
    if creating:
        schedule.save()
    else:
        schedule.save(update_fields=[f for f in SCHEDULE_FIELDS if f in data] + [])
    if "agencies" in data:
        schedule.agencies.set(data["agencies"])
    if "communes" in data:
        schedule.communes.set([] if schedule.all_communes else data["communes"])
    require_visible(manageable, schedule)
    from audit.services import diff

    changes = (
        {f: [None, str(getattr(schedule, f))] for f in SCHEDULE_FIELDS}
        if creating
        else diff(before, {f: getattr(schedule, f) for f in SCHEDULE_FIELDS})
    )
    record(
        actor=acting_user,
        action="schedule.create" if creating else "schedule.update",
        obj=schedule,
        changes=changes,
        province_code=schedule.province_id,
    )
    return schedule


@dataclass
class FromPlanResult:
    created: list[Schedule] = field(default_factory=list)
    skipped: list[tuple[Any, str]] = field(default_factory=list)  # (duty, reason)
    tasks: list[Any] = field(default_factory=list)  # Standing Office tasks for reports owed upward


def duty_rule(duty: Any) -> tuple[str, dict[str, Any]]:
    """(schedule frequency, due fields) for a plan's ReportingDuty; PeriodError when it cannot be one."""
    rule = P.rule_from_extract(duty.due)
    frequency = duty.frequency
    if frequency in ("midterm", "final"):
        frequency = "once"
    if rule is None:
        if frequency == "once":
            raise P.PeriodError("Báo cáo một lần chưa có hạn nộp.")
        if frequency == "quarterly":
            rule = P.DueRule("day_of_last_month", day=15)
        elif frequency == "semiannual":
            rule = P.DueRule("day_month", day=15, month=6)
        else:
            rule = P.DueRule("day_month", day=15, month=12)
    if frequency == "once" and rule.kind != "fixed_date":
        raise P.PeriodError("Báo cáo một lần cần một ngày cố định.")
    if frequency != "once" and rule.kind == "fixed_date":
        frequency = "once"
    return frequency, {
        "due_kind": rule.kind,
        "due_day": rule.day,
        "due_month": rule.month,
        "due_date": rule.date,
        "due_days": rule.days,
    }


def _plan_first_period(plan: Any, frequency: str, convention: str, fields: dict[str, Any], on: dt.date) -> str:
    if frequency == "once":
        return str(fields["due_date"].year)
    start = plan.issued_on or on
    if plan.period_start and plan.period_start > start.year:
        start = dt.date(plan.period_start, 1, 1)
    return P.containing(frequency, start, convention).id


def _plan_last_period(plan: Any, frequency: str) -> str:
    if frequency == "once" or not plan.period_end:
        return ""
    return P.make(frequency, plan.period_end, {"quarterly": 4, "semiannual": 2, "monthly": 12}.get(frequency, 1)).id


def plan_reporting_agencies(plan: Any, exclude: Any = None) -> list[Any]:
    """Agencies that lead a task of the plan and report to the Standing Office: neither groups,
    nor bodies outside the committee's command ("Đề nghị"), nor the receiver itself."""
    from agencies.catalogue import Kind
    from agencies.models import Agency

    qs = (
        Agency.objects.filter(led_tasks__plan=plan, is_active=True, requested=False, legacy=False)
        .exclude(kind__in=[Kind.GROUP, Kind.COMMUNE_GROUP])
        .distinct()
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return list(qs.order_by("name"))


UPWARD_KINDS = ("government",)  # UBND tỉnh, HĐND tỉnh, Chính phủ, Bộ Công an: the province reports upward
FREQUENCY_LABEL = {"quarterly": "quý", "semiannual": "6 tháng", "annual": "năm", "once": "một lần"}


@dataclass
class Proposal:
    """What one reporting duty of a plan becomes: schedules (for whom, from which period, named
    apart), a Standing Office task (a report the province owes upward), or nothing (why)."""

    duty: Any
    action: str  # "schedule", "task" or "skip"
    reason: str = ""
    frequency: str = ""
    fields: dict[str, Any] = field(default_factory=dict)
    first_period: str = ""
    last_period: str = ""
    schedules: list[tuple[str, str, Any]] = field(default_factory=list)  # (level, name, form)
    reporters: list[Any] = field(default_factory=list)
    task_text: str = ""
    task_deadline: dt.date | None = None

    @property
    def first_label(self) -> str:
        try:
            return P.parse(self.first_period).label if self.first_period else ""
        except P.PeriodError:
            return self.first_period


def _open_first_period(frequency: str, fields: dict[str, Any], first: str, last: str, on: dt.date) -> str | None:
    """The first period from `first` whose entry is still open on `on` (never a past, locked one)."""
    probe = Schedule(frequency=frequency, convention="administrative", close_after_days=10, **fields)
    period, end = P.parse(first), P.parse(last) if last else None
    for _ in range(MAX_PERIODS):
        if end is not None and period > end:
            return None
        if close_date(probe, period) >= on:
            return period.id
        if frequency == "once":
            return None
        period = period.next()
    return None


def plan_proposals(plan: Any, on: dt.date | None = None) -> list[Proposal]:
    """The preview of `schedules_from_plan` (writes nothing)."""
    on = on or today()
    forms = {f.level: f for f in Form.objects.filter(is_active=True, code__in=("XA_QUY", "SBN_QUY"))}
    if len(forms) < 2:
        forms = {f.level: f for f in Form.objects.filter(is_active=True).order_by("code")}
    out: list[Proposal] = []
    seen: dict[tuple[Any, ...], Any] = {}
    upward: dict[tuple[str, str], Proposal] = {}
    number = f"Kế hoạch {plan.number}" if plan.number else "kế hoạch"
    for duty in plan.reporting_duties.select_related("to_agency").order_by("id"):
        receiver = duty.to_agency
        if (receiver is not None and receiver.kind in UPWARD_KINDS) or (
            receiver is None and duty.frequency in ("midterm", "final")
        ):
            key = (duty.frequency, duty.due)
            if key in upward:  # the same report to several receivers: one task names them all
                p = upward[key]
                p.task_text = p.task_text.rstrip(".") + f", {receiver or duty.to_text}."
                out.append(Proposal(duty, "skip", f"Gộp vào nhiệm vụ «{p.task_text}»."))
                continue
            what = {"midterm": "sơ kết", "final": "tổng kết"}.get(duty.frequency)
            if what:
                text = f"Tham mưu tổ chức {what} việc thực hiện {number}."
            else:
                text = f"Tham mưu báo cáo {FREQUENCY_LABEL.get(duty.frequency, duty.frequency)} kết quả thực hiện {number} gửi {receiver or duty.to_text}."
            deadline = None
            if duty.frequency == "once" and duty.due:
                try:
                    deadline = dt.date.fromisoformat(duty.due)
                except ValueError:
                    deadline = None
            p = Proposal(
                duty,
                "task",
                "Báo cáo của tỉnh gửi cấp trên: giao Cơ quan Thường trực, không lập lịch cho xã, sở.",
                frequency=duty.frequency,
                task_text=text,
                task_deadline=deadline,
            )
            upward[key] = p
            out.append(p)
            continue
        done = duty.schedules.exists()
        try:
            frequency, fields = duty_rule(duty)
        except P.PeriodError as exc:
            out.append(Proposal(duty, "skip", "Đã tạo lịch báo cáo từ chế độ báo cáo này." if done else str(exc)))
            continue
        key = (frequency, tuple(sorted(fields.items())), duty.to_agency_id)
        if key in seen:
            same = seen[key]
            out.append(
                Proposal(
                    duty, "skip", f"Trùng với chế độ báo cáo «{same.get_frequency_display()}» nêu trước trong kế hoạch."
                )
            )
            continue
        seen[key] = duty
        if done:
            out.append(Proposal(duty, "skip", "Đã tạo lịch báo cáo từ chế độ báo cáo này."))
            continue
        first = _plan_first_period(plan, frequency, "administrative", fields, on)
        last = _plan_last_period(plan, frequency)
        open_first = _open_first_period(frequency, fields, first, last, on)
        if open_first is None:
            out.append(Proposal(duty, "skip", "Mọi kỳ của chế độ báo cáo này đã qua hạn hoặc đã khóa."))
            continue
        p = Proposal(duty, "schedule", frequency=frequency, fields=fields, first_period=open_first, last_period=last)
        p.reporters = plan_reporting_agencies(plan, exclude=duty.to_agency)
        due = P.DueRule(
            fields["due_kind"],
            day=fields["due_day"],
            month=fields["due_month"],
            date=fields["due_date"],
            days=fields["due_days"],
        ).label
        for level, form in sorted(forms.items()):
            if level == "agency" and not p.reporters:
                continue
            who = "các xã, phường" if level == "commune" else "các sở, ban, ngành"
            label = FREQUENCY_LABEL.get(frequency, frequency)
            name = f"Báo cáo {label} ({due.lower()}) của {who} theo {number}"[:255]
            p.schedules.append((level, name, form))
        out.append(p)
    return out


@transaction.atomic
def schedules_from_plan(
    *, acting_user: Any, plan: Any, on: dt.date | None = None, duty_ids: set[int] | None = None
) -> FromPlanResult:
    """Carry out the preview (`plan_proposals`): each chosen duty (all when `duty_ids` is None)
    becomes its schedules — the commune form for every commune of the province and the agency form
    for the agencies leading the plan's tasks, administrative convention (data closing on the
    14th), from the first period still open — or, for a report the province owes upward, a task of
    the Standing Office. Run again, nothing is created twice."""
    from plans.services.office_tasks import add_report_task

    require_visible(Plan.objects.for_user(acting_user, "manage"), plan)
    result = FromPlanResult()
    for p in plan_proposals(plan, on):
        if duty_ids is not None and p.duty.pk not in duty_ids:
            continue
        if p.action == "skip":
            result.skipped.append((p.duty, p.reason))
        elif p.action == "task":
            task, created = add_report_task(
                acting_user=acting_user, plan=plan, text=p.task_text, frequency=p.frequency, deadline=p.task_deadline
            )
            if created:
                result.tasks.append(task)
            else:
                result.skipped.append((p.duty, "Đã giao Cơ quan Thường trực nhiệm vụ báo cáo này."))
        else:
            for level, name, form in p.schedules:
                data = {
                    "name": name,
                    "form": form,
                    "frequency": p.frequency,
                    "convention": "administrative",
                    "close_after_days": 10,
                    "remind_before_days": 3,
                    "all_communes": level == "commune",
                    "first_period": p.first_period,
                    "last_period": p.last_period,
                    "to_agency": p.duty.to_agency,
                    "is_active": True,
                    **p.fields,
                }
                schedule = save_schedule(acting_user=acting_user, schedule=None, province=plan.province, data=data)
                schedule.source_duty = p.duty
                schedule.save(update_fields=["source_duty"])
                if level == "agency":
                    schedule.agencies.set(p.reporters)
                result.created.append(schedule)
    return result
