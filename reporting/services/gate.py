"""The one gate every value passes, whatever path it comes by: the entry grid, a CSV file (PCMT's
own, DHIS2's, or one saved by Excel in Vietnamese), DHIS2 `dataValueSets` JSON and the API.

Three questions, each answered once, here:

1. **Is this text a value of this element?** `check_value(element, text, notation)`: one checker
   per value type (integer, decimal, percentage, yes/no, date, text). The notation comes from the
   format, never from the text (`core.vn`): the grid and a CSV saved by Excel in Vietnamese are
   read in Vietnamese notation ("1.234,5"); DHIS2 JSON, DHIS2 CSV and PCMT's own CSV in DHIS2's
   canonical notation ("1234.5"). A refusal is a `ValueRefused`: a Vietnamese message and a
   stable `code`, the same on every path for the same value.
2. **May this unit write into this period now?** `admission(...)`: the period is one of the
   schedule's and has begun (nothing beyond the current period: a schedule without an end does
   not make 2033 open), entry is open (after closing, only with a lock exception; a returned
   report stays open for its correction), and the report is not approved.
3. **Can the report stand with these values?** `check(spec, values, comments, past)`: required
   cells, the form's validation rules and outliers against the unit's own history. In the grid,
   a blocking problem keeps the report a draft; a file with one is refused, naming its row.

Cells the case registry fills (a commune report in a province that takes its figures from the
registry, `cases.services.report_figures`) are read-only on every path: the grid and files refuse
a value that differs from the registry's figure (an equal one changes nothing), and `check` never
asks to explain them (`fixed`).

Status: a person submits from the grid; an office import sets "draft" or "submitted", never
"approved" (approval is the review's act, `reporting.services.review`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from core.vn import DateError, Notation, NumberError, parse_date, parse_number
from reporting import periods as P
from reporting.models import DataElement, DataValue, Form, FormVersion, Schedule, Submission, section_shown
from reporting.rules import Cell, Rule, RuleError, Violation, compile_rule, evaluate
from reporting.services import schedules as S
from reporting.services.outliers import outlier_reason

MAX_VALUE = Decimal("100000000000000")  # 10^14: what DataValue.value (18 digits, 4 decimals) holds
MAX_DECIMALS = 4
MAX_TEXT = 2000
HISTORY_PERIODS = 8
IMPORT_STATUSES = ("draft", "submitted")  # an import never approves

# One list of yes/no words for every path (DHIS2 writes true/false, people write có/không or 1/0).
BOOLEAN_WORDS = {"1": 1, "có": 1, "co": 1, "true": 1, "0": 0, "không": 0, "khong": 0, "false": 0}


# — 1. one checker per value type —


class ValueRefused(NumberError, DateError):
    """A text that is not a value of the element: `str()` is the Vietnamese message, `code` says why.

    Codes: not_number, not_date, not_boolean, negative, not_integer, over_100, too_large,
    too_many_decimals, too_long, ambiguous.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Stored:
    """A cell's value as stored: a number (also 1/0 for yes/no) or a text (also ISO dates)."""

    value: Decimal | None = None
    text: str = ""

    @property
    def empty(self) -> bool:
        return self.value is None and not self.text

    def canonical(self) -> str:
        if self.value is not None:
            return format(self.value.normalize(), "f")
        return self.text


_VN_GROUPED_WHOLE = re.compile(r"^[+-]?[1-9]\d{0,2}(?:\.\d{3})+$", re.ASCII)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_CANONICAL_LOOKS_GROUPED = re.compile(r"^-?[1-9]\d{0,2}\.\d{3}$", re.ASCII)


def _ambiguous_in_file(text: str) -> bool:
    """In a file written in Vietnamese notation, a dot can only group thousands.

    The grid reads a lone "12.5" as a keypad's decimal point (`core.vn`), but Excel in Vietnamese
    never writes one: in such a file "12.5" or "1,234.5" means the file mixes notations, and
    guessing which one is meant is what this gate refuses to do.
    """
    compact = _SPACES.sub("", text).removesuffix("%")
    if "." not in compact:
        return False
    whole = compact.split(",", 1)[0]
    return not _VN_GROUPED_WHOLE.match(whole)


def check_value(
    element: DataElement, raw: str | None, notation: Notation = Notation.VIETNAMESE, *, file: bool = False
) -> Stored:
    """What `raw` means for this element, in this notation; `ValueRefused` when it is not a value.

    In: the text as typed or as written in a file; `file=True` for a file in Vietnamese notation
    (see `_ambiguous_in_file`). Out: a `Stored`, empty for blank text (the caller decides whether
    blank is allowed). Numbers: never negative, below 10^14, at most 4 decimals; whole for an
    integer element; at most 100 for a percentage. Yes/no: có/không, 1/0, true/false.
    """
    text = (raw or "").strip()
    kind = element.value_type
    if kind == DataElement.ValueType.TEXT:
        if len(text) > MAX_TEXT:
            raise ValueRefused("too_long", f"Nội dung dài quá {MAX_TEXT} ký tự.")
        return Stored(text=text)
    if kind == DataElement.ValueType.DATE:
        try:
            day = parse_date(text, notation)
        except DateError as exc:
            raise ValueRefused("not_date", str(exc)) from exc
        return Stored(text=day.isoformat() if day else "")
    if kind == DataElement.ValueType.BOOLEAN:
        if text == "":
            return Stored()
        answer = BOOLEAN_WORDS.get(text.lower())
        if answer is None:
            raise ValueRefused("not_boolean", f"Chọn Có hoặc Không («{text}» không phải 1/0, có/không, true/false).")
        return Stored(value=Decimal(answer))
    if file and notation is Notation.VIETNAMESE and text and _ambiguous_in_file(text):
        raise ValueRefused(
            "ambiguous",
            f"«{text}» không rõ nghĩa: tệp này ghi số kiểu Việt Nam (dấu chấm phân cách hàng nghìn, "
            "dấu phẩy thập phân, ví dụ 1.234,5), nên không đọc được dấu chấm ở vị trí này.",
        )
    try:
        value = parse_number(text, notation)
    except NumberError as exc:
        raise ValueRefused("not_number", str(exc)) from exc
    if value is None:
        return Stored()
    if value < 0:
        raise ValueRefused("negative", f"Không nhận số âm («{text}»): số liệu thống kê không thể nhỏ hơn 0.")
    if kind == DataElement.ValueType.INTEGER and value != value.to_integral_value():
        hint = ""
        if notation is Notation.CANONICAL and _CANONICAL_LOOKS_GROUPED.match(text):
            hint = (
                f" Trong tệp CSV/JSON dạng máy, dấu chấm là dấu thập phân: «{text}» là "
                f"{text.replace('.', ',')}; số nghìn ghi liền, không dấu phân cách (ví dụ 1234)."
            )
        raise ValueRefused(
            "not_integer",
            f"«{text}» có phần thập phân: chỉ tiêu này đếm {element.unit or 'số lượng'}, chỉ nhận số nguyên.{hint}",
        )
    if kind == DataElement.ValueType.PERCENTAGE and value > 100:
        raise ValueRefused("over_100", f"Tỷ lệ phần trăm không thể lớn hơn 100 («{text}»).")
    if value >= MAX_VALUE:
        raise ValueRefused("too_large", f"Số «{text}» quá lớn.")
    if value.as_tuple().exponent < -MAX_DECIMALS:  # type: ignore[operator]  # an int for finite numbers
        raise ValueRefused("too_many_decimals", f"«{text}»: chỉ nhập tối đa {MAX_DECIMALS} chữ số sau dấu phẩy.")
    return Stored(value=value)


# — 2. who may write into which period, now —


def open_period_ids(schedule: Schedule, on: dt.date) -> set[str]:
    """The schedule's periods that have begun by `on` (nothing beyond the current period)."""
    return {p.id for p in S.schedule_periods(schedule, until=on)}


def admission(
    schedule: Schedule,
    period: P.Period,
    unit: S.Unit,
    on: dt.date,
    *,
    status: str | None,
    begun: set[str] | None = None,
    excepted: bool | None = None,
) -> str:
    """ "" when values may be written into the unit's report of `period` on `on`, else why not.

    `status`: the report's status (None: no report yet). `begun` (the schedule's periods begun
    by `on`) and `excepted` (an open lock exception) may be passed when the caller has loaded
    them for many reports at once; otherwise they are read here.
    """
    begun = open_period_ids(schedule, on) if begun is None else begun
    if period.id not in begun:
        start = S.period_start(schedule, period)
        if start > on:
            return f"kỳ {period.label} chưa bắt đầu (bắt đầu từ ngày {start:%d/%m/%Y}); không nhận số liệu trước kỳ."
        return f"kỳ {period.label} không thuộc lịch báo cáo «{schedule.name}»."
    if status == Submission.Status.APPROVED:
        return f"báo cáo kỳ {period.label} đã được duyệt và đang khóa; hãy trả lại báo cáo trước khi sửa số liệu."
    allowed, reason = S.entry_window(
        schedule, period, unit, on, returned=status == Submission.Status.RETURNED, excepted=excepted
    )
    return "" if allowed else reason


# — 3. the form, compiled once, and the checks of a whole report —


@dataclass(frozen=True)
class Item:
    element: DataElement
    required: bool


@dataclass
class FormSpec:
    form: Form
    sections: list[tuple[str, list[Item]]]
    rules: list[Rule]
    columns: tuple[str, ...]

    @property
    def elements(self) -> dict[str, DataElement]:
        return {i.element.code: i.element for _, items in self.sections for i in items}

    @property
    def items(self) -> list[Item]:
        return [i for _, items in self.sections for i in items]

    @property
    def labels(self) -> dict[str, str]:
        """{breakdown code: Vietnamese name} of every column ("" is the total)."""
        out: dict[str, str] = {"": "Tổng số"}
        for item in self.items:
            combo = item.element.category_combo
            if combo is not None:
                out |= combo.labels
        return out


def form_spec(form: Form, agency_code: str | None = None) -> FormSpec:
    """Sections, items and compiled rules of a form as it stands (three queries); for an agency
    (its catalogue code) only its own sections, and the rules over their elements."""
    sections = []
    for section in form.sections.prefetch_related("items__element").order_by("order", "id"):
        if not section_shown(section.agency_codes, agency_code):
            continue
        sections.append((section.name, [Item(i.element, i.required) for i in section.items.all()]))
    rules = [
        (r.code, r.left, r.operator, r.right, r.message, r.severity, r.missing_as_zero)
        for r in form.rules.all().order_by("id")
    ]
    return _spec(form, sections, rules)


def version_spec(
    version: FormVersion,
    agency_code: str | None = None,
    elements: dict[int, DataElement] | None = None,
    form: Form | None = None,
) -> FormSpec:
    """The spec of a frozen form version (one query for its elements, none when given; `form`:
    the version's form when the caller has it)."""
    from reporting.services.versions import elements_of

    elements = elements if elements is not None else elements_of([version])
    sections = [
        (s["name"], [Item(elements[item[0]], item[2]) for item in s["items"] if item[0] in elements])
        for s in version.snapshot["sections"]
        if section_shown(s["agency_codes"], agency_code)
    ]
    return _spec(form or version.form, sections, [tuple(r) for r in version.snapshot["rules"]])


def _spec(form: Form, sections: list[tuple[str, list[Item]]], rules_raw: list[Any]) -> FormSpec:
    known = {i.element.code: i.element.categories for _, items in sections for i in items}
    rules = []
    for code, left, operator, right, message, severity, missing_as_zero in rules_raw:
        try:
            rules.append(
                compile_rule(
                    code=code,
                    left=left,
                    operator=operator,
                    right=right,
                    message=message,
                    known=known,
                    severity=severity,
                    missing_as_zero=missing_as_zero,
                )
            )
        except RuleError:
            # A broken rule must not stop a unit reporting; the designer refuses them up front
            # (and an agency's spec leaves out the rules over other agencies' sections).
            continue
    # The columns: the total, then every breakdown in the order the form first uses it.
    columns = tuple(dict.fromkeys(c for cats in (("",), *known.values()) for c in cats))
    return FormSpec(form, sections, rules, columns)


def spec_for(submission: Submission) -> FormSpec:
    """The form as the submission's unit fills it (an agency: its own sections), in the version
    the report was opened under."""
    agency = submission.agency
    code = agency.code if agency is not None else None
    version = submission.form_version
    if version is not None:
        return version_spec(version, code, form=submission.schedule.form)
    return form_spec(submission.schedule.form, code)


@dataclass
class Checks:
    errors: dict[Cell, list[str]] = field(default_factory=lambda: defaultdict(list))
    warnings: dict[Cell, list[str]] = field(default_factory=lambda: defaultdict(list))
    outliers: dict[Cell, str] = field(default_factory=dict)
    needs_comment: set[str] = field(default_factory=set)  # element codes with an unexplained outlier
    missing: set[Cell] = field(default_factory=set)

    @property
    def blocking(self) -> bool:
        return bool(self.errors or self.needs_comment or self.missing)

    def count(self) -> int:
        return sum(len(v) for v in self.errors.values()) + len(self.needs_comment) + len(self.missing)

    def codes(self) -> set[str]:
        """What blocks, as comparable keys (the same report gives the same keys on every path)."""
        out = {f"rule:{cell[0]}:{cell[1]}:{m}" for cell, msgs in self.errors.items() for m in msgs}
        out |= {f"outlier:{code}" for code in self.needs_comment}
        out |= {f"missing:{code}" for code, _ in self.missing}
        return out


def check(
    spec: FormSpec,
    values: Mapping[Cell, Stored],
    comments: Mapping[str, str],
    past: Mapping[Cell, list[tuple[str, Decimal]]],
    *,
    fixed: Iterable[Cell] = (),
) -> Checks:
    """Required cells, validation rules and outliers for a complete set of values.

    `fixed`: cells nobody types (the case registry's figures, `cases.services.report_figures`):
    no outlier check, nothing to explain."""
    fixed = set(fixed)
    result = Checks()
    numbers = {cell: s.value for cell, s in values.items()}
    for item in spec.items:
        cell = (item.element.code, "")
        if item.required and (cell not in values or values[cell].empty):
            result.missing.add(cell)
    v: Violation
    for v in evaluate(spec.rules, numbers):
        target = result.errors if v.blocking else result.warnings
        target[v.cell or ("", "")].append(v.message)
    for item in spec.items:
        if not item.element.is_numeric:
            continue
        for category in item.element.categories:
            cell = (item.element.code, category)
            if cell in fixed:
                continue
            stored = values.get(cell)
            reason = outlier_reason(stored.value if stored else None, [val for _, val in past.get(cell, [])])
            if reason:
                result.outliers[cell] = reason
                if not comments.get(item.element.code):
                    result.needs_comment.add(item.element.code)
    return result


UnitKey = tuple[str, Any]  # ("c", commune code) or ("a", agency id)


def histories(
    schedule_id: int, units: Iterable[UnitKey], before: str
) -> dict[UnitKey, dict[Cell, list[tuple[str, Decimal]]]]:
    """Each unit's earlier submitted or approved values of the schedule, newest first, at most
    `HISTORY_PERIODS` per cell (one query for every unit)."""
    found = report_histories([(schedule_id, u) for u in units], before)
    return {unit: cells for (_, unit), cells in found.items()}


def report_histories(
    reports: Iterable[tuple[int, UnitKey]], before: str
) -> dict[tuple[int, UnitKey], dict[Cell, list[tuple[str, Decimal]]]]:
    """`histories` for many (schedule, unit) pairs of one period at once (one query)."""
    reports = list(reports)
    out: dict[tuple[int, UnitKey], dict[Cell, list[tuple[str, Decimal]]]] = {r: defaultdict(list) for r in reports}
    if not reports:
        return out
    from django.db.models import Q

    since = {}
    with contextlib.suppress(P.PeriodError, KeyError, ValueError):  # a one-off period: no lower bound
        since = {"submission__period__gte": P.shift(P.parse(before), -HISTORY_PERIODS).id}
    communes = sorted({pk for _, (kind, pk) in reports if kind == "c"})
    agencies = sorted({pk for _, (kind, pk) in reports if kind == "a"})
    own = Q()
    if communes:
        own |= Q(submission__commune_id__in=communes)
    if agencies:
        own |= Q(submission__agency_id__in=agencies)
    rows = (
        DataValue.objects.filter(
            own,
            submission__schedule_id__in=sorted({s for s, _ in reports}),
            submission__period__lt=before,
            submission__status__in=(Submission.Status.SUBMITTED, Submission.Status.APPROVED),
            value__isnull=False,
            **since,
        )
        .order_by("-submission__period")
        .values_list(
            "submission__schedule_id",
            "submission__commune_id",
            "submission__agency_id",
            "element__code",
            "category",
            "submission__period",
            "value",
        )
    )
    for schedule_id, commune, agency, code, category, period, value in rows:
        unit: UnitKey = ("c", commune) if commune else ("a", agency)
        cells = out.get((schedule_id, unit))
        if cells is not None and value is not None and len(cells[(code, category)]) < HISTORY_PERIODS:
            cells[(code, category)].append((period, value))
    return out


def history(submission: Submission) -> dict[Cell, list[tuple[str, Decimal]]]:
    """The unit's earlier submitted or approved values of this schedule, newest first (one query)."""
    unit: UnitKey = ("a", submission.agency_id) if submission.agency_id else ("c", submission.commune_id)
    return histories(submission.schedule_id, [unit], submission.period)[unit]


__all__ = [
    "BOOLEAN_WORDS",
    "IMPORT_STATUSES",
    "Checks",
    "FormSpec",
    "Item",
    "Stored",
    "ValueRefused",
    "admission",
    "check",
    "check_value",
    "form_spec",
    "spec_for",
    "version_spec",
    "histories",
    "report_histories",
    "history",
    "open_period_ids",
]
