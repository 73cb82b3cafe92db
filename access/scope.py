"""What a user may reach: their effective role grants, and for each feature the scope it covers.

A user's scope is computed once per request from the role assignments that are in force
(approved, not expired) and cached on the user object. `reach(user, feature)` answers, for one
feature of the table, "over which provinces, agencies and communes": the union of the scopes of
the grants whose role holds the feature. Nothing else widens it: no role passes a filter
because it is "national" or "administrator"; the table says what each one holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from access import features
from access.roles import Role


class ScopedUser(Protocol):
    """The user object the access layer reads (accounts.User and AnonymousUser satisfy it)."""

    @property
    def pk(self) -> int | None: ...

    @property
    def is_active(self) -> bool: ...

    @property
    def is_superuser(self) -> bool: ...

    @property
    def is_authenticated(self) -> bool: ...


@dataclass(frozen=True)
class Grant:
    """One role assignment in force: the role and the scope it is held over."""

    role: str
    province: str | None = None
    agency: int | None = None
    commune: str | None = None

    @property
    def nation(self) -> bool:
        return self.province is None


@dataclass(frozen=True)
class Reach:
    """Where a user holds one feature.

    `nation`: everywhere. `provinces`: provinces held as a whole. `agencies` / `communes`: the
    units held one by one, with the provinces they belong to in `agency_provinces` /
    `commune_provinces`. A model's `for_user` decides how much of a province a unit grant opens.
    """

    nation: bool = False
    provinces: frozenset[str] = frozenset()
    agencies: frozenset[int] = frozenset()
    communes: frozenset[str] = frozenset()
    agency_provinces: frozenset[str] = frozenset()
    commune_provinces: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return self.nation or bool(self.provinces or self.agencies or self.communes)

    @property
    def all_provinces(self) -> frozenset[str]:
        """Every province where the feature is held in whole or in part (nation: see `nation`)."""
        return self.provinces | self.agency_provinces | self.commune_provinces

    def covers_province(self, code: str | None) -> bool:
        """The feature is held over the whole of province `code`."""
        return self.nation or code in self.provinces


NOWHERE = Reach()


@dataclass
class Scope:
    """The effective grants of one user, and the reach of each feature (computed on demand)."""

    grants: tuple[Grant, ...] = ()
    _reach: dict[str, Reach] = field(default_factory=dict, repr=False)

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(g.role for g in self.grants)

    def has_role(self, *roles: str) -> bool:
        return any(g.role in roles for g in self.grants)

    def reach(self, key: str) -> Reach:
        cached = self._reach.get(key)
        if cached is not None:
            return cached
        roles = features.roles_for(key)  # raises on an unknown feature
        mine = [g for g in self.grants if g.role in roles]
        reach = Reach(
            nation=any(g.nation for g in mine),
            provinces=frozenset(g.province for g in mine if g.province and not g.agency and not g.commune),
            agencies=frozenset(g.agency for g in mine if g.agency),
            communes=frozenset(g.commune for g in mine if g.commune),
            agency_provinces=frozenset(g.province for g in mine if g.agency and g.province),
            commune_provinces=frozenset(g.province for g in mine if g.commune and g.province),
        )
        self._reach[key] = reach
        return reach

    def can(self, key: str) -> bool:
        return bool(self.reach(key))


_EMPTY = Scope()
_CACHE_ATTR = "_pcmt_scope"


def get_scope(user: ScopedUser | None) -> Scope:
    """The user's scope; an anonymous or inactive user gets an empty one.

    A superuser (created on the server with `createsuperuser`) holds the administrator role over
    the nation, and nothing more.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return _EMPTY
    cached: Scope | None = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    grants = [
        Grant(role=a.role, province=a.province_id, agency=a.agency_id, commune=a.commune_id)
        for a in user.role_assignments.in_force()  # type: ignore[attr-defined]  # accounts.RoleAssignment
    ]
    if user.is_superuser:
        grants.append(Grant(role=Role.ADMIN))
    scope = Scope(grants=tuple(dict.fromkeys(grants)))
    setattr(user, _CACHE_ATTR, scope)
    return scope


def forget_scope(user: object) -> None:
    """Drop the cached scope after the user's assignments changed."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
