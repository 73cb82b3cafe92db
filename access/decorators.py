"""Guards for views and API operations, each marked with the feature it enforces.

The URL-walking test reads the mark (`access_rule`) on every view: a view without one, and not
on the reviewed allowlist, fails the suite.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from access import features
from access.policy import DENIED, can

_V = TypeVar("_V", bound=Callable[..., Any])

LOGIN = "login"  # the rule of views any signed-in person may open (their own data only)


def _mark(view: Any, rule: str) -> Any:
    view.access_rule = rule
    return view


def feature_required(*keys: str) -> Callable[[_V], _V]:
    """Sign-in required, then at least one of the features `keys`, else 403."""
    for key in keys:
        features.get(key)  # an unknown key fails at import time

    def decorator(view: _V) -> _V:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not any(can(request.user, key) for key in keys):
                raise PermissionDenied(DENIED)
            return view(request, *args, **kwargs)

        return _mark(wrapper, "|".join(keys))  # type: ignore[no-any-return]

    return decorator


def login_only(view: _V) -> _V:
    """Sign-in required and nothing more: for pages that show the person their own data."""
    return _mark(login_required(view), LOGIN)  # type: ignore[no-any-return]


def api_feature(*keys: str) -> Callable[[_V], _V]:
    """The API's guard: the same features as the pages, answered as a 403 JSON error.

    Put it under the router's decorator. It wraps the operation's run (ninja's `decorate_view`),
    so ninja still reads the operation's own signature; an anonymous call goes on to ninja's
    authentication, which answers 401.
    """
    for key in keys:
        features.get(key)

    def guard(run: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(run)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            user = request.user
            if user.is_authenticated and not any(can(user, key) for key in keys):
                return run.__self__.api.create_response(request, {"detail": DENIED}, status=403)  # type: ignore[attr-defined]
            return run(request, *args, **kwargs)

        return wrapper

    def decorator(operation: _V) -> _V:
        from ninja.decorators import decorate_view  # ninja loads only once settings are configured

        return _mark(decorate_view(guard)(operation), "|".join(keys))  # type: ignore[no-any-return]

    return decorator


def public(view: _V) -> _V:
    """No sign-in needed (the sign-in steps themselves). Marked so that the URL walk sees it was meant."""
    return _mark(view, "public")  # type: ignore[no-any-return]
