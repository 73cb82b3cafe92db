"""Province pages: the table of communes (and its XLSX), the roadmap, the provincial
self-assessment, the band setting, and the national summary of approved classes."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from access.decorators import feature_required
from access.policy import reach
from areas import selectors, services
from areas.forms import (
    CommuneTargetForm,
    LiteralBandsForm,
    ProvinceAssessmentForm,
    TableFilterForm,
    TargetsForm,
    format_vn,
)
from areas.models import (
    FIRST_QD28_YEAR,
    PROVINCE_FIGURES,
    REPORT_DAY,
    ROADMAP_YEARS,
    CommuneAssessment,
    ProvinceAssessment,
    ProvinceTarget,
    SourceKind,
    area_communes,
    area_provinces,
)
from areas.rules import CLASS_LABELS, DECISIONS_HELP, ProvinceInput, RulesInputError, classify_province
from areas.views import apply_errors, figure_rows, help_paragraphs
from areas.xlsx import province_table_xlsx
from core.http import paginate, query_without_page


def _year(request: HttpRequest, default: int, low: int, high: int) -> int:
    try:
        year = int(request.GET.get("year") or default)
    except ValueError:
        return default
    return year if low <= year <= high else default


def _can_review(request: HttpRequest, province: Any) -> bool:
    return area_provinces(request.user, "review").filter(pk=province.pk).exists()


@feature_required("area.nation")
def nation(request: HttpRequest) -> HttpResponse:
    """Approved classes counted per province (aggregates only)."""
    year = _year(request, selectors.current_year(), FIRST_QD28_YEAR, selectors.current_year())
    rows = selectors.nation_summary(year)
    return render(
        request,
        "areas/nation.html",
        {
            "rows": rows,
            "year": year,
            "years": range(selectors.current_year(), FIRST_QD28_YEAR - 1, -1),
            "totals": {
                k: sum(r[k] for r in rows) for k in ("total", "approved", "I", "II", "III", "drug_free", "unclassified")
            },
        },
    )


def _table(
    request: HttpRequest, code: str
) -> tuple[Any, TableFilterForm, int, list[selectors.Row], list[selectors.Row]]:
    province = get_object_or_404(area_provinces(request.user), code=code)
    form = TableFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    year = data.get("year") or selectors.current_year()
    rows = selectors.province_rows(request.user, province, year)
    shown = selectors.sort_rows(
        selectors.filter_rows(rows, q=data.get("q", ""), klass=data.get("klass", ""), status=data.get("status", "")),
        data.get("sort") or "name",
    )
    return province, form, year, rows, shown


@feature_required("area.province")
def province_table(request: HttpRequest, code: str) -> HttpResponse:
    province, form, year, rows, shown = _table(request, code)
    legacy_years = sorted(
        set(
            CommuneAssessment.objects.for_user(request.user)
            .filter(commune__province=province, year__lt=FIRST_QD28_YEAR)
            .values_list("year", flat=True)
        ),
        reverse=True,
    )
    params = request.GET.copy()
    params.pop("sort", None)
    params.pop("page", None)
    context = {
        "province": province,
        "provinces": area_provinces(request.user).order_by("name"),
        "form": form,
        "year": year,
        "years": [*range(selectors.current_year(), FIRST_QD28_YEAR - 1, -1), *legacy_years],
        "page": paginate(request, shown),
        "qs": query_without_page(request),
        "sort_qs": params.urlencode(),
        "sort": form.cleaned_data.get("sort") if form.is_bound and form.is_valid() else "",
        "totals": selectors.class_totals(rows),
        "filters": selectors.CLASS_FILTERS,
        "count_all": len(rows),
        "can_review": _can_review(request, province),
        "literal_bands": selectors.literal_bands_for(province.code),
    }
    template = "areas/partials/province_table.html" if request.htmx else "areas/province_table.html"
    return render(request, template, context)


@feature_required("area.province")
def province_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    province, _form, year, _rows, shown = _table(request, code)
    response = HttpResponse(
        province_table_xlsx(province, year, shown),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="xep-loai-dia-ban-{province.code}-{year}.xlsx"'
    return response


@require_POST
@feature_required("area.review")
def literal_bands(request: HttpRequest, code: str) -> HttpResponse:
    province = get_object_or_404(area_provinces(request.user, "review"), code=code)
    form = LiteralBandsForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Chế độ đọc tiêu chí không hợp lệ.")
    else:
        n = services.set_literal_bands(
            acting_user=request.user, province=province, literal_bands=form.cleaned_data["literal_bands"]
        )
        mode = "đọc nguyên văn khoảng" if form.cleaned_data["literal_bands"] else "tính lũy tiến"
        messages.success(
            request, f"Đã chuyển sang chế độ {mode} cho tiêu chí loại II; tính lại {n} hồ sơ chưa phê duyệt."
        )
    return redirect("areas:province", code=code)


def _roadmap_context(request: HttpRequest, province: Any, **forms: Any) -> dict[str, Any]:
    year = _year(
        request,
        min(max(selectors.current_year(), ROADMAP_YEARS[0]), ROADMAP_YEARS[-1]),
        ROADMAP_YEARS[0],
        ROADMAP_YEARS[-1],
    )
    total, progress = selectors.roadmap(province)
    can_review = _can_review(request, province)
    overrides = {t.year: t for t in ProvinceTarget.objects.for_user(request.user).filter(province=province)}
    if can_review:
        forms.setdefault(
            "targets_form",
            TargetsForm(initial={f"target_{y}": format_vn(t.share_percent) for y, t in overrides.items()}),
        )
        forms.setdefault(
            "target_form", CommuneTargetForm(communes=area_communes(request.user, "review").filter(province=province))
        )
    chart = {
        "years": [p.year for p in progress],
        "target": [float(p.target) if p.target is not None else None for p in progress],
        "drug_free": [
            float(p.drug_free_share) if p.approved and p.drug_free_share is not None else None for p in progress
        ],
        "registered": [float(p.registered_share) if p.registered_share is not None else None for p in progress],
    }
    return {
        "province": province,
        "total": total,
        "progress": progress,
        "chart": chart,
        "year": year,
        "risks": selectors.at_risk(request.user, province, year),
        "can_review": can_review,
        "show_details": not _national_only(request, province),
        "roadmap_years": ROADMAP_YEARS,
        **forms,
    }


def _national_only(request: HttpRequest, province: Any) -> bool:
    return province.code not in reach(request.user, "area.province").provinces


@feature_required("area.province")
def roadmap(request: HttpRequest, code: str) -> HttpResponse:
    """Targets per year, approved drug-free share against them, communes at risk."""
    province = get_object_or_404(area_provinces(request.user), code=code)
    if request.method == "POST":
        if not _can_review(request, province):
            raise PermissionDenied("Chỉ Cơ quan Thường trực của tỉnh được đăng ký chỉ tiêu.")
        form = TargetsForm(request.POST)
        if form.is_valid():
            try:
                n = services.set_province_targets(
                    acting_user=request.user, province=province, targets=form.targets(), note=form.cleaned_data["note"]
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"Đã lưu chỉ tiêu ({n} năm thay đổi).")
                return redirect("areas:roadmap", code=code)
        return render(request, "areas/roadmap.html", _roadmap_context(request, province, targets_form=form))
    return render(request, "areas/roadmap.html", _roadmap_context(request, province))


@require_POST
@feature_required("area.review")
def register_year(request: HttpRequest, code: str) -> HttpResponse:
    """Register (or clear) the year a commune is to become drug-free."""
    province = get_object_or_404(area_provinces(request.user, "review"), code=code)
    form = CommuneTargetForm(request.POST, communes=area_communes(request.user, "review").filter(province=province))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.set_commune_target(
                acting_user=request.user, commune=data["commune"], target_year=data["target_year"], note=data["note"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            what = f"năm {data['target_year']}" if data["target_year"] else "bỏ đăng ký"
            messages.success(request, f"{data['commune']}: đã lưu lộ trình ({what}).")
            target = data["next"]
            if target and url_has_allowed_host_and_scheme(
                target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                return redirect(target)
            return redirect("areas:roadmap", code=code)
    return render(request, "areas/roadmap.html", _roadmap_context(request, province, target_form=form))


def _province_result(obj: ProvinceAssessment | None, counts: selectors.CommuneCounts) -> Any:
    """The result shown: the stored counts once final, today's approved classes while a draft."""
    if obj is None:
        return None
    if obj.is_final:
        return obj.result()
    values = {name: getattr(obj, name) for name in PROVINCE_FIGURES}
    try:
        return classify_province(
            ProvinceInput(**values, communes_type_I_II=counts.type_i_ii, communes_total=counts.total)
        )
    except RulesInputError:
        return obj.result()


@feature_required("area.province")
def province_assessment(request: HttpRequest, code: str) -> HttpResponse:
    """The provincial self-assessment (≥ 4 of 6 criteria) for the report to the Ministry."""
    province = get_object_or_404(area_provinces(request.user), code=code)
    now = selectors.current_year()
    year = _year(request, now, FIRST_QD28_YEAR, now)
    obj = ProvinceAssessment.objects.for_user(request.user).filter(province=province, year=year).first()
    can_review = _can_review(request, province)
    prefill = selectors.province_prefill(province, year)
    form = None
    if can_review and (obj is None or not obj.is_final):
        form = ProvinceAssessmentForm(
            request.POST or None,
            initial={**ProvinceAssessmentForm.initial_from(obj, prefill), "note": obj.note if obj else ""},
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Chỉ Cơ quan Thường trực của tỉnh được lập tự đánh giá cấp tỉnh khi chưa chốt.")
        if form.is_valid():
            try:
                services.save_province_assessment(
                    acting_user=request.user,
                    province=province,
                    year=year,
                    figures=form.figures(),
                    notes=form.notes(),
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"Đã lưu tự đánh giá cấp tỉnh năm {year}.")
                return redirect(f"{reverse('areas:province_assessment', args=[code])}?year={year}")
    counts = selectors.commune_counts(province.code, year)
    due = datetime.date(year, *REPORT_DAY)
    return render(
        request,
        "areas/province_assessment.html",
        {
            "province": province,
            "year": year,
            "years": range(now, FIRST_QD28_YEAR - 1, -1),
            "obj": obj,
            "form": form,
            "result": _province_result(obj, counts),
            "counts": counts,
            "can_review": can_review,
            "due": due,
            "days_left": (due - timezone.localdate()).days,
            "figures": figure_rows(obj, PROVINCE_FIGURES) if obj else [],
            "prefill": {k: dict(SourceKind.choices)[p.kind] + " — " + p.note for k, p in prefill.items()},
            "help": help_paragraphs()[-1:],
            "class_labels": CLASS_LABELS,
            "decisions_help": DECISIONS_HELP,
        },
    )


def _province_action(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    obj = get_object_or_404(ProvinceAssessment.objects.for_user(request.user, "review"), pk=pk)
    try:
        action(acting_user=request.user, assessment=obj)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect(f"{reverse('areas:province_assessment', args=[obj.province_id])}?year={obj.year}")


@require_POST
@feature_required("area.review")
def province_finalize(request: HttpRequest, pk: int) -> HttpResponse:
    return _province_action(
        request, pk, services.finalize_province_assessment, "Đã chốt tự đánh giá cấp tỉnh để báo cáo Bộ Công an."
    )


@require_POST
@feature_required("area.review")
def province_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _province_action(
        request, pk, services.reopen_province_assessment, "Đã mở lại tự đánh giá cấp tỉnh để chỉnh sửa."
    )
