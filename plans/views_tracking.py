"""Pages of task tracking: plans, a task and its forms, "Nhiệm vụ của tôi", the office's reports.

Feature by `feature_required` (403), scope by `get_object_or_404(Model.objects.for_user(...))` (404);
every write goes through `plans.services.tracking`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from access.decorators import feature_required
from core.http import paginate, query_without_page
from geo.models import Province
from jobs import services as jobs
from plans import exports
from plans.forms_tracking import (
    ContributionForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    GuidanceForm,
    ProgressForm,
    StatusForm,
    TaskFilterForm,
    office_provinces,
)
from plans.models import (
    OVERDUE_LABEL,
    DeadlineExtension,
    Plan,
    Task,
    TaskAttachment,
    TaskStatus,
    TaskUnit,
    TaskUpdate,
)
from plans.services import tracking, units
from plans.services.tracking import Bucket, Counts, StaleTaskError

TASK_PAGE = 30
SHORT = {
    Bucket.DONE_ON_TIME: "Đúng hạn",
    Bucket.DONE_LATE: "Xong quá hạn",
    Bucket.ONGOING: "Trong hạn",
    Bucket.NO_DEADLINE: "Không thời hạn",
    Bucket.OVERDUE: "Quá hạn",
    Bucket.WAITING: "Chờ hướng dẫn",
}


def list_columns(qs: QuerySet[Task]) -> QuerySet[Task]:
    """What a task row shows, without a query per row."""
    return (
        qs.select_related("plan", "lead_agency")
        .defer("plan__extraction", "plan__basis")
        .prefetch_related("cooperating", "projects")
    )


BADGES = {
    TaskStatus.DONE: "text-bg-success",
    TaskStatus.IN_PROGRESS: "text-bg-primary",
    TaskStatus.WAITING_GUIDANCE: "text-bg-warning",
    TaskStatus.PAUSED: "text-bg-secondary",
    TaskStatus.NOT_STARTED: "text-bg-light border",
}


def decorate(tasks: Any, on: Any) -> list[Task]:
    """What a task row shows beside the fields, computed once per row instead of in the template:
    badge colour, days left or late, and the deadline note ("quá 3 ngày", "còn 2 ngày")."""
    out = list(tasks)
    for t in out:
        t.days_left = (t.deadline - on).days if t.deadline else None
        t.days_late = -t.days_left if t.days_left is not None and t.days_left < 0 else 0
        t.badge = "text-bg-danger" if t.status_label == OVERDUE_LABEL else BADGES.get(t.status, "text-bg-light border")
        t.deadline_none = t.get_recurrence_display() if t.recurrence else "Không thời hạn"
        t.deadline_note, t.deadline_css = "", ""
        if t.days_left is not None and t.status != TaskStatus.DONE:
            if t.days_late:
                t.deadline_note, t.deadline_css = f"quá {t.days_late} ngày", "text-danger fw-semibold"
            elif t.days_left == 0:
                t.deadline_note, t.deadline_css = "đến hạn hôm nay", "text-warning-emphasis fw-semibold"
            else:
                t.deadline_note = f"còn {t.days_left} ngày"
                t.deadline_css = "text-warning-emphasis" if t.days_left <= 7 else "text-muted"
    return out


def _paged(request: HttpRequest, tasks: QuerySet[Task], per_page: int = TASK_PAGE) -> Any:
    page = paginate(request, tasks, per_page)
    page.object_list = decorate(page.object_list, tracking.today())
    return page


def _report_province(request: HttpRequest) -> Province | None:
    provinces = office_provinces(request.user)
    code = request.GET.get("province")
    if code:
        return get_object_or_404(provinces, code=code)
    with_plans = provinces.filter(code__in=Plan.objects.filter(status=Plan.Status.ACTIVE).values("province_id"))
    return with_plans.first() or provinces.first()


def _render_list(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    if request.htmx and not request.htmx.boosted:
        return render(request, "plans/tracking/partials/task_table.html", context)
    return render(request, template, context)


# ---------------------------------------------------------------------------------------------
# Plans.


@feature_required("plan.read")
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = tracking.plans_with_counts(
        Plan.objects.for_user(request.user).select_related("province"), Task.objects.for_user(request.user)
    )
    show = request.GET.get("show", "")
    if show != "all":
        plans = plans.filter(status=Plan.Status.ACTIVE)
    page = paginate(request, plans)
    for p in page.object_list:
        p.counts = tracking.plan_counts(p)
    return render(
        request,
        "plans/tracking/plan_list.html",
        {
            "page": page,
            "qs": query_without_page(request),
            "show": show,
            "is_reporter": office_provinces(request.user).exists(),
        },
    )


@feature_required("plan.read")
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.for_user(request.user).select_related("province", "replaced_by"), pk=pk)
    tasks = Task.objects.for_user(request.user).filter(plan=plan)
    form = TaskFilterForm(request.GET or None, user=request.user, layout="plan", province=plan.province)
    page = _paged(request, list_columns(form.filter(tasks)), per_page=50)
    context = {
        "plan": plan,
        "form": form,
        "page": page,
        "qs": query_without_page(request),
        "show_plan": False,
        "list_url": reverse("plans:plan_detail", args=[plan.pk]),
    }
    if request.htmx:
        return render(request, "plans/tracking/partials/task_table.html", context)
    statuses = dict(TaskStatus.choices)
    context.update(
        {
            "counts": tracking.count_queryset(tasks),
            "by_status": [
                (statuses[r["status"]], r["n"]) for r in tasks.order_by().values("status").annotate(n=Count("pk"))
            ],
            "targets": plan.targets.all(),
            "duties": [(d, tracking.due_label(d.due)) for d in plan.reporting_duties.select_related("to_agency")],
            "is_reporter": _reads_reports(request.user, plan),
        }
    )
    return render(request, "plans/tracking/plan_detail.html", context)


def _reads_reports(user: Any, plan: Plan) -> bool:
    return office_provinces(user).filter(code=plan.province_id).exists()


# ---------------------------------------------------------------------------------------------
# A task, its history and its forms.


def _task_or_404(request: HttpRequest, pk: int) -> Task:
    qs = (
        Task.objects.for_user(request.user)
        .select_related("plan", "lead_agency", "province")
        .prefetch_related("cooperating", "projects")
    )
    return get_object_or_404(qs, pk=pk)


def _detail(request: HttpRequest, task: Task, **forms: Any) -> HttpResponse:
    user, on = request.user, tracking.today()
    rights = {a: tracking.can(user, task, a) for a in ("update", "contribute", "manage")}
    member = rights["update"] and tracking.is_group_member(user, task)
    group = units.is_group_task(task)
    unit_summary = units.summary(task, TaskUnit.objects.for_user(user), on) if group else None
    own_unit = units.unit_for(user, task) if member else None
    extensions = list(
        units.visible_extensions(user, task, rights["manage"]).select_related(
            "requested_by", "decided_by", "unit__commune", "unit__agency"
        )
    )
    pending_all = [e for e in extensions if e.status == DeadlineExtension.Status.PENDING]
    pending = next((e for e in pending_all if not member or e.unit_id == getattr(own_unit, "pk", None)), None)
    waiting = task.status == TaskStatus.WAITING_GUIDANCE
    versioned = {"version": task.version}
    defaults: dict[str, Callable[[], Any]] = {}
    share = own_unit or task  # what the form starts from: the unit's share, or the task
    if rights["update"] and not waiting:
        status = (
            share.status if share.status == TaskStatus.DONE else TaskStatus.IN_PROGRESS
        )  # a note on a done task keeps it done
        defaults["progress_form"] = lambda: ProgressForm(
            initial={**versioned, "on": on, "percent": share.progress, "status": status},
            member=member,
            note_only=group and not member,
        )
    if rights["update"] and not member and not waiting:
        defaults["status_form"] = lambda: StatusForm(initial=versioned, manage=rights["manage"])
    if rights["update"] and not member and waiting:
        defaults["guidance_form"] = lambda: GuidanceForm(initial={**versioned, "received_on": on})
    if rights["contribute"] and not rights["update"]:
        defaults["contribution_form"] = lambda: ContributionForm(initial={"on": on})
    if rights["update"] and not member and task.deadline and task.status != TaskStatus.DONE and not pending:
        defaults["extension_form"] = lambda: ExtensionRequestForm()
    if own_unit is not None and own_unit.due and own_unit.status != TaskStatus.DONE and not pending:
        defaults["extension_form"] = lambda: ExtensionRequestForm()
    if rights["manage"] and pending:
        defaults["decision_form"] = lambda: ExtensionDecisionForm(initial={"decision": "grant"})
    elif not pending:
        forms.pop("decision_form", None)  # decided meanwhile: there is nothing left to decide
    for name, make in defaults.items():
        forms.setdefault(name, make())
    decorate([task], on)
    periods = list(task.periods.all()) if task.recurrence else []
    updates = (
        TaskUpdate.objects.visible_to(user)
        .filter(task=task)
        .select_related("author", "agency", "commune")
        .prefetch_related("attachments")
    )
    return render(
        request,
        "plans/tracking/task_detail.html",
        {
            "task": task,
            "rights": rights,
            "member": member,
            "updates": updates,
            "extensions": extensions,
            "pending": pending,
            "pending_count": len(pending_all),
            "periods": periods,
            "current_period": next((p for p in periods if p.completed_on is None), None),
            "unit_summary": unit_summary,
            "listed": units.listed_names(task) if task.units_listed else [],
            "own_unit": own_unit,
            "bucket": Bucket(tracking.classify(task.status, task.deadline, task.completed_on, on)),
            "has_errors": any(f.is_bound and f.errors for f in forms.values() if f is not None),
            **forms,
        },
    )


@feature_required("task.read")
@require_GET
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _task_or_404(request, pk))


def _add_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _task_action(
    request: HttpRequest,
    pk: int,
    *,
    right: str,
    denied: str,
    form_name: str,
    make_form: Callable[[Task], Any],
    perform: Callable[[Task, Any], Any],
    done: str,
) -> HttpResponse:
    """POST handler shared by the task forms: scope (404), right (403), form, service, redirect."""
    task = _task_or_404(request, pk)
    if not tracking.can(request.user, task, right):
        raise PermissionDenied(denied)
    form = make_form(task)
    if form.is_valid():
        try:
            perform(task, form)
        except StaleTaskError:
            task = _task_or_404(request, pk)
            form.show_stale(task)
            return _detail(request, task, **{form_name: form})
        except tracking.ExtensionDecidedError as e:
            return _already_decided(request, task, e)
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(request, done)
            return redirect("plans:task_detail", pk=task.pk)
    return _detail(request, _task_or_404(request, pk), **{form_name: form})


@feature_required("task.update")
@require_POST
def task_progress(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_action(
        request,
        pk,
        right="update",
        denied="Chỉ cơ quan chủ trì và Cơ quan Thường trực cập nhật tiến độ nhiệm vụ này.",
        form_name="progress_form",
        make_form=lambda t: ProgressForm(
            request.POST,
            request.FILES,
            member=tracking.is_group_member(request.user, t),
            note_only=units.is_group_task(t) and not tracking.is_group_member(request.user, t),
        ),
        perform=lambda t, f: tracking.record_progress(acting_user=request.user, task=t, **f.service_kwargs()),
        done="Đã ghi nhận tiến độ.",
    )


@feature_required("task.update")
@require_POST
def task_contribute(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_action(
        request,
        pk,
        right="contribute",
        denied="Chỉ cơ quan phối hợp gửi đóng góp cho nhiệm vụ này.",
        form_name="contribution_form",
        make_form=lambda t: ContributionForm(request.POST, request.FILES),
        perform=lambda t, f: tracking.record_contribution(acting_user=request.user, task=t, **f.cleaned_data),
        done="Đã gửi nội dung phối hợp.",
    )


@feature_required("task.update")
@require_POST
def task_status(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_action(
        request,
        pk,
        right="update",
        denied="Bạn không có quyền đổi trạng thái nhiệm vụ này.",
        form_name="status_form",
        make_form=lambda t: StatusForm(request.POST, manage=tracking.can(request.user, t, "manage")),
        perform=lambda t, f: tracking.change_status(acting_user=request.user, task=t, **f.cleaned_data),
        done="Đã đổi trạng thái nhiệm vụ.",
    )


@feature_required("task.update")
@require_POST
def task_guidance(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_action(
        request,
        pk,
        right="update",
        denied="Bạn không có quyền ghi nhận hướng dẫn cho nhiệm vụ này.",
        form_name="guidance_form",
        make_form=lambda t: GuidanceForm(request.POST),
        perform=lambda t, f: tracking.record_guidance(acting_user=request.user, task=t, **f.cleaned_data),
        done="Đã ghi nhận văn bản hướng dẫn.",
    )


@feature_required("task.update")
@require_POST
def task_extension(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_action(
        request,
        pk,
        right="update",
        denied="Chỉ cơ quan chủ trì được đề nghị gia hạn nhiệm vụ này.",
        form_name="extension_form",
        make_form=lambda t: ExtensionRequestForm(request.POST),
        perform=lambda t, f: tracking.request_extension(acting_user=request.user, task=t, **f.cleaned_data),
        done="Đã gửi đề nghị gia hạn tới Cơ quan Thường trực.",
    )


def _already_decided(request: HttpRequest, task: Task, error: ValidationError | None = None) -> HttpResponse:
    """A second decision on an extension request (double click, two officers): say so, change nothing."""
    messages.error(request, error.messages[0] if error else tracking.DECIDED_MESSAGE)
    return redirect("plans:task_detail", pk=task.pk)


@feature_required("task.manage")
@require_POST
def extension_decide(request: HttpRequest, pk: int) -> HttpResponse:
    ext = get_object_or_404(DeadlineExtension.objects.filter(task__in=Task.objects.for_user(request.user)), pk=pk)
    if ext.status != DeadlineExtension.Status.PENDING and tracking.can(request.user, ext.task, "manage"):
        return _already_decided(request, ext.task)
    return _task_action(
        request,
        ext.task_id,
        right="manage",
        denied="Chỉ Cơ quan Thường trực được quyết định gia hạn.",
        form_name="decision_form",
        make_form=lambda t: ExtensionDecisionForm(request.POST),
        perform=lambda t, f: tracking.decide_extension(
            acting_user=request.user,
            extension=ext,
            grant=f.cleaned_data["decision"] == "grant",
            note=f.cleaned_data["note"],
        ),
        done="Đã ghi nhận quyết định về đề nghị gia hạn.",
    )


@feature_required("task.read")
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    att = get_object_or_404(TaskAttachment.objects.visible_to(request.user), pk=pk)
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.name, content_type=att.content_type)


# ---------------------------------------------------------------------------------------------
# Lists.


@feature_required("task.mine")
def my_tasks(request: HttpRequest) -> HttpResponse:
    """Tasks the user's agency or commune leads or cooperates on, most urgent first."""
    user, on = request.user, tracking.today()
    base = tracking.active_tasks(Task.objects.for_user(user))
    form = TaskFilterForm(request.GET or None, user=user, layout="mine")
    leads = Task.objects.for_user(user, "update").filter(pk=OuterRef("pk"))
    tasks = tracking.urgency_ordering(list_columns(form.filter(base, on)).annotate(as_lead=Exists(leads)), on)
    context = {
        "form": form,
        "page": _paged(request, tasks),
        "qs": query_without_page(request),
        "show_role": True,
        "list_url": reverse("plans:my_tasks"),
    }
    if not request.htmx:
        context["summary"] = base.aggregate(
            overdue=Count("pk", filter=tracking.due_q("overdue", on)),
            due7=Count("pk", filter=tracking.due_q("7", on)),
            due30=Count("pk", filter=tracking.due_q("30", on)),
        )
    return _render_list(request, "plans/tracking/my_tasks.html", context)


def _office_tasks(
    request: HttpRequest, province: Province | None, layout: str = "office"
) -> tuple[TaskFilterForm, QuerySet[Task]]:
    form = TaskFilterForm(request.GET or None, user=request.user, layout=layout, province=province)
    base = tracking.active_tasks(Task.objects.for_user(request.user).filter(province=province))
    return form, form.filter(base)


@feature_required("task.report")
def task_list(request: HttpRequest, overdue: bool = False) -> HttpResponse:
    province = _report_province(request)
    form, tasks = _office_tasks(request, province)
    if overdue:
        tasks = tasks.filter(tracking.bucket_q(Bucket.OVERDUE, tracking.today()))
    url = reverse("plans:overdue" if overdue else "plans:task_list")
    context = {
        "form": form,
        "province": province,
        "provinces": office_provinces(request.user),
        "overdue": overdue,
        "page": _paged(request, tracking.urgency_ordering(list_columns(tasks))),
        "qs": query_without_page(request) + ("&overdue=1" if overdue else ""),
        "list_url": url,
        "show_plan": True,
        "export_url": reverse("plans:task_export"),
    }
    return _render_list(request, "plans/tracking/task_list.html", context)


@feature_required("task.report")
def overdue_list(request: HttpRequest) -> HttpResponse:
    return task_list(request, overdue=True)


@feature_required("task.report")
def task_export(request: HttpRequest) -> HttpResponse:
    province = _report_province(request)
    if province is None:
        raise Http404("Không có tỉnh nào trong phạm vi.")
    query = {k: v for k, v in request.GET.lists() if k not in ("province", "overdue", "job_key")}
    params = {"province": province.code, "overdue": bool(request.GET.get("overdue")), "query": query}
    job = jobs.start(acting_user=request.user, kind="plans.task_export", params=params, key=jobs.request_key(request))
    return redirect("jobs:detail", pk=job.pk)


def _matrix_context(request: HttpRequest, by_project: bool) -> dict[str, Any]:
    province = _report_province(request)
    form, tasks = _office_tasks(request, province, layout="matrix")
    rows = tracking.project_matrix(tasks) if by_project else tracking.matrix(tasks)
    if by_project:  # a task of several projects appears in several rows: count the total once
        totals = tracking.count_queryset(tasks)
    else:
        totals = Counts(**{b.value: sum(getattr(r.counts, b.value) for r in rows) for b in Bucket})
    base = {"province": province.code if province else ""} | {
        k: v for k, v in form.data.items() if k in ("plan", "project")
    }
    base = {k: v for k, v in base.items() if v}
    list_url = reverse("plans:task_list")

    def cells(counts: Counts, key: Any) -> list[tuple[str, int, str | None]]:
        """(short label, count, link to the filtered task list) for the total and each class."""
        values = [("Tổng", counts.total, None)] + [(SHORT[b], getattr(counts, b.value), b.value) for b in Bucket]
        if key is None:  # tasks without a lead agency: the list has no filter for them
            return [(label, n, None) for label, n, _ in values]
        scope = dict(base)
        if key != "total":
            scope["project" if by_project else "agency"] = key
        return [(label, n, f"{list_url}?{urlencode(scope | ({'bucket': b} if b else {}))}") for label, n, b in values]

    for r in rows:
        r.cells = cells(r.counts, r.key)
    return {
        "form": form,
        "province": province,
        "provinces": office_provinces(request.user),
        "rows": rows,
        "totals": totals,
        "total_cells": cells(totals, "total"),
        "buckets": list(Bucket),
        "by_project": by_project,
        "qs": request.GET.urlencode(),
    }


@feature_required("task.report")
def responsibility_matrix(request: HttpRequest) -> HttpResponse:
    return render(request, "plans/tracking/matrix.html", _matrix_context(request, by_project=False))


@feature_required("task.report")
def by_project(request: HttpRequest) -> HttpResponse:
    return render(request, "plans/tracking/matrix.html", _matrix_context(request, by_project=True))


@feature_required("task.report")
def matrix_export(request: HttpRequest) -> HttpResponse:
    projects = request.GET.get("by") == "project"
    ctx = _matrix_context(request, by_project=projects)
    on, province = tracking.today(), ctx["province"]
    title = ("Tình hình thực hiện nhiệm vụ theo dự án" if projects else "Ma trận trách nhiệm") + f" — {province}"
    content = exports.matrix_workbook(
        ctx["rows"], ctx["totals"], on=on, heading=title, first="Dự án" if projects else "Cơ quan chủ trì"
    )
    name = "theo-du-an" if projects else "ma-tran"
    return exports.xlsx_response(content, f"{name}-{province.code if province else ''}-{on:%Y%m%d}.xlsx")
