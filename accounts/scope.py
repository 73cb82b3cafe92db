"""What a user may see: one object computed from their role assignments, cached per request.

Every `for_user(user)` queryset method reads this object; views never filter by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from accounts.roles import Role


@dataclass
class Scope:
    is_admin: bool = False
    roles: set[str] = field(default_factory=set)
    nation_roles: set[str] = field(default_factory=set)
    # role -> province codes where the role is held (for agency/commune roles: their province).
    provinces_by_role: dict[str, set[str]] = field(default_factory=dict)
    agency_ids: set[int] = field(default_factory=set)
    commune_codes: set[str] = field(default_factory=set)
    case_commune_codes: set[str] = field(default_factory=set)

    @property
    def sees_nation(self) -> bool:
        """Administrators and national viewers see every province (aggregates only for viewers)."""
        return self.is_admin or bool(self.nation_roles)

    @property
    def province_codes(self) -> set[str]:
        codes: set[str] = set()
        for values in self.provinces_by_role.values():
            codes |= values
        return codes

    def provinces_for(self, *roles: str) -> set[str]:
        codes: set[str] = set()
        for role in roles:
            codes |= self.provinces_by_role.get(role, set())
        return codes

    def has(self, *roles: str) -> bool:
        return self.is_admin or any(r in self.roles for r in roles)


_EMPTY = Scope()


def get_scope(user: Any) -> Scope:
    """The user's scope; an anonymous or inactive user gets an empty one."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return _EMPTY
    cached = getattr(user, "_pcmt_scope", None)
    if cached is not None:
        return cached
    scope = Scope(is_admin=user.is_superuser)
    for a in user.role_assignments.select_related("agency", "commune").all():
        scope.roles.add(a.role)
        if a.role == Role.ADMIN:
            scope.is_admin = True
        if a.province_id is None:
            scope.nation_roles.add(a.role)
            continue
        scope.provinces_by_role.setdefault(a.role, set()).add(a.province_id)
        if a.agency_id:
            scope.agency_ids.add(a.agency_id)
        if a.commune_id:
            if a.role == Role.CASE_OFFICER:
                scope.case_commune_codes.add(a.commune_id)
            else:
                scope.commune_codes.add(a.commune_id)
    user._pcmt_scope = scope
    return scope


def forget_scope(user: Any) -> None:
    """Drop the cached scope after the user's assignments changed."""
    if hasattr(user, "_pcmt_scope"):
        del user._pcmt_scope


def province_scoped(queryset: Any, user: Any, action: str = "view", field: str = "province_id") -> Any:
    """The common rule for province-owned records (agencies, plans, schedules, …).

    `view`: every record of the user's provinces (all of them for national roles);
    `manage`: the records of the provinces where the user is the Standing Office.
    Administrators get everything.
    """
    if action not in ("view", "manage"):
        raise ValueError(f"unknown scoping action {action!r}")
    scope = get_scope(user)
    if scope.is_admin:
        return queryset.all()
    if action == "manage":
        return queryset.filter(**{f"{field}__in": scope.provinces_for(Role.STANDING_OFFICE)})
    if scope.sees_nation:
        return queryset.all()
    return queryset.filter(**{f"{field}__in": scope.province_codes})


def require_visible(queryset: Any, obj: Any, message: str = "Bạn không có quyền thực hiện thao tác này.") -> None:
    """Services re-check what a view already checked: `obj` must be in the user's scoped queryset.

    Raises PermissionDenied (a 403 with the Vietnamese message) so that an API, a command or a
    future view calling the service cannot act outside its scope.
    """
    from django.core.exceptions import PermissionDenied

    if obj is None or obj.pk is None or not queryset.filter(pk=obj.pk).exists():
        raise PermissionDenied(message)
