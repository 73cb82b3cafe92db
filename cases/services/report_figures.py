"""The registry's figures in the commune's report form (issue 13 §2): nobody types what the registry knows.

This module is the report's cell provider (`reporting.services.prefill`, registered in
`cases.apps.CasesConfig.ready`): reporting asks it, never imports the registry (cases → reporting).

One place says which cells of a report the registry fills: `ELEMENT_FIGURES` (element code →
registry figure key); a breakdown cell (M, F, U18, A18) is the same figure of the persons of that
sex or age band (`cell_key`). Everything else here follows from it:

- **When.** Only in a province that takes its reports' figures from the registry
  (`RegistryReporting`: from the periods closing on or after a day), only in commune reports
  (the registry is kept by commune). Elsewhere the cells stay typed as before.
- **What.** Each figure is counted as of the period's closing day (`closing_day`), each person at
  their status on that day (`legal.path.status_on`), in the commune that managed them that day; a
  decision dated after the closing day does not count. A commune with nobody in the registry
  reports 0: in a province that uses it, the registry is the list.
- **Stored as normal values.** The figures are written as `DataValue`s (consolidation, exports and
  indicators read them as any other value), with a `ValueChange` row without a person when they
  change; `sync` refreshes them while the report is a draft, returned or submitted, and never
  once it is approved (frozen: approval syncs one last time, then stops).
- **Read-only on every path.** The grid shows them without an input; a value sent for such a cell
  (grid, CSV, DHIS2, API) is refused with a Vietnamese message unless it equals the registry's
  figure (then it changes nothing: a PCMT export imported again stays unchanged).
- **Later decisions.** A decision saved with a date on or before an approved period's closing day
  marks the commune (`registry_changed`); after the commit, `refresh` re-syncs the commune's open
  reports and records, for approved ones whose figures now differ, a `ReportDiscrepancy` (which
  figures, approved value and registry value now: counts, never a name). The review queue reads
  those rows; the report's page compares on demand (`differences`).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone

from cases.models import Person, RegistryReporting, ReportDiscrepancy
from cases.services import figures as F
from legal import path
from reporting.services.prefill import Prefill

if TYPE_CHECKING:
    from accounts.models import User

# element code → registry figure key. The only mapping: templates, the gate and imports read it here.
ELEMENT_FIGURES: dict[str, str] = {
    # Addicted persons residing in the commune with a management file: addicted, awaiting
    # compulsory rehab, in home/community rehab or on methadone; not in a facility, not detained.
    "MGMT_ADDICTS": "addicts",
    # Users not (yet) determined addicted, within their management period (or being assessed).
    "MGMT_USERS": "users",
    "METHADONE_PATIENTS": "methadone",
    "POST_REHAB_MGMT": "post_rehab",
    # The catalogue's registry elements (issue 13 §2, QĐ 28).
    "USERS_EXCL_TREATMENT": "residents_using",
    "STATUS_HOME_REHAB": "rehab_home",
    "STATUS_FACILITY_REHAB": "rehab_facility",
    "STATUS_COMPULSORY": "rehab_compulsory",
    "STATUS_DETENTION": "detained",
    "RELEASED_AFTER_SENTENCE": "after_sentence",
    "PSYCHOSIS_MANAGED": "psychosis",
}
FIGURE_LABELS: dict[str, str] = {
    "addicts": "người nghiện có hồ sơ quản lý, đang cư trú (kể cả cai tại gia đình, cộng đồng và methadone)",
    "users": "người sử dụng trái phép đang trong thời hạn quản lý (kể cả đang xác định tình trạng nghiện)",
    "methadone": "người đang điều trị thay thế",
    "post_rehab": "người đang quản lý sau cai nghiện",
    "residents_using": "người cư trú nghiện, sử dụng trái phép (trừ methadone, cai tại gia đình, cộng đồng, sau cai)",
    "rehab_home": "người đang cai nghiện tự nguyện tại gia đình, cộng đồng",
    "rehab_facility": "người đang cai nghiện tự nguyện tại cơ sở",
    "rehab_compulsory": "người đang cai nghiện bắt buộc",
    "detained": "người đang bị tạm giữ, tạm giam, chấp hành án",
    "after_sentence": "người đã chấp hành xong án phạt tù về tội phạm ma túy",
    "psychosis": "người có biểu hiện loạn thần do sử dụng ma túy",
}
REFUSED = (
    "«{name}{cat}» lấy tự động từ sổ quản lý hồ sơ (tính đến ngày {day}: {value}), không nhập tay được; "
    "muốn thay đổi thì cập nhật hồ sơ, quyết định trong sổ quản lý."
)
DIFFERS = "Sổ quản lý khác với báo cáo đã duyệt"
COMPULSORY = frozenset({"cai_bat_buoc", "cai_bat_buoc_chua_thanh_nien"})

Cell = tuple[str, str]


def cell_key(code: str, category: str) -> str | None:
    """The registry figure of one cell (None: the registry does not fill it)."""
    base = ELEMENT_FIGURES.get(code)
    if base is None:
        return None
    return f"{base}:{category}" if category else base


# — counting —


def _keys(status: str, flags: set[str], form: str) -> list[str]:
    """The figures one person counts in, from their status, flags and rehab form on the day.

    A person detained (flag "tam_giu") does not reside in the commune: counted as detained, as a
    user under management if they are one, and in no residents' figure."""
    keys = []
    detained = "tam_giu" in flags
    home = status == path.IN_REHAB and form == "cai_tu_nguyen_cong_dong" and not detained
    if not detained and (status in (path.ADDICTED, path.AWAITING_COMPULSORY, path.ON_METHADONE) or home):
        keys.append("addicts")
    if status in (path.USING, path.BEING_ASSESSED):
        keys.append("users")
    if status == path.ON_METHADONE:
        keys.append("methadone")
    if status == path.AFTER_REHAB:
        keys.append("post_rehab")
    if status in F.RESIDENT_STATUSES and not detained:
        keys.append("residents_using")
    if status == path.IN_REHAB:
        if home:
            keys.append("rehab_home")
        elif form == "cai_tu_nguyen_co_so":
            keys.append("rehab_facility")
        elif form in COMPULSORY:
            keys.append("rehab_compulsory")
    if detained:
        keys.append("detained")
    if status == path.AFTER_SENTENCE:
        keys.append("after_sentence")
    if "loan_than" in flags and not detained:
        keys.append("psychosis")
    return keys


def counts_by_commune(communes: Iterable[str], day: datetime.date) -> dict[str, Counter[str]]:
    """{commune: Counter(figure key → persons)} as of `day`, breakdowns included ("users:M", …).

    One pass over the communes' persons and decisions (`figures._rows`); age in full years on
    `day`: from the plain birth year, and from the sealed birth date only for the persons whose
    birth year leaves it undecided (turning 18 in `day`'s year).
    """
    codes = set(communes)
    out: dict[str, Counter[str]] = {code: Counter() for code in codes}
    persons, decisions, moves = F._rows(sorted(codes))
    counted: list[tuple[str, str, int, list[str], int]] = []
    borderline: list[int] = []
    for pk, current, sex, birth_year in persons:
        commune = F._commune_on(current, moves.get(pk, []), day)
        if commune not in codes:
            continue
        ds = decisions.get(pk, [])
        status = path.status_on(ds, day)
        if status is None or status in F.NOT_COUNTED:
            continue
        keys = _keys(status, path.flags_on(ds, day), F._rehab_form(ds, day) if status == path.IN_REHAB else "")
        if not keys:
            continue
        counted.append((commune, sex, birth_year, keys, pk))
        if day.year - birth_year == 18:
            borderline.append(pk)
    under_18: set[int] = set()
    if borderline:
        for person in Person.objects.filter(pk__in=borderline).only("pk", "birth_date"):
            birth = person.birth
            if birth is not None and (day.month, day.day) < (birth.month, birth.day):
                under_18.add(person.pk)
    for commune, sex, birth_year, keys, pk in counted:
        age = day.year - birth_year
        band = "U18" if age < 18 or pk in under_18 else "A18"
        c = out[commune]
        for key in keys:
            c[key] += 1
            c[f"{key}:{sex}"] += 1
            c[f"{key}:{band}"] += 1
    return out


# — which reports —


def closing_day(submission: Any) -> datetime.date:
    """The period's closing day (the last day its data cover, under the schedule's convention)."""
    from reporting import periods as P

    return P.parse(submission.period).bounds(submission.schedule.convention)[1]


def province_since(province_id: str) -> datetime.date | None:
    return RegistryReporting.objects.filter(province_id=province_id).values_list("since", flat=True).first()


def applies(submission: Any, since: datetime.date | None | bool = False) -> bool:
    """Whether the registry fills this report: a commune's, in a province using the registry for
    periods closing on or after its day (`since`: the province's day when already read)."""
    if not submission.commune_id:
        return False
    if since is False:
        since = province_since(submission.province_id)
    return since is not None and closing_day(submission) >= since  # type: ignore[operator]


def registry_cells(spec: Any) -> list[Cell]:
    """The cells of a form (`gate.FormSpec`) the registry fills."""
    return [
        (item.element.code, category)
        for item in spec.items
        if item.element.code in ELEMENT_FIGURES
        for category in item.element.categories
    ]


def _prefill(cells: list[Cell], counts: Mapping[str, int], day: datetime.date) -> Prefill:
    return Prefill(day, {cell: Decimal(counts.get(cell_key(*cell) or "", 0)) for cell in cells})


def prefill_for(submission: Any, spec: Any = None) -> Prefill | None:
    """The registry's values of the report's cells (None: the registry does not fill this report)."""
    if not applies(submission):
        return None
    if spec is None:
        from reporting.services.gate import spec_for

        spec = spec_for(submission)
    cells = registry_cells(spec)
    if not cells:
        return None
    day = closing_day(submission)
    return _prefill(cells, counts_by_commune([submission.commune_id], day)[submission.commune_id], day)


def prefill_many(submissions: list[Any]) -> dict[int, Prefill]:
    """`prefill_for` of many reports: one count per closing day for all their communes."""
    since = dict(
        RegistryReporting.objects.filter(province_id__in={s.province_id for s in submissions}).values_list(
            "province_id", "since"
        )
    )
    from reporting.services.gate import spec_for

    wanted: dict[datetime.date, list[tuple[Any, list[Cell]]]] = defaultdict(list)
    cells_of: dict[tuple[int, str | None], list[Cell]] = {}
    for sub in submissions:
        if not applies(sub, since.get(sub.province_id)):
            continue
        key = (sub.schedule.form_id, None)
        if key not in cells_of:
            cells_of[key] = registry_cells(spec_for(sub))
        if cells_of[key]:
            wanted[closing_day(sub)].append((sub, cells_of[key]))
    out: dict[int, Prefill] = {}
    for day, subs in wanted.items():
        counts = counts_by_commune({s.commune_id for s, _ in subs}, day)
        for sub, cells in subs:
            out[sub.pk] = _prefill(cells, counts[sub.commune_id], day)
    return out


# — writing them —


def write(submission: Any, prefill: Prefill) -> int:
    """Store the registry's values of a report that is not approved; returns the cells changed."""
    from reporting.models import DataElement, DataValue, Submission, ValueChange

    if submission.status == Submission.Status.APPROVED:
        return 0
    current = {
        (code, cat): (pk, value, text)
        for pk, code, cat, value, text in DataValue.objects.filter(
            submission_id=submission.pk, element__code__in={c for c, _ in prefill.values}
        ).values_list("pk", "element__code", "category", "value", "text")
    }
    changed = [(cell, new) for cell, new in prefill.values.items() if cell not in current or current[cell][1] != new]
    if not changed:
        return 0
    elements = {e.code: e for e in DataElement.objects.filter(code__in={c for (c, _), _ in changed})}
    now = timezone.now()
    rows, history = [], []
    for (code, cat), new in changed:
        old = current.get((code, cat))
        rows.append(
            DataValue(
                submission_id=submission.pk, element=elements[code], category=cat, value=new, text="", updated_by=None
            )
        )
        history.append(
            ValueChange(
                submission_id=submission.pk,
                element=elements[code],
                category=cat,
                old="" if old is None or old[1] is None else format(old[1].normalize(), "f"),
                new=format(new.normalize(), "f"),
                changed_by=None,
            )
        )
    DataValue.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["submission", "element", "category"],
        update_fields=["value", "text", "updated_by", "updated_at"],
    )
    ValueChange.objects.bulk_create(history)
    names = {f"v-{code}-{cat or 'T'}" for (code, cat) in prefill.values}
    pending = {k: v for k, v in (submission.pending_raw or {}).items() if k not in names}
    fields: dict[str, Any] = {"updated_at": now}
    if pending != (submission.pending_raw or {}):
        submission.pending_raw = fields["pending_raw"] = pending
    Submission.objects.filter(pk=submission.pk).update(**fields)
    ReportDiscrepancy.objects.filter(submission_id=submission.pk).delete()
    return len(changed)


def sync(submission: Any, spec: Any = None) -> Prefill | None:
    """Refresh a report's registry values from the registry (not once approved); the prefill, or
    None (also for a report approved with typed values before the province switched)."""
    from reporting.models import Submission

    prefill = prefill_for(submission, spec)
    if prefill is None:
        return None
    if submission.status == Submission.Status.APPROVED:
        enabled_at = (
            RegistryReporting.objects.filter(province_id=submission.province_id)
            .values_list("enabled_at", flat=True)
            .first()
        )
        return prefill if _frozen_from_registry(submission, enabled_at) else None
    write(submission, prefill)
    return prefill


def sync_many(submissions: list[Any]) -> None:
    """`sync` of many reports (one count per closing day)."""
    found = prefill_many(submissions)
    for sub in submissions:
        if sub.pk in found:
            write(sub, found[sub.pk])


def refused_message(element: Any, category: str, prefill: Prefill) -> str:
    from core.vn import format_number

    cat = f" — {element.category_label(category)}" if category else ""
    value = format_number(prefill.values[(element.code, category)], 0)
    return REFUSED.format(name=element.name, cat=cat, day=prefill.day.strftime("%d/%m/%Y"), value=value)


# — approved reports the registry no longer agrees with —


@dataclass(frozen=True)
class Difference:
    code: str
    category: str
    label: str
    approved: Decimal | None
    now: Decimal

    @property
    def approved_label(self) -> str:
        from core.vn import format_number

        return "—" if self.approved is None else format_number(self.approved, 0)

    @property
    def now_label(self) -> str:
        from core.vn import format_number

        return format_number(self.now, 0)


def compare(submission: Any, prefill: Prefill) -> list[Difference]:
    """The registry's cells whose stored value differs from the registry's figure now."""
    from reporting.models import DataElement, DataValue

    stored = {
        (code, cat): value
        for code, cat, value in DataValue.objects.filter(
            submission_id=submission.pk, element__code__in={c for c, _ in prefill.values}
        ).values_list("element__code", "category", "value")
    }
    elements = {e.code: e for e in DataElement.objects.filter(code__in={c for c, _ in prefill.values})}
    out = []
    for (code, cat), now in prefill.values.items():
        approved = stored.get((code, cat))
        if approved != now:
            element = elements.get(code)
            name = element.name if element else code
            label = name + (f" — {element.category_label(cat) if element else cat}" if cat else "")
            out.append(Difference(code, cat, label, approved, now))
    return out


def _frozen_from_registry(submission: Any, enabled_at: datetime.datetime | None) -> bool:
    """Whether an approved report's registry cells were filled by the registry: approved after the
    province switched to it (a report approved before kept its typed values: nothing to flag)."""
    return enabled_at is not None and submission.reviewed_at is not None and submission.reviewed_at >= enabled_at


def differences(submission: Any, prefill: Prefill | None = None) -> list[Difference]:
    """An approved report's registry figures that differ now from the approved values (on demand)."""
    from reporting.models import Submission

    if submission.status != Submission.Status.APPROVED:
        return []
    prefill = prefill if prefill is not None else prefill_for(submission)
    if prefill is None:
        return []
    enabled_at = (
        RegistryReporting.objects.filter(province_id=submission.province_id)
        .values_list("enabled_at", flat=True)
        .first()
    )
    return compare(submission, prefill) if _frozen_from_registry(submission, enabled_at) else []


def flagged(submission_ids: Iterable[int]) -> set[int]:
    """The reports among these marked "registry differs from the approved report" (one query)."""
    return set(
        ReportDiscrepancy.objects.filter(submission_id__in=list(submission_ids)).values_list("submission_id", flat=True)
    )


def refresh(marks: Mapping[str, datetime.date]) -> None:
    """After the registry changed for communes ({commune: earliest day changed}): re-sync their
    open reports whose closing day is on or after that day, and mark approved ones that differ."""
    from reporting.models import Submission

    if not marks:
        return
    subs = [
        s
        for s in Submission.objects.filter(
            commune_id__in=sorted(marks), schedule__form__level="commune"
        ).select_related("schedule__form")
        if s.commune_id is not None and closing_day(s) >= marks[s.commune_id]
    ]
    if not subs:
        return
    found = prefill_many(subs)
    enabled_at = dict(
        RegistryReporting.objects.filter(province_id__in={s.province_id for s in subs}).values_list(
            "province_id", "enabled_at"
        )
    )
    for sub in subs:
        prefill = found.get(sub.pk)
        if prefill is None:
            continue
        if sub.status != Submission.Status.APPROVED:
            write(sub, prefill)
            continue
        if not _frozen_from_registry(sub, enabled_at.get(sub.province_id)):
            continue
        diff = compare(sub, prefill)
        if diff:
            ReportDiscrepancy.objects.update_or_create(
                submission_id=sub.pk,
                defaults={
                    "province_id": sub.province_id,
                    "differences": [
                        [d.code, d.category, None if d.approved is None else str(d.approved), str(d.now)] for d in diff
                    ],
                    "detected_at": timezone.now(),
                },
            )
        else:
            ReportDiscrepancy.objects.filter(submission_id=sub.pk).delete()


_PENDING = "_pcmt_registry_marks"


def registry_changed(communes: Iterable[str], since: datetime.date) -> None:
    """The registry's figures of these communes may have changed from `since` on: refresh their
    reports once the transaction commits (many decisions of one import: one refresh).

    The marks of a transaction live on the connection beside the one callback registered for them
    (checked in constant time by its place in the commit queue: a rolled-back transaction or
    savepoint drops the callback, and the next mark starts afresh)."""
    if not connection.in_atomic_block:  # autocommit: the change is already committed
        refresh({code: since for code in communes if code})
        return
    state: tuple[dict[str, datetime.date], int, Any] | None = connection.__dict__.get(_PENDING)
    queue = connection.run_on_commit
    registered = state is not None and state[1] < len(queue) and queue[state[1]][1] is state[2]
    if not registered:
        marks: dict[str, datetime.date] = {}

        def flush() -> None:
            found = dict(marks)
            marks.clear()
            refresh(found)

        state = (marks, len(queue), flush)
        connection.__dict__[_PENDING] = state
        transaction.on_commit(flush)
    assert state is not None
    for code in communes:
        if code:
            state[0][code] = min(state[0].get(code, since), since)


def prefill_reports(reports: Mapping[Any, tuple[str, str, Any, str, Any]]) -> dict[Any, Prefill]:
    """The registry's values of reports that may not exist yet (a file's): {key: (province,
    commune or "", schedule, period id, form spec)} → {key: Prefill} for those the registry fills.
    One count per closing day for all their communes."""
    from reporting import periods as P

    provinces = {province for province, commune, *_ in reports.values() if commune}
    if not provinces:
        return {}
    since = dict(RegistryReporting.objects.filter(province_id__in=provinces).values_list("province_id", "since"))
    wanted: dict[datetime.date, list[tuple[Any, str, list[Cell]]]] = defaultdict(list)
    for key, (province, commune, schedule, period_id, spec) in reports.items():
        if not commune or since.get(province) is None:
            continue
        day = P.parse(period_id).bounds(schedule.convention)[1]
        cells = registry_cells(spec)
        if day >= since[province] and cells:
            wanted[day].append((key, commune, cells))
    out: dict[Any, Prefill] = {}
    for day, items in wanted.items():
        counts = counts_by_commune({commune for _, commune, _ in items}, day)
        for key, commune, cells in items:
            out[key] = _prefill(cells, counts[commune], day)
    return out


# — the province's switch —


@transaction.atomic
def enable(province_id: str, since: datetime.date, acting_user: User | None = None) -> RegistryReporting:
    """The province's commune reports of periods closing on or after `since` take the registry's
    figures: their open reports are filled now (approved ones stay as approved)."""
    from audit.services import record
    from geo.models import Commune

    setting, _ = RegistryReporting.objects.update_or_create(
        province_id=province_id,
        defaults={"since": since, "enabled_by": acting_user, "enabled_at": timezone.now()},
    )
    record(
        actor=acting_user,
        action="cases.registry_reporting.enable",
        obj=setting,
        changes={"since": [None, since.isoformat()]},
        province_code=province_id,
    )
    communes = Commune.objects.filter(province_id=province_id).values_list("code", flat=True)
    registry_changed(list(communes), since)
    return setting


@transaction.atomic
def disable(province_id: str, acting_user: User | None = None) -> bool:
    """Commune reports are typed again (values already stored stay, and become editable)."""
    from audit.services import record

    setting = RegistryReporting.objects.filter(province_id=province_id).first()
    if setting is None:
        return False
    record(
        actor=acting_user,
        action="cases.registry_reporting.disable",
        obj=setting,
        changes={"since": [setting.since.isoformat(), None]},
        province_code=province_id,
    )
    setting.delete()
    ReportDiscrepancy.objects.filter(province_id=province_id).delete()
    return True


def flagged_count(*, province_id: str, form_id: int, period_id: str, kind: str) -> int:
    """How many approved reports of a province's form and period the registry no longer agrees with."""
    return ReportDiscrepancy.objects.filter(
        province_id=province_id,
        submission__schedule__form_id=form_id,
        submission__period=period_id,
        submission__kind=kind,
    ).count()
