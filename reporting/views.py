"""Entry pages: what a unit must report, opening a period, the entry grid and its history; the catalogue."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from access.decorators import feature_required
from access.policy import can, reach
from core.http import paginate
from core.vn import format_datetime
from reporting import periods as P
from reporting.forms import ReviewCommentForm, UnlockForm
from reporting.models import Form, Schedule, Submission, ValueChange
from reporting.services import entry, review
from reporting.services import prefill as autofill
from reporting.services import schedules as S


@feature_required("submission.enter")
def due_list(request: HttpRequest) -> HttpResponse:
    items = entry.due_items(request.user)
    active = [i for i in items if i.state not in ("submitted", "approved", "closed")]
    return render(
        request,
        "reporting/due_list.html",
        {
            "active": active,
            "closed": [i for i in items if i.state == "closed"],
            "done": [i for i in items if i.state in ("submitted", "approved")],
        },
    )


def _unit_of(request: HttpRequest, key: str) -> S.Unit:
    """A unit the person reports for ("agency:<id>" / "commune:<code>"); 404 otherwise."""
    r = reach(request.user, "submission.enter")
    kind, _, pk = (key or "").partition(":")
    if kind == "agency" and pk.isdigit() and int(pk) in r.agencies:
        return S.Unit("agency", int(pk), "")
    if kind == "commune" and pk in r.communes:
        return S.Unit("commune", pk, "")
    raise Http404


@require_POST
@feature_required("submission.enter")
def open_period(request: HttpRequest) -> HttpResponse:
    schedule = get_object_or_404(
        Schedule.objects.for_user(request.user, "enter").filter(is_active=True),
        pk=request.POST.get("schedule") if str(request.POST.get("schedule", "")).isdigit() else None,
    )
    unit = _unit_of(request, request.POST.get("unit", ""))
    try:
        submission = entry.open_submission(
            acting_user=request.user, schedule=schedule, period_id=request.POST.get("period", ""), unit=unit
        )
    except (PermissionError, P.PeriodError) as exc:
        raise Http404 from exc
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("reporting:due")
    return redirect("reporting:submission", pk=submission.pk)


def _submission_qs(user: Any, action: str) -> Any:
    return Submission.objects.for_user(user, action).select_related(
        "schedule__form", "schedule__province", "agency", "commune", "submitted_by", "reviewed_by", "form_version"
    )


@require_http_methods(["GET", "POST"])
@feature_required("submission.read")
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST":
        return _save(request, _editable(request, pk))
    submission = get_object_or_404(_submission_qs(request.user, "view"), pk=pk)
    spec = entry.spec_for(submission)
    # The case registry's cells, refreshed while the report is not approved (frozen once it is).
    prefill = autofill.provider().sync(submission, spec)
    saved, comments = entry.saved_values(submission)
    past = entry.history(submission)
    kept = entry.kept_input(spec, submission.pending_raw)
    fixed = prefill.values if prefill else {}
    # A report never saved shows no "missing" marks on every cell; once saved, all its problems.
    typed = saved.keys() - fixed.keys()
    checks = (
        entry.check(spec, saved, comments, past, fixed=fixed) if typed or kept.raw or submission.version > 1 else None
    )
    return _render_grid(
        request,
        submission,
        spec,
        saved=saved,
        raw=kept.raw,
        errors=kept.errors,
        comments=comments,
        checks=checks,
        past=past,
        prefill=prefill,
    )


def _editable(request: HttpRequest, pk: int) -> Submission:
    if not can(request.user, "submission.enter"):
        raise PermissionDenied("Chỉ cán bộ của đơn vị báo cáo mới nhập được số liệu.")
    return get_object_or_404(_submission_qs(request.user, "edit"), pk=pk)


def _version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


def _saved_message(result: entry.EntryResult) -> str:
    text = f"Đã lưu nháp ({result.changed} ô thay đổi)."
    if result.invalid:
        text += (
            f" {len(result.invalid)} ô nhập chưa đúng được giữ nguyên như đã gõ và đánh dấu đỏ; "
            "sửa các ô đó trước khi nộp (xem danh sách «Còn … vấn đề»)."
        )
    return text


def _save(request: HttpRequest, submission: Submission) -> HttpResponse:
    submit = request.POST.get("action") == "submit"
    result = entry.save_submission(
        acting_user=request.user, submission=submission, version=_version(request), data=request.POST, submit=submit
    )
    spec = entry.spec_for(submission)
    if result.refused:
        # Nothing was written; what the person typed stays on the page so that it is not lost.
        submission.refresh_from_db()
        messages.error(request, f"Chưa lưu: {result.refused}")
        saved, comments = entry.saved_values(submission)
        raw = result.parsed.raw if result.parsed else {}
        return _render_grid(
            request,
            submission,
            spec,
            saved=saved,
            raw=raw,
            comments=comments,
            checks=None,
            past=entry.history(submission),
            prefill=autofill.provider().prefill_for(submission, spec),
        )
    if result.conflict:
        parsed = result.parsed
        assert parsed is not None
        submission.refresh_from_db()
        messages.error(
            request,
            "Báo cáo vừa được người khác lưu trong lúc bạn nhập. Số liệu bạn gõ vẫn còn trên màn hình; "
            "ô nào khác với bản đã lưu có ghi «đã lưu: …». Kiểm tra rồi bấm Lưu lại để ghi đè.",
        )
        saved = result.saved or {}
        return _render_grid(
            request,
            submission,
            spec,
            saved=saved,
            raw=parsed.raw,
            errors=parsed.errors,
            comments={**(result.comments or {}), **parsed.comments},
            checks=None,
            past=entry.history(submission),
            conflict=saved,
            prefill=autofill.provider().prefill_for(submission, spec),
        )
    # Saved (the refused cells kept as typed): the page is read again, the same for a reload.
    if result.already:
        submission.refresh_from_db(fields=["submitted_at", "status"])
        messages.info(
            request,
            f"Báo cáo đã nộp lúc {format_datetime(submission.submitted_at, sentence=True)}; "
            "lần bấm sau không cần nộp lại.",
        )
    elif result.submitted:
        messages.success(request, "Đã nộp báo cáo. Cơ quan Thường trực sẽ xem xét và duyệt.")
    elif submit:
        count = (result.checks.count() if result.checks else 0) + len(result.invalid)
        messages.error(
            request,
            f"Đã lưu nháp nhưng chưa nộp được: còn {count} vấn đề cần sửa hoặc giải trình "
            "(xem danh sách «Còn … vấn đề» và ghi chú bên cạnh ô).",
        )
    else:
        messages.success(request, _saved_message(result))
    return redirect("reporting:submission", pk=submission.pk)


@require_POST
@feature_required("submission.enter")
def autosave(request: HttpRequest, pk: int) -> HttpResponse:
    """The grid's draft saved in the background (JSON): never submits; on a conflict or a closed
    form nothing is written and the page keeps what was typed."""
    submission = _editable(request, pk)
    result = entry.save_submission(
        acting_user=request.user, submission=submission, version=_version(request), data=request.POST
    )
    if result.refused or result.conflict:
        reason = result.refused or (
            "báo cáo vừa được lưu ở nơi khác (một thẻ hoặc người khác); số liệu bạn gõ vẫn còn trên màn hình. "
            "Bấm «Lưu nháp» để xem và ghi lại."
        )
        return JsonResponse({"saved": False, "message": f"Chưa lưu tự động: {reason}"}, status=409)
    submission.refresh_from_db()
    spec = entry.spec_for(submission)
    grid = entry.build_grid(
        spec,
        submission,
        shown=result.saved or {},
        raw=result.kept.raw if result.kept else {},
        errors=result.invalid,
        comments=result.comments or {},
        checks=result.checks,
        past=entry.history(submission),
        prefill=result.prefill,
    )
    problems = render_to_string("reporting/partials/entry_problems.html", {"grid": grid}, request=request)
    return JsonResponse(
        {
            "saved": True,
            "version": submission.version,
            "saved_at": timezone.localtime().strftime("%H:%M"),
            "changed": result.changed,
            "invalid": {entry.field_name(*cell): message for cell, message in result.invalid.items()},
            "problems": grid.problems,
            "problems_html": problems,
        }
    )


def _render_grid(
    request: HttpRequest,
    submission: Submission,
    spec: entry.FormSpec,
    *,
    saved: dict,
    comments: dict,
    checks: entry.Checks | None,
    past: dict,
    raw: dict | None = None,
    errors: dict | None = None,
    conflict: dict | None = None,
    prefill: autofill.Prefill | None = None,
) -> HttpResponse:
    user = request.user
    editable = False
    closed_reason = ""
    own_unit = Submission.objects.for_user(user, "edit").filter(pk=submission.pk).exists()
    if own_unit:
        editable, closed_reason = entry.can_edit(submission, S.today())
    reviewer = Submission.objects.for_user(user, "review").filter(pk=submission.pk).exists()
    masked: dict = {}
    if not own_unit and not reviewer:
        # A leader reads a unit's report: small counts of people as on the consolidated pages
        # (issue 13 §3); no previous-period hints or checks on them.
        from reporting.services import suppression

        masked = suppression.unit_masks(submission)
        if masked:
            raw = {**masked, **(raw or {})}
            people = {code for code, _ in masked}
            past = {cell: values for cell, values in past.items() if cell[0] not in people}
            checks = None
    grid = entry.build_grid(
        spec,
        submission,
        shown=saved,
        raw=raw,
        errors=errors,
        comments=comments,
        checks=checks,
        past=past,
        conflict=conflict,
        prefill=prefill,
    )
    period = P.parse(submission.period)
    # An approved report the registry no longer agrees with (a decision entered later with an
    # earlier date): which figures, approved value and registry value now; counts, never names.
    differs = (
        autofill.provider().differences(submission, prefill)
        if prefill is not None and submission.status == Submission.Status.APPROVED
        else []
    )
    return render(
        request,
        "reporting/entry.html",
        {
            "submission": submission,
            "grid": grid,
            "period": period,
            "editable": editable,
            "own_unit": own_unit,
            "closed_reason": closed_reason if not editable and submission.is_editable_status else "",
            "due": S.due_date(submission.schedule, period),
            "closes": S.close_date(submission.schedule, period),
            "reviewer": reviewer,
            # What the reviewer should look at before approving ([]: a clean report).
            "review_notes": review.notes_of(spec, checks)
            if reviewer and checks is not None and submission.status == Submission.Status.SUBMITTED
            else None,
            "registry_differs": differs,
            "registry_differs_title": "Sổ quản lý khác với báo cáo đã duyệt",
            "review_form": ReviewCommentForm(),
            "unlock_form": UnlockForm(),
            "recent_changes": submission.changes.select_related("element__category_combo", "changed_by")[:5]
            if reviewer or editable
            else [],
        },
    )


@feature_required("submission.read")
def submission_history(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_object_or_404(_submission_qs(request.user, "view"), pk=pk)
    changes = ValueChange.objects.filter(submission=submission).select_related("element__category_combo", "changed_by")
    page = paginate(request, changes, per_page=50)
    elements = {c.element_id: c.element for c in page.object_list}
    rows = [
        (
            c,
            _fmt(elements[c.element_id], c.old),
            _fmt(elements[c.element_id], c.new),
            elements[c.element_id].category_label(c.category),
        )
        for c in page.object_list
    ]
    return render(
        request,
        "reporting/history.html",
        {"submission": submission, "page": page, "rows": rows, "period": P.parse(submission.period)},
    )


def _fmt(element: Any, canonical: str) -> str:
    if not canonical:
        return "(trống)"
    if element.value_type in ("text", "date"):
        return entry.display_readonly(element, entry.Stored(text=canonical))
    from decimal import Decimal, InvalidOperation

    try:
        return entry.display_readonly(element, entry.Stored(value=Decimal(canonical)))
    except InvalidOperation:
        return canonical


@feature_required("catalogue.read")
def form_list(request: HttpRequest) -> HttpResponse:
    forms = Form.objects.for_user(request.user).filter(is_active=True).order_by("province_id", "code")
    return render(request, "reporting/form_list.html", {"forms": forms})


@feature_required("catalogue.read")
def form_detail(request: HttpRequest, code: str) -> HttpResponse:
    form = get_object_or_404(Form.objects.for_user(request.user).filter(is_active=True), code=code)
    spec = entry.form_spec(form)
    return render(request, "reporting/form_detail.html", {"form": form, "spec": spec, "rules": spec.rules})
