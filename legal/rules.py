"""Durations, deadlines and signing offices, versioned by effective date (DOMAIN.md §3.4).

The rule set in force on a decision's start date decides its end date (a term in months) and
its due date (a time limit in working days); the decision stores the rule set's id, so a rule
set added or edited later never changes a decision already computed.

Terms in months end on the same day number of the last month, or on that month's last day when
it has no such day (Bộ luật Dân sự 2015 Điều 147–148).
"""

from __future__ import annotations

import calendar as _calendar
import datetime
from dataclasses import dataclass
from typing import Any

from legal.calendar import add_working_days
from legal.models import RuleSet
from legal.path import DECISION_TYPES, ENTRY_TYPES
from legal.seed import ENTRY_RULE


class RuleError(ValueError):
    """No rule for a decision on that day, or a rule set that does not hold together."""


@dataclass(frozen=True)
class Computed:
    ends_on: datetime.date | None
    due_on: datetime.date | None
    ruleset_id: int
    citation: str


@dataclass(frozen=True)
class DecisionRule:
    """One decision type's row in a rule set."""

    decision_type: str
    signer: str
    basis: str
    months: int | None = None
    months_repeat: int | None = None
    min_months: int | None = None
    max_months: int | None = None
    due_working_days: int | None = None
    due_label: str = ""
    note: str = ""

    @property
    def has_range(self) -> bool:
        return self.min_months is not None and self.max_months is not None

    def term_months(self, previous_count: int, months: int | None) -> int | None:
        """The term: the one the decision sets within the range, or the rule's fixed term
        (the repeat term from the second time on), or the range's maximum."""
        if self.has_range:
            assert self.min_months is not None and self.max_months is not None
            if months is None:
                return self.max_months
            if not self.min_months <= months <= self.max_months:
                raise RuleError(
                    f"Thời hạn {months} tháng nằm ngoài khoảng {self.min_months}–{self.max_months} tháng "
                    f"của “{DECISION_TYPES[self.decision_type]}”."
                )
            return months
        fixed = self.months_repeat if previous_count >= 1 and self.months_repeat is not None else self.months
        if months is not None and fixed is not None and months != fixed:
            raise RuleError(
                f"“{DECISION_TYPES[self.decision_type]}” có thời hạn {fixed} tháng theo quy định, không phải {months} tháng."
            )
        return fixed if fixed is not None else months


_INT_KEYS = ("months", "months_repeat", "min_months", "max_months", "due_working_days")
_TEXT_KEYS = ("signer", "basis", "due_label", "note")


def validate_body(body: Any) -> dict[str, DecisionRule]:
    """Parse a rule set's body; a RuleError (Vietnamese) names the first problem."""
    if not isinstance(body, dict) or not isinstance(body.get("decisions"), dict):
        raise RuleError("Quy tắc phải có mục “decisions” gồm các loại quyết định.")
    rules: dict[str, DecisionRule] = {}
    for code, row in body["decisions"].items():
        if code not in DECISION_TYPES:
            raise RuleError(f"Loại quyết định không tồn tại: {code!r}.")
        if not isinstance(row, dict):
            raise RuleError(f"Quy tắc của {code!r} phải là một bảng khóa–giá trị.")
        unknown = set(row) - set(_INT_KEYS) - set(_TEXT_KEYS)
        if unknown:
            raise RuleError(f"Quy tắc của {code!r} có khóa không hợp lệ: {', '.join(sorted(unknown))}.")
        for key in ("signer", "basis"):
            if not isinstance(row.get(key), str) or not row[key].strip():
                raise RuleError(f"Quy tắc của {code!r} thiếu “{key}” (cơ quan ký, căn cứ pháp lý).")
        for key in _INT_KEYS:
            value = row.get(key)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= 120):
                raise RuleError(f"Quy tắc của {code!r}: “{key}” phải là số nguyên từ 1 đến 120.")
        for key in ("due_label", "note"):
            if not isinstance(row.get(key, ""), str):
                raise RuleError(f"Quy tắc của {code!r}: “{key}” phải là văn bản.")
        if ("min_months" in row) != ("max_months" in row):
            raise RuleError(f"Quy tắc của {code!r}: cần cả “min_months” và “max_months”.")
        if "min_months" in row and ("months" in row or row["min_months"] > row["max_months"]):
            raise RuleError(f"Quy tắc của {code!r}: khoảng thời hạn không hợp lệ.")
        if "months_repeat" in row and "months" not in row:
            raise RuleError(f"Quy tắc của {code!r}: “months_repeat” cần “months”.")
        rules[code] = DecisionRule(decision_type=code, **row)
    return rules


def rules_on(day: datetime.date) -> RuleSet:
    """The rule set in force on `day`."""
    found: RuleSet | None = (
        RuleSet.objects.filter(effective_from__lte=day)
        .exclude(effective_to__lt=day)
        .order_by("-effective_from")
        .first()
    )
    if found is None:
        raise RuleError(f"Không có bộ quy tắc pháp lý nào có hiệu lực ngày {day:%d/%m/%Y}.")
    return found


def decision_rule(decision_type: str, day: datetime.date, ruleset: RuleSet | None = None) -> DecisionRule:
    """The rule for `decision_type` in the rule set in force on `day` (or the one given)."""
    if decision_type not in DECISION_TYPES:
        raise RuleError(f"Loại quyết định không hợp lệ: {decision_type!r}.")
    ruleset = ruleset or rules_on(day)
    rule = validate_body(ruleset.body).get(decision_type)
    if rule is None and decision_type in ENTRY_TYPES.values():
        rule = DecisionRule(decision_type=decision_type, **ENTRY_RULE)
    if rule is None:
        raise RuleError(
            f"“{DECISION_TYPES[decision_type]}” không có căn cứ trong {ruleset.name} (áp dụng ngày {day:%d/%m/%Y})."
        )
    return rule


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Same day number `months` later, or the last day of that month (BLDS 2015 Điều 148)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, _calendar.monthrange(year, month)[1]))


def compute(
    decision_type: str, starts_on: datetime.date, *, previous_count: int = 0, months: int | None = None
) -> Computed:
    """End and due dates of a decision starting on `starts_on`, under the rule set in force then.

    `previous_count`: earlier decisions of the same kind (rehab "the second time"); `months`: the
    term a decision sets within a range the law allows (e.g. 6–12 months), checked against it.
    """
    ruleset = rules_on(starts_on)
    rule = decision_rule(decision_type, starts_on, ruleset)
    term = rule.term_months(previous_count, months)
    ends_on = add_months(starts_on, term) if term is not None else None
    due_on = add_working_days(starts_on, rule.due_working_days) if rule.due_working_days is not None else None
    return Computed(ends_on=ends_on, due_on=due_on, ruleset_id=ruleset.pk, citation=f"{rule.basis}; {ruleset.name}")
