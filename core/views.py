"""Vietnamese error pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def _reason(exception: Any, default: str) -> str:
    text = str(exception) if exception else ""
    # Django's own messages are English developer text; show them only if written for users.
    return text if text and not text.isascii() else default


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render(
        request, "403.html", {"reason": _reason(exception, "Bạn không có quyền truy cập trang này.")}, status=403
    )


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors that touch the database: the error may be the database.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render(request, "400.html", status=400)
