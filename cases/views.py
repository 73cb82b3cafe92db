"""Pages of the case registry. Thin: parse with a form, call a service, render or redirect.

Every page revealing names logs the read (`cases.services.access_log`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from access.decorators import feature_required
from access.policy import can, reach
from cases import crypto, forms
from cases.models import AccessLog, Person, PersonRequest, RegistryReporting
from cases.services import alerts, figures, followup, persons, report_figures
from cases.services.decisions import add_decision
from core.http import paginate, query_without_page
from jobs import services as jobs
from legal import path

PAGE = 50


def apply_errors(form: Any, exc: ValidationError) -> None:
    """A service's ValidationError on the form: on its field when the form has it."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@feature_required("registry.read_named")
def person_list(request: HttpRequest) -> HttpResponse:
    form = forms.SearchForm(request.GET or None)
    term = status = ""
    if form.is_valid():
        term, status = form.cleaned_data["q"], form.cleaned_data["status"]
    qs = persons.list_persons(user=request.user, term=term, status=status)
    page = paginate(request, qs, PAGE)
    persons.log_rows(user=request.user, persons=list(page.object_list))
    context = {
        "form": form,
        "page": page,
        "qs": query_without_page(request),
        "statuses": path.STATUSES,
        "incoming": list(followup.incoming(request.user)),
        "can_manage": can(request.user, "registry.manage"),
    }
    return render(request, "cases/person_list.html", context)


@feature_required("registry.read_named")
def export(request: HttpRequest) -> HttpResponse:
    """The user's own list as CSV: watermarked with who and when, and logged."""
    form = forms.SearchForm(request.GET or None)
    term = status = ""
    if form.is_valid():
        term, status = form.cleaned_data["q"], form.cleaned_data["status"]
    rows = list(persons.list_persons(user=request.user, term=term, status=status)[: persons.EXPORT_LIMIT])
    persons.log_rows(user=request.user, persons=rows, action=AccessLog.Action.EXPORT)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="so-quan-ly-ho-so.csv"'
    response["Cache-Control"] = "no-store"
    response.write(persons.export_csv(user=request.user, rows=rows))
    return response


@feature_required("registry.manage")
def person_create(request: HttpRequest) -> HttpResponse:
    form = forms.PersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            person = persons.create_person(request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Đã thêm hồ sơ số {person.pk}.")
            return redirect("cases:person", pk=person.pk)
    return render(request, "cases/person_form.html", {"form": form})


def _detail_context(request: HttpRequest, person: Person, **forms_: Any) -> dict[str, Any]:
    manage = Person.objects.for_user(request.user, "manage").filter(pk=person.pk).exists()
    decisions = list(person.decisions.select_related("ruleset", "facility").order_by("decided_on", "pk"))
    today = timezone.localdate()
    return {
        "person": person,
        "status_label": path.status_label(path.status_on(decisions, today)),
        "decisions": [
            (d, path.DECISION_TYPES.get(d.decision_type, d.decision_type), path.status_label(d.status_after))
            for d in decisions
        ],
        "flags": [
            path.FLAGS[d.decision_type]
            for d in decisions
            if d.decision_type in path.FLAGS and (d.ends_on is None or d.ends_on >= today)
        ],
        "relatives": list(person.relatives.all()),
        "interventions": list(person.interventions.all()),
        "requests": list(person.requests.all()),
        "transfers": list(person.transfers.select_related("from_commune", "to_commune")),
        "manage": manage,
        "pending": followup.blocked_by_transfer(person),
        "decision_form": forms_.get("decision_form") or (forms.DecisionForm(person=person) if manage else None),
        "intervention_form": forms_.get("intervention_form") or (forms.InterventionForm() if manage else None),
        "request_form": forms_.get("request_form") or (forms.RequestForm() if manage else None),
        "transfer_form": forms_.get("transfer_form") or (forms.TransferForm() if manage else None),
        "relative_form": forms_.get("relative_form") or (forms.RelativeForm() if manage else None),
        "today": today,
        "last_pk": decisions[-1].pk if decisions else None,
    }


@feature_required("registry.read_named")
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = persons.read_person(user=request.user, pk=pk)
    return render(request, "cases/person_detail.html", _detail_context(request, person))


def _managed(request: HttpRequest, pk: int) -> Person:
    return get_object_or_404(Person.objects.for_user(request.user, "manage").select_related("commune"), pk=pk)


def _post(
    request: HttpRequest, pk: int, form_class: Any, name: str, call: Any, done: str, **form_kwargs: Any
) -> HttpResponse:
    """The POST of one of the detail page's forms: the service, or the page again with the errors."""
    person = _managed(request, pk)
    form = form_class(request.POST, **{k: (person if v is None else v) for k, v in form_kwargs.items()})
    if form.is_valid():
        try:
            call(person, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("cases:person", pk=pk)
    persons.log_rows(user=request.user, persons=[person], action=AccessLog.Action.DETAIL)
    return render(request, "cases/person_detail.html", _detail_context(request, person, **{name: form}), status=400)


@require_POST
@feature_required("registry.manage")
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        forms.DecisionForm,
        "decision_form",
        lambda p, data: add_decision(acting_user=request.user, person=p, **data),
        "Đã ghi quyết định.",
        person=None,
    )


@require_POST
@feature_required("registry.manage")
def intervention_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        forms.InterventionForm,
        "intervention_form",
        lambda p, data: followup.add_intervention(acting_user=request.user, person=p, **data),
        "Đã ghi hoạt động hỗ trợ.",
    )


@require_POST
@feature_required("registry.manage")
def request_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        forms.RequestForm,
        "request_form",
        lambda p, data: followup.add_request(acting_user=request.user, person=p, **data),
        "Đã ghi yêu cầu của người có hồ sơ.",
    )


@require_POST
@feature_required("registry.manage")
def relative_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        forms.RelativeForm,
        "relative_form",
        lambda p, data: followup.add_relative(acting_user=request.user, person=p, **data),
        "Đã thêm người thân.",
    )


@require_POST
@feature_required("registry.manage")
def transfer_request(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        forms.TransferForm,
        "transfer_form",
        lambda p, data: followup.request_transfer(acting_user=request.user, person=p, **data),
        "Đã chuyển hồ sơ, chờ xã nhận tiếp nhận.",
    )


@require_POST
@feature_required("registry.manage")
def transfer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = get_object_or_404(followup.incoming(request.user), pk=pk)
    followup.accept_transfer(acting_user=request.user, transfer=transfer)
    messages.success(request, f"Đã tiếp nhận hồ sơ số {transfer.person_id}.")
    return redirect("cases:person", pk=transfer.person_id)


@require_POST
@feature_required("registry.manage")
def request_answer(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        PersonRequest.objects.filter(person__in=Person.objects.for_user(request.user, "manage")), pk=pk
    )
    answer = request.POST.get("answer", "").strip()
    if not answer:
        messages.error(request, "Ghi nội dung trả lời.")
    else:
        try:
            followup.answer_request(
                acting_user=request.user, item=item, answered_on=timezone.localdate(), answer=answer
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Đã ghi trả lời yêu cầu.")
    return redirect("cases:person", pk=item.person_id)


@feature_required("registry.manage")
def duplicates(request: HttpRequest) -> HttpResponse:
    groups = persons.likely_duplicates(user=request.user)
    persons.log_rows(user=request.user, persons=[p for g in groups for p in g])
    return render(request, "cases/duplicates.html", {"groups": groups})


@require_POST
@feature_required("registry.manage")
def merge(request: HttpRequest) -> HttpResponse:
    scope = Person.objects.for_user(request.user, "manage")
    keep = get_object_or_404(scope, pk=request.POST.get("keep") or 0)
    other = get_object_or_404(scope, pk=request.POST.get("other") or 0)
    try:
        persons.merge(acting_user=request.user, keep=keep, other=other)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("cases:duplicates")
    messages.success(request, f"Đã gộp hồ sơ số {other.pk} vào hồ sơ số {keep.pk}.")
    return redirect("cases:person", pk=keep.pk)


@feature_required("registry.read_named")
def alert_list(request: HttpRequest) -> HttpResponse:
    items = alerts.alerts_for(request.user, timezone.localdate())
    persons.log_rows(user=request.user, persons=[a.person for a in items])
    return render(request, "cases/alerts.html", {"alerts": items})


@feature_required("registry.lookup")
def lookup(request: HttpRequest) -> HttpResponse:
    form = forms.LookupForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = persons.lookup_cccd(user=request.user, number=form.cleaned_data["cccd"])
        if result.found and Person.objects.for_user(request.user).filter(pk=result.person_id).exists():
            return redirect("cases:person", pk=result.person_id)
    return render(
        request,
        "cases/lookup.html",
        {"form": form, "result": result, "open_form": forms.OpenForm() if result and result.found else None},
    )


@require_POST
@feature_required("registry.lookup")
def open_record(request: HttpRequest) -> HttpResponse:
    digits = "".join(ch for ch in request.POST.get("cccd", "") if ch.isdigit())
    person = Person.objects.select_related("commune__province").filter(cccd_hash=crypto.cccd_hash(digits)).first()
    if person is None:
        messages.error(request, "Không có hồ sơ với số CCCD này.")
        return render(request, "cases/lookup.html", {"form": forms.LookupForm(initial={"cccd": digits})}, status=400)
    form = forms.OpenForm(request.POST)
    if form.is_valid():
        try:
            persons.open_record(user=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.warning(request, "Hồ sơ được mở trong 24 giờ, chỉ xem. Cơ quan Thường trực đã được báo.")
            return redirect("cases:person", pk=person.pk)
    result = persons.LookupResult(True, person.commune, person.pk)
    return render(
        request,
        "cases/lookup.html",
        {"form": forms.LookupForm(initial={"cccd": digits}), "result": result, "open_form": form},
        status=400,
    )


def figure_communes(user: Any) -> Any:
    return forms.managed_communes(user, "registry.figures").select_related("province")


@require_http_methods(["GET", "POST"])
@feature_required("registry.figures")
def figures_page(request: HttpRequest) -> HttpResponse:
    # The Standing Office decides whether its communes' reports take their figures from the registry.
    switchable = sorted(reach(request.user, "schedule.manage").provinces)
    if request.method == "POST":
        return _switch_reporting(request, switchable)
    communes = figure_communes(request.user)
    form = forms.FiguresForm(request.GET or None, communes=communes)
    commune = communes.first()
    day = timezone.localdate()
    if form.is_valid():
        commune = form.cleaned_data["commune"]
        day = form.cleaned_data["day"] or day
    reveal = can(request.user, "registry.read_named")
    table = None
    if commune is not None:
        f = figures.commune_figures(commune, day)
        table = figures.display(f, reveal=reveal)
    switches = []
    if switchable:
        since = dict(RegistryReporting.objects.filter(province_id__in=switchable).values_list("province_id", "since"))
        switches = [
            (code, since.get(code), forms.RegistryReportingForm(initial={"province": code, "since": since.get(code)}))
            for code in switchable
        ]
    return render(
        request,
        "cases/figures.html",
        {"form": form, "commune": commune, "day": day, "table": table, "reveal": reveal, "switches": switches},
    )


def _switch_reporting(request: HttpRequest, switchable: list[str]) -> HttpResponse:
    if not switchable:
        raise PermissionDenied("Chỉ Cơ quan Thường trực quyết định việc lấy số liệu báo cáo từ sổ quản lý.")
    form = forms.RegistryReportingForm(request.POST)
    if not form.is_valid() or form.cleaned_data["province"] not in switchable:
        messages.error(request, "Chưa lưu: " + " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("cases:figures")
    code, since = form.cleaned_data["province"], form.cleaned_data["since"]
    if request.POST.get("action") == "off":
        report_figures.disable(code, request.user)
        messages.success(request, "Đã tắt: các ô của báo cáo cấp xã được nhập tay trở lại.")
    elif since is None:
        messages.error(request, "Chưa lưu: hãy ghi ngày chốt số liệu đầu tiên áp dụng (dd/mm/yyyy).")
    else:
        report_figures.enable(code, since, request.user)
        messages.success(
            request,
            f"Đã bật: báo cáo cấp xã của các kỳ có ngày chốt từ {since:%d/%m/%Y} lấy số liệu từ sổ quản lý "
            "(điền sẵn, không nhập tay).",
        )
    return redirect("cases:figures")


@feature_required("registry.access_log")
def access_log(request: HttpRequest) -> HttpResponse:
    provinces = sorted(reach(request.user, "registry.access_log").provinces)
    entries = AccessLog.objects.filter(province_code__in=provinces).order_by("-pk")
    only_bg = request.GET.get("break_glass") == "1"
    if only_bg:
        entries = entries.filter(break_glass=True)
    chain = None
    if request.GET.get("verify") == "1":
        from cases.services.access_log import verify_chain

        chain = verify_chain()
    return render(
        request,
        "cases/access_log.html",
        {
            "page": paginate(request, entries, PAGE),
            "qs": query_without_page(request),
            "only_bg": only_bg,
            "chain": chain,
        },
    )


@feature_required("registry.manage")
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a list (CSV or XLSX): sealed at once, checked and imported by a background job
    (`cases.import_persons`) whose page shows the progress and the row-level report."""
    from cases.jobs import KIND, UPLOAD_CONTEXT

    form = forms.ImportForm(request.POST or None, request.FILES or None, max_bytes=settings.PCMT_MAX_UPLOAD_BYTES)
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["file"].name
        suffix = name.rsplit(".", 1)[-1].lower()
        sealed = crypto.seal_bytes(form.content, UPLOAD_CONTEXT)
        job = jobs.start(
            acting_user=request.user,
            kind=KIND,
            params={"name": f"danh-sach.{suffix}", "dry_run": form.cleaned_data["dry_run"]},
            key=jobs.request_key(request),
            upload=(f"ho-so-{suffix}.sealed", ContentFile(sealed)),
        )
        return redirect("jobs:detail", pk=job.pk)
    return render(request, "cases/import.html", {"form": form, "job_key": jobs.new_key()})


@feature_required("registry.manage")
def import_template(request: HttpRequest) -> HttpResponse:
    """The XLSX template: header, one example row (a commune of the officer), a guide sheet."""
    from cases.importing import template_xlsx

    commune = forms.managed_communes(request.user).values_list("code", flat=True).first() or ""
    response = HttpResponse(
        template_xlsx(commune),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-danh-sach-ho-so.xlsx"'
    return response


# --- renewal of case roles (issue 13 §3) -------------------------------------------------------


@feature_required("role.grant")
def renewals_page(request: HttpRequest) -> HttpResponse:
    """Case roles of the officer's provinces ending within 30 days or ended: request, approve."""
    from cases.services.renewals import WINDOW_DAYS, expiring

    return render(request, "cases/renewals.html", {"rows": expiring(request.user), "window": WINDOW_DAYS})


@require_POST
@feature_required("role.grant")
def renewal_request(request: HttpRequest, pk: int) -> HttpResponse:
    from accounts.models import RoleAssignment
    from cases.services.renewals import request_renewal

    roles = RoleAssignment.objects.select_related("user").filter(role="case_officer")
    r = reach(request.user, "role.grant")
    if not r.nation:
        roles = roles.filter(province_id__in=sorted(r.provinces))
    assignment = get_object_or_404(roles, pk=pk)
    try:
        request_renewal(acting_user=request.user, assignment=assignment)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request, f"Đã gửi đề nghị gia hạn vai trò của {assignment.user.username}; cần một cán bộ khác phê duyệt."
        )
    return redirect("cases:renewals")


@require_POST
@feature_required("role.approve")
def renewal_approve(request: HttpRequest, pk: int) -> HttpResponse:
    from cases.models import RoleRenewal
    from cases.services.renewals import approve_renewal

    renewals = RoleRenewal.objects.select_related("assignment__user")
    r = reach(request.user, "role.approve")
    if not r.nation:
        renewals = renewals.filter(assignment__province_id__in=sorted(r.provinces))
    renewal = get_object_or_404(renewals, pk=pk)
    try:
        done = approve_renewal(acting_user=request.user, renewal=renewal)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request,
            f"Đã phê duyệt gia hạn: vai trò của {renewal.assignment.user.username} có hiệu lực đến hết "
            f"{done.new_until:%d/%m/%Y}.",
        )
    return redirect("cases:renewals")
