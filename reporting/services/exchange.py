"""Data exchange: data values in and out as CSV and as DHIS2 `dataValueSets` JSON.

Format (both ways), one value per row / item:

- `dataElement`: the element's code (`DataElement.code`);
- `period`: the DHIS2 ISO period id (`2026Q2`, `202606`, `2026S1`, `2026`);
- `orgUnit`: a commune's 5-digit statistics-office code (`24133`), or an agency as
  `<province code>:<agency code>` (`66:SYT`);
- `categoryOptionCombo`: `default` for the total, else the breakdown code `M`, `F`, `U18`, `A18`;
- `value`: the number with a dot as decimal separator (`12.5`), `true`/`false` for yes/no
  elements, or the text.

CSV: UTF-8 (a BOM is accepted), the header line `dataElement,period,orgUnit,categoryOptionCombo,value`.
JSON: `{"dataValues": [{"dataElement": …, "period": …, "orgUnit": …, "categoryOptionCombo": …, "value": …}]}`.

An import is all-or-nothing: every row is checked first and any error rejects the whole file with
a Vietnamese report by row. Values go into the reports (submissions) of the unit's schedule for
the element and period, created when missing; each change is kept in `ValueChange`. Re-importing
the same file changes nothing; a dry run reports created/updated/unchanged counts and writes nothing.
Approved reports are locked: a row that would change one is an error.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from access.policy import reach
from audit.services import record
from core import vn
from core.spreadsheet import csv_safe
from reporting.models import (
    CATEGORIES_BY_DISAGGREGATION,
    DataElement,
    DataValue,
    FormItem,
    Schedule,
    Submission,
    ValueChange,
)
from reporting.periods import Period, PeriodError, parse

COLUMNS = ["dataElement", "period", "orgUnit", "categoryOptionCombo", "value"]
DEFAULT_COC = "default"
MAX_ROWS = 500_000
_STATUS_RANK = {"draft": 0, "returned": 0, "submitted": 1, "approved": 2}
NOTATION = vn.Notation.CANONICAL  # DHIS2 JSON and CSV, PCMT's CSV: machine notation, both ways
_CHUNK = 900


@dataclass(frozen=True)
class ExchangeRow:
    row: int  # CSV line number, or position (1-based) in dataValues
    data_element: str
    period: str
    org_unit: str
    coc: str
    value: str


@dataclass
class RowError:
    row: int
    message: str

    def __str__(self) -> str:
        return f"Dòng {self.row}: {self.message}" if self.row else self.message


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    submissions_created: int = 0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "submissions_created": self.submissions_created,
            "errors": [{"row": e.row, "message": e.message} for e in self.errors],
        }


# ---- reading -------------------------------------------------------------------------------


def read_csv(data: bytes) -> tuple[list[ExchangeRow], list[RowError]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [RowError(0, "Tệp không phải văn bản UTF-8. Hãy lưu tệp CSV với mã hóa UTF-8.")]
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        return [], [RowError(0, "Tệp rỗng: cần dòng tiêu đề " + ",".join(COLUMNS) + ".")]
    if [h.strip() for h in header] != COLUMNS:
        return [], [RowError(1, "tiêu đề phải là " + ",".join(COLUMNS) + ".")]
    rows, errors = [], []
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(COLUMNS):
            errors.append(RowError(line, f"cần đúng {len(COLUMNS)} cột, có {len(cells)}."))
            continue
        rows.append(ExchangeRow(line, *(c.strip() for c in cells)))
        if len(rows) > MAX_ROWS:
            return [], [RowError(0, f"Tệp có hơn {vn.format_number(MAX_ROWS)} dòng; hãy chia nhỏ.")]
    return rows, errors


def read_json(data: bytes | str | dict[str, Any]) -> tuple[list[ExchangeRow], list[RowError]]:
    if isinstance(data, (bytes, str)):
        try:
            data = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError):
            return [], [RowError(0, "Nội dung không phải JSON hợp lệ.")]
    items = data.get("dataValues") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return [], [RowError(0, 'JSON cần có danh sách "dataValues".')]
    if len(items) > MAX_ROWS:
        return [], [RowError(0, f"Có hơn {vn.format_number(MAX_ROWS)} giá trị; hãy chia nhỏ.")]
    rows, errors = [], []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            errors.append(RowError(i, "mỗi phần tử của dataValues phải là một đối tượng."))
            continue
        missing = [k for k in ("dataElement", "period", "orgUnit", "value") if item.get(k) in (None, "")]
        if missing:
            errors.append(RowError(i, "thiếu " + ", ".join(missing) + "."))
            continue
        rows.append(
            ExchangeRow(
                i,
                str(item["dataElement"]).strip(),
                str(item["period"]).strip(),
                str(item["orgUnit"]).strip(),
                str(item.get("categoryOptionCombo") or DEFAULT_COC).strip(),
                _json_value(item["value"]),
            )
        )
    return rows, errors


def _json_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def read_upload(name: str, data: bytes) -> tuple[list[ExchangeRow], list[RowError]]:
    if name.lower().endswith(".json") or data.lstrip()[:1] == b"{":
        return read_json(data)
    return read_csv(data)


# ---- checking ------------------------------------------------------------------------------


def parse_value(element: DataElement, raw: str) -> tuple[Decimal | None, str, str | None]:
    """(number, text, error): the value as stored, or a Vietnamese reason."""
    kind = element.value_type
    if kind == DataElement.ValueType.TEXT:
        return None, raw, None
    if not raw.strip():
        return None, "", "giá trị bị bỏ trống."
    if kind == "date":
        try:
            return None, vn.format_date(vn.parse_date(raw, NOTATION), NOTATION), None
        except vn.DateError as exc:
            return None, "", str(exc)
    if kind == DataElement.ValueType.BOOLEAN:
        mapped = {"true": 1, "1": 1, "có": 1, "false": 0, "0": 0, "không": 0}.get(raw.lower())
        if mapped is None:
            return None, "", f"giá trị «{raw}» không phải có/không (true/false)."
        return Decimal(mapped), "", None
    try:
        number = vn.parse_number(raw, NOTATION)
    except vn.NumberError as exc:
        return None, "", f"giá trị {exc}"
    if number is None:  # pragma: no cover - blank values are refused above
        return None, "", "giá trị bị bỏ trống."
    if number < 0:
        return None, "", f"giá trị «{raw}» không được âm."
    if kind == DataElement.ValueType.INTEGER and number != number.to_integral_value():
        return None, "", f"chỉ tiêu {element.code} cần số nguyên, không nhận «{raw}»."
    if kind == DataElement.ValueType.PERCENTAGE and number > 100:
        return None, "", f"tỷ lệ «{raw}» vượt quá 100%."
    if abs(number) >= Decimal(10) ** 14:
        return None, "", f"giá trị «{raw}» quá lớn."
    return number.quantize(Decimal("0.0001")), "", None


@dataclass
class _Unit:
    province: str
    commune: str | None = None
    agency: int | None = None
    name: str = ""

    @property
    def level(self) -> str:
        return "commune" if self.commune else "agency"

    @property
    def key(self) -> tuple[str, Any]:
        return ("c", self.commune) if self.commune else ("a", self.agency)


class _Catalogue:
    """Everything the rows refer to, loaded in a few queries."""

    def __init__(self, rows: list[ExchangeRow], provinces: set[str] | None) -> None:
        from agencies.models import Agency
        from geo.models import Commune

        self.elements = {e.code: e for e in DataElement.objects.filter(code__in={r.data_element for r in rows})}
        commune_codes = {r.org_unit for r in rows if ":" not in r.org_unit}
        self.units: dict[str, _Unit] = {}
        for chunk in _chunks(sorted(commune_codes)):
            for code, province, name in Commune.objects.filter(code__in=chunk).values_list(
                "code", "province_id", "name"
            ):
                self.units[code] = _Unit(province, commune=code, name=name)
        pairs = {tuple(r.org_unit.split(":", 1)) for r in rows if ":" in r.org_unit}
        if pairs:
            agencies = Agency.objects.filter(province_id__in={p for p, _ in pairs}, code__in={c for _, c in pairs})
            for pk, province, code, name in agencies.values_list("pk", "province_id", "code", "name"):
                self.units[f"{province}:{code}"] = _Unit(province, agency=pk, name=name)
        self.allowed = provinces  # None: every province
        in_scope = {u.province for u in self.units.values() if provinces is None or u.province in provinces}
        self.schedules = list(
            Schedule.objects.filter(province_id__in=in_scope, is_active=True).select_related("form").order_by("id")
        )
        ids = [s.pk for s in self.schedules]
        self.schedule_communes = set(
            Schedule.communes.through.objects.filter(schedule_id__in=ids).values_list("schedule_id", "commune_id")
        )
        self.schedule_agencies = set(
            Schedule.agencies.through.objects.filter(schedule_id__in=ids).values_list("schedule_id", "agency_id")
        )
        self.form_elements = set(
            FormItem.objects.filter(section__form_id__in={s.form_id for s in self.schedules}).values_list(
                "section__form_id", "element_id"
            )
        )
        self.by_province: dict[str, list[Schedule]] = {}
        for s in self.schedules:
            self.by_province.setdefault(s.province_id, []).append(s)

    def schedule_for(self, unit: _Unit, element: DataElement, period: Period) -> Schedule | None:
        for s in self.by_province.get(unit.province, []):
            if (
                s.form.level != unit.level
                or (s.form_id, element.pk) not in self.form_elements
                or s.frequency != period.frequency
            ):
                continue
            if unit.commune and not (s.all_communes or (s.pk, unit.commune) in self.schedule_communes):
                continue
            if unit.agency and (s.pk, unit.agency) not in self.schedule_agencies:
                continue
            if not _within(period, s.first_period, s.last_period):
                continue
            return s
        return None


def _within(period: Period, first: str, last: str) -> bool:
    key = (period.year, period.index)
    try:
        if first and key < (parse(first).year, parse(first).index):
            return False
        return not (last and key > (parse(last).year, parse(last).index))
    except PeriodError:
        return True


def _chunks(items: list[Any], size: int = _CHUNK) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def import_provinces(user: Any) -> set[str] | None:
    """Provinces whose data the user may import (None: every province, for a national grant)."""
    r = reach(user, "exchange.import")
    return None if r.nation else set(r.provinces)


def import_values(
    *,
    acting_user: Any,
    rows: list[ExchangeRow],
    status: str = "submitted",
    dry_run: bool = False,
    errors: list[RowError] | None = None,
) -> ImportResult:
    """Check every row, then (unless `dry_run` or any error) write them all in one transaction."""
    if status not in ("draft", "submitted", "approved"):
        raise ValueError(status)
    result = ImportResult(errors=list(errors or []), rows=len(rows) + len(errors or []), dry_run=dry_run)
    if not rows and not result.errors:
        result.errors.append(RowError(0, "Không có giá trị nào để nhập."))
    if not rows:
        return result
    provinces = import_provinces(acting_user)
    cat = _Catalogue(rows, provinces)
    planned: dict[tuple[int, str, Any, int, str], tuple[ExchangeRow, Decimal | None, str]] = {}
    seen: dict[tuple[str, str, str, str], int] = {}
    periods: dict[str, Period] = {}
    for r in rows:
        problems = []
        element = cat.elements.get(r.data_element)
        if element is None:
            problems.append(f"mã chỉ tiêu «{r.data_element}» không tồn tại.")
        period = periods.get(r.period)
        if period is None:
            try:
                period = periods.setdefault(r.period, parse(r.period))
            except PeriodError:
                problems.append(f"kỳ «{r.period}» không hợp lệ (ví dụ đúng: 2026Q2, 202606, 2026S1, 2026).")
        unit = cat.units.get(r.org_unit)
        if unit is None:
            problems.append(f"đơn vị «{r.org_unit}» không tồn tại (mã xã 5 chữ số, hoặc <mã tỉnh>:<mã cơ quan>).")
        elif provinces is not None and unit.province not in provinces:
            problems.append(f"đơn vị «{r.org_unit}» ({unit.name}) ngoài phạm vi tỉnh bạn được nhập số liệu.")
            unit = None
        category = "" if r.coc in (DEFAULT_COC, "") else r.coc
        number, text = None, ""
        if element is not None:
            if category not in CATEGORIES_BY_DISAGGREGATION.get(element.disaggregation, ("",)):
                problems.append(f"phân tổ «{r.coc}» không áp dụng cho chỉ tiêu {element.code}.")
            number, text, problem = parse_value(element, r.value)
            if problem:
                problems.append(problem)
        key = (r.data_element, r.period, r.org_unit, category)
        first = seen.setdefault(key, r.row)
        if first != r.row:
            problems.append(f"trùng với dòng {first} (cùng chỉ tiêu, kỳ, đơn vị và phân tổ).")
        schedule = None
        if element is not None and period is not None and unit is not None and not problems:
            schedule = cat.schedule_for(unit, element, period)
            if schedule is None:
                problems.append(
                    f"{unit.name} không có lịch báo cáo nào gồm chỉ tiêu {element.code} cho kỳ {period.label}."
                )
        if problems:
            result.errors.extend(RowError(r.row, p) for p in problems)
            continue
        planned[(schedule.pk, period.id, unit.key, element.pk, category)] = (r, number, text)
    if result.errors:
        result.errors.sort(key=lambda e: e.row)
        return result
    return _apply(acting_user, cat, planned, status, dry_run, result)


def _apply(user: Any, cat: _Catalogue, planned: dict, status: str, dry_run: bool, result: ImportResult) -> ImportResult:
    unit_of = {("c", u.commune) if u.commune else ("a", u.agency): u for u in cat.units.values()}
    schedules = {s.pk: s for s in cat.schedules}
    with transaction.atomic():
        subs: dict[tuple[int, str, Any], Submission] = {}
        keys = {(s, p, u) for s, p, u, _, _ in planned}
        for pid in {p for _, p, _ in keys}:
            qs = Submission.objects.select_for_update() if not dry_run else Submission.objects
            for sub in qs.filter(schedule_id__in={s for s, p, _ in keys if p == pid}, period=pid):
                subs[(sub.schedule_id, pid, ("c", sub.commune_id) if sub.commune_id else ("a", sub.agency_id))] = sub
        existing: dict[tuple[int, int, str], DataValue] = {}
        known = [s.pk for s in subs.values()]
        for chunk in _chunks(known):
            for v in DataValue.objects.filter(submission_id__in=chunk):
                existing[(v.submission_id, v.element_id, v.category)] = v
        now = timezone.now()
        creates: list[tuple[tuple, Decimal | None, str]] = []
        updates: list[tuple[DataValue, str, Decimal | None, str]] = []
        touched: set[tuple[int, str, Any]] = set()
        for (sched, pid, ukey, el, cat_), (row, number, text) in planned.items():
            sub = subs.get((sched, pid, ukey))
            current = existing.get((sub.pk, el, cat_)) if sub else None
            if current is not None and current.value == number and current.text == text:
                result.unchanged += 1
                continue
            if sub is not None and sub.status == "approved":
                result.errors.append(
                    RowError(
                        row.row,
                        f"báo cáo của {unit_of[ukey].name} kỳ {parse(pid).label} đã được duyệt và đang khóa; hãy mở khóa trước khi nhập.",
                    )
                )
                continue
            touched.add((sched, pid, ukey))
            if current is None:
                creates.append(((sched, pid, ukey, el, cat_), number, text))
            else:
                updates.append((current, _show(current.value, current.text), number, text))
        result.created, result.updated = len(creates), len(updates)
        missing = {k for k in touched if k not in subs}
        result.submissions_created = len(missing)
        if result.errors:
            result.errors.sort(key=lambda e: e.row)
            result.created = result.updated = result.unchanged = result.submissions_created = 0
            return result
        if dry_run or not touched:
            return result
        new_subs = []
        for sched, pid, ukey in sorted(missing, key=str):
            unit = unit_of[ukey]
            new_subs.append(
                Submission(
                    schedule_id=sched,
                    period=pid,
                    kind=schedules[sched].frequency,
                    province_id=schedules[sched].province_id,
                    commune_id=unit.commune,
                    agency_id=unit.agency,
                    status=status,
                    submitted_at=now if status != "draft" else None,
                    submitted_by=user if status != "draft" else None,
                    reviewed_at=now if status == "approved" else None,
                    reviewed_by=user if status == "approved" else None,
                )
            )
        Submission.objects.bulk_create(new_subs, batch_size=500)
        for sub in new_subs:
            subs[(sub.schedule_id, sub.period, ("c", sub.commune_id) if sub.commune_id else ("a", sub.agency_id))] = sub
        changed = []
        for key in touched - missing:
            sub = subs[key]
            if _STATUS_RANK[status] > _STATUS_RANK[sub.status] or (sub.status == "returned" and status != "draft"):
                sub.status = status
                sub.submitted_at, sub.submitted_by = now, user
                if status == "approved":
                    sub.reviewed_at, sub.reviewed_by = now, user
            sub.version += 1
            sub.updated_at = now
            changed.append(sub)
        Submission.objects.bulk_update(
            changed,
            ["status", "submitted_at", "submitted_by", "reviewed_at", "reviewed_by", "version", "updated_at"],
            batch_size=500,
        )
        values, history = [], []
        for (sched, pid, ukey, el, cat_), number, text in creates:
            sub = subs[(sched, pid, ukey)]
            values.append(
                DataValue(submission=sub, element_id=el, category=cat_, value=number, text=text, updated_by=user)
            )
            history.append(
                ValueChange(
                    submission=sub, element_id=el, category=cat_, old="", new=_show(number, text), changed_by=user
                )
            )
        DataValue.objects.bulk_create(values, batch_size=2000)
        for current, old, number, text in updates:
            current.value, current.text, current.updated_by, current.updated_at = number, text, user, now
            history.append(
                ValueChange(
                    submission_id=current.submission_id,
                    element_id=current.element_id,
                    category=current.category,
                    old=old,
                    new=_show(number, text),
                    changed_by=user,
                )
            )
        DataValue.objects.bulk_update(
            [u[0] for u in updates], ["value", "text", "updated_by", "updated_at"], batch_size=2000
        )
        ValueChange.objects.bulk_create(history, batch_size=2000)
        first = next(iter(subs[k] for k in sorted(touched, key=str)))
        record(
            actor=user,
            action="datavalues.import",
            obj=first,
            province_code=first.province_id,
            changes={
                "rows": result.rows,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "submissions_created": result.submissions_created,
                "status": status,
            },
        )
    return result


def _show(number: Decimal | None, text: str) -> str:
    return format_value(number) if number is not None else text


def format_value(number: Decimal | None) -> str:
    """Machine format: 12, 12.5 (no thousands separator)."""
    return vn.format_number(number, notation=NOTATION)


# ---- export --------------------------------------------------------------------------------


def export_values(
    *, user: Any, form: Any = None, period: str = "", province: str = "", include_submitted: bool = False
) -> Iterator[dict[str, str]]:
    """The values the user may see, as exchange rows (approved only unless `include_submitted`)."""
    subs = Submission.objects.for_user(user).filter(
        status__in=["approved", "submitted"] if include_submitted else ["approved"]
    )
    if form is not None:
        subs = subs.filter(schedule__form=form)
    if period:
        subs = subs.filter(period=period)
    if province:
        subs = subs.filter(province_id=province)
    qs = (
        DataValue.objects.filter(submission__in=subs)
        .values_list(
            "element__code",
            "submission__period",
            "submission__commune_id",
            "submission__province_id",
            "submission__agency__code",
            "category",
            "value",
            "text",
            "element__value_type",
        )
        .order_by("submission__province_id", "submission__period", "submission_id", "element__code", "category")
    )
    for code, pid, commune, prov, agency, category, value, text, kind in qs.iterator(chunk_size=5000):
        if value is None and not text:
            continue
        if kind == DataElement.ValueType.BOOLEAN and value is not None:
            shown = "true" if value else "false"
        else:
            shown = format_value(value) if value is not None else text
        yield {
            "dataElement": code,
            "period": pid,
            "orgUnit": commune or f"{prov}:{agency}",
            "categoryOptionCombo": category or DEFAULT_COC,
            "value": shown,
        }


def to_csv_lines(rows: Iterable[dict[str, str]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([csv_safe(row[c]) for c in COLUMNS])
        yield buffer.getvalue()


def to_csv(rows: Iterable[dict[str, str]]) -> str:
    return "".join(to_csv_lines(rows))


def to_json(rows: Iterable[dict[str, str]]) -> dict[str, Any]:
    return {"dataValues": list(rows)}
