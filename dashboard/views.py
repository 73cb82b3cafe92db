from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from access.decorators import login_only
from dashboard.services import home_context


@login_only
def home(request: HttpRequest) -> HttpResponse:
    """The landing page: one section for each role the user holds."""
    return render(request, "dashboard/home.html", home_context(request.user))
