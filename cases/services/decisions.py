"""Decisions of the legal path: the transition is checked and the dates computed by `legal`."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from access.policy import require_visible
from audit.services import record
from cases.models import Decision, Person
from legal import path, rules

if TYPE_CHECKING:
    from accounts.models import User

LATER_EXISTS = (
    "Hồ sơ đã có quyết định ngày {day}, sau ngày của quyết định này: nhập các quyết định theo thứ tự thời gian."
)


def status_on(person: Person, day: datetime.date) -> str | None:
    return path.status_on(list(person.decisions.all()), day)


def refresh_status(person: Person) -> None:
    """Keep the person's cached status (the last decision's outcome) in step with the decisions."""
    last = person.decisions.order_by("-decided_on", "-pk").first()
    person.status = last.status_after if last else ""
    person.status_since = last.decided_on if last else None
    Person.objects.filter(pk=person.pk).update(status=person.status, status_since=person.status_since)


@transaction.atomic
def add_decision(
    *,
    acting_user: User | None,
    person: Person,
    decision_type: str,
    decided_on: datetime.date,
    starts_on: datetime.date | None = None,
    number: str = "",
    legal_basis: str = "",
    facility: Any = None,
    note: str = "",
    months: int | None = None,
) -> Decision:
    """Record one decision: refused when the path does not allow it (Vietnamese message)."""
    if acting_user is not None:
        require_visible(Person.objects.for_user(acting_user, "manage"), person)
    if decision_type not in path.DECISION_TYPES:
        raise ValidationError({"decision_type": "Loại quyết định không có trong danh mục."})
    later = person.decisions.filter(decided_on__gt=decided_on).order_by("-decided_on").first()
    if later is not None:
        from core.vn import format_date

        raise ValidationError({"decided_on": LATER_EXISTS.format(day=format_date(later.decided_on))})
    decisions = list(person.decisions.all())
    current = path.status_on(decisions, decided_on)
    try:
        after = path.next_status(current, decision_type)
    except path.TransitionError as exc:
        raise ValidationError({"decision_type": str(exc)}) from exc
    starts = starts_on or decided_on
    # "The second time" of rehab counts every earlier rehab, whatever its form.
    same = set(path.REHAB_FORMS) if decision_type in path.REHAB_FORMS else {decision_type}
    previous = sum(1 for d in decisions if d.decision_type in same)
    try:
        computed = rules.compute(decision_type, starts, previous_count=previous, months=months)
    except rules.RuleError as exc:
        raise ValidationError({"months" if months else "decision_type": str(exc)}) from exc
    decision = Decision.objects.create(
        person=person,
        decision_type=decision_type,
        number=number.strip(),
        decided_on=decided_on,
        signer_office=path.signer_office(decision_type, decided_on),
        legal_basis=legal_basis.strip() or computed.citation,
        starts_on=starts,
        ends_on=computed.ends_on,
        due_on=computed.due_on,
        ruleset_id=computed.ruleset_id,
        citation=computed.citation,
        status_after=after,
        commune_id=person.commune_id,
        facility=facility,
        note=note,
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    if facility is not None or person.facility_id:
        person.facility = facility
        Person.objects.filter(pk=person.pk).update(facility=facility)
    refresh_status(person)
    from cases.services.report_figures import registry_changed

    registry_changed([person.commune_id], path.effective_on(decision))
    record(
        actor=acting_user,
        action="cases.decision.create",
        obj=decision,
        changes={
            "decision_type": [None, decision_type],
            "decided_on": [None, decided_on.isoformat()],
            "status": [current, after],
        },
        province_code=person.commune.province_id,
    )
    return decision
