"""DHIS2 exchange pages: the metadata package, dataValueSets out and in (as background jobs)."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access.decorators import feature_required
from access.policy import can
from dhis2 import mapping
from dhis2.forms import Dhis2ExportForm, Dhis2ImportForm, MappingForm
from dhis2.metadata import Catalogue
from dhis2.models import KINDS
from geo.models import Province
from jobs import services as jobs


def _provinces(request: HttpRequest, feature: str) -> list[tuple[str, str]]:
    return [(p.code, p.name) for p in Province.objects.for_user(request.user, feature).order_by("code")]


@require_GET
@feature_required("exchange.export")
def index(request: HttpRequest) -> HttpResponse:
    choices = _provinces(request, "exchange.export")
    if request.GET.get("province") and request.GET["province"] not in dict(choices):
        raise Http404("Không tìm thấy tỉnh.")
    form = Dhis2ExportForm(request.GET or None, provinces=[("", "Mọi tỉnh trong phạm vi")] + choices, user=request.user)
    if "download" in request.GET and form.is_valid():
        data = form.cleaned_data
        params = {
            "form": data["form"].pk if data["form"] else None,
            "period": data["period"],
            "province": data["province"] or "",
            "submitted": data["submitted"],
            "fmt": data["format"],
            "scheme": data["id_scheme"],
            "foreign": data["foreign"],
        }
        job = jobs.start(acting_user=request.user, kind="dhis2.export", params=params, key=jobs.request_key(request))
        return redirect("jobs:detail", pk=job.pk)
    mapping = None
    if can(request.user, "exchange.import"):
        own = _provinces(request, "exchange.import")
        mapping = MappingForm(provinces=own, max_bytes=settings.PCMT_MAX_UPLOAD_BYTES)
    return render(
        request,
        "dhis2/index.html",
        {
            "form": form,
            "provinces": choices,
            "can_import": can(request.user, "exchange.import"),
            "mapping": mapping,
            "mapped": _mapped(choices),
        },
    )


def _mapped(provinces: list[tuple[str, str]]) -> list[tuple[str, int]]:
    from django.db.models import Count

    from dhis2.models import ForeignId

    counts = dict(
        ForeignId.objects.filter(province_id__in=[c for c, _ in provinces])
        .values_list("province_id")
        .annotate(n=Count("id"))
        .values_list("province_id", "n")
    )
    return [(name, counts[code]) for code, name in provinces if counts.get(code)]


@require_POST
@feature_required("exchange.import")
def read_mapping(request: HttpRequest) -> HttpResponse:
    """Read the province's DHIS2 metadata export and keep its ids matched to PCMT's."""
    own = _provinces(request, "exchange.import")
    form = MappingForm(request.POST, request.FILES, provinces=own, max_bytes=settings.PCMT_MAX_UPLOAD_BYTES)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("dhis2:index")
    province = Province.objects.get(code=form.cleaned_data["province"])
    report = mapping.read_package(acting_user=request.user, province=province, data=form.cleaned_data["file"].read())
    if report.problems:
        messages.error(request, " ".join(report.problems))
        return redirect("dhis2:index")
    matched = ", ".join(f"{KINDS[k].split(' (')[0].lower()}: {n}" for k, n in report.matched.items())
    text = f"Đã đối chiếu {report.total} đối tượng ({matched or 'không có'})."
    missing = sum(len(v) for v in report.unmatched.values())
    if missing:
        sample = "; ".join(x for v in report.unmatched.values() for x in v[:5])
        text += f" {missing} đối tượng không tìm thấy trong PCMT (ví dụ: {sample}): số liệu của chúng sẽ bị từ chối khi nhập."
    if missing:
        messages.warning(request, text)
    else:
        messages.success(request, text)
    return redirect("dhis2:index")


@require_GET
@feature_required("catalogue.read")
def metadata(request: HttpRequest, province: str = "") -> HttpResponse:
    """The metadata package: one province's (its communes and agencies), or the nation's."""
    chosen = None
    if province:
        chosen = Province.objects.for_user(request.user, "catalogue.read").filter(code=province).first()
        if chosen is None:
            raise Http404("Không tìm thấy tỉnh.")
    package = Catalogue(chosen).package()
    response = HttpResponse(
        json.dumps(package, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="pcmt-metadata-{province or "toan-quoc"}-{stamp}.json"'
    return response


@require_http_methods(["GET", "POST"])
@feature_required("exchange.import")
def import_values(request: HttpRequest) -> HttpResponse:
    form = Dhis2ImportForm(request.POST or None, request.FILES or None, max_bytes=settings.PCMT_MAX_UPLOAD_BYTES)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        params = {
            "name": upload.name,
            "scheme": form.cleaned_data["id_scheme"],
            "dry_run": form.cleaned_data["dry_run"],
            "partial": form.cleaned_data["partial"],
        }
        job = jobs.start(
            acting_user=request.user,
            kind="dhis2.import",
            params=params,
            key=jobs.request_key(request),
            upload=(upload.name, upload),
        )
        return redirect("jobs:detail", pk=job.pk)
    return render(request, "dhis2/import.html", {"form": form})
