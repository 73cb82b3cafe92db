"""The plan import flow for the Standing Office: upload → review (htmx row edits) → confirm.

Every edit is one POST endpoint calling one pure operation of `plans.services.imports` through
`edit_draft` (optimistic locking). With htmx it answers the re-rendered section plus out-of-band
updates (draft version, problem summary); without JavaScript it redirects back to the review
page, or re-renders it with the Vietnamese errors beside the fields.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.files.base import ContentFile
from django.db import DatabaseError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import retarget

from access.decorators import feature_required
from core.http import paginate
from geo.models import Province
from jobs import services as jobs
from jobs.models import Job
from plans.forms_import import PlanUploadForm, review_context
from plans.models import PlanImport
from plans.services import drafts, imports

office_only = feature_required("plan.manage")
SECTIONS = {"meta": "meta.html", "targets": "targets.html", "duties": "duties.html", "blocks": "blocks.html"}


def _draft(request: HttpRequest, pk: int) -> PlanImport:
    return get_object_or_404(
        PlanImport.objects.for_user(request.user).select_related("province", "uploaded_by", "replaces"), pk=pk
    )


def _office_provinces(request: HttpRequest) -> Any:
    return Province.objects.for_user(request.user, "plan.manage").order_by("code")


@office_only
def upload(request: HttpRequest) -> HttpResponse:
    """The file is checked here (type, size, content); reading the plan runs as a background job
    (`plans.import`, one per submission) whose page shows progress and leads to the review."""
    form = PlanUploadForm(request.POST or None, request.FILES or None, provinces=_office_provinces(request))
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        job = jobs.start(
            acting_user=request.user,
            kind="plans.import",
            params={"province": form.cleaned_data["province"].pk, "name": upload_file.name},
            key=jobs.request_key(request),
            upload=(upload_file.name, ContentFile(form.content)),
        )
        # Without a worker (development, tests) the job has already run: go straight on.
        if job.status == Job.Status.DONE and job.result_url:
            messages.success(request, job.message)
            return redirect(job.result_url)
        if job.status != Job.Status.FAILED:
            return redirect("jobs:detail", pk=job.pk)
        form.add_error("file", job.message)
    return render(request, "plans/import/upload.html", {"form": form, "job_key": jobs.new_key()})


@office_only
def draft_list(request: HttpRequest) -> HttpResponse:
    drafts = PlanImport.objects.for_user(request.user).select_related("province", "uploaded_by", "plan")
    show = request.GET.get("trang-thai", "")
    if show != "tat-ca":
        drafts = drafts.filter(status=PlanImport.Status.DRAFT)
    return render(request, "plans/import/list.html", {"page": paginate(request, drafts), "show": show})


def _context(request: HttpRequest, draft: PlanImport, **kwargs: Any) -> dict[str, Any]:
    catalogue = drafts.Catalogue.for_province(draft.province_id)
    return review_context(draft, catalogue, imports.project_codes(), request.user, **kwargs)


@office_only
def review(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    if draft.status == PlanImport.Status.CONFIRMED and draft.plan_id:
        messages.info(request, "Bản nhập này đã được xác nhận thành kế hoạch.")
        return redirect(_plan_url(draft.plan_id))
    return render(request, "plans/import/review.html", _context(request, draft, page=_page(request)))


def _page(request: HttpRequest) -> int:
    raw = request.GET.get("trang-khoi", "1")
    return int(raw) if raw.isdigit() else 1


@office_only
@require_GET
def block_body(request: HttpRequest, pk: int, b: int) -> HttpResponse:
    """One block of a large plan, opened on the review page (loaded on demand)."""
    draft = _draft(request, pk)
    blocks = draft.data.get("assignments") or []
    if not 0 <= b < len(blocks):
        raise Http404("Không có khối này.")
    context = _context(request, draft, expand=(b,))
    context["block"] = context["blocks"][b]
    return render(request, "plans/import/partials/block.html", context)


@office_only
def source_file(request: HttpRequest, pk: int) -> FileResponse:
    draft = _draft(request, pk)
    return FileResponse(draft.source_file.open("rb"), as_attachment=True, filename=draft.source_name)


def _respond(
    request: HttpRequest,
    draft: PlanImport,
    section: str,
    focus: tuple[Any, ...],
    run: Callable[[PlanImport], PlanImport],
) -> HttpResponse:
    """Run an edit and answer: the re-rendered section (htmx) or a redirect / the full page."""
    errors: dict[str, str] = {}
    anchor = f"block-{focus[1]}" if section == "block" else f"{section}-card"
    review_url = reverse("plans:import_review", args=[draft.pk]) + f"#{anchor}"
    try:
        draft = run(draft)
    except drafts.EditError as exc:
        errors = exc.errors
    except (drafts.StaleDraft, drafts.DraftClosed) as exc:
        return _alert(request, exc.message, review_url, reload=True)
    if "general" in errors:  # a row that is gone, or an operation that does not apply: nothing to show in place
        return _alert(request, errors["general"], review_url)
    if not request.htmx and not errors:
        messages.success(request, "Đã lưu thay đổi.")
        return redirect(review_url)
    draft.refresh_from_db()
    context = _context(request, draft, focus=focus, errors=errors, posted=request.POST, saved=True)
    if not request.htmx:
        return render(request, "plans/import/review.html", context)
    if section == "block":
        context["block"] = context["blocks"][focus[1]]
        html = render_to_string("plans/import/partials/block.html", context, request)
    else:
        html = render_to_string(f"plans/import/partials/{SECTIONS[section]}", context, request)
    return HttpResponse(html + render_to_string("plans/import/partials/oob.html", context, request))


def _alert(request: HttpRequest, message: str, review_url: str, *, reload: bool = False) -> HttpResponse:
    """A message about the whole draft: a toast (htmx) or a flash message on the review page."""
    if request.htmx:
        html = render(request, "plans/import/partials/alert.html", {"message": message, "reload": reload})
        return retarget(html, "#review-alerts")
    messages.error(request, message)
    return redirect(review_url)


def _edit(
    action: str,
    section: str,
    focus: Callable[..., tuple[Any, ...]],
    operation: Callable[..., Callable[[dict[str, Any]], None]],
) -> Callable[..., HttpResponse]:
    """A POST view running one pure edit operation on the draft (see plans.services.imports)."""

    @office_only
    @require_POST
    def view(request: HttpRequest, pk: int, **kwargs: int) -> HttpResponse:
        draft = _draft(request, pk)
        catalogue = drafts.Catalogue.for_province(draft.province_id)
        op = operation(request.POST, catalogue, **kwargs)
        return _respond(
            request,
            draft,
            section,
            focus(**kwargs),
            lambda d: imports.edit_draft(
                acting_user=request.user, draft=d, version=request.POST.get("version"), operation=op, action=action
            ),
        )

    view.__name__ = f"import_{action}"
    return view


def _codes() -> list[str]:
    return imports.project_codes()


edit_meta = _edit("meta", "meta", lambda: ("meta",), lambda p, c: lambda d: drafts.set_meta(d, p))
acknowledge_duplicate = _edit("duplicate_ack", "meta", lambda: ("meta",), lambda p, c: drafts.acknowledge_duplicate)
add_target = _edit("target_add", "targets", lambda: ("add_target",), lambda p, c: lambda d: drafts.add_target(d, p))
save_target = _edit(
    "target_save", "targets", lambda i: ("target", i), lambda p, c, i: lambda d: drafts.set_target(d, i, p)
)
delete_target = _edit(
    "target_delete", "targets", lambda i: ("deleted", i), lambda p, c, i: lambda d: drafts.delete_target(d, i)
)
add_duty = _edit("duty_add", "duties", lambda: ("add_duty",), lambda p, c: lambda d: drafts.add_duty(d, p, c))
save_duty = _edit("duty_save", "duties", lambda i: ("duty", i), lambda p, c, i: lambda d: drafts.set_duty(d, i, p, c))
delete_duty = _edit(
    "duty_delete", "duties", lambda i: ("deleted", i), lambda p, c, i: lambda d: drafts.delete_duty(d, i)
)
add_block = _edit("block_add", "blocks", lambda: ("add_block",), lambda p, c: lambda d: drafts.add_block(d, p, c))
save_block = _edit(
    "block_save", "block", lambda b: ("block", b), lambda p, c, b: lambda d: drafts.set_block(d, b, p, c)
)
add_task = _edit(
    "task_add", "block", lambda b: ("add_task", b), lambda p, c, b: lambda d: drafts.add_task(d, b, p, c, _codes())
)
save_task = _edit(
    "task_save",
    "block",
    lambda b, t: ("task", b, t),
    lambda p, c, b, t: lambda d: drafts.set_task(d, b, t, p, c, _codes()),
)
delete_task = _edit(
    "task_delete", "block", lambda b, t: ("deleted", b, t), lambda p, c, b, t: lambda d: drafts.delete_task(d, b, t)
)
split_task = _edit(
    "task_split", "block", lambda b, t: ("task", b, t), lambda p, c, b, t: lambda d: drafts.split_task(d, b, t)
)
bulk_set = _edit(
    "bulk_set", "blocks", lambda: ("bulk",), lambda p, c: lambda d: drafts.bulk_set(d, p, c, _codes()) and None
)
replace_legacy = _edit(
    "replace_legacy", "blocks", lambda: ("legacy",), lambda p, c: lambda d: drafts.replace_legacy(d, c) and None
)
merge_task = _edit(
    "task_merge", "block", lambda b, t: ("task", b, t), lambda p, c, b, t: lambda d: drafts.merge_task(d, b, t)
)


@office_only
@require_POST
def edit_replaces(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    return _respond(
        request,
        draft,
        "meta",
        ("replaces",),
        lambda d: imports.set_replaces(
            acting_user=request.user, draft=d, version=request.POST.get("version"), plan_id=request.POST.get("replaces")
        ),
    )


def _plan_url(plan_id: int) -> str:
    try:
        return reverse("plans:plan_detail", args=[plan_id])
    except NoReverseMatch:  # the tracking pages are not there yet
        return reverse("plans:import_list")


@office_only
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    try:
        plan = imports.confirm_import(acting_user=request.user, draft=draft, version=request.POST.get("version"))
    except drafts.ConfirmError as exc:
        messages.error(
            request,
            f"Chưa xác nhận được: còn {len(exc.problems)} vấn đề cần xử lý (xem mục «Cần xử lý»). "
            f"Đầu tiên: {exc.problems[0]}",
        )
    except (drafts.StaleDraft, drafts.DraftClosed) as exc:
        messages.error(request, exc.message)
    except (DatabaseError, OSError):
        messages.error(
            request,
            "Không tạo được kế hoạch do lỗi khi lưu dữ liệu. Chưa có gì được tạo; "
            "bản nhập vẫn giữ nguyên, hãy thử lại.",
        )
    else:
        messages.success(request, f"Đã tạo {plan} với {plan.tasks.count()} nhiệm vụ.")
        return redirect(_plan_url(plan.pk))
    return redirect("plans:import_review", pk=draft.pk)


@office_only
@require_POST
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    try:
        imports.discard_draft(acting_user=request.user, draft=draft)
    except drafts.DraftClosed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã hủy bản nhập «{draft.source_name}».")
    return redirect("plans:import_list")
