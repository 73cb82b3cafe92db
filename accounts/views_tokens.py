"""Personal access tokens: a person lists, creates and revokes their own (`accounts.tokens`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from access.decorators import login_only
from accounts import tokens
from accounts.forms import ApiTokenForm
from accounts.models import ApiToken


@login_only
def token_list(request: HttpRequest) -> HttpResponse:
    """The person's tokens; on a valid POST, a new token whose secret is shown on this response only."""
    form = ApiTokenForm(request.POST or None)
    secret = ""
    if request.method == "POST" and form.is_valid():
        try:
            _, secret = tokens.create_token(acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            form = ApiTokenForm()
    response = render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "secret": secret, "tokens": ApiToken.objects.filter(user=request.user)},
    )
    response["Cache-Control"] = "no-store"  # the secret must not stay in a cache
    return response


@require_POST
@login_only
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=pk)
    tokens.revoke_token(acting_user=request.user, token=token)
    messages.success(request, f"Đã thu hồi mã {token.prefix}…: các chương trình dùng mã này không truy cập được nữa.")
    return redirect("accounts:tokens")
