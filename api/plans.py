"""GET /api/plans and /api/plans/{id}: the plans a person may see, with their tasks' counts."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router

from access.decorators import api_feature
from api import serializers
from api.schemas import Error, PlanDetailOut, PlanList
from plans.models import Plan, Task
from plans.services import tracking

router = Router(tags=["Kế hoạch"])


def _plans(request: HttpRequest) -> Any:
    return tracking.plans_with_counts(
        Plan.objects.for_user(request.user).select_related("province"), Task.objects.for_user(request.user)
    )


@router.get("", response={200: PlanList, 403: Error}, summary="Danh sách kế hoạch")
@api_feature("plan.read")
def list_plans(
    request: HttpRequest,
    province: str | None = None,
    status: Literal["active", "replaced", "all"] = "active",
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0),
) -> dict[str, Any]:
    plans = _plans(request)
    if province:
        plans = plans.filter(province_id=province)
    if status != "all":
        plans = plans.filter(status=status)
    page = list(plans[offset : offset + limit])
    return {"count": plans.count(), "items": [serializers.plan(p, tracking.plan_counts(p)) for p in page]}


@router.get("/{int:plan_id}", response={200: PlanDetailOut, 403: Error, 404: Error}, summary="Một kế hoạch")
@api_feature("plan.read")
def get_plan(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    p = get_object_or_404(_plans(request), pk=plan_id)
    return {
        **serializers.plan(p, tracking.plan_counts(p)),
        "place": p.place,
        "basis": [b if isinstance(b, dict) else {"text": str(b)} for b in p.basis],
        "targets": [
            {
                "text": t.text,
                "comparator": t.comparator,
                "value": float(t.value) if t.value is not None else None,
                "unit": t.unit,
                "year": t.year,
            }
            for t in p.targets.all()
        ],
        "reporting_duties": [
            {
                "frequency": d.frequency,
                "frequency_label": d.get_frequency_display(),
                "due": d.due,
                "to_agency": d.to_agency.name if d.to_agency else None,
                "to_text": d.to_text,
            }
            for d in p.reporting_duties.select_related("to_agency")
        ],
    }
