"""The unread count in the navigation bar."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from notices.services import unread_count


def unread_notices(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notices": unread_count(user)}
