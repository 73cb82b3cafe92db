"""The CCCD (số định danh cá nhân) check."""

from __future__ import annotations

import datetime as dt

import pytest

from legal.identity import NO_CCCD_REASONS, IdentityError, century_digit, check_cccd, province_codes

BORN_1990, BORN_2004 = dt.date(1990, 5, 17), dt.date(2004, 1, 2)


def test_province_codes_are_the_63_pre_2025_provinces():
    codes = province_codes()
    assert len(codes) == 63
    assert codes["001"] == "Thành phố Hà Nội"
    assert codes["079"] == "Thành phố Hồ Chí Minh"
    assert codes["067"] == "Tỉnh Đắk Nông"  # merged into Lâm Đồng in 2025, still valid on cards
    assert codes["002"] == "Tỉnh Hà Giang"
    assert all(len(code) == 3 and code.startswith("0") for code in codes)


@pytest.mark.parametrize(
    ("number", "birth", "sex", "expected"),
    [
        ("001090123456", BORN_1990, "Nam", "001090123456"),
        ("066190000001", BORN_1990, "Nữ", "066190000001"),
        ("079 204 123 456", BORN_2004, "nam", "079204123456"),
        ("079-304-123.456", BORN_2004, "NỮ", "079304123456"),
        ("067090999999", BORN_1990, None, "067090999999"),
        ("096304000000", None, "Nữ", "096304000000"),
        ("001090123456", None, None, "001090123456"),
    ],
)
def test_valid(number, birth, sex, expected):
    assert check_cccd(number, birth_date=birth, sex=sex) == expected


@pytest.mark.parametrize(
    ("number", "birth", "sex", "message"),
    [
        # Not 12 digits.
        ("00109012345", BORN_1990, "Nam", "đúng 12 chữ số"),
        ("0010901234567", BORN_1990, "Nam", "đúng 12 chữ số"),
        ("00109012345A", BORN_1990, "Nam", "đúng 12 chữ số"),
        ("００１０９０１２３４５６", BORN_1990, "Nam", "đúng 12 chữ số"),  # full-width digits
        ("", None, None, "đúng 12 chữ số"),
        # Not a pre-2025 province code: gaps in the numbering and codes that never existed.
        ("003090123456", BORN_1990, "Nam", "không phải mã tỉnh"),
        ("099090123456", BORN_1990, "Nam", "không phải mã tỉnh"),
        ("100090123456", BORN_1990, "Nam", "không phải mã tỉnh"),
        ("016090123456", BORN_1990, "Nam", "không phải mã tỉnh"),
        # Sex digit against the declared sex.
        ("001190123456", BORN_1990, "Nam", "mã nữ"),
        ("001090123456", BORN_1990, "Nữ", "mã nam"),
        # Century digit against the birth year.
        ("001290123456", BORN_1990, "Nam", "2000–2099"),
        ("001004123456", BORN_2004, "Nam", "1900–1999"),
        ("001804123456", BORN_2004, "Nam", "2300–2399"),
        # Birth year digits.
        ("001091123456", BORN_1990, "Nam", "hai số cuối năm sinh \\(90\\)"),
        ("001205123456", BORN_2004, "Nam", "hai số cuối năm sinh \\(04\\)"),
    ],
)
def test_refused(number, birth, sex, message):
    with pytest.raises(IdentityError, match=message):
        check_cccd(number, birth_date=birth, sex=sex)


def test_an_unknown_sex_is_refused():
    with pytest.raises(IdentityError, match="Giới tính không hợp lệ"):
        check_cccd("001090123456", birth_date=BORN_1990, sex="khác")


@pytest.mark.parametrize(
    ("year", "sex", "digit"),
    [(1990, "Nam", 0), (1999, "Nữ", 1), (2000, "Nam", 2), (2099, "Nữ", 3), (2100, "Nam", 4), (2250, "Nữ", 7)],
)
def test_century_digit(year, sex, digit):
    assert century_digit(year, sex) == digit


def test_no_cccd_reasons_are_vietnamese_and_stable():
    assert "duoi_14" in NO_CCCD_REASONS
    assert all(label[0].isupper() for label in NO_CCCD_REASONS.values())
