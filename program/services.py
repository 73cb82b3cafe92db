"""Loading the programme catalogue (idempotent: rows are updated by code)."""

from __future__ import annotations

from django.db import transaction

from program.catalogue import PROJECTS, TARGETS
from program.models import NationalTarget, Project


@transaction.atomic
def load_programme() -> tuple[int, int]:
    """Create or refresh the projects and national targets; returns (projects, targets)."""
    for order, entry in enumerate(PROJECTS):
        Project.objects.update_or_create(
            code=entry.code,
            defaults={
                "number": entry.number,
                "name": entry.name,
                "national_lead": entry.national_lead,
                "provincial_lead": entry.provincial_lead,
                "sort_key": order,
                "parent_id": entry.parent or None,
            },
        )
    for t in TARGETS:
        NationalTarget.objects.update_or_create(
            code=t.code,
            part=t.part,
            defaults={"text": t.text, "comparator": t.comparator, "value": t.value, "unit": t.unit, "year": t.year},
        )
    return len(PROJECTS), len(TARGETS)
