"""Alert dates: the BLHS Điều 256a window, periods ending soon, deadlines passed."""

from __future__ import annotations

import datetime as dt

import pytest

from legal.alerts import due_soon, in_window_256a, overdue, window_256a_ends


@pytest.mark.parametrize(
    ("ended", "window_end"),
    [
        (dt.date(2025, 9, 12), dt.date(2027, 9, 12)),
        (dt.date(2026, 2, 28), dt.date(2028, 2, 28)),
        (dt.date(2024, 2, 29), dt.date(2026, 2, 28)),  # no 29/02/2026
    ],
)
def test_window_256a_ends_two_years_later(ended, window_end):
    assert window_256a_ends(ended) == window_end


def test_the_window_counts_only_days_the_article_is_in_force():
    ended = dt.date(2024, 3, 1)
    assert not in_window_256a(ended, dt.date(2025, 6, 30))  # Điều 256a in force from 01/7/2025
    assert in_window_256a(ended, dt.date(2025, 7, 1))
    assert in_window_256a(ended, dt.date(2026, 3, 1))
    assert not in_window_256a(ended, dt.date(2026, 3, 2))


@pytest.mark.parametrize(
    ("ends", "today", "days", "soon"),
    [
        (None, dt.date(2026, 1, 1), 30, False),
        (dt.date(2026, 1, 31), dt.date(2026, 1, 1), 30, True),
        (dt.date(2026, 2, 1), dt.date(2026, 1, 1), 30, False),
        (dt.date(2026, 1, 1), dt.date(2026, 1, 1), 30, True),
        (dt.date(2025, 12, 31), dt.date(2026, 1, 1), 30, False),
        (dt.date(2026, 1, 8), dt.date(2026, 1, 1), 7, True),
        (dt.date(2026, 1, 9), dt.date(2026, 1, 1), 7, False),
    ],
)
def test_due_soon(ends, today, days, soon):
    assert due_soon(ends, today, days=days) is soon


def test_overdue():
    assert overdue(dt.date(2026, 1, 1), dt.date(2026, 1, 2))
    assert not overdue(dt.date(2026, 1, 2), dt.date(2026, 1, 2))
    assert not overdue(None, dt.date(2026, 1, 2))
