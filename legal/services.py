"""The only writers of the legal reference data: rule sets and holidays (system administrator)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction

from access.policy import require, require_visible
from audit.services import record
from legal import seed
from legal.models import Holiday, RuleSet
from legal.rules import RuleError, validate_body

if TYPE_CHECKING:
    from accounts.models import User

FEATURE = "legal.manage"


@dataclass(frozen=True)
class LoadResult:
    created: int
    kept: int


def load_legal_rules(*, acting_user: User | None = None) -> LoadResult:
    """Create the rule sets of `legal.seed` that are missing (by code); never overwrite one the
    administrator may have edited."""
    created = kept = 0
    with transaction.atomic():
        for data in seed.rule_sets():
            validate_body(data["body"])
            obj, made = RuleSet.objects.get_or_create(code=data["code"], defaults=data)
            if made:
                created += 1
                record(actor=acting_user, action="legal.ruleset.load", obj=obj, changes={"code": obj.code})
            else:
                kept += 1
    return LoadResult(created, kept)


def load_holidays(*, years: range = seed.HOLIDAY_YEARS, acting_user: User | None = None) -> LoadResult:
    """Add the package's holidays for `years` that the table lacks; days already there (perhaps
    renamed or added by hand) are kept."""
    created = kept = 0
    with transaction.atomic():
        existing = set(Holiday.objects.filter(day__year__in=list(years)).values_list("day", flat=True))
        new = [
            Holiday(day=day, name=name, source=seed.HOLIDAY_SOURCE, updated_by=acting_user)
            for day, name in seed.holiday_rows(years)
            if day not in existing
        ]
        Holiday.objects.bulk_create(new)
        created, kept = len(new), len(existing)
    return LoadResult(created, kept)


def _check_dates(ruleset: RuleSet) -> None:
    if ruleset.effective_to is not None and ruleset.effective_to < ruleset.effective_from:
        raise RuleError("Ngày hết hiệu lực phải sau ngày có hiệu lực.")
    others = RuleSet.objects.exclude(pk=ruleset.pk)
    end = ruleset.effective_to or datetime.date.max
    overlap = others.filter(effective_from__lte=end).exclude(effective_to__lt=ruleset.effective_from).first()
    if overlap is not None:
        raise RuleError(
            f"Thời gian hiệu lực trùng với bộ quy tắc {overlap.code} "
            f"({overlap.effective_from:%d/%m/%Y}–{overlap.effective_to:%d/%m/%Y})."
            if overlap.effective_to
            else f"Thời gian hiệu lực trùng với bộ quy tắc {overlap.code} (từ {overlap.effective_from:%d/%m/%Y})."
        )


_FIELDS = ("code", "name", "effective_from", "effective_to", "citation", "notes", "body")


def save_rule_set(*, acting_user: User, ruleset: RuleSet, data: dict[str, Any]) -> RuleSet:
    """Edit a rule set (dates, citation, notes, rules). Decisions already computed keep their
    dates: they stored them with the rule set's id."""
    require(acting_user, FEATURE)
    with transaction.atomic():
        require_visible(RuleSet.objects.for_user(acting_user, "manage"), ruleset)
        validate_body(data["body"])
        changes = {f: data[f] for f in _FIELDS if f in data and getattr(ruleset, f) != data[f]}
        for field, value in changes.items():
            setattr(ruleset, field, value)
        ruleset.updated_by = acting_user
        _check_dates(ruleset)
        ruleset.save()
        record(actor=acting_user, action="legal.ruleset.update", obj=ruleset, changes=_loggable(changes))
    return ruleset


def add_rule_set(*, acting_user: User, data: dict[str, Any]) -> RuleSet:
    """A new version: the open-ended rule set in force on its first day is closed the day before."""
    require(acting_user, FEATURE)
    validate_body(data["body"])
    with transaction.atomic():
        start: datetime.date = data["effective_from"]
        current = (
            RuleSet.objects.select_for_update().filter(effective_to__isnull=True, effective_from__lt=start).first()
        )
        if current is not None:
            current.effective_to = start - datetime.timedelta(days=1)
            current.updated_by = acting_user
            current.save(update_fields=["effective_to", "updated_by", "updated_at"])
            record(
                actor=acting_user,
                action="legal.ruleset.close",
                obj=current,
                changes={"effective_to": current.effective_to.isoformat()},
            )
        ruleset = RuleSet(**{f: data[f] for f in _FIELDS if f in data}, updated_by=acting_user)
        _check_dates(ruleset)
        ruleset.save()
        record(actor=acting_user, action="legal.ruleset.create", obj=ruleset, changes=_loggable(data))
    return ruleset


def _loggable(changes: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in changes.items()}


def save_holiday(*, acting_user: User, holiday: Holiday | None, day: datetime.date, name: str, source: str) -> Holiday:
    """Add a holiday or edit one (e.g. a day moved by the Government's notice)."""
    require(acting_user, FEATURE)
    with transaction.atomic():
        if holiday is None:
            if Holiday.objects.filter(day=day).exists():
                raise RuleError(f"Ngày {day:%d/%m/%Y} đã có trong danh sách ngày nghỉ.")
            holiday = Holiday(day=day)
            action = "legal.holiday.create"
        else:
            require_visible(Holiday.objects.for_user(acting_user, "manage"), holiday)
            if Holiday.objects.filter(day=day).exclude(pk=holiday.pk).exists():
                raise RuleError(f"Ngày {day:%d/%m/%Y} đã có trong danh sách ngày nghỉ.")
            holiday.day = day
            action = "legal.holiday.update"
        holiday.name, holiday.source, holiday.updated_by = name, source, acting_user
        holiday.save()
        record(actor=acting_user, action=action, obj=holiday, changes={"day": day.isoformat(), "name": name})
    return holiday


def delete_holiday(*, acting_user: User, holiday: Holiday) -> None:
    require(acting_user, FEATURE)
    with transaction.atomic():
        require_visible(Holiday.objects.for_user(acting_user, "manage"), holiday)
        record(
            actor=acting_user,
            action="legal.holiday.delete",
            obj=holiday,
            changes={"day": holiday.day.isoformat(), "name": holiday.name},
        )
        holiday.delete()
