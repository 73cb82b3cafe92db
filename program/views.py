from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from access.decorators import feature_required
from program.models import NationalTarget, Project


@feature_required("catalogue.read")
def catalogue(request: HttpRequest) -> HttpResponse:
    """The programme's projects and national targets: public reference for every signed-in user."""
    return render(
        request,
        "program/catalogue.html",
        {
            "projects": Project.objects.select_related("parent"),
            "targets": NationalTarget.objects.all(),
        },
    )
