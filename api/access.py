"""The role check of the pages, for the API (scope is `for_user`, as in the pages)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from accounts.scope import get_scope


def require_role(request: HttpRequest, roles: tuple[str, ...]) -> None:
    if not get_scope(request.user).has(*roles):
        raise PermissionDenied("Bạn không có quyền truy cập chức năng này.")
