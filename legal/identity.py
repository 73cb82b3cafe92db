"""The 12-digit identity number (số định danh cá nhân, printed on the CCCD).

Structure (Thông tư 59/2021/TT-BCA Điều 7): digits 1–3 the province of birth registration, a
pre-2025 code "0" + the statistics office's two-digit code of one of the 63 old provinces (the
2025 merger did not renumber issued cards); digit 4 the sex and century of birth (0/1 male/female
born 1900–1999, 2/3 in 2000–2099, 4/5 in 2100–2199, 6/7 in 2200–2299, 8/9 in 2300–2399);
digits 5–6 the last two digits of the birth year; digits 7–12 random.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

from geo.reference import legacy_provinces

MALE, FEMALE = "nam", "nu"

# Century digit pairs (male, female) → the century's first year.
_CENTURY = {0: 1900, 2: 2000, 4: 2100, 6: 2200, 8: 2300}

NO_CCCD_REASONS: dict[str, str] = {
    "duoi_14": "Người dưới 14 tuổi chưa được cấp thẻ căn cước",
    "chua_cap": "Chưa được cấp thẻ căn cước, số định danh cá nhân",
    "khong_xac_dinh": "Không xác định được nhân thân",
    "nuoc_ngoai": "Người nước ngoài, người không quốc tịch",
    "mat_the": "Mất thẻ, chưa xác minh được số định danh",
}


class IdentityError(ValueError):
    """An identity number that cannot be right."""


@lru_cache(maxsize=1)
def province_codes() -> dict[str, str]:
    """{three-digit code: old province name} for the 63 pre-2025 provinces, from the package."""
    return {f"0{code}": name for code, name in legacy_provinces()}


def _sex_code(sex: str | None) -> str | None:
    if sex is None or sex == "":
        return None
    value = sex.strip().lower()
    if value in (MALE, "male", "m"):
        return MALE
    if value in (FEMALE, "nữ", "female", "f"):
        return FEMALE
    raise IdentityError(f"Giới tính không hợp lệ: {sex!r}.")


def century_digit(birth_year: int, sex: str) -> int:
    """The fourth digit for a person born in `birth_year` of `sex`."""
    for digit, start in _CENTURY.items():
        if start <= birth_year < start + 100:
            return digit + (1 if _sex_code(sex) == FEMALE else 0)
    raise IdentityError(f"Năm sinh {birth_year} nằm ngoài các thế kỷ mã hóa được.")


def check_cccd(number: str, *, birth_date: datetime.date | None, sex: str | None) -> str:
    """The number normalised to 12 digits (spaces, dots and dashes removed), or IdentityError."""
    digits = "".join(ch for ch in (number or "") if ch not in " .-\t")
    if not digits.isdigit() or not digits.isascii() or len(digits) != 12:
        raise IdentityError("Số định danh cá nhân (CCCD) phải gồm đúng 12 chữ số.")
    if digits[:3] not in province_codes():
        raise IdentityError(
            f"Ba chữ số đầu {digits[:3]} không phải mã tỉnh nơi đăng ký khai sinh "
            "(mã của 63 tỉnh, thành phố trước năm 2025)."
        )
    fourth = int(digits[3])
    century = _CENTURY[fourth - fourth % 2]
    sex_code = _sex_code(sex)
    if sex_code is not None and (fourth % 2 == 1) != (sex_code == FEMALE):
        raise IdentityError(
            f"Chữ số thứ tư ({fourth}) là mã {'nữ' if fourth % 2 else 'nam'}, không khớp giới tính đã khai."
        )
    if birth_date is not None:
        if not century <= birth_date.year < century + 100:
            raise IdentityError(
                f"Chữ số thứ tư ({fourth}) ứng với người sinh năm {century}–{century + 99}, "
                f"không khớp năm sinh {birth_date.year}."
            )
        if digits[4:6] != f"{birth_date.year % 100:02d}":
            raise IdentityError(
                f"Chữ số thứ năm, thứ sáu ({digits[4:6]}) phải là hai số cuối năm sinh ({birth_date.year % 100:02d})."
            )
    return digits
