from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from access.decorators import feature_required, login_only
from access.policy import can, reach
from dashboard.services import home_context, maps, nation
from geo.models import Province
from reporting.models import Submission
from reporting.services import review


@login_only
def home(request: HttpRequest) -> HttpResponse:
    """The landing page: one answer for each role the user holds."""
    return render(request, "dashboard/home.html", home_context(request.user, request.GET))


@require_POST
@feature_required("submission.review")
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    """One-click approval from the Standing Office's queue; back to the queue."""
    submission = get_object_or_404(Submission.objects.for_user(request.user, "review"), pk=pk)
    try:
        review.approve_submission(acting_user=request.user, submission=submission)
        messages.success(request, "Đã duyệt báo cáo. Số liệu đã được khóa.")
    except review.ReviewError as exc:
        messages.error(request, str(exc))
    return redirect(reverse("dashboard:home") + "#hang-doi")


@feature_required("map.read")
def province_map(request: HttpRequest, code: str) -> HttpResponse:
    """A province's communes coloured by class, by report state or by an indicator."""
    province = get_object_or_404(Province.objects.for_user(request.user, "map.read"), code=code)
    allowed = {"class"}
    if reach(request.user, "completeness.read").covers_province(code):
        allowed.add("completeness")
    if reach(request.user, "indicator.read").covers_province(code):
        allowed.add("indicator")
    mode = request.GET.get("mode", "class")
    mode = mode if mode in allowed else "class"
    the_map = maps.commune_map(
        province, mode, indicator=request.GET.get("indicator", ""), reveal=can(request.user, "registry.read_named")
    )
    the_map.modes = {k: v for k, v in the_map.modes.items() if k in allowed}
    return render(request, "dashboard/map.html", {"map": the_map, "province": province})


@feature_required("completeness.nation")
def nation_map(request: HttpRequest) -> HttpResponse:
    """Provinces as proportional symbols, for the national monitor (aggregates, no names)."""
    if not reach(request.user, "map.read").nation:
        raise Http404
    rows = nation.nation(request.user).rows
    the_map = maps.nation_map(
        rows, request.GET.get("mode", "completeness"), url=lambda code: reverse("dashboard:province_map", args=[code])
    )
    return render(request, "dashboard/map.html", {"map": the_map, "province": None})
