"""Builders for area tests: state is made through the services, like a user would."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from areas import services
from areas.models import CommuneAssessment
from geo.models import Commune

YEAR = 2026
A, B = "24133", "24169"  # two communes of Đắk Lắk (66)

# Population 10.000: 0,5% = 50 people, 0,1% = 10, 0,05% = 5.
CLEAN = {
    "population": 10_000,
    "users_with_records": 0,
    "points": 0,
    "arrested": 0,
    "plants": 0,
    "area_m2": Decimal("0"),
    "on_route": False,
    "residents_using": 0,
    "residents_violating": 0,
    "fugitives": 0,
}
TYPE_I = {
    **CLEAN,
    "users_with_records": 50,
    "points": 2,
    "arrested": 10,
    "residents_using": 20,
    "residents_violating": 3,
}
TYPE_III = {**CLEAN, "users_with_records": 3, "residents_using": 1}
NOTES = {name: "Công an xã, số liệu đến 14/12" for name in CLEAN}


def commune(code: str = A) -> Commune:
    return Commune.objects.get(code=code)


def draft(
    user: Any, code: str = A, year: int = YEAR, figures: dict[str, Any] | None = None, **kw: Any
) -> CommuneAssessment:
    return services.save_self_assessment(
        acting_user=user,
        commune=commune(code),
        year=year,
        figures=CLEAN if figures is None else figures,
        notes=NOTES,
        **kw,
    )


def submitted(user: Any, **kw: Any) -> CommuneAssessment:
    return services.submit_assessment(acting_user=user, assessment=draft(user, **kw))


def forwarded(commune_user: Any, office: Any, **kw: Any) -> CommuneAssessment:
    return services.forward_assessment(acting_user=office, assessment=submitted(commune_user, **kw))


def approved(commune_user: Any, office: Any, klass: str | None = None, **kw: Any) -> CommuneAssessment:
    obj = forwarded(commune_user, office, **kw)
    return services.approve_assessment(
        acting_user=office,
        assessment=obj,
        decision_number="123/QĐ-UBND",
        decision_date=timezone.localdate(),
        approved_class=klass,
        note="Theo kết luận của UBND tỉnh" if klass and klass != obj.proposed_class else "",
    )
