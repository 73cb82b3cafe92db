"""The rule evaluator (reporting/rules.py) and every rule of the starter catalogue."""

from decimal import Decimal

import pytest

from reporting import catalogue
from reporting.rules import RuleError, compile_rule, evaluate, parse_expression, parse_rule_text

# The seeded category combinations (migration 0008) as the starter catalogue names them.
SEEDED = {
    "": ("",),
    "sex": ("", "M", "F"),
    "age": ("", "U18", "A18"),
    "sex_age": ("", "M", "F", "U18", "A18"),
    "age_bands": ("", "AG0_13", "AG14_15", "AG16_17", "AG18_29", "AG30P"),
}

KNOWN = {"A": ("",), "B": ("",), "C": ("",), "P": ("", "M", "F", "U18", "A18")}


def rule(text, missing_as_zero=False, severity="error", known=KNOWN):
    left, op, right = parse_rule_text(text)
    return compile_rule(
        code="R",
        left=left,
        operator=op,
        right=right,
        message="sai",
        known=known,
        severity=severity,
        missing_as_zero=missing_as_zero,
    )


def D(**kw):
    out = {}
    for k, v in kw.items():
        code, _, cat = k.partition("_")
        out[(code, cat)] = None if v is None else Decimal(str(v))
    return out


def test_expressions_sum_and_subtract_cells_and_constants():
    e = parse_expression("A + P:M - P:T - 3")
    assert e.cells == (("A", ""), ("P", "M"), ("P", ""))
    assert e.evaluate(D(A=10, P_M=4, P=2)) == Decimal(9)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "để trống"),
        ("A +", "kết thúc bằng một dấu"),
        ("A + + B", "hai dấu liền nhau"),
        ("A B", "thiếu dấu"),
        ("A * B", "Không hiểu"),
        ("(A)", "Không hiểu"),
        ("a + B", "Không hiểu"),
        ("+ A", "hai dấu liền nhau"),
    ],
)
def test_malformed_expressions_are_definition_errors(text, message):
    with pytest.raises(RuleError, match=message):
        parse_expression(text)


def test_a_breakdown_the_element_does_not_have_is_a_definition_error():
    with pytest.raises(RuleError, match="không phân tổ theo «X»"):
        rule("P:X <= P")
    with pytest.raises(RuleError, match="không phân tổ theo «AG14_15»"):
        rule("P:AG14_15 <= P")
    assert rule("Q:AG14_15 + Q:AG16_17 <= Q", known={**KNOWN, "Q": SEEDED["age_bands"]}).cells[0] == ("Q", "AG14_15")


def test_unknown_codes_and_categories_are_definition_errors():
    with pytest.raises(RuleError, match="«Z» không có trong biểu mẫu"):
        rule("Z <= A")
    with pytest.raises(RuleError, match="không phân tổ theo «M»"):
        rule("A:M <= A")
    with pytest.raises(RuleError, match="thiếu phép so sánh"):
        parse_rule_text("A B")
    with pytest.raises(RuleError, match="không nhắc đến chỉ tiêu"):
        rule("1 <= 2")
    with pytest.raises(RuleError, match="không hợp lệ"):
        compile_rule(code="R", left="A", operator="=<", right="B", message="m", known=KNOWN)


@pytest.mark.parametrize(
    ("text", "values", "ok"),
    [
        ("A <= B", {"A": 3, "B": 3}, True),
        ("A <= B", {"A": 4, "B": 3}, False),
        ("A < B", {"A": 3, "B": 3}, False),
        ("A >= B", {"A": 3, "B": 4}, False),
        ("A > B", {"A": 5, "B": 4}, True),
        ("A == B + C", {"A": 7, "B": 3, "C": 4}, True),
        ("A == B + C", {"A": 8, "B": 3, "C": 4}, False),
        ("A <= B + C - 1", {"A": 6, "B": 3, "C": 4}, True),
    ],
)
def test_operators(text, values, ok):
    assert rule(text).check(D(**values)) is ok


def test_a_missing_value_skips_the_rule_unless_it_counts_as_zero():
    assert rule("A <= B + C").check(D(A=5, B=4)) is None
    assert rule("A <= B + C", missing_as_zero=True).check(D(A=5, B=4)) is False
    assert rule("A <= B + C", missing_as_zero=True).check(D(A=4, B=4)) is True
    assert rule("A <= B").check(D(A=None, B=1)) is None


def test_evaluate_returns_violations_anchored_on_the_left_cell():
    r1, r2 = rule("P:U18 <= P"), rule("A >= B", severity="warning")
    violations = evaluate([r1, r2], D(P=3, P_U18=5, A=1, B=2))
    assert [(v.cell, v.blocking) for v in violations] == [(("P", "U18"), True), (("A", ""), False)]


# — every rule of the starter catalogue, one satisfied and one broken case each —


def _known(form):
    out = {}
    for section in form.sections:
        for item in section.items:
            el = catalogue.ELEMENTS_BY_CODE[item.rstrip("?")]
            out[el.code] = SEEDED[el.disaggregation]
    return out


CATALOGUE_RULES = [(form, r) for form in catalogue.FORMS for r in catalogue.form_rules(form)]


def _values_for(compiled, left_value, right_value):
    """Values that make the left side `left_value` and the right side `right_value`: the first cell
    of each side carries the amount, every other cell is 0."""
    values = {}
    for cell in compiled.left.cells + compiled.right.cells:
        values[cell] = Decimal(0)
    lconst = sum(t.sign * t.constant for t in compiled.left.terms if t.cell is None)
    rconst = sum(t.sign * t.constant for t in compiled.right.terms if t.cell is None)
    lterm = next(t for t in compiled.left.terms if t.cell)
    values[lterm.cell] = Decimal(lterm.sign * (left_value - lconst))
    rterm = next(t for t in compiled.right.terms if t.cell)
    values[rterm.cell] = values.get(rterm.cell, 0) + Decimal(rterm.sign * (right_value - rconst))
    return values


@pytest.mark.parametrize(("form", "r"), CATALOGUE_RULES, ids=[f"{f.code}-{r.code}" for f, r in CATALOGUE_RULES])
def test_every_catalogue_rule_compiles_passes_and_fails(form, r):
    left, op, right = parse_rule_text(r.text)
    compiled = compile_rule(
        code=r.code,
        left=left,
        operator=op,
        right=right,
        message=r.message,
        known=_known(form),
        severity=r.severity,
        missing_as_zero=r.missing_as_zero,
    )
    assert r.message.endswith((".", "lại.")) and r.message[0].isupper()
    good = {"<=": (3, 5), ">=": (5, 3), "==": (4, 4), "<": (3, 5), ">": (5, 3)}[op]
    bad = {"<=": (6, 5), ">=": (2, 3), "==": (4, 5), "<": (5, 5), ">": (3, 3)}[op]
    assert compiled.check(_values_for(compiled, *good)) is True
    assert compiled.check(_values_for(compiled, *bad)) is False
    assert [v.message for v in evaluate([compiled], _values_for(compiled, *bad))] == [r.message]


def test_the_named_rules_are_in_the_catalogue():
    texts = {r.text for f in catalogue.FORMS for r in catalogue.form_rules(f)}
    assert "PLACES_ELIMINATED <= PLACES_DETECTED + PLACES_CARRIED" in texts  # eliminated ≤ detected + carried over
    assert "MGMT_ADDICTS:U18 <= MGMT_ADDICTS" in texts  # under-18 ≤ total
    assert "LEGAL_AID_GIVEN <= LEGAL_AID_REQUESTED" in texts
    assert "HS_QUALIFIED <= HS_TOTAL" in texts


ISSUE_11_CODES = {
    "USERS_EXCL_TREATMENT",
    "LAW_BREAKERS_RESIDENT",
    "FUGITIVES_HIDING",
    "STATUS_HOME_REHAB",
    "STATUS_FACILITY_REHAB",
    "STATUS_COMPULSORY",
    "STATUS_DETENTION",
    "RELEASED_AFTER_SENTENCE",
    "PSYCHOSIS_MANAGED",
    "RETAIL_DEALERS",
    "FUGITIVES_ARRESTED",
    "FUGITIVES_SURRENDERED",
    "RINGS_BROKEN",
    "ASSETS_SEIZED_VALUE",
    "CASES_PROSECUTED",
    "OFFENDERS_PROSECUTED",
    "CASES_TRIED",
    "DEFENDANTS_TRIED",
    "N2O_SEIZED_KG",
    "PRECURSORS_SEIZED_KG",
    "ESTABLISHMENTS_INSPECTED",
    "ADMIN_FINES_USE",
    "TRAINING_SESSIONS",
    "TRAINEES",
    "STUDENTS_DETECTED",
}


def test_the_catalogue_has_the_44_elements_and_those_of_issue_11():
    assert len(catalogue.ELEMENTS) == 44 + len(ISSUE_11_CODES)
    assert set(catalogue.ELEMENTS_BY_CODE) >= ISSUE_11_CODES
    assert len(catalogue.ELEMENTS_BY_CODE) == len(catalogue.ELEMENTS)
    for el in catalogue.ELEMENTS:
        assert (
            len(el.definition) > 40 and el.name and el.value_type in ("integer", "decimal", "boolean", "text", "date")
        )


def test_every_issue_11_element_sits_on_a_form_of_its_authoritative_level():
    on_form = {
        form.level: {item.rstrip("?") for section in form.sections for item in section.items}
        for form in catalogue.FORMS
    }
    for code in ISSUE_11_CODES:
        element = catalogue.ELEMENTS_BY_CODE[code]
        assert code in on_form[element.source_level], code
    # the QĐ 28 figures and the people in each status are stocks the communes report
    for code in ("USERS_EXCL_TREATMENT", "LAW_BREAKERS_RESIDENT", "FUGITIVES_HIDING", "STATUS_DETENTION"):
        element = catalogue.ELEMENTS_BY_CODE[code]
        assert (element.source_level, element.aggregation) == ("commune", catalogue.LAST), code
    assert catalogue.ELEMENTS_BY_CODE["ASSETS_SEIZED_VALUE"].unit == "triệu đồng"
    assert {catalogue.ELEMENTS_BY_CODE[c].value_type for c in ("N2O_SEIZED_KG", "PRECURSORS_SEIZED_KG")} == {
        catalogue.DECIMAL
    }


def test_every_agency_that_sees_a_new_enforcement_item_is_one_of_its_sources():
    """A figure typed by an agency that is not an authoritative source would be silently left out
    of the totals: for the issue 11 agency items, who sees the item is who counts."""
    seen: dict[str, set[str]] = {}
    for section in catalogue.AGENCY_FORM.sections:
        for item in section.items:
            seen.setdefault(item.rstrip("?"), set()).update(section.agencies.split(","))
    for code in ISSUE_11_CODES - {"STUDENTS_DETECTED"}:  # students: SGDDT's figure, like COMM_STUDENTS
        element = catalogue.ELEMENTS_BY_CODE[code]
        if element.source_level == "agency":
            assert set(element.source_agencies.split(",")) == seen[code], code
