"""Small builders for tracking tests: a plan and its tasks created directly (the import flow is
tested on its own). Agencies are the demo province's standard catalogue, addressed by code."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from typing import Any

from agencies.models import Agency
from plans.models import Plan, Task, TaskStatus
from plans.services import units
from program.models import Project

_counter = {"n": 0}


def agency(code: str, province: str = "66") -> Agency:
    return Agency.objects.get(province_id=province, code=code)


def make_plan(
    province: str = "66",
    *,
    number: str | None = None,
    title: str = "Kế hoạch thực hiện Chương trình MTQG phòng, chống ma túy năm 2026",
    status: str = Plan.Status.ACTIVE,
    **extra: Any,
) -> Plan:
    _counter["n"] += 1
    n = _counter["n"]
    return Plan.objects.create(
        province_id=province,
        number=number if number is not None else f"{n}/KH-UBND",
        title=title,
        issued_on=datetime.date(2026, 1, 15),
        period_start=2026,
        period_end=2026,
        source_file=f"plans/test-{n}.txt",
        source_name=f"ke-hoach-{n}.txt",
        source_sha256=hashlib.sha256(str(n).encode()).hexdigest(),
        status=status,
        **extra,
    )


def make_task(
    plan: Plan,
    *,
    lead: str | None = "SYT",
    cooperating: Iterable[str] = (),
    projects: Iterable[str] = (),
    deadline: datetime.date | None = None,
    status: str = TaskStatus.NOT_STARTED,
    completed_on: datetime.date | None = None,
    text: str = "Tổ chức tuyên truyền phòng, chống ma túy",
    **extra: Any,
) -> Task:
    task = Task.objects.create(
        plan=plan,
        province_id=plan.province_id,
        text=text,
        deadline=deadline,
        status=status,
        completed_on=completed_on,
        lead_agency=agency(lead, plan.province_id) if lead else None,
        progress=100 if status == TaskStatus.DONE else 0,
        **extra,
    )
    if cooperating:
        task.cooperating.set([agency(c, plan.province_id) for c in cooperating])
    if projects:
        task.projects.set(Project.objects.filter(code__in=list(projects)))
    units.ensure_units([task])  # as the import does: a group task gets one share per unit
    return task
