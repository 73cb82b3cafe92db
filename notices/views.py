from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from access.decorators import login_only
from core.http import paginate
from notices.models import Notification
from notices.services import mark_read


@login_only
def notification_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, Notification.objects.for_user(request.user))
    return render(request, "notices/list.html", {"page": page})


@require_POST
@login_only
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    n = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    mark_read(user=request.user, notification=n)
    if n.url and url_has_allowed_host_and_scheme(n.url, allowed_hosts={request.get_host()}):
        return redirect(n.url)
    return redirect("notices:list")
