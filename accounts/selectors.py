"""Who holds a role now: recipients of notifications and reminders (grants in force only)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accounts.models import RoleAssignment, User


def assignments_in_force(**filters: Any) -> QuerySet[RoleAssignment]:
    """Approved, unexpired grants of active users matching `filters` (e.g. role=…, province_id=…)."""
    return RoleAssignment.objects.in_force().filter(user__is_active=True, **filters)


def holders(**filters: Any) -> QuerySet[User]:
    """Active users holding a grant in force that matches `filters`."""
    return User.objects.filter(is_active=True, role_assignments__in=assignments_in_force(**filters)).distinct()
