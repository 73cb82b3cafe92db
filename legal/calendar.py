"""Working days: Monday to Friday, less the public holidays in the `Holiday` table.

Time limits "trong N ngày làm việc" are counted from the day after the event (Bộ luật Dân sự
2015 Điều 147): `add_working_days(day, n)` is the n-th working day after `day`.
"""

from __future__ import annotations

import datetime

from legal.models import Holiday

SATURDAY = 5


def _holidays(start: datetime.date, end: datetime.date) -> set[datetime.date]:
    return set(Holiday.objects.filter(day__range=(start, end)).values_list("day", flat=True))


def _is_weekday(day: datetime.date) -> bool:
    return day.weekday() < SATURDAY


def is_working_day(day: datetime.date) -> bool:
    """A weekday that is not a public holiday."""
    return _is_weekday(day) and not Holiday.objects.filter(day=day).exists()


def add_working_days(day: datetime.date, n: int) -> datetime.date:
    """The n-th working day after `day` (before it when n is negative); `day` itself for n = 0."""
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    # Enough room for any run of weekends and holidays (Tết is at most 9 days off in a row).
    span = datetime.timedelta(days=remaining * 2 + 31)
    low, high = (day, day + span) if step > 0 else (day - span, day)
    holidays = _holidays(low, high)
    current = day
    while remaining:
        current += datetime.timedelta(days=step)
        if not (low <= current <= high):  # an unusually long run: widen the window
            low, high = min(low, current - span), max(high, current + span)
            holidays = _holidays(low, high)
        if _is_weekday(current) and current not in holidays:
            remaining -= 1
    return current


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    if end <= start:
        return 0
    holidays = _holidays(start, end)
    days = (end - start).days
    return sum(
        1 for i in range(1, days + 1) if _is_weekday(d := start + datetime.timedelta(days=i)) and d not in holidays
    )
