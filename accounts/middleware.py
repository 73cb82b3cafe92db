"""Steps a signed-in person must take before anything else: a new password, then a second factor."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from accounts import twofactor


class RequiredStepsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if hasattr(request, "api_token_user"):
            return self.get_response(request)  # a machine client: its token was checked for these steps
        if user is not None and user.is_authenticated and not request.path.startswith("/static/"):
            redirect_to = self._required_step(request, user)
            if redirect_to:
                return redirect_to
        return self.get_response(request)

    @staticmethod
    def _required_step(request: HttpRequest, user: object) -> HttpResponse | None:
        """A new password first; then, for roles that reach personal data, a verified second factor."""
        logout_url = reverse("accounts:logout")
        if getattr(user, "must_change_password", False):
            if request.path not in {reverse("accounts:password_change"), logout_url}:
                return redirect("accounts:password_change")
            return None
        unverified = twofactor.requires_two_factor(user) and not user.is_verified()  # type: ignore[attr-defined]
        if unverified and request.path not in {reverse("accounts:otp_setup"), logout_url}:
            return redirect("accounts:otp_setup")
        return None


class ApiTokenMiddleware:
    """Signs in a machine client of the API by its personal access token (`accounts.tokens`).

    Only under /api/ and only when an `Authorization` header names a token scheme; a token that
    is unknown, expired, revoked or used from another address answers 401 at once, whatever
    session cookie comes with it. The request then runs as the token's owner, through the same
    feature guards and scoped querysets as a signed-in page, without a session or CSRF token.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = request.headers.get("Authorization", "")
        if header and request.path.startswith("/api/"):
            from axes.helpers import get_client_ip_address

            from accounts import tokens

            secret = tokens.secret_from_header(header)
            if secret is not None:
                user = tokens.authenticate(secret, get_client_ip_address(request))
                if user is None:
                    return JsonResponse(
                        {
                            "detail": "Mã truy cập không hợp lệ, đã hết hạn, đã bị thu hồi hoặc không dùng được từ địa chỉ này."
                        },
                        status=401,
                    )
                # The token stands for both sign-in steps: it was created in a verified session
                # and `authenticate` refuses a case officer's account without a second factor.
                user.is_verified = lambda: True  # type: ignore[attr-defined]
                request.user = user
                request.api_token_user = user  # type: ignore[attr-defined]
        return self.get_response(request)
