"""Fixtures of the registry's tests: case officers of other scopes and persons built through services."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.utils import timezone

from conftest import COMMUNE_A, PROVINCE_A, PROVINCE_B

_serial = itertools.count(100001)
OLD_PROVINCE_CODE = {PROVINCE_A: "066", PROVINCE_B: "033"}


def cccd_for(birth: datetime.date, sex: str, province: str = PROVINCE_A, serial: int | None = None) -> str:
    """A well-formed CCCD: old province code, sex/century digit, birth year, serial."""
    century = 0 if birth.year < 2000 else 2
    digit = century + (0 if sex == "M" else 1)
    return f"{OLD_PROVINCE_CODE.get(province, '066')}{digit}{birth.year % 100:02d}{serial or next(_serial):06d}"


def make_user(username: str, role: str, *, province: str, commune: str | None = None, agency=None):
    from accounts.models import RoleAssignment, User

    user, _ = User.objects.get_or_create(username=username, defaults={"full_name": username, "province_id": province})
    RoleAssignment.objects.get_or_create(
        user=user,
        role=role,
        province_id=province,
        commune_id=commune,
        agency=agency,
        defaults={"approved_at": timezone.now()},
    )
    return User.objects.get(pk=user.pk)


@pytest.fixture
def ward_other(db):
    from geo.models import Commune

    return Commune.objects.filter(province_id=PROVINCE_A).exclude(code=COMMUNE_A).order_by("code").first()


@pytest.fixture
def ward_a(db):
    from geo.models import Commune

    return Commune.objects.get(code=COMMUNE_A)


@pytest.fixture
def ward_b(db):
    from geo.models import Commune

    return Commune.objects.filter(province_id=PROVINCE_B).order_by("code").first()


@pytest.fixture
def case_other(db, ward_other):
    from access.roles import Role

    return make_user("hoso_xa2", Role.CASE_OFFICER, province=PROVINCE_A, commune=ward_other.code)


@pytest.fixture
def case_province(db):
    from access.roles import Role

    return make_user("hoso_tinh", Role.CASE_OFFICER, province=PROVINCE_A)


@pytest.fixture
def case_b(db, ward_b):
    from access.roles import Role

    return make_user("hoso_b", Role.CASE_OFFICER, province=PROVINCE_B, commune=ward_b.code)


@pytest.fixture
def facility(db):
    from agencies.models import Agency

    return Agency.objects.filter(province_id=PROVINCE_A).order_by("pk").first()


@pytest.fixture
def case_facility(db, facility):
    from access.roles import Role

    return make_user("hoso_coso", Role.CASE_OFFICER, province=PROVINCE_A, agency=facility)


@pytest.fixture
def new_person(db):
    from cases.services.persons import create_person

    def make(commune, name="Nguyễn Văn Thử", birth=datetime.date(1990, 5, 17), sex="M", **extra):
        fields = {"full_name": name, "birth_date": birth, "sex": sex, "commune": commune, **extra}
        if "cccd" not in fields and "no_cccd_reason" not in fields:
            fields["cccd"] = cccd_for(birth, sex, commune.province_id)
        return create_person(None, **fields)

    return make


@pytest.fixture
def person_a(new_person, ward_a):
    return new_person(ward_a, address="12 Lê Duẩn", phone="0905123456")
