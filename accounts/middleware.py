"""Steps a signed-in person must take before anything else: a new password, then a second factor."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from accounts import twofactor


class RequiredStepsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
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
