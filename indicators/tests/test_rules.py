"""Pure rules: expressions, formulas (division by zero), target resolution, attainment at boundaries."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from indicators import rules
from indicators.rules import ACHIEVED, NO_DATA, NO_TARGET, OFF_TRACK, ON_TRACK, Goal

D = Decimal


@dataclass
class T:
    province_id: str | None
    year: int | None
    comparator: str
    value: Decimal | None


def test_expressions():
    assert rules.parse_expression("A + B_2 - C") == [(1, "A"), (1, "B_2"), (-1, "C")]
    assert rules.parse_expression("#A") == [(1, "#A")]
    assert rules.codes("A + #B", "C") == {"A", "B", "C"}
    for bad in ("A B", "A +", "A * B", "1 + A"):
        with pytest.raises(rules.ExpressionError, match="không hợp lệ"):
            rules.parse_expression(bad)


def test_formula_and_division_by_zero():
    values = {"A": D(3), "B": D(4), "Z": D(0)}
    assert rules.formula("A", "A + B", D(100), values) == D(300) / D(7)
    assert rules.formula("A + MISSING", "", D(1), values) == D(3)
    assert rules.formula("MISSING", "", D(1), values) is None
    assert rules.formula("A", "Z", D(100), values) is None
    assert rules.formula("A", "MISSING", D(100), values) is None
    assert rules.formula("A", "B - B", D(100), values) is None


NATIONAL = [T(None, 2025, ">=", D(20)), T(None, 2030, ">=", D(50))]


def test_national_milestones_and_linear_path():
    assert rules.resolve(NATIONAL, "66", 2025) == Goal(">=", D(20), 2025, None, False)
    goal = rules.resolve(NATIONAL, "66", 2027)
    assert (goal.value, goal.year, goal.expected) == (D(50), 2030, D(32))  # 20 + 30 × 2/5
    assert rules.resolve(NATIONAL, "66", 2031).year == 2030  # after the last milestone: the last one


def test_provincial_overrides_replace_the_national_target_of_the_same_year():
    targets = NATIONAL + [T("33", 2026, ">=", D(50)), T("33", 2028, ">=", D(100))]
    assert rules.resolve(targets, "33", 2026) == Goal(">=", D(50), 2026, None, True)
    assert rules.resolve(targets, "33", 2027).expected == D(75)
    assert rules.resolve(targets, "66", 2026).value == D(50) and not rules.resolve(targets, "66", 2026).local
    assert rules.resolve(targets, None, 2026).year == 2030  # the nation ignores overrides


def test_without_an_earlier_milestone_progress_starts_from_zero_at_the_programme_start():
    goal = rules.resolve([T(None, 2030, ">", D(90))], None, 2027)
    assert goal.expected == D(90) * 3 / 6


def test_every_year_and_relative_targets():
    targets = [T(None, None, "increase", D(5)), T("66", None, "decrease", None)]
    assert rules.resolve(targets, "33", 2026).comparator == "increase"
    assert rules.resolve(targets, "66", 2026) == Goal("decrease", None, None, None, True)
    assert rules.resolve([], "66", 2026) is None


@pytest.mark.parametrize(
    ("value", "expected"), [(D(50), ACHIEVED), (D("49.99"), ON_TRACK), (D(32), ON_TRACK), (D("31.99"), OFF_TRACK)]
)
def test_absolute_attainment_boundaries(value, expected):
    assert rules.classify(value, rules.resolve(NATIONAL, "66", 2027)) == expected


@pytest.mark.parametrize(
    ("comparator", "value", "expected"),
    [
        (">", D(80), OFF_TRACK),
        (">", D("80.01"), ACHIEVED),
        (">=", D(80), ACHIEVED),
        ("=", D(80), ACHIEVED),
        ("<", D(80), OFF_TRACK),
        ("<", D("79.9"), ACHIEVED),
        ("<=", D(80), ACHIEVED),
        ("<=", D("80.1"), OFF_TRACK),
    ],
)
def test_comparators_in_the_milestone_year(comparator, value, expected):
    assert rules.classify(value, Goal(comparator, D(80), 2026)) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(D("105.01"), ACHIEVED), (D(105), ON_TRACK), (D("100.01"), ON_TRACK), (D(100), OFF_TRACK), (D(90), OFF_TRACK)],
)
def test_increase_above_five_percent(value, expected):
    assert rules.classify(value, Goal("increase", D(5), None), baseline=D(100)) == expected


@pytest.mark.parametrize(
    ("goal_value", "value", "expected"),
    [
        (None, D(99), ACHIEVED),
        (None, D(100), OFF_TRACK),
        (D(10), D("89.99"), ACHIEVED),
        (D(10), D(90), ON_TRACK),
        (D(10), D(101), OFF_TRACK),
    ],
)
def test_decrease(goal_value, value, expected):
    assert rules.classify(value, Goal("decrease", goal_value, None), baseline=D(100)) == expected


def test_missing_data_or_target():
    assert rules.classify(None, Goal(">=", D(1), 2030)) == NO_DATA
    assert rules.classify(D(1), None) == NO_TARGET
    assert rules.classify(D(1), Goal("increase", D(3), None), baseline=None) == NO_DATA
    assert rules.classify(D(1), Goal("increase", D(3), None), baseline=D(0)) == ACHIEVED


def test_goal_labels():
    assert Goal(">=", D(50), 2030).label == "Ít nhất 50 (năm 2030)"
    assert Goal("increase", D("3"), None).label == "Tăng trên 3% so với cùng kỳ năm trước"
    assert Goal("decrease", None, None).label == "Giảm so với cùng kỳ năm trước"
    assert Goal(">", D("80.5"), 2030).label == "Trên 80,5 (năm 2030)"
    assert Goal("<=", D("1500.125"), None).label == "Tối đa 1.500,13"  # grouped, two decimals at most
