"""Reporting periods: DHIS2 ISO ids, Vietnamese labels, calendar or administrative bounds, due days.

Pure functions, no database. Period ids are DHIS2's (`202606`, `2026Q2`, `2026S1`, `2026`), so
exchange files need no mapping. Two conventions:

- calendar: the month, quarter, half-year or year as on the calendar;
- administrative (NĐ 09/2019/NĐ-CP, data closing on the 14th): a month runs from the 15th of the
  previous month to the 14th; a quarter from the 15th of the month before it to the 14th of its
  last month; the half-year from 15/12 of the previous year to 14/6; the year from 15/12 of the
  previous year to 14/12.

Due rules are data (`DueRule`), not code: day N of the period's last month, a fixed day and month,
a fixed date, or N days after the period closes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

Frequency = Literal["monthly", "quarterly", "semiannual", "annual", "once"]
Convention = Literal["calendar", "administrative"]

FREQUENCIES: dict[str, str] = {
    "monthly": "Hằng tháng",
    "quarterly": "Hằng quý",
    "semiannual": "6 tháng",
    "annual": "Hằng năm",
    "once": "Một lần",
}
# A report's kind is its schedule's frequency: two kinds never add up, even on the same period id
# (an annual report and a one-off report of 2026 both have period "2026").
KINDS: dict[str, str] = {
    "monthly": "Báo cáo tháng",
    "quarterly": "Báo cáo quý",
    "semiannual": "Báo cáo 6 tháng",
    "annual": "Báo cáo năm",
    "once": "Báo cáo một lần",
}
CONVENTIONS: dict[str, str] = {
    "calendar": "Theo lịch (tháng, quý, năm dương lịch)",
    "administrative": "Theo kỳ chốt số liệu ngày 14 (Nghị định 09/2019/NĐ-CP)",
}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

_MONTH = re.compile(r"^(\d{4})(0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_HALF = re.compile(r"^(\d{4})S([12])$")
_YEAR = re.compile(r"^(\d{4})$")


class PeriodError(ValueError):
    """A malformed period id or rule; the message is Vietnamese."""


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period. `start`/`end` depend on the convention; the id does not."""

    id: str
    frequency: str
    year: int
    index: int  # month 1–12, quarter 1–4, half 1–2, or 1 for a year

    @property
    def label(self) -> str:
        if self.frequency == "monthly":
            return f"Tháng {self.index}/{self.year}"
        if self.frequency == "quarterly":
            return f"Quý {ROMAN[self.index]}/{self.year}"
        if self.frequency == "semiannual":
            return f"6 tháng đầu năm {self.year}" if self.index == 1 else f"6 tháng cuối năm {self.year}"
        return f"Năm {self.year}"

    def last_month(self) -> tuple[int, int]:
        """(year, month) of the period's last calendar month."""
        month = {"monthly": self.index, "quarterly": self.index * 3, "semiannual": self.index * 6}.get(
            self.frequency, 12
        )
        return self.year, month

    def bounds(self, convention: str = "calendar") -> tuple[dt.date, dt.date]:
        """First and last day the period's data covers."""
        year, last = self.last_month()
        months = {"monthly": 1, "quarterly": 3, "semiannual": 6}.get(self.frequency, 12)
        first_month = last - months + 1
        if convention == "administrative":
            end = dt.date(year, last, 14)
            start_year, start_month = (year, first_month - 1) if first_month > 1 else (year - 1, 12)
            if (self.frequency == "semiannual" and self.index == 1) or self.frequency == "annual":
                start_year, start_month = year - 1, 12
            return dt.date(start_year, start_month, 15), end
        if convention != "calendar":
            raise PeriodError(f"Quy ước kỳ «{convention}» không hợp lệ.")
        return dt.date(year, first_month, 1), _month_end(year, last)

    def next(self) -> Period:
        return shift(self, 1)

    def previous(self) -> Period:
        return shift(self, -1)

    def same_period_last_year(self) -> Period:
        return make(self.frequency, self.year - 1, self.index)


def kind_of(period_id: str) -> str:
    """The periodic kind whose reports carry this period id ("2026Q2" → quarterly, "2026" → annual)."""
    return parse(period_id).frequency


def kind_label(kind: str, period_id: str) -> str:
    """ "Báo cáo quý — Quý II/2026", "Báo cáo một lần — năm 2026"."""
    try:
        label = parse(period_id).label
    except PeriodError:
        label = period_id
    if kind == "once":
        label = label.replace("Năm", "năm")
    return f"{KINDS.get(kind, kind)} — {label}"


def bounds_label(period: Period, convention: str) -> str:
    """The dates the period covers under the convention: "15/09–14/12/2026"."""
    start, end = period.bounds(convention)
    if start.year == end.year:
        return f"{start:%d/%m}–{end:%d/%m/%Y}"
    return f"{start:%d/%m/%Y}–{end:%d/%m/%Y}"


def _month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def _per_year(frequency: str) -> int:
    return {"monthly": 12, "quarterly": 4, "semiannual": 2, "annual": 1}[frequency]


def make(frequency: str, year: int, index: int = 1) -> Period:
    if frequency not in FREQUENCIES or frequency == "once":
        raise PeriodError(f"Tần suất «{frequency}» không có kỳ định kỳ.")
    if not 1 <= index <= _per_year(frequency):
        raise PeriodError(f"Kỳ thứ {index} không có trong năm với tần suất {FREQUENCIES[frequency].lower()}.")
    if frequency == "monthly":
        pid = f"{year}{index:02d}"
    elif frequency == "quarterly":
        pid = f"{year}Q{index}"
    elif frequency == "semiannual":
        pid = f"{year}S{index}"
    else:
        pid = f"{year}"
    return Period(pid, frequency, year, index)


def parse(period_id: str) -> Period:
    """`2026Q2` → Period; a malformed id raises PeriodError with a Vietnamese message."""
    text = (period_id or "").strip()
    for pattern, frequency in ((_MONTH, "monthly"), (_QUARTER, "quarterly"), (_HALF, "semiannual"), (_YEAR, "annual")):
        m = pattern.match(text)
        if m:
            year = int(m.group(1))
            index = int(m.group(2)) if m.lastindex and m.lastindex > 1 else 1
            return make(frequency, year, index)
    raise PeriodError(f"Mã kỳ «{period_id}» không hợp lệ (ví dụ đúng: 202606, 2026Q2, 2026S1, 2026).")


def shift(period: Period, steps: int) -> Period:
    n = _per_year(period.frequency)
    ordinal = period.year * n + (period.index - 1) + steps
    return make(period.frequency, ordinal // n, ordinal % n + 1)


def containing(frequency: str, day: dt.date, convention: str = "calendar") -> Period:
    """The period of `frequency` whose data covers `day` under the convention."""
    if convention == "administrative" and day.day >= 15:
        # From the 15th the data belongs to the next month's window.
        day = _month_end(day.year, day.month) + dt.timedelta(days=1)
    month = day.month
    index = {"monthly": month, "quarterly": (month - 1) // 3 + 1, "semiannual": 1 if month <= 6 else 2}.get(
        frequency, 1
    )
    return make(frequency, day.year, index)


def periods_between(frequency: str, first: Period, last: Period) -> list[Period]:
    out: list[Period] = []
    p = first
    while p <= last and len(out) < 10_000:
        out.append(p)
        p = p.next()
    return out


@dataclass(frozen=True)
class DueRule:
    """When a period's report is due.

    kind:
    - `day_of_last_month`: day `day` of the period's last month ("trước ngày 15 tháng cuối quý");
    - `day_month`: day `day` of month `month` in the period's year ("15/6", "15/12");
    - `fixed_date`: the date `date` (one-off reports);
    - `days_after_close`: `days` days after the period's data closes.
    """

    kind: str
    day: int | None = None
    month: int | None = None
    date: dt.date | None = None
    days: int | None = None

    def due(self, period: Period | None, convention: str = "calendar") -> dt.date:
        if self.kind == "fixed_date":
            if self.date is None:
                raise PeriodError("Quy tắc hạn «ngày cố định» cần một ngày.")
            return self.date
        if period is None:
            raise PeriodError("Cần kỳ báo cáo để tính hạn.")
        if self.kind == "day_of_last_month":
            year, month = period.last_month()
            return dt.date(year, month, min(self.day or 15, _month_end(year, month).day))
        if self.kind == "day_month":
            if not self.day or not self.month:
                raise PeriodError("Quy tắc hạn «ngày/tháng» cần ngày và tháng.")
            return dt.date(period.year, self.month, self.day)
        if self.kind == "days_after_close":
            return period.bounds(convention)[1] + dt.timedelta(days=self.days or 0)
        raise PeriodError(f"Loại quy tắc hạn «{self.kind}» không hợp lệ.")

    @property
    def label(self) -> str:
        if self.kind == "day_of_last_month":
            return f"Ngày {self.day} tháng cuối kỳ"
        if self.kind == "day_month":
            return f"Ngày {self.day:02d}/{self.month:02d}"
        if self.kind == "fixed_date" and self.date:
            return f"Ngày {self.date:%d/%m/%Y}"
        if self.kind == "days_after_close":
            return f"{self.days} ngày sau ngày chốt số liệu"
        return self.kind


_QUARTER_RULE = re.compile(r"^(\d{1,2}) of last month of (quarter|period|month|half|year)$")
_DAY_MONTH = re.compile(r"^--(\d{2})-(\d{2})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def rule_from_extract(due: str | None) -> DueRule | None:
    """A plan-extract/1 `due` string ("15 of last month of quarter", "--06-15", "2024-07-03") as a rule."""
    if not due:
        return None
    text = due.strip()
    if m := _QUARTER_RULE.match(text):
        return DueRule("day_of_last_month", day=int(m.group(1)))
    if m := _DAY_MONTH.match(text):
        return DueRule("day_month", day=int(m.group(2)), month=int(m.group(1)))
    if m := _ISO.match(text):
        try:
            return DueRule("fixed_date", date=dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
        except ValueError as exc:
            raise PeriodError(f"Ngày «{text}» không tồn tại.") from exc
    raise PeriodError(f"Không hiểu quy tắc hạn «{due}».")
