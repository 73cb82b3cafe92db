"""Demo personas shared by `seed_demo` (make run) and the test suite.

The population figures written here are illustrative (derived from each commune's area and
type, labelled as such); real figures are entered or imported by the Standing Office.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from access.roles import Role
from accounts.models import RoleAssignment, User
from agencies.models import Agency
from agencies.services import seed_standard_agencies
from geo.models import Commune, Population, Province
from geo.services import load_admin_units

DEMO_PROVINCE = "66"  # Đắk Lắk
DEMO_PASSWORD = "Pcmt@2026demo"
DEMO_COMMUNE = "24133"  # Phường Buôn Ma Thuột
DEMO_POPULATION_YEAR = 2025
DEMO_SOURCE = "Số liệu minh họa (không phải số liệu thống kê)"

# username, full name, role, scope: ("province"|"agency:<code>"|"commune"|"nation")
PERSONAS = [
    ("thuongtruc", "Nguyễn Văn Thường", Role.STANDING_OFFICE, "province"),
    ("syt", "Trần Thị Y", Role.AGENCY_OFFICER, "agency:SYT"),
    ("xa", "Lê Văn Xã", Role.COMMUNE_OFFICER, "commune"),
    ("hoso", "Phạm Thị Hồ Sơ", Role.CASE_OFFICER, "commune"),
    ("lanhdao", "Hoàng Văn Lãnh", Role.LEADER, "province"),
    ("c04", "Vũ Thị Quốc", Role.NATIONAL_VIEWER, "nation"),
    ("quantri", "Đỗ Văn Trị", Role.ADMIN, "nation"),
]


@dataclass
class SeedResult:
    province: Province
    agencies_created: int = 0
    populations_created: int = 0
    logins: list[tuple[str, str]] = field(default_factory=list)


def _illustrative_population(commune: Commune) -> int:
    density = {"phuong": 1800, "xa": 140, "dac_khu": 300}[commune.kind]
    area = float(commune.area_km2 or 50)
    return max(1500, int(area * density) // 10 * 10)


@transaction.atomic
def seed_demo(password: str = DEMO_PASSWORD) -> SeedResult:
    """Idempotent: re-running creates only what is missing and never resets passwords."""
    if not Province.objects.filter(code=DEMO_PROVINCE).exists():
        load_admin_units()
    province = Province.objects.get(code=DEMO_PROVINCE)
    result = SeedResult(province=province)
    result.agencies_created, _ = seed_standard_agencies(province)
    have = set(
        Population.objects.filter(commune__province=province, year=DEMO_POPULATION_YEAR).values_list(
            "commune_id", flat=True
        )
    )
    new = [
        Population(commune=c, year=DEMO_POPULATION_YEAR, population=_illustrative_population(c), source=DEMO_SOURCE)
        for c in Commune.objects.filter(province=province).exclude(code__in=have)
    ]
    Population.objects.bulk_create(new)
    result.populations_created = len(new)
    commune = Commune.objects.get(code=DEMO_COMMUNE)
    for username, full_name, role, scope in PERSONAS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                "province": None if scope == "nation" else province,
                "is_superuser": role == Role.ADMIN,
                "is_staff": role == Role.ADMIN,
            },
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        target = {"province": province if scope != "nation" else None}
        if scope.startswith("agency:"):
            target["agency"] = Agency.objects.get(province=province, code=scope.split(":", 1)[1])
        elif scope == "commune":
            target["commune"] = commune
        RoleAssignment.objects.get_or_create(user=user, role=role, **target, defaults={"approved_at": timezone.now()})
        result.logins.append((username, role.label))
    return result
