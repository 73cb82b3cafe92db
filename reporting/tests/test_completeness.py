"""Completeness and timeliness: the units × periods matrix and its rates."""

import datetime as dt

import pytest

from reporting.services import completeness as C
from reporting.services import review
from reporting.services import schedules as S
from reporting.tests.builders_entry import (
    TODAY,
    commune_schedule,
    commune_unit,
    open_sub,
    reporting_catalogue,  # noqa: F401
    submitted,
    user,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reporting_catalogue")]
C1, C2, C3 = "24133", "24169", "24175"


@pytest.fixture
def schedule():
    s = commune_schedule(first="2026Q1", all_communes=False, communes=[C1, C2, C3])
    due = {p: S.due_date(s, S.period_of(s, p)) for p in ("2026Q1", "2026Q2", "2026Q3")}
    sub = submitted(s, "2026Q1", commune_unit(C1), on=due["2026Q1"])
    review.approve_submission(acting_user=user("thuongtruc"), submission=sub)
    submitted(s, "2026Q1", commune_unit(C2), on=due["2026Q1"] + dt.timedelta(days=1))
    submitted(s, "2026Q2", commune_unit(C1), on=due["2026Q2"] + dt.timedelta(days=3))
    sub = submitted(s, "2026Q3", commune_unit(C1), on=due["2026Q3"])
    review.return_submission(acting_user=user("thuongtruc"), submission=sub, comment="Sửa")
    open_sub(s, "2026Q3", commune_unit(C2), on=due["2026Q3"])
    open_sub(s, "2026Q4", commune_unit(C1))
    return s


def test_cells_say_on_time_late_missing_draft_returned_approved_pending(schedule):
    periods = S.schedule_periods(schedule, until=TODAY)
    m = C.completeness_matrix(schedule, periods, on=TODAY)
    grid = {(u.pk, p.id): m.cells[(u.key, p.id)].state for u in m.units for p in m.periods}
    assert [grid[(C1, p)] for p in ("2026Q1", "2026Q2", "2026Q3", "2026Q4")] == [
        "approved",
        "late",
        "returned",
        "pending",
    ]
    assert [grid[(C2, p)] for p in ("2026Q1", "2026Q2", "2026Q3", "2026Q4")] == ["late", "missing", "draft", "pending"]
    assert [grid[(C3, p)] for p in ("2026Q1", "2026Q2", "2026Q3", "2026Q4")] == [
        "missing",
        "missing",
        "missing",
        "pending",
    ]
    assert m.cells[(f"commune:{C1}", "2026Q1")].submission_id is not None
    assert m.cells[(f"commune:{C3}", "2026Q1")].submission_id is None


def test_rates_per_period_per_unit_and_overall(schedule):
    m = C.completeness_matrix(schedule, S.schedule_periods(schedule, until=TODAY), on=TODAY)
    rates = {p: (round(r.completeness, 1), round(r.timeliness, 1)) for p, r in m.by_period.items()}
    assert rates == {"2026Q1": (66.7, 33.3), "2026Q2": (33.3, 0.0), "2026Q3": (0.0, 0.0), "2026Q4": (0.0, 0.0)}
    units = {k.split(":")[1]: (r.expected, r.received, r.on_time) for k, r in m.by_unit.items()}
    assert units == {C1: (3, 2, 1), C2: (3, 1, 0), C3: (3, 0, 0)}  # the period not yet due is left out
    assert (m.total.expected, m.total.received, m.total.on_time) == (9, 3, 1)


def test_a_report_returned_and_resubmitted_keeps_its_first_date(schedule):
    sub = submitted(schedule, "2026Q2", commune_unit(C3), on=S.due_date(schedule, S.period_of(schedule, "2026Q2")))
    review.return_submission(acting_user=user("thuongtruc"), submission=sub, comment="Sửa")
    from reporting.tests.builders_entry import save, valid_input

    assert save(sub, valid_input(schedule), submit=True, on=TODAY).submitted
    m = C.completeness_matrix(schedule, S.schedule_periods(schedule, until=TODAY), on=TODAY)
    assert m.cells[(f"commune:{C3}", "2026Q2")].state == "on_time"


def test_the_matrix_costs_the_same_queries_whatever_its_size(schedule, queries_of):
    every = commune_schedule(first="2021Q1")
    periods = S.schedule_periods(every, until=TODAY)[-20:]
    one = queries_of(lambda: C.completeness_matrix(every, periods[-1:], on=TODAY))
    assert queries_of(lambda: C.completeness_matrix(every, periods, on=TODAY)) == one
    m = C.completeness_matrix(every, periods, on=TODAY)
    assert len(m.units) == 102 and len(m.periods) == 20 and len(m.cells) == 2040


def test_matrix_periods_takes_the_latest_started():
    s = commune_schedule(first="2025Q1")
    assert [p.id for p in C.matrix_periods(s, TODAY, count=3)] == ["2026Q2", "2026Q3", "2026Q4"]


# — the status grid (issue 16): one state per cell, rates that agree with it, sort and filter —


def test_a_report_received_before_its_due_day_counts_so_a_row_never_reads_zero_beside_a_tick(schedule):
    early = submitted(schedule, "2026Q4", commune_unit(C3), on=TODAY)  # not yet due on TODAY
    review.approve_submission(acting_user=user("thuongtruc"), submission=early)
    m = C.completeness_matrix(schedule, S.schedule_periods(schedule, until=TODAY), on=TODAY)
    assert m.cells[(f"commune:{C3}", "2026Q4")].state == "approved"
    rate = m.by_unit[f"commune:{C3}"]
    assert (rate.expected, rate.received, rate.on_time) == (4, 1, 1) and rate.completeness == 25
    # The invariant, on every row: a received cell means a rate above 0; 100% means nothing owed.
    for _unit, cells, r in m.rows():
        received = [c for c in cells if c.state in ("approved", "on_time", "late")]
        owed = [c for c in cells if c.state in ("missing", "draft", "returned")]
        assert bool(received) == bool(r.received) and (r.completeness == 100) == (bool(received) and not owed)


def test_status_rows_filter_and_sort_by_the_focus_periods_state(schedule):
    m = C.completeness_matrix(schedule, S.schedule_periods(schedule, until=TODAY), on=TODAY)
    names = {u.key: u.pk for u in m.units}
    rows = C.status_rows(m, "2026Q3")
    assert [names[r.unit.key] for r in rows] == [names[u.key] for u in m.units]  # "name": the matrix order
    by_state = C.status_rows(m, "2026Q3", sort="state")
    assert [r.focus.state for r in by_state] == ["missing", "returned", "draft"]
    by_rate = C.status_rows(m, "2026Q3", sort="rate")
    assert [r.unit.pk for r in by_rate] == [C3, C2, C1]  # 0%, 33%, 67%
    assert [r.unit.pk for r in C.status_rows(m, "2026Q3", state="draft")] == [C2]
    assert C.status_rows(m, "2026Q1", state="pending") == []
    assert C.state_counts(m, "2026Q1") == {
        **dict.fromkeys(C.CELL_STATES, 0),
        "approved": 1,
        "late": 1,
        "missing": 1,
    }
