"""Indicator attainment pages (province, nation) and the targets page with provincial overrides."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from access.decorators import feature_required
from access.policy import can
from geo.models import Province
from indicators import services
from indicators.forms import PeriodForm, TargetForm
from indicators.models import Indicator, Target
from reporting.periods import make, parse
from reporting.services import suppression


def _provinces(request: HttpRequest, feature: str = "indicator.read") -> Any:
    return Province.objects.for_user(request.user, feature)


def _period(request: HttpRequest) -> tuple[PeriodForm, Any, bool, str | None]:
    form = PeriodForm(request.GET or None)
    valid = form.is_bound and form.is_valid()
    kind = (form.cleaned_data.get("kind") or None) if valid else None
    if valid and form.cleaned_data["period"]:
        return form, parse(form.cleaned_data["period"]), form.cleaned_data["submitted"], kind
    submitted = form.cleaned_data.get("submitted", False) if valid else False
    return form, make("annual", timezone.localdate().year), submitted, kind


def _period_options() -> list[Any]:
    """Years of the programme, then the quarters of this year and the last."""
    this = timezone.localdate().year
    years = [make("annual", y) for y in range(this, 2024, -1)]
    return years + [make("quarterly", y, q) for y in (this, this - 1) for q in (4, 3, 2, 1)]


def _chart_data(board: services.Dashboard) -> dict[str, Any]:
    return {
        "series": [
            {
                "code": c.indicator.code,
                "name": c.indicator.name,
                "unit": c.indicator.unit,
                "labels": [label for label, _ in c.trend],
                "values": [None if v is None else round(float(v), c.indicator.decimals) for _, v in c.trend],
                "target": None
                if c.cell.goal is None or c.cell.goal.relative or c.cell.goal.value is None
                else float(c.cell.goal.value),
            }
            for c in board.cards
        ]
    }


def _render(request: HttpRequest, board: services.Dashboard, form: PeriodForm, province: Any) -> HttpResponse:
    counts = {k: 0 for k in services.STATUS_LABELS}
    for card in board.cards:
        counts[card.cell.status] += 1
    return render(
        request,
        "indicators/dashboard.html",
        {
            "board": board,
            "form": form,
            "province": province,
            "chart": _chart_data(board),
            "counts": [(services.STATUS_LABELS[k], services.STATUS_CSS[k], n) for k, n in counts.items() if n],
            "provinces": _provinces(request) if can(request.user, "indicator.nation") else None,
            "years": _period_options(),
        },
    )


@feature_required("indicator.read")
def index(request: HttpRequest) -> HttpResponse:
    if can(request.user, "indicator.nation"):
        return redirect("indicators:nation")
    province = _provinces(request).order_by("code").first()
    return redirect("indicators:province", province=province.pk) if province else redirect("dashboard:home")


@require_GET
@feature_required("indicator.read")
def province_view(request: HttpRequest, province: str) -> HttpResponse:
    prov = get_object_or_404(_provinces(request), code=province)
    form, period, submitted, kind = _period(request)
    board = services.dashboard(period=period, province=prov, include_submitted=submitted, kind=kind)
    suppression.apply_board(board, reveal=suppression.reveals(request.user, prov.pk))
    return _render(request, board, form, prov)


@require_GET
@feature_required("indicator.nation")
def nation_view(request: HttpRequest) -> HttpResponse:
    form, period, submitted, kind = _period(request)
    board = services.dashboard(period=period, province=None, include_submitted=submitted, kind=kind)
    suppression.apply_board(board, reveal=False)
    return _render(request, board, form, None)


@require_GET
@feature_required("indicator.read")
def targets(request: HttpRequest) -> HttpResponse:
    manageable = list(_provinces(request, "target.manage").order_by("code"))
    indicators = Indicator.objects.filter(is_active=True).select_related("national_target")
    visible = (
        Target.objects.for_user(request.user).select_related("province").order_by("indicator_id", "province_id", "year")
    )
    by_indicator: dict[int, list[Target]] = {}
    for t in visible:
        by_indicator.setdefault(t.indicator_id, []).append(t)
    rows = [(ind, by_indicator.get(ind.pk, [])) for ind in indicators]
    return render(
        request,
        "indicators/targets.html",
        {
            "rows": rows,
            "form": TargetForm(provinces=manageable) if manageable else None,
            "manage_codes": {p.code for p in manageable},
        },
    )


@require_POST
@feature_required("target.manage")
def target_set(request: HttpRequest) -> HttpResponse:
    prov = get_object_or_404(_provinces(request, "target.manage"), code=request.POST.get("province", ""))
    form = TargetForm(request.POST, provinces=[prov])
    if form.is_valid():
        data = form.cleaned_data
        services.set_province_target(
            acting_user=request.user,
            indicator=data["indicator"],
            province=prov,
            year=data["year"],
            comparator=data["comparator"],
            value=data["value"],
            note=data["note"],
        )
        messages.success(request, f"Đã lưu chỉ tiêu của {prov.name} cho {data['indicator'].code}.")
    else:
        messages.error(request, "Chưa lưu được chỉ tiêu: " + " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("indicators:targets")


@require_POST
@feature_required("target.manage")
def target_delete(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(Target.objects.for_user(request.user, "manage").filter(province__isnull=False), pk=pk)
    services.delete_province_target(acting_user=request.user, target=target)
    messages.success(request, "Đã xóa chỉ tiêu riêng của tỉnh; chỉ tiêu quốc gia được áp dụng lại.")
    return redirect("indicators:targets")
