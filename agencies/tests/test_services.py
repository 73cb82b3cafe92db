"""The agency writer re-checks scope itself, for a new agency as for an edited one."""

import pytest
from django.core.exceptions import PermissionDenied

from agencies.catalogue import Kind
from agencies.models import Agency
from agencies.services import save_agency
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db
DATA = {"code": "BQLDA", "name": "Ban Quản lý dự án", "short_name": "BQLDA", "kind": Kind.OTHER}


def test_the_office_creates_an_agency_in_its_province(office_a):
    agency = save_agency(acting_user=office_a, agency=Agency(province_id="66"), data=DATA)
    assert agency.pk and AuditEvent.objects.filter(action="agency.create", object_id=str(agency.pk)).exists()


@pytest.mark.parametrize("persona", ["office_b", "agency_a", "leader_a"])
def test_no_one_else_creates_an_agency_in_the_province(request, persona):
    before = Agency.objects.count(), AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        save_agency(acting_user=request.getfixturevalue(persona), agency=Agency(province_id="66"), data=DATA)
    assert (Agency.objects.count(), AuditEvent.objects.count()) == before
