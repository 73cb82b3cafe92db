"""Vietnamese numbers, percentages, dates and name order (core/vn.py), and every place that uses them."""

import ast
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import vn
from core.vn import (
    DateError,
    Notation,
    NumberError,
    format_date,
    format_datetime,
    format_number,
    format_percent,
    parse_date,
    parse_integer,
    parse_number,
    round_half_up,
    vn_sort_key,
)

ROOT = Path(__file__).resolve().parents[2]
VIETNAMESE, CANONICAL = Notation.VIETNAMESE, Notation.CANONICAL
UTC = dt.UTC


# ---- reading numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1.234", "1234"),
        ("1.234.567", "1234567"),
        ("12.500", "12500"),
        ("1.234,5", "1234.5"),
        ("1.234.567,25", "1234567.25"),
        ("12,5", "12.5"),
        ("0,75", "0.75"),
        (",5", "0.5"),
        ("1,234", "1.234"),  # a comma is always the decimal separator in Vietnamese
        ("12.5", "12.5"),
        ("3.75", "3.75"),
        ("0.125", "0.125"),
        ("3.1416", "3.1416"),
        ("012.345", "12.345"),
        ("1,234.5", "1234.5"),
        ("1 234", "1234"),
        ("1\u00a0234\u202f567", "1234567"),
        ("  42  ", "42"),
        ("-5", "-5"),
        ("+7", "7"),
        ("45%", "45"),
        ("0", "0"),
        ("-0", "0"),
        ("007", "7"),
        ("12,50", "12.50"),
    ],
)
def test_it_reads_vietnamese_and_keypad_notation(typed, value):
    assert parse_number(typed) == Decimal(value)


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1234.5", "1234.5"),
        ("1.234", "1.234"),
        ("-3", "-3"),
        ("0.25", "0.25"),
        ("  12  ", "12"),
        ("-0", "0"),
    ],
)
def test_it_reads_canonical_notation(typed, value):
    assert parse_number(typed, CANONICAL) == Decimal(value)


@pytest.mark.parametrize("notation", list(Notation))
@pytest.mark.parametrize("typed", ["", "   ", None])
def test_an_empty_cell_is_none(typed, notation):
    assert parse_number(typed, notation) is None and parse_integer(typed, notation) is None
    assert parse_date(typed, notation) is None


MALFORMED = [
    ("abc", "không phải là số"),
    ("12a", "chỉ gõ chữ số"),
    ("1o", "chỉ gõ chữ số"),
    ("--5", "không phải là số"),
    ("1,234,567", "dấu chấm để phân cách hàng nghìn"),
    ("1.23.4", "nhóm 3 chữ số"),
    ("12.34,5", "nhóm 3 chữ số"),
    ("1,2,3", "dấu chấm"),
    ("5.", "không phải là số"),
    ("5,", "không phải là số"),
    ("%", "không phải là số"),
    ("1.234,5,6", "nhiều dấu thập phân"),
    ("1e5", "chỉ gõ chữ số"),
    ("½", "không phải là số"),
]


@pytest.mark.parametrize(("typed", "message"), MALFORMED)
def test_malformed_numbers_are_refused_in_vietnamese(typed, message):
    with pytest.raises(NumberError, match=message) as caught:
        parse_number(typed)
    assert f"«{typed}»" in str(caught.value) and isinstance(caught.value, ValueError)


@pytest.mark.parametrize("typed", ["1,5", "1.234,5", "+7", "1 234", "1e5", "12.", ".5", "45%", "abc", "0x10", "١٢"])
def test_canonical_notation_accepts_digits_and_one_dot_only(typed):
    with pytest.raises(NumberError, match="không phải là số"):
        parse_number(typed, CANONICAL)


def test_whole_numbers():
    assert parse_integer("1.234") == 1234 and parse_integer("12,0") == 12 and parse_integer("-3") == -3
    assert parse_integer("1234", CANONICAL) == 1234
    with pytest.raises(NumberError, match="«12,5» không phải là số nguyên"):
        parse_integer("12,5")
    with pytest.raises(NumberError, match="«1.5» không phải là số nguyên"):
        parse_integer("1.5", CANONICAL)


# ---- rounding and formatting -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (Decimal("1234567.5"), None, "1.234.567,5"),
        (Decimal("1234"), None, "1.234"),
        (Decimal("12.50"), None, "12,5"),
        (None, None, ""),
        (Decimal("0.125"), None, "0,125"),
        (5, None, "5"),
        (Decimal("1E+3"), None, "1.000"),
        (1234567.5, 1, "1.234.567,5"),
        (1234567, 0, "1.234.567"),
        (0.25, 2, "0,25"),
        (-1500, 0, "-1.500"),
        (0.25, 1, "0,3"),
        (-0.25, 1, "-0,3"),
        (Decimal("2.5"), 0, "3"),
        (Decimal("3.5"), 0, "4"),
        (2, 1, "2,0"),
        (Decimal("-0.04"), 1, "0,0"),
        (Decimal("-0"), None, "0"),
        (0.1, None, "0,1"),
        (10**15, None, "1.000.000.000.000.000"),
    ],
)
def test_vietnamese_format(value, decimals, text):
    assert format_number(value, decimals) == text


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (Decimal("1234567.5"), None, "1234567.5"),
        (Decimal("12.50"), None, "12.5"),
        (-3, None, "-3"),
        (Decimal("0.25"), 1, "0.3"),
        (1234, 2, "1234.00"),
        (None, None, ""),
    ],
)
def test_canonical_format(value, decimals, text):
    assert format_number(value, decimals, notation=CANONICAL) == text


def test_signs_and_percentages():
    assert format_number(Decimal("12.5"), 1, signed=True) == "+12,5"
    assert format_number(Decimal("-12.5"), 1, signed=True) == "-12,5"
    assert format_number(Decimal("0.04"), 1, signed=True) == "0,0"  # nothing to sign once rounded
    assert format_percent(Decimal("41.25")) == "41,3%" and format_percent(100) == "100,0%"
    assert format_percent(Decimal("22.50"), None) == "22,5%" and format_percent(None) == ""
    assert format_percent(Decimal("3.25"), signed=True) == "+3,3%"


def test_one_rounding_rule_halves_away_from_zero():
    assert round_half_up(Decimal("0.125"), 2) == Decimal("0.13")
    assert round_half_up(Decimal("-0.125"), 2) == Decimal("-0.13")
    assert round_half_up(2.675, 2) == Decimal("2.68")  # the float's shortest repr, not its binary value
    assert round_half_up(Decimal("-0.04"), 1) == 0 and str(round_half_up(Decimal("-0.04"), 1)) == "0.0"


@pytest.mark.parametrize("value", [True, "12", float("nan"), float("inf"), Decimal("NaN")])
def test_formatting_refuses_what_is_not_a_number(value):
    with pytest.raises((TypeError, ValueError)):
        format_number(value)


@given(st.integers(min_value=-(10**15), max_value=10**15), st.sampled_from(list(Notation)))
def test_formatted_integers_read_back(n, notation):
    assert parse_number(format_number(n, notation=notation), notation) == n
    assert parse_integer(format_number(n, notation=notation), notation) == n


@given(
    st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False, allow_infinity=False),
    st.sampled_from(list(Notation)),
)
def test_formatted_decimals_read_back(x, notation):
    assert parse_number(format_number(x, notation=notation), notation) == x


@given(
    st.decimals(min_value=-(10**9), max_value=10**9, places=6, allow_nan=False, allow_infinity=False),
    st.integers(min_value=0, max_value=4),
    st.sampled_from(list(Notation)),
)
def test_rounded_formats_read_back_as_the_rounded_value(x, decimals, notation):
    text = format_number(x, decimals, notation=notation)
    assert parse_number(text, notation) == round_half_up(x, decimals)
    assert len(text.rpartition("," if notation is VIETNAMESE else ".")[2]) == decimals or decimals == 0


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False))
def test_floats_are_shown_by_their_shortest_repr(x):
    assert parse_number(format_number(x)) == Decimal(repr(x))


# ---- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("15/06/2026", dt.date(2026, 6, 15)),
        ("1/7/2026", dt.date(2026, 7, 1)),
        ("29-02-2028", dt.date(2028, 2, 29)),
        ("2026-12-14", dt.date(2026, 12, 14)),
        ("03.07.2024", dt.date(2024, 7, 3)),
        (" 05/02/2026 ", dt.date(2026, 2, 5)),
    ],
)
def test_dates(typed, day):
    assert parse_date(typed) == day


DATES_REFUSED = [
    ("31/02/2026", "Ngày 31/02/2026 không tồn tại"),
    ("29/02/2026", "không tồn tại"),
    ("00/01/2026", "không tồn tại"),
    ("15/13/2026", "không tồn tại"),
    ("2026-13-01", "Ngày 01/13/2026 không tồn tại"),
    ("hôm qua", "không phải là ngày"),
    ("2026/06/15", "không phải là ngày"),
    ("15/06/26", "dd/mm/yyyy"),
]


@pytest.mark.parametrize(("typed", "message"), DATES_REFUSED)
def test_impossible_or_malformed_dates_are_refused(typed, message):
    with pytest.raises(DateError, match=message):
        parse_date(typed)


def test_canonical_dates_are_iso_only():
    assert parse_date("2026-06-15", CANONICAL) == dt.date(2026, 6, 15)
    for typed in ("15/06/2026", "20260615", "2026-W24-1", "2026-6-15"):
        with pytest.raises(DateError, match="yyyy-mm-dd"):
            parse_date(typed, CANONICAL)
    with pytest.raises(DateError, match="Ngày 31/02/2026 không tồn tại"):
        parse_date("2026-02-31", CANONICAL)


def test_date_formats():
    day = dt.date(2026, 2, 5)
    assert format_date(day) == "05/02/2026" and format_date(day, CANONICAL) == "2026-02-05"
    assert format_date("2026-02-05") == "05/02/2026" and format_date(None) == "" and format_date("") == ""
    late = dt.datetime(2026, 2, 5, 20, 30, tzinfo=UTC)  # 03:30 on the 6th in Vietnam
    assert format_date(late) == "06/02/2026"
    assert format_datetime(late) == "06/02/2026 03:30"
    assert format_datetime(late, sentence=True) == "03:30 ngày 06/02/2026"
    assert format_datetime(dt.datetime(2026, 2, 5, 9, 5)) == "05/02/2026 09:05" and format_datetime(None) == ""
    with pytest.raises(DateError):
        format_date("05/02/2026")  # text must be canonical: a caller with typed text parses it first


@given(st.dates(min_value=dt.date(1000, 1, 1)), st.sampled_from(list(Notation)))
def test_formatted_dates_read_back(day, notation):
    assert parse_date(format_date(day, notation), notation) == day


def test_the_time_zone_is_the_sites(settings):
    assert settings.TIME_ZONE == vn.TIME_ZONE


# ---- name order --------------------------------------------------------------------------------


def test_names_sort_as_in_a_vietnamese_dictionary():
    expected = [
        "An Lão",
        "Anh Sơn",
        "Âm Hồn",
        "Ân Thi",
        "Cà Mau",
        "Dương Minh Châu",
        "Đà Nẵng",
        "Đắk Lắk",
        "Điện Biên",
        "Đoàn Kết",
        "Đồng Nai",
        "Ea Súp",
        "Êa Tiêu",
        "Gia Lai",
        "Ong",
        "Ô Môn",
        "Ơn",
        "Uông Bí",
        "Ưng Hòa",
    ]
    assert sorted(reversed(expected), key=vn_sort_key) == expected
    assert sorted(expected[::3] + expected[1::3] + expected[2::3], key=vn_sort_key) == expected


def test_tones_then_case_then_the_text_break_ties():
    assert sorted(["Hạ", "Há", "Hã", "Hả", "Hà", "Ha"], key=vn_sort_key) == ["Ha", "Hà", "Hả", "Hã", "Há", "Hạ"]
    assert sorted(["Hà Nội", "Hạ Long", "Hà"], key=vn_sort_key) == ["Hà", "Hạ Long", "Hà Nội"]  # tones only break ties
    assert sorted(["Ha", "ha"], key=vn_sort_key) == ["ha", "Ha"]
    assert sorted(["Xã-B", "Xã An", "Xã 2"], key=vn_sort_key) == ["Xã 2", "Xã An", "Xã-B"]
    assert vn_sort_key("Đà Nẵng")[:3] == vn_sort_key("Đa\u0300 Na\u0306\u0303ng")[:3]  # composed or not, one name


@pytest.mark.parametrize("notation", list(Notation))
@pytest.mark.parametrize("typed", ["١٢", "１２", "1.٢٣٤"])
def test_only_ascii_digits_are_digits(typed, notation):
    with pytest.raises(NumberError, match="không phải là số"):
        parse_number(typed, notation)


# ---- every reader of typed numbers and dates agrees --------------------------------------------


def _message(error: Exception) -> str:
    return error.messages[0] if hasattr(error, "messages") else str(error)


def _number_readers():
    """Each place where a person types a number, as text → value (or the exception it raises)."""
    from areas.forms import AreaField
    from core.forms import VNNumberField
    from indicators.forms import TargetForm
    from plans.services import drafts
    from reporting.models import DataElement
    from reporting.services.entry import parse_cell

    decimal_cell = DataElement(code="ZX", name="x", value_type=DataElement.ValueType.DECIMAL)
    return {
        "core.vn": parse_number,
        "entry grid": lambda text: parse_cell(decimal_cell, text).value,
        "VNNumberField": VNNumberField(required=False).clean,
        "area form": AreaField(label="Diện tích (m²)").clean,
        "indicator target": TargetForm.base_fields["value"].clean,
        "plan draft target": drafts.parse_number,
    }


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("12.5", "12.5"),
        ("1.234", "1234"),
        ("12,5", "12.5"),
        ("1.234,5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("1 234", "1234"),
        ("0,75", "0.75"),
        ("", None),
    ],
)
def test_every_number_reader_reads_the_same_value(typed, value):
    for where, read in _number_readers().items():
        got = read(typed)
        assert (None if got is None else Decimal(repr(got) if isinstance(got, float) else got)) == (
            None if value is None else Decimal(value)
        ), where


@pytest.mark.parametrize(("typed", "hint"), MALFORMED)
def test_every_number_reader_refuses_with_the_same_message(typed, hint):
    from django import forms

    with pytest.raises(NumberError) as expected:
        parse_number(typed)
    for where, read in _number_readers().items():
        with pytest.raises((NumberError, forms.ValidationError)) as caught:
            read(typed)
        assert _message(caught.value) == str(expected.value), where


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["abc", "1.23.4", "12,5"])
def test_the_population_import_and_form_refuse_like_the_grid(office_a, typed):
    from geo.forms import PopulationForm
    from geo.models import Commune
    from geo.services import import_population_csv

    with pytest.raises(NumberError) as expected:
        parse_integer(typed)
    report = import_population_csv(
        acting_user=office_a,
        data=f'code,year,population\n24133,2027,"{typed}"\n'.encode(),
        communes=Commune.objects.filter(code="24133"),
    )
    assert str(expected.value).rstrip(".") in report.errors[0]
    form = PopulationForm({"year": "2027", "population": typed})
    assert not form.is_valid()
    assert form.errors["population"][0] in (str(expected.value), "Nhân khẩu phải là số nguyên.")


def _date_readers():
    from django.core.management import CommandError

    from core.forms import VNDateField
    from plans.management.commands.send_task_reminders import _date
    from plans.services import drafts
    from reporting.models import DataElement
    from reporting.services.entry import parse_cell

    date_cell = DataElement(code="ZD", name="d", value_type=DataElement.ValueType.DATE)

    def command(text):
        try:
            return _date(text)
        except CommandError as exc:
            raise DateError(str(exc)) from exc

    return {
        "core.vn": parse_date,
        "entry grid": lambda text: dt.date.fromisoformat(parse_cell(date_cell, text).text),
        "VNDateField": VNDateField(required=False).clean,
        "plan draft": lambda text: dt.date.fromisoformat(drafts.parse_vn_date(text)),
        "task reminders command": command,
    }


@pytest.mark.parametrize(("typed", "hint"), DATES_REFUSED)
def test_every_date_reader_refuses_with_the_same_message(typed, hint):
    from django import forms

    with pytest.raises(DateError) as expected:
        parse_date(typed)
    for where, read in _date_readers().items():
        with pytest.raises((DateError, forms.ValidationError)) as caught:
            read(typed)
        assert _message(caught.value) == str(expected.value), where


@pytest.mark.parametrize("typed", ["15/06/2026", "1/7/2026", "2026-12-14"])
def test_every_date_reader_reads_the_same_day(typed):
    for where, read in _date_readers().items():
        assert read(typed) == parse_date(typed), where


def test_form_fields_show_stored_values_as_typed():
    from core.forms import VNDateField, VNNumberField

    field = VNNumberField(whole=True, min_value=0, max_value=5_000_000, required=False)
    assert field.prepare_value(Decimal("1234.50")) == "1.234,5" and field.prepare_value("12.345") == "12.345"
    assert field.clean("12.345") == 12345 and field.clean("") is None
    assert VNDateField().prepare_value(dt.date(2026, 2, 5)) == "05/02/2026"
    label = VNNumberField(label="Tỷ lệ (%)", max_value=100, error_messages={"max_value": "Tỷ lệ (%) tối đa %(limit)s."})
    with pytest.raises(Exception, match=r"Tỷ lệ \(%\) tối đa 100\."):
        label.clean("100,5")


# ---- template filters are thin wrappers --------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234567.5, 1, "1.234.567,5"),
        (1234567, 0, "1.234.567"),
        (0.25, 2, "0,25"),
        (None, 0, "—"),
        ("", 0, "—"),
        ("x", 0, "x"),
        (-1500, 0, "-1.500"),
        (Decimal("0.25"), 1, "0,3"),
        ("1234.5", 1, "1.234,5"),
        (True, 0, "True"),
    ],
)
def test_the_vn_number_filter(value, decimals, expected):
    from core.templatetags.vn import vn_number

    assert vn_number(value, decimals) == expected


def test_the_other_filters():
    from core.templatetags.vn import vn_date, vn_percent
    from indicators.templatetags.figures import change, figure, moment

    assert vn_percent(Decimal("41.25")) == "41,3%" and vn_percent(None) == "—" and vn_percent(50, 0) == "50%"
    assert vn_date(dt.date(2026, 2, 5)) == "05/02/2026" and vn_date(None) == "—"
    assert figure(Decimal("1234.5")) == "1.234,5" and figure(Decimal("1234")) == "1.234" and figure(None) == "—"
    assert change(Decimal("12.25")) == "+12,3%" and change(Decimal("-3")) == "−3,0%" and change(0) == "0%"
    assert moment(dt.datetime(2026, 7, 3, 7, 5, tzinfo=UTC)) == "14:05 ngày 03/07/2026"


# ---- where the module sits -----------------------------------------------------------------------


def _python_files():
    skip = {".venv", "node_modules", "migrations", ".git", "static"}
    for path in ROOT.rglob("*.py"):
        if not skip.intersection(path.relative_to(ROOT).parts):
            yield path


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def test_no_module_but_templates_imports_a_template_tag_library():
    offenders = []
    for path in _python_files():
        parts = path.relative_to(ROOT).parts
        if "templatetags" in parts or "tests" in parts:
            continue
        offenders += [f"{path.relative_to(ROOT)}: {name}" for name in _imports(path) if ".templatetags" in name]
    assert offenders == []


def test_the_module_is_pure_python():
    apps = {p.parent.name for p in ROOT.glob("*/__init__.py")}
    imported = {name.split(".")[0] for name in _imports(ROOT / "core" / "vn.py")}
    assert not imported & (apps | {"django"}), imported
