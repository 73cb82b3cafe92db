"""Dates a case officer is warned about (issue 13 §1: periods ending, deadlines passing, the
two-year window of BLHS Điều 256a)."""

from __future__ import annotations

import datetime

from legal.rules import add_months

# BLHS Điều 256a (Luật 86/2025/QH15), in force from 01/7/2025: illegal drug use is a crime
# within 02 years after the post-rehab management period ends, or after a person stopped
# substitution treatment on their own (DOMAIN.md §3.1 S10).
CRIME_256A_FROM = datetime.date(2025, 7, 1)
WINDOW_256A_MONTHS = 24


def window_256a_ends(last_sanction_on: datetime.date) -> datetime.date:
    """The last day of the Điều 256a window that opens on `last_sanction_on` (the day post-rehab
    management ended, or substitution treatment was given up)."""
    return add_months(last_sanction_on, WINDOW_256A_MONTHS)


def in_window_256a(last_sanction_on: datetime.date, day: datetime.date) -> bool:
    """Whether `day` falls in the window, counting only days the article was in force."""
    return max(last_sanction_on, CRIME_256A_FROM) <= day <= window_256a_ends(last_sanction_on)


def due_soon(ends_on: datetime.date | None, today: datetime.date, days: int = 30) -> bool:
    """Ends today or within the next `days` days (not already past)."""
    return ends_on is not None and today <= ends_on <= today + datetime.timedelta(days=days)


def overdue(due_on: datetime.date | None, today: datetime.date) -> bool:
    """A time limit that has passed."""
    return due_on is not None and due_on < today
