"""Importing a plan: upload → review draft (`plans.services.drafts`) → confirmation.

`edit_draft` runs one of the pure edit operations of `drafts` on a copy of the stored draft under
optimistic locking (`PlanImport.version`); `confirm_import` turns a reviewed draft into a `Plan`
with its tasks, targets and reporting duties in one transaction.
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import transaction

from access.policy import require_visible
from audit.services import record
from core import vn
from plans.extractor import ExtractError, extract_file
from plans.models import Plan, PlanImport, PlanTarget, ReportingDuty, Task, TaskStatus
from plans.services import recurring, units
from plans.services.drafts import (
    MAX_CONDITION,
    Catalogue,
    ConfirmError,
    DraftClosed,
    EditError,
    StaleDraft,
    check_draft,
    clean_text,
    confirmed_extraction,
    planned_tasks,
    prepare_draft,
)

if TYPE_CHECKING:
    from accounts.models import User
    from geo.models import Province

# --- services with the database ---------------------------------------------------------------


def project_codes() -> list[str]:
    from program.models import Project

    return list(Project.objects.values_list("code", flat=True))


def extract_upload(name: str, content: bytes, catalogue: Catalogue) -> dict[str, Any]:
    """Run the extractor on uploaded bytes (through a temporary file); raises ExtractError."""
    suffix = Path(name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="pcmt-plan-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(content)
        extraction = extract_file(path, matcher=catalogue.matcher)
    extraction["source"] = name
    meta = extraction.get("meta") or {}
    if not extraction.get("assignments") and not meta.get("title"):
        raise ExtractError(
            f"Không nhận ra nội dung kế hoạch trong tệp {name}: không thấy trích yếu "
            "hay phần giao nhiệm vụ cho cơ quan nào. Hãy kiểm tra lại tệp."
        )
    return extraction


def create_draft(*, acting_user: User, province: Province, name: str, content: bytes) -> PlanImport:
    """Extract an uploaded plan and store it as a draft for review; raises ExtractError (nothing saved).

    Only for a province where the user manages plans (PermissionDenied otherwise)."""
    from geo.models import Province as ProvinceModel

    require_visible(
        ProvinceModel.objects.for_user(acting_user, "plan.manage"),
        province,
        "Bạn chỉ nhập được kế hoạch của tỉnh mình.",
    )
    catalogue = Catalogue.for_province(province.pk)
    data = prepare_draft(extract_upload(name, content, catalogue), catalogue)
    with transaction.atomic():
        draft = PlanImport(
            province=province,
            source_name=name[:255],
            source_sha256=hashlib.sha256(content).hexdigest(),
            source_size=len(content),
            data=data,
            uploaded_by=acting_user,
        )
        draft.source_file.save(name, ContentFile(content), save=False)
        draft.save()
        record(
            actor=acting_user,
            action="plan_import.upload",
            obj=draft,
            province_code=province.pk,
            changes={"file": name, "size": len(content), "blocks": len(data["assignments"])},
        )
    return draft


def _version(raw: Any) -> int:
    try:
        return int(str(raw))
    except (TypeError, ValueError):
        raise StaleDraft() from None


def _locked(draft: PlanImport, version: Any) -> PlanImport:
    current = PlanImport.objects.select_for_update().get(pk=draft.pk)
    if current.status != PlanImport.Status.DRAFT:
        raise DraftClosed(current)
    if _version(version) != current.version:
        raise StaleDraft()
    return current


def edit_draft(
    *, acting_user: User, draft: PlanImport, version: Any, operation: Callable[[dict[str, Any]], None], action: str
) -> PlanImport:
    """Run one edit operation on the stored draft, under optimistic locking.

    Raises StaleDraft when ``version`` is not the stored one, DraftClosed after confirmation or
    discard, EditError on invalid input; in every such case nothing is saved.
    """
    require_visible(PlanImport.objects.for_user(acting_user), draft)
    with transaction.atomic():
        current = _locked(draft, version)
        data = copy.deepcopy(current.data)
        operation(data)
        current.data = data
        current.version += 1
        current.save(update_fields=["data", "version"])
        record(
            actor=acting_user,
            action="plan_import.edit",
            obj=current,
            province_code=current.province_id,
            changes={"operation": action, "version": current.version},
        )
    return current


def set_replaces(*, acting_user: User, draft: PlanImport, version: Any, plan_id: Any) -> PlanImport:
    """Which active plan of the province the imported plan replaces ("" → none)."""
    require_visible(PlanImport.objects.for_user(acting_user), draft)
    with transaction.atomic():
        current = _locked(draft, version)
        replaces = None
        raw = str(plan_id or "").strip()
        if raw:
            replaces = replaceable_plans(current, acting_user).filter(pk=int(raw)).first() if raw.isdigit() else None
            if replaces is None:
                raise EditError({"replaces": "Kế hoạch được chọn không còn hiệu lực hoặc không thuộc tỉnh."})
        current.replaces = replaces
        current.version += 1
        current.save(update_fields=["replaces", "version"])
        record(
            actor=acting_user,
            action="plan_import.edit",
            obj=current,
            province_code=current.province_id,
            changes={"operation": "replaces", "replaces": str(replaces or "")},
        )
    return current


def replaceable_plans(draft: PlanImport, user: User) -> Any:
    """Active plans of the draft's province that the user manages (those a new plan may replace)."""
    return Plan.objects.for_user(user, "manage").filter(province_id=draft.province_id, status=Plan.Status.ACTIVE)


def discard_draft(*, acting_user: User, draft: PlanImport) -> PlanImport:
    require_visible(PlanImport.objects.for_user(acting_user), draft)
    with transaction.atomic():
        current = PlanImport.objects.select_for_update().get(pk=draft.pk)
        if current.status != PlanImport.Status.DRAFT:
            raise DraftClosed(current)
        current.status = PlanImport.Status.DISCARDED
        current.version += 1
        current.save(update_fields=["status", "version"])
        record(actor=acting_user, action="plan_import.discard", obj=current, province_code=current.province_id)
    return current


def duplicate_plans(draft: PlanImport) -> list[str]:
    """Plans of the province made from the same file, as Vietnamese sentences (confirming needs an
    explicit "continue" while there is one)."""
    plans = Plan.objects.filter(province_id=draft.province_id, source_sha256=draft.source_sha256)
    return [
        f"Tệp này đã được nhập ngày {_local_date(plan.created_at)} thành «{plan}»"
        f"{' (đã được thay thế)' if plan.status == Plan.Status.REPLACED else ''}."
        for plan in plans.order_by("created_at")
    ]


def duplicate_drafts(draft: PlanImport) -> list[str]:
    """Other drafts of the same file still under review (a warning only)."""
    others = PlanImport.objects.filter(
        province_id=draft.province_id, source_sha256=draft.source_sha256, status=PlanImport.Status.DRAFT
    ).exclude(pk=draft.pk)
    return [
        f"Tệp này đã được tải lên ngày {_local_date(other.uploaded_at)} thành một bản nhập khác "
        f"(số {other.pk}, đang rà soát)."
        for other in others.order_by("uploaded_at")
    ]


def _local_date(value: datetime.datetime | None) -> str:
    return vn.format_date(value)


def _create_tasks(plan: Plan, data: dict[str, Any], catalogue: Catalogue) -> list[Task]:
    tasks: list[Task] = []
    links: list[tuple[int, list[int], list[str]]] = []
    listed: list[tuple[int, units.UnitList]] = []  # tasks given to a list of units
    order = 0
    for block in data.get("assignments") or []:
        if block.get("skip"):
            continue
        for task in block.get("tasks") or []:
            deadline = datetime.date.fromisoformat(task["deadline"]) if task.get("deadline") else None
            condition = (task.get("condition") or "")[:MAX_CONDITION]
            for planned in planned_tasks(block, task, catalogue):
                order += 1
                tasks.append(
                    Task(
                        plan=plan,
                        province_id=plan.province_id,
                        section=(block.get("section") or "")[:40],
                        order=order,
                        text=task["text"],
                        role=task.get("role") or "perform",
                        requested=bool(block.get("requested")),
                        lead_agency_id=planned.lead,
                        deadline=deadline,
                        original_deadline=deadline,
                        recurrence=task.get("recurrence") or "",
                        condition=condition,
                        status=TaskStatus.WAITING_GUIDANCE if condition else TaskStatus.NOT_STARTED,
                    )
                )
                links.append((len(tasks) - 1, list(planned.cooperating), list(task.get("projects") or [])))
                if planned.agencies or planned.communes:
                    listed.append((len(tasks) - 1, units.UnitList(planned.agencies, planned.communes)))
    Task.objects.bulk_create(tasks)
    Task.cooperating.through.objects.bulk_create(
        [Task.cooperating.through(task_id=tasks[i].pk, agency_id=a) for i, coop, _ in links for a in coop]
    )
    Task.projects.through.objects.bulk_create(
        [Task.projects.through(task_id=tasks[i].pk, project_id=p) for i, _, projects in links for p in projects]
    )
    units.create_listed((tasks[i], unit_list) for i, unit_list in listed)
    units.ensure_units(tasks)  # a task for all communes / all agencies: one share per unit
    return tasks


def _create_periods(tasks: list[Task]) -> None:
    """Recurring tasks get one period per month / quarter / … (after the reporting duties exist,
    which give "thường xuyên" tasks their rhythm)."""
    recurring.ensure_periods(tasks)


def _create_targets(plan: Plan, data: dict[str, Any]) -> list[PlanTarget]:
    return PlanTarget.objects.bulk_create(
        [
            PlanTarget(
                plan=plan,
                text=t.get("text") or "",
                comparator=t.get("comparator") or "",
                value=Decimal(str(t["value"])) if t.get("value") is not None else None,
                unit=(t.get("unit") or "")[:40],
                year=t.get("year"),
            )
            for t in data.get("targets") or []
        ]
    )


def _create_reporting_duties(plan: Plan, data: dict[str, Any], catalogue: Catalogue) -> list[ReportingDuty]:
    return ReportingDuty.objects.bulk_create(
        [
            ReportingDuty(
                plan=plan,
                frequency=d["frequency"],
                due=(d.get("due") or "")[:60],
                to_agency_id=d.get("to_agency_id") if d.get("to_agency_id") in catalogue.agencies else None,
                to_text=(d.get("to") or "")[:255],
            )
            for d in data.get("reporting") or []
        ]
    )


def confirm_import(*, acting_user: User, draft: PlanImport, version: Any = None) -> Plan:
    """Create the plan of a reviewed draft, in ONE transaction.

    Creates the Plan (with a copy of the original file), its Tasks (see `planned_tasks` for who
    leads and who cooperates; a task with a condition starts as "chờ hướng dẫn"), their projects,
    the PlanTargets and the ReportingDuties; marks the draft confirmed; marks the replaced plan;
    writes the audit events. Raises ConfirmError (blocking problems, a duplicate file not yet
    acknowledged), StaleDraft or DraftClosed; any failure rolls everything back.
    """
    require_visible(PlanImport.objects.for_user(acting_user), draft)
    stored_file = ""
    try:
        with transaction.atomic():
            current = PlanImport.objects.select_for_update().get(pk=draft.pk)
            if current.status != PlanImport.Status.DRAFT:
                raise DraftClosed(current)
            if version is not None and _version(version) != current.version:
                raise StaleDraft()
            data = current.data
            catalogue = Catalogue.for_province(current.province_id)
            problems = [p.message for p in check_draft(data, catalogue, project_codes()) if p.blocking]
            if duplicate_plans(current) and not (data.get("review") or {}).get("duplicate_ack"):
                problems.append("Tệp này đã được nhập trước đó: hãy hủy bản nhập này hoặc chọn «Vẫn tiếp tục nhập».")
            replaces = None
            if current.replaces_id:
                replaces = (
                    replaceable_plans(current, acting_user).select_for_update().filter(pk=current.replaces_id).first()
                )
                if replaces is None:
                    problems.append("Kế hoạch được chọn để thay thế không còn hiệu lực; hãy chọn lại.")
            if problems:
                raise ConfirmError(problems)
            meta = data.get("meta") or {}
            period = meta.get("period") or {}
            plan = Plan(
                province_id=current.province_id,
                number=(meta.get("number") or "")[:60],
                issued_on=datetime.date.fromisoformat(meta["date"]) if meta.get("date") else None,
                place=(meta.get("place") or "")[:100],
                title=clean_text(meta.get("title")),
                period_start=period.get("start"),
                period_end=period.get("end"),
                basis=data.get("basis") or [],
                source_name=current.source_name,
                source_sha256=current.source_sha256,
                extraction=confirmed_extraction(data, catalogue),
                created_by=acting_user,
            )
            with current.source_file.open("rb") as fh:
                plan.source_file.save(current.source_name, ContentFile(fh.read()), save=False)
            stored_file = plan.source_file.name
            plan.save()
            tasks = _create_tasks(plan, data, catalogue)
            targets = _create_targets(plan, data)
            duties = _create_reporting_duties(plan, data, catalogue)
            _create_periods(tasks)
            current.status = PlanImport.Status.CONFIRMED
            current.plan = plan
            current.version += 1
            current.save(update_fields=["status", "plan", "version"])
            province = current.province_id
            record(
                actor=acting_user,
                action="plan.import",
                obj=plan,
                province_code=province,
                changes={
                    "source": current.source_name,
                    "import": current.pk,
                    "tasks": len(tasks),
                    "targets": len(targets),
                    "reporting_duties": len(duties),
                },
            )
            record(
                actor=acting_user,
                action="plan_import.confirm",
                obj=current,
                province_code=province,
                changes={"plan": plan.pk},
            )
            if replaces is not None:
                replaces.status = Plan.Status.REPLACED
                replaces.replaced_by = plan
                replaces.save(update_fields=["status", "replaced_by"])
                record(
                    actor=acting_user,
                    action="plan.replace",
                    obj=replaces,
                    province_code=province,
                    changes={"status": [Plan.Status.ACTIVE, Plan.Status.REPLACED], "replaced_by": str(plan)},
                )
    except BaseException:
        if stored_file:
            Plan._meta.get_field("source_file").storage.delete(stored_file)
        raise
    return plan
