"""Tasks given to an explicit list of units ("Sở Y tế, Sở Giáo dục và Đào tạo, Công an tỉnh", or
named communes): one share per listed unit, nobody else's; the review page turns a task into a
list and a point several agencies lead is pre-filled as one; and recurring tasks given to a
group: a share per unit per period, each of which can be late."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from access.roles import Role
from accounts.models import RoleAssignment, User
from geo.models import Commune
from plans.models import Recurrence, Task, TaskPeriod, TaskReminder, TaskStatus, TaskUnit, TaskUnitPeriod, TaskUpdate
from plans.services import drafts, imports, recurring, tracking, units
from plans.tests.builders import agency, make_plan, make_task
from plans.tests.test_import_support import make_draft

S = TaskStatus
pytestmark = pytest.mark.django_db


def _officer(username, *, agency_code=None, commune=None):
    user = User.objects.create_user(username=username, password="Pcmt@2026demo", full_name=username)
    role = Role.AGENCY_OFFICER if agency_code else Role.COMMUNE_OFFICER
    RoleAssignment.objects.create(
        user=user,
        role=role,
        province_id="66",
        agency=agency(agency_code) if agency_code else None,
        commune=commune,
        approved_at=timezone.now(),
    )
    return user


def _listed(*, agencies=(), communes=(), lead="SYT", **kw):
    task = make_task(make_plan(), lead=lead, units_listed=True, **kw)
    units.create_listed([(task, units.UnitList(tuple(agency(c).pk for c in agencies), tuple(communes)))])
    return task


def _report(user, task, **kw):
    task.refresh_from_db()
    return tracking.record_progress(
        acting_user=user, task=task, version=task.version, on=tracking.today(), text="Đã làm", **kw
    )


def test_a_task_given_to_three_agencies_has_a_share_for_each_and_no_one_else(agency_a, office_a, login):
    due = tracking.today() + datetime.timedelta(days=5)
    task = _listed(agencies=("SYT", "SGDDT", "CA"), deadline=due)
    police = _officer("ca1", agency_code="CA")
    justice = _officer("stp1", agency_code="STP")  # not on the list
    assert sorted(task.units.values_list("agency__code", flat=True)) == ["CA", "SGDDT", "SYT"]
    assert units.ensure_units([task]) == 0  # a list is not widened to every agency
    assert not Task.objects.for_user(justice).filter(pk=task.pk).exists()
    assert Task.objects.for_user(police, "update").filter(pk=task.pk).exists()

    # The first listed agency (the task's head) reports on its own share like the others.
    assert tracking.is_group_member(agency_a, task) and tracking.is_group_member(police, task)
    _report(agency_a, task, status=S.DONE)
    _report(police, task, percent=50)
    task.refresh_from_db()
    assert (task.status, task.progress) == (S.IN_PROGRESS, 50)  # (100 + 50 + 0) / 3
    summary = units.summary(task, TaskUnit.objects.for_user(office_a))
    assert (summary.reported, summary.total, summary.done) == (2, 3, 1)
    assert [u.agency.code for u in summary.behind] == ["SGDDT"]
    # Each reads its own share and notes only.
    assert list(TaskUnit.objects.for_user(police).filter(task=task).values_list("agency__code", flat=True)) == ["CA"]
    assert TaskUpdate.objects.visible_to(police).filter(task=task).count() == 1
    with pytest.raises(PermissionDenied):
        tracking.change_status(acting_user=agency_a, task=task, version=task.version, status=S.PAUSED, note="x")

    # An extension asked by one listed agency moves its share only.
    ext = tracking.request_extension(
        acting_user=police, task=task, new_deadline=due + datetime.timedelta(days=30), reason="Chờ số liệu"
    )
    tracking.decide_extension(acting_user=office_a, extension=ext, grant=True)
    assert TaskUnit.objects.get(task=task, agency__code="CA").due == due + datetime.timedelta(days=30)
    assert TaskUnit.objects.get(task=task, agency__code="SGDDT").due == due

    page = login("office_a").get(reverse("plans:task_detail", args=[task.pk])).content.decode()
    assert "Sở Y tế; Sở Giáo dục và Đào tạo; Công an tỉnh" in page and "2/3" in page


def test_the_matrix_counts_a_listed_share_in_each_agencys_row():
    late = tracking.today() - datetime.timedelta(days=1)
    task = _listed(agencies=("SYT", "SGDDT", "CA"), deadline=late)
    make_task(task.plan, lead="SYT", deadline=late)  # an ordinary task of Sở Y tế: added in its row
    rows = {r.label: r.counts for r in tracking.matrix(Task.objects.filter(plan=task.plan))}
    assert rows["Sở Y tế"].overdue == 2 and rows["Sở Y tế"].total == 2
    assert rows["Sở Giáo dục và Đào tạo"].overdue == 1 and rows["Công an tỉnh"].overdue == 1
    assert sum(r.total for r in rows.values()) == 4
    report = tracking.send_reminders()
    assert report.units_overdue == 3 and report.overdue == 1


def test_the_task_list_of_an_agency_includes_the_tasks_listing_it(login):
    task = _listed(agencies=("SYT", "SGDDT"))
    url = reverse("plans:task_list") + f"?province=66&agency={agency('SGDDT').pk}"
    page = login("office_a").get(url)
    assert task.text in page.content.decode()


def test_a_task_given_to_named_communes_reaches_those_communes_only(commune_a):
    mine = commune_a.role_assignments.get().commune
    other = Commune.objects.filter(province_id="66").exclude(code=mine.code).order_by("code").first()
    outsider = _officer("xa_ngoai", commune=Commune.objects.filter(province_id="66").order_by("-code").first())
    task = _listed(communes=(mine.code, other.code), lead="UBNDX")
    assert task.units.count() == 2 and units.ensure_units([task]) == 0
    assert Task.objects.for_user(commune_a, "update").filter(pk=task.pk).exists()
    assert not Task.objects.for_user(outsider).filter(pk=task.pk).exists()
    _report(commune_a, task, status=S.DONE)
    assert TaskUnit.objects.get(task=task, commune=mine).status == S.DONE
    assert Task.objects.get(pk=task.pk).status == S.IN_PROGRESS


def test_the_review_turns_a_task_into_a_list_and_prefills_a_point_several_agencies_lead():
    catalogue = drafts.Catalogue.for_province("66")
    commune = Commune.objects.filter(province_id="66").order_by("code").first()
    extraction = {
        "schema": "plan-extract/1",
        "meta": {"number": "20/KH-UBND", "date": "2026-03-10", "title": "Kế hoạch", "period": None},
        "assignments": [
            {
                "agencies": ["Sở Y tế", "Sở Giáo dục và Đào tạo"],
                "requested": False,
                "section": "II.1",
                "tasks": [
                    {"text": "Chủ trì tổ chức khám sàng lọc cho học sinh", "role": "lead"},
                    {"text": "Tuyên truyền trong trường học", "role": "perform"},
                ],
            }
        ],
    }
    data = drafts.prepare_draft(extraction, catalogue)
    block = data["assignments"][0]
    lead_task, perform_task = block["tasks"]
    planned = drafts.planned_tasks(block, lead_task, catalogue)
    assert len(planned) == 1 and drafts.planned_count(block, lead_task) == 1
    assert [catalogue.name(a) for a in planned[0].agencies] == ["Sở Y tế", "Sở Giáo dục và Đào tạo"]
    assert len(drafts.planned_tasks(block, perform_task, catalogue)) == 2  # one per agency, as before

    values = {"text": "Tuyên truyền", "role": "perform", "recurrence": ""}
    drafts.set_task(
        data, 0, 1, values | {"units": f"Công an tỉnh; Sở Tư pháp, Sở Nội vụ; {commune.name}"}, catalogue, []
    )
    planned = drafts.planned_tasks(block, block["tasks"][1], catalogue)
    assert [catalogue.name(a) for a in planned[0].agencies] == ["Công an tỉnh", "Sở Tư pháp", "Sở Nội vụ"]
    assert planned[0].communes == (commune.code,) and planned[0].lead == agency("CA").pk
    assert drafts.format_units(block["tasks"][1], catalogue).startswith("Công an tỉnh; Sở Tư pháp; Sở Nội vụ; ")
    for wrong, message in (("Sở Không Có; Công an tỉnh", "Sở Không Có"), ("Công an tỉnh", "ít nhất 2")):
        with pytest.raises(drafts.EditError) as err:
            drafts.set_task(data, 0, 1, values | {"units": wrong}, catalogue, [])
        assert message in err.value.errors["units"]
    drafts.set_task(data, 0, 1, values | {"units": ""}, catalogue, [])  # emptied: no longer a list
    assert len(drafts.planned_tasks(block, block["tasks"][1], catalogue)) == 2


def test_confirming_a_draft_creates_the_listed_shares(office_a):
    text = """ỦY BAN NHÂN DÂN
TỈNH ĐẮK LẮK
Số: 31/KH-UBND
Đắk Lắk, ngày 10 tháng 3 năm 2026

KẾ HOẠCH
Phòng, chống ma túy trong trường học năm 2026

II. TỔ CHỨC THỰC HIỆN
1. Tổ chức khám sàng lọc cho học sinh, sinh viên (giao Sở Y tế, Sở Giáo dục và Đào tạo chủ trì, phối hợp với Công an tỉnh; hoàn thành trong tháng 9/2026).
"""
    draft = make_draft(content=text.encode(), extraction=None, name="truong-hoc.txt")
    plan = imports.confirm_import(acting_user=office_a, draft=draft, version=draft.version)
    task = plan.tasks.get()
    assert task.units_listed and task.lead_agency.code == "SYT"
    assert sorted(task.units.values_list("agency__code", flat=True)) == ["SGDDT", "SYT"]
    assert [a.code for a in task.cooperating.all()] == ["CA"]
    assert task.deadline == datetime.date(2026, 9, 30)


def test_a_recurring_task_given_to_communes_has_a_share_per_unit_per_period(commune_a):
    mine = commune_a.role_assignments.get().commune
    other = Commune.objects.filter(province_id="66").exclude(code=mine.code).order_by("code").first()
    other_officer = _officer("xa_khac", commune=other)
    plan = make_plan()
    plan.issued_on, plan.period_start, plan.period_end = datetime.date(2026, 1, 1), 2026, 2026
    plan.save()
    task = make_task(plan, lead="UBNDX", recurrence=Recurrence.QUARTERLY, units_listed=True)
    units.create_listed([(task, units.UnitList((), (mine.code, other.code)))])
    recurring.ensure_periods([task])
    assert TaskPeriod.objects.filter(task=task).count() == 4
    assert TaskUnitPeriod.objects.filter(unit__task=task).count() == 8
    assert recurring.ensure_unit_periods([task]) == 0  # nothing twice
    q1, q2 = datetime.date(2026, 3, 31), datetime.date(2026, 6, 30)
    assert set(TaskUnit.objects.filter(task=task).values_list("deadline", flat=True)) == {q1}
    # Both communes are late on Q1 (past): the matrix counts two late shares, each is reminded.
    rows = {r.label: r.counts for r in tracking.matrix(Task.objects.filter(pk=task.pk))}
    assert rows["UBND cấp xã"].overdue == 2
    assert tracking.send_reminders().units_overdue == 2

    _report(commune_a, task, status=S.DONE, completed_on=datetime.date(2026, 3, 20))
    share = TaskUnit.objects.get(task=task, commune=mine)
    assert (share.status, share.deadline) == (S.IN_PROGRESS, q2)  # on to its next period
    assert TaskUnit.objects.get(task=task, commune=other).due == q1
    task.refresh_from_db()
    assert task.deadline == q1  # the period is open until every commune has finished it
    on = datetime.date(2026, 5, 1)
    summary = units.summary(task, TaskUnit.objects.filter(task=task), on)
    assert (summary.periods, summary.periods_done, summary.periods_late) == (8, 1, 1)  # the other commune's Q1
    assert [u.commune_id for u in summary.behind if u.due < on] == [other.code]

    _report(other_officer, task, status=S.DONE, completed_on=datetime.date(2026, 4, 2))
    task.refresh_from_db()
    first = TaskPeriod.objects.get(task=task, deadline=q1)
    assert first.completed_on == datetime.date(2026, 4, 2) and task.deadline == q2
    # A new period, a new deadline: each commune is reminded again for Q2.
    assert tracking.send_reminders().units_overdue == 2
    assert TaskReminder.objects.filter(task=task, deadline=q2).count() == 2


def test_each_point_several_agencies_lead_becomes_one_listed_task():
    """The extractor's blocks for points led jointly, whatever the wording, map to one task each
    given to the list; a block naming groups ("Các sở, ban, ngành", "các địa phương") is not a list."""
    from plans.extractor import extract_file
    from plans.tests.test_extractor_plans import FIXTURES

    catalogue = drafts.Catalogue.for_province("66")
    data = drafts.prepare_draft(extract_file(FIXTURES / "joint_lead_plan.txt"), catalogue)
    shapes = []
    for block in data["assignments"]:
        (task,) = block["tasks"]
        planned = drafts.planned_tasks(block, task, catalogue)
        shapes.append((block["section"], len(planned), len(planned[0].agencies), len(planned[0].communes)))
    assert shapes == [
        ("II.1.a", 1, 2, 0),
        ("II.1.b", 1, 2, 0),
        ("II.2.a", 1, 2, 0),
        ("II.2.b", 1, 2, 0),
        ("II.2.c", 1, 0, 2),  # "giao UBND xã Ea Ly, UBND phường Tân Lập chủ trì": two communes
        ("III", 2, 0, 0),
    ]
    communes = data["assignments"][4]
    assert drafts.planned_tasks(communes, communes["tasks"][0], catalogue)[0].lead == agency("UBNDX").pk
    assert not [p for p in drafts.check_draft(data, catalogue, []) if p.blocking and "II.2.c" in p.message]


def test_a_block_naming_one_commune_is_that_communes_task_and_needs_a_list_otherwise():
    catalogue = drafts.Catalogue.for_province("66")
    commune = Commune.objects.filter(province_id="66", name__startswith="Xã").order_by("code").first()
    extraction = {
        "meta": {"title": "Kế hoạch"},
        "assignments": [
            {
                "agencies": [f"Ủy ban nhân dân {commune.name.lower()}"],
                "section": "II.1",
                "tasks": [{"text": "Tổ chức cai nghiện ma túy tại gia đình", "role": "perform"}],
            }
        ],
    }
    data = drafts.prepare_draft(extraction, catalogue)
    block = data["assignments"][0]
    (planned,) = drafts.planned_tasks(block, block["tasks"][0], catalogue)
    assert planned.communes == (commune.code,) and planned.lead == agency("UBNDX").pk
    assert not [p for p in drafts.check_draft(data, catalogue, []) if p.blocking]
    values = {"text": "Tổ chức cai nghiện", "role": "perform", "recurrence": "", "units": ""}
    drafts.set_task(data, 0, 0, values, catalogue, [])  # the list emptied: the commune leads nothing
    assert [p for p in drafts.check_draft(data, catalogue, []) if p.blocking]
