"""Alerts of a case officer: periods ending soon, deadlines passed, the 2-year window of BLHS Điều 256a."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import F

from cases.models import Decision, Person
from legal import path
from legal.alerts import due_soon, window_256a_ends

if TYPE_CHECKING:
    from accounts.models import User

POST_REHAB = ("quan_ly_sau_cai", "quan_ly_sau_cai_bat_buoc")
LIMIT = 200


@dataclass(frozen=True)
class Alert:
    kind: str  # "ending", "overdue", "window"
    person: Person
    decision: Decision
    day: datetime.date
    text: str


def alerts_for(user: User, today: datetime.date, days: int = 30) -> list[Alert]:
    """Alerts over the user's own scope, soonest first (the persons' last decisions only)."""
    scope = Person.objects.in_scope(user).filter(pseudonymised_at__isnull=True)
    last = Decision.objects.filter(person__in=scope, decided_on=F("person__status_since")).select_related(
        "person", "person__commune"
    )
    out: list[Alert] = []
    horizon = today + datetime.timedelta(days=days)
    for d in last.filter(ends_on__range=(today, horizon)).order_by("ends_on")[:LIMIT]:
        if d.ends_on is not None and due_soon(d.ends_on, today, days=days):
            out.append(Alert("ending", d.person, d, d.ends_on, f"{path.DECISION_TYPES[d.decision_type]}: hết thời hạn"))
    for d in last.filter(due_on__lt=today).order_by("due_on")[:LIMIT]:
        if d.due_on is None:
            continue
        out.append(
            Alert(
                "overdue", d.person, d, d.due_on, f"{path.DECISION_TYPES[d.decision_type]}: đã quá hạn phải thực hiện"
            )
        )
    window_from = today - datetime.timedelta(days=3 * 366)
    ended = last.filter(decision_type__in=POST_REHAB, ends_on__lt=today, ends_on__gte=window_from)
    for d in ended.order_by("ends_on")[:LIMIT]:
        if d.ends_on is None:
            continue
        until = window_256a_ends(d.ends_on)
        if until >= today:
            out.append(
                Alert("window", d.person, d, until, "Trong thời hạn 02 năm sau quản lý sau cai (BLHS Điều 256a)")
            )
    return sorted(out, key=lambda a: a.day)
