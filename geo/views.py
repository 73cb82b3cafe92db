"""Communes of a province, a commune's profile and its population figures."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from access.decorators import feature_required
from core.http import paginate, query_without_page
from geo import services
from geo.forms import CommuneFilterForm, PopulationForm, PopulationImportForm
from geo.models import Commune, Population, Province


def _current_province(request: HttpRequest) -> Province | None:
    provinces = Province.objects.for_user(request.user, "commune.list")
    code = request.GET.get("province") or request.POST.get("province")
    if code:
        return get_object_or_404(provinces, code=code)
    return provinces.order_by("code").first()


@feature_required("commune.list")
def commune_list(request: HttpRequest) -> HttpResponse:
    province = _current_province(request)
    form = CommuneFilterForm(request.GET or None)
    communes = Commune.objects.for_user(request.user).filter(province=province)
    if form.is_valid():
        q, kind = form.cleaned_data["q"].strip(), form.cleaned_data["kind"]
        if q:
            communes = communes.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(code=q))
        if kind:
            communes = communes.filter(kind=kind)
    latest = Population.objects.filter(commune=OuterRef("pk")).order_by("-year")
    communes = communes.annotate(
        pop=Subquery(latest.values("population")[:1]), pop_year=Subquery(latest.values("year")[:1])
    ).order_by("name")
    context = {
        "province": province,
        "provinces": Province.objects.for_user(request.user, "commune.list"),
        "form": form,
        "page": paginate(request, communes),
        "qs": query_without_page(request),
        "can_edit": province is not None
        and Commune.objects.for_user(request.user, "edit").filter(province=province).exists(),
    }
    template = "geo/partials/commune_table.html" if request.htmx else "geo/commune_list.html"
    return render(request, template, context)


@feature_required("commune.read")
def commune_detail(request: HttpRequest, code: str) -> HttpResponse:
    commune = get_object_or_404(Commune.objects.for_user(request.user).select_related("province"), code=code)
    can_edit = Commune.objects.for_user(request.user, "edit").filter(pk=commune.pk).exists()
    form = PopulationForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Bạn không có quyền cập nhật nhân khẩu.")
        if form.is_valid():
            services.set_population(acting_user=request.user, commune=commune, **form.cleaned_data)
            messages.success(request, f"Đã lưu nhân khẩu năm {form.cleaned_data['year']}.")
            return redirect("geo:commune_detail", code=code)
    populations = commune.populations.select_related("updated_by")
    return render(request, "geo/commune_detail.html", {"commune": commune, "populations": populations, "form": form})


@feature_required("population.manage")
def population_import(request: HttpRequest) -> HttpResponse:
    form = PopulationImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = services.import_population_csv(
            acting_user=request.user,
            data=form.cleaned_data["file"].read(),
            communes=Commune.objects.for_user(request.user, "edit"),
            source=form.cleaned_data["source"],
        )
        if report.ok:
            messages.success(request, f"Đã nhập nhân khẩu: {report.created} dòng mới, {report.updated} dòng cập nhật.")
            return redirect("geo:communes")
    return render(request, "geo/population_import.html", {"form": form, "report": report})
