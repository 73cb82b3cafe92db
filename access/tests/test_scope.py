import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from access.policy import UnknownAction, reach
from access.roles import Role
from accounts import services
from accounts.models import RoleAssignment, User
from agencies.models import Agency
from geo.models import Commune, Province
from reporting.models import Submission


@pytest.mark.django_db
def test_scopes_follow_assignments(office_a, agency_a, commune_a, national, admin_user):
    assert reach(office_a, "plan.manage").provinces == {"66"}
    assert reach(agency_a, "task.mine").agencies == {Agency.objects.get(province_id="66", code="SYT").pk}
    assert reach(commune_a, "task.mine").communes == {"24133"}
    assert reach(national, "consolidation.read").nation and not reach(national, "account.manage")
    assert reach(admin_user, "account.manage").nation and not reach(admin_user, "consolidation.read")


@pytest.mark.django_db
def test_for_user_querysets(office_a, commune_a, national, agency_a):
    assert Province.objects.for_user(office_a, "plan.read").count() == 1
    assert Province.objects.for_user(national, "plan.read").count() == 34
    assert Commune.objects.for_user(commune_a).count() == 1
    assert Commune.objects.for_user(office_a, "edit").count() == 102
    assert Commune.objects.for_user(agency_a, "edit").count() == 0
    assert set(Agency.objects.for_user(agency_a).values_list("province_id", flat=True)) == {"66"}
    assert Agency.objects.for_user(agency_a, "manage").count() == 0
    assert User.objects.for_user(agency_a).count() == 0


@pytest.mark.django_db
def test_an_inactive_user_sees_nothing(office_a):
    office_a.is_active = False
    assert Commune.objects.for_user(office_a).count() == 0


@pytest.mark.django_db
def test_a_role_scope_must_match_its_kind(office_a, agency_a):
    with pytest.raises(ValidationError, match="chỉ được giao theo phạm vi"):
        services.assign_role(acting_user=office_a, user=agency_a, role=Role.COMMUNE_OFFICER)


@pytest.mark.django_db
def test_the_same_assignment_twice_is_refused(office_a, commune_a):
    with pytest.raises(ValidationError, match="đã có vai trò"):
        services.assign_role(
            acting_user=office_a, user=commune_a, role=Role.COMMUNE_OFFICER, commune=Commune.objects.get(code="24133")
        )


@pytest.mark.django_db
def test_an_office_cannot_manage_users_of_another_province(office_b, agency_a):
    with pytest.raises(PermissionDenied):
        services.set_active(acting_user=office_b, user=agency_a, active=False)
    with pytest.raises(PermissionDenied):
        services.assign_role(acting_user=office_b, user=agency_a, role=Role.LEADER)


@pytest.mark.django_db
def test_a_case_officer_may_hold_a_province_scope(office_a, agency_a):
    a = services.assign_role(acting_user=office_a, user=agency_a, role=Role.CASE_OFFICER)
    assert a.province_id == "66" and a.commune_id is None
    assert a.is_pending  # a province-wide case role waits for a second approver
    assert RoleAssignment.objects.filter(user=agency_a).count() == 2


@pytest.mark.django_db
def test_an_office_never_manages_administrators_or_national_accounts(office_a, national, admin_user):
    from geo.models import Province

    # Even when such an account carries the province as its home.
    User.objects.filter(pk__in=[national.pk, admin_user.pk]).update(province=Province.objects.get(code="66"))
    managed = set(User.objects.for_user(office_a).values_list("username", flat=True))
    assert "c04" not in managed and "quantri" not in managed and "syt" in managed


@pytest.mark.django_db
def test_an_office_does_not_manage_someone_who_also_holds_a_role_elsewhere(office_a, office_b, agency_a):
    RoleAssignment.objects.create(user=agency_a, role=Role.LEADER, province_id="33", approved_at=timezone.now())
    assert not User.objects.for_user(office_a).filter(pk=agency_a.pk).exists()


def test_an_unknown_scoping_action_raises():
    with pytest.raises(UnknownAction):
        Agency.objects.for_user(None, "edit")
    with pytest.raises(UnknownAction):
        Submission.objects.for_user(None, "update")


@pytest.mark.django_db
def test_services_refuse_out_of_scope_objects_even_without_a_view(office_b, agency_a):
    from django.core.exceptions import PermissionDenied

    from agencies.services import save_agency
    from geo.services import set_population

    with pytest.raises(PermissionDenied):
        set_population(acting_user=office_b, commune=Commune.objects.get(code="24133"), year=2030, population=1)
    with pytest.raises(PermissionDenied):
        save_agency(acting_user=agency_a, agency=Agency.objects.get(province_id="66", code="SYT"), data={"name": "X"})
    assert Agency.objects.get(province_id="66", code="SYT").name == "Sở Y tế"
