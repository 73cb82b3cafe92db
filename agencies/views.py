"""The province's agency catalogue: list for officers, edit for the Standing Office."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from access.decorators import feature_required
from agencies.catalogue import Kind
from agencies.forms import AgencyForm
from agencies.models import Agency
from agencies.services import save_agency
from core.http import paginate, query_without_page
from geo.models import Province


@feature_required("agency.read")
def agency_list(request: HttpRequest) -> HttpResponse:
    agencies = Agency.objects.for_user(request.user, "list").select_related("province")
    q, kind, show = request.GET.get("q", "").strip(), request.GET.get("kind", ""), request.GET.get("show", "")
    if q:
        agencies = agencies.filter(Q(name__icontains=q) | Q(code__iexact=q) | Q(short_name__icontains=q))
    if kind:
        agencies = agencies.filter(kind=kind)
    if show != "all":
        agencies = agencies.filter(legacy=False, is_active=True)
    return render(
        request,
        "agencies/agency_list.html",
        {
            "page": paginate(request, agencies),
            "q": q,
            "kind": kind,
            "show": show,
            "kinds": Kind.CHOICES,
            "qs": query_without_page(request),
        },
    )


def _office_province(request: HttpRequest) -> Province:
    """The province whose catalogue the officer edits: one they hold the Standing Office role in."""
    provinces = Province.objects.for_user(request.user, "agency.manage")
    code = request.GET.get("province")
    if code:
        return get_object_or_404(provinces, code=code)
    province = provinces.order_by("code").first()
    if province is None:
        raise Http404("Chưa chọn tỉnh.")
    return province


@feature_required("agency.manage")
def agency_create(request: HttpRequest) -> HttpResponse:
    province = _office_province(request)
    form = AgencyForm(request.POST or None, province=province, instance=Agency(province=province))
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "aliases": form.cleaned_data["aliases_text"]}
        agency = save_agency(acting_user=request.user, agency=form.instance, data=data)
        messages.success(request, f"Đã thêm {agency.name}.")
        return redirect("agencies:list")
    return render(request, "agencies/agency_form.html", {"form": form, "province": province})


@feature_required("agency.manage")
def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(Agency.objects.for_user(request.user, "manage"), pk=pk)
    form = AgencyForm(request.POST or None, province=agency.province, instance=agency)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "aliases": form.cleaned_data["aliases_text"]}
        save_agency(acting_user=request.user, agency=form.instance, data=data)
        messages.success(request, f"Đã lưu {agency.name}.")
        return redirect("agencies:list")
    return render(request, "agencies/agency_form.html", {"form": form, "province": agency.province, "agency": agency})
