"""Completeness and timeliness: which unit reported which period, on time or late.

A report counts as received when it is submitted or approved; it is on time when it was first
submitted on or before the due day (a report returned and resubmitted keeps its first date).
Rates are over the periods already due, plus any period not yet due whose report has already come
in (so a row with a received report never reads "0%"); a period not yet due shows what has come in
so far. Each cell has one state (`cell_state`), from which its symbol, label and colour follow.
The matrix costs three queries whatever its size: the units, the submissions, nothing per cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, Value, When
from django.utils import timezone

from reporting import periods as P
from reporting.models import Schedule, Submission
from reporting.services import schedules as S

CELL_STATES = {
    "approved": ("Đã duyệt", "success"),
    "on_time": ("Đã nộp đúng hạn", "primary"),
    "late": ("Nộp muộn", "warning"),
    "returned": ("Bị trả lại", "danger"),
    "draft": ("Đang nhập", "info"),
    "missing": ("Chưa nộp (quá hạn)", "danger"),
    "pending": ("Chưa đến hạn", "light"),
}
SYMBOLS = {"approved": "✓", "on_time": "●", "late": "◐", "returned": "↩", "draft": "✎", "missing": "✗", "pending": "·"}
LEGEND = [(k, v[0], SYMBOLS[k]) for k, v in CELL_STATES.items()]
RECEIVED = (Submission.Status.SUBMITTED, Submission.Status.APPROVED)


@dataclass
class Cell:
    state: str
    submission_id: int | None = None
    timely: bool | None = None

    @property
    def label(self) -> str:
        return CELL_STATES[self.state][0] + (" (nộp muộn)" if self.state == "approved" and self.timely is False else "")

    @property
    def css(self) -> str:
        return CELL_STATES[self.state][1]

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.state]


@dataclass
class Rate:
    expected: int = 0
    received: int = 0
    on_time: int = 0

    @property
    def completeness(self) -> float | None:
        return 100 * self.received / self.expected if self.expected else None

    @property
    def timeliness(self) -> float | None:
        return 100 * self.on_time / self.expected if self.expected else None


@dataclass
class Matrix:
    schedule: Schedule
    periods: list[P.Period]
    dues: dict[str, dt.date]
    units: list[S.Unit]
    cells: dict[tuple[str, str], Cell]  # (unit key, period id)
    by_period: dict[str, Rate] = field(default_factory=dict)
    by_unit: dict[str, Rate] = field(default_factory=dict)
    total: Rate = field(default_factory=Rate)

    def columns(self) -> list[tuple[P.Period, dt.date, Rate]]:
        return [(p, self.dues[p.id], self.by_period[p.id]) for p in self.periods]

    def rows(self) -> Iterable[tuple[S.Unit, list[Cell], Rate]]:
        for unit in self.units:
            yield unit, [self.cells[(unit.key, p.id)] for p in self.periods], self.by_unit[unit.key]


def cell_state(status: str | None, timely: bool | None, due: dt.date, on: dt.date) -> Cell:
    """The state of one unit's report for one period; `timely`: first submitted by the due day."""
    if status == Submission.Status.APPROVED:
        return Cell("approved", timely=timely)
    if status == Submission.Status.SUBMITTED:
        return Cell("on_time" if timely else "late", timely=timely)
    if status == Submission.Status.RETURNED:
        return Cell("returned", timely=timely)
    if on <= due:
        return Cell("pending")
    if status == Submission.Status.DRAFT:
        return Cell("draft")
    return Cell("missing")


def _timely(dues: dict[str, dt.date]) -> Case:
    """SQL: first submitted before the end of the due day (local time) of the row's period."""
    tz = timezone.get_current_timezone()
    whens = [
        When(
            period=pid,
            first_submitted_at__lt=dt.datetime.combine(due + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
            then=Value(True),
        )
        for pid, due in dues.items()
    ]
    return Case(
        *whens,
        When(first_submitted_at__isnull=True, then=Value(None)),
        default=Value(False),
        output_field=BooleanField(null=True),
    )


def completeness_matrix(schedule: Schedule, periods: list[P.Period], on: dt.date | None = None) -> Matrix:
    """Units × periods of one schedule with rates per period, per unit and overall."""
    on = on or S.today()
    units = S.schedule_units(schedule)
    dues = {p.id: S.due_date(schedule, p) for p in periods}
    rows = (
        Submission.objects.filter(schedule=schedule, period__in=list(dues))
        .annotate(timely=_timely(dues))
        .values_list("pk", "agency_id", "commune_id", "period", "status", "timely")
    )
    found = {}
    for pk, agency, commune, period, status, timely in rows:
        found[(f"agency:{agency}" if agency else f"commune:{commune}", period)] = (pk, status, timely)
    matrix = Matrix(schedule, periods, dues, units, {})
    matrix.by_period = {p.id: Rate() for p in periods}
    due_periods = {p.id for p in periods if dues[p.id] < on}
    for unit in units:
        unit_rate = matrix.by_unit.setdefault(unit.key, Rate())
        for p in periods:
            pk, status, timely = found.get((unit.key, p.id), (None, None, None))
            cell = cell_state(status, timely, dues[p.id], on)
            cell.submission_id = pk
            matrix.cells[(unit.key, p.id)] = cell
            received = status in RECEIVED
            on_time = received and bool(timely)
            prate = matrix.by_period[p.id]
            prate.expected += 1
            prate.received += received
            prate.on_time += on_time
        for p in periods:
            pk, status, timely = found.get((unit.key, p.id), (None, None, None))
            if status in RECEIVED:
                unit_rate.expected += 1
                unit_rate.received += 1
                unit_rate.on_time += bool(timely)
            elif p.id in due_periods:
                unit_rate.expected += 1
    matrix.total = Rate(
        sum(r.expected for r in matrix.by_unit.values()),
        sum(r.received for r in matrix.by_unit.values()),
        sum(r.on_time for r in matrix.by_unit.values()),
    )
    return matrix


def matrix_periods(schedule: Schedule, on: dt.date, count: int = 8, last: str = "") -> list[P.Period]:
    """Up to `count` periods of the schedule ending with `last` (default: the latest started one)."""
    periods = S.schedule_periods(schedule, until=on)
    if last:
        periods = [p for p in periods if p.id <= last or p.frequency != P.parse(last).frequency]
    return periods[-count:]


# — the status grid: one period in focus, filtered and sorted by its state —

STATE_ORDER = ["missing", "returned", "late", "on_time", "draft", "pending", "approved"]  # most urgent first
SORTS = {"name": "Tên đơn vị", "state": "Trạng thái (cần xử lý trước)", "rate": "Tỷ lệ đầy đủ (thấp trước)"}
REMINDABLE = ("missing", "draft", "returned", "pending")  # not received: a reminder has a purpose
LATE = ("missing", "draft", "returned")  # past the due day and not received


@dataclass
class StatusRow:
    unit: S.Unit
    cells: list[Cell]
    rate: Rate
    focus: Cell
    reminded: bool = False  # reminded today for the focus period
    notes: list[str] | None = None  # a submitted report's warnings and outliers ([]: clean)

    @property
    def clean(self) -> bool:
        return self.notes == []

    @property
    def remindable(self) -> bool:
        return self.focus.state in REMINDABLE


def status_rows(
    matrix: Matrix,
    focus: str,
    *,
    state: str = "",
    sort: str = "name",
    reminded: set[str] | frozenset[str] = frozenset(),
    notes: dict[int, list[str]] | None = None,
) -> list[StatusRow]:
    """The matrix's rows for the focus period, keeping those in `state` (all when empty), sorted
    by name, by state (most urgent first, then name) or by completeness (lowest first)."""
    notes = notes or {}
    index = [p.id for p in matrix.periods].index(focus)
    rows = []
    for unit, cells, rate in matrix.rows():
        cell = cells[index]
        if state and cell.state != state:
            continue
        rows.append(StatusRow(unit, cells, rate, cell, unit.key in reminded, notes.get(cell.submission_id or 0)))
    # "name" keeps the matrix's order (agencies, then communes, each by name); sorts are stable.
    if sort == "state":
        rows.sort(key=lambda r: STATE_ORDER.index(r.focus.state))
    elif sort == "rate":
        rows.sort(key=lambda r: r.rate.completeness if r.rate.completeness is not None else 101.0)
    return rows


def state_counts(matrix: Matrix, focus: str) -> dict[str, int]:
    counts = dict.fromkeys(CELL_STATES, 0)
    for unit in matrix.units:
        counts[matrix.cells[(unit.key, focus)].state] += 1
    return counts
