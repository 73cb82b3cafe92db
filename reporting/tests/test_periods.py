import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reporting.periods import DueRule, PeriodError, containing, make, parse, rule_from_extract, shift

D = dt.date


@pytest.mark.parametrize(
    ("pid", "label"),
    [
        ("202606", "Tháng 6/2026"),
        ("2026Q2", "Quý II/2026"),
        ("2026S1", "6 tháng đầu năm 2026"),
        ("2026S2", "6 tháng cuối năm 2026"),
        ("2026", "Năm 2026"),
    ],
)
def test_labels(pid, label):
    assert parse(pid).label == label and parse(pid).id == pid


@pytest.mark.parametrize("bad", ["2026Q5", "202613", "2026S3", "26Q1", "", "Quý I", "2026-06"])
def test_malformed_ids_are_refused_in_vietnamese(bad):
    with pytest.raises(PeriodError, match="không hợp lệ"):
        parse(bad)


@pytest.mark.parametrize(
    ("pid", "calendar", "administrative"),
    [
        ("2026Q1", (D(2026, 1, 1), D(2026, 3, 31)), (D(2025, 12, 15), D(2026, 3, 14))),
        ("2026Q2", (D(2026, 4, 1), D(2026, 6, 30)), (D(2026, 3, 15), D(2026, 6, 14))),
        ("2026Q4", (D(2026, 10, 1), D(2026, 12, 31)), (D(2026, 9, 15), D(2026, 12, 14))),
        ("2026S1", (D(2026, 1, 1), D(2026, 6, 30)), (D(2025, 12, 15), D(2026, 6, 14))),
        ("2026S2", (D(2026, 7, 1), D(2026, 12, 31)), (D(2026, 6, 15), D(2026, 12, 14))),
        ("2026", (D(2026, 1, 1), D(2026, 12, 31)), (D(2025, 12, 15), D(2026, 12, 14))),
        ("202601", (D(2026, 1, 1), D(2026, 1, 31)), (D(2025, 12, 15), D(2026, 1, 14))),
        ("202602", (D(2026, 2, 1), D(2026, 2, 28)), (D(2026, 1, 15), D(2026, 2, 14))),
    ],
)
def test_bounds_under_both_conventions(pid, calendar, administrative):
    p = parse(pid)
    assert p.bounds("calendar") == calendar
    assert p.bounds("administrative") == administrative


@pytest.mark.parametrize(
    ("day", "frequency", "expected"),
    [
        (D(2025, 12, 14), "quarterly", "2025Q4"),
        (D(2025, 12, 15), "quarterly", "2026Q1"),
        (D(2025, 12, 31), "annual", "2026"),
        (D(2026, 6, 14), "semiannual", "2026S1"),
        (D(2026, 6, 15), "semiannual", "2026S2"),
        (D(2026, 1, 14), "monthly", "202601"),
        (D(2026, 1, 15), "monthly", "202602"),
    ],
)
def test_the_14th_closing_across_a_year_end(day, frequency, expected):
    assert containing(frequency, day, "administrative").id == expected


def test_calendar_containing():
    assert containing("quarterly", D(2025, 12, 31)).id == "2025Q4"


def test_previous_next_and_last_year():
    assert parse("2026Q1").previous().id == "2025Q4"
    assert parse("2025Q4").next().id == "2026Q1"
    assert parse("202601").previous().id == "202512"
    assert parse("2026Q2").same_period_last_year().id == "2025Q2"


@pytest.mark.parametrize(
    ("rule", "pid", "due"),
    [
        (DueRule("day_of_last_month", day=15), "2026Q1", D(2026, 3, 15)),
        (DueRule("day_of_last_month", day=31), "2026Q1", D(2026, 3, 31)),
        (DueRule("day_of_last_month", day=31), "202602", D(2026, 2, 28)),
        (DueRule("day_month", day=15, month=6), "2026S1", D(2026, 6, 15)),
        (DueRule("day_month", day=15, month=12), "2026", D(2026, 12, 15)),
        (DueRule("fixed_date", date=D(2024, 7, 3)), None, D(2024, 7, 3)),
    ],
)
def test_due_rules(rule, pid, due):
    assert rule.due(parse(pid) if pid else None) == due


def test_days_after_close_follows_the_convention():
    rule = DueRule("days_after_close", days=3)
    assert rule.due(parse("2026Q1"), "administrative") == D(2026, 3, 17)
    assert rule.due(parse("2026Q1"), "calendar") == D(2026, 4, 3)


def test_rules_from_the_plan_extractor():
    assert rule_from_extract("15 of last month of quarter") == DueRule("day_of_last_month", day=15)
    assert rule_from_extract("--06-15") == DueRule("day_month", day=15, month=6)
    assert rule_from_extract("2024-07-03") == DueRule("fixed_date", date=D(2024, 7, 3))
    assert rule_from_extract(None) is None
    with pytest.raises(PeriodError, match="không tồn tại"):
        rule_from_extract("2026-02-31")


@given(st.sampled_from(["monthly", "quarterly", "semiannual", "annual"]), st.integers(2000, 2090), st.integers(-50, 50))
def test_shift_round_trips_and_bounds_tile_the_year(frequency, year, steps):
    p = make(frequency, year, 1)
    assert shift(shift(p, steps), -steps) == p
    q = shift(p, steps)
    for convention in ("calendar", "administrative"):
        # consecutive periods touch: no gap, no overlap
        assert q.bounds(convention)[1] + dt.timedelta(days=1) == q.next().bounds(convention)[0]
        assert containing(frequency, q.bounds(convention)[0], convention) == q
        assert containing(frequency, q.bounds(convention)[1], convention) == q
