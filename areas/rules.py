"""Classification rules of QĐ 28/2025/QĐ-TTg (Điều 4, 5, 6) as pure functions.

No database, no Django: every function here takes plain values and returns plain dataclasses,
so the same engine serves the web UI, the ``classify_areas`` management command and the tests.

Commune level (xã, phường, đặc khu), Điều 4 + Điều 6:

* ``classify_commune(CommuneInput, literal_bands=False) -> CommuneResult``
* class precedence: type I (>= 3 of I.a–I.đ), type II (>= 3 of II.a–II.đ), drug-free (all three
  Điều 6 conditions), type III (>= 1 of III.a–III.c), otherwise "unclassified".

Province level, Điều 5:

* ``classify_province(ProvinceInput) -> ProvinceResult``; key area when >= 4 of 6 criteria hold.

All rate comparisons are exact integer cross-multiplications (a rate ``n / N >= p/q`` is tested
as ``n * q >= N * p``); areas are held as ``Decimal`` and compared exactly. Floats appear only in
the JSON-friendly ``value`` of a criterion, for display.

The interpretation decisions (see docs/DOMAIN.md §1.7) are described for users, in Vietnamese,
in ``DECISIONS_HELP``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, cast

from core.vn import format_number
from core.vn import format_percent as format_percent_text

__all__ = [
    "CLASS_I",
    "CLASS_II",
    "CLASS_III",
    "CLASS_LABELS",
    "CLASS_ORDER",
    "COMMUNE_FIELDS",
    "DECISIONS_HELP",
    "DRUG_FREE",
    "FIELD_LABELS",
    "LEGAL_BASIS",
    "PROVINCE_FIELDS",
    "UNCLASSIFIED",
    "CommuneInput",
    "CommuneResult",
    "Criterion",
    "ProvinceInput",
    "ProvinceResult",
    "RulesInputError",
    "classify_commune",
    "classify_province",
    "format_number",
    "format_percent",
    "key_area_rank",
]

LEGAL_BASIS = "QĐ 28/2025/QĐ-TTg"

# ---------------------------------------------------------------------------------------------
# Classes
# ---------------------------------------------------------------------------------------------

CLASS_I = "I"
CLASS_II = "II"
CLASS_III = "III"
DRUG_FREE = "drug_free"
UNCLASSIFIED = "unclassified"

CLASS_ORDER = (CLASS_I, CLASS_II, CLASS_III, DRUG_FREE, UNCLASSIFIED)

CLASS_LABELS = {
    CLASS_I: "Địa bàn trọng điểm phức tạp về ma túy loại I",
    CLASS_II: "Địa bàn trọng điểm phức tạp về ma túy loại II",
    CLASS_III: "Địa bàn trọng điểm phức tạp về ma túy loại III",
    DRUG_FREE: "Địa bàn không ma túy",
    UNCLASSIFIED: "Chưa xếp loại",
}

PROVINCE_LABELS = {
    True: "Địa bàn trọng điểm phức tạp về ma túy cấp tỉnh",
    False: "Không thuộc địa bàn trọng điểm phức tạp về ma túy cấp tỉnh",
}

_KEY_RANK = {CLASS_I: 3, CLASS_II: 2, CLASS_III: 1, DRUG_FREE: 0, UNCLASSIFIED: 0}


def key_area_rank(klass: str) -> int:
    """Rank of a commune class among key areas: I=3, II=2, III=1; drug-free and unclassified=0.

    Drug-free and unclassified are both "not a key area" and share rank 0: they are not ordered
    against each other on the key-area scale.
    """
    return _KEY_RANK[klass]


# ---------------------------------------------------------------------------------------------
# Thresholds (QĐ 28/2025/QĐ-TTg). Rates are fractions of the population, not percentages.
# ---------------------------------------------------------------------------------------------

USERS_RATE_I = Fraction(5, 1000)  # 0,5 %
USERS_RATE_II = Fraction(1, 1000)  # 0,1 %
ARREST_RATE_I = Fraction(1, 1000)  # 0,1 %
ARREST_RATE_II = Fraction(5, 10000)  # 0,05 %
POINTS_I = 2
POINTS_II = 1
PLANTS_I = 3000
AREA_I = 750
PLANTS_II = 500
AREA_II = 125

COMMUNE_TYPE_I_MIN = 3
COMMUNE_TYPE_II_MIN = 3
COMMUNE_TYPE_III_MIN = 1
ROUTE_CRITERIA_MIN = 2  # criterion đ: ">= 2 of a–d at the level below ... and on a route"

PROVINCE_USERS_RATE = Fraction(2, 1000)  # 0,2 %
PROVINCE_POINTS = 5
PROVINCE_ARREST_RATE = Fraction(5, 10000)  # 0,05 %
PROVINCE_COMMUNES_RATE = Fraction(3, 100)  # 3 %
PROVINCE_PLANTS = 8000
PROVINCE_AREA = 2000
PROVINCE_KEY_MIN = 4


# ---------------------------------------------------------------------------------------------
# Help text shown in the UI
# ---------------------------------------------------------------------------------------------

DECISIONS_HELP = """\
Cách hệ thống áp dụng tiêu chí của Quyết định 28/2025/QĐ-TTg (Điều 4, 5, 6)

Những điểm văn bản chưa quy định rõ được hệ thống xử lý như sau (chưa có hướng dẫn chính thức \
của Bộ Công an; kết quả là đề xuất tự xếp loại, cấp có thẩm quyền phê duyệt):

1. Mức tiêu chí tính lũy tiến (mặc định): một tiêu chí đạt ở mức loại L khi giá trị đạt từ ngưỡng \
dưới của loại L trở lên. Ví dụ: tỷ lệ người có hồ sơ quản lý từ 0,5% trở lên thì đạt tiêu chí a \
của cả loại I, loại II và loại III. Cách hiểu này dựa vào cụm từ "loại II trở lên", "loại III trở \
lên" tại tiêu chí đ.

2. Có thể bật chế độ "đọc nguyên văn khoảng" cho tiêu chí a, b, c, d của loại II: tỷ lệ người có \
hồ sơ quản lý từ 0,1% đến dưới 0,5%; có đúng 1 điểm tổ chức, chứa chấp; tỷ lệ bị bắt giữ từ 0,05% \
đến dưới 0,1%; từ 500 đến dưới 3.000 cây hoặc từ 125 m² đến dưới 750 m². Chế độ này tắt theo mặc \
định; các tiêu chí loại I, loại III và tiêu chí đ không thay đổi.

3. Tiêu chí loại III ("dưới 0,1%", "dưới 0,05%", "dưới 500 cây / 125 m²") chỉ đạt khi giá trị lớn \
hơn 0 (có yếu tố ma túy). Địa bàn có mọi giá trị bằng 0 được xét theo tiêu chí không ma túy.

4. Tiêu chí đ được tính là một tiêu chí riêng, độc lập với a–d. Loại I, tiêu chí đ: có từ 2 tiêu \
chí trong số a–d đạt mức loại II trở lên và nằm trên tuyến trọng điểm phức tạp về ma túy nội tỉnh \
hoặc liên tỉnh. Loại II, tiêu chí đ: có từ 2 tiêu chí trong số a–d đạt mức loại III trở lên (giá \
trị lớn hơn 0; với điểm tổ chức, chứa chấp là từ 1 điểm) và nằm trên tuyến trọng điểm. Vì vậy một \
địa bàn nằm trên tuyến có 2 tiêu chí đạt mức loại I thì đạt thêm tiêu chí đ, tức đủ 3 tiêu chí \
loại I.

5. Thứ tự xét: loại I (đạt ít nhất 3 tiêu chí), rồi loại II (đạt ít nhất 3 tiêu chí), rồi địa bàn \
không ma túy (đạt đủ cả 3 điều kiện của Điều 6), rồi loại III (đạt ít nhất 1 tiêu chí); nếu không \
thuộc trường hợp nào thì "Chưa xếp loại" (ví dụ: có người vi phạm pháp luật về ma túy hoặc đối \
tượng truy nã lẩn trốn nhưng không đạt tiêu chí loại III nào).

6. Địa bàn không ma túy phải đạt đủ cả 3 điều kiện của Điều 6: (1) không có người đang cư trú \
nghiện, sử dụng trái phép chất ma túy, không tính người đang điều trị nghiện bằng thuốc thay thế, \
người đang cai nghiện tại gia đình, cộng đồng và người đang bị quản lý sau cai nghiện; (2) không \
có người đang cư trú vi phạm pháp luật về ma túy và không có đối tượng truy nã do phạm tội về ma \
túy lẩn trốn trên địa bàn; (3) không có điểm tổ chức, chứa chấp sử dụng trái phép chất ma túy.

7. Tỷ lệ được so sánh chính xác bằng số nguyên, không làm tròn (ví dụ: tỷ lệ từ 0,5% trở lên khi \
số người × 1.000 ≥ số nhân khẩu × 5). "Từ … trở lên" bao gồm giá trị ngưỡng, "dưới" không bao \
gồm. Tỷ lệ hiển thị với 2–3 chữ số thập phân, làm tròn xuống nên không bao giờ hiển thị vượt \
ngưỡng khi thực tế chưa đạt.

8. Cấp tỉnh (Điều 5): là địa bàn trọng điểm phức tạp về ma túy khi đạt ít nhất 4 trong 6 tiêu \
chí: tỷ lệ người có hồ sơ quản lý từ 0,2%; từ 5 điểm tổ chức, chứa chấp; tỷ lệ bị bắt giữ từ \
0,05%; tỷ lệ xã, phường, đặc khu loại I, II từ 3%; từ 8.000 cây hoặc từ 2.000 m²; nằm trên tuyến \
trọng điểm liên tỉnh.
"""


# ---------------------------------------------------------------------------------------------
# Input validation
# ---------------------------------------------------------------------------------------------


class RulesInputError(ValueError):
    """Invalid input for the rules engine. ``message`` is Vietnamese and names the field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


FIELD_LABELS = {
    "population": "nhân khẩu hiện đang cư trú",
    "users_with_records": "số người nghiện, người sử dụng trái phép chất ma túy có hồ sơ quản lý",
    "points": "số điểm tổ chức, chứa chấp sử dụng trái phép chất ma túy",
    "arrested": "số đối tượng phạm tội về ma túy bị bắt giữ",
    "plants": "số cây có chứa chất ma túy bị phát hiện, triệt phá",
    "area_m2": "diện tích trồng cây có chứa chất ma túy bị phát hiện, triệt phá (m²)",
    "on_route": "nằm trên tuyến trọng điểm phức tạp về ma túy nội tỉnh hoặc liên tỉnh",
    "residents_using": (
        "số người đang cư trú nghiện, sử dụng trái phép chất ma túy (không tính người điều trị "
        "bằng thuốc thay thế, cai nghiện tại gia đình, cộng đồng, quản lý sau cai nghiện)"
    ),
    "residents_violating": "số người đang cư trú vi phạm pháp luật về ma túy",
    "fugitives": "số đối tượng truy nã do phạm tội về ma túy lẩn trốn trên địa bàn",
    "communes_type_I_II": "số xã, phường, đặc khu trọng điểm phức tạp về ma túy loại I, II",
    "communes_total": "tổng số xã, phường, đặc khu",
    "on_interprovincial_route": "nằm trên tuyến trọng điểm phức tạp về ma túy liên tỉnh",
}

# kinds: "positive" (integer > 0), "count" (integer >= 0), "area" (number >= 0), "bool"
COMMUNE_FIELDS: tuple[tuple[str, str], ...] = (
    ("population", "positive"),
    ("users_with_records", "count"),
    ("points", "count"),
    ("arrested", "count"),
    ("plants", "count"),
    ("area_m2", "area"),
    ("on_route", "bool"),
    ("residents_using", "count"),
    ("residents_violating", "count"),
    ("fugitives", "count"),
)

PROVINCE_FIELDS: tuple[tuple[str, str], ...] = (
    ("population", "positive"),
    ("users_with_records", "count"),
    ("points", "count"),
    ("arrested", "count"),
    ("communes_type_I_II", "count"),
    ("communes_total", "positive"),
    ("plants", "count"),
    ("area_m2", "area"),
    ("on_interprovincial_route", "bool"),
)


def _field_name(name: str) -> str:
    label = FIELD_LABELS.get(name)
    return f"Trường '{name}' ({label})" if label else f"Trường '{name}'"


def _fail(name: str, text: str) -> RulesInputError:
    return RulesInputError(f"{_field_name(name)} {text}", field=name)


def _reject_non_number(name: str, value: Any) -> None:
    if value is None:
        raise _fail(name, "bị thiếu hoặc để trống.")
    if isinstance(value, bool):
        raise _fail(name, "phải là số, không phải giá trị đúng/sai (true/false).")
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:30] + "…"
        raise _fail(name, f'phải là số, không được ghi dưới dạng chữ/chuỗi ký tự: "{shown}".')
    if not isinstance(value, (int, float, Decimal)):
        raise _fail(name, "phải là số.")
    if isinstance(value, float) and not math.isfinite(value):
        raise _fail(name, "phải là số hữu hạn.")
    if isinstance(value, Decimal) and not value.is_finite():
        raise _fail(name, "phải là số hữu hạn.")


def _check_integer(name: str, value: Any, *, positive: bool) -> int:
    _reject_non_number(name, value)
    if not isinstance(value, int):
        # Integral floats / Decimals (e.g. 1000.0 from a spreadsheet) are accepted.
        if value != int(value):
            raise _fail(name, f"phải là số nguyên (nhận được {value}).")
        value = int(value)
    if value < 0:
        raise _fail(name, f"không được là số âm (nhận được {value}).")
    if positive and value == 0:
        raise _fail(name, "phải lớn hơn 0.")
    return int(value)


def _check_area(name: str, value: Any) -> Decimal:
    _reject_non_number(name, value)
    if isinstance(value, float):
        # repr() gives the shortest decimal that round-trips: 749.99 stays 749.99.
        value = Decimal(repr(value))
    elif isinstance(value, int):
        value = Decimal(value)
    if value < 0:
        raise _fail(name, f"không được là số âm (nhận được {value}).")
    return Decimal(value)


def _check_bool(name: str, value: Any) -> bool:
    if value is None:
        raise _fail(name, "bị thiếu hoặc để trống.")
    if not isinstance(value, bool):
        raise _fail(name, "phải là giá trị đúng/sai (true hoặc false).")
    return value


def _validate(obj: Any, spec: tuple[tuple[str, str], ...]) -> None:
    for name, kind in spec:
        value = getattr(obj, name)
        if kind == "bool":
            clean: Any = _check_bool(name, value)
        elif kind == "area":
            clean = _check_area(name, value)
        else:
            clean = _check_integer(name, value, positive=(kind == "positive"))
        object.__setattr__(obj, name, clean)


def _not_above(obj: Any, name: str, limit_name: str) -> None:
    if getattr(obj, name) > getattr(obj, limit_name):
        raise _fail(
            name,
            f"không được lớn hơn {FIELD_LABELS[limit_name]} "
            f"({format_number(getattr(obj, name))} > {format_number(getattr(obj, limit_name))}).",
        )


def _from_mapping(cls: type, data: Any, spec: tuple[tuple[str, str], ...]) -> Any:
    if not isinstance(data, Mapping):
        raise RulesInputError("Dữ liệu đầu vào phải là một đối tượng (cặp khóa: giá trị).")
    values = {}
    for name, kind in spec:
        if name not in data:
            raise _fail(name, "bị thiếu.")
        value = data[name]
        # Check field by field, in order, so the first wrong field is the one reported.
        if kind == "bool":
            _check_bool(name, value)
        elif kind == "area":
            _check_area(name, value)
        else:
            _check_integer(name, value, positive=(kind == "positive"))
        values[name] = value
    return cls(**values)


@dataclass(frozen=True)
class CommuneInput:
    """Data of one commune for one evaluation period (15/12 năm trước → 14/12).

    ``residents_using`` excludes methadone (substitution) patients, people in home/community
    rehab and people under post-rehab management (Điều 6.1). Construction validates and
    normalises (``area_m2`` becomes a ``Decimal``); invalid values raise ``RulesInputError``.
    """

    population: int
    users_with_records: int
    points: int
    arrested: int
    plants: int
    area_m2: Decimal
    on_route: bool
    residents_using: int
    residents_violating: int
    fugitives: int

    def __post_init__(self) -> None:
        _validate(self, COMMUNE_FIELDS)
        for name in ("users_with_records", "residents_using", "residents_violating"):
            _not_above(self, name, "population")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> CommuneInput:
        """Build from a dict (e.g. a parsed JSON line). All fields are required; extra keys are
        ignored; numbers given as text are an error."""
        return cast(CommuneInput, _from_mapping(cls, data, COMMUNE_FIELDS))


@dataclass(frozen=True)
class ProvinceInput:
    """Data of one province for one evaluation period (Điều 5)."""

    population: int
    users_with_records: int
    points: int
    arrested: int
    communes_type_I_II: int
    communes_total: int
    plants: int
    area_m2: Decimal
    on_interprovincial_route: bool

    def __post_init__(self) -> None:
        _validate(self, PROVINCE_FIELDS)
        _not_above(self, "users_with_records", "population")
        _not_above(self, "communes_type_I_II", "communes_total")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> ProvinceInput:
        return cast(ProvinceInput, _from_mapping(cls, data, PROVINCE_FIELDS))


# ---------------------------------------------------------------------------------------------
# Formatting (Vietnamese: "." thousands separator, "," decimal separator)
# ---------------------------------------------------------------------------------------------


def format_percent(numerator: int | Fraction, denominator: int | Fraction) -> str:
    """Exact percentage numerator/denominator, Vietnamese format, truncated (never rounded up).

    Shows 3 decimals, trailing zeros trimmed down to 2 (0,62% · 0,625% · 0,50%). A non-zero
    value too small for 3 decimals gets more digits so it never displays as zero.
    """
    if isinstance(numerator, int) and isinstance(denominator, int):
        # Integer floor division gives exactly floor(Fraction(...)), several times faster.
        if denominator == 0:
            raise ZeroDivisionError(f"Fraction({numerator * 100}, 0)")
        positive = (numerator > 0) == (denominator > 0) and numerator != 0
        digits = 3
        scaled = (numerator * 100 * 10**digits) // denominator
        while scaled == 0 and positive and digits < 9:
            digits += 1
            scaled = (numerator * 100 * 10**digits) // denominator
    else:
        pct = Fraction(numerator * 100, denominator)
        positive = pct > 0
        digits = 3
        scaled = math.floor(pct * 10**digits)
        while scaled == 0 and positive and digits < 9:
            digits += 1
            scaled = math.floor(pct * 10**digits)
    shown = digits
    while shown > 2 and scaled % 10 ** (digits - shown + 1) == 0:
        shown -= 1
    text = format_percent_text(Decimal(scaled).scaleb(-digits), shown)  # exact: no rounding happens here
    if scaled == 0 and positive:
        text = "< " + text.replace("0%", "1%")  # below one unit of the last digit
    return text


def _pct_value(numerator: int, denominator: int) -> float:
    """Display-only float percentage (never used to decide anything)."""
    return round(numerator * 100 / denominator, 6)


def _area_value(area: Decimal) -> int | float:
    return int(area) if area == area.to_integral_value() else float(area)


def _rate_at_least(numerator: int, denominator: int, threshold: Fraction) -> bool:
    """numerator/denominator >= threshold, by integer cross-multiplication."""
    return numerator * threshold.denominator >= denominator * threshold.numerator


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _verdict(met: bool) -> str:
    return "đạt" if met else "không đạt"


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    """One criterion evaluated: key ("I.a", "II.đ", "III.c", "drug_free.1", "province.4"),
    short title, JSON-friendly value, value/threshold texts, outcome and explanation."""

    key: str
    title: str
    value: Any
    value_text: str
    threshold: str
    met: bool
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "value": self.value,
            "value_text": self.value_text,
            "threshold": self.threshold,
            "met": self.met,
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class CommuneResult:
    """Outcome for one commune. ``classification`` is one of CLASS_ORDER."""

    classification: str
    label: str
    criteria: dict[str, Criterion]
    met_counts: dict[str, int]  # {"I": n of 5, "II": n of 5, "III": n of 3, "drug_free": n of 3}
    explanation: str
    literal_bands: bool

    @property
    def is_key_area(self) -> bool:
        return self.classification in (CLASS_I, CLASS_II, CLASS_III)

    @property
    def drug_free_conditions_met(self) -> bool:
        return self.met_counts[DRUG_FREE] == 3

    def to_dict(self) -> dict[str, Any]:
        return {
            "class": self.classification,
            "label": self.label,
            "explanation": self.explanation,
            "criteria_met": dict(self.met_counts),
            "literal_bands": self.literal_bands,
            "legal_basis": LEGAL_BASIS,
            "criteria": {key: c.to_dict() for key, c in self.criteria.items()},
        }


@dataclass(frozen=True)
class ProvinceResult:
    key_area: bool
    criteria_met: int
    label: str
    criteria: dict[str, Criterion]
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "key_area": self.key_area,
            "criteria_met": self.criteria_met,
            "label": self.label,
            "explanation": self.explanation,
            "legal_basis": LEGAL_BASIS,
            "criteria": {key: c.to_dict() for key, c in self.criteria.items()},
        }


# ---------------------------------------------------------------------------------------------
# Criterion builders
# ---------------------------------------------------------------------------------------------

_USERS_TITLE = "Tỷ lệ người có hồ sơ quản lý"
_ARREST_TITLE = "Tỷ lệ đối tượng phạm tội về ma túy bị bắt giữ"
_POINTS_TITLE = "Số điểm tổ chức, chứa chấp sử dụng trái phép chất ma túy"
_PLANTS_TITLE = "Cây có chứa chất ma túy bị phát hiện, triệt phá"
_COMMUNES_TITLE = "Tỷ lệ xã, phường, đặc khu trọng điểm loại I, II"


@functools.lru_cache(maxsize=64)
def _pct_text(fr: Fraction) -> str:
    """Threshold fraction (of 1) as a Vietnamese percentage: Fraction(5, 1000) → "0,5%"."""
    pct = fr * 100
    return format_percent_text(Decimal(pct.numerator) / Decimal(pct.denominator), None)


def _rate_at_least_criterion(key: str, title: str, num: int, den: int, threshold: Fraction) -> Criterion:
    met = _rate_at_least(num, den, threshold)
    vtext = format_percent(num, den)
    ttext = _pct_text(threshold)
    return Criterion(
        key=key,
        title=title,
        value=_pct_value(num, den),
        value_text=vtext,
        threshold=f"≥ {ttext}",
        met=met,
        explanation=f"{title} {vtext} {'≥' if met else '<'} {ttext} — {_verdict(met)}",
    )


def _rate_band_criterion(key: str, title: str, num: int, den: int, low: Fraction, high: Fraction) -> Criterion:
    at_low = _rate_at_least(num, den, low)
    at_high = _rate_at_least(num, den, high)
    met = at_low and not at_high
    vtext = format_percent(num, den)
    lo, hi = _pct_text(low), _pct_text(high)
    if met:
        rel = f"{vtext} trong khoảng từ {lo} đến dưới {hi}"
    elif not at_low:
        rel = f"{vtext} < {lo}"
    else:
        rel = f"{vtext} ≥ {hi}, ngoài khoảng từ {lo} đến dưới {hi}"
    return Criterion(
        key=key,
        title=title,
        value=_pct_value(num, den),
        value_text=vtext,
        threshold=f"từ {lo} đến dưới {hi}",
        met=met,
        explanation=f"{title} {rel} — {_verdict(met)}",
    )


def _rate_positive_criterion(key: str, title: str, num: int, den: int, below: Fraction) -> Criterion:
    met = num > 0
    vtext = format_percent(num, den)
    rel = f"{vtext} > 0%" if met else "bằng 0%"
    return Criterion(
        key=key,
        title=title,
        value=_pct_value(num, den),
        value_text=vtext,
        threshold=f"> 0% (văn bản: dưới {_pct_text(below)})",
        met=met,
        explanation=f"{title} {rel} — {_verdict(met)}",
    )


def _count_at_least_criterion(key: str, title: str, count: int, minimum: int, unit: str) -> Criterion:
    met = count >= minimum
    return Criterion(
        key=key,
        title=title,
        value=count,
        value_text=f"{format_number(count)} {unit}",
        threshold=f"≥ {format_number(minimum)} {unit}",
        met=met,
        explanation=(
            f"{title}: {format_number(count)} {'≥' if met else '<'} {format_number(minimum)} {unit} — {_verdict(met)}"
        ),
    )


def _count_exact_criterion(key: str, title: str, count: int, exact: int, unit: str) -> Criterion:
    met = count == exact
    return Criterion(
        key=key,
        title=title,
        value=count,
        value_text=f"{format_number(count)} {unit}",
        threshold=f"đúng {format_number(exact)} {unit}",
        met=met,
        explanation=(
            f"{title}: {format_number(count)} {'=' if met else '≠'} {format_number(exact)} {unit} — {_verdict(met)}"
        ),
    )


def _plants_value(plants: int, area: Decimal) -> tuple[dict[str, Any], str]:
    value = {"plants": plants, "area_m2": _area_value(area)}
    return value, f"{format_number(plants)} cây; {format_number(area)} m²"


def _plants_at_least_criterion(key: str, plants: int, area: Decimal, min_plants: int, min_area: int) -> Criterion:
    plants_ok = plants >= min_plants
    area_ok = area >= min_area
    met = plants_ok or area_ok
    value, vtext = _plants_value(plants, area)
    return Criterion(
        key=key,
        title=_PLANTS_TITLE,
        value=value,
        value_text=vtext,
        threshold=f"≥ {format_number(min_plants)} cây hoặc ≥ {format_number(min_area)} m²",
        met=met,
        explanation=(
            f"{_PLANTS_TITLE}: {format_number(plants)} cây {'≥' if plants_ok else '<'} "
            f"{format_number(min_plants)} cây; {format_number(area)} m² {'≥' if area_ok else '<'} "
            f"{format_number(min_area)} m² — {_verdict(met)}"
        ),
    )


def _plants_band_criterion(key: str, plants: int, area: Decimal) -> Criterion:
    plants_ok = PLANTS_II <= plants < PLANTS_I
    area_ok = AREA_II <= area < AREA_I
    met = plants_ok or area_ok
    value, vtext = _plants_value(plants, area)

    def rel(v: str, ok: bool, low: int, high: int, unit: str) -> str:
        band = f"từ {format_number(low)} đến dưới {format_number(high)} {unit}"
        return f"{v} {unit} {'trong' if ok else 'ngoài'} khoảng {band}"

    return Criterion(
        key=key,
        title=_PLANTS_TITLE,
        value=value,
        value_text=vtext,
        threshold=(
            f"từ {format_number(PLANTS_II)} đến dưới {format_number(PLANTS_I)} cây hoặc "
            f"từ {format_number(AREA_II)} đến dưới {format_number(AREA_I)} m²"
        ),
        met=met,
        explanation=(
            f"{_PLANTS_TITLE}: {rel(format_number(plants), plants_ok, PLANTS_II, PLANTS_I, 'cây')}; "
            f"{rel(format_number(area), area_ok, AREA_II, AREA_I, 'm²')} — {_verdict(met)}"
        ),
    )


def _plants_positive_criterion(key: str, plants: int, area: Decimal) -> Criterion:
    met = plants > 0 or area > 0
    value, vtext = _plants_value(plants, area)
    return Criterion(
        key=key,
        title=_PLANTS_TITLE,
        value=value,
        value_text=vtext,
        threshold=(
            f"> 0 cây hoặc > 0 m² (văn bản: dưới {format_number(PLANTS_II)} cây hoặc dưới {format_number(AREA_II)} m²)"
        ),
        met=met,
        explanation=(
            f"{_PLANTS_TITLE}: {vtext} — {'có phát hiện, triệt phá' if met else 'không có'} — {_verdict(met)}"
        ),
    )


def _route_criterion(key: str, level_name: str, letters: list[str], on_route: bool) -> Criterion:
    count = len(letters)
    enough = count >= ROUTE_CRITERIA_MIN
    met = enough and on_route
    listed = f" ({', '.join(letters)})" if letters else ""
    route_text = "nằm trên tuyến trọng điểm" if on_route else "không nằm trên tuyến trọng điểm"
    if met:
        why = f"có {count} tiêu chí a–d đạt mức {level_name} trở lên{listed} và {route_text}"
    elif enough:
        why = f"có {count} tiêu chí a–d đạt mức {level_name} trở lên{listed} nhưng {route_text}"
    else:
        why = f"chỉ có {count} tiêu chí a–d đạt mức {level_name} trở lên{listed} (cần ≥ 2)"
    return Criterion(
        key=key,
        title=f"Từ 2 tiêu chí mức {level_name} trở lên và nằm trên tuyến trọng điểm",
        value={"criteria": letters, "count": count, "on_route": on_route},
        value_text=f"{count} tiêu chí; {route_text}",
        threshold=(
            f"≥ 2 tiêu chí a–d đạt mức {level_name} trở lên và nằm trên tuyến trọng điểm "
            "phức tạp về ma túy nội tỉnh hoặc liên tỉnh"
        ),
        met=met,
        explanation=f"Tiêu chí đ: {why} — {_verdict(met)}",
    )


def _zero_criterion(key: str, title: str, value: Any, counts: dict[str, int]) -> Criterion:
    met = all(v == 0 for v in counts.values())
    parts = "; ".join(f"{label}: {format_number(v)}" for label, v in counts.items())
    return Criterion(
        key=key,
        title=title,
        value=value,
        value_text=parts,
        threshold="= 0",
        met=met,
        explanation=f"{title} — {parts} — {_verdict(met)}",
    )


# ---------------------------------------------------------------------------------------------
# Commune classifier (Điều 4 + Điều 6)
# ---------------------------------------------------------------------------------------------

_LETTERS = ("a", "b", "c", "d")


def _levels(d: CommuneInput) -> dict[str, int]:
    """Cumulative level reached by each of a–d: 3 = type I level, 2 = type II, 1 = type III
    (value above zero), 0 = nothing. Criterion b has no type III bound: 1 point is type II level,
    which is also "type III or higher"."""

    def rate_level(num: int, high: Fraction, mid: Fraction) -> int:
        if _rate_at_least(num, d.population, high):
            return 3
        if _rate_at_least(num, d.population, mid):
            return 2
        return 1 if num > 0 else 0

    if d.plants >= PLANTS_I or d.area_m2 >= AREA_I:
        plants_level = 3
    elif d.plants >= PLANTS_II or d.area_m2 >= AREA_II:
        plants_level = 2
    else:
        plants_level = 1 if (d.plants > 0 or d.area_m2 > 0) else 0
    return {
        "a": rate_level(d.users_with_records, USERS_RATE_I, USERS_RATE_II),
        "b": 3 if d.points >= POINTS_I else (2 if d.points >= POINTS_II else 0),
        "c": rate_level(d.arrested, ARREST_RATE_I, ARREST_RATE_II),
        "d": plants_level,
    }


def classify_commune(data: CommuneInput, *, literal_bands: bool = False) -> CommuneResult:
    """Classify one commune (xã, phường, đặc khu) under QĐ 28/2025/QĐ-TTg.

    ``literal_bands=True`` reads type II a/c/d as literal bands and II.b as exactly 1 point;
    everything else is unchanged (see DECISIONS_HELP).
    """
    if not isinstance(data, CommuneInput):
        raise TypeError("classify_commune expects a CommuneInput")
    d = data
    pop = d.population
    levels = _levels(d)
    crit: dict[str, Criterion] = {}

    # Loại I
    crit["I.a"] = _rate_at_least_criterion("I.a", _USERS_TITLE, d.users_with_records, pop, USERS_RATE_I)
    crit["I.b"] = _count_at_least_criterion("I.b", _POINTS_TITLE, d.points, POINTS_I, "điểm")
    crit["I.c"] = _rate_at_least_criterion("I.c", _ARREST_TITLE, d.arrested, pop, ARREST_RATE_I)
    crit["I.d"] = _plants_at_least_criterion("I.d", d.plants, d.area_m2, PLANTS_I, AREA_I)
    crit["I.đ"] = _route_criterion("I.đ", "loại II", [x for x in _LETTERS if levels[x] >= 2], d.on_route)

    # Loại II
    if literal_bands:
        crit["II.a"] = _rate_band_criterion(
            "II.a", _USERS_TITLE, d.users_with_records, pop, USERS_RATE_II, USERS_RATE_I
        )
        crit["II.b"] = _count_exact_criterion("II.b", _POINTS_TITLE, d.points, POINTS_II, "điểm")
        crit["II.c"] = _rate_band_criterion("II.c", _ARREST_TITLE, d.arrested, pop, ARREST_RATE_II, ARREST_RATE_I)
        crit["II.d"] = _plants_band_criterion("II.d", d.plants, d.area_m2)
    else:
        crit["II.a"] = _rate_at_least_criterion("II.a", _USERS_TITLE, d.users_with_records, pop, USERS_RATE_II)
        crit["II.b"] = _count_at_least_criterion("II.b", _POINTS_TITLE, d.points, POINTS_II, "điểm")
        crit["II.c"] = _rate_at_least_criterion("II.c", _ARREST_TITLE, d.arrested, pop, ARREST_RATE_II)
        crit["II.d"] = _plants_at_least_criterion("II.d", d.plants, d.area_m2, PLANTS_II, AREA_II)
    crit["II.đ"] = _route_criterion("II.đ", "loại III", [x for x in _LETTERS if levels[x] >= 1], d.on_route)

    # Loại III (no "điểm" criterion and no route criterion at type III)
    crit["III.a"] = _rate_positive_criterion("III.a", _USERS_TITLE, d.users_with_records, pop, USERS_RATE_II)
    crit["III.b"] = _rate_positive_criterion("III.b", _ARREST_TITLE, d.arrested, pop, ARREST_RATE_II)
    crit["III.c"] = _plants_positive_criterion("III.c", d.plants, d.area_m2)

    # Địa bàn không ma túy (Điều 6) — all three conditions
    crit["drug_free.1"] = _zero_criterion(
        "drug_free.1",
        "Không có người đang cư trú nghiện, sử dụng trái phép chất ma túy (không tính người điều trị "
        "bằng thuốc thay thế, cai nghiện tại gia đình, cộng đồng, quản lý sau cai nghiện)",
        d.residents_using,
        {"số người": d.residents_using},
    )
    crit["drug_free.2"] = _zero_criterion(
        "drug_free.2",
        "Không có người đang cư trú vi phạm pháp luật về ma túy và không có đối tượng truy nã "
        "về ma túy lẩn trốn trên địa bàn",
        {"residents_violating": d.residents_violating, "fugitives": d.fugitives},
        {"người vi phạm": d.residents_violating, "đối tượng truy nã": d.fugitives},
    )
    crit["drug_free.3"] = _zero_criterion(
        "drug_free.3",
        "Không có điểm tổ chức, chứa chấp sử dụng trái phép chất ma túy",
        d.points,
        {"số điểm": d.points},
    )

    def met_of(prefix: str) -> list[str]:
        return [k.split(".", 1)[1] for k, c in crit.items() if k.startswith(prefix + ".") and c.met]

    met_i, met_ii, met_iii, met_free = met_of("I"), met_of("II"), met_of("III"), met_of("drug_free")
    counts = {
        CLASS_I: len(met_i),
        CLASS_II: len(met_ii),
        CLASS_III: len(met_iii),
        DRUG_FREE: len(met_free),
    }

    def listed(letters: list[str]) -> str:
        return f" ({', '.join(letters)})" if letters else ""

    i_text = f"đạt {len(met_i)}/5 tiêu chí loại I{listed(met_i)}"
    ii_text = f"đạt {len(met_ii)}/5 tiêu chí loại II{listed(met_ii)}"
    iii_text = f"đạt {len(met_iii)}/3 tiêu chí loại III{listed(met_iii)}"
    missing_free = [k for k in ("1", "2", "3") if k not in met_free]
    free_text = (
        "đạt đủ 3 điều kiện không ma túy (Điều 6)"
        if not missing_free
        else f"chưa đạt điều kiện không ma túy số {', '.join(missing_free)} (Điều 6)"
    )

    if counts[CLASS_I] >= COMMUNE_TYPE_I_MIN:
        klass, reason = CLASS_I, f"{_cap(i_text)}, cần ≥ 3"
    elif counts[CLASS_II] >= COMMUNE_TYPE_II_MIN:
        klass, reason = CLASS_II, f"{_cap(i_text)}, cần ≥ 3; {ii_text}, cần ≥ 3"
    elif not missing_free:
        klass, reason = DRUG_FREE, (f"{_cap(i_text)}; {ii_text} (đều cần ≥ 3); {free_text}")
    elif counts[CLASS_III] >= COMMUNE_TYPE_III_MIN:
        klass, reason = (
            CLASS_III,
            (f"{_cap(i_text)}; {ii_text} (đều cần ≥ 3); {free_text}; {iii_text}"),
        )
    else:
        klass, reason = (
            UNCLASSIFIED,
            (f"{_cap(i_text)}; {ii_text} (đều cần ≥ 3); {free_text}; không đạt tiêu chí loại III nào"),
        )
    mode = " [đọc nguyên văn khoảng loại II]" if literal_bands else ""
    explanation = f"{reason} → {CLASS_LABELS[klass]}{mode}"
    return CommuneResult(
        classification=klass,
        label=CLASS_LABELS[klass],
        criteria=crit,
        met_counts=counts,
        explanation=explanation,
        literal_bands=literal_bands,
    )


# ---------------------------------------------------------------------------------------------
# Province classifier (Điều 5)
# ---------------------------------------------------------------------------------------------


def classify_province(data: ProvinceInput) -> ProvinceResult:
    """Key-area status of a province: at least 4 of the 6 criteria of Điều 5."""
    if not isinstance(data, ProvinceInput):
        raise TypeError("classify_province expects a ProvinceInput")
    d = data
    crit: dict[str, Criterion] = {}
    crit["province.1"] = _rate_at_least_criterion(
        "province.1", _USERS_TITLE, d.users_with_records, d.population, PROVINCE_USERS_RATE
    )
    crit["province.2"] = _count_at_least_criterion("province.2", _POINTS_TITLE, d.points, PROVINCE_POINTS, "điểm")
    crit["province.3"] = _rate_at_least_criterion(
        "province.3", _ARREST_TITLE, d.arrested, d.population, PROVINCE_ARREST_RATE
    )
    c4 = _rate_at_least_criterion(
        "province.4",
        _COMMUNES_TITLE,
        d.communes_type_I_II,
        d.communes_total,
        PROVINCE_COMMUNES_RATE,
    )
    crit["province.4"] = Criterion(
        key=c4.key,
        title=c4.title,
        value=c4.value,
        value_text=(f"{c4.value_text} ({format_number(d.communes_type_I_II)}/{format_number(d.communes_total)})"),
        threshold=c4.threshold,
        met=c4.met,
        explanation=c4.explanation,
    )
    crit["province.5"] = _plants_at_least_criterion("province.5", d.plants, d.area_m2, PROVINCE_PLANTS, PROVINCE_AREA)
    on = d.on_interprovincial_route
    crit["province.6"] = Criterion(
        key="province.6",
        title="Nằm trên tuyến trọng điểm phức tạp về ma túy liên tỉnh",
        value=on,
        value_text="có" if on else "không",
        threshold="có",
        met=on,
        explanation=(
            f"{'Nằm' if on else 'Không nằm'} trên tuyến trọng điểm phức tạp về ma túy liên tỉnh — {_verdict(on)}"
        ),
    )
    met = [k.split(".", 1)[1] for k, c in crit.items() if c.met]
    key_area = len(met) >= PROVINCE_KEY_MIN
    listed = f" ({', '.join(met)})" if met else ""
    explanation = f"Đạt {len(met)}/6 tiêu chí cấp tỉnh{listed}, cần ≥ {PROVINCE_KEY_MIN} → {PROVINCE_LABELS[key_area]}"
    return ProvinceResult(
        key_area=key_area,
        criteria_met=len(met),
        label=PROVINCE_LABELS[key_area],
        criteria=crit,
        explanation=explanation,
    )
