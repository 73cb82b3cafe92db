"""Working days: weekends, public holidays (Tết by the lunar calendar), the editable table."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from legal.calendar import add_working_days, is_working_day, working_days_between
from legal.models import Holiday

pytestmark = pytest.mark.django_db


def test_the_table_holds_tet_by_the_lunar_calendar():
    # Tết Nguyên đán: 29/01/2025 (Ất Tỵ), 17/02/2026 (Bính Ngọ), 06/02/2027 (Đinh Mùi).
    for day in (dt.date(2025, 1, 29), dt.date(2026, 2, 17), dt.date(2027, 2, 6)):
        assert Holiday.objects.filter(day=day).exists()
    assert Holiday.objects.get(day=dt.date(2026, 2, 17)).name == "Tết Nguyên Đán"


def test_the_table_covers_2020_to_2035_with_fixed_days():
    for year in range(2020, 2036):
        assert Holiday.objects.filter(day=dt.date(year, 9, 2)).exists(), year  # Quốc khánh
        assert Holiday.objects.filter(day=dt.date(year, 4, 30)).exists(), year
    assert not Holiday.objects.filter(day__year=2019).exists()


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (dt.date(2026, 3, 6), True),  # Friday
        (dt.date(2026, 3, 7), False),  # Saturday
        (dt.date(2026, 3, 8), False),  # Sunday
        (dt.date(2026, 2, 17), False),  # Tết, a Tuesday
        (dt.date(2026, 9, 2), False),  # Quốc khánh, a Wednesday
        (dt.date(2026, 9, 3), True),
    ],
)
def test_is_working_day(day, working):
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (dt.date(2026, 3, 2), 0, dt.date(2026, 3, 2)),
        (dt.date(2026, 3, 2), 1, dt.date(2026, 3, 3)),  # counted from the next day
        (dt.date(2026, 3, 5), 2, dt.date(2026, 3, 9)),  # Thu + 2 skips the weekend
        (dt.date(2026, 3, 7), 1, dt.date(2026, 3, 9)),  # from a Saturday
        (dt.date(2026, 3, 6), 5, dt.date(2026, 3, 13)),
        # Tết 2026: 16–20/02 off (Mon–Fri) and the weekends around it.
        (dt.date(2026, 2, 12), 5, dt.date(2026, 2, 26)),
        (dt.date(2026, 2, 13), 1, dt.date(2026, 2, 23)),
        # 30/4 and 1/5/2026 (Thu, Fri).
        (dt.date(2026, 4, 29), 1, dt.date(2026, 5, 4)),
        (dt.date(2026, 3, 9), -1, dt.date(2026, 3, 6)),
        (dt.date(2026, 2, 23), -1, dt.date(2026, 2, 13)),
    ],
)
def test_add_working_days(start, n, expected):
    assert add_working_days(start, n) == expected


def test_a_long_count_crosses_every_holiday_of_the_year():
    # 2026: 261 weekdays; 13 holidays fall on one (26/4 is a Sunday, observed on 27/4).
    weekday_holidays = Holiday.objects.filter(day__year=2026, day__week_day__in=[2, 3, 4, 5, 6]).count()
    assert weekday_holidays == 13
    end = add_working_days(dt.date(2025, 12, 31), 261 - weekday_holidays)
    assert end == dt.date(2026, 12, 31)
    assert working_days_between(dt.date(2025, 12, 31), end) == 261 - weekday_holidays


def test_a_holiday_added_by_the_administrator_counts(admin_user):
    from legal.services import save_holiday

    day = dt.date(2026, 3, 10)
    assert add_working_days(dt.date(2026, 3, 9), 1) == day
    save_holiday(acting_user=admin_user, holiday=None, day=day, name="Nghỉ bù", source="Thông báo")
    assert not is_working_day(day)
    assert add_working_days(dt.date(2026, 3, 9), 1) == dt.date(2026, 3, 11)


def test_load_holidays_keeps_edited_days():
    day = Holiday.objects.get(day=dt.date(2026, 1, 1))
    day.name = "Tết Dương lịch (đã sửa)"
    day.save()
    Holiday.objects.filter(day=dt.date(2026, 9, 2)).delete()
    call_command("load_holidays", "--from-year", "2026", "--to-year", "2026", verbosity=0)
    assert Holiday.objects.get(day=dt.date(2026, 1, 1)).name == "Tết Dương lịch (đã sửa)"
    assert Holiday.objects.filter(day=dt.date(2026, 9, 2)).exists()
