import datetime

import pytest
from django.utils import timezone

from access import features
from access.decorators import api_feature, feature_required
from access.policy import can, feature_for, reach
from access.roles import Role
from access.scope import get_scope
from accounts.models import RoleAssignment, User
from geo.models import Province
from plans.models import Plan, Task
from reporting.models import Submission


def test_an_unknown_feature_fails_at_import_time():
    with pytest.raises(features.UnknownFeature):
        feature_required("plans.read")
    with pytest.raises(features.UnknownFeature):
        api_feature("nothing")
    with pytest.raises(features.UnknownFeature):
        get_scope(None).reach("nothing")


def test_an_unknown_action_raises():
    from access.policy import UnknownAction

    with pytest.raises(UnknownAction, match="known: view, manage"):
        feature_for({"view": "plan.read", "manage": "plan.manage"}, "delete", "Plan")


def test_every_feature_has_a_label_and_known_roles():
    for f in features.FEATURES.values():
        assert f.label and f.roles and f.roles <= set(Role)


@pytest.mark.django_db
def test_the_administrator_holds_only_installation_features(admin_user):
    held = {key for key in features.FEATURES if can(admin_user, key)}
    assert held == {
        "account.manage",
        "role.grant",
        "role.approve",
        "reference.read",
        "catalogue.read",
        "catalogue.manage",  # the national catalogue of elements, breakdowns and forms (issue 11)
        "agency.read",
        "agency.manage",
        "commune.list",
        "commune.read",
        "population.manage",
        "legal.manage",
        "admin.site",
    }
    from plans.tests.builders import make_plan

    make_plan("66")
    assert Plan.objects.exists() and not Plan.objects.for_user(admin_user).exists()
    assert not Submission.objects.for_user(admin_user).exists()


@pytest.mark.django_db
def test_a_superuser_without_assignments_is_an_administrator_and_nothing_more():
    user = User.objects.create(username="root", is_superuser=True, is_staff=True)
    assert get_scope(user).roles == {Role.ADMIN}
    assert not can(user, "consolidation.read") and not can(user, "registry.read_named")


@pytest.mark.django_db
def test_the_national_monitor_reads_aggregates_not_unit_data(national):
    assert reach(national, "consolidation.read").nation
    assert not can(national, "submission.read") and not can(national, "task.read")
    assert not can(national, "account.contact") and not can(national, "registry.read_named")
    assert Province.objects.for_user(national, "consolidation.read").count() == 34
    assert Province.objects.for_user(national, "submission.read").count() == 0


@pytest.mark.django_db
def test_pending_and_expired_grants_give_nothing(office_a):
    user = User.objects.create(username="u1", province_id="66")
    a = RoleAssignment.objects.create(user=user, role=Role.LEADER, province_id="66")  # pending
    assert not can(User.objects.get(pk=user.pk), "plan.read")
    a.approved_at = timezone.now()
    a.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    a.save()
    assert not can(User.objects.get(pk=user.pk), "plan.read")
    RoleAssignment.objects.filter(pk=a.pk).update(valid_until=None)
    assert can(User.objects.get(pk=user.pk), "plan.read")


@pytest.mark.django_db
def test_a_unit_grant_reaches_its_unit_and_names_its_province(agency_a, commune_a, case_a):
    r = reach(agency_a, "task.update")
    assert r.agencies and not r.provinces and r.agency_provinces == {"66"} and not r.covers_province("66")
    assert reach(commune_a, "submission.enter").communes == {"24133"}
    # The case officer's commune grant opens no commune-officer feature.
    assert not can(case_a, "submission.enter") and not can(case_a, "area.read")
    assert reach(case_a, "registry.read_named").communes == {"24133"}


@pytest.mark.django_db
def test_inactive_users_reach_nothing(office_a):
    office_a.is_active = False
    assert not can(office_a, "plan.read")
    assert Task.objects.for_user(office_a).count() == 0
