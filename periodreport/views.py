"""The period's report: one page per province (and the nation) to read the assembled figures,
edit the generated text, keep versions and download the DOCX/XLSX (as background jobs)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from access.decorators import feature_required
from access.policy import can
from geo.models import Province
from jobs import services as jobs
from periodreport import services
from periodreport.forms import PeriodChoiceForm, PeriodReportForm
from reporting.periods import Period, containing, parse
from reporting.services import consolidation


def _period(request: HttpRequest, province: Province | None) -> tuple[Period, list[Period]]:
    """The chosen period, and the periods with data in any form that feeds the report (newest first)."""
    ids: set[str] = set()
    for form in services.forms_for(province, None):
        ids.update(consolidation.available_periods(form=form, province=province))
    periods = sorted((parse(pid) for pid in ids), key=lambda p: (p.last_month(), p.id), reverse=True)
    choice = PeriodChoiceForm(request.GET or None)
    chosen = choice.cleaned_data["period"] if choice.is_valid() else ""
    if chosen:
        return parse(chosen), periods
    return (periods[0] if periods else containing("quarterly", timezone.localdate())), periods


def _page(request: HttpRequest, province: Province | None, can_edit: bool) -> HttpResponse:
    period, periods = _period(request, province)
    bundle = services.assemble(province=province, period=period, viewer=request.user)
    generated = services.generate(bundle)
    letter = services.draft(bundle=bundle, generated=generated)
    here = (
        reverse("periodreport:province", args=[province.pk]) if province is not None else reverse("periodreport:nation")
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Bạn chỉ được xem báo cáo này; Cơ quan Thường trực soạn và lưu nội dung.")
        form = PeriodReportForm(request.POST, instance=letter)
        if request.POST.get("action") == "generated":
            # Start again from the sentences generated from today's data (nothing is saved).
            data = request.POST.copy()
            data.update(generated)
            form = PeriodReportForm(data, instance=letter)
            form.is_valid()
            messages.info(
                request, "Đã điền lại các mục bằng câu gợi ý từ số liệu hiện tại. Bấm «Lưu phiên bản mới» để lưu."
            )
        elif form.is_valid():
            saved = services.save(acting_user=request.user, province=province, period=period, data=form.cleaned_data)
            messages.success(request, f"Đã lưu phiên bản {saved.version} của báo cáo {period.label}.")
            return redirect(f"{here}?period={period.id}")
    else:
        form = PeriodReportForm(instance=letter)
    return render(
        request,
        "periodreport/report.html",
        {
            "province": province,
            "period": period,
            "periods": periods,
            "bundle": bundle,
            "letter": letter,
            "generated": generated,
            "form": form,
            "can_edit": can_edit,
            "versions": services.versions(province=province, period=period),
            "here": here,
        },
    )


@require_GET
@feature_required("consolidation.read")
def index(request: HttpRequest) -> HttpResponse:
    """The report of the user's own province (the nation's for the national level)."""
    if can(request.user, "consolidation.nation"):
        return redirect("periodreport:nation")
    province = Province.objects.for_user(request.user, "consolidation.read").order_by("code").first()
    return redirect("periodreport:province", province=province.pk) if province else redirect("dashboard:home")


@require_http_methods(["GET", "POST"])
@feature_required("consolidation.read")
def province_report(request: HttpRequest, province: str) -> HttpResponse:
    prov = get_object_or_404(Province.objects.for_user(request.user, "consolidation.read"), code=province)
    can_edit = Province.objects.for_user(request.user, "consolidation.edit").filter(code=prov.pk).exists()
    return _page(request, prov, can_edit)


@require_http_methods(["GET", "POST"])
@feature_required("consolidation.nation")
def nation_report(request: HttpRequest) -> HttpResponse:
    return _page(request, None, can(request.user, "consolidation.nation"))


def _export(request: HttpRequest, province: Province | None, fmt: str) -> HttpResponse:
    period, _ = _period(request, province)
    params: dict[str, Any] = {"period": period.id, "province": province.pk if province else "", "fmt": fmt}
    job = jobs.start(acting_user=request.user, kind="periodreport.export", params=params, key=jobs.request_key(request))
    return redirect("jobs:detail", pk=job.pk)


@require_GET
@feature_required("consolidation.read")
def province_export(request: HttpRequest, province: str, fmt: str) -> HttpResponse:
    prov = get_object_or_404(Province.objects.for_user(request.user, "consolidation.read"), code=province)
    return _export(request, prov, fmt)


@require_GET
@feature_required("consolidation.nation")
def nation_export(request: HttpRequest, fmt: str) -> HttpResponse:
    return _export(request, None, fmt)
