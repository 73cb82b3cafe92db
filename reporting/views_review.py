"""The Standing Office's side: the inbox, approve / return / unlock, completeness and timeliness."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from access.decorators import feature_required
from core.http import paginate, query_without_page
from reporting import periods as P
from reporting.forms import InboxFilterForm, ReviewCommentForm, UnlockForm
from reporting.models import Schedule, Submission
from reporting.services import completeness as C
from reporting.services import prefill as autofill
from reporting.services import reminders as R
from reporting.services import review
from reporting.services import schedules as S


@feature_required("completeness.read")
def inbox(request: HttpRequest) -> HttpResponse:
    params = request.GET.copy()
    if "status" not in params:
        params["status"] = Submission.Status.SUBMITTED
    form = InboxFilterForm(params, user=request.user)
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
    # Approved reports the case registry no longer agrees with (marked when a decision is saved).
    differs = autofill.provider().flagged(s.pk for s in page.object_list if s.status == Submission.Status.APPROVED)
    rows = [(s, P.parse(s.period)) for s in page.object_list]
    context = {"form": form, "page": page, "rows": rows, "qs": query_without_page(request), "registry_differs": differs}
    template = "reporting/partials/inbox_table.html" if request.htmx else "reporting/inbox.html"
    return render(request, template, context)


def _reviewable(request: HttpRequest, pk: int) -> Submission:
    return get_object_or_404(
        Submission.objects.for_user(request.user, "review").select_related("schedule__form"), pk=pk
    )


def _decide(request: HttpRequest, pk: int, service: Any, success: str) -> HttpResponse:
    """Approve or return: the same form (an optional comment), one service call, back to the report
    (or to the status grid the approval was made from)."""
    submission = _reviewable(request, pk)
    form = ReviewCommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        service(acting_user=request.user, submission=submission, comment=comment)
        messages.success(request, success)
    except review.ReviewError as exc:
        messages.error(request, str(exc))
    if request.POST.get("back"):
        return _back(request, submission.schedule, submission.period)
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


def _matrix_request(request: HttpRequest, schedules: Any) -> tuple[Schedule | None, int]:
    raw = request.GET.get("schedule", "")
    schedule = get_object_or_404(schedules, pk=raw) if raw.isdigit() else schedules.filter(is_active=True).first()
    try:
        count = max(1, min(20, int(request.GET.get("n", 8))))
    except ValueError:
        count = 8
    return schedule, count


@feature_required("completeness.read")
def completeness(request: HttpRequest) -> HttpResponse:
    schedules = (
        Schedule.objects.for_user(request.user).select_related("form", "province").order_by("province_id", "name")
    )
    raw = request.GET.get("schedule", "")
    if raw and not raw.isdigit():
        return redirect("reporting:completeness")
    schedule, count = _matrix_request(request, schedules)
    context: dict[str, Any] = {"schedules": schedules, "schedule": schedule, "matrix": None, "legend": C.LEGEND}
    if schedule is not None:
        today = S.today()
        matrix = C.completeness_matrix(schedule, C.matrix_periods(schedule, today, count=count))
        ids = [p.id for p in matrix.periods]
        focus = request.GET.get("period", "")
        focus = focus if focus in ids else (ids[-1] if ids else "")
        state = request.GET.get("state", "")
        state = state if state in C.CELL_STATES else ""
        sort = request.GET.get("sort", "")
        sort = sort if sort in C.SORTS else "name"
        can_review = Schedule.objects.for_user(request.user, "manage").filter(pk=schedule.pk).exists()
        rows, counts, focus_period, notes = [], {}, None, {}
        if focus:
            focus_period = matrix.periods[ids.index(focus)]
            if can_review:
                submitted = list(
                    Submission.objects.for_user(request.user, "review").filter(
                        schedule=schedule, period=focus, status=Submission.Status.SUBMITTED
                    )
                )
                notes = review.review_notes(schedule, focus, submitted)
            reminded = R.reminded_today(schedule, focus, today) if can_review else set()
            rows = C.status_rows(matrix, focus, state=state, sort=sort, reminded=reminded, notes=notes)
            counts = C.state_counts(matrix, focus)
        context |= {
            "matrix": matrix,
            "rows": rows,
            "focus": focus_period,
            "focus_due": matrix.dues.get(focus),
            "focus_index": ids.index(focus) + 1 if focus else 0,
            "states": [(k, label, sym, counts.get(k, 0)) for k, label, sym in C.LEGEND],
            "state": state,
            "sort": sort,
            "sorts": C.SORTS,
            "can_manage": can_review,
            "can_review": can_review,
            "late_count": sum(counts.get(k, 0) for k in C.LATE) if focus and today > matrix.dues[focus] else 0,
            "clean_count": sum(1 for n in notes.values() if not n),
            "back": request.get_full_path(),
        }
    return render(request, "reporting/completeness.html", context)


def _back(request: HttpRequest, schedule: Schedule, period_id: str) -> HttpResponse:
    """Back to the status grid the act came from (only a path of this page), else its default view."""
    back = request.POST.get("back", "")
    base = reverse("reporting:completeness")
    if back.startswith(base + "?") and url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        return redirect(back)
    return redirect(f"{base}?schedule={schedule.pk}&period={period_id}")


def _schedule_and_period(request: HttpRequest) -> tuple[Schedule, str]:
    raw = request.POST.get("schedule", "")
    schedule = get_object_or_404(
        Schedule.objects.for_user(request.user, "manage").select_related("form"), pk=raw if raw.isdigit() else None
    )
    period = request.POST.get("period", "")
    if period not in {p.id for p in S.schedule_periods(schedule, until=S.today())}:
        raise Http404
    return schedule, period


@require_POST
@feature_required("submission.review")
def remind(request: HttpRequest) -> HttpResponse:
    """Remind one unit ("unit" = its key) or every late unit ("unit" = "late") of one period."""
    schedule, period = _schedule_and_period(request)
    unit = request.POST.get("unit", "")
    report = R.remind_now(
        acting_user=request.user,
        schedule=schedule,
        period_id=period,
        unit_keys=None if unit == "late" else [unit],
    )
    if report.reminded:
        who = ", ".join(report.reminded[:5]) + (
            f" và {len(report.reminded) - 5} đơn vị khác" if len(report.reminded) > 5 else ""
        )
        messages.success(request, f"Đã nhắc {len(report.reminded)} đơn vị: {who}.")
    if report.skipped:
        messages.info(request, f"{len(report.skipped)} đơn vị đã được nhắc hôm nay; không nhắc lại trong ngày.")
    if not report.reminded and not report.skipped:
        messages.info(request, "Không có đơn vị nào cần nhắc (đã nộp hoặc chưa quá hạn).")
    return _back(request, schedule, period)


@require_POST
@feature_required("submission.review")
def approve_batch(request: HttpRequest) -> HttpResponse:
    """Approve every clean submitted report of one period (no rule warnings, no outliers)."""
    schedule, period = _schedule_and_period(request)
    result = review.approve_clean(acting_user=request.user, schedule=schedule, period_id=period)
    if result.approved:
        messages.success(
            request, f"Đã duyệt {len(result.approved)} báo cáo không có cảnh báo, không có số liệu khác thường."
        )
    else:
        messages.info(request, "Không có báo cáo nào đủ điều kiện duyệt loạt.")
    if result.held:
        messages.warning(
            request,
            f"{result.held} báo cáo có cảnh báo hoặc số liệu khác thường: hãy mở từng báo cáo để xem rồi duyệt.",
        )
    return _back(request, schedule, period)
