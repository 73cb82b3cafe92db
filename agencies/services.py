"""Writing the agency catalogue: seeding the standard bodies and editing entries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from access.policy import require_visible
from agencies.catalogue import catalogue_for
from agencies.models import Agency
from audit.services import diff, record
from geo.models import Province

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def seed_standard_agencies(province: Province) -> tuple[int, int]:
    """Create the standard bodies for a province; re-running adds only what is missing.

    Returns (created, already present). Existing rows are never overwritten: officers may have
    renamed or extended them.
    """
    existing = set(Agency.objects.filter(province=province).values_list("code", flat=True))
    new = [
        Agency(
            province=province,
            code=e.code,
            name=e.name,
            short_name=e.short_name[:60],
            kind=e.kind,
            aliases=list(e.aliases),
            legacy=e.legacy,
            requested=e.requested,
        )
        for e in catalogue_for(province.short_name)
        if e.code not in existing
    ]
    Agency.objects.bulk_create(new)
    return len(new), len(existing)


_EDITABLE = ("code", "name", "short_name", "kind", "aliases", "legacy", "requested", "is_active")


def save_agency(*, acting_user: User, agency: Agency, data: dict[str, Any]) -> Agency:
    """Create or update an agency from cleaned form data, with an audit event.

    Only in a province the user manages: checked before an edit and, inside the transaction,
    again after the save (so a new agency in another province is never created)."""
    manageable = Agency.objects.for_user(acting_user, "manage")
    if agency.pk is not None:
        require_visible(manageable, agency)
    with transaction.atomic():
        creating = agency.pk is None
        old = {} if creating else {f: getattr(Agency.objects.get(pk=agency.pk), f) for f in _EDITABLE}
        for f in _EDITABLE:
            if f in data:
                setattr(agency, f, data[f])
        agency.save()
        require_visible(manageable, agency)
        record(
            actor=acting_user,
            action="agency.create" if creating else "agency.update",
            obj=agency,
            province_code=agency.province_id,
            changes=diff(old, {f: getattr(agency, f) for f in _EDITABLE}),
        )
    return agency
