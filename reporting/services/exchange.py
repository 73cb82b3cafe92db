"""Data exchange: data values in and out as CSV and as DHIS2 `dataValueSets` JSON.

Format (both ways), one value per row / item:

- `dataElement`: the element's code (`DataElement.code`; DHIS2's `idScheme=CODE`);
- `period`: the DHIS2 ISO period id (`2026Q2`, `202606`, `2026S1`, `2026`);
- `orgUnit`: a commune's 5-digit statistics-office code (`24133`), or an agency as
  `<province code>:<agency code>` (`66:SYT`);
- `categoryOptionCombo`: `default` for the total, else the breakdown code `M`, `F`, `U18`, `A18`;
- `value`: the value in the file's notation (below), `true`/`false` for yes/no elements, or the text;
- `comment` (optional): the explanation (giải trình) of the element's value; a value unusual for
  the unit's history is refused without one, as the grid refuses to submit it;
- `kind` (optional, PCMT's own): the report kind when the period id alone does not say it — `once`
  for a one-off report (its period "2026" is also the annual report's); blank means the kind the
  period id names (`2026Q2` quarterly, `2026S1` 6-month, `2026` annual, `202606` monthly).
  PCMT's export writes it, so an annual and a one-off report of the same year never collide.

Notation is the format's, never guessed from a value (`core.vn.Notation`):

- machine formats — DHIS2 JSON, DHIS2 CSV and PCMT's own CSV (comma-separated, UTF-8) — use
  DHIS2's canonical numbers: a dot as decimal point, no grouping (`1234.5`), dates `2026-06-15`;
- a CSV saved by Excel in Vietnamese — recognised by its semicolons (or tabs), or by its encoding,
  Windows-1258 or UTF-16 — uses Vietnamese notation (`1.234,5`, dates `15/06/2026`); in such a
  file a dot can only group thousands, so `12.5` is refused as ambiguous, not guessed.

CSV header: `dataElement,period,orgUnit,categoryOptionCombo,value,comment` (PCMT's export); DHIS2's
lower-case CSV header (`dataelement,period,orgunit,catoptcombo,attroptcombo,value,storedby,
lastupdated,comment,followup`) is read too. JSON: `{"dataValues": [{"dataElement": …, "period": …,
"orgUnit": …, "categoryOptionCombo": …, "value": …, "comment": …}]}`; a top-level `period` or
`orgUnit` applies to the values that have none, as in DHIS2. `storedBy`, `created`,
`lastUpdated` and `followup` describe the sending system and are not stored (PCMT records who
imported, and when); any other field is refused.

Every value passes the gate the entry grid uses (`reporting.services.gate`): the same checker per
value type, the same entry window and locks (a closed period needs the Standing Office's lock
exception; a period that has not begun is refused), the same validation rules and outlier checks.
An import sets a report "draft" or "submitted", never "approved"; "submitted" needs every
required value, as the grid's "Nộp" does.

An import is all-or-nothing: every row is checked first and any error rejects the whole file with
a Vietnamese report by row. Values go into the reports (submissions) of the unit's schedule for
the element and period, created when missing; each change is kept in `ValueChange`. Re-importing
the same file changes nothing; a dry run reports created/updated/unchanged counts and writes nothing.
DHIS2's `importStrategy` is honoured: CREATE_AND_UPDATE (default), CREATE (existing values are
left as they are and counted as ignored), UPDATE (new values are ignored); DELETE is refused.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from access.policy import reach
from audit.services import record
from core import vn
from core.spreadsheet import csv_lines
from reporting import periods as P
from reporting.models import (
    DataElement,
    DataValue,
    FormItem,
    FormVersion,
    LockException,
    Schedule,
    Submission,
    ValueChange,
    section_shown,
)
from reporting.periods import KINDS, Period, PeriodError, parse
from reporting.services import gate, versions
from reporting.services import prefill as autofill
from reporting.services import schedules as S

COLUMNS = ["dataElement", "period", "orgUnit", "categoryOptionCombo", "value", "comment", "kind"]
REQUIRED_COLUMNS = ("dataElement", "period", "orgUnit", "value")
DEFAULT_COC = "default"
DHIS2_DEFAULT_UIDS = {"HllvX50cXC0", "bRowv6yZOF2"}  # DHIS2's default category (option) combo
MAX_ROWS = 500_000
_STATUS_RANK = {"draft": 0, "returned": 0, "submitted": 1, "approved": 2}
NOTATION = vn.Notation.CANONICAL  # DHIS2 JSON and CSV, PCMT's CSV: machine notation, both ways
_CHUNK = 900
STRATEGIES = ("CREATE_AND_UPDATE", "CREATE", "UPDATE")
ID_SCHEMES = ("CODE",)

# Column names as written by PCMT and by DHIS2 (lower-case), to the field they fill.
_HEADER = {
    "dataelement": "dataElement",
    "period": "period",
    "orgunit": "orgUnit",
    "categoryoptioncombo": "categoryOptionCombo",
    "catoptcombo": "categoryOptionCombo",
    "attributeoptioncombo": "attributeOptionCombo",
    "attroptcombo": "attributeOptionCombo",
    "value": "value",
    "comment": "comment",
    "kind": "kind",
    "reportkind": "kind",
    "storedby": "",
    "created": "",
    "lastupdated": "",
    "followup": "",
}
_JSON_ITEM_KEYS = {
    "dataElement",
    "period",
    "orgUnit",
    "categoryOptionCombo",
    "attributeOptionCombo",
    "value",
    "comment",
    "kind",
    "storedBy",
    "created",
    "lastUpdated",
    "followup",
}
_JSON_TOP_KEYS = {"dataValues", "period", "orgUnit"}


@dataclass(frozen=True)
class ExchangeRow:
    row: int  # CSV line number, or position (1-based) in dataValues
    data_element: str
    period: str
    org_unit: str
    coc: str
    value: str
    comment: str = ""
    notation: vn.Notation = vn.Notation.CANONICAL
    aoc: str = ""
    kind: str = ""  # blank: the kind the period id names


@dataclass
class RowError:
    row: int
    message: str
    code: str = ""  # what the gate refused, comparable across paths (`gate.ValueRefused.code`, `Checks.codes`)

    def __str__(self) -> str:
        return f"Dòng {self.row}: {self.message}" if self.row else self.message


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ignored: int = 0
    submissions_created: int = 0
    dry_run: bool = False
    notation: str = "canonical"

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def notation_label(self) -> str:
        if self.notation == vn.Notation.VIETNAMESE.value:
            return "kiểu Việt Nam (1.234,5; ngày 15/06/2026)"
        return "dạng máy DHIS2 (1234.5; ngày 2026-06-15)"

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "ignored": self.ignored,
            "submissions_created": self.submissions_created,
            "notation": self.notation,
            "errors": [{"row": e.row, "message": e.message} for e in self.errors],
        }


# ---- reading -------------------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, bool] | None:
    """(text, written by a person's spreadsheet) or None when the bytes are no known text encoding."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(data) > 3 and (data[1:2] == b"\x00" or data[0:1] == b"\x00")):
        try:
            return unicodedata.normalize("NFC", data.decode("utf-16")), True
        except UnicodeDecodeError:
            return None
    try:
        return data.decode("utf-8-sig"), False
    except UnicodeDecodeError:
        pass
    try:
        # Excel's "CSV (Comma delimited)" on a Vietnamese Windows: Windows-1258, tones often as
        # combining marks, hence the NFC.
        return unicodedata.normalize("NFC", data.decode("cp1258")), True
    except UnicodeDecodeError:
        return None


def _delimiter(first_line: str) -> str:
    if "\t" in first_line:
        return "\t"
    if first_line.count(";") > first_line.count(","):
        return ";"
    return ","


def read_csv(data: bytes) -> tuple[list[ExchangeRow], list[RowError]]:
    """Rows of a CSV file with their notation: canonical for a comma-separated UTF-8 file (PCMT's
    and DHIS2's), Vietnamese for one saved by Excel in Vietnamese (semicolons or tabs,
    Windows-1258 or UTF-16)."""
    decoded = _decode(data)
    if decoded is None:
        return [], [
            RowError(0, "Không đọc được mã hóa của tệp. Hãy lưu tệp CSV với mã hóa UTF-8 (hoặc Windows-1258, UTF-16).")
        ]
    text, spreadsheet = decoded
    first_line = text.split("\n", 1)[0]
    delimiter = _delimiter(first_line)
    human = spreadsheet or delimiter != ","
    notation = vn.Notation.VIETNAMESE if human else vn.Notation.CANONICAL
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    expected = "tiêu đề phải gồm các cột " + ",".join(COLUMNS[:5]) + " (comment không bắt buộc)"
    if not header or not any(h.strip() for h in header):
        return [], [RowError(0, f"Tệp rỗng: {expected}.")]
    names = [h.strip().lower() for h in header]
    unknown = [h.strip() for h, n in zip(header, names, strict=True) if n not in _HEADER]
    if unknown:
        return [], [RowError(1, f"cột «{'», «'.join(unknown)}» không có trong định dạng; {expected}.")]
    fields = [_HEADER[n] for n in names]
    missing = [c for c in REQUIRED_COLUMNS if c not in fields]
    if missing or len({f for f in fields if f}) != len([f for f in fields if f]):
        return [], [
            RowError(1, f"{expected}" + (f"; thiếu cột {', '.join(missing)}." if missing else "; có cột trùng."))
        ]
    rows, errors = [], []
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(fields):
            errors.append(RowError(line, f"cần đúng {len(fields)} cột như dòng tiêu đề, có {len(cells)}."))
            continue
        got = {f: c.strip() for f, c in zip(fields, cells, strict=True) if f}
        rows.append(
            ExchangeRow(
                line,
                got["dataElement"],
                got["period"],
                got["orgUnit"],
                got.get("categoryOptionCombo", "") or DEFAULT_COC,
                got["value"],
                got.get("comment", ""),
                notation,
                got.get("attributeOptionCombo", ""),
                got.get("kind", ""),
            )
        )
        if len(rows) > MAX_ROWS:
            return [], [RowError(0, f"Tệp có hơn {vn.format_number(MAX_ROWS)} dòng; hãy chia nhỏ.")]
    return rows, errors


def read_json(data: bytes | str | dict[str, Any]) -> tuple[list[ExchangeRow], list[RowError]]:
    """Rows of a DHIS2 `dataValueSets` document (canonical notation)."""
    if isinstance(data, (bytes, str)):
        try:
            data = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError):
            return [], [RowError(0, "Nội dung không phải JSON hợp lệ.")]
    items = data.get("dataValues") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return [], [RowError(0, 'JSON cần có danh sách "dataValues".')]
    assert isinstance(data, dict)
    extra = sorted(set(data) - _JSON_TOP_KEYS)
    if extra:
        return [], [
            RowError(
                0,
                f"trường «{'», «'.join(extra)}» của dataValueSet không được PCMT hỗ trợ "
                "(chỉ nhận dataValues, period, orgUnit); hãy bỏ đi rồi gửi lại.",
            )
        ]
    if len(items) > MAX_ROWS:
        return [], [RowError(0, f"Có hơn {vn.format_number(MAX_ROWS)} giá trị; hãy chia nhỏ.")]
    defaults = {k: data[k] for k in ("period", "orgUnit") if data.get(k) not in (None, "")}
    rows, errors = [], []
    for i, raw in enumerate(items, start=1):
        if not isinstance(raw, dict):
            errors.append(RowError(i, "mỗi phần tử của dataValues phải là một đối tượng."))
            continue
        item = {**defaults, **{k: v for k, v in raw.items() if v is not None}}
        unknown = sorted(set(item) - _JSON_ITEM_KEYS)
        if unknown:
            errors.append(RowError(i, f"trường «{'», «'.join(unknown)}» không được PCMT hỗ trợ."))
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
                str(item.get("comment") or "").strip(),
                vn.Notation.CANONICAL,
                str(item.get("attributeOptionCombo") or "").strip(),
                str(item.get("kind") or "").strip(),
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


def check_parameters(params: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """DHIS2's import parameters (and PCMT's `dry_run`, `status`), honoured or refused, never ignored.

    In: the query string as a dict. Out: ({dry_run, strategy, status}, Vietnamese refusals).
    `dryRun` true/false; `importStrategy` CREATE_AND_UPDATE / CREATE / UPDATE (DELETE refused);
    `idScheme` and the per-object id schemes: CODE only (PCMT has no DHIS2 UIDs); `status` draft or
    submitted. Any other parameter is refused by name.
    """
    out: dict[str, Any] = {"dry_run": False, "strategy": "CREATE_AND_UPDATE", "status": "submitted"}
    problems = []
    for name, raw in params.items():
        value = (raw or "").strip()
        if name in ("dryRun", "dry_run"):
            flag = {"true": True, "false": False, "1": True, "0": False}.get(value.lower())
            if flag is None:
                problems.append(f"{name} phải là true hoặc false, không nhận «{value}».")
            else:
                out["dry_run"] = flag
        elif name in ("importStrategy", "strategy"):
            if value.upper() == "DELETE":
                problems.append(
                    "importStrategy=DELETE không được hỗ trợ: PCMT không xóa số liệu qua tệp nhập; "
                    "xóa ô trong bảng nhập liệu của báo cáo."
                )
            elif value.upper() not in STRATEGIES:
                problems.append(f"importStrategy «{value}» không hợp lệ (CREATE_AND_UPDATE, CREATE, UPDATE).")
            else:
                out["strategy"] = value.upper()
        elif name in ("idScheme", "dataElementIdScheme", "orgUnitIdScheme", "categoryOptionComboIdScheme"):
            if value.upper() not in ID_SCHEMES:
                problems.append(
                    f"{name}={value} không được hỗ trợ: PCMT nhận diện chỉ tiêu, đơn vị và phân tổ bằng mã "
                    f"({name}=CODE)."
                )
        elif name == "status":
            if value not in gate.IMPORT_STATUSES:
                problems.append(
                    f"status «{value}» không hợp lệ: nhập tệp chỉ đặt báo cáo ở trạng thái draft (đang nhập) "
                    "hoặc submitted (đã nộp); duyệt báo cáo là việc của Cơ quan Thường trực trên trang duyệt."
                )
            else:
                out["status"] = value
        else:
            problems.append(f"tham số «{name}» không được hỗ trợ (chỉ nhận dryRun, importStrategy, idScheme, status).")
    return out, problems


# ---- checking ------------------------------------------------------------------------------


@dataclass
class _Unit:
    province: str
    commune: str | None = None
    agency: int | None = None
    name: str = ""
    agency_code: str = ""  # the agency's catalogue code ("SYT"): which sections of a form are its own

    @property
    def level(self) -> str:
        return "commune" if self.commune else "agency"

    @property
    def key(self) -> tuple[str, Any]:
        return ("c", self.commune) if self.commune else ("a", self.agency)

    @property
    def unit(self) -> S.Unit:
        return S.Unit("commune", self.commune, self.name) if self.commune else S.Unit("agency", self.agency, self.name)


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
                self.units[f"{province}:{code}"] = _Unit(province, agency=pk, name=name, agency_code=code)
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
        # (form, element) → the sections' agency codes ("" : every unit): an agency reports only
        # the elements of its own sections, as its grid shows them.
        self.form_elements: dict[tuple[int, int], list[str]] = {}
        for form_id, element_id, codes in FormItem.objects.filter(
            section__form_id__in={s.form_id for s in self.schedules}
        ).values_list("section__form_id", "element_id", "section__agency_codes"):
            self.form_elements.setdefault((form_id, element_id), []).append(codes)
        self.by_province: dict[str, list[Schedule]] = {}
        for s in self.schedules:
            self.by_province.setdefault(s.province_id, []).append(s)
        self._specs: dict[tuple[int, str | None], gate.FormSpec] = {}
        # The versions the file's periods already have (fixed by their first report): what those
        # periods ask, whatever the form has become since (two queries).
        taken: dict[tuple[int, str], int] = {}
        if ids:
            for sid, pid, vid in (
                Submission.objects.filter(
                    schedule_id__in=ids, period__in={r.period for r in rows}, form_version__isnull=False
                )
                .values_list("schedule_id", "period", "form_version_id")
                .distinct()
            ):
                taken.setdefault((sid, pid), vid)
        found = FormVersion.objects.in_bulk(set(taken.values())) if taken else {}
        self._versions: dict[tuple[int, str], FormVersion] = {key: found[vid] for key, vid in taken.items()}

    def spec(self, schedule: Schedule, unit: _Unit, version: FormVersion | None = None) -> gate.FormSpec:
        """The form as the unit fills it, in the period's version (None: the form as it stands)."""
        key = (version.pk if version else -schedule.form_id, unit.agency_code or None)
        if key not in self._specs:
            agency = unit.agency_code or None
            self._specs[key] = (
                gate.version_spec(version, agency_code=agency, form=schedule.form)
                if version is not None
                else gate.form_spec(schedule.form, agency_code=agency)
            )
        return self._specs[key]

    def version(self, schedule: Schedule, period_id: str, sub: Submission | None) -> FormVersion:
        """The form version of the schedule's period: its report's, else the period's (fixed by
        its first report), else the form's current one."""
        key = (schedule.pk, period_id)
        if key not in self._versions:
            if sub is not None and sub.form_version_id is not None:
                self._versions[key] = sub.form_version
            else:
                self._versions[key] = versions.for_period(schedule, period_id)
        return self._versions[key]

    def asks(self, schedule: Schedule, period_id: str, element: DataElement, unit: _Unit) -> bool:
        """Whether the schedule's form asks `unit` for `element` in the period (an agency: in one
        of its own sections): in the period's version when it has one, else the form as it
        stands (a retired element is asked no more)."""
        version = self._versions.get((schedule.pk, period_id))
        if version is not None:
            sections = [
                s["agency_codes"] for s in version.snapshot["sections"] if any(i[0] == element.pk for i in s["items"])
            ]
        elif not element.is_active:
            return False
        else:
            sections = self.form_elements.get((schedule.form_id, element.pk)) or []
        if not sections:
            return False
        return unit.commune is not None or any(section_shown(codes, unit.agency_code) for codes in sections)

    def schedule_for(self, unit: _Unit, element: DataElement, period: Period, kind: str) -> Schedule | None:
        for s in self.by_province.get(unit.province, []):
            if s.form.level != unit.level or s.frequency != kind or not self.asks(s, period.id, element, unit):
                continue
            if kind == "once":
                if _same_period(s.first_period, period):
                    return s
                continue
            if unit.commune and not (s.all_communes or (s.pk, unit.commune) in self.schedule_communes):
                continue
            if unit.agency and (s.pk, unit.agency) not in self.schedule_agencies:
                continue
            if not _within(period, s.first_period, s.last_period):
                continue
            return s
        return None


def _same_period(first: str, period: Period) -> bool:
    try:
        return parse(first).id == period.id
    except PeriodError:
        return False


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


@dataclass(frozen=True)
class _Planned:
    row: ExchangeRow
    element: DataElement
    stored: gate.Stored


ReportKey = tuple[int, str, tuple[str, Any]]  # (schedule pk, period id, unit key)


def import_values(
    *,
    acting_user: Any,
    rows: list[ExchangeRow],
    status: str = "submitted",
    dry_run: bool = False,
    errors: list[RowError] | None = None,
    strategy: str = "CREATE_AND_UPDATE",
    on: dt.date | None = None,
) -> ImportResult:
    """Check every row, then (unless `dry_run` or any error) write them all in one transaction.

    `status`: what the touched reports become at least, "draft" or "submitted" (never "approved":
    ValueError). `strategy`: DHIS2's importStrategy. `on`: the day entry windows are judged on.
    """
    if status not in gate.IMPORT_STATUSES:
        raise ValueError(f"status {status!r}: an import sets draft or submitted only")
    if strategy not in STRATEGIES:
        raise ValueError(f"importStrategy {strategy!r}")
    on = on or S.today()
    result = ImportResult(errors=list(errors or []), rows=len(rows) + len(errors or []), dry_run=dry_run)
    if rows:
        result.notation = rows[0].notation.value
    if not rows and not result.errors:
        result.errors.append(RowError(0, "Không có giá trị nào để nhập."))
    if not rows:
        return result
    provinces = import_provinces(acting_user)
    cat = _Catalogue(rows, provinces)
    planned: dict[ReportKey, dict[tuple[str, str], _Planned]] = {}
    seen: dict[tuple[str, str, str, str, str], int] = {}
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
        kind = r.kind or (period.frequency if period is not None else "")
        if r.kind and r.kind not in KINDS:
            problems.append(f"loại báo cáo «{r.kind}» không có ({', '.join(KINDS)}).")
        elif r.kind and r.kind != "once" and period is not None and r.kind != period.frequency:
            problems.append(f"kỳ «{r.period}» không phải kỳ của {KINDS[r.kind].lower()}.")
        if r.aoc and r.aoc != DEFAULT_COC and r.aoc not in DHIS2_DEFAULT_UIDS:
            problems.append(f"attributeOptionCombo «{r.aoc}» không dùng trong PCMT (chỉ nhận default).")
        category = "" if r.coc in (DEFAULT_COC, "") or r.coc in DHIS2_DEFAULT_UIDS else r.coc
        stored = gate.Stored()
        refused = refused_message = ""
        if element is not None:
            if category not in element.categories:
                problems.append(f"phân tổ «{r.coc}» không áp dụng cho chỉ tiêu {element.code}.")
            if not r.value.strip():
                problems.append("giá trị bị bỏ trống (muốn xóa một giá trị thì xóa ô trong bảng nhập liệu).")
            else:
                try:
                    stored = gate.check_value(element, r.value, r.notation, file=True)
                except gate.ValueRefused as exc:
                    refused, refused_message = exc.code, str(exc)
                    problems.append(refused_message)
        key = (r.data_element, r.period, r.org_unit, category, kind)
        first = seen.setdefault(key, r.row)
        if first != r.row:
            problems.append(f"trùng với dòng {first} (cùng chỉ tiêu, loại báo cáo, kỳ, đơn vị và phân tổ).")
        schedule = None
        if element is not None and period is not None and unit is not None and not problems:
            schedule = cat.schedule_for(unit, element, period, kind)
            if schedule is None:
                problems.append(
                    f"{unit.name} không có lịch báo cáo nào gồm chỉ tiêu {element.code} cho "
                    f"{P.kind_label(kind, period.id)}."
                )
        if problems:
            result.errors.extend(RowError(r.row, p, refused if p == refused_message else "") for p in problems)
            continue
        assert schedule is not None and period is not None and unit is not None and element is not None
        planned.setdefault((schedule.pk, period.id, unit.key), {})[(element.code, category)] = _Planned(
            r, element, stored
        )
    if result.errors:
        result.errors.sort(key=lambda e: e.row)
        return result
    return _apply(acting_user, cat, planned, status, strategy, dry_run, on, result)


@dataclass
class _Change:
    """What a file changes in one report."""

    creates: list[tuple[tuple[str, str], _Planned]] = field(default_factory=list)
    updates: list[tuple[DataValue, str, _Planned]] = field(default_factory=list)
    comments: dict[str, str] = field(default_factory=dict)  # element code → new explanation
    explained: dict[str, DataElement] = field(default_factory=dict)  # element code → element


def _apply(
    user: Any,
    cat: _Catalogue,
    planned: dict[ReportKey, dict[tuple[str, str], _Planned]],
    status: str,
    strategy: str,
    dry_run: bool,
    on: dt.date,
    result: ImportResult,
) -> ImportResult:
    unit_of = {u.key: u for u in cat.units.values()}
    schedules = {s.pk: s for s in cat.schedules}
    with transaction.atomic():
        subs: dict[ReportKey, Submission] = {}
        for pid in {p for _, p, _ in planned}:
            qs = Submission.objects.select_for_update() if not dry_run else Submission.objects
            for sub in qs.filter(schedule_id__in={s for s, p, _ in planned if p == pid}, period=pid):
                subs[(sub.schedule_id, pid, ("c", sub.commune_id) if sub.commune_id else ("a", sub.agency_id))] = sub
        existing: dict[int, dict[tuple[str, str], DataValue]] = {}
        for chunk in _chunks([s.pk for s in subs.values()]):
            for v in DataValue.objects.filter(submission_id__in=chunk).select_related("element__category_combo"):
                existing.setdefault(v.submission_id, {})[(v.element.code, v.category)] = v
        excepted = _exceptions(planned, on)
        begun: dict[int, set[str]] = {}
        changes: dict[ReportKey, _Change] = {}
        # The case registry's cells of commune reports: read-only on this path too.
        prefills = autofill.provider().prefill_reports(
            {
                key: (
                    unit_of[key[2]].province,
                    unit_of[key[2]].commune or "",
                    schedules[key[0]],
                    key[1],
                    cat.spec(schedules[key[0]], unit_of[key[2]]),
                )
                for key in planned
            }
        )
        for key, cells in planned.items():
            sched, pid, ukey = key
            schedule, unit, sub = schedules[sched], unit_of[ukey], subs.get(key)
            current = existing.get(sub.pk, {}) if sub else {}
            change = _Change()
            unchanged = ignored = 0
            prefill = prefills.get(key)
            for cell, plan in list(cells.items()):
                if prefill is not None and cell in prefill.values:
                    if plan.stored.value == prefill.values[cell] and not plan.row.comment:
                        unchanged += 1  # the registry's own figure (a PCMT export coming back)
                        del cells[cell]
                        continue
                    label = P.kind_label(schedule.frequency, pid)
                    message = autofill.provider().refused_message(plan.element, cell[1], prefill)
                    result.errors.append(RowError(plan.row.row, f"{unit.name}, {label}: {message}", "registry"))
                    continue
                old = current.get(cell)
                before = gate.Stored(old.value, old.text) if old is not None else gate.Stored()
                if old is not None and before.canonical() == plan.stored.canonical():
                    unchanged += 1
                elif (strategy == "CREATE" and not before.empty) or (strategy == "UPDATE" and before.empty):
                    ignored += 1
                    continue
                elif old is None:
                    change.creates.append((cell, plan))
                else:
                    change.updates.append((old, before.canonical(), plan))
                if plan.row.comment:
                    total = current.get((cell[0], ""))
                    if (total.comment if total else "") != plan.row.comment:
                        change.comments[cell[0]] = plan.row.comment
                        change.explained[cell[0]] = plan.element
            result.unchanged += unchanged
            result.ignored += ignored
            if not (change.creates or change.updates or change.comments):
                continue  # nothing to write: no lock or window is crossed (PCMT's own export comes back unchanged)
            if sched not in begun:
                begun[sched] = gate.open_period_ids(schedule, on)
            reason = gate.admission(
                schedule,
                parse(pid),
                unit.unit,
                on,
                status=sub.status if sub else None,
                begun=begun[sched],
                excepted=key in excepted,
            )
            if reason:
                first_row = min(p.row.row for p in cells.values())
                more = f" ({len(cells)} dòng của báo cáo này)" if len(cells) > 1 else ""
                label = P.kind_label(schedule.frequency, pid)
                result.errors.append(RowError(first_row, f"{unit.name}, {label}: {reason}{more}"))
                continue
            changes[key] = change
        if not result.errors:
            _check_reports(cat, planned, changes, subs, existing, status, result, prefills)
        if result.errors:
            result.errors.sort(key=lambda e: e.row)
            result.created = result.updated = result.unchanged = result.ignored = result.submissions_created = 0
            return result
        result.created = sum(len(c.creates) for c in changes.values())
        result.updated = sum(len(c.updates) for c in changes.values())
        missing = [k for k in changes if k not in subs]
        result.submissions_created = len(missing)
        if dry_run or not changes:
            return result
        try:
            with transaction.atomic():  # a savepoint: a report opened meanwhile refuses the file, not a 500
                version_ids = {key: v.pk for key, v in cat._versions.items()}
                _write(user, schedules, unit_of, changes, subs, existing, missing, status, version_ids)
                touched = [subs[k] for k in changes if k in prefills]
                for sub in touched:
                    sub.schedule = schedules[sub.schedule_id]
                autofill.provider().sync_many(touched)
        except IntegrityError:
            result.errors = [
                RowError(
                    0,
                    "Một báo cáo trong tệp vừa được mở trên bảng nhập cùng lúc với lần nhập này; "
                    "chưa có giá trị nào được lưu. Hãy chạy thử rồi nhập lại tệp.",
                )
            ]
            result.created = result.updated = result.unchanged = result.ignored = result.submissions_created = 0
            return result
        first = subs[min(changes, key=str)]
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
                "ignored": result.ignored,
                "submissions_created": result.submissions_created,
                "status": status,
                "strategy": strategy,
                "notation": result.notation,
            },
        )
    return result


def _exceptions(planned: dict[ReportKey, Any], on: dt.date) -> set[ReportKey]:
    """The reports of the file with an open lock exception (one query)."""
    out: set[ReportKey] = set()
    found = LockException.objects.filter(
        schedule_id__in={s for s, _, _ in planned}, period__in={p for _, p, _ in planned}, until__gte=on
    ).values_list("schedule_id", "period", "agency_id", "commune_id")
    for sid, period, agency, commune in found:
        out.add((sid, period, ("a", agency) if agency else ("c", commune)))
    return out


def _final_status(current: str | None, wanted: str) -> str:
    if current is None:
        return wanted
    if _STATUS_RANK[wanted] > _STATUS_RANK[current] or (current == "returned" and wanted != "draft"):
        return wanted
    return current


def _check_reports(
    cat: _Catalogue,
    planned: dict[ReportKey, dict[tuple[str, str], _Planned]],
    changes: dict[ReportKey, _Change],
    subs: dict[ReportKey, Submission],
    existing: dict[int, dict[tuple[str, str], DataValue]],
    status: str,
    result: ImportResult,
    prefills: dict[ReportKey, Any] | None = None,
) -> None:
    """The checks of the grid's "Nộp" on every report the file changes: validation rules and
    unexplained outliers refuse the file; missing required values too when the report ends up
    submitted. Each problem names the row it comes from (or the report's first row)."""
    schedules = {s.pk: s for s in cat.schedules}
    unit_of = {u.key: u for u in cat.units.values()}
    groups: dict[str, list[ReportKey]] = {}
    for key in changes:
        groups.setdefault(key[1], []).append(key)
    for pid, keys in sorted(groups.items()):
        pasts = gate.report_histories([(k[0], k[2]) for k in keys], pid)
        for key in keys:
            sub, cells, change = subs.get(key), planned[key], changes[key]
            spec = cat.spec(schedules[key[0]], unit_of[key[2]], cat.version(schedules[key[0]], pid, sub))
            current = existing.get(sub.pk, {}) if sub else {}
            values = {cell: gate.Stored(v.value, v.text) for cell, v in current.items()}
            comments = {code: v.comment for (code, c), v in current.items() if c == "" and v.comment}
            prefill = (prefills or {}).get(key)
            fixed = prefill.values if prefill is not None else {}
            values.update({cell: gate.Stored(value) for cell, value in fixed.items()})
            for cell, plan in cells.items():
                values[cell] = plan.stored
            comments.update(change.comments)
            checks = gate.check(spec, values, comments, pasts[(key[0], key[2])], fixed=fixed)
            unit = f"{unit_of[key[2]].name}, {P.kind_label(schedules[key[0]].frequency, pid)}"
            first_row = min(p.row.row for p in cells.values())

            for (code, category), messages in checks.errors.items():
                for message in messages:
                    result.errors.append(
                        RowError(
                            _row_of(cells, first_row, code, category),
                            f"{unit}: {message}",
                            f"rule:{code}:{category}:{message}",
                        )
                    )
            for code in sorted(checks.needs_comment):
                element = spec.elements[code]
                reason = next((r for (c, _), r in checks.outliers.items() if c == code), "")
                result.errors.append(
                    RowError(
                        _row_of(cells, first_row, code),
                        f"{unit}: giá trị «{element.name}» khác thường — {reason} "
                        "Cần giải trình: ghi lý do vào cột comment của dòng này (DHIS2: trường comment).",
                        f"outlier:{code}",
                    )
                )
            if checks.missing and _final_status(sub.status if sub else None, status) == Submission.Status.SUBMITTED:
                names = [spec.elements[code].name for code, _ in sorted(checks.missing)]
                shown = "; ".join(names[:5]) + (f"; và {len(names) - 5} chỉ tiêu khác" if len(names) > 5 else "")
                result.errors.append(
                    RowError(
                        first_row,
                        f"{unit}: báo cáo sẽ ở trạng thái «Đã nộp» nhưng còn thiếu "
                        f"{len(names)} chỉ tiêu bắt buộc ({shown}). Nhập đủ, hoặc nhập với trạng thái "
                        "«Đang nhập» (draft) để đơn vị bổ sung.",
                        "missing:" + ",".join(code for code, _ in sorted(checks.missing)),
                    )
                )


def _row_of(cells: dict[tuple[str, str], _Planned], first_row: int, code: str, category: str | None = None) -> int:
    """The file row of a cell (any breakdown of the element when `category` is None), else `first_row`."""
    rows = [p.row.row for (c, cat_), p in cells.items() if c == code and category in (None, cat_)]
    return min(rows) if rows else first_row


def _write(
    user: Any,
    schedules: dict[int, Schedule],
    unit_of: dict[tuple[str, Any], _Unit],
    changes: dict[ReportKey, _Change],
    subs: dict[ReportKey, Submission],
    existing: dict[int, dict[tuple[str, str], DataValue]],
    missing: list[ReportKey],
    status: str,
    version_ids: dict[tuple[int, str], int],
) -> None:
    now = timezone.now()
    submitting = status == Submission.Status.SUBMITTED
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
                submitted_at=now if submitting else None,
                first_submitted_at=now if submitting else None,
                submitted_by=user if submitting else None,
                form_version_id=version_ids.get((sched, pid)),
            )
        )
    Submission.objects.bulk_create(new_subs, batch_size=500)
    for sub in new_subs:
        subs[(sub.schedule_id, sub.period, ("c", sub.commune_id) if sub.commune_id else ("a", sub.agency_id))] = sub
    changed = []
    for key in changes:
        if key in missing:
            continue
        sub = subs[key]
        final = _final_status(sub.status, status)
        if final != sub.status:
            sub.status = final
            if final == Submission.Status.SUBMITTED:
                sub.submitted_at, sub.submitted_by = now, user
                sub.first_submitted_at = sub.first_submitted_at or now
        sub.version += 1
        sub.updated_at = now
        if sub.pending_raw:
            # Cells typed in the grid but not taken: a submitted file replaces them all; a draft
            # import replaces those it writes (the file's value is the one that counts now).
            written = {f"v-{code}-{cat or 'T'}" for (code, cat), _ in changes[key].creates}
            written |= {f"v-{old.element.code}-{old.category or 'T'}" for old, _, _ in changes[key].updates}
            keep = final != Submission.Status.SUBMITTED
            sub.pending_raw = {n: t for n, t in sub.pending_raw.items() if keep and n not in written}
        changed.append(sub)
    Submission.objects.bulk_update(
        changed,
        ["status", "submitted_at", "submitted_by", "first_submitted_at", "version", "updated_at", "pending_raw"],
        batch_size=500,
    )
    creates, updates, history = [], [], []
    for key, change in changes.items():
        sub = subs[key]
        current = existing.get(sub.pk, {}) if key not in missing else {}
        comments = dict(change.comments)
        for (code, category), plan in change.creates:
            creates.append(
                DataValue(
                    submission=sub,
                    element=plan.element,
                    category=category,
                    value=plan.stored.value,
                    text=plan.stored.text,
                    comment=comments.pop(code, "") if category == "" else "",
                    updated_by=user,
                )
            )
            history.append(
                ValueChange(
                    submission=sub,
                    element=plan.element,
                    category=category,
                    old="",
                    new=plan.stored.canonical()[:255],
                    changed_by=user,
                )
            )
        for old, before, plan in change.updates:
            old.value, old.text, old.updated_by, old.updated_at = plan.stored.value, plan.stored.text, user, now
            if old.category == "" and plan.element.code in comments:
                old.comment = comments.pop(plan.element.code)
            updates.append(old)
            history.append(
                ValueChange(
                    submission=sub,
                    element=plan.element,
                    category=old.category,
                    old=before[:255],
                    new=plan.stored.canonical()[:255],
                    changed_by=user,
                )
            )
        for code, comment in comments.items():  # an explanation for an element whose total is not in the file
            total = current.get((code, ""))
            if total is not None:
                total.comment, total.updated_by, total.updated_at = comment, user, now
                updates.append(total)
            else:
                creates.append(
                    DataValue(
                        submission=sub, element=change.explained[code], category="", comment=comment, updated_by=user
                    )
                )
    DataValue.objects.bulk_create(creates, batch_size=2000)
    DataValue.objects.bulk_update(updates, ["value", "text", "comment", "updated_by", "updated_at"], batch_size=2000)
    ValueChange.objects.bulk_create(history, batch_size=2000)


def format_value(number: Decimal | None) -> str:
    """Machine format: 12, 12.5 (no thousands separator)."""
    return vn.format_number(number, notation=NOTATION)


# ---- export --------------------------------------------------------------------------------


def export_values(
    *,
    user: Any,
    form: Any = None,
    period: str = "",
    province: str = "",
    include_submitted: bool = False,
    kind: str = "",
) -> Iterator[dict[str, str]]:
    """The values the user may see, as exchange rows (approved only unless `include_submitted`),
    of one report kind when `kind` is given; a row whose kind is not the one its period id names
    (a one-off report) carries it in `kind`.

    A unit's count of people reaches a user who does not review the province (a leader) as on the
    consolidated pages: "<5" or "x" (`reporting.services.suppression.UnitMasks`)."""
    from core.suppression import PEOPLE_UNIT
    from reporting.services.suppression import UnitMasks

    masks = UnitMasks(user, include_submitted=include_submitted)
    subs = Submission.objects.for_user(user).filter(
        status__in=["approved", "submitted"] if include_submitted else ["approved"]
    )
    if form is not None:
        subs = subs.filter(schedule__form=form)
    if period:
        subs = subs.filter(period=period)
    if kind:
        subs = subs.filter(kind=kind)
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
            "comment",
            "submission__kind",
            "element__unit",
            "submission__schedule__form_id",
            "submission__agency_id",
        )
        .order_by("submission__province_id", "submission__period", "submission_id", "element__code", "category")
    )
    for (
        code,
        pid,
        commune,
        prov,
        agency,
        category,
        value,
        text,
        kind,
        comment,
        report_kind,
        unit,
        form_id,
        agency_id,
    ) in qs.iterator(chunk_size=5000):
        if value is None and not text:
            continue
        if kind == DataElement.ValueType.BOOLEAN and value is not None:
            shown = "true" if value else "false"
        else:
            shown = format_value(value) if value is not None else text
        if unit == PEOPLE_UNIT and value is not None:
            masked = masks.shown(
                form_id=form_id,
                province=prov,
                period=pid,
                kind=report_kind,
                unit=str(commune or agency_id),
                code=code,
                category=category,
            )
            shown = masked or shown
        row = {
            "dataElement": code,
            "period": pid,
            "orgUnit": commune or f"{prov}:{agency}",
            "categoryOptionCombo": category or DEFAULT_COC,
            "value": shown,
        }
        if comment:
            row["comment"] = comment
        if report_kind != _natural_kind(pid):
            row["kind"] = report_kind  # a one-off report: its period id is also the annual report's
        yield row


def _natural_kind(period_id: str) -> str:
    try:
        return parse(period_id).frequency
    except PeriodError:
        return ""


def to_csv_lines(rows: Iterable[dict[str, str]]) -> Iterator[str]:
    return csv_lines(COLUMNS, ([row.get(c, "") for c in COLUMNS] for row in rows))


def to_csv(rows: Iterable[dict[str, str]]) -> str:
    return "".join(to_csv_lines(rows))


def to_json(rows: Iterable[dict[str, str]]) -> dict[str, Any]:
    return {"dataValues": list(rows)}
