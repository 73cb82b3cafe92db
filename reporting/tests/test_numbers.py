"""Numbers and dates as Vietnamese users type them (reporting/numbers.py)."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reporting.numbers import NumberError, format_number, parse_date, parse_number


@pytest.mark.parametrize(("typed", "value"), [
    ("1.234", "1234"), ("1.234.567", "1234567"), ("12.500", "12500"), ("1.234,5", "1234.5"),
    ("1.234.567,25", "1234567.25"), ("12,5", "12.5"), ("0,75", "0.75"), (",5", "0.5"),
    ("1,234", "1.234"),  # ambiguous: a comma is always the decimal separator in Vietnamese
    ("12.5", "12.5"), ("3.75", "3.75"), ("0.125", "0.125"), ("3.1416", "3.1416"), ("012.345", "12.345"),
    ("1,234.5", "1234.5"), ("1 234", "1234"), ("1\u00a0234\u202f567", "1234567"), ("  42  ", "42"),
    ("-5", "-5"), ("+7", "7"), ("45%", "45"), ("0", "0"), ("-0", "0"), ("007", "7"),
])
def test_it_reads_vietnamese_and_keypad_notation(typed, value):
    assert parse_number(typed) == Decimal(value)


@pytest.mark.parametrize("typed", ["", "   ", None])
def test_an_empty_cell_is_none(typed):
    assert parse_number(typed) is None


@pytest.mark.parametrize(("typed", "message"), [
    ("abc", "không phải là số"), ("12a", "chỉ gõ chữ số"), ("1o", "chỉ gõ chữ số"), ("--5", "không phải là số"),
    ("1,234,567", "dấu chấm để phân cách hàng nghìn"), ("1.23.4", "nhóm 3 chữ số"), ("12.34,5", "nhóm 3 chữ số"),
    ("1,2,3", "dấu chấm"), ("5.", "không phải là số"), ("5,", "không phải là số"), ("%", "không phải là số"),
    ("1.234,5,6", "nhiều dấu thập phân"), ("1e5", "chỉ gõ chữ số"), ("½", "không phải là số"),
])
def test_malformed_numbers_are_refused_in_vietnamese(typed, message):
    with pytest.raises(NumberError, match=message):
        parse_number(typed)


@given(st.integers(min_value=0, max_value=10**12))
def test_formatted_integers_read_back(n):
    assert parse_number(format_number(n)) == n


@given(st.decimals(min_value=0, max_value=10**9, places=3, allow_nan=False, allow_infinity=False))
def test_formatted_decimals_read_back(x):
    assert parse_number(format_number(x)) == x


@pytest.mark.parametrize(("value", "text"), [
    (Decimal("1234567.5"), "1.234.567,5"), (Decimal("1234"), "1.234"), (Decimal("12.50"), "12,5"), (None, ""),
    (Decimal("0.125"), "0,125"), (5, "5"),
])
def test_format(value, text):
    assert format_number(value) == text


@pytest.mark.parametrize(("typed", "day"), [
    ("15/06/2026", dt.date(2026, 6, 15)), ("1/7/2026", dt.date(2026, 7, 1)), ("29-02-2028", dt.date(2028, 2, 29)),
    ("2026-12-14", dt.date(2026, 12, 14)), ("03.07.2024", dt.date(2024, 7, 3)),
])
def test_dates(typed, day):
    assert parse_date(typed) == day


@pytest.mark.parametrize(("typed", "message"), [
    ("31/02/2026", "Ngày 31/02/2026 không tồn tại"), ("29/02/2026", "không tồn tại"), ("00/01/2026", "không tồn tại"),
    ("15/13/2026", "không tồn tại"), ("hôm qua", "không phải là ngày"), ("2026/06/15", "không phải là ngày"),
])
def test_impossible_or_malformed_dates_are_refused(typed, message):
    with pytest.raises(NumberError, match=message):
        parse_date(typed)
