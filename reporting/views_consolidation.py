"""Consolidated reports (province, nation), their XLSX/DOCX exports and narrative, and data
exchange (CSV / DHIS2 JSON import and export)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from access.decorators import feature_required
from access.policy import can
from geo.models import Province
from jobs import services as jobs
from reporting.forms_consolidation import ExportForm, ImportForm, NarrativeForm, ReportFilterForm
from reporting.models import Form, ReportNarrative
from reporting.periods import KINDS, Period, containing, kind_of, make, parse
from reporting.services import consolidation, exports, narratives, suppression
from reporting.services import prefill as autofill

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _provinces(request: HttpRequest, feature: str = "consolidation.read") -> Any:
    """Provinces whose consolidated reports the user may open (or, with another feature, edit or export)."""
    return Province.objects.for_user(request.user, feature)


class Filters:
    """What the consolidation pages and their exports were asked: form, report kind, period."""

    def __init__(self, request: HttpRequest, province: Province | None) -> None:
        self.form = ReportFilterForm(request.GET or None, user=request.user)
        chosen, period_id, kind, self.submitted = None, "", "", False
        if self.form.is_valid():
            data = self.form.cleaned_data
            chosen, period_id, kind, self.submitted = data["form"], data["period"], data["kind"], data["submitted"]
        self.chosen: Form | None = chosen or self.form.fields["form"].queryset.first()
        pairs = consolidation.available(form=self.chosen, province=province) if self.chosen else []
        self.kinds = [(k, KINDS[k]) for k in KINDS if any(pk == k for pk, _ in pairs)]
        if period_id and not kind:
            named = kind_of(period_id)
            kind = "once" if (named, period_id) not in pairs and ("once", period_id) in pairs else named
        if period_id and kind != "once" and kind_of(period_id) != kind:
            period_id = ""  # the period of another kind (the kind was just changed)
        if not period_id:
            newest = [(k, pid) for k, pid in pairs if not kind or k == kind]
            if newest:
                kind, period_id = newest[0]
            else:
                kind = kind or "quarterly"
                today = timezone.localdate()
                period_id = make("annual", today.year).id if kind == "once" else containing(kind, today).id
        self.kind: str = kind
        self.period: Period = parse(period_id)
        self.periods = [pid for k, pid in pairs if k == kind]
        if self.kind not in dict(self.kinds):
            self.kinds.append((self.kind, KINDS[self.kind]))

    def job_params(self, province: str) -> dict[str, Any]:
        assert self.chosen is not None
        return {
            "form": self.chosen.pk,
            "period": self.period.id,
            "kind": self.kind,
            "province": province,
            "submitted": self.submitted,
        }


def _element_rows(report: consolidation.Report, key: str) -> tuple[Any, list[tuple[Any, list[Any]]]]:
    """The rows of one element (by id; its code is accepted from older links) and each unit's cells."""
    rows = [r for r in report.rows if str(r.element.pk) == key or r.element.code == key]
    if not rows:
        return None, []
    element = rows[0].element
    return rows, [(u, [u.cells.get((element.pk, r.category)) for r in rows]) for u in report.units]


def _base_query(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("element", None)
    params.pop("province_pick", None)
    return params.urlencode()


@feature_required("consolidation.read")
def index(request: HttpRequest) -> HttpResponse:
    province = _provinces(request).order_by("code").first()
    if can(request.user, "consolidation.nation"):
        return redirect("consolidation:nation")
    return redirect("consolidation:province", province=province.pk) if province else redirect("dashboard:home")


@require_GET
@feature_required("consolidation.read")
def province_report(request: HttpRequest, province: str) -> HttpResponse:
    prov = get_object_or_404(_provinces(request), code=province)
    f = Filters(request, prov)
    chosen, report = f.chosen, None
    element = request.GET.get("element", "")
    if chosen is not None:
        report = consolidation.province_report(
            form=chosen,
            period=f.period,
            province=prov,
            include_submitted=f.submitted,
            by_unit=bool(element),
            kind=f.kind,
        )
        # Small counts of people masked for whoever does not review the province's units.
        suppression.apply(report, reveal=suppression.reveals(request.user, prov.pk))
    return render(
        request,
        "reporting/consolidation/province.html",
        {
            **_report_context(request, f, report, element),
            "province": prov,
            "can_edit": _provinces(request, "consolidation.edit").filter(code=prov.pk).exists(),
            "provinces": _provinces(request) if can(request.user, "consolidation.nation") else None,
            "unit_word": "xã, phường" if chosen and chosen.level == Form.Level.COMMUNE else "cơ quan, đơn vị",
            # Approved commune reports whose registry figures changed since (counts only).
            "registry_differs": autofill.provider().flagged_count(
                province_id=prov.pk, form_id=chosen.pk, period_id=f.period.id, kind=f.kind
            )
            if chosen is not None and chosen.level == Form.Level.COMMUNE
            else 0,
        },
    )


@require_GET
@feature_required("consolidation.nation")
def nation_report(request: HttpRequest) -> HttpResponse:
    f = Filters(request, None)
    report = None
    element = request.GET.get("element", "")
    if f.chosen is not None:
        report = consolidation.nation_report(form=f.chosen, period=f.period, include_submitted=f.submitted, kind=f.kind)
        suppression.apply(report, reveal=False)
    return render(
        request,
        "reporting/consolidation/nation.html",
        {
            **_report_context(request, f, report, element),
            "unit_word": "tỉnh, thành phố",
            "unit_link": True,
        },
    )


def _report_context(request: HttpRequest, f: Filters, report: Any, element: str) -> dict[str, Any]:
    """What the province and the nation pages share: the filter, the report and one element's rows by unit."""
    element_rows, units = _element_rows(report, element) if report is not None and element else (None, [])
    return {
        "filter": f.form,
        "chosen": f.chosen,
        "period": f.period,
        "kind": f.kind,
        "kinds": f.kinds,
        "submitted": f.submitted,
        "periods": f.periods,
        "report": report,
        "element": element,
        "element_rows": element_rows,
        "units": units,
        "base_query": _base_query(request),
        "suppression_note": suppression.NOTE,
    }


def _narrative(province: Province | None, form: Form, period: Period) -> ReportNarrative:
    saved = ReportNarrative.objects.filter(province=province, form=form, period=period.id).first()
    return saved or exports.default_narrative(province=province, form=form, period=period)


@require_GET
@feature_required("consolidation.read")
def province_export(request: HttpRequest, province: str, fmt: str) -> HttpResponse:
    prov = get_object_or_404(_provinces(request), code=province)
    f = Filters(request, prov)
    if f.chosen is None:
        messages.error(request, "Chưa có biểu mẫu báo cáo nào.")
        return redirect("consolidation:province", province=prov.pk)
    params = f.job_params(prov.pk) | {"fmt": fmt}
    job = jobs.start(
        acting_user=request.user, kind="reporting.report_export", params=params, key=jobs.request_key(request)
    )
    return redirect("jobs:detail", pk=job.pk)


@require_GET
@feature_required("consolidation.nation")
def nation_export(request: HttpRequest, fmt: str) -> HttpResponse:
    f = Filters(request, None)
    if f.chosen is None:
        messages.error(request, "Chưa có biểu mẫu báo cáo nào.")
        return redirect("consolidation:nation")
    params = f.job_params("") | {"fmt": fmt}
    job = jobs.start(
        acting_user=request.user, kind="reporting.report_export", params=params, key=jobs.request_key(request)
    )
    return redirect("jobs:detail", pk=job.pk)


@require_http_methods(["GET", "POST"])
@feature_required("consolidation.edit")
def narrative(request: HttpRequest, province: str) -> HttpResponse:
    prov = get_object_or_404(_provinces(request, "consolidation.edit"), code=province)
    f = Filters(request, prov)
    chosen, period = f.chosen, f.period
    if chosen is None:
        return redirect("consolidation:province", province=prov.pk)
    instance = _narrative(prov, chosen, period)
    form = NarrativeForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        narratives.save_narrative(
            acting_user=request.user, province=prov, form=chosen, period=period, data=form.cleaned_data
        )
        messages.success(request, f"Đã lưu nội dung báo cáo {period.label}. Các tệp tải về sẽ dùng nội dung này.")
        return redirect(f"{reverse('consolidation:province', args=[prov.pk])}?{request.GET.urlencode()}")
    return render(
        request,
        "reporting/consolidation/narrative.html",
        {
            "province": prov,
            "chosen": chosen,
            "period": period,
            "form": form,
            "saved": instance.pk is not None,
            "query": request.GET.urlencode(),
        },
    )


@require_http_methods(["GET", "POST"])
@feature_required("exchange.import")
def exchange_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None, max_bytes=settings.PCMT_MAX_UPLOAD_BYTES)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        params = {"name": upload.name, "status": form.cleaned_data["status"], "dry_run": form.cleaned_data["dry_run"]}
        job = jobs.start(
            acting_user=request.user,
            kind="reporting.exchange_import",
            params=params,
            key=jobs.request_key(request),
            upload=(upload.name, upload),
        )
        return redirect("jobs:detail", pk=job.pk)
    return render(request, "reporting/consolidation/exchange_import.html", {"form": form, "result": result})


@require_GET
@feature_required("exchange.export")
def exchange_export(request: HttpRequest) -> HttpResponse:
    choices = [(p.code, p.name) for p in _provinces(request, "exchange.export").order_by("code")]
    if request.GET.get("province") and request.GET["province"] not in dict(choices):
        raise Http404("Không tìm thấy tỉnh.")
    form = ExportForm(request.GET or None, provinces=[("", "Mọi tỉnh trong phạm vi")] + choices, user=request.user)
    if "download" not in request.GET or not form.is_valid():
        return render(request, "reporting/consolidation/exchange_export.html", {"form": form})
    data = form.cleaned_data
    params = {
        "form": data["form"].pk if data["form"] else None,
        "period": data["period"],
        "kind": data["kind"],
        "province": data["province"] or "",
        "submitted": data["submitted"],
        "fmt": data["format"],
    }
    job = jobs.start(
        acting_user=request.user, kind="reporting.exchange_export", params=params, key=jobs.request_key(request)
    )
    return redirect("jobs:detail", pk=job.pk)
