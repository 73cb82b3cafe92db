"""The Standing Office's side: the inbox, approve / return / unlock, completeness and timeliness."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from access.decorators import feature_required
from core.http import paginate, query_without_page
from reporting import periods as P
from reporting.forms import InboxFilterForm, ReviewCommentForm, UnlockForm
from reporting.models import Schedule, Submission
from reporting.services import completeness as C
from reporting.services import review
from reporting.services import schedules as S


@feature_required("completeness.read")
def inbox(request: HttpRequest) -> HttpResponse:
    params = request.GET.copy()
    if "status" not in params:
        params["status"] = Submission.Status.SUBMITTED
    form = InboxFilterForm(params)
    submissions = (
        Submission.objects.for_user(request.user)
        .exclude(status=Submission.Status.DRAFT)
        .select_related("schedule__form", "agency", "commune", "submitted_by")
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["form"]:
            submissions = submissions.filter(schedule__form=data["form"])
        if data["period"]:
            submissions = submissions.filter(period=data["period"])
        if data["status"]:
            submissions = submissions.filter(status=data["status"])
        if data["q"].strip():
            q = data["q"].strip()
            submissions = submissions.filter(
                Q(agency__name__icontains=q) | Q(commune__name__icontains=q) | Q(commune__code=q)
            )
    submissions = (
        submissions.order_by("submitted_at", "id")
        if params.get("status") == Submission.Status.SUBMITTED
        else submissions.order_by("-updated_at", "-id")
    )
    page = paginate(request, submissions)
    rows = [(s, P.parse(s.period)) for s in page.object_list]
    context = {"form": form, "page": page, "rows": rows, "qs": query_without_page(request)}
    template = "reporting/partials/inbox_table.html" if request.htmx else "reporting/inbox.html"
    return render(request, template, context)


def _reviewable(request: HttpRequest, pk: int) -> Submission:
    return get_object_or_404(
        Submission.objects.for_user(request.user, "review").select_related("schedule__form"), pk=pk
    )


def _decide(request: HttpRequest, pk: int, service: Any, success: str) -> HttpResponse:
    """Approve or return: the same form (an optional comment), one service call, back to the report."""
    submission = _reviewable(request, pk)
    form = ReviewCommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        service(acting_user=request.user, submission=submission, comment=comment)
        messages.success(request, success)
    except review.ReviewError as exc:
        messages.error(request, str(exc))
    return redirect("reporting:submission", pk=pk)


@require_POST
@feature_required("submission.review")
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, review.approve_submission, "Đã duyệt báo cáo. Số liệu đã được khóa.")


@require_POST
@feature_required("submission.review")
def return_submission(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, review.return_submission, "Đã trả lại báo cáo; cán bộ của đơn vị đã được thông báo.")


@require_POST
@feature_required("submission.review")
def unlock(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _reviewable(request, pk)
    form = UnlockForm(request.POST)
    try:
        review.unlock_submission(
            acting_user=request.user,
            submission=submission,
            reason=form.cleaned_data["reason"] if form.is_valid() else "",
        )
        messages.success(request, "Đã mở khóa báo cáo để đơn vị điều chỉnh.")
    except review.ReviewError as exc:
        messages.error(request, str(exc))
    return redirect("reporting:submission", pk=pk)


@feature_required("completeness.read")
def completeness(request: HttpRequest) -> HttpResponse:
    schedules = (
        Schedule.objects.for_user(request.user).select_related("form", "province").order_by("province_id", "name")
    )
    raw = request.GET.get("schedule", "")
    schedule = get_object_or_404(schedules, pk=raw) if raw.isdigit() else schedules.filter(is_active=True).first()
    if raw and not raw.isdigit():
        return redirect("reporting:completeness")
    matrix = None
    if schedule is not None:
        try:
            count = max(1, min(20, int(request.GET.get("n", 8))))
        except ValueError:
            count = 8
        periods = C.matrix_periods(schedule, S.today(), count=count)
        matrix = C.completeness_matrix(schedule, periods)
    return render(
        request,
        "reporting/completeness.html",
        {
            "schedules": schedules,
            "schedule": schedule,
            "matrix": matrix,
            "legend": C.LEGEND,
            "can_manage": schedule is not None
            and Schedule.objects.for_user(request.user, "manage").filter(pk=schedule.pk).exists(),
        },
    )
