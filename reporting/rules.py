"""Validation rules of a form: a tiny, pure evaluator. No database.

A rule compares two expressions, `left operator right`, for example

    MGMT_ADDICTS:U18 <= MGMT_ADDICTS
    PLACES_ELIMINATED <= PLACES_DETECTED + PLACES_CARRIED
    MGMT_ADDICTS:M + MGMT_ADDICTS:F <= MGMT_ADDICTS

An expression is a sum or difference of terms; a term is a data element code (upper-case
letters, digits, underscores), optionally with `:OPTION` — the code of an option of the element's
category combination (M, F, U18, A18, AG14_15…; `:T` or no suffix is the total) — or a
non-negative integer constant. Nothing else: no products, no parentheses, no
functions — which is all the rules of a statistical form need, and keeps them readable.

Missing values: by default a rule whose operands are not all entered is not checked (a blank is
not a zero, and "required" is a separate check). A rule that says `missing_as_zero` counts every
missing operand as 0 — for a sum of parts where a blank part means none.

Definition errors (syntax, unknown codes, a category the element is not broken down by) raise
`RuleError` when the rule is compiled, never while checking data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

OPERATORS = ("<=", ">=", "==", "<", ">")
Cell = tuple[str, str]  # (element code, category; "" is the total)

_TOKEN = re.compile(r"\s*(?:(?P<op>[+-])|(?P<int>\d+)|(?P<ref>[A-Z][A-Z0-9_]*(?::[A-Z0-9_]+)?))\s*")
_RULE = re.compile(r"^(?P<left>.+?)\s*(?P<op><=|>=|==|<|>)\s*(?P<right>.+)$")


class RuleError(ValueError):
    """A rule that cannot be compiled; the message is Vietnamese."""


@dataclass(frozen=True)
class Term:
    sign: int
    cell: Cell | None = None
    constant: int = 0


@dataclass(frozen=True)
class Expression:
    text: str
    terms: tuple[Term, ...]

    @property
    def cells(self) -> tuple[Cell, ...]:
        return tuple(t.cell for t in self.terms if t.cell is not None)

    def evaluate(self, values: Mapping[Cell, Decimal | None], missing_as_zero: bool = False) -> Decimal | None:
        """The value, or None when an operand is missing and missing values do not count as 0."""
        total = Decimal(0)
        for term in self.terms:
            if term.cell is None:
                total += term.sign * term.constant
                continue
            value = values.get(term.cell)
            if value is None:
                if not missing_as_zero:
                    return None
                value = Decimal(0)
            total += term.sign * value
        return total


def parse_expression(text: str) -> Expression:
    """`A + B:M - 3` → Expression; a malformed one raises RuleError."""
    source = (text or "").strip()
    if not source:
        raise RuleError("Biểu thức của quy tắc đang để trống.")
    terms: list[Term] = []
    pos, sign, expect_term = 0, 1, True
    while pos < len(source):
        m = _TOKEN.match(source, pos)
        if not m or m.end() == pos:
            raise RuleError(f"Không hiểu biểu thức «{source}» tại «{source[pos:]}».")
        pos = m.end()
        if m.group("op"):
            if not expect_term:
                sign, expect_term = (1 if m.group("op") == "+" else -1), True
                continue
            raise RuleError(f"Biểu thức «{source}» có hai dấu liền nhau.")
        if not expect_term:
            raise RuleError(f"Biểu thức «{source}» thiếu dấu + hoặc - giữa hai số hạng.")
        if m.group("int"):
            terms.append(Term(sign, constant=int(m.group("int"))))
        else:
            code, _, category = m.group("ref").partition(":")
            category = "" if category in ("", "T") else category
            terms.append(Term(sign, cell=(code, category)))
        sign, expect_term = 1, False
    if expect_term:
        raise RuleError(f"Biểu thức «{source}» kết thúc bằng một dấu.")
    return Expression(source, tuple(terms))


@dataclass(frozen=True)
class Rule:
    code: str
    left: Expression
    operator: str
    right: Expression
    message: str
    severity: str = "error"
    missing_as_zero: bool = False

    @property
    def cells(self) -> tuple[Cell, ...]:
        return self.left.cells + self.right.cells

    @property
    def anchor(self) -> Cell | None:
        """The cell the message is shown beside: the first element of the left side."""
        cells = self.left.cells or self.right.cells
        return cells[0] if cells else None

    def check(self, values: Mapping[Cell, Decimal | None]) -> bool | None:
        """True when the data satisfy the rule, False when not, None when it cannot be checked."""
        left = self.left.evaluate(values, self.missing_as_zero)
        right = self.right.evaluate(values, self.missing_as_zero)
        if left is None or right is None:
            return None
        return {
            "<=": left <= right,
            ">=": left >= right,
            "==": left == right,
            "<": left < right,
            ">": left > right,
        }[self.operator]


def compile_rule(
    *,
    code: str,
    left: str,
    operator: str,
    right: str,
    message: str,
    known: Mapping[str, Iterable[str]],
    severity: str = "error",
    missing_as_zero: bool = False,
) -> Rule:
    """Parse and check a rule against the form's elements: `known` maps each code to its categories."""
    if operator not in OPERATORS:
        raise RuleError(f"Quy tắc {code}: phép so sánh «{operator}» không hợp lệ.")
    if not message.strip():
        raise RuleError(f"Quy tắc {code} chưa có thông báo lỗi.")
    rule = Rule(code, parse_expression(left), operator, parse_expression(right), message, severity, missing_as_zero)
    if not rule.cells:
        raise RuleError(f"Quy tắc {code} không nhắc đến chỉ tiêu nào.")
    for element, category in rule.cells:
        if element not in known:
            raise RuleError(f"Quy tắc {code}: chỉ tiêu «{element}» không có trong biểu mẫu.")
        if category not in set(known[element]):
            raise RuleError(f"Quy tắc {code}: chỉ tiêu «{element}» không phân tổ theo «{category}».")
    return rule


@dataclass(frozen=True)
class Violation:
    rule: Rule
    cell: Cell | None

    @property
    def message(self) -> str:
        return self.rule.message

    @property
    def blocking(self) -> bool:
        return self.rule.severity == "error"


def evaluate(rules: Iterable[Rule], values: Mapping[Cell, Decimal | None]) -> list[Violation]:
    """The rules the data break, in the given order (rules that cannot be checked are skipped)."""
    return [Violation(rule, rule.anchor) for rule in rules if rule.check(values) is False]


def parse_rule_text(text: str) -> tuple[str, str, str]:
    """`A <= B + C` → ("A", "<=", "B + C"), for rules written as one line."""
    m = _RULE.match((text or "").strip())
    if not m:
        raise RuleError(f"Quy tắc «{text}» thiếu phép so sánh (<=, >=, ==, <, >).")
    return m.group("left"), m.group("op"), m.group("right")
