"""Demo content for `make run`: a small plan imported through the real import flow, and the
reporting schedules its reporting duties give, so that every role's pages have something to show.

The plan text (`demo_data/ke-hoach-minh-hoa.md`) is written for the demo and labelled as such;
it goes through the extractor, the draft and the confirmation exactly as an uploaded plan does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from accounts.models import User
from demo.personas import DEMO_PROVINCE
from geo.models import Province
from plans.models import Plan
from plans.services import imports
from reporting.services.schedules import schedules_from_plan

DEMO_PLAN = Path(__file__).resolve().parent / "demo_data" / "ke-hoach-minh-hoa.md"
DEMO_PLAN_NUMBER = "999/KH-UBND"


@dataclass
class DemoContent:
    plan: Plan
    created: bool
    tasks: int
    schedules: int


def seed_demo_content() -> DemoContent:
    """Idempotent: the demo plan is imported once; its schedules are made once."""
    office = User.objects.get(username="thuongtruc")
    province = Province.objects.get(code=DEMO_PROVINCE)
    plan = Plan.objects.filter(province=province, number=DEMO_PLAN_NUMBER).first()
    created = plan is None
    if plan is None:
        draft = imports.create_draft(
            acting_user=office, province=province, name=DEMO_PLAN.name, content=DEMO_PLAN.read_bytes()
        )
        plan = imports.confirm_import(acting_user=office, draft=draft)
    result = schedules_from_plan(acting_user=office, plan=plan)
    return DemoContent(plan=plan, created=created, tasks=plan.tasks.count(), schedules=len(result.created))
