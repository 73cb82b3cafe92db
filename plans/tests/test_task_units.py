"""Tasks given to a group tracked unit by unit: each commune / agency has its own progress,
status, deadline (extensions) and notes; the task shows x/N reported and rolls the units up;
the matrix and the reminders count units."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from access.roles import Role
from accounts.models import RoleAssignment, User
from geo.models import Commune
from notices.models import Notification
from plans.models import DeadlineExtension, Task, TaskReminder, TaskStatus, TaskUnit, TaskUpdate
from plans.services import tracking, units
from plans.tests.builders import make_plan, make_task

S = TaskStatus


def _commune_officer(username, commune):
    user = User.objects.create_user(username=username, password="Pcmt@2026demo", full_name=username)
    RoleAssignment.objects.create(
        user=user, role=Role.COMMUNE_OFFICER, province_id="66", commune=commune, approved_at=timezone.now()
    )
    return user


@pytest.fixture
def group(db, commune_a, office_a):
    task = make_task(make_plan(), lead="UBNDX", deadline=tracking.today() + datetime.timedelta(days=3))
    mine = commune_a.role_assignments.get().commune_id
    others = list(Commune.objects.filter(province_id="66").exclude(code=mine).order_by("code")[:2])
    return {
        "task": task,
        "mine": mine,
        "others": others,
        "officers": [_commune_officer(f"xa{i}", c) for i, c in enumerate(others)],
    }


def _report(user, task, **kw):
    task.refresh_from_db()
    return tracking.record_progress(
        acting_user=user, task=task, version=task.version, on=tracking.today(), text="Đã làm", **kw
    )


def test_three_communes_report_and_the_task_shows_who_is_behind(group, commune_a, office_a, login):
    task = group["task"]
    _report(commune_a, task, percent=40)
    for officer in group["officers"]:
        _report(officer, task, status=S.DONE)
    summary = units.summary(task, TaskUnit.objects.for_user(office_a))
    assert (summary.reported, summary.total, summary.done) == (3, task.units.count(), 2)
    assert len(summary.behind) == summary.total - 3  # not yet reported (the 40 % one is not late)
    page = login("office_a").get(reverse("plans:task_detail", args=[task.pk]))
    assert f"3/{summary.total}" in page.content.decode()
    assert page.context["unit_summary"].reported == 3


def test_a_commune_sees_only_its_own_unit(group, commune_a, login):
    task = group["task"]
    _report(group["officers"][0], task, percent=10)
    _report(commune_a, task, percent=20)
    assert list(TaskUnit.objects.for_user(commune_a).filter(task=task).values_list("commune_id", flat=True)) == [
        group["mine"]
    ]
    page = login("commune_a").get(reverse("plans:task_detail", args=[task.pk]))
    assert page.context["own_unit"].commune_id == group["mine"]
    texts = {u.text for u in page.context["updates"]}
    assert texts == {"Đã làm"} and len(page.context["updates"]) == 1  # not the other commune's note


def test_a_communes_extension_moves_its_own_deadline_only(group, commune_a, office_a):
    task = group["task"]
    new = task.deadline + datetime.timedelta(days=20)
    ext = tracking.request_extension(acting_user=commune_a, task=task, new_deadline=new, reason="Mưa lũ")
    assert ext.unit.commune_id == group["mine"] and ext.old_deadline == task.deadline
    # Another commune may ask at the same time: the pending check is per unit.
    other = tracking.request_extension(
        acting_user=group["officers"][0], task=task, new_deadline=new, reason="Thiếu người"
    )
    tracking.decide_extension(acting_user=office_a, extension=ext, grant=True)
    task.refresh_from_db()
    unit = TaskUnit.objects.get(pk=ext.unit_id)
    assert unit.deadline == new and unit.original_deadline == task.deadline
    assert task.deadline == new - datetime.timedelta(days=20)  # the task keeps its deadline
    assert TaskUnit.objects.exclude(pk=unit.pk).filter(task=task, deadline__isnull=False).count() == 0
    assert DeadlineExtension.objects.get(pk=other.pk).status == DeadlineExtension.Status.PENDING
    with pytest.raises(ValidationError):
        tracking.request_extension(acting_user=commune_a, task=task, new_deadline=new, reason="Lại")


def test_the_matrix_and_reminders_count_units(group, commune_a, office_a):
    task = group["task"]
    Task.objects.filter(pk=task.pk).update(deadline=tracking.today() - datetime.timedelta(days=1))
    task.refresh_from_db()
    mine = task.units.get(commune_id=group["mine"])
    mine.deadline = tracking.today() + datetime.timedelta(days=30)  # extended: not late
    mine.save()
    _report(group["officers"][0], task, status=S.DONE)
    rows = {r.label: r.counts for r in tracking.matrix(Task.objects.filter(pk=task.pk))}
    n = task.units.count()
    assert rows["UBND cấp xã"].total == n
    assert rows["UBND cấp xã"].overdue == n - 2 and rows["UBND cấp xã"].ongoing == 1
    report = tracking.send_reminders()
    assert report.units_overdue == n - 2 and report.overdue == 0
    # Each commune officer is told about their own commune only; the extended one is not reminded.
    assert not Notification.objects.filter(user=commune_a).exists()
    assert Notification.objects.filter(user=group["officers"][1]).count() == 1
    assert TaskReminder.objects.filter(unit__isnull=False).count() == n - 2
    assert tracking.send_reminders().units_overdue == 0  # once per unit, event and deadline


def test_import_creates_one_unit_per_commune(db):
    plan = make_plan()
    task = Task.objects.create(plan=plan, province_id="66", text="x", lead_agency=units_lead("UBNDX"))
    assert units.ensure_units([task]) == Commune.objects.filter(province_id="66").count()
    assert units.ensure_units([task]) == 0  # idempotent


def units_lead(code):
    from plans.tests.builders import agency

    return agency(code)


def test_the_data_migration_gives_existing_group_tasks_their_units(db, commune_a):
    import importlib

    migration = importlib.import_module("plans.migrations.0004_task_units_data")
    plan = make_plan()
    task = Task.objects.create(plan=plan, province_id="66", text="x", lead_agency=units_lead("SBN"))
    sbn_task_units = TaskUnit.objects.filter(task=task)
    assert not sbn_task_units.exists()
    commune_task = Task.objects.create(plan=plan, province_id="66", text="y", lead_agency=units_lead("UBNDX"))
    mine = commune_a.role_assignments.get().commune_id
    note = TaskUpdate.objects.create(
        task=commune_task, commune_id=mine, on=tracking.today(), text="Đã làm", percent=60, author=commune_a
    )
    migration.forwards(apps, None)
    assert sbn_task_units.count() > 1
    unit = TaskUnit.objects.get(task=commune_task, commune_id=mine)
    note.refresh_from_db()
    assert note.unit == unit and (unit.progress, unit.status, unit.reported_on) == (60, S.IN_PROGRESS, tracking.today())


def test_guidance_reaches_every_waiting_unit_and_the_office_only_adds_a_note(db, office_a, commune_a):
    task = make_task(make_plan(), lead="UBNDX", status=S.WAITING_GUIDANCE, condition="sau khi có hướng dẫn")
    assert set(task.units.values_list("status", flat=True)) == {S.WAITING_GUIDANCE}
    tracking.record_guidance(
        acting_user=office_a, task=task, version=task.version, received_on=tracking.today(), document="CV 12/BCA"
    )
    assert set(task.units.values_list("status", "guidance_note")) == {(S.NOT_STARTED, "CV 12/BCA")}
    task.refresh_from_db()
    _report(commune_a, task, percent=60)
    task.refresh_from_db()
    progress = task.progress
    tracking.record_progress(
        acting_user=office_a,
        task=task,
        version=task.version,
        on=tracking.today(),
        text="Nhắc các xã",
        percent=100,
        status=S.DONE,
    )
    task.refresh_from_db()
    assert task.progress == progress and task.status == S.IN_PROGRESS  # the units make the task's progress


def test_the_api_gives_the_units_and_hides_other_communes_requests(group, commune_a, office_a, login):
    task = group["task"]
    new = task.deadline + datetime.timedelta(days=10)
    tracking.request_extension(acting_user=group["officers"][0], task=task, new_deadline=new, reason="Lý do riêng")
    _report(commune_a, task, percent=10)
    mine = login("commune_a").get(f"/api/tasks/{task.pk}").json()
    assert mine["extensions"] == [] and mine["units"]["reported"] == 1
    office = login("office_a").get(f"/api/tasks/{task.pk}").json()
    assert len(office["extensions"]) == 1 and office["units"]["total"] == task.units.count()
