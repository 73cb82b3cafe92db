"""Retention (issue 13 §3): after the management period and the 2-year window of BLHS Điều 256a end
(plus `PCMT_CASE_RETENTION_YEARS`), a file is pseudonymised; only statistics stay (birth year, sex,
commune, the path's codes and dates)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from audit.services import record
from cases.models import Decision, Intervention, Person, PersonRequest, PersonToken, Relative
from legal import path
from legal.alerts import window_256a_ends

if TYPE_CHECKING:
    from accounts.models import User

ERASED = "erased"  # no_cccd_reason of a pseudonymised file


def retention_end(last_end: datetime.date, years: int | None = None) -> datetime.date:
    years = settings.PCMT_CASE_RETENTION_YEARS if years is None else years
    end = window_256a_ends(last_end)
    try:
        return end.replace(year=end.year + years)
    except ValueError:  # 29/02
        return end.replace(year=end.year + years, day=28)


def due_for_pseudonymisation(today: datetime.date, years: int | None = None) -> list[Person]:
    """Files whose path has ended and whose retention period has passed."""
    candidates = (
        Person.objects.filter(
            pseudonymised_at__isnull=True,
            status__in=[path.ENDED, path.DEAD, path.AFTER_REHAB, path.USING, path.AFTER_SENTENCE],
        )
        .annotate(last_end=Max("decisions__ends_on"), last_day=Max("decisions__decided_on"))
        .prefetch_related("decisions")
    )
    out = []
    for person in candidates.iterator(chunk_size=1000):
        if path.status_on(list(person.decisions.all()), today) not in (path.ENDED, path.DEAD):
            continue
        last = max(d for d in (getattr(person, "last_end", None), getattr(person, "last_day", None)) if d)
        if retention_end(last, years) < today:
            out.append(person)
    return out


@transaction.atomic
def pseudonymise(person: Person, *, actor: User | None = None) -> None:
    """Erase what names the person; keep what counts them."""
    person.full_name = person.cccd = person.address = person.phone = person.note = person.no_cccd_note = ""
    person.birth_date = ""
    person.cccd_hash = None
    person.no_cccd_reason = ERASED
    person.name_hash = person.identity_hash = ""
    from django.utils import timezone

    person.pseudonymised_at = timezone.now()
    person.save()
    PersonToken.objects.filter(person=person).delete()
    Relative.objects.filter(person=person).delete()
    Decision.objects.filter(person=person).update(note="")
    Intervention.objects.filter(person=person).update(note="")
    PersonRequest.objects.filter(person=person).update(detail="", answer="")
    record(actor=actor, action="cases.person.pseudonymise", obj=person, province_code=person.commune.province_id)
