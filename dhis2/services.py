"""`dataValueSets` in and out as DHIS2 writes them, through PCMT's one gate.

Out: values the user may see (approved, or submitted too), each with dataElement, period, orgUnit,
categoryOptionCombo, attributeOptionCombo, value, storedBy, created, lastUpdated, comment and
followup, identified by the chosen id scheme (UID, CODE or NAME; per object with
`dataElementIdScheme`, `orgUnitIdScheme`, `categoryOptionComboIdScheme`); JSON or DHIS2's CSV layout.
In: the same, translated to PCMT's codes and passed to `reporting.services.exchange.import_values`
— the same checker per value type, rules, outlier checks, windows and locks as the entry grid.
The answer is DHIS2's import summary (status, importCount imported/updated/ignored/deleted,
conflicts with object and value). PCMT's all-or-nothing rule is the default (`atomicMode=ALL`);
`atomicMode=NONE` imports the valid values and lists the refused ones, as DHIS2 does.

A value set with a `completeDate` leaves its reports "submitted" (DHIS2's complete registration);
without one, "draft". A one-off report is told apart from the annual report of the same year by
the attribute option combination `ONCE` (DHIS2 keeps such values apart the same way).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from core.spreadsheet import csv_lines
from dhis2.metadata import ONCE, Catalogue, Obj
from dhis2.uids import DEFAULT_COC
from reporting.services import exchange

if TYPE_CHECKING:
    from accounts.models import User
    from geo.models import Province
    from reporting.models import Form

SCHEMES = ("UID", "CODE", "NAME")
OBJECT_SCHEMES = {
    "dataElementIdScheme": "dataElement",
    "orgUnitIdScheme": "orgUnit",
    "categoryOptionComboIdScheme": "categoryOptionCombo",
    "attributeOptionComboIdScheme": "attributeOptionCombo",
}
CSV_HEADER = [
    "dataelement",
    "period",
    "orgunit",
    "catoptcombo",
    "attroptcombo",
    "value",
    "storedby",
    "lastupdated",
    "comment",
    "followup",
]
_VALUE_KEYS = {
    "dataElement",
    "period",
    "orgUnit",
    "categoryOptionCombo",
    "attributeOptionCombo",
    "value",
    "storedBy",
    "created",
    "lastUpdated",
    "comment",
    "followup",
    "deleted",
}
_TOP_KEYS = {"dataSet", "completeDate", "period", "orgUnit", "attributeOptionCombo", "dataValues"}
LANGUAGE_NOTE = "Thông báo bằng tiếng Việt; mã lỗi theo DHIS2 khi có."


@dataclass
class Options:
    """DHIS2's import/export parameters, checked (refusals in Vietnamese, never ignored)."""

    schemes: dict[str, str] = field(default_factory=lambda: dict.fromkeys(OBJECT_SCHEMES.values(), "UID"))
    dry_run: bool = False
    strategy: str = "CREATE_AND_UPDATE"
    atomic: bool = True
    status: str = ""  # "" = from completeDate
    foreign: bool = False  # export with the uids of the province's DHIS2 (dhis2.mapping)
    problems: list[str] = field(default_factory=list)

    def as_dhis2(self) -> dict[str, Any]:
        return {
            "idSchemes": {f"{k}IdScheme": v for k, v in self.schemes.items()},
            "dryRun": self.dry_run,
            "importStrategy": self.strategy,
            "atomicMode": "ALL" if self.atomic else "NONE",
        }


def options(params: dict[str, str], *, default_scheme: str = "UID") -> Options:
    opts = Options(schemes=dict.fromkeys(OBJECT_SCHEMES.values(), default_scheme))
    rest = {}
    scheme = (params.get("idScheme") or "").strip().upper()
    if scheme:
        if scheme not in SCHEMES:
            opts.problems.append(f"idScheme «{scheme}» không hợp lệ (UID, CODE, NAME).")
        else:
            opts.schemes = dict.fromkeys(OBJECT_SCHEMES.values(), scheme)
    for name, raw in params.items():
        value = (raw or "").strip()
        if name == "idScheme":
            continue
        if name in OBJECT_SCHEMES:
            if value.upper() not in SCHEMES:
                opts.problems.append(f"{name} «{value}» không hợp lệ (UID, CODE, NAME).")
            else:
                opts.schemes[OBJECT_SCHEMES[name]] = value.upper()
        elif name == "atomicMode":
            if value.upper() not in ("ALL", "NONE"):
                opts.problems.append(
                    f"atomicMode «{value}» không hợp lệ (ALL: tất cả hoặc không; NONE: nhập phần hợp lệ)."
                )
            else:
                opts.atomic = value.upper() == "ALL"
        elif name in ("async", "skipAudit", "preheatCache") and value.lower() in ("false", ""):
            continue  # DHIS2's defaults, nothing to do
        else:
            rest[name] = value
    checked, problems = exchange.check_parameters(rest)
    opts.problems += problems
    opts.dry_run, opts.strategy = checked["dry_run"], checked["strategy"]
    if "status" in rest:
        opts.status = checked["status"]
    return opts


# ---- export --------------------------------------------------------------------------------


def _shown(catalogue: Catalogue, kind: str, code: str, scheme: str) -> str:
    if scheme == "CODE":
        return code
    if scheme == "UID" and code in catalogue.foreign_of.get(kind, {}):
        return catalogue.foreign_of[kind][code]
    obj = catalogue.resolve(kind, code, "CODE")
    if obj is None:
        return code
    return obj.uid if scheme == "UID" else obj.name


def export_value_set(
    *,
    user: User,
    form: Form | None = None,
    period: str = "",
    province: Province | None = None,
    include_submitted: bool = False,
    opts: Options | None = None,
    catalogue: Catalogue | None = None,
) -> Iterator[dict[str, Any]]:
    """Each value the user may see, as a DHIS2 data value (dict), in the chosen id schemes
    (`catalogue`: the province's, when the caller has already read it)."""
    from core.suppression import PEOPLE_UNIT
    from reporting.models import DataElement, DataValue, Submission
    from reporting.services.suppression import UnitMasks

    masks = UnitMasks(user, include_submitted=include_submitted)  # a leader: small counts of people masked
    opts = opts or Options()
    catalogue = catalogue or Catalogue(province)
    if opts.foreign and province is not None:
        from dhis2.mapping import foreign_ids

        catalogue.use_foreign(foreign_ids({province.pk}))
    subs = Submission.objects.for_user(user).filter(
        status__in=["approved", "submitted"] if include_submitted else ["approved"]
    )
    if form is not None:
        subs = subs.filter(schedule__form=form)
    if period:
        subs = subs.filter(period=period)
    if province is not None:
        subs = subs.filter(province=province)
    qs = (
        DataValue.objects.filter(submission__in=subs)
        .values_list(
            "element__code",
            "element__value_type",
            "category",
            "value",
            "text",
            "comment",
            "updated_at",
            "updated_by__username",
            "submission__period",
            "submission__kind",
            "submission__commune_id",
            "submission__province_id",
            "submission__agency__code",
            "submission__created_at",
            "element__unit",
            "submission__schedule__form_id",
            "submission__agency_id",
        )
        .order_by("submission__province_id", "submission__period", "submission_id", "element__code", "category")
    )
    s = opts.schemes
    aoc_once = _shown(catalogue, "attributeOptionCombo", ONCE, s["attributeOptionCombo"])
    for (
        code,
        vtype,
        category,
        value,
        text,
        comment,
        updated,
        by,
        pid,
        kind,
        commune,
        prov,
        agency,
        created,
        unit,
        form_id,
        agency_id,
    ) in qs.iterator(chunk_size=5000):
        if value is None and not text:
            continue
        if vtype == DataElement.ValueType.BOOLEAN and value is not None:
            shown = "true" if value else "false"
        else:
            shown = exchange.format_value(value) if value is not None else text
        if unit == PEOPLE_UNIT and value is not None:
            masked = masks.shown(
                form_id=form_id,
                province=prov,
                period=pid,
                kind=kind,
                unit=str(commune or agency_id),
                code=code,
                category=category,
            )
            shown = masked or shown
        coc = category or "default"
        yield {
            "dataElement": _shown(
                catalogue, "dataElement", catalogue.data_element_code(code, category), s["dataElement"]
            ),
            "period": pid,
            "orgUnit": _shown(catalogue, "orgUnit", Catalogue.org_unit_code(commune, prov, agency), s["orgUnit"]),
            "categoryOptionCombo": _shown(catalogue, "categoryOptionCombo", coc, s["categoryOptionCombo"]),
            "attributeOptionCombo": aoc_once if kind == "once" else _default(s["attributeOptionCombo"]),
            "value": shown,
            "storedBy": by or "",
            "created": created.isoformat(timespec="seconds"),
            "lastUpdated": updated.isoformat(timespec="seconds"),
            "comment": comment,
            "followup": False,
        }


def _default(scheme: str) -> str:
    return DEFAULT_COC if scheme == "UID" else "default"


def to_json(values: Iterator[dict[str, Any]], *, data_set: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"dataSet": data_set} if data_set else {}
    out["dataValues"] = list(values)
    return out


def to_csv_lines(values: Iterator[dict[str, Any]]) -> Iterator[str]:
    """DHIS2's CSV layout (the columns of its data value CSV import)."""
    keys = ["dataElement", "period", "orgUnit", "categoryOptionCombo", "attributeOptionCombo", "value", "storedBy"]
    return csv_lines(
        CSV_HEADER,
        ([v[k] for k in keys] + [v["lastUpdated"], v["comment"], "true" if v["followup"] else "false"] for v in values),
    )


# ---- import --------------------------------------------------------------------------------


@dataclass
class Conflict:
    object: str
    value: str
    index: int | None = None  # 0-based position of the value in the set

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"object": self.object, "value": self.value}
        if self.index is not None:
            out["indexes"] = [self.index]
        return out


def read_value_set(
    data: bytes | dict[str, Any], content_type: str = ""
) -> tuple[list[dict[str, str]], dict[str, str], list[Conflict]]:
    """(values with the set's defaults applied, the set's top-level fields, problems)."""
    if isinstance(data, dict):
        doc: Any = data
    elif content_type.startswith("text/csv") or (data.lstrip()[:1] not in (b"{", b"[")):
        return _read_csv(data)
    else:
        try:
            doc = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return [], {}, [Conflict("dataValueSet", f"Tệp JSON không đọc được: {exc}.")]
    if not isinstance(doc, dict) or not isinstance(doc.get("dataValues"), list):
        return [], {}, [Conflict("dataValueSet", "Cần một đối tượng JSON có mảng «dataValues».")]
    unknown = sorted(set(doc) - _TOP_KEYS)
    if unknown:
        return [], {}, [Conflict("dataValueSet", f"Trường không được hỗ trợ: {', '.join(unknown)}.")]
    top = {k: str(doc.get(k) or "") for k in ("dataSet", "completeDate", "period", "orgUnit", "attributeOptionCombo")}
    values, problems = [], []
    for i, item in enumerate(doc["dataValues"]):
        if not isinstance(item, dict):
            problems.append(Conflict("dataValue", "Mỗi phần tử của dataValues phải là một đối tượng.", i))
            continue
        extra = sorted(set(item) - _VALUE_KEYS)
        if extra:
            problems.append(Conflict("dataValue", f"Trường không được hỗ trợ: {', '.join(extra)}.", i))
            continue
        v = {k: "" if item.get(k) is None else _text(item.get(k)) for k in _VALUE_KEYS}
        for k in ("period", "orgUnit", "attributeOptionCombo"):
            v[k] = v[k] or top[k]
        values.append(v)
    return values, top, problems


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _read_csv(data: bytes) -> tuple[list[dict[str, str]], dict[str, str], list[Conflict]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], {}, [Conflict("dataValueSet", "Tệp CSV phải mã hóa UTF-8.")]
    reader = csv.reader(io.StringIO(text))
    rows = [r for r in reader if any(c.strip() for c in r)]
    if not rows:
        return [], {}, [Conflict("dataValueSet", "Tệp CSV trống.")]
    header = [h.strip().lower() for h in rows[0]]
    has_header = "dataelement" in header
    columns = header if has_header else CSV_HEADER
    names = {
        "dataelement": "dataElement",
        "period": "period",
        "orgunit": "orgUnit",
        "catoptcombo": "categoryOptionCombo",
        "categoryoptioncombo": "categoryOptionCombo",
        "attroptcombo": "attributeOptionCombo",
        "attributeoptioncombo": "attributeOptionCombo",
        "value": "value",
        "storedby": "storedBy",
        "lastupdated": "lastUpdated",
        "created": "created",
        "comment": "comment",
        "followup": "followup",
        "deleted": "deleted",
    }
    unknown = [c for c in columns if c not in names]
    if unknown:
        return [], {}, [Conflict("dataValueSet", f"Cột không được hỗ trợ: {', '.join(unknown)}.")]
    values = []
    for row in rows[1:] if has_header else rows:
        v = dict.fromkeys(_VALUE_KEYS, "")
        for name, cell in zip(columns, row, strict=False):
            v[names[name]] = cell.strip()
        values.append(v)
    return values, dict.fromkeys(("dataSet", "completeDate", "period", "orgUnit", "attributeOptionCombo"), ""), []


def _resolve(catalogue: Catalogue, kind: str, value: str, scheme: str) -> Obj | None:
    obj = catalogue.resolve(kind, value, scheme)
    if (
        obj is None
        and kind in ("categoryOptionCombo", "attributeOptionCombo")
        and value in ("", "default", DEFAULT_COC)
    ):
        return Obj(kind, DEFAULT_COC, "default", "default")
    return obj


def to_exchange_rows(
    values: list[dict[str, str]], opts: Options, catalogue: Catalogue
) -> tuple[list[exchange.ExchangeRow], list[Conflict]]:
    """DHIS2 values → PCMT's exchange rows (element code, breakdown, unit code, kind)."""
    rows, conflicts = [], []
    s = opts.schemes
    for i, v in enumerate(values):
        if v.get("deleted", "").lower() == "true":
            conflicts.append(Conflict(v["dataElement"], "PCMT không xóa số liệu qua tệp nhập (deleted=true).", i))
            continue
        de = _resolve(catalogue, "dataElement", v["dataElement"], s["dataElement"])
        ou = _resolve(catalogue, "orgUnit", v["orgUnit"], s["orgUnit"])
        coc = _resolve(catalogue, "categoryOptionCombo", v["categoryOptionCombo"], s["categoryOptionCombo"])
        aoc = _resolve(catalogue, "attributeOptionCombo", v["attributeOptionCombo"], s["attributeOptionCombo"])
        missing = [
            (label, v[key], s[kind])
            for label, key, kind, obj in (
                ("chỉ tiêu (dataElement)", "dataElement", "dataElement", de),
                ("đơn vị (orgUnit)", "orgUnit", "orgUnit", ou),
                ("phân tổ (categoryOptionCombo)", "categoryOptionCombo", "categoryOptionCombo", coc),
                ("attributeOptionCombo", "attributeOptionCombo", "attributeOptionCombo", aoc),
            )
            if obj is None
        ]
        if missing:
            for label, value, scheme in missing:
                conflicts.append(Conflict(value, f"Không tìm thấy {label} «{value}» theo {scheme}.", i))
            continue
        assert de is not None and ou is not None and coc is not None and aoc is not None
        pair = catalogue.to_pcmt(de.code, coc.code)
        if pair is None:
            conflicts.append(
                Conflict(v["categoryOptionCombo"], f"Phân tổ «{coc.name}» không thuộc chỉ tiêu «{de.name}».", i)
            )
            continue
        element, category = pair
        rows.append(
            exchange.ExchangeRow(
                row=i + 1,
                data_element=element,
                period=v["period"],
                org_unit=ou.code,
                coc=category or exchange.DEFAULT_COC,
                value=v["value"],
                comment=v.get("comment", ""),
                kind="once" if aoc.code == ONCE else "",
            )
        )
    return rows, conflicts


@dataclass
class Summary:
    """DHIS2's ImportSummary."""

    opts: Options
    imported: int = 0
    updated: int = 0
    ignored: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    complete: str = ""
    committed: bool = False

    @property
    def status(self) -> str:
        if self.conflicts and not self.committed:
            return "ERROR"
        return "WARNING" if self.conflicts else "SUCCESS"

    def as_dict(self) -> dict[str, Any]:
        if self.status == "ERROR":
            description = (
                "Không nhập giá trị nào: tệp có lỗi (PCMT nhập tất cả hoặc không; atomicMode=NONE để nhập phần hợp lệ)."
            )
        elif self.opts.dry_run:
            description = "Chạy thử (dryRun=true): không ghi gì."
        else:
            description = (
                "Đã nhập." if not self.conflicts else "Đã nhập phần hợp lệ; các giá trị bị từ chối được liệt kê."
            )
        return {
            "responseType": "ImportSummary",
            "status": self.status,
            "importOptions": self.opts.as_dhis2(),
            "description": f"{description} {LANGUAGE_NOTE}",
            "importCount": {
                "imported": self.imported,
                "updated": self.updated,
                "ignored": self.ignored,
                "deleted": 0,
            },
            "conflicts": [c.as_dict() for c in self.conflicts],
            "dataSetComplete": self.complete or "false",
        }


def import_value_set(
    *,
    acting_user: User,
    data: bytes | dict[str, Any],
    content_type: str = "",
    opts: Options,
    on: dt.date | None = None,
) -> Summary:
    """Import a data value set; `on`: the day entry windows are judged on (today by default)."""
    summary = Summary(opts)
    if opts.problems:
        summary.conflicts = [Conflict("importOptions", p) for p in opts.problems]
        return summary
    values, top, problems = read_value_set(data, content_type)
    summary.complete = top.get("completeDate", "")
    catalogue = Catalogue(None)
    from dhis2.mapping import foreign_ids

    catalogue.use_foreign(foreign_ids(exchange.import_provinces(acting_user)))
    rows, conflicts = to_exchange_rows(values, opts, catalogue)
    conflicts = problems + conflicts
    status = opts.status or ("submitted" if summary.complete else "draft")
    by_row = {r.row: values[r.row - 1] for r in rows}
    if conflicts and opts.atomic:
        summary.conflicts = conflicts
        summary.ignored = len(values)
        return summary
    for _ in range(3):  # partial mode: drop refused rows; a rule across rows may refuse another
        result = exchange.import_values(
            acting_user=acting_user,
            rows=rows,
            status=status,
            dry_run=True if (not opts.atomic) else opts.dry_run,
            strategy=opts.strategy,
            on=on,
        )
        refused = [e for e in result.errors]
        if not refused:
            break
        if opts.atomic or any(e.row == 0 for e in refused):
            summary.conflicts = conflicts + [_conflict(e, by_row) for e in refused]
            summary.ignored = len(values)
            return summary
        conflicts += [_conflict(e, by_row) for e in refused]
        bad = {e.row for e in refused}
        rows = [r for r in rows if r.row not in bad]
        if not rows:
            summary.conflicts, summary.ignored = conflicts, len(values)
            return summary
    else:
        summary.conflicts, summary.ignored = conflicts, len(values)
        return summary
    if not opts.atomic and not opts.dry_run:
        result = exchange.import_values(
            acting_user=acting_user, rows=rows, status=status, dry_run=False, strategy=opts.strategy, on=on
        )
        if result.errors:
            summary.conflicts = conflicts + [_conflict(e, by_row) for e in result.errors]
            summary.ignored = len(values)
            return summary
    summary.committed = not opts.dry_run
    summary.imported, summary.updated = result.created, result.updated
    summary.ignored = result.ignored + result.unchanged + (len(values) - len(rows))
    summary.conflicts = conflicts
    return summary


def _conflict(error: exchange.RowError, by_row: dict[int, dict[str, str]]) -> Conflict:
    value = by_row.get(error.row)
    return Conflict(
        value["dataElement"] if value else "dataValueSet", error.message, error.row - 1 if error.row else None
    )
