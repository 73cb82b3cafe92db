from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from program.models import NationalTarget, Project


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    """The programme's projects and national targets: public reference for every signed-in user."""
    return render(request, "program/catalogue.html", {
        "projects": Project.objects.select_related("parent"), "targets": NationalTarget.objects.all(),
    })
