"""Review at plan scale: deadline / lead / cooperating agencies / projects for a block or the whole
plan at once, bodies abolished in 2025 listed apart with their successor, and a review page that
stays small for a large plan (blocks collapsed, paged, each loaded when opened)."""

import copy

import pytest
from django.urls import reverse

from plans.forms_import import BLOCKS_PER_PAGE, LAZY_TASKS
from plans.models import Task
from plans.services import drafts, imports
from plans.tests.test_import_support import EXTRACTION, agency, make_draft, ready

pytestmark = pytest.mark.django_db


def _tasks(draft):
    draft.refresh_from_db()
    return [t for b in draft.data["assignments"] if not b.get("skip") for t in b["tasks"]]


def test_a_deadline_for_the_whole_plan_fills_only_the_tasks_without_one(login):
    draft = ready(make_draft())
    had = {id(t): t.get("deadline") for t in _tasks(draft)}
    with_deadline = [t["deadline"] for t in _tasks(draft) if t.get("deadline")]
    response = login("office_a").post(
        reverse("plans:import_bulk_set", args=[draft.pk]),
        {"version": draft.version, "scope": "plan", "deadline": "31/12/2026"},
    )
    assert response.status_code == 302
    tasks = _tasks(draft)
    assert all(t["deadline"] for t in tasks)
    assert [t["deadline"] for t in tasks if t["deadline"] != "2026-12-31"] == [
        d for d in with_deadline if d != "2026-12-31"
    ]
    assert had  # the draft had tasks


def test_a_lead_cooperating_agency_and_project_for_one_block(login):
    draft = ready(make_draft())
    lead, partner = agency("SYT"), agency("TD")
    login("office_a").post(
        reverse("plans:import_bulk_set", args=[draft.pk]),
        {"version": draft.version, "scope": "0", "agency": lead.pk, "cooperating": partner.pk, "projects": "DA6"},
        HTTP_HX_REQUEST="true",
    )
    draft.refresh_from_db()
    first, *others = draft.data["assignments"]
    assert all(t["agency_id"] == lead.pk and partner.pk in t["cooperating_ids"] for t in first["tasks"])
    assert all("DA6" in t["projects"] for t in first["tasks"])
    assert not any(t.get("cooperating_ids") for b in others for t in b["tasks"])
    plan = imports.confirm_import(acting_user=draft.uploaded_by, draft=draft)
    task = Task.objects.filter(plan=plan, lead_agency=lead).first()
    assert partner in task.cooperating.all()


def test_bulk_set_refuses_bad_input_and_changes_nothing():
    data = copy.deepcopy(drafts.prepare_draft(copy.deepcopy(EXTRACTION), drafts.Catalogue.for_province("66")))
    catalogue = drafts.Catalogue.for_province("66")
    with pytest.raises(drafts.EditError) as err:
        drafts.bulk_set(data, {"scope": "plan", "deadline": "31/02/2026"}, catalogue, ["DA1"])
    assert "deadline" in err.value.errors
    with pytest.raises(drafts.EditError) as err:
        drafts.bulk_set(data, {"scope": "plan"}, catalogue, ["DA1"])
    assert "Chưa chọn" in err.value.errors["general"]


def test_bodies_abolished_in_2025_are_listed_apart_with_their_successor(login):
    catalogue = drafts.Catalogue.for_province("66")
    old, new = agency("SLDTBXH"), agency("SNV")
    assert catalogue.successor(old.pk) == new.pk and catalogue.successor(new.pk) is None
    extraction = copy.deepcopy(EXTRACTION)
    extraction["assignments"][0]["agencies"] = ["Sở Lao động - Thương binh và Xã hội"]
    draft = make_draft(extraction=extraction)
    page = login("office_a").get(reverse("plans:import_review", args=[draft.pk]))
    legacy = page.context["legacy"]
    assert legacy == [{"name": old.name, "successor": new.name, "blocks": [legacy[0]["blocks"][0]]}]
    html = page.content.decode()
    assert "(đã sắp xếp 2025; nay: Sở Nội vụ)" in html
    login("office_a").post(reverse("plans:import_replace_legacy", args=[draft.pk]), {"version": draft.version})
    draft.refresh_from_db()
    assert draft.data["assignments"][0]["slots"][0]["agency_id"] == new.pk


def _big(n_blocks, per_block):
    extraction = copy.deepcopy(EXTRACTION)
    extraction["assignments"] = [
        {
            "agencies": ["Sở Y tế"],
            "requested": False,
            "section": f"II.{b + 1}",
            "tasks": [
                {
                    "text": f"Nhiệm vụ {b}.{t} tuyên truyền phòng, chống ma túy",
                    "role": "perform",
                    "projects": [],
                    "deadline": None,
                    "condition": None,
                }
                for t in range(per_block)
            ],
        }
        for b in range(n_blocks)
    ]
    return make_draft(extraction=extraction)


def test_a_large_plan_is_reviewed_block_by_block(login):
    n_blocks = BLOCKS_PER_PAGE + 5
    draft = _big(n_blocks, LAZY_TASKS // BLOCKS_PER_PAGE + 1)
    client = login("office_a")
    page = client.get(reverse("plans:import_review", args=[draft.pk]))
    ctx = page.context
    assert ctx["block_pages"]["lazy"] and ctx["block_pages"]["pages"] == 2
    assert len(ctx["blocks_shown"]) == BLOCKS_PER_PAGE and all(b.lazy for b in ctx["blocks_shown"])
    html = page.content.decode()
    assert 'data-testid="task-text-' not in html  # no task form until a block is opened
    second = client.get(reverse("plans:import_review", args=[draft.pk]) + "?trang-khoi=2")
    assert [b.index for b in second.context["blocks_shown"]] == list(range(BLOCKS_PER_PAGE, n_blocks))
    body = client.get(reverse("plans:import_block_body", args=[draft.pk, 3]))
    assert body.status_code == 200 and 'data-testid="task-text-3-0"' in body.content.decode()
    assert client.get(reverse("plans:import_block_body", args=[draft.pk, 999])).status_code == 404
    # An edit in a collapsed block answers that block, opened.
    edited = client.post(
        reverse("plans:import_task_save", args=[draft.pk, 3, 0]),
        {
            "version": draft.version,
            "text": "Nội dung mới",
            "role": "perform",
            "agency": "",
            "projects": "",
            "deadline": "",
            "condition": "",
            "recurrence": "",
        },
        HTTP_HX_REQUEST="true",
    )
    assert 'data-testid="task-text-3-0"' in edited.content.decode()


def test_a_small_plan_shows_every_block_open(login):
    draft = ready(make_draft())
    page = login("office_a").get(reverse("plans:import_review", args=[draft.pk]))
    assert not page.context["block_pages"]["lazy"]
    assert 'data-testid="block-details-0"' in page.content.decode()
