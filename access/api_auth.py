"""How the API knows its caller: a personal access token (checked by
`accounts.middleware.ApiTokenMiddleware` before any guard runs), else the session with CSRF."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import django_auth
from ninja.security.base import AuthBase


class ApiTokenAuth(AuthBase):
    """Accepts a request the token middleware has already signed in; no CSRF (no cookie is used)."""

    openapi_type = "apiKey"

    def __init__(self) -> None:
        self.openapi_extra = {"in": "header", "name": "Authorization"}
        super().__init__()

    def __call__(self, request: HttpRequest) -> Any:
        return getattr(request, "api_token_user", None)


AUTH = [ApiTokenAuth(), django_auth]
