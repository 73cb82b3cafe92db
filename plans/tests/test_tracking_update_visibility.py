"""Progress notes on a task shared by many units ("UBND cấp xã", "Các sở, ban, ngành"): until
per-unit task instances exist, a unit's note and its files are seen only by that unit and by the
province-wide roles (Standing Office, leader). The same rule on the page, the API and downloads."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from access.roles import Role
from accounts.models import RoleAssignment, User
from core.tests import samples
from geo.models import Commune
from plans.models import TaskAttachment, TaskUpdate
from plans.services import tracking
from plans.tests.builders import agency, make_plan, make_task

PDF = samples.PDF


def _officer(username, role, **scope):
    user = User.objects.create_user(username=username, password="Pcmt@2026demo", full_name=username)
    RoleAssignment.objects.create(user=user, role=role, province_id="66", approved_at=timezone.now(), **scope)
    return user


def _note(user, task, text, filename):
    task.refresh_from_db()
    update = tracking.record_progress(
        acting_user=user,
        task=task,
        version=task.version,
        on=tracking.today(),
        text=text,
        files=[SimpleUploadedFile(filename, PDF)],
    )
    return update, TaskAttachment.objects.get(update=update)


@pytest.fixture
def shared(db, commune_a, agency_a, office_a):
    """A task for every commune with notes by two communes and by the Standing Office; a task for
    every department with notes by Sở Y tế and by the police."""
    plan = make_plan()
    other_commune = (
        Commune.objects.filter(province_id="66").exclude(code=commune_a.role_assignments.get().commune_id).first()
    )
    w = {
        "communes": make_task(plan, lead="UBNDX", deadline=tracking.today() + datetime.timedelta(days=30)),
        "departments": make_task(plan, lead="SBN", deadline=tracking.today() + datetime.timedelta(days=30)),
        "other_commune": _officer("xa_khac", Role.COMMUNE_OFFICER, commune=other_commune),
        "police": _officer("cong_an", Role.AGENCY_OFFICER, agency=agency("CA")),
    }
    w["mine"], w["mine_file"] = _note(commune_a, w["communes"], "Xã của tôi đã tuyên truyền", "xa-toi.pdf")
    w["theirs"], w["theirs_file"] = _note(w["other_commune"], w["communes"], "Xã khác báo cáo riêng", "xa-khac.pdf")
    w["office"], _ = _note(office_a, w["communes"], "Cơ quan Thường trực nhắc các xã", "nhac.pdf")
    w["syt"], w["syt_file"] = _note(agency_a, w["departments"], "Sở Y tế đã làm", "syt.pdf")
    w["ca"], w["ca_file"] = _note(w["police"], w["departments"], "Công an đã làm", "ca.pdf")
    return w


def _visible(user, task):
    return set(TaskUpdate.objects.visible_to(user).filter(task=task).values_list("text", flat=True))


def test_a_commune_sees_its_own_notes_and_the_offices_not_another_communes(shared, commune_a):
    assert _visible(commune_a, shared["communes"]) == {"Xã của tôi đã tuyên truyền", "Cơ quan Thường trực nhắc các xã"}
    assert _visible(shared["other_commune"], shared["communes"]) == {
        "Xã khác báo cáo riêng",
        "Cơ quan Thường trực nhắc các xã",
    }


def test_an_agency_sees_only_its_own_notes_on_a_task_for_every_department(shared, agency_a):
    assert _visible(agency_a, shared["departments"]) == {"Sở Y tế đã làm"}
    assert _visible(shared["police"], shared["departments"]) == {"Công an đã làm"}


@pytest.mark.parametrize("persona", ["office_a", "leader_a"])
def test_province_wide_roles_see_every_units_notes(request, shared, persona):
    user = request.getfixturevalue(persona)
    assert len(_visible(user, shared["communes"])) == 3 and len(_visible(user, shared["departments"])) == 2


def test_outsiders_see_nothing(shared, office_b, commune_a, admin_user, national):
    assert not TaskUpdate.objects.visible_to(office_b).exists()
    assert (
        not TaskUpdate.objects.visible_to(admin_user).exists() and not TaskUpdate.objects.visible_to(national).exists()
    )
    assert not _visible(commune_a, shared["departments"])


def test_notes_on_an_ordinary_task_stay_visible_to_the_lead_and_the_cooperating_agency(db, agency_a):
    task = make_task(make_plan(), lead="CA", cooperating=["SYT"])
    police = _officer("cong_an", Role.AGENCY_OFFICER, agency=agency("CA"))
    tracking.record_progress(acting_user=police, task=task, version=1, on=tracking.today(), text="Công an chủ trì")
    tracking.record_contribution(acting_user=agency_a, task=task, on=tracking.today(), text="Sở Y tế phối hợp")
    assert _visible(agency_a, task) == _visible(police, task) == {"Công an chủ trì", "Sở Y tế phối hợp"}


def test_the_task_page_shows_a_commune_only_its_own_notes(login, shared):
    body = login("commune_a").get(reverse("plans:task_detail", args=[shared["communes"].pk])).content.decode()
    assert "Xã của tôi đã tuyên truyền" in body and "Cơ quan Thường trực nhắc các xã" in body
    assert "Xã khác báo cáo riêng" not in body and "xa-khac.pdf" not in body
    body = login("office_a").get(reverse("plans:task_detail", args=[shared["communes"].pk])).content.decode()
    assert "Xã khác báo cáo riêng" in body and "xa-khac.pdf" in body


def test_the_task_page_shows_an_agency_only_its_own_notes(login, shared):
    body = login("agency_a").get(reverse("plans:task_detail", args=[shared["departments"].pk])).content.decode()
    assert "Sở Y tế đã làm" in body and "Công an đã làm" not in body and "ca.pdf" not in body


def test_the_api_follows_the_same_rule(login, shared):
    data = login("commune_a").get(f"/api/tasks/{shared['communes'].pk}").json()
    assert {u["text"] for u in data["updates"]} == {"Xã của tôi đã tuyên truyền", "Cơ quan Thường trực nhắc các xã"}
    data = login("leader_a").get(f"/api/tasks/{shared['communes'].pk}").json()
    assert len(data["updates"]) == 3


@pytest.mark.parametrize(
    ("persona", "file", "status"),
    [
        ("commune_a", "mine_file", 200),
        ("commune_a", "theirs_file", 404),
        ("agency_a", "syt_file", 200),
        ("agency_a", "ca_file", 404),
        ("agency_a", "mine_file", 404),
        ("office_a", "theirs_file", 200),
        ("leader_a", "ca_file", 200),
        ("office_b", "mine_file", 404),
    ],
)
def test_attachment_downloads_follow_the_same_rule(login, shared, persona, file, status):
    assert login(persona).get(reverse("plans:attachment_download", args=[shared[file].pk])).status_code == status
