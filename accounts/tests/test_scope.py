import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts import services
from accounts.models import RoleAssignment, User
from accounts.roles import Role
from accounts.scope import get_scope
from agencies.models import Agency
from geo.models import Commune, Province


@pytest.mark.django_db
def test_scopes_follow_assignments(office_a, agency_a, commune_a, national):
    assert get_scope(office_a).provinces_for(Role.STANDING_OFFICE) == {"66"}
    assert get_scope(agency_a).agency_ids == {Agency.objects.get(province_id="66", code="SYT").pk}
    assert get_scope(commune_a).commune_codes == {"24133"}
    assert get_scope(national).sees_nation and not get_scope(national).is_admin


@pytest.mark.django_db
def test_for_user_querysets(office_a, commune_a, national, agency_a):
    assert Province.objects.for_user(office_a).count() == 1
    assert Province.objects.for_user(national).count() == 34
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
        services.assign_role(acting_user=office_a, user=commune_a, role=Role.COMMUNE_OFFICER,
                             commune=Commune.objects.get(code="24133"))


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
    assert "66" in get_scope(User.objects.get(pk=agency_a.pk)).provinces_for(Role.CASE_OFFICER)
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
    services.assign_role(acting_user=office_b, user=User.objects.get(username="thuongtruc_b"), role=Role.LEADER)
    RoleAssignment.objects.create(user=agency_a, role=Role.LEADER, province_id="33")
    assert not User.objects.for_user(office_a).filter(pk=agency_a.pk).exists()


def test_an_unknown_scoping_action_fails_closed():
    from accounts.scope import province_scoped

    with pytest.raises(ValueError):
        province_scoped(Agency.objects.none(), None, "edit")


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
