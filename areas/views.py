"""Commune pages: the area profile, the commune's self-assessment and the Standing Office's review.

Views are thin: a form parses, a service writes, the page renders. Scope comes from
``for_user``/``area_communes`` (404 outside it), features from ``feature_required`` (403).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from access.decorators import feature_required
from access.policy import can, reach
from areas import services
from areas.forms import ApproveForm, ForwardForm, HistoricalForm, ReturnForm, SelfAssessmentForm, format_vn
from areas.models import (
    FIRST_QD28_YEAR,
    ROADMAP_YEARS,
    SHORT_CLASS_LABELS,
    CommuneAssessment,
    CommuneTarget,
    SourceKind,
    area_communes,
    area_provinces,
)
from areas.rules import CLASS_LABELS, DECISIONS_HELP, CommuneInput, RulesInputError, classify_commune
from areas.selectors import DRUG_FREE_ELEMENTS, current_year, literal_bands_for, prefill_figures


def apply_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def help_paragraphs() -> list[str]:
    return [p.replace("\n", " ") for p in DECISIONS_HELP.strip().split("\n\n")]


def sees_figures(user: Any, province_code: str, commune_code: str) -> bool:
    """National viewers see classes only; figures are for the province and the commune."""
    r = reach(user, "area.read")
    return province_code in r.provinces or commune_code in r.communes


def figure_rows(obj: Any, names: tuple[str, ...]) -> list[dict[str, Any]]:
    """Each figure with its value and source, for display beside each other."""
    kinds = dict(SourceKind.choices)
    rows = []
    for name in names:
        value = getattr(obj, name)
        source = obj.source_of(name)
        if isinstance(value, bool):
            text = "Có" if value else "Không"
        else:
            text = format_vn(value) if value is not None else "—"
        rows.append(
            {
                "name": name,
                "label": services.figure_label(name),
                "value": text,
                "source": kinds.get(source.get("kind", ""), ""),
                "note": source.get("note", ""),
                "kind": source.get("kind", ""),
            }
        )
    return rows


@feature_required("area.read")
def index(request: HttpRequest) -> HttpResponse:
    """The nav entry: the nation summary, the province table or the commune's profile."""
    if can(request.user, "area.nation"):
        return redirect("areas:nation")
    province = area_provinces(request.user).order_by("code").first()
    if province is not None:
        return redirect("areas:province", code=province.code)
    commune = area_communes(request.user).order_by("code").first()
    if commune is None:
        raise PermissionDenied("Bạn chưa được giao địa bàn nào.")
    return redirect("areas:commune", code=commune.code)


def render_profile(
    request: HttpRequest, commune: Any, *, year: int | None = None, forms: dict[str, Any] | None = None
) -> HttpResponse:
    user = request.user
    history = list(CommuneAssessment.objects.for_user(user).filter(commune=commune).order_by("-year"))
    if year is None:
        try:
            year = int(request.GET.get("year") or current_year())
        except ValueError:
            year = current_year()
    current = next((a for a in history if a.year == year), None)
    show_figures = sees_figures(user, commune.province_id, commune.code)
    can_edit = area_communes(user, "edit").filter(pk=commune.pk).exists()
    can_review = area_communes(user, "review").filter(pk=commune.pk).exists()
    forms = forms or {}
    if current is not None and can_review:
        forms.setdefault("return_form", ReturnForm())
        forms.setdefault("forward_form", ForwardForm())
        forms.setdefault("approve_form", ApproveForm(initial={"approved_class": current.proposed_class}))
    if can_review:
        forms.setdefault("historical_form", HistoricalForm())
    context = {
        "commune": commune,
        "history": history,
        "year": year,
        "current": current,
        "result": current.result() if current is not None and show_figures else None,
        "figures": figure_rows(current, services.COMMUNE_FIGURES)
        if current is not None and current.comparable and show_figures
        else [],
        "show_figures": show_figures,
        "can_edit": can_edit,
        "can_review": can_review,
        "can_start": can_edit
        and FIRST_QD28_YEAR <= year <= current_year()
        and (current is None or current.is_editable),
        "target": CommuneTarget.objects.for_user(user).filter(commune=commune).first(),
        "help": help_paragraphs(),
        "class_labels": CLASS_LABELS,
        "years": range(current_year(), FIRST_QD28_YEAR - 1, -1),
        "literal_bands": literal_bands_for(commune.province_id),
        "roadmap_years": ROADMAP_YEARS,
        "can_view_province": area_provinces(user).filter(pk=commune.province_id).exists(),
        **forms,
    }
    return render(request, "areas/commune_profile.html", context)


@feature_required("area.read")
def commune_profile(request: HttpRequest, code: str) -> HttpResponse:
    commune = get_object_or_404(area_communes(request.user).select_related("province"), code=code)
    return render_profile(request, commune)


def _proposal(form: SelfAssessmentForm, province_code: str) -> dict[str, Any]:
    """The engine's answer on the figures typed so far (nothing is saved)."""
    figures = form.figures()
    missing = [services.figure_label(n) for n, v in figures.items() if v is None]
    if missing:
        return {"missing": missing}
    try:
        data = CommuneInput(**figures)
    except RulesInputError as exc:
        return {"error": services.friendly_rules_error(exc)}
    return {"result": classify_commune(data, literal_bands=literal_bands_for(province_code))}


@feature_required("area.assess")
def self_assessment(request: HttpRequest, code: str, year: int) -> HttpResponse:
    commune = get_object_or_404(area_communes(request.user, "edit").select_related("province"), code=code)
    if not FIRST_QD28_YEAR <= year <= current_year():
        raise Http404("Năm đánh giá không hợp lệ.")
    obj = CommuneAssessment.objects.for_user(request.user, "edit").filter(commune=commune, year=year).first()
    if obj is not None and not obj.is_editable:
        messages.info(request, f"Hồ sơ năm {year} đang ở trạng thái «{obj.get_status_display()}», không sửa được.")
        return redirect(f"{reverse('areas:commune', args=[code])}?year={year}")
    prefill = prefill_figures(commune, year)
    initial = {**SelfAssessmentForm.initial_from(obj, prefill), "comment": obj.commune_comment if obj else ""}
    form = SelfAssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            obj = services.save_self_assessment(
                acting_user=request.user,
                commune=commune,
                year=year,
                figures=form.figures(),
                notes=form.notes(),
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if "submit" not in request.POST:
                messages.success(
                    request,
                    "Đã lưu bản tự đánh giá."
                    + (
                        f" Xếp loại đề xuất: {SHORT_CLASS_LABELS[obj.proposed_class]}."
                        if obj.proposed_class
                        else " Chưa đủ số liệu để xếp loại."
                    ),
                )
                return redirect("areas:self_assessment", code=code, year=year)
            try:
                services.submit_assessment(acting_user=request.user, assessment=obj)
            except ValidationError as exc:
                messages.error(request, "Đã lưu nhưng chưa gửi được. " + " ".join(exc.messages))
                return redirect("areas:self_assessment", code=code, year=year)
            messages.success(request, f"Đã gửi bản tự đánh giá năm {year} tới Cơ quan Thường trực.")
            return redirect(f"{reverse('areas:commune', args=[code])}?year={year}")
    proposal = (
        _proposal(form, commune.province_id)
        if form.is_bound and form.is_valid()
        else ({"result": obj.result()} if obj is not None and obj.is_complete else {"missing": []})
    )
    return render(
        request,
        "areas/self_assessment.html",
        {
            "commune": commune,
            "year": year,
            "obj": obj,
            "form": form,
            "proposal": proposal,
            "prefill": {k: dict(SourceKind.choices)[p.kind] + " — " + p.note for k, p in prefill.items()},
            "sources": {n: obj.source_of(n) for n in services.COMMUNE_FIGURES} if obj else {},
            "source_labels": dict(SourceKind.choices),
            "report_backed": sorted(DRUG_FREE_ELEMENTS),
            "help": help_paragraphs(),
            "literal_bands": literal_bands_for(commune.province_id),
        },
    )


@require_POST
@feature_required("area.assess")
def preview(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """htmx: the proposed class of the figures being typed, without saving."""
    commune = get_object_or_404(area_communes(request.user, "edit"), code=code)
    form = SelfAssessmentForm(request.POST)
    proposal = _proposal(form, commune.province_id) if form.is_valid() else {"invalid": True}
    return render(request, "areas/partials/proposal.html", {"proposal": proposal, "form": form, "year": year})


def _profile_url(obj: CommuneAssessment) -> str:
    return f"{reverse('areas:commune', args=[obj.commune_id])}?year={obj.year}"


@require_POST
@feature_required("area.assess")
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    obj = get_object_or_404(CommuneAssessment.objects.for_user(request.user, "edit"), pk=pk)
    try:
        services.submit_assessment(acting_user=request.user, assessment=obj)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Đã gửi bản tự đánh giá năm {obj.year} tới Cơ quan Thường trực.")
    return redirect(_profile_url(obj))


def _review(request: HttpRequest, pk: int, form_class: Any, form_key: str, action: Any, done: str) -> HttpResponse:
    obj = get_object_or_404(
        CommuneAssessment.objects.for_user(request.user, "review").select_related("commune__province"), pk=pk
    )
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(acting_user=request.user, assessment=obj, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(_profile_url(obj))
    return render_profile(request, obj.commune, year=obj.year, forms={form_key: form})


@require_POST
@feature_required("area.review")
def return_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _review(request, pk, ReturnForm, "return_form", services.return_assessment, "Đã trả lại hồ sơ cho xã.")


@require_POST
@feature_required("area.review")
def forward(request: HttpRequest, pk: int) -> HttpResponse:
    return _review(
        request,
        pk,
        ForwardForm,
        "forward_form",
        services.forward_assessment,
        "Đã thẩm định và trình UBND tỉnh phê duyệt.",
    )


@require_POST
@feature_required("area.review")
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _review(
        request,
        pk,
        ApproveForm,
        "approve_form",
        services.approve_assessment,
        "Đã ghi nhận quyết định phê duyệt của UBND tỉnh.",
    )


@require_POST
@feature_required("area.review")
def historical(request: HttpRequest, code: str) -> HttpResponse:
    commune = get_object_or_404(area_communes(request.user, "review").select_related("province"), code=code)
    form = HistoricalForm(request.POST)
    if form.is_valid():
        try:
            obj = services.record_historical_class(acting_user=request.user, commune=commune, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Đã lưu xếp loại năm {obj.year} theo {obj.legal_basis}.")
            return redirect(_profile_url(obj))
    return render_profile(request, commune, forms={"historical_form": form})
