"""Provincial target writers re-check scope themselves: called directly (no view) by someone who
does not manage the province, they refuse and write nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from audit.models import AuditEvent
from geo.models import Province
from indicators.models import Indicator, Target
from indicators.services import delete_province_target, set_province_target

pytestmark = pytest.mark.django_db


def _state():
    return list(
        Target.objects.order_by("pk").values_list("pk", "province_id", "year", "comparator", "value")
    ), AuditEvent.objects.count()


def _set(user, province, value="90"):
    return set_province_target(
        acting_user=user,
        indicator=Indicator.objects.first(),
        province=province,
        year=2027,
        comparator=">=",
        value=Decimal(value),
    )


def test_the_provinces_office_sets_its_target(office_a):
    target = _set(office_a, Province.objects.get(code="66"))
    assert target.province_id == "66" and AuditEvent.objects.filter(action="target.create").exists()


@pytest.mark.parametrize("persona", ["office_b", "agency_a", "leader_a", "national"])
def test_someone_who_does_not_manage_the_province_cannot_set_its_target(request, persona):
    before = _state()
    with pytest.raises(PermissionDenied):
        _set(request.getfixturevalue(persona), Province.objects.get(code="66"))
    assert _state() == before


def test_an_existing_target_of_another_province_is_not_overwritten(office_a, office_b):
    _set(office_a, Province.objects.get(code="66"), value="90")
    before = _state()
    with pytest.raises(PermissionDenied):
        _set(office_b, Province.objects.get(code="66"), value="10")
    assert _state() == before


def test_the_service_never_writes_a_national_target(office_a):
    before = _state()
    with pytest.raises(PermissionDenied):
        _set(office_a, None)
    assert _state() == before


def test_someone_else_cannot_delete_a_provinces_target(office_a, office_b):
    target = _set(office_a, Province.objects.get(code="66"))
    before = _state()
    with pytest.raises(PermissionDenied):
        delete_province_target(acting_user=office_b, target=target)
    assert _state() == before
