"""Security headers and the forced password change after an account is created."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Everything is served from this origin: vendored assets, no CDN, no inline scripts from others.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/static/"):
            redirect_to = self._required_step(request, user)
            if redirect_to:
                return redirect_to
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
        return response

    @staticmethod
    def _required_step(request: HttpRequest, user: object) -> HttpResponse | None:
        """A new password first; then, for case officers, a verified second factor."""
        from accounts import twofactor

        logout_url = reverse("accounts:logout")
        if getattr(user, "must_change_password", False):
            if request.path not in {reverse("accounts:password_change"), logout_url}:
                return redirect("accounts:password_change")
            return None
        unverified = twofactor.requires_two_factor(user) and not user.is_verified()  # type: ignore[attr-defined]
        if unverified and request.path not in {reverse("accounts:otp_setup"), logout_url}:
            return redirect("accounts:otp_setup")
        return None
