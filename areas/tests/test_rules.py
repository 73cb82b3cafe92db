"""Pure tests of the QĐ 28/2025/QĐ-TTg rules engine (no database, no Django)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from areas.rules import (
    CLASS_I,
    CLASS_II,
    CLASS_III,
    CLASS_LABELS,
    DECISIONS_HELP,
    DRUG_FREE,
    UNCLASSIFIED,
    CommuneInput,
    ProvinceInput,
    RulesInputError,
    classify_commune,
    classify_province,
    format_percent,
    key_area_rank,
)

# Population 10.000: 0,5% = 50 people, 0,1% = 10, 0,05% = 5.
BASE = {
    "population": 10_000,
    "users_with_records": 0,
    "points": 0,
    "arrested": 0,
    "plants": 0,
    "area_m2": 0,
    "on_route": False,
    "residents_using": 0,
    "residents_violating": 0,
    "fugitives": 0,
}

# Population 100.000, 100 communes: 0,2% = 200, 0,05% = 50, 3% = 3 communes.
PBASE = {
    "population": 100_000,
    "users_with_records": 0,
    "points": 0,
    "arrested": 0,
    "communes_type_I_II": 0,
    "communes_total": 100,
    "plants": 0,
    "area_m2": 0,
    "on_interprovincial_route": False,
}

ALL_COMMUNE_KEYS = [
    "I.a",
    "I.b",
    "I.c",
    "I.d",
    "I.đ",
    "II.a",
    "II.b",
    "II.c",
    "II.d",
    "II.đ",
    "III.a",
    "III.b",
    "III.c",
    "drug_free.1",
    "drug_free.2",
    "drug_free.3",
]


def commune(**kw):
    return CommuneInput(**{**BASE, **kw})


def classify(literal_bands=False, **kw):
    return classify_commune(commune(**kw), literal_bands=literal_bands)


def province(**kw):
    return classify_province(ProvinceInput(**{**PBASE, **kw}))


# ---------------------------------------------------------------------------------------------
# Every commune threshold: just below, at, just above
# ---------------------------------------------------------------------------------------------

COMMUNE_BOUNDARIES = [
    # key, field, just below, at, just above
    ("I.a", "users_with_records", 49, 50, 51),
    ("II.a", "users_with_records", 9, 10, 11),
    ("III.a", "users_with_records", 0, 1, 2),
    ("I.b", "points", 1, 2, 3),
    ("II.b", "points", 0, 1, 2),
    ("I.c", "arrested", 9, 10, 11),
    ("II.c", "arrested", 4, 5, 6),
    ("III.b", "arrested", 0, 1, 2),
    ("I.d", "plants", 2999, 3000, 3001),
    ("I.d", "area_m2", Decimal("749.99"), 750, Decimal("750.01")),
    ("I.d", "area_m2", 749.99, 750.0, 750.01),
    ("II.d", "plants", 499, 500, 501),
    ("II.d", "area_m2", Decimal("124.99"), 125, Decimal("125.01")),
    ("II.d", "area_m2", 124.99, 125.0, 125.01),
    ("III.c", "plants", 0, 1, 2),
    ("III.c", "area_m2", 0, Decimal("0.01"), 1),
]


@pytest.mark.parametrize("key,field,below,at,above", COMMUNE_BOUNDARIES)
def test_commune_threshold_boundaries_cumulative(key, field, below, at, above):
    assert classify(**{field: below}).criteria[key].met is False
    assert classify(**{field: at}).criteria[key].met is True
    assert classify(**{field: above}).criteria[key].met is True


LITERAL_BOUNDARIES = [
    # key, field, [(value, met)] — "từ … đến dưới …" and "Có 1 điểm"
    (
        "II.a",
        "users_with_records",
        [(9, False), (10, True), (11, True), (49, True), (50, False), (51, False)],
    ),
    ("II.b", "points", [(0, False), (1, True), (2, False), (3, False)]),
    ("II.c", "arrested", [(4, False), (5, True), (6, True), (9, True), (10, False), (11, False)]),
    ("II.d", "plants", [(499, False), (500, True), (2999, True), (3000, False), (3001, False)]),
    (
        "II.d",
        "area_m2",
        [
            (Decimal("124.99"), False),
            (125, True),
            (Decimal("749.99"), True),
            (750, False),
            (Decimal("750.01"), False),
        ],
    ),
]


@pytest.mark.parametrize("key,field,cases", LITERAL_BOUNDARIES)
def test_commune_literal_band_boundaries(key, field, cases):
    for value, expected in cases:
        assert classify(literal_bands=True, **{field: value}).criteria[key].met is expected, value


def test_literal_band_d_holds_on_either_measure():
    # 3.500 plants is above the band but 200 m² is inside it: "hoặc" → met.
    r = classify(literal_bands=True, plants=3500, area_m2=200)
    assert r.criteria["II.d"].met is True
    r = classify(literal_bands=True, plants=3500, area_m2=800)
    assert r.criteria["II.d"].met is False


@pytest.mark.parametrize("key", ["I.a", "I.b", "I.c", "I.d", "I.đ", "III.a", "III.b", "III.c", "II.đ"])
def test_literal_switch_leaves_other_criteria_alone(key):
    for kw in (
        {"users_with_records": 60, "points": 2, "arrested": 7, "on_route": True},
        {"users_with_records": 3, "arrested": 1, "plants": 10, "on_route": True},
        {"plants": 3200, "area_m2": 10, "points": 1},
    ):
        assert classify(**kw).criteria[key].met == classify(literal_bands=True, **kw).criteria[key].met


def test_rates_compare_exactly_not_with_floats():
    pop = 10**20
    users = 5 * 10**17 - 1  # one person short of 0,5%
    assert users / pop >= 0.005  # floating point would say "reached"
    r = classify_commune(commune(population=pop, users_with_records=users))
    assert r.criteria["I.a"].met is False
    assert r.criteria["II.a"].met is True
    r = classify_commune(commune(population=pop, users_with_records=users + 1))
    assert r.criteria["I.a"].met is True


def test_non_round_population_boundary():
    # 0,5% of 1.234 = 6,17 → 7 people needed; 0,05% of 1.234 = 0,617 → 1 arrest reaches II level.
    assert classify(population=1234, users_with_records=6).criteria["I.a"].met is False
    assert classify(population=1234, users_with_records=7).criteria["I.a"].met is True
    assert classify(population=1234, arrested=1).criteria["II.c"].met is True
    assert classify(population=1234, arrested=1).criteria["I.c"].met is False
    assert classify(population=1234, arrested=2).criteria["I.c"].met is True  # 0,162%


# ---------------------------------------------------------------------------------------------
# Class boundaries for each type
# ---------------------------------------------------------------------------------------------


def test_type_I_needs_three_criteria_at_thresholds():
    r = classify(users_with_records=50, points=2, arrested=10, residents_using=1)
    assert r.classification == CLASS_I
    assert r.met_counts[CLASS_I] == 3
    assert r.label == "Địa bàn trọng điểm phức tạp về ma túy loại I"
    # One person fewer: only b, c at type I level → falls to type II (a, b, c at II level).
    r = classify(users_with_records=49, points=2, arrested=10, residents_using=1)
    assert r.met_counts[CLASS_I] == 2
    assert r.classification == CLASS_II


def test_type_I_by_plants_area_boundary():
    kw = {"users_with_records": 50, "arrested": 10, "residents_using": 1}
    assert classify(area_m2=750, **kw).classification == CLASS_I
    assert classify(area_m2=Decimal("749.9"), **kw).classification == CLASS_II


def test_type_II_needs_three_criteria_at_thresholds():
    r = classify(users_with_records=10, arrested=5, plants=500, residents_using=1)
    assert r.classification == CLASS_II
    assert r.met_counts[CLASS_II] == 3
    r = classify(users_with_records=10, arrested=5, plants=499, residents_using=1)
    assert r.met_counts[CLASS_II] == 2
    assert r.classification == CLASS_III


def test_type_III_needs_a_value_above_zero():
    assert classify(users_with_records=1, residents_using=1).classification == CLASS_III
    assert classify(arrested=1, residents_violating=1).classification == CLASS_III
    assert classify(area_m2=Decimal("0.5"), fugitives=1).classification == CLASS_III
    # Same communes with zero values: no type III criterion, and not drug-free → unclassified.
    assert classify(residents_using=1).classification == UNCLASSIFIED
    assert classify(residents_violating=1).classification == UNCLASSIFIED


# ---------------------------------------------------------------------------------------------
# Precedence
# ---------------------------------------------------------------------------------------------


def test_precedence_I_over_II():
    r = classify(users_with_records=60, arrested=12, plants=3000, residents_using=2)
    assert r.met_counts[CLASS_II] >= 3 and r.met_counts[CLASS_I] >= 3
    assert r.classification == CLASS_I


def test_precedence_I_over_drug_free():
    # All people with records are in substitution treatment / community rehab: Điều 6 holds.
    r = classify(users_with_records=60, arrested=12, plants=3000)
    assert r.drug_free_conditions_met
    assert r.classification == CLASS_I


def test_precedence_II_over_drug_free():
    r = classify(users_with_records=20, arrested=6, plants=600)
    assert r.drug_free_conditions_met
    assert r.met_counts[CLASS_II] == 3
    assert r.classification == CLASS_II


def test_precedence_drug_free_over_III():
    # 1 person with records (e.g. on methadone, not counted by Điều 6.1), no points, nobody wanted.
    r = classify(users_with_records=1, arrested=1, plants=10)
    assert r.met_counts[CLASS_III] == 3
    assert r.classification == DRUG_FREE
    assert r.label == "Địa bàn không ma túy"


def test_all_zero_is_drug_free():
    r = classify()
    assert r.classification == DRUG_FREE
    assert all(r.criteria[k].met for k in ("drug_free.1", "drug_free.2", "drug_free.3"))


@pytest.mark.parametrize(
    "kw,failed",
    [
        ({"residents_using": 1}, "drug_free.1"),
        ({"residents_violating": 1}, "drug_free.2"),
        ({"fugitives": 1}, "drug_free.2"),
        ({"points": 1}, "drug_free.3"),
    ],
)
def test_each_drug_free_condition(kw, failed):
    r = classify(users_with_records=1, **kw)
    assert r.criteria[failed].met is False
    assert r.classification == CLASS_III
    r = classify(**kw)
    assert r.classification == UNCLASSIFIED
    assert r.label == "Chưa xếp loại"


def test_unclassified_when_one_point_only():
    # 1 point: II.b holds (1 of 5), no type III criterion covers points, Điều 6.3 fails.
    r = classify(points=1)
    assert r.criteria["II.b"].met is True
    assert r.classification == UNCLASSIFIED


# ---------------------------------------------------------------------------------------------
# Criterion đ
# ---------------------------------------------------------------------------------------------


def test_type_I_criterion_dd_makes_two_type_I_criteria_enough_on_a_route():
    kw = {"users_with_records": 60, "points": 2, "residents_using": 3}
    on = classify(on_route=True, **kw)
    assert on.criteria["I.đ"].met is True
    assert on.criteria["I.đ"].value == {"criteria": ["a", "b"], "count": 2, "on_route": True}
    assert on.classification == CLASS_I
    off = classify(on_route=False, **kw)
    assert off.criteria["I.đ"].met is False
    assert off.classification == CLASS_III  # II: a, b only (2); not drug-free; III.a


def test_type_I_criterion_dd_counts_type_II_level_values():
    # a at type II level, c at type II level, on a route → I.đ; but a, c themselves not type I.
    r = classify(users_with_records=10, arrested=5, on_route=True, residents_using=1)
    assert r.criteria["I.đ"].met is True
    assert r.met_counts[CLASS_I] == 1
    # Only one a–d criterion at type II level → I.đ fails even on a route.
    r = classify(users_with_records=10, arrested=4, on_route=True, residents_using=1)
    assert r.criteria["I.đ"].met is False


def test_type_II_criterion_dd():
    kw = {"users_with_records": 20, "arrested": 2, "plants": 600, "residents_using": 1}
    on = classify(on_route=True, **kw)
    assert on.criteria["II.đ"].met is True  # a, c, d all above zero
    assert on.met_counts[CLASS_II] == 3  # a, d, đ
    assert on.classification == CLASS_II
    off = classify(on_route=False, **kw)
    assert off.criteria["II.đ"].met is False
    assert off.classification == CLASS_III


def test_type_II_criterion_dd_counts_one_point_as_type_III_or_higher():
    r = classify(users_with_records=1, points=1, on_route=True)
    assert r.criteria["II.đ"].met is True
    assert r.criteria["II.đ"].value["criteria"] == ["a", "b"]
    r = classify(users_with_records=1, on_route=True, residents_using=1)
    assert r.criteria["II.đ"].met is False  # only a is above zero


# ---------------------------------------------------------------------------------------------
# Literal band switch changes results
# ---------------------------------------------------------------------------------------------


def test_literal_bands_change_the_class():
    kw = {"users_with_records": 62, "points": 2, "arrested": 7, "residents_using": 5}
    cumulative = classify(**kw)
    literal = classify(literal_bands=True, **kw)
    assert cumulative.classification == CLASS_II  # II.a, II.b, II.c by "at least"
    assert literal.classification == CLASS_III  # 0,62% and 2 points are outside the type II bands
    assert literal.criteria["II.a"].met is False
    assert literal.criteria["II.b"].met is False
    assert literal.literal_bands is True
    assert "nguyên văn" in literal.explanation


def test_literal_bands_are_not_monotone_but_cumulative_is():
    kw = {"users_with_records": 20, "arrested": 6, "residents_using": 1}
    assert classify(literal_bands=True, points=1, **kw).classification == CLASS_II
    assert classify(literal_bands=True, points=2, **kw).classification == CLASS_III
    assert classify(points=1, **kw).classification == CLASS_II
    assert classify(points=2, **kw).classification == CLASS_II


# ---------------------------------------------------------------------------------------------
# Explanations, formatting, result shape
# ---------------------------------------------------------------------------------------------


def test_explanations_are_vietnamese_one_liners():
    r = classify(users_with_records=62, residents_using=1)
    assert r.criteria["I.a"].explanation == "Tỷ lệ người có hồ sơ quản lý 0,62% ≥ 0,5% — đạt"
    assert r.criteria["I.a"].threshold == "≥ 0,5%"
    assert r.criteria["I.a"].value_text == "0,62%"
    r = classify(users_with_records=32)
    assert r.criteria["I.a"].explanation == "Tỷ lệ người có hồ sơ quản lý 0,32% < 0,5% — không đạt"
    for c in r.criteria.values():
        assert "\n" not in c.explanation and c.explanation.endswith(("đạt", "không đạt"))
    assert "\n" not in r.explanation and r.explanation.endswith(CLASS_LABELS[r.classification])


def test_plants_explanation_uses_vietnamese_number_format():
    r = classify(plants=3200, area_m2=Decimal("749.5"))
    assert "3.200 cây ≥ 3.000 cây" in r.criteria["I.d"].explanation
    assert "749,5 m² < 750 m²" in r.criteria["I.d"].explanation


@pytest.mark.parametrize(
    "num,den,text",
    [
        (62, 10_000, "0,62%"),
        (50, 10_000, "0,50%"),
        (625, 100_000, "0,625%"),
        (4999, 1_000_000, "0,499%"),  # truncated: never displays 0,5% when below 0,5%
        (1, 3, "33,333%"),
        (0, 5, "0,00%"),
        (1, 10**7, "0,00001%"),  # non-zero never shown as zero
        (123_456, 1000, "12.345,60%"),
    ],
)
def test_format_percent(num, den, text):
    assert format_percent(num, den) == text


def test_result_has_every_criterion_and_is_json_serialisable():
    r = classify(users_with_records=3, area_m2=12.5, on_route=True)
    assert list(r.criteria) == ALL_COMMUNE_KEYS
    d = r.to_dict()
    assert set(d) >= {"class", "label", "explanation", "criteria"}
    for value in d["criteria"].values():
        assert set(value) >= {"value", "threshold", "met", "explanation"}
    json.dumps(d, ensure_ascii=False)
    assert d["criteria"]["I.d"]["value"] == {"plants": 0, "area_m2": 12.5}


def test_decisions_help_is_vietnamese_and_covers_the_decisions():
    for phrase in ("lũy tiến", "nguyên văn", "lớn hơn 0", "tiêu chí đ", "Chưa xếp loại", "Điều 6"):
        assert phrase in DECISIONS_HELP


# ---------------------------------------------------------------------------------------------
# Province (Điều 5)
# ---------------------------------------------------------------------------------------------

PROVINCE_BOUNDARIES = [
    ("province.1", "users_with_records", 199, 200, 201),
    ("province.2", "points", 4, 5, 6),
    ("province.3", "arrested", 49, 50, 51),
    ("province.4", "communes_type_I_II", 2, 3, 4),
    ("province.5", "plants", 7999, 8000, 8001),
    ("province.5", "area_m2", Decimal("1999.99"), 2000, Decimal("2000.01")),
    ("province.5", "area_m2", 1999.99, 2000.0, 2000.01),
    ("province.6", "on_interprovincial_route", None, True, None),
]


@pytest.mark.parametrize("key,field,below,at,above", PROVINCE_BOUNDARIES)
def test_province_threshold_boundaries(key, field, below, at, above):
    if field == "on_interprovincial_route":
        assert province(**{field: False}).criteria[key].met is False
        assert province(**{field: True}).criteria[key].met is True
        return
    assert province(**{field: below}).criteria[key].met is False
    assert province(**{field: at}).criteria[key].met is True
    assert province(**{field: above}).criteria[key].met is True


def test_province_commune_rate_is_exact():
    # 3% of 67 communes = 2,01 → 2 communes (2,985%) is not enough.
    assert province(communes_total=67, communes_type_I_II=2).criteria["province.4"].met is False
    assert province(communes_total=67, communes_type_I_II=3).criteria["province.4"].met is True


def test_province_needs_four_of_six():
    three = {"users_with_records": 200, "points": 5, "arrested": 50}
    r = province(**three)
    assert (r.key_area, r.criteria_met) == (False, 3)
    assert r.label == "Không thuộc địa bàn trọng điểm phức tạp về ma túy cấp tỉnh"
    r = province(on_interprovincial_route=True, **three)
    assert (r.key_area, r.criteria_met) == (True, 4)
    assert r.label == "Địa bàn trọng điểm phức tạp về ma túy cấp tỉnh"
    r = province(on_interprovincial_route=True, communes_type_I_II=3, plants=8000, **three)
    assert (r.key_area, r.criteria_met) == (True, 6)
    assert province().criteria_met == 0
    assert list(r.criteria) == [f"province.{i}" for i in range(1, 7)]
    json.dumps(r.to_dict(), ensure_ascii=False)


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------


def _good_mapping(**kw):
    return {**BASE, **kw}


@pytest.mark.parametrize(
    "patch,field,fragment",
    [
        ({"population": 0}, "population", "lớn hơn 0"),
        ({"population": -5}, "population", "âm"),
        ({"population": None}, "population", "thiếu"),
        ({"population": "10000"}, "population", "chuỗi ký tự"),
        ({"users_with_records": -1}, "users_with_records", "âm"),
        ({"points": "2"}, "points", "chuỗi ký tự"),
        ({"points": 1.5}, "points", "số nguyên"),
        ({"arrested": True}, "arrested", "đúng/sai"),
        ({"plants": [1]}, "plants", "phải là số"),
        ({"area_m2": "750"}, "area_m2", "chuỗi ký tự"),
        ({"area_m2": -0.5}, "area_m2", "âm"),
        ({"area_m2": float("nan")}, "area_m2", "hữu hạn"),
        ({"area_m2": float("inf")}, "area_m2", "hữu hạn"),
        ({"on_route": "true"}, "on_route", "true hoặc false"),
        ({"on_route": 1}, "on_route", "true hoặc false"),
        ({"residents_using": -2}, "residents_using", "âm"),
        ({"fugitives": "một"}, "fugitives", "chuỗi ký tự"),
        ({"users_with_records": 10_001}, "users_with_records", "không được lớn hơn"),
    ],
)
def test_commune_validation_errors_name_the_field(patch, field, fragment):
    with pytest.raises(RulesInputError) as exc:
        CommuneInput.from_mapping(_good_mapping(**patch))
    assert isinstance(exc.value, ValueError)
    assert exc.value.field == field
    assert f"'{field}'" in str(exc.value)
    assert fragment in str(exc.value)


def test_commune_missing_field():
    data = _good_mapping()
    del data["population"]
    with pytest.raises(RulesInputError, match="'population' \\(nhân khẩu hiện đang cư trú\\) bị thiếu"):
        CommuneInput.from_mapping(data)
    data = _good_mapping()
    del data["fugitives"]
    with pytest.raises(RulesInputError, match="fugitives"):
        CommuneInput.from_mapping(data)
    with pytest.raises(RulesInputError):
        CommuneInput.from_mapping([1, 2, 3])


def test_first_wrong_field_is_reported():
    data = {"population": "100"}  # everything else missing
    with pytest.raises(RulesInputError) as exc:
        CommuneInput.from_mapping(data)
    assert exc.value.field == "population"


def test_direct_construction_validates_too():
    with pytest.raises(RulesInputError):
        commune(population=0)
    with pytest.raises(RulesInputError):
        commune(points=-1)


def test_accepted_numeric_forms():
    c = CommuneInput.from_mapping(_good_mapping(area_m2=749.99, population=1000.0, extra="ignored"))
    assert c.area_m2 == Decimal("749.99")
    assert c.population == 1000 and isinstance(c.population, int)
    c = CommuneInput.from_mapping(_good_mapping(area_m2=Decimal("0.25")))
    assert c.area_m2 == Decimal("0.25")


@pytest.mark.parametrize(
    "patch,field",
    [
        ({"population": 0}, "population"),
        ({"communes_total": 0}, "communes_total"),
        ({"communes_type_I_II": 101}, "communes_type_I_II"),
        ({"points": -1}, "points"),
        ({"plants": "8000"}, "plants"),
        ({"on_interprovincial_route": "có"}, "on_interprovincial_route"),
    ],
)
def test_province_validation_errors(patch, field):
    with pytest.raises(RulesInputError) as exc:
        ProvinceInput.from_mapping({**PBASE, **patch})
    assert exc.value.field == field
    assert f"'{field}'" in exc.value.message


# ---------------------------------------------------------------------------------------------
# Property: monotonicity of the key-area level in cumulative mode
# ---------------------------------------------------------------------------------------------
#
# Key-area rank: I = 3 > II = 2 > III = 1 > {drug_free, unclassified} = 0 (the two non-key
# states share rank 0 and are not ordered against each other).
#
# Property P1 (cumulative mode): for any valid commune C and any C' obtained by raising one of
# users_with_records, points, arrested, plants, area_m2 (or on_route False → True), with every
# other input unchanged: rank(C') >= rank(C). So a raise never moves a commune from a key class
# to a lower key class, nor out of the key classes.
#
# Property P2: if C is drug-free and the raised input is not `points`, C' is drug-free, II or I
# (raising data on drug presence never makes a drug-free commune III or unclassified, since
# Điều 6 does not look at those inputs and drug-free is checked before III). Raising `points`
# may legitimately turn drug-free into unclassified or III (Điều 6.3 fails).
#
# Property P3: literal-band rank <= cumulative rank (literal type II criteria are a subset).


@st.composite
def commune_inputs(draw):
    pop = draw(st.integers(min_value=1, max_value=50_000))
    users = draw(st.integers(min_value=0, max_value=min(pop, pop // 100 + 3)))  # around 0,1% / 0,5%
    arrested = draw(st.integers(min_value=0, max_value=pop // 500 + 3))  # around 0,05% / 0,1%
    plants = draw(
        st.one_of(
            st.sampled_from([0, 1, 499, 500, 501, 2999, 3000, 3001]),
            st.integers(min_value=0, max_value=4000),
        )
    )
    area = draw(
        st.one_of(
            st.sampled_from([0, Decimal("0.01"), Decimal("124.99"), 125, Decimal("749.99"), 750]),
            st.decimals(min_value=0, max_value=1000, places=2),
            st.floats(min_value=0, max_value=1000, allow_nan=False, allow_infinity=False),
        )
    )
    return CommuneInput(
        population=pop,
        users_with_records=users,
        points=draw(st.integers(min_value=0, max_value=4)),
        arrested=arrested,
        plants=plants,
        area_m2=area,
        on_route=draw(st.booleans()),
        residents_using=draw(st.integers(min_value=0, max_value=min(pop, 2))),
        residents_violating=draw(st.integers(min_value=0, max_value=min(pop, 1))),
        fugitives=draw(st.integers(min_value=0, max_value=1)),
    )


RAISABLE = ["users_with_records", "points", "arrested", "plants", "area_m2", "on_route"]


def _raise(c: CommuneInput, field: str, amount: int) -> CommuneInput:
    values = {k: getattr(c, k) for k in BASE}
    if field == "on_route":
        values["on_route"] = True
    elif field == "users_with_records":
        values[field] = min(c.population, c.users_with_records + amount)
    elif field == "area_m2":
        values[field] = c.area_m2 + Decimal(amount) / 100
    else:
        values[field] = values[field] + amount
    return CommuneInput(**values)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    c=commune_inputs(),
    field=st.sampled_from(RAISABLE),
    amount=st.integers(min_value=1, max_value=3000),
)
def test_raising_key_area_inputs_never_lowers_key_level(c, field, amount):
    before = classify_commune(c)
    after = classify_commune(_raise(c, field, amount))
    # P1
    assert key_area_rank(after.classification) >= key_area_rank(before.classification)
    if before.is_key_area:
        assert after.is_key_area
    # P2
    if before.classification == DRUG_FREE and field != "points":
        assert after.classification in (DRUG_FREE, CLASS_II, CLASS_I)


@settings(max_examples=300, deadline=None)
@given(c=commune_inputs())
def test_class_is_consistent_with_criteria(c):
    cumulative = classify_commune(c)
    literal = classify_commune(c, literal_bands=True)
    for r in (cumulative, literal):
        n = r.met_counts
        if r.classification == CLASS_I:
            assert n[CLASS_I] >= 3
        elif r.classification == CLASS_II:
            assert n[CLASS_I] < 3 <= n[CLASS_II]
        elif r.classification == DRUG_FREE:
            assert n[CLASS_I] < 3 and n[CLASS_II] < 3 and n[DRUG_FREE] == 3
        elif r.classification == CLASS_III:
            assert n[CLASS_I] < 3 and n[CLASS_II] < 3 and n[DRUG_FREE] < 3 and n[CLASS_III] >= 1
        else:
            assert r.classification == UNCLASSIFIED
            assert n[CLASS_I] < 3 and n[CLASS_II] < 3 and n[DRUG_FREE] < 3 and n[CLASS_III] == 0
    # P3: every literal type II criterion also holds cumulatively, so the rank can only be lower.
    for key in ("II.a", "II.b", "II.c", "II.d"):
        if literal.criteria[key].met:
            assert cumulative.criteria[key].met
    assert key_area_rank(literal.classification) <= key_area_rank(cumulative.classification)
