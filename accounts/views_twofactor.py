"""Second sign-in step and the set-up page of the authenticator app."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from access.decorators import feature_required, login_only, public
from accounts import services, twofactor
from accounts.models import User
from core.forms import StyledFormMixin

MAX_TRIES = 5


class TokenForm(StyledFormMixin, forms.Form):
    token = forms.CharField(
        label="Mã xác thực (6 chữ số)",
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}),
    )


def _safe_next(request: HttpRequest, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return "/"


@public
def verify_step(request: HttpRequest) -> HttpResponse:
    """After the password: ask for the code, then sign the person in."""
    pending = request.session.get(twofactor.PENDING_KEY)
    if not pending:
        return redirect("accounts:login")
    user = get_object_or_404(User, pk=pending["user"], is_active=True)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = twofactor.verify(user=user, token=form.cleaned_data["token"])
        if device is not None:
            request.session.pop(twofactor.PENDING_KEY, None)
            user.backend = pending["backend"]
            login(request, user)
            otp_login(request, device)
            return redirect(_safe_next(request, pending.get("next")))
        pending["tries"] = pending.get("tries", 0) + 1
        if pending["tries"] >= MAX_TRIES:
            request.session.pop(twofactor.PENDING_KEY, None)
            messages.error(request, "Nhập sai mã xác thực quá nhiều lần. Hãy đăng nhập lại.")
            return redirect("accounts:login")
        request.session[twofactor.PENDING_KEY] = pending
        form.add_error("token", "Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã đang hiển thị trong ứng dụng.")
    return render(request, "accounts/otp_verify.html", {"form": form})


def start_pending(request: HttpRequest, user: User, next_url: str | None) -> HttpResponse:
    """Hold the password-checked user until the code is given (nothing signed in yet)."""
    request.session.cycle_key()
    request.session[twofactor.PENDING_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", None)
        or request.session.get(BACKEND_SESSION_KEY)
        or "django.contrib.auth.backends.ModelBackend",
        "next": next_url,
        "tries": 0,
    }
    return redirect("accounts:otp_verify")


@login_only
def setup(request: HttpRequest) -> HttpResponse:
    """Show the QR code of a new secret and confirm it with a first code."""
    user = request.user
    device = twofactor.pending_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.confirm_device(user=user, device=device, token=form.cleaned_data["token"]):
            otp_login(request, device)
            messages.success(
                request, "Đã bật xác thực hai bước. Từ lần sau, khi đăng nhập bạn cần nhập mã từ ứng dụng."
            )
            return redirect("dashboard:home")
        form.add_error("token", "Mã xác thực không đúng. Hãy kiểm tra giờ trên điện thoại và nhập mã mới nhất.")
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr": twofactor.qr_svg(device, user.username),
            "secret": twofactor.secret_base32(device),
            "enabled": twofactor.confirmed_device(user) is not None,
            "required": twofactor.requires_two_factor(user),
        },
    )


@require_POST
@login_only
def disable_own(request: HttpRequest) -> HttpResponse:
    if twofactor.requires_two_factor(request.user):
        raise PermissionDenied("Cán bộ quản lý hồ sơ bắt buộc dùng xác thực hai bước.")
    twofactor.disable(acting_user=request.user, user=request.user)
    messages.success(request, "Đã tắt xác thực hai bước.")
    return redirect("accounts:otp_setup")


@require_POST
@feature_required("account.manage")
def reset_for_user(request: HttpRequest, pk: int) -> HttpResponse:
    """The Standing Office clears a lost authenticator; the person sets up a new one at next sign-in."""
    target = get_object_or_404(User.objects.for_user(request.user), pk=pk)
    services.check_manages(request.user, target)
    twofactor.disable(acting_user=request.user, user=target)
    messages.success(request, f"Đã hủy xác thực hai bước của {target.username}.")
    return redirect("accounts:user_detail", pk=pk)
