"""The questions views, services and querysets ask: may this user use a feature, and where?

- `can(user, key)`: the user holds the feature somewhere.
- `reach(user, key)`: where (see `access.scope.Reach`).
- `province_filter(queryset, user, key, field)`: the one rule for "the provinces this user may
  read or manage" under a feature; `Province.objects.for_user(user, key)` is built on it.
- `feature_for(actions, action)`: `for_user(user, action)` validates its action with it (an
  unknown action raises, it is never read as "view").
- `require_visible(queryset, obj)`: services re-check the scope a view already checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet

from access.scope import Reach, ScopedUser, get_scope

_M = TypeVar("_M", bound=Model)

DENIED = "Bạn không có quyền truy cập chức năng này."


class UnknownAction(ValueError):
    """`for_user` was asked for an action its model does not define."""


def can(user: ScopedUser | None, key: str) -> bool:
    return get_scope(user).can(key)


def reach(user: ScopedUser | None, key: str) -> Reach:
    return get_scope(user).reach(key)


def require(user: ScopedUser | None, key: str, message: str = DENIED) -> Reach:
    """The user's reach of `key`, or PermissionDenied (403) if they do not hold it at all."""
    r = reach(user, key)
    if not r:
        raise PermissionDenied(message)
    return r


def feature_for(actions: Mapping[str, str], action: str, model: str = "") -> str:
    """The feature behind a `for_user` action; an action the model does not define raises."""
    try:
        return actions[action]
    except KeyError:
        raise UnknownAction(
            f"{model or 'queryset'}.for_user: unknown action {action!r} (known: {', '.join(actions)})"
        ) from None


def province_q(r: Reach, field: str) -> Q | None:
    """Q of the records in the provinces held in whole (None: every province)."""
    if r.nation:
        return None
    return Q(**{f"{field}__in": sorted(r.provinces)})


def province_filter(
    queryset: QuerySet[_M],
    user: ScopedUser | None,
    key: str,
    field: str = "province_id",
    *,
    units_open_province: bool = True,
) -> QuerySet[_M]:
    """Records of the provinces where the user holds `key`.

    With `units_open_province` (the default) an agency or commune grant opens its whole
    province (plans, schedules, agencies: province-level records every unit of it reads);
    without, only province-wide grants count (records that are the office's own work).
    """
    r = reach(user, key)
    if r.nation:
        return queryset.all()
    codes = r.all_provinces if units_open_province else r.provinces
    return queryset.filter(**{f"{field}__in": sorted(codes)})


def require_visible(
    queryset: QuerySet[Any], obj: Model | None, message: str = "Bạn không có quyền thực hiện thao tác này."
) -> None:
    """Services re-check what a view already checked: `obj` must be in the user's scoped queryset.

    Raises PermissionDenied (a 403 with the Vietnamese message) so that an API, a command or a
    future view calling the service cannot act outside its scope.
    """
    if obj is None or obj.pk is None or not queryset.filter(pk=obj.pk).exists():
        raise PermissionDenied(message)
