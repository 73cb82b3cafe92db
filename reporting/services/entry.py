"""Entry: what a unit must report, opening a period, the grid, saving and submitting.

Values arrive as the text people type (`v-<CODE>-<CATEGORY or T>` fields, `c-<CODE>` comments),
in Vietnamese notation, and pass the same gate as files (`reporting.services.gate`: one checker
per value type, the entry window and locks, rules and outliers). A draft keeps work: the cells
the checker takes are written, the ones it refuses are kept as typed (`Submission.pending_raw`)
and shown marked until corrected; they block submission only. A version mismatch (someone saved
in between) writes nothing and says so, unless it is the same person's double click (the same
values: nothing to redo). Every changed value leaves a ValueChange row. Files (CSV, DHIS2) stay
all-or-nothing (`reporting.services.exchange`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from access.policy import reach, require_visible
from audit.services import record
from core.vn import InputError, Notation, format_date, format_number
from reporting import periods as P
from reporting.models import DataElement, DataValue, Submission, ValueChange
from reporting.rules import Cell
from reporting.services import prefill as autofill
from reporting.services import schedules as S
from reporting.services import versions
from reporting.services.gate import (  # noqa: F401 - re-exported: views and tests read them from entry
    HISTORY_PERIODS,
    MAX_TEXT,
    MAX_VALUE,
    Checks,
    FormSpec,
    Item,
    Stored,
    admission,
    check,
    check_value,
    form_spec,
    history,
    spec_for,
)


def field_name(code: str, category: str) -> str:
    return f"v-{code}-{category or 'T'}"


def comment_name(code: str) -> str:
    return f"c-{code}"


def parse_cell(element: DataElement, raw: str) -> Stored:
    """What one typed cell means for this element (Vietnamese notation); `gate.ValueRefused` when refused."""
    return check_value(element, raw, Notation.VIETNAMESE)


def display(element: DataElement, stored: Stored | None) -> str:
    """A stored value as shown in an input: 1.234, 12,5, 15/06/2026, 1/0 for yes/no."""
    if stored is None or stored.empty:
        return ""
    if element.value_type == DataElement.ValueType.DATE:
        try:
            return format_date(stored.text)
        except ValueError:
            return stored.text
    if element.value_type == DataElement.ValueType.TEXT:
        return stored.text
    if element.value_type == DataElement.ValueType.BOOLEAN:
        return "1" if stored.value else "0"
    return format_number(stored.value, 0 if element.value_type == DataElement.ValueType.INTEGER else None)


def display_readonly(element: DataElement, stored: Stored | None) -> str:
    if element.value_type == DataElement.ValueType.BOOLEAN and stored is not None and not stored.empty:
        return "Có" if stored.value else "Không"
    return display(element, stored)


@dataclass
class Parsed:
    values: dict[Cell, Stored]  # only the cells present in the input
    raw: dict[Cell, str]
    errors: dict[Cell, str]
    comments: dict[str, str]
    codes: dict[Cell, str] = field(default_factory=dict)  # why each refused cell was refused (`ValueRefused.code`)


def parse_input(spec: FormSpec, data: Mapping[str, str]) -> Parsed:
    values, raw, errors, comments, codes = {}, {}, {}, {}, {}
    for item in spec.items:
        element = item.element
        for category in element.categories:
            name = field_name(element.code, category)
            if name not in data:
                continue
            cell = (element.code, category)
            raw[cell] = data[name]
            try:
                values[cell] = parse_cell(element, data[name])
            except InputError as exc:
                errors[cell] = str(exc)
                codes[cell] = getattr(exc, "code", "not_number")
        if comment_name(element.code) in data:
            comments[element.code] = data[comment_name(element.code)].strip()[:MAX_TEXT]
    return Parsed(values, raw, errors, comments, codes)


def kept_input(spec: FormSpec, pending: Mapping[str, str]) -> Parsed:
    """A draft's cells kept as typed, read again by the same checker: `raw` holds every kept text,
    `errors` the ones still refused (a text the checker now takes is shown for the next save)."""
    parsed = parse_input(spec, {name: text for name, text in (pending or {}).items() if name.startswith("v-")})
    return Parsed({}, parsed.raw, parsed.errors, {}, parsed.codes)


def next_pending(spec: FormSpec, pending: Mapping[str, str], parsed: Parsed) -> dict[str, str]:
    """What stays kept as typed after a save: the refused cells of this input, and the cells kept
    earlier that this input did not send (a cell sent and taken leaves the list)."""
    known = {field_name(i.element.code, c) for i in spec.items for c in i.element.categories}
    sent = {field_name(code, cat) for code, cat in parsed.raw}
    out = {name: text for name, text in (pending or {}).items() if name in known and name not in sent}
    out |= {field_name(code, cat): parsed.raw[(code, cat)][:MAX_TEXT] for code, cat in parsed.errors}
    return out


# — reading a submission —


def saved_values(submission: Submission) -> tuple[dict[Cell, Stored], dict[str, str]]:
    return saved_values_many([submission.pk])[submission.pk]


def saved_values_many(pks: list[int]) -> dict[int, tuple[dict[Cell, Stored], dict[str, str]]]:
    """`saved_values` of many submissions at once (one query)."""
    out: dict[int, tuple[dict[Cell, Stored], dict[str, str]]] = {pk: ({}, {}) for pk in pks}
    for sub_id, code, category, value, text, comment in DataValue.objects.filter(submission_id__in=pks).values_list(
        "submission_id", "element__code", "category", "value", "text", "comment"
    ):
        values, comments = out[sub_id]
        values[(code, category)] = Stored(value, text)
        if comment and category == "":
            comments[code] = comment
    return out


# — the grid a template renders —


@dataclass
class GridCell:
    category: str
    name: str
    testid: str
    value: str
    error: str = ""
    outlier: str = ""
    saved: str = ""  # the value someone else saved meanwhile, when it differs from what is shown
    previous: str = ""
    messages: list[str] = field(default_factory=list)  # broken rules anchored here (block submission)
    warnings: list[str] = field(default_factory=list)  # broken warning rules (do not block)
    missing: bool = False
    auto: bool = False  # filled by the case registry: shown, never an input


@dataclass
class GridRow:
    element: DataElement
    required: bool
    cells: list[GridCell | None]
    previous: str
    comment: str
    comment_name: str
    comment_needed: bool
    outlier: bool


@dataclass
class Issue:
    """One thing left to fix, in grid order, with the id of the input it concerns (empty: none)."""

    anchor: str
    label: str
    message: str
    blocking: bool = True


@dataclass
class Grid:
    sections: list[tuple[str, list[GridRow]]]
    columns: list[tuple[str, str]]
    previous_label: str
    problems: int
    warnings: int
    issues: list[Issue] = field(default_factory=list)
    auto_note: str = ""  # "Tự động từ sổ quản lý hồ sơ (tính đến ngày dd/mm/yyyy)" when some cells are


def build_grid(
    spec: FormSpec,
    submission: Submission,
    *,
    shown: Mapping[Cell, Stored],
    raw: Mapping[Cell, str] | None = None,
    errors: Mapping[Cell, str] | None = None,
    comments: Mapping[str, str],
    checks: Checks | None,
    past: Mapping[Cell, list[tuple[str, Decimal]]],
    conflict: Mapping[Cell, Stored] | None = None,
    prefill: autofill.Prefill | None = None,
) -> Grid:
    raw, errors = raw or {}, errors or {}
    auto = prefill.values if prefill is not None else {}
    previous_id = P.parse(submission.period).previous().id if submission.schedule.frequency != "once" else ""
    sections = []
    issues: list[Issue] = []
    for name, items in spec.sections:
        rows = []
        for item in items:
            element = item.element
            cells: list[GridCell | None] = []
            for category in spec.columns:
                if category not in element.categories:
                    cells.append(None)
                    continue
                cell = (element.code, category)
                if cell in auto:  # the registry's figure as stored (frozen once approved)
                    value = display(element, shown.get(cell) or Stored(auto[cell]))
                    prev = [Stored(val) for period, val in past.get(cell, []) if period == previous_id]
                    cells.append(
                        GridCell(
                            category,
                            field_name(element.code, category),
                            f"cell-{element.code}-{category or 'T'}",
                            value,
                            previous=display_readonly(element, prev[0]) if prev else "",
                            auto=True,
                        )
                    )
                    continue
                value = raw[cell] if cell in raw else display(element, shown.get(cell))
                prev = [Stored(val) for period, val in past.get(cell, []) if period == previous_id]
                gc = GridCell(
                    category,
                    field_name(element.code, category),
                    f"cell-{element.code}-{category or 'T'}",
                    value,
                    error=errors.get(cell, ""),
                    previous=display_readonly(element, prev[0]) if prev else "",
                )
                if checks:
                    gc.outlier = checks.outliers.get(cell, "")
                    gc.messages = list(checks.errors.get(cell, []))
                    gc.warnings = list(checks.warnings.get(cell, []))
                    gc.missing = cell in checks.missing and not gc.error  # typed, only not taken
                if conflict is not None and cell in raw:
                    try:
                        typed = parse_cell(element, raw[cell])
                    except InputError:
                        typed = None
                    if typed is None or typed.canonical() != conflict.get(cell, Stored()).canonical():
                        gc.saved = display_readonly(element, conflict.get(cell)) or "(trống)"
                cells.append(gc)
            needed = bool(checks and element.code in checks.needs_comment)
            present = [c for c in cells if c]
            issues.extend(_issues(element, present, needed))
            total_prev = next((c.previous for c in present if c.category == ""), "")
            rows.append(
                GridRow(
                    element,
                    item.required,
                    cells,
                    total_prev,
                    comments.get(element.code, ""),
                    comment_name(element.code),
                    needed,
                    any(c.outlier for c in present),
                )
            )
        sections.append((name, rows))
    if checks:  # rules that name no cell of the grid
        for message in checks.errors.get(("", ""), []):
            issues.append(Issue("", "Toàn biểu", message))
        for message in checks.warnings.get(("", ""), []):
            issues.append(Issue("", "Toàn biểu", message, blocking=False))
    previous_label = P.parse(previous_id).label if previous_id else ""
    labels = spec.labels
    columns = [(c, labels.get(c, c)) for c in spec.columns]
    problems = sum(i.blocking for i in issues)
    note = prefill.note if prefill is not None and auto else ""
    return Grid(sections, columns, previous_label, problems, len(issues) - problems, issues, note)


def _issues(element: DataElement, cells: list[GridCell], comment_needed: bool) -> list[Issue]:
    out = []
    for c in cells:
        label = element.name if not c.category else f"{element.name} — {element.category_label(c.category)}"
        if c.error:
            out.append(Issue(c.testid, label, f"Nhập chưa đúng: {c.error}"))
        if c.missing:
            out.append(Issue(c.testid, label, "Chưa nhập (nhập 0 nếu không có)."))
        out.extend(Issue(c.testid, label, m) for m in c.messages)
        out.extend(Issue(c.testid, label, f"Lưu ý: {m}", blocking=False) for m in c.warnings)
    if comment_needed:
        out.append(
            Issue(
                f"comment-{element.code}",
                element.name,
                "Số liệu khác thường so với các kỳ trước: hãy ghi giải trình.",
            )
        )
    return out


# — writing —


@dataclass
class EntryResult:
    ok: bool
    submitted: bool = False
    conflict: bool = False
    refused: str = ""
    changed: int = 0
    parsed: Parsed | None = None
    checks: Checks | None = None
    saved: dict[Cell, Stored] | None = None  # the values in the database afterwards (or now, on conflict)
    comments: dict[str, str] | None = None
    already: bool = False  # a second click on "Nộp": the same values were already submitted
    kept: Parsed | None = None  # the cells kept as typed afterwards (raw text, the checker's messages)
    version: int = 0  # the report's version afterwards (what the next save must send)
    prefill: autofill.Prefill | None = None  # the registry's cells of the report, if any

    @property
    def invalid(self) -> dict[Cell, str]:
        return self.kept.errors if self.kept else {}


def can_edit(submission: Submission, on: dt.date) -> tuple[bool, str]:
    if not submission.is_editable_status:
        return False, f"Báo cáo đang ở trạng thái «{submission.get_status_display()}», không sửa được."
    unit = (
        S.Unit("agency", submission.agency_id, "")
        if submission.agency_id
        else S.Unit("commune", submission.commune_id, "")
    )
    reason = admission(submission.schedule, P.parse(submission.period), unit, on, status=submission.status)
    return not reason, reason[:1].upper() + reason[1:]


def _same_as_saved(
    parsed: Parsed, saved: Mapping[Cell, Stored], comments: Mapping[str, str], pending: Mapping[str, str]
) -> bool:
    """True when everything typed is what the report already holds (a double click, a re-sent form)."""
    return (
        all(
            saved.get(cell, Stored()).canonical() == new.canonical() and field_name(*cell) not in pending
            for cell, new in parsed.values.items()
        )
        and all(pending.get(field_name(*cell)) == parsed.raw[cell] for cell in parsed.errors)
        and all(comments.get(code, "") == text for code, text in parsed.comments.items())
    )


def save_submission(
    *,
    acting_user: Any,
    submission: Submission,
    version: int,
    data: Mapping[str, str],
    submit: bool = False,
    on: dt.date | None = None,
    _retried: bool = False,
) -> EntryResult:
    """Save the typed values as a draft, and submit them when asked and nothing blocks.

    Every cell the gate's checker takes is written; a refused cell is kept as typed in
    `pending_raw` (the stored value stays as it was) and blocks submission only. A stale
    `version` or a closed form write nothing. On submit, kept cells, missing required cells,
    broken rules and unexplained outliers keep the report a draft (the values are saved). A
    stale `version` whose values are exactly what the report holds is the same form sent twice
    (a double click while the first request ran): no conflict; a report already submitted says
    so (`already`), an editable one is saved again on the current version.
    """
    require_visible(Submission.objects.for_user(acting_user, "edit"), submission)
    on = on or S.today()
    spec = spec_for(submission)
    parsed = parse_input(spec, data)
    elements = spec.elements
    with transaction.atomic():
        if not Submission.objects.filter(pk=submission.pk, version=version).update(
            version=F("version") + 1, updated_at=timezone.now()
        ):
            current = Submission.objects.get(pk=submission.pk)
            saved, comments = saved_values(current)
            if not _retried and _same_as_saved(parsed, saved, comments, current.pending_raw):
                if not current.is_editable_status:
                    done = submit and current.status in (Submission.Status.SUBMITTED, Submission.Status.APPROVED)
                    return EntryResult(
                        ok=True,
                        submitted=done,
                        already=done,
                        parsed=parsed,
                        saved=saved,
                        comments=comments,
                        version=current.version,
                    )
                return save_submission(
                    acting_user=acting_user,
                    submission=current,
                    version=current.version,
                    data=data,
                    submit=submit,
                    on=on,
                    _retried=True,
                )
            return EntryResult(
                ok=False, conflict=True, parsed=parsed, saved=saved, comments=comments, version=current.version
            )
        submission.refresh_from_db(fields=["version", "status", "updated_at", "pending_raw"])
        allowed, reason = can_edit(submission, on)
        if not allowed:
            transaction.set_rollback(True)
            return EntryResult(ok=False, refused=reason, parsed=parsed)
        prefill = autofill.provider().sync(submission, spec)
        if prefill is not None:
            refused = registry_refusal(spec, parsed, prefill)
            if refused:
                transaction.set_rollback(True)
                return EntryResult(ok=False, refused=refused, parsed=parsed)
            submission.refresh_from_db(fields=["pending_raw"])
        existing = {
            (code, cat): (pk, Stored(value, text), comment)
            for pk, code, cat, value, text, comment in submission.values.values_list(
                "pk", "element__code", "category", "value", "text", "comment"
            )
        }
        upserts: dict[Cell, DataValue] = {}
        deletes, changes = [], []

        def row_for(cell: Cell) -> DataValue:
            if cell not in upserts:
                _, old, comment = existing.get(cell, (None, Stored(), ""))
                upserts[cell] = DataValue(
                    submission=submission,
                    element=elements[cell[0]],
                    category=cell[1],
                    value=old.value,
                    text=old.text,
                    comment=comment,
                    updated_by=acting_user,
                )
            return upserts[cell]

        for cell, new in parsed.values.items():
            pk, old, comment = existing.get(cell, (None, Stored(), ""))
            if old.canonical() == new.canonical():
                continue
            changes.append(
                ValueChange(
                    submission=submission,
                    element=elements[cell[0]],
                    category=cell[1],
                    old=old.canonical()[:255],
                    new=new.canonical()[:255],
                    changed_by=acting_user,
                )
            )
            if pk is not None and new.empty and not (cell[1] == "" and (comment or parsed.comments.get(cell[0]))):
                deletes.append(pk)
            else:
                row = row_for(cell)
                row.value, row.text = new.value, new.text
        for code, comment in parsed.comments.items():
            cell = (code, "")
            if comment != existing.get(cell, (None, Stored(), ""))[2] and (comment or cell in existing):
                row_for(cell).comment = comment
        if upserts:
            # One INSERT … ON CONFLICT DO UPDATE for new and changed cells alike (SQLite and PostgreSQL).
            DataValue.objects.bulk_create(
                list(upserts.values()),
                update_conflicts=True,
                unique_fields=["submission", "element", "category"],
                update_fields=["value", "text", "comment", "updated_by", "updated_at"],
            )
        if deletes:
            DataValue.objects.filter(pk__in=deletes).delete()
        ValueChange.objects.bulk_create(changes)
        pending = next_pending(spec, submission.pending_raw, parsed)
        pending_changed = pending != submission.pending_raw
        if pending_changed:
            submission.pending_raw = pending
            Submission.objects.filter(pk=submission.pk).update(pending_raw=pending)
        kept = kept_input(spec, pending)
        saved, comments = saved_values(submission)
        checks = check(spec, saved, comments, history(submission), fixed=prefill.values if prefill else ())
        submitted = False
        if submit and not checks.blocking and not kept.errors:
            now = timezone.now()
            submission.status = Submission.Status.SUBMITTED
            submission.submitted_at, submission.submitted_by = now, acting_user
            submission.first_submitted_at = submission.first_submitted_at or now
            submission.save(
                update_fields=["status", "submitted_at", "submitted_by", "first_submitted_at", "updated_at"]
            )
            submitted = True
        if changes or submitted or pending_changed:
            record(
                actor=acting_user,
                action="submission.submit" if submitted else "submission.save",
                obj=submission,
                changes={"values_changed": len(changes), "kept_as_typed": len(pending), "version": submission.version},
                province_code=submission.province_id,
            )
    return EntryResult(
        ok=True,
        submitted=submitted,
        changed=len(changes),
        parsed=parsed,
        checks=checks,
        saved=saved,
        comments=comments,
        kept=kept,
        version=submission.version,
        prefill=prefill,
    )


def registry_refusal(spec: FormSpec, parsed: Parsed, prefill: autofill.Prefill) -> str:
    """The grid's side of the registry's read-only cells: a value sent for one (a stale page, a
    hand-made request) that differs from the registry's figure refuses the save, as files are
    refused; an equal one changes nothing and is dropped."""
    refused = []
    for cell in [c for c in (*parsed.values, *parsed.errors) if c in prefill.values]:
        new = parsed.values.get(cell)
        if new is not None and not new.empty and new.value == prefill.values[cell]:
            del parsed.values[cell]
            continue
        refused.append(autofill.provider().refused_message(spec.elements[cell[0]], cell[1], prefill))
    return " ".join(refused)


# — what a unit must report —


@dataclass
class DueItem:
    schedule: Any
    period: P.Period
    unit: S.Unit
    due: dt.date
    closes: dt.date
    submission: Submission | None
    state: str  # returned | overdue | due_soon | draft | upcoming | closed | submitted | approved
    open: bool

    @property
    def state_label(self) -> str:
        return DUE_STATES[self.state][0]

    @property
    def badge(self) -> str:
        return DUE_STATES[self.state][1]


DUE_STATES = {
    "returned": ("Bị trả lại", "danger"),
    "overdue": ("Quá hạn", "danger"),
    "due_soon": ("Sắp đến hạn", "warning"),
    "draft": ("Đang nhập", "info"),
    "upcoming": ("Chưa đến hạn", "secondary"),
    "closed": ("Đã khóa nhập", "dark"),
    "submitted": ("Đã nộp, chờ duyệt", "primary"),
    "approved": ("Đã duyệt", "success"),
}
_ORDER = ["returned", "overdue", "due_soon", "draft", "upcoming", "closed", "submitted", "approved"]
SOON_DAYS = 7
RECENT_DAYS = 366


def unit_names(agency_ids: set[int], commune_codes: set[str]) -> dict[str, S.Unit]:
    from agencies.models import Agency
    from geo.models import Commune

    units = {
        f"agency:{pk}": S.Unit("agency", pk, name)
        for pk, name in Agency.objects.filter(pk__in=agency_ids).values_list("pk", "name")
    }
    units |= {
        f"commune:{c}": S.Unit("commune", c, n)
        for c, n in Commune.objects.filter(code__in=commune_codes).values_list("code", "name")
    }
    return units


def due_items(user: Any, on: dt.date | None = None) -> list[DueItem]:
    """The periods a person's units must report, most urgent first: returned, overdue, due soon,
    drafts, not yet due; then closed ones of the last year and what was recently submitted."""
    on = on or S.today()
    r = reach(user, "submission.enter")
    agency_ids, commune_codes = set(r.agencies), set(r.communes)
    units = unit_names(agency_ids, commune_codes)
    by_unit = S.schedules_for_units(agency_ids, commune_codes)
    schedule_ids = {s.pk for ss in by_unit.values() for s in ss}
    subs: dict[tuple[int, str, str], Submission] = {}
    own = Q(agency_id__in=sorted(agency_ids)) | Q(commune_id__in=sorted(commune_codes))
    for sub in Submission.objects.filter(own, schedule_id__in=schedule_ids):
        subs[(sub.schedule_id, sub.period, sub.unit_key)] = sub
    exceptions = _exceptions(schedule_ids, on)
    items = []
    for key, schedules in by_unit.items():
        unit = units.get(key)
        if unit is None:
            continue
        for schedule in schedules:
            for period in S.current_periods(schedule, on, back=8):
                sub = subs.get((schedule.pk, period.id, key))
                item = _due_item(schedule, period, unit, sub, on, (schedule.pk, period.id, key) in exceptions)
                if item is not None:
                    items.append(item)
    items.sort(
        key=lambda i: (_ORDER.index(i.state), i.due if i.state not in ("submitted", "approved") else -i.due.toordinal())
    )
    return items


def _exceptions(schedule_ids: set[int], on: dt.date) -> set[tuple[int, str, str]]:
    from reporting.models import LockException

    out = set()
    for sid, period, agency, commune in LockException.objects.filter(
        schedule_id__in=schedule_ids, until__gte=on
    ).values_list("schedule_id", "period", "agency_id", "commune_id"):
        out.add((sid, period, f"agency:{agency}" if agency else f"commune:{commune}"))
    return out


def _due_item(
    schedule: Any, period: P.Period, unit: S.Unit, sub: Submission | None, on: dt.date, excepted: bool
) -> DueItem | None:
    due, closes = S.due_date(schedule, period), S.close_date(schedule, period)
    status = sub.status if sub else None
    if status in (Submission.Status.SUBMITTED, Submission.Status.APPROVED):
        if (on - due).days > RECENT_DAYS:
            return None
        return DueItem(schedule, period, unit, due, closes, sub, status, False)
    if status == Submission.Status.RETURNED:
        return DueItem(schedule, period, unit, due, closes, sub, "returned", True)
    open_ = on <= closes or excepted
    if not open_:
        if (on - due).days > RECENT_DAYS:
            return None
        return DueItem(schedule, period, unit, due, closes, sub, "closed", False)
    if on > due:
        state = "overdue"
    elif (due - on).days <= SOON_DAYS:
        state = "due_soon"
    else:
        state = "draft" if sub else "upcoming"
    return DueItem(schedule, period, unit, due, closes, sub, state, True)


OPEN_DENIED = "Chỉ cán bộ của đơn vị báo cáo mới mở được báo cáo của đơn vị."


def _existing_submission(schedule: Any, period_id: str, unit: S.Unit) -> Submission | None:
    return Submission.objects.filter(schedule=schedule, period=period_id, **unit.filter).first()


@transaction.atomic
def open_submission(
    *, acting_user: Any, schedule: Any, period_id: str, unit: S.Unit, on: dt.date | None = None
) -> Submission:
    """The unit's submission for the period, created (as a draft) on first opening.

    Raises PermissionError when the unit does not report under the schedule, PeriodError for a
    period the schedule does not have, ValueError (Vietnamese) when entry is not open, and
    PermissionDenied when the user is not one of the unit's officers. Two openings at once (a
    double click, two officers) give the same report: the one that loses the race to insert reads
    the winner's row.
    """
    on = on or S.today()
    if not S.includes_unit(schedule, unit):
        raise PermissionError("Đơn vị không thuộc lịch báo cáo này.")
    period = P.parse(period_id)
    if period.id not in {p.id for p in S.schedule_periods(schedule, until=on)}:
        raise P.PeriodError(f"Kỳ {period.label} không thuộc lịch báo cáo này hoặc chưa bắt đầu.")
    mine = Submission.objects.for_user(acting_user, "edit")
    existing = _existing_submission(schedule, period.id, unit)
    if existing:
        require_visible(mine, existing, OPEN_DENIED)
        return existing
    allowed, reason = S.entry_window(schedule, period, unit, on)
    if not allowed:
        raise ValueError(reason)
    try:
        with transaction.atomic():  # a savepoint: the losing insert of a race rolls back alone
            # The period's form version: fixed by its first report, shared by every unit.
            submission = Submission.objects.create(
                schedule=schedule,
                period=period.id,
                province_id=schedule.province_id,
                form_version=versions.for_period(schedule, period.id),
                **unit.filter,
            )
    except IntegrityError:
        # The other request committed the same report between our read and our insert (PostgreSQL
        # waited for it, then refused the duplicate): that report is the one to open.
        winner = _existing_submission(schedule, period.id, unit)
        if winner is None:
            raise
        require_visible(mine, winner, OPEN_DENIED)
        return winner
    require_visible(mine, submission, OPEN_DENIED)  # only the unit's own officers: rolled back otherwise
    record(actor=acting_user, action="submission.open", obj=submission, province_code=submission.province_id)
    return submission
