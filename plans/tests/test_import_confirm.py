"""Confirming a reviewed draft: one transaction creating the plan, its tasks, targets and duties."""

import pytest
from django.db import DatabaseError
from django.urls import reverse

from accounts.models import User
from audit.models import AuditEvent
from plans.models import Plan, PlanImport, PlanTarget, ReportingDuty, Task, TaskStatus
from plans.services import drafts, imports
from plans.tests.test_import_support import PLAN_TEXT, agency, edit, make_draft, ready

pytestmark = pytest.mark.django_db


def office():
    return User.objects.get(username="thuongtruc")


def counts():
    return (
        Plan.objects.count(),
        Task.objects.count(),
        PlanTarget.objects.count(),
        ReportingDuty.objects.count(),
        Task.cooperating.through.objects.count(),
        Task.projects.through.objects.count(),
    )


def confirm(draft):
    return imports.confirm_import(acting_user=office(), draft=draft, version=draft.version)


def test_confirm_creates_the_plan_its_tasks_targets_and_duties():
    draft = ready(make_draft())
    plan = confirm(draft)
    assert (plan.number, plan.issued_on.isoformat(), plan.place, plan.period_start, plan.period_end) == (
        "15/KH-UBND",
        "2026-03-10",
        "Đắk Lắk",
        2026,
        2026,
    )
    assert plan.title == "Thực hiện công tác phòng, chống ma túy năm 2026" and plan.province_id == "66"
    assert plan.source_sha256 == draft.source_sha256 and plan.source_name == "ke-hoach.txt"
    with plan.source_file.open("rb") as fh, draft.source_file.open("rb") as original:
        assert fh.read() == original.read()
    # II.1: 1 task; II.2: 2 tasks; II.3: 1 task for 2 agencies → 2; II.4 skipped.
    assert plan.tasks.count() == 5
    target = plan.targets.get()
    assert (target.comparator, target.value, target.unit, target.year) == (">=", 50, "%", 2030)
    assert list(plan.reporting_duties.values_list("frequency", "due", "to_agency__code")) == [
        ("once", "2026-12-15", "CA"),
        ("quarterly", "15 of last month of quarter", "CA"),
    ]
    draft.refresh_from_db()
    assert draft.status == PlanImport.Status.CONFIRMED and draft.plan == plan
    assert plan.extraction["schema"] == "plan-extract/1" and "review" not in plan.extraction
    actions = set(AuditEvent.objects.filter(province_code="66").values_list("action", flat=True))
    assert {"plan.import", "plan_import.confirm"} <= actions


def test_one_task_per_block_agency_and_the_lead_task_names_its_partners():
    plan = confirm(ready(make_draft()))
    shared = plan.tasks.filter(section="II.3")
    assert sorted(t.lead_agency.code for t in shared) == ["SNV", "STP"]
    assert all(t.deadline.isoformat() == "2026-06-30" == t.original_deadline.isoformat() for t in shared)
    police = plan.tasks.get(section="II.1")
    assert police.lead_agency.code == "CA" and [a.code for a in police.cooperating.all()] == ["SYT"]
    assert [p.code for p in police.projects.all()] == ["DA1"]


def test_a_cooperate_task_is_led_by_the_named_agency_and_the_block_cooperates():
    plan = confirm(ready(make_draft()))
    task = plan.tasks.get(section="II.2", role=Task.Role.COOPERATE)
    assert task.lead_agency.code == "CA" and [a.code for a in task.cooperating.all()] == ["SYT"]
    assert task.recurrence == "quarterly"


def test_a_cooperate_task_without_a_partner_stays_the_blocks_own():
    draft = ready(make_draft())
    catalogue = drafts.Catalogue.for_province("66")
    draft = edit(
        draft,
        lambda d: drafts.set_task(
            d,
            1,
            1,
            {"text": "Phối hợp kiểm tra các cơ sở điều trị nghiện.", "role": "cooperate", "agency": ""},
            catalogue,
            [],
        ),
    )
    task = confirm(draft).tasks.get(section="II.2", role=Task.Role.COOPERATE)
    # No partner named: the point stays the block agency's own task ("Phối hợp" keeps its lead).
    assert task.lead_agency.code == "SYT" and not task.cooperating.exists()


def test_a_task_with_a_condition_waits_for_guidance():
    plan = confirm(ready(make_draft()))
    waiting = plan.tasks.get(section="II.2", role=Task.Role.LEAD)
    assert waiting.status == TaskStatus.WAITING_GUIDANCE and waiting.condition.startswith("sau khi Bộ Y tế")
    assert [p.code for p in waiting.projects.all()] == ["DA6"]
    assert set(plan.tasks.exclude(pk=waiting.pk).values_list("status", flat=True)) == {TaskStatus.NOT_STARTED}


def test_a_failure_midway_rolls_everything_back(monkeypatch):
    draft = ready(make_draft())
    before, version = counts(), draft.version

    def broken(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(imports, "_create_reporting_duties", broken)
    with pytest.raises(DatabaseError):
        confirm(draft)
    assert counts() == before
    draft.refresh_from_db()
    assert draft.status == PlanImport.Status.DRAFT and draft.version == version and draft.plan is None
    assert not AuditEvent.objects.filter(action="plan.import").exists()


def test_a_failure_midway_through_the_view_shows_a_message_and_the_draft_stays_editable(monkeypatch, login):
    draft = ready(make_draft())
    before = counts()
    monkeypatch.setattr(imports, "_create_tasks", lambda *a, **k: (_ for _ in ()).throw(DatabaseError("lỗi")))
    client = login("office_a")
    response = client.post(reverse("plans:import_confirm", args=[draft.pk]), {"version": draft.version}, follow=True)
    assert "Không tạo được kế hoạch do lỗi khi lưu dữ liệu" in response.content.decode()
    assert counts() == before
    draft.refresh_from_db()
    assert draft.status == PlanImport.Status.DRAFT
    monkeypatch.undo()
    response = client.post(reverse("plans:import_confirm", args=[draft.pk]), {"version": draft.version})
    assert response.status_code == 302 and response["Location"].startswith("/ke-hoach/")
    assert Plan.objects.count() == before[0] + 1


def test_blocking_problems_refuse_confirmation_and_create_nothing(login):
    draft = make_draft()  # "Hội Người cao tuổi tỉnh" is not in the catalogue
    before = counts()
    with pytest.raises(drafts.ConfirmError) as exc:
        confirm(draft)
    assert "Hội Người cao tuổi tỉnh" in exc.value.problems[0]
    response = login("office_a").post(
        reverse("plans:import_confirm", args=[draft.pk]), {"version": draft.version}, follow=True
    )
    assert "Chưa xác nhận được" in response.content.decode()
    assert counts() == before


def test_a_stale_confirmation_is_refused():
    draft = ready(make_draft())
    with pytest.raises(drafts.StaleDraft):
        imports.confirm_import(acting_user=office(), draft=draft, version=draft.version - 1)
    assert not Plan.objects.filter(source_sha256=draft.source_sha256).exists()


def test_a_confirmed_draft_cannot_be_confirmed_or_edited_again():
    draft = ready(make_draft())
    confirm(draft)
    draft.refresh_from_db()
    with pytest.raises(drafts.DraftClosed):
        confirm(draft)
    with pytest.raises(drafts.DraftClosed):
        edit(draft, drafts.acknowledge_duplicate)


def test_the_same_file_again_warns_and_needs_an_explicit_continue(login):
    first = ready(make_draft())
    second = ready(make_draft())
    client = login("office_a")
    page = client.get(reverse("plans:import_review", args=[second.pk])).content.decode()
    assert "Tệp này đã được tải lên ngày" in page and f"số {first.pk}" in page
    plan = confirm(first)
    page = client.get(reverse("plans:import_review", args=[second.pk])).content.decode()
    assert f"Tệp này đã được nhập ngày {plan.created_at.astimezone().strftime('%d/%m/%Y')}" in page
    assert "Kế hoạch 15/KH-UBND" in page and 'data-testid="import-duplicate-continue"' in page
    second.refresh_from_db()
    with pytest.raises(drafts.ConfirmError) as exc:
        confirm(second)
    assert "đã được nhập trước đó" in exc.value.problems[-1]
    response = client.post(reverse("plans:import_ack_duplicate", args=[second.pk]), {"version": second.version})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.data["review"]["duplicate_ack"] is True
    assert "Tệp trùng" not in client.get(reverse("plans:import_review", args=[second.pk])).content.decode()
    assert confirm(second).pk != plan.pk


def test_the_duplicate_can_be_cancelled(login):
    ready(make_draft())
    second = make_draft()
    response = login("office_a").post(reverse("plans:import_discard", args=[second.pk]))
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == PlanImport.Status.DISCARDED


def test_a_plan_replaces_an_earlier_one(login):
    old = confirm(ready(make_draft()))
    draft = ready(make_draft(content=PLAN_TEXT.encode() + b"\n"))  # a revised file
    client = login("office_a")
    response = client.post(
        reverse("plans:import_replaces", args=[draft.pk]), {"version": draft.version, "replaces": old.pk}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.replaces == old
    new = confirm(draft)
    old.refresh_from_db()
    assert old.status == Plan.Status.REPLACED and old.replaced_by == new and new.status == Plan.Status.ACTIVE
    assert AuditEvent.objects.filter(action="plan.replace", object_id=str(old.pk)).exists()


def test_only_an_active_plan_of_the_province_can_be_replaced(login):
    other = confirm(ready(make_draft()))
    draft_b = make_draft(user="thuongtruc_b", province="33")
    response = login("office_b").post(
        reverse("plans:import_replaces", args=[draft_b.pk]), {"version": draft_b.version, "replaces": other.pk}
    )
    assert response.status_code == 200 and "không còn hiệu lực hoặc không thuộc tỉnh" in response.content.decode()
    draft_b.refresh_from_db()
    assert draft_b.replaces is None


def test_reporting_to_an_unknown_body_keeps_the_printed_name():
    draft = ready(make_draft())
    catalogue = drafts.Catalogue.for_province("66")
    draft = edit(
        draft,
        lambda d: d["reporting"].append(
            {"frequency": "annual", "due": "--12-15", "to": "Bộ Công an", "to_agency_id": None}
        ),
    )
    duty = confirm(draft).reporting_duties.get(frequency="annual")
    assert duty.to_agency is None and duty.to_text == "Bộ Công an"
    assert catalogue.resolve("Công an tỉnh") == agency("CA").pk
