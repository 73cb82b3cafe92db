"""Small counts of people in the consolidated outputs (issue 13 §3: "any output not meant for case
officers shows 1–4 as '<5' and hides the paired cell that would reveal it; zero is never
suppressed; stored values stay exact. This applies to the existing reporting outputs too").

Which figures: the data elements counting people, i.e. whose unit is "người" (`counts_people`;
the same criterion as the home pages' indicators, `core.suppression.PEOPLE_UNIT`).
Visits, sessions, cases, offenders, places, grams and yes/no answers are not people counted one
by one in a commune and are never masked.

Who sees exact figures (`reveals`): the Standing Office of the province (it reviews and approves
each unit's report, `submission.review`), and each unit its own report (entry pages, not these
outputs). The provincial leader, the national monitor and anyone else see:

- "<5" for a unit's figure of 1–4 (a commune, an agency; on the national page a province whose
  figure rests on a single unit);
- a total of 1–4 masked too when at most one unit gave a non-zero value (it is that unit's figure);
- "x" for a cell hidden only so that a "<5" cannot be worked out by subtraction: within a unit
  (total − male = female; total − under 18 = 18 and over) and down the units of one figure
  (province total − the other units). The smallest other non-zero cell of the group is hidden;
  this is repeated until no group has exactly one hidden cell.

Zero is never masked. A percent change next to a masked figure is not shown. The figures are
computed exactly (`consolidation`) and masked here, for the page, XLSX, DOCX and the API alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from core.suppression import MASK, PEOPLE_UNIT, is_small
from reporting.services.consolidation import Report, Row, Total

HIDDEN = "x"
NOTE = (
    "«<5»: từ 1 đến 4 người (số nhỏ được che để bảo vệ dữ liệu cá nhân); «x»: ô được ẩn để không suy ra "
    "được ô «<5» bằng phép trừ. Số liệu lưu trong hệ thống vẫn chính xác."
)


def groups(element: Any) -> list[tuple[str, ...]]:
    """The option codes of each category of the element's breakdown (e.g. (M, F); the five age
    bands): each group adds up to the total, so one hidden cell of a group can be worked out."""
    combo = getattr(element, "category_combo", None) if getattr(element, "category_combo_id", None) else None
    return [codes for _, codes in combo.groups] if combo is not None else []


def counts_people(element: Any) -> bool:
    return getattr(element, "unit", "") == PEOPLE_UNIT and getattr(element, "value_type", "integer") == "integer"


def reveals(user: Any, province_code: str | None) -> bool:
    """Whether `user` sees the exact unit figures of a province (None: the national page, whose
    units are provinces: nobody reviews them there)."""
    from access.policy import reach

    if province_code is None:
        return False
    return reach(user, "submission.review").covers_province(province_code)


def _primary(total: Total | None, *, single_unit: bool) -> None:
    if total is None or total.masked or not is_small(total.value):
        return
    if single_unit or total.positive <= 1:
        total.masked = MASK


def _complete(group: Iterable[Total | None]) -> bool:
    """A group whose sum is shown: one hidden cell alone is hidden again behind the smallest other
    non-zero cell. True when a cell was hidden now."""
    cells = [t for t in group if t is not None and t.value is not None]
    hidden = [t for t in cells if t.masked]
    if len(hidden) != 1:
        return False
    others = [t for t in cells if not t.masked and t.value]
    if not others:
        return False
    min(others, key=lambda t: t.value).masked = HIDDEN  # type: ignore[arg-type, return-value]
    return True


def apply(report: Report, *, reveal: bool) -> Report:
    """Mask the report's small counts of people in place (nothing when `reveal`)."""
    if reveal:
        return report
    lines = [row for row in report.rows if counts_people(row.element)]
    if not lines:
        return report
    report.suppressed = True
    by_element: dict[int, dict[str, Row]] = {}
    for row in lines:
        by_element.setdefault(row.element.pk, {})[row.category] = row
    # The totals (current, previous, same period last year).
    for row in lines:
        for total in (row.current, row.previous, row.last_year):
            _primary(total, single_unit=False)
    # Each unit's figures (a commune or an agency; on the national page a province).
    nation = report.province is None
    for unit in report.units:
        for (element_id, _category), cell in unit.cells.items():
            if element_id in by_element:
                _primary(cell, single_unit=not nation or cell.count <= 1)
    changed = True
    while changed:
        changed = False
        for element_id, rows in by_element.items():
            periods = ("current", "previous", "last_year")
            element = next(iter(rows.values())).element
            for codes in groups(element):
                present = [c for c in codes if c in rows]
                if len(present) < 2:
                    continue
                for period in periods:
                    changed |= _complete([getattr(rows[c], period) for c in present])
                for unit in report.units:
                    changed |= _complete([unit.cells.get((element_id, c)) for c in present])
            for category in rows:
                changed |= _complete([unit.cells.get((element_id, category)) for unit in report.units])
    return report


def unit_masks(submission: Any) -> dict[tuple[str, str], str]:
    """{(element code, category): "<5" or "x"} of one unit's report as a viewer who does not
    review it sees it: the masks of the province's drill-down for that unit (the same cells hidden
    on every page), or, for a report not in the consolidation (a draft, a returned one), the unit's
    own small cells and their pairs."""
    from reporting.models import DataElement, DataValue
    from reporting.periods import parse
    from reporting.services.consolidation import Breakdown, province_report

    form = submission.schedule.form
    people = list(
        DataElement.objects.filter(form_items__section__form=form, unit=PEOPLE_UNIT, value_type="integer").distinct()
    )
    if not people:
        return {}
    codes = {e.pk: e.code for e in people}
    key = str(submission.commune_id or submission.agency_id)
    if submission.status in ("approved", "submitted"):
        report = province_report(
            form=form,
            period=parse(submission.period),
            province=submission.schedule.province,
            include_submitted=True,
            by_unit=True,
            kind=submission.kind,
        )
    else:
        report = Report(form, parse(submission.period), submission.schedule.province, True, [], None, False)
        unit = Breakdown(key, "")
        for element_id, category, value in DataValue.objects.filter(
            submission=submission, element_id__in=list(codes), value__isnull=False
        ).values_list("element_id", "category", "value"):
            unit.cells[(element_id, category)] = Total(value, 1, 0, None, int(value > 0))
        report.units = [unit]
        report.rows = [Row(e, c, "", Total(None), Total(None), Total(None)) for e in people for c in e.categories]
    apply(report, reveal=False)
    unit = next((u for u in report.units if u.key == key), None)
    if unit is None:
        return {}
    return {
        (codes[element_id], category): cell.masked
        for (element_id, category), cell in unit.cells.items()
        if element_id in codes and cell.masked
    }


class UnitMasks:
    """The masks of units' counts of people for a user who does not review them, one province,
    form, period and kind at a time (computed once each, as the drill-down does): for exports of
    unit values (CSV, DHIS2 JSON)."""

    def __init__(self, user: Any, *, include_submitted: bool) -> None:
        self.user = user
        self.include_submitted = include_submitted
        self._reveal: dict[str, bool] = {}
        self._masks: dict[tuple[int, str, str, str], dict[tuple[str, int, str], str]] = {}
        self._codes: dict[str, int] = {}

    def shown(self, *, form_id: int, province: str, period: str, kind: str, unit: str, code: str, category: str) -> str:
        """ "<5", "x", or "" (shown exactly)."""
        if province not in self._reveal:
            self._reveal[province] = reveals(self.user, province)
        if self._reveal[province]:
            return ""
        key = (form_id, province, period, kind)
        if key not in self._masks:
            self._masks[key] = self._compute(*key)
        return self._masks[key].get((unit, self._codes.get(code, 0), category), "")

    def _compute(self, form_id: int, province: str, period: str, kind: str) -> dict[tuple[str, int, str], str]:
        from geo.models import Province
        from reporting.models import Form
        from reporting.periods import PeriodError, parse
        from reporting.services.consolidation import province_report

        try:
            p = parse(period)
        except PeriodError:
            return {}
        report = province_report(
            form=Form.objects.get(pk=form_id),
            period=p,
            province=Province.objects.get(code=province),
            include_submitted=self.include_submitted,
            by_unit=True,
            kind=kind,
        )
        apply(report, reveal=False)
        self._codes.update({row.element.code: row.element.pk for row in report.rows})
        return {
            (u.key, element_id, category): cell.masked
            for u in report.units
            for (element_id, category), cell in u.cells.items()
            if cell.masked
        }


def apply_board(board: Any, *, reveal: bool) -> Any:
    """The indicators page (`indicators.services.Dashboard`): an indicator counting people ("người")
    shows "<5" for a unit of 1–4 (a commune; a province resting on one commune), "x" for the
    smallest other non-zero unit when one unit alone is masked, and "<5" for the total (the card)
    and its trend when at most one unit gave a non-zero value."""
    if reveal:
        return board
    nation = board.unit_kind == "province"
    for i, card in enumerate(board.cards):
        if card.indicator.unit != PEOPLE_UNIT:
            continue
        cells = [row.cells[i] for row in board.units]
        for cell in cells:
            units = max((c.approved for c in cell.coverage), default=0) if nation else 1
            if is_small(cell.value) and units <= 1:
                cell.masked = MASK
        nonzero = sum(1 for c in cells if c.value)
        if is_small(card.cell.value) and nonzero <= 1:
            card.cell.masked = MASK
        hidden = [c for c in cells if c.masked]
        others = [c for c in cells if not c.masked and c.value]
        if len(hidden) == 1 and others:
            min(others, key=lambda c: c.value).masked = HIDDEN
        card.trend = [(label, None if is_small(v) else v) for label, v in card.trend]
    return board
