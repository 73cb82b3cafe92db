"""Tasks given to a group, tracked unit by unit.

A task led by "UBND cấp xã" is every commune's task; one led by "Các sở, ban, ngành" is every
agency's. Each unit gets a `TaskUnit` with its own progress, status, deadline (after an
extension) and guidance; the task rolls them up: its progress is the units' mean, it is done
when every unit is done (on the last unit's completion date), and it is in progress from the
first report. The writers that change a unit live in `plans.services.tracking`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.utils import timezone

from access.policy import reach
from agencies.catalogue import Kind
from plans.models import DeadlineExtension, Task, TaskStatus, TaskUnit, TaskUnitPeriod, shared_task_q, today

if TYPE_CHECKING:
    from accounts.models import User

# Kinds of agency that make up "Các sở, ban, ngành" (not the government above them, nor groups).
MEMBER_AGENCY_KINDS = (
    Kind.POLICE,
    Kind.DEPARTMENT,
    Kind.ARMED,
    Kind.JUDICIAL,
    Kind.CUSTOMS,
    Kind.MASS_ORG,
    Kind.MEDIA,
    Kind.OTHER,
)


def is_group_task(task: Task) -> bool:
    """Given to a group: every commune, every agency, or an explicit list of units."""
    if task.units_listed:
        return True
    lead = task.lead_agency
    return lead is not None and (lead.kind == Kind.COMMUNE_GROUP or (lead.kind == Kind.GROUP and lead.code == "SBN"))


def _members(province_id: str, lead_kind: str) -> tuple[list[str], list[int]]:
    """(commune codes, agency ids) a group of the province is made of."""
    from agencies.models import Agency
    from geo.models import Commune

    if lead_kind == Kind.COMMUNE_GROUP:
        return list(Commune.objects.filter(province_id=province_id).order_by("code").values_list("code", flat=True)), []
    agencies = Agency.objects.filter(
        province_id=province_id, kind__in=MEMBER_AGENCY_KINDS, legacy=False, is_active=True
    ).order_by("name")
    return [], list(agencies.values_list("pk", flat=True))


def ensure_units(tasks: Iterable[Task]) -> int:
    """Create the missing units of the group tasks among `tasks`; returns how many were created."""
    from agencies.models import Agency

    tasks = [t for t in tasks if t.lead_agency_id is not None and not t.units_listed]  # a list is set as given
    leads = {
        a.pk: a.kind
        for a in Agency.objects.filter(pk__in={t.lead_agency_id for t in tasks}).only("kind", "code")
        if a.kind == Kind.COMMUNE_GROUP or (a.kind == Kind.GROUP and a.code == "SBN")
    }
    group = [t for t in tasks if t.lead_agency_id in leads]
    if not group:
        return 0
    existing: set[tuple[int, int | None, str | None]] = set(
        TaskUnit.objects.filter(task__in=[t.pk for t in group]).values_list("task_id", "agency_id", "commune_id")
    )
    cache: dict[tuple[str, str], tuple[list[str], list[int]]] = {}
    new: list[TaskUnit] = []
    for t in group:
        key = (t.province_id, leads[t.lead_agency_id or 0])
        if key not in cache:
            cache[key] = _members(*key)
        communes, agencies = cache[key]
        status = TaskStatus.WAITING_GUIDANCE if t.status == TaskStatus.WAITING_GUIDANCE else TaskStatus.NOT_STARTED
        for code in communes:
            if (t.pk, None, code) not in existing:
                new.append(TaskUnit(task=t, commune_id=code, status=status))
        for pk in agencies:
            if (t.pk, pk, None) not in existing:
                new.append(TaskUnit(task=t, agency_id=pk, status=status))
    TaskUnit.objects.bulk_create(new, batch_size=2000)
    return len(new)


@dataclass(frozen=True)
class UnitList:
    """The units a task is given to one by one: agencies (ids) and communes (codes)."""

    agencies: tuple[int, ...] = ()
    communes: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.agencies) + len(self.communes)


def create_listed(pairs: Iterable[tuple[Task, UnitList]]) -> int:
    """Give each task to its list of units: one `TaskUnit` per unit (the missing ones), and mark
    the task as given to a list. Returns how many units were created."""
    pairs = [(t, u) for t, u in pairs if len(u)]
    if not pairs:
        return 0
    Task.objects.filter(pk__in=[t.pk for t, _ in pairs]).update(units_listed=True)
    existing: set[tuple[int, int | None, str | None]] = set(
        TaskUnit.objects.filter(task__in=[t.pk for t, _ in pairs]).values_list("task_id", "agency_id", "commune_id")
    )
    new: list[TaskUnit] = []
    for t, listed in pairs:
        t.units_listed = True
        status = TaskStatus.WAITING_GUIDANCE if t.status == TaskStatus.WAITING_GUIDANCE else TaskStatus.NOT_STARTED
        new += [
            TaskUnit(task=t, agency_id=pk, status=status)
            for pk in dict.fromkeys(listed.agencies)
            if (t.pk, pk, None) not in existing
        ]
        new += [
            TaskUnit(task=t, commune_id=code, status=status)
            for code in dict.fromkeys(listed.communes)
            if (t.pk, None, code) not in existing
        ]
    TaskUnit.objects.bulk_create(new, batch_size=2000)
    return len(new)


def listed_names(task: Task) -> list[str]:
    """The names of the units a task is given to (its list, as assigned by the plan)."""
    shares = TaskUnit.objects.filter(task=task).select_related("agency", "commune").order_by("pk")
    return [u.name for u in shares]


def unit_for(user: User, task: Task) -> TaskUnit | None:
    """The user's own unit on a group task (their commune, or their agency), if any."""
    r = reach(user, "task.update")
    mine = Q(commune_id__in=sorted(r.communes)) | Q(agency_id__in=sorted(r.agencies))
    return TaskUnit.objects.filter(task=task).filter(mine).order_by("commune_id", "agency_id").first()


def roll_up(task: Task) -> dict[str, Any]:
    """The task's progress, status and completion date from its units (written with a version bump);
    returns the values written (empty when there are no units or nothing changed)."""
    units = TaskUnit.objects.filter(task=task)
    agg = units.aggregate(
        n=Count("pk"),
        done=Count("pk", filter=Q(status=TaskStatus.DONE)),
        started=Count("pk", filter=~Q(status__in=[TaskStatus.NOT_STARTED, TaskStatus.WAITING_GUIDANCE])),
        progress=Sum("progress"),
        last_done=Max("completed_on"),
    )
    n = agg["n"] or 0
    if not n:
        return {}
    values: dict[str, Any] = {"progress": round((agg["progress"] or 0) / n)}
    if (agg["done"] or 0) == n:
        values.update(status=TaskStatus.DONE, progress=100, completed_on=agg["last_done"])
    elif task.status == TaskStatus.DONE:
        values.update(status=TaskStatus.IN_PROGRESS, completed_on=None)
    elif task.status == TaskStatus.NOT_STARTED and agg["started"]:
        values["status"] = TaskStatus.IN_PROGRESS
    changed = {k: v for k, v in values.items() if getattr(task, k) != v}
    if changed:
        Task.objects.filter(pk=task.pk).update(version=F("version") + 1, updated_at=timezone.now(), **changed)
        for k, v in changed.items():
            setattr(task, k, v)
        task.version += 1
    return changed


@dataclass
class UnitSummary:
    """What a group task shows: x/N reported, done, and the units behind."""

    total: int = 0
    reported: int = 0
    done: int = 0
    overdue: int = 0
    behind: list[TaskUnit] = field(default_factory=list)  # overdue first, then not yet reported
    units: list[TaskUnit] = field(default_factory=list)
    # A recurring task: the unit × period shares, those finished, and those late.
    periods: int = 0
    periods_done: int = 0
    periods_late: int = 0


def summary(task: Task, visible: QuerySet[TaskUnit], on: datetime.date | None = None) -> UnitSummary:
    """The units of `task` the viewer may see, counted (the counts are over all of the task's units)."""
    on = on or today()
    s = UnitSummary()
    everyone = TaskUnit.objects.filter(task=task).select_related("task")
    for u in everyone.only("status", "reported_on", "deadline", "completed_on", "task__deadline"):
        s.total += 1
        s.reported += u.reported_on is not None
        s.done += u.status == TaskStatus.DONE
        s.overdue += u.status != TaskStatus.DONE and u.due is not None and u.due < on
    if task.recurrence:
        shares = TaskUnitPeriod.objects.filter(unit__task=task).aggregate(
            n=Count("pk"),
            done=Count("pk", filter=Q(completed_on__isnull=False)),
            late=Count("pk", filter=Q(completed_on__isnull=True, period__deadline__lt=on)),
        )
        s.periods, s.periods_done, s.periods_late = shares["n"], shares["done"], shares["late"]
    s.units = list(visible.filter(task=task).select_related("commune", "agency", "task"))
    late = [u for u in s.units if u.is_overdue]
    silent = [u for u in s.units if not u.is_overdue and u.reported_on is None and u.status != TaskStatus.DONE]
    s.behind = late + silent
    return s


def visible_extensions(user: User, task: Task, manage: bool) -> QuerySet[DeadlineExtension]:
    """The task's extension requests the user may read: all for the Standing Office; on a group
    task, a unit reads its own requests (and the task-wide ones) only."""
    qs = task.extensions.all()
    if manage or not is_group_task(task):
        return qs
    mine = TaskUnit.objects.for_user(user).filter(task=task).values("pk")
    return qs.filter(Q(unit__isnull=True) | Q(unit__in=mine))


def group_tasks(qs: QuerySet[Task]) -> QuerySet[Task]:
    return qs.filter(shared_task_q())
