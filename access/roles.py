"""The roles of DESIGN.md §2 and the kind of scope each one is held over."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    STANDING_OFFICE = "standing_office", "Cán bộ Cơ quan Thường trực"
    AGENCY_OFFICER = "agency_officer", "Cán bộ đầu mối sở, ngành"
    COMMUNE_OFFICER = "commune_officer", "Cán bộ cấp xã"
    CASE_OFFICER = "case_officer", "Cán bộ quản lý hồ sơ"
    LEADER = "leader", "Lãnh đạo tỉnh"
    NATIONAL_VIEWER = "national_viewer", "Cán bộ theo dõi toàn quốc (C04)"
    ADMIN = "admin", "Quản trị hệ thống"


class ScopeKind(models.TextChoices):
    NATION = "nation", "Toàn quốc"
    PROVINCE = "province", "Tỉnh"
    AGENCY = "agency", "Cơ quan, đơn vị"
    COMMUNE = "commune", "Xã, phường, đặc khu"


# Which scopes each role may be held over.
ALLOWED_SCOPES: dict[str, tuple[str, ...]] = {
    Role.STANDING_OFFICE: (ScopeKind.PROVINCE,),
    Role.AGENCY_OFFICER: (ScopeKind.AGENCY,),
    Role.COMMUNE_OFFICER: (ScopeKind.COMMUNE,),
    Role.CASE_OFFICER: (
        ScopeKind.COMMUNE,
        ScopeKind.PROVINCE,
        ScopeKind.AGENCY,
    ),  # agency: a rehab or methadone facility
    Role.LEADER: (ScopeKind.PROVINCE,),
    Role.NATIONAL_VIEWER: (ScopeKind.NATION,),
    Role.ADMIN: (ScopeKind.NATION,),
}

# Roles a Standing Office officer may hand out inside their province.
PROVINCE_GRANTABLE: tuple[Role, ...] = (
    Role.STANDING_OFFICE,
    Role.AGENCY_OFFICER,
    Role.COMMUNE_OFFICER,
    Role.CASE_OFFICER,
    Role.LEADER,
)

# Roles whose holders must pass a second factor at sign-in (they reach personal data).
TWO_FACTOR_ROLES: frozenset[str] = frozenset({Role.CASE_OFFICER})


def needs_second_approver(role: str, scope_kind: str) -> bool:
    """A grant over a whole province (or the nation), and any case role, takes effect only once a
    second officer, neither the grantor nor the grantee, has approved it."""
    return scope_kind in (ScopeKind.PROVINCE, ScopeKind.NATION) or role == Role.CASE_OFFICER
