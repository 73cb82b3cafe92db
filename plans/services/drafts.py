"""The plan-import draft and its pure edit operations (no database).

The draft is `PlanImport.data`: the extractor's ``plan-extract/1`` dict plus review state.

- ``block["slots"]``: ``[{"printed": str, "agency_id": int | None}]``, the block's agencies resolved
  against the province's catalogue (``None``: not resolved yet);
- ``block["skip"]``: the officer decided not to import this block;
- ``task["agency_id"]``: an explicitly chosen lead agency (see `planned_tasks`);
- ``task["recurrence"]``: a `Recurrence` value;
- ``task["units"]``: ``{"agencies": [int], "communes": [str]}`` when the task is given to that list
  of units, each tracked on its own (pre-filled where several agencies lead one point), else absent;
- ``reporting[i]["to_agency_id"]``: the receiving agency in the catalogue, when known;
- ``data["review"]``: ``{"duplicate_ack": bool}``.

The edit operations (`set_meta`, `set_block`, `set_task`, `add_task`, `delete_task`, `split_task`,
`merge_task`, `add_block`, `set_target`, …) take the dict, the raw strings the officer typed and
the province's `Catalogue`; they either change the dict or raise `EditError` with a Vietnamese
message per field and change nothing. `plans.services.imports` runs them on stored drafts under
optimistic locking and turns a reviewed draft into a plan.
"""

from __future__ import annotations

import copy
import datetime
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from agencies.catalogue import LEGACY_SUCCESSORS, Kind
from agencies.matching import AgencyMatcher, normalize
from core import vn
from plans.models import PlanImport, Recurrence, ReportingDuty

ROLES = {"lead": "Chủ trì", "perform": "Thực hiện", "cooperate": "Phối hợp"}
COMPARATORS = {
    ">=": "ít nhất (≥)",
    ">": "trên (>)",
    "<=": "tối đa (≤)",
    "<": "dưới (<)",
    "=": "đạt (=)",
    "increase": "tăng so với năm trước",
    "decrease": "giảm so với năm trước",
}
FREQUENCIES = dict(ReportingDuty.Frequency.choices)
RECURRENCES = dict(Recurrence.choices)
QUARTER_RULE = "{} of last month of quarter"
MAX_CONDITION = 500


# --- errors ----------------------------------------------------------------------------------


class EditError(Exception):
    """Invalid input for an edit: ``errors`` maps a field name (or ``"general"``) to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class StaleDraft(Exception):
    """The draft changed since the page was loaded (another tab or officer saved first)."""

    message = (
        "Bản nhập vừa được thay đổi ở nơi khác (một thẻ trình duyệt khác hoặc cán bộ khác), "
        "nên thay đổi này chưa được lưu. Hãy tải lại trang để xem bản mới nhất rồi sửa tiếp."
    )


class DraftClosed(Exception):
    """The draft was confirmed or discarded: it can no longer be edited."""

    def __init__(self, draft: PlanImport) -> None:
        self.message = f"Bản nhập này đã ở trạng thái «{draft.get_status_display()}», không sửa được nữa."
        super().__init__(self.message)


class ConfirmError(Exception):
    """The draft cannot be confirmed yet: ``problems`` says why, in Vietnamese."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


# --- parsing and formatting what officers type ------------------------------------------------

_DAY_MONTH = re.compile(r"^(\d{1,2})[/.-](\d{1,2})$")


def parse_vn_date(raw: str | None) -> str | None:
    """ "30/06/2026" → "2026-06-30" (the draft stores ISO text); "" → None; else `core.vn.DateError`."""
    day = vn.parse_date(raw)
    return day.isoformat() if day else None


def format_date(iso: str | None) -> str:
    """ "2026-06-30" → "30/06/2026" (what users read and type); text that is not an ISO date is kept."""
    try:
        return vn.format_date(iso)
    except vn.DateError:
        return str(iso)


def parse_year(raw: str | None) -> int | None:
    text = (raw or "").strip()
    if not text:
        return None
    if not re.fullmatch(r"\d{4}", text) or not 1990 <= int(text) <= 2100:
        raise ValueError(f"«{text}» không phải năm hợp lệ (4 chữ số, ví dụ 2030).")
    return int(text)


def parse_number(raw: str | None) -> int | float | None:
    """A number as Vietnamese write it (`core.vn`: "50", "12,5", "1.234", "80%"), as JSON keeps it; else NumberError."""
    value = vn.parse_number(raw)
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def parse_projects(raw: str | None, valid: Iterable[str]) -> list[str]:
    """ "DA1, da7.2" → ["DA1", "DA7.2"], checked against the programme's project codes."""
    codes = {c.upper(): c for c in valid}
    out: list[str] = []
    bad: list[str] = []
    for token in re.split(r"[,;\s]+", (raw or "").strip()):
        if not token:
            continue
        code = codes.get(token.upper())
        if code is None:
            bad.append(token)
        elif code not in out:
            out.append(code)
    if bad:
        listed = ", ".join(f"«{b}»" for b in bad)
        raise ValueError(f"Không có dự án {listed} trong Chương trình. Mã hợp lệ: DA1…DA9, DA3.1, DA7.2, …")
    return out


def parse_due(frequency: str, raw: str | None) -> str | None:
    """What the officer types as a reporting deadline, in the stored rule form.

    One-off, midterm and final reports: a date (dd/mm/yyyy). Semiannual and annual: a day of the
    year (dd/mm → "--MM-DD"). Quarterly: the day of the quarter's last month (15 → "15 of last month
    of quarter").
    """
    text = (raw or "").strip()
    if not text:
        return None
    if frequency in ("semiannual", "annual"):
        m = _DAY_MONTH.match(text) or re.fullmatch(r"--(\d{2})-(\d{2})", text)
        if m and text.startswith("--"):
            month, day = int(m.group(1)), int(m.group(2))
        elif m:
            day, month = int(m.group(1)), int(m.group(2))
        else:
            raise ValueError(f"«{text}»: báo cáo định kỳ nhập ngày trong năm theo dạng dd/mm, ví dụ 15/06.")
        try:
            datetime.date(2000, month, day)
        except ValueError:
            raise ValueError(f"Ngày {text} không tồn tại.") from None
        return f"--{month:02d}-{day:02d}"
    if frequency == "quarterly":
        m = re.fullmatch(r"(?:ngày\s*)?(\d{1,2})(?: of last month of quarter)?", text, flags=re.IGNORECASE)
        if not m or not 1 <= int(m.group(1)) <= 31:
            raise ValueError(f"«{text}»: báo cáo quý nhập ngày của tháng cuối quý (1–31), ví dụ 15.")
        return QUARTER_RULE.format(int(m.group(1)))
    return parse_vn_date(text)


def format_due(frequency: str, due: str | None) -> str:
    """The stored deadline rule as the officer types it (the inverse of `parse_due`)."""
    if not due:
        return ""
    m = re.fullmatch(r"(\d{1,2}) of last month of quarter", due)
    if m:
        return m.group(1)
    m = re.fullmatch(r"--(\d{2})-(\d{2})", due)
    if m:
        return f"{m.group(2)}/{m.group(1)}"
    return format_date(due) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", due) else due


def describe_due(frequency: str, due: str | None) -> str:
    """The deadline rule in words: "ngày 15 tháng cuối quý", "15/06 hằng năm", "03/07/2024"."""
    shown = format_due(frequency, due)
    if not shown:
        return "chưa nêu hạn"
    if frequency == "quarterly":
        return f"ngày {shown} tháng cuối quý"
    if frequency in ("semiannual", "annual"):
        return f"ngày {shown} hằng năm"
    return shown


_RECURRENCE_WORDS = (
    ("quarterly", ("hằng quý", "hàng quý")),
    ("monthly", ("hằng tháng", "hàng tháng")),
    ("annual", ("hằng năm", "hàng năm")),
    ("continuous", ("thường xuyên",)),
)


def detect_recurrence(text: str) -> str:
    """The recurrence a task's text states ("hằng quý", "hằng năm", "thường xuyên"), else ""."""
    lowered = (text or "").lower()
    for value, words in _RECURRENCE_WORDS:
        if any(w in lowered for w in words):
            return value
    return ""


# --- the province's agency catalogue ----------------------------------------------------------


@dataclass(frozen=True)
class CatalogueAgency:
    id: int
    code: str
    name: str
    kind: str
    legacy: bool = False


_PARTNERS = re.compile(r"ph[ốo]i\s+h[ợo]p\s+(?:với|cùng)\s+", re.IGNORECASE)


class Catalogue:
    """The province's active agencies and a matcher over their names and aliases (no database).

    ``rows``: objects with ``id`` (or ``pk``), ``code``, ``name``, ``aliases``, ``kind``, ``legacy``.
    """

    def __init__(
        self,
        rows: Iterable[Any],
        communes: Iterable[tuple[str, str, str]] | Callable[[], Iterable[tuple[str, str, str]]] = (),
    ) -> None:
        """``communes``: (code, name, short name) of the province's communes, or a function giving
        them (read only when a list of units names communes)."""
        rows = list(rows)
        self._communes_from = communes
        self._communes: dict[str, str] | None = None
        self._commune_keys: dict[str, str | None] = {}
        self.agencies: dict[int, CatalogueAgency] = {}
        self._by_code: dict[str, int] = {}
        for r in rows:
            pk = int(getattr(r, "id", None) or r.pk)
            self.agencies[pk] = CatalogueAgency(
                pk, r.code, r.name, getattr(r, "kind", ""), bool(getattr(r, "legacy", False))
            )
            self._by_code[r.code] = pk
        self.matcher = AgencyMatcher(rows)

    @classmethod
    def for_province(cls, province_id: str) -> Catalogue:
        from agencies.models import Agency
        from geo.models import Commune

        communes = Commune.objects.filter(province_id=province_id).values_list("code", "name", "short_name")
        return cls(Agency.objects.filter(province_id=province_id, is_active=True), lambda: list(communes))

    @property
    def communes(self) -> dict[str, str]:
        """The province's communes: code → name."""
        if self._communes is None:
            source = self._communes_from
            self._communes = {}
            for code, name, short in source() if callable(source) else source:
                self._communes[code] = name
                self._commune_keys[normalize(name)] = code
                key = normalize(short)  # the bare name, when no other commune shares it
                self._commune_keys[key] = None if self._commune_keys.get(key, code) != code else code
        return self._communes

    def commune(self, printed: str) -> str | None:
        """The code of the commune a name designates ("UBND xã Ea Tam", "xã Ea Tam", "Ea Tam" when
        unambiguous)."""
        if not self.communes:  # read on first use
            return None
        key = re.sub(r"^(?:ubnd|uy ban nhan dan)\s+", "", normalize(printed))
        return self._commune_keys.get(key)

    def commune_group(self) -> int | None:
        """The province's "UBND cấp xã" (the lead of tasks given to communes)."""
        return next((a.id for a in self.agencies.values() if a.kind == Kind.COMMUNE_GROUP), None)

    def unit_name(self, agency_id: int | None = None, commune: str | None = None) -> str:
        return self.communes.get(commune or "", "") if commune else self.name(agency_id)

    def is_member(self, agency_id: int | None) -> bool:
        """An agency that can hold a share of a task (not a group such as "Các sở, ban, ngành")."""
        agency = self.agencies.get(agency_id) if agency_id is not None else None
        return agency is not None and agency.kind not in (Kind.GROUP, Kind.COMMUNE_GROUP, "")

    def parse_units(self, raw: Any) -> dict[str, list[Any]]:
        """The units an officer listed ("Sở Y tế; Công an tỉnh; xã Ea Tam", one per line or
        separated by ";"; a part of names separated by commas is read name by name when it is not
        one name), or ValueError naming what is not a commune or agency of the province."""
        agencies: list[int] = []
        communes: list[str] = []
        unknown: list[str] = []
        for part in re.split(r"[;\n]+", str(raw or "")):
            part = part.strip(" ,.\t\r")
            if not part:
                continue
            found = self._unit(part)
            names = [part] if found else [p.strip() for p in part.split(",") if p.strip()]
            pieces = [u for u in ([found] if found else map(self._unit, names)) if u is not None]
            if len(pieces) != len(names):
                unknown.append(part)
                continue
            for kind, value in pieces:
                target: list[Any] = communes if kind == "commune" else agencies
                if value not in target:
                    target.append(value)
        if unknown:
            raise ValueError("Không tìm thấy trong danh mục của tỉnh: " + "; ".join(f"«{u}»" for u in unknown) + ".")
        return {"agencies": agencies, "communes": communes}

    def _unit(self, printed: str) -> tuple[str, Any] | None:
        code = self.commune(printed)
        if code:
            return "commune", code
        agency = self.resolve(printed)
        if agency is not None and self.is_member(agency):
            return "agency", agency
        return None

    def name(self, agency_id: int | None) -> str:
        agency = self.agencies.get(agency_id) if agency_id is not None else None
        return agency.name if agency else ""

    def resolve(self, printed: str) -> int | None:
        hit = self.matcher.match(printed)
        return self._by_code.get(hit.code) if hit and hit.code else None

    def suggest(self, printed: str, limit: int = 5) -> list[int]:
        out = []
        for m in self.matcher.suggest(printed, limit=limit):
            pk = self._by_code.get(m.code or "")
            if pk is not None and pk not in out:
                out.append(pk)
        return out

    def partners(self, text: str) -> list[int]:
        """Agencies the text names after "phối hợp với" (in order; each only once)."""
        out: list[int] = []
        for m in _PARTNERS.finditer(text or ""):
            parsed = self.matcher.parse_list(text, start=m.end())
            for item in parsed.items if parsed else []:
                pk = self._by_code.get(item.code or "")
                if pk is not None and pk not in out:
                    out.append(pk)
        return out

    def successor(self, agency_id: int | None) -> int | None:
        """The current body that took over a legacy one (2025 reforms), if it is in the catalogue."""
        agency = self.agencies.get(agency_id) if agency_id is not None else None
        if agency is None or not agency.legacy:
            return None
        return self._by_code.get(LEGACY_SUCCESSORS.get(agency.code, ""))

    def agency_id(self, raw: Any) -> int | None:
        """A posted agency id, checked against the catalogue ("" → None); ValueError otherwise."""
        text = str(raw if raw is not None else "").strip()
        if not text:
            return None
        if not text.isdigit() or int(text) not in self.agencies:
            raise ValueError("Cơ quan đã chọn không có trong danh mục của tỉnh.")
        return int(text)


# --- preparing a draft from an extraction -----------------------------------------------------


def prepare_draft(extraction: dict[str, Any], catalogue: Catalogue) -> dict[str, Any]:
    """The extractor's dict with the review state added (agencies resolved, leads pre-filled)."""
    data = copy.deepcopy(extraction)
    data.setdefault("meta", {})
    for key in ("basis", "targets", "assignments", "reporting"):
        data[key] = list(data.get(key) or [])
    data["review"] = {"duplicate_ack": False}
    for block in data["assignments"]:
        block["skip"] = False
        block["slots"] = [_slot(n, catalogue) for n in block.get("agencies") or []]
        own = {s["agency_id"] for s in block["slots"]}
        for task in block.get("tasks") or []:
            _prepare_task(task, catalogue, own)
            _prepare_list(block, task, catalogue)
    for duty in data["reporting"]:
        duty["to_agency_id"] = catalogue.resolve(duty["to"]) if duty.get("to") else None
    return data


def _slot(printed: str, catalogue: Catalogue) -> dict[str, Any]:
    """A block's printed name resolved to an agency of the catalogue, else to a commune
    ("UBND xã Ea Tam"), which can then only hold a share of a task given to a list."""
    agency = catalogue.resolve(printed)
    commune = None if agency is not None else catalogue.commune(printed)
    return {"printed": printed, "agency_id": agency} | ({"commune": commune} if commune else {})


def _prepare_task(task: dict[str, Any], catalogue: Catalogue, own: set[int | None]) -> None:
    task.setdefault("projects", [])
    task.setdefault("deadline", None)
    task.setdefault("condition", None)
    task.setdefault("role", "perform")
    task["agency_id"] = None
    if task["role"] == "cooperate":
        task["agency_id"] = next((a for a in catalogue.partners(task.get("text", "")) if a not in own), None)
    task["recurrence"] = detect_recurrence(task.get("text", ""))


def _prepare_list(block: dict[str, Any], task: dict[str, Any], catalogue: Catalogue) -> None:
    """A point several agencies lead together ("… giao Sở A, Sở B chủ trì", or a "Chủ trì …"
    point under a heading naming several) is one task given to that list, each agency tracked on
    its own share, rather than one copy of the task per agency."""
    agencies: list[int] = []
    communes: list[str] = []
    for slot in block.get("slots") or []:
        if slot.get("agency_id") is None and slot.get("commune"):
            communes.append(slot["commune"])
        elif catalogue.is_member(slot.get("agency_id")):
            agencies.append(slot["agency_id"])
        else:
            return  # a group ("Các sở, ban, ngành") or a name not resolved: not a list
    # Named communes can only be a list; agencies are one when they lead the point together.
    if communes or (task.get("role") == "lead" and len(set(agencies)) >= 2):
        task["units"] = {"agencies": list(dict.fromkeys(agencies)), "communes": list(dict.fromkeys(communes))}


def unit_list(task: dict[str, Any]) -> tuple[list[int], list[str]]:
    """(agencies, communes) a draft task is given to one by one ([] and []: not a list)."""
    units = task.get("units") or {}
    return list(units.get("agencies") or []), list(units.get("communes") or [])


def is_listed(task: dict[str, Any]) -> bool:
    """Given to a list: two units or more, or named communes (a commune is no agency to lead)."""
    agencies, communes = unit_list(task)
    return len(agencies) + len(communes) >= 2 or bool(communes)


def format_units(task: dict[str, Any], catalogue: Catalogue) -> str:
    """A task's list of units as the officer reads and types it."""
    agencies, communes = unit_list(task)
    names = [catalogue.name(a) for a in agencies] + [catalogue.unit_name(commune=c) for c in communes]
    return "; ".join(n for n in names if n)


# --- pure edit operations ---------------------------------------------------------------------


def _block(data: dict[str, Any], b: int) -> dict[str, Any]:
    blocks = data.get("assignments") or []
    if not 0 <= b < len(blocks):
        raise EditError({"general": "Không tìm thấy khối nhiệm vụ này (trang đã cũ?). Hãy tải lại trang."})
    block: dict[str, Any] = blocks[b]
    return block


def _task(data: dict[str, Any], b: int, t: int) -> dict[str, Any]:
    tasks = _block(data, b)["tasks"]
    if not 0 <= t < len(tasks):
        raise EditError({"general": "Không tìm thấy nhiệm vụ này (có thể đã bị xóa hoặc gộp). Hãy tải lại trang."})
    task: dict[str, Any] = tasks[t]
    return task


def _item(items: list[Any], i: int, what: str) -> dict[str, Any]:
    if not 0 <= i < len(items):
        raise EditError({"general": f"Không tìm thấy {what} này. Hãy tải lại trang."})
    item: dict[str, Any] = items[i]
    return item


def clean_text(raw: Any) -> str:
    return re.sub(r"[ \t]+", " ", str(raw or "").replace("\r\n", "\n")).strip()


def set_meta(data: dict[str, Any], values: Mapping[str, Any]) -> None:
    """Number, date (dd/mm/yyyy), place, title and period of the plan."""
    errors: dict[str, str] = {}
    meta: dict[str, Any] = {}
    meta["number"] = re.sub(r"\s+", "", str(values.get("number") or "")) or None
    if meta["number"] and len(meta["number"]) > 60:
        errors["number"] = "Số, ký hiệu dài quá 60 ký tự."
    try:
        meta["date"] = parse_vn_date(values.get("date"))
    except ValueError as exc:
        errors["date"] = str(exc)
    meta["place"] = clean_text(values.get("place")) or None
    if meta["place"] and len(meta["place"]) > 100:
        errors["place"] = "Địa danh dài quá 100 ký tự."
    meta["title"] = clean_text(values.get("title")).replace("\n", " ")
    if not meta["title"]:
        errors["title"] = "Trích yếu (tên kế hoạch) không được để trống."
    period: dict[str, int | None] = {}
    for key, field in (("start", "period_start"), ("end", "period_end")):
        try:
            period[key] = parse_year(values.get(field))
        except ValueError as exc:
            errors[field] = str(exc)
    if (
        "period_start" not in errors
        and "period_end" not in errors
        and period["start"]
        and period["end"]
        and period["start"] > period["end"]
    ):
        errors["period_end"] = "Năm kết thúc phải từ năm bắt đầu trở đi."
    if errors:
        raise EditError(errors)
    meta["period"] = period if period["start"] or period["end"] else None
    data["meta"] = {**(data.get("meta") or {}), **meta}


def set_block(data: dict[str, Any], b: int, values: Mapping[str, Any], catalogue: Catalogue) -> None:
    """The block's agencies (one select per printed name, plus one to add), skip and requested flags.

    A slot's value is an agency id, "" (not resolved yet) or "remove" (drop this name).
    """
    block = _block(data, b)
    errors: dict[str, str] = {}
    slots = []
    for i, slot in enumerate(block["slots"]):
        raw = str(values.get(f"slot_{i}", "" if slot["agency_id"] is None else slot["agency_id"]))
        if raw == "remove":
            continue
        try:
            slots.append({**slot, "agency_id": catalogue.agency_id(raw)})
        except ValueError as exc:
            errors[f"slot_{i}"] = str(exc)
    try:
        added = catalogue.agency_id(values.get("add"))
    except ValueError as exc:
        errors["add"] = str(exc)
        added = None
    if added is not None:
        if any(s["agency_id"] == added for s in slots):
            errors["add"] = "Cơ quan này đã có trong khối."
        else:
            slots.append({"printed": catalogue.name(added), "agency_id": added})
    if errors:
        raise EditError(errors)
    block["slots"] = slots
    block["skip"] = _flag(values.get("skip"))
    block["requested"] = _flag(values.get("requested"))


def _flag(raw: Any) -> bool:
    return str(raw or "").lower() in ("1", "on", "true", "yes")


def _task_values(values: Mapping[str, Any], catalogue: Catalogue, project_codes: Iterable[str]) -> dict[str, Any]:
    """A task from form values, or EditError: text, role, agency, projects, deadline, condition."""
    errors: dict[str, str] = {}
    task: dict[str, Any] = {"text": clean_text(values.get("text"))}
    if not task["text"]:
        errors["text"] = "Nội dung nhiệm vụ không được để trống."
    task["role"] = str(values.get("role") or "perform")
    if task["role"] not in ROLES:
        errors["role"] = "Vai trò không hợp lệ."
    try:
        task["agency_id"] = catalogue.agency_id(values.get("agency"))
    except ValueError as exc:
        errors["agency"] = str(exc)
    try:
        task["projects"] = parse_projects(values.get("projects"), project_codes)
    except ValueError as exc:
        errors["projects"] = str(exc)
    try:
        task["deadline"] = parse_vn_date(values.get("deadline"))
    except ValueError as exc:
        errors["deadline"] = str(exc)
    task["condition"] = clean_text(values.get("condition")) or None
    if task["condition"] and len(task["condition"]) > MAX_CONDITION:
        errors["condition"] = f"Điều kiện dài quá {MAX_CONDITION} ký tự."
    task["recurrence"] = str(values.get("recurrence") or "")
    if task["recurrence"] not in RECURRENCES:
        errors["recurrence"] = "Định kỳ không hợp lệ."
    if "units" in values:
        try:
            listed = catalogue.parse_units(values.get("units"))
        except ValueError as exc:
            errors["units"] = str(exc)
        else:
            count = len(listed["agencies"]) + len(listed["communes"])
            if count == 1 and listed["agencies"]:
                errors["units"] = "Danh sách cần ít nhất 2 đơn vị; một đơn vị thì chọn làm cơ quan chủ trì."
            task["units"] = listed if count else None
    if errors:
        raise EditError(errors)
    return task


def set_task(
    data: dict[str, Any], b: int, t: int, values: Mapping[str, Any], catalogue: Catalogue, project_codes: Iterable[str]
) -> None:
    """Replace a task's fields with what the officer typed (all validated first)."""
    task = _task(data, b, t)
    task.update(_task_values(values, catalogue, project_codes))


def add_task(
    data: dict[str, Any], b: int, values: Mapping[str, Any], catalogue: Catalogue, project_codes: Iterable[str]
) -> None:
    """Append a new task to a block."""
    block = _block(data, b)
    block["tasks"].append(_task_values(values, catalogue, project_codes))


def delete_task(data: dict[str, Any], b: int, t: int) -> None:
    _task(data, b, t)
    del data["assignments"][b]["tasks"][t]


_SENTENCE_END = re.compile(r"(?<=[.;:!?])\s+|\n+")


def split_task(data: dict[str, Any], b: int, t: int) -> None:
    """Split a task in two at the sentence boundary nearest its middle (both keep the other fields).

    A text with a single sentence is duplicated: the officer then shortens each copy.
    """
    tasks = _block(data, b)["tasks"]
    task = _task(data, b, t)
    text = task["text"]
    cuts = [m for m in _SENTENCE_END.finditer(text) if text[m.end() :].strip() and text[: m.start()].strip()]
    if cuts:
        middle = len(text) / 2
        cut = min(cuts, key=lambda m: abs(m.start() - middle))
        first, second = text[: cut.start()].strip(), text[cut.end() :].strip()
    else:
        first = second = text
    tasks[t] = {**task, "text": first}
    tasks.insert(t + 1, {**copy.deepcopy(task), "text": second})


def merge_task(data: dict[str, Any], b: int, t: int) -> None:
    """Merge a task with the next one of the same block (texts joined, projects united).

    The merged task keeps the first task's role and lead; the deadline is the later of the two,
    the conditions are joined.
    """
    tasks = _block(data, b)["tasks"]
    first = _task(data, b, t)
    if t + 1 >= len(tasks):
        raise EditError({"general": "Đây là nhiệm vụ cuối của khối: không có nhiệm vụ tiếp theo để gộp."})
    second = tasks[t + 1]
    merged = dict(first)
    merged["text"] = f"{first['text'].rstrip()} {second['text'].lstrip()}".strip()
    merged["projects"] = list(dict.fromkeys([*first.get("projects", []), *second.get("projects", [])]))
    deadlines = [d for d in (first.get("deadline"), second.get("deadline")) if d]
    merged["deadline"] = max(deadlines) if deadlines else None
    conditions = [c for c in (first.get("condition"), second.get("condition")) if c]
    merged["condition"] = "; ".join(dict.fromkeys(conditions))[:MAX_CONDITION] or None
    merged["agency_id"] = first.get("agency_id") or second.get("agency_id")
    merged["recurrence"] = first.get("recurrence") or second.get("recurrence") or ""
    tasks[t : t + 2] = [merged]


def add_block(data: dict[str, Any], values: Mapping[str, Any], catalogue: Catalogue) -> None:
    """A block the extractor missed: a section number and one agency; tasks are added after."""
    errors: dict[str, str] = {}
    section = clean_text(values.get("section"))[:40]
    try:
        agency = catalogue.agency_id(values.get("agency"))
    except ValueError as exc:
        errors["agency"] = str(exc)
        agency = None
    if agency is None and "agency" not in errors:
        errors["agency"] = "Hãy chọn cơ quan được giao."
    if errors:
        raise EditError(errors)
    data.setdefault("assignments", []).append(
        {
            "agencies": [catalogue.name(agency)],
            "requested": False,
            "section": section,
            "tasks": [],
            "skip": False,
            "slots": [{"printed": catalogue.name(agency), "agency_id": agency}],
        }
    )


def _target_values(values: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    target: dict[str, Any] = {"text": clean_text(values.get("text"))}
    if not target["text"]:
        errors["text"] = "Nội dung chỉ tiêu không được để trống."
    target["comparator"] = str(values.get("comparator") or "")
    if target["comparator"] not in COMPARATORS:
        errors["comparator"] = "Hãy chọn cách so sánh."
    try:
        target["value"] = parse_number(values.get("value"))
    except ValueError as exc:
        errors["value"] = str(exc)
    target["unit"] = clean_text(values.get("unit"))[:40] or None
    try:
        target["year"] = parse_year(values.get("year"))
    except ValueError as exc:
        errors["year"] = str(exc)
    if errors:
        raise EditError(errors)
    return target


def set_target(data: dict[str, Any], i: int, values: Mapping[str, Any]) -> None:
    _item(data["targets"], i, "chỉ tiêu").update(_target_values(values))


def add_target(data: dict[str, Any], values: Mapping[str, Any]) -> None:
    data["targets"].append(_target_values(values))


def delete_target(data: dict[str, Any], i: int) -> None:
    _item(data["targets"], i, "chỉ tiêu")
    del data["targets"][i]


def _duty_values(values: Mapping[str, Any], catalogue: Catalogue) -> dict[str, Any]:
    errors: dict[str, str] = {}
    duty: dict[str, Any] = {"frequency": str(values.get("frequency") or "")}
    if duty["frequency"] not in FREQUENCIES:
        errors["frequency"] = "Hãy chọn loại báo cáo."
        duty["due"] = None
    else:
        try:
            duty["due"] = parse_due(duty["frequency"], values.get("due"))
        except ValueError as exc:
            errors["due"] = str(exc)
    try:
        duty["to_agency_id"] = catalogue.agency_id(values.get("to_agency"))
    except ValueError as exc:
        errors["to_agency"] = str(exc)
    if errors:
        raise EditError(errors)
    if duty["to_agency_id"] is not None:
        duty["to"] = catalogue.name(duty["to_agency_id"])
    return duty


def set_duty(data: dict[str, Any], i: int, values: Mapping[str, Any], catalogue: Catalogue) -> None:
    _item(data["reporting"], i, "chế độ báo cáo").update(_duty_values(values, catalogue))


def add_duty(data: dict[str, Any], values: Mapping[str, Any], catalogue: Catalogue) -> None:
    data["reporting"].append({"to": None, **_duty_values(values, catalogue)})


def delete_duty(data: dict[str, Any], i: int) -> None:
    _item(data["reporting"], i, "chế độ báo cáo")
    del data["reporting"][i]


def acknowledge_duplicate(data: dict[str, Any]) -> None:
    data.setdefault("review", {})["duplicate_ack"] = True


# --- who does what: the rule for blocks with several agencies and for cooperating tasks --------


@dataclass(frozen=True)
class PlannedTask:
    """One Task row a draft task becomes: its lead (None: no lead), cooperating agencies, and,
    for a task given to a list of units, those units (agencies and communes)."""

    lead: int | None
    cooperating: tuple[int, ...]
    agencies: tuple[int, ...] = ()
    communes: tuple[str, ...] = ()


def block_agencies(block: dict[str, Any]) -> list[int]:
    """The block's resolved agencies, in order, each once."""
    return list(dict.fromkeys(s["agency_id"] for s in block.get("slots", []) if s.get("agency_id") is not None))


def planned_tasks(block: dict[str, Any], task: dict[str, Any], catalogue: Catalogue) -> list[PlannedTask]:
    """The Task rows one reviewed task becomes. The rule:

    1. A lead chosen for the task (``task["agency_id"]``: picked by the officer, or pre-filled at
       upload for a "Phối hợp với X …" task with X, the first catalogue agency named after
       "phối hợp với" that is not the block's own) → ONE task led by it; every other agency of the
       block and every agency the text names after "phối hợp với" cooperates.
    2. Otherwise a "Chủ trì" or "Thực hiện" task → ONE TASK PER BLOCK AGENCY, each led by that
       agency (each is accountable for its own part); the agencies named after "phối hợp với"
       cooperate.
    3. Otherwise (a "Phối hợp với …" task whose partner is not in the catalogue, nor a lead
       chosen) → the point keeps its lead: ONE TASK PER BLOCK AGENCY, each led by that agency, as
       the point is addressed to it ("Công an tỉnh: - Phối hợp với các cơ quan báo chí …"). A block
       without agencies gives one task without a lead, which the review page flags.
    """
    own = block_agencies(block)
    # Agencies named after "phối hợp với", then those set on the task (one by one or for a whole block).
    partners = list(dict.fromkeys([*catalogue.partners(task.get("text", "")), *(task.get("cooperating_ids") or [])]))
    agencies, communes = unit_list(task)
    if is_listed(task):
        # 0. Given to a list of units → ONE task with a share per unit; the first listed agency
        #    (or "UBND cấp xã" for communes) heads it, the others of the block cooperate.
        lead = agencies[0] if agencies else catalogue.commune_group()
        coop = tuple(a for a in dict.fromkeys([*own, *partners]) if a not in agencies and a != lead)
        return [PlannedTask(lead, coop, tuple(agencies), tuple(communes))]
    lead = task.get("agency_id")
    if lead is not None:
        return [PlannedTask(lead, tuple(a for a in dict.fromkeys([*own, *partners]) if a != lead))]
    outside = [p for p in partners if p not in own]
    if task.get("role") in ("lead", "perform") or (own and not outside):
        return [PlannedTask(a, tuple(p for p in partners if p != a)) for a in own]
    return [PlannedTask(None, tuple(dict.fromkeys([*own, *partners])))]


def planned_count(block: dict[str, Any], task: dict[str, Any]) -> int:
    """How many Task rows `planned_tasks` makes of a task, without reading its text."""
    if task.get("agency_id") is not None or is_listed(task):
        return 1
    own = block_agencies(block)
    if task.get("role") in ("lead", "perform"):
        return len(own)
    # A "Phối hợp" point: led by a partner outside the block (one task), else by each block agency
    # (a partner named only in the text is pre-filled as ``agency_id`` when the draft is prepared).
    if any(a not in own for a in task.get("cooperating_ids") or []):
        return 1
    return max(1, len(own))


# --- the whole plan or a block at once ----------------------------------------------------------

BULK_FIELDS = ("deadline", "agency", "cooperating", "projects")


def bulk_set(data: dict[str, Any], values: Any, catalogue: Catalogue, project_codes: Iterable[str]) -> int:
    """Set a deadline, a lead, cooperating agencies or projects on every task of one block
    (``scope`` = its index) or of the whole plan (``scope`` = "plan"); skipped blocks are left
    alone. A deadline fills only the tasks without one unless ``overwrite`` is ticked; cooperating
    agencies and projects are added to what each task has. Returns the number of tasks changed."""
    scope = str(values.get("scope") or "plan")
    blocks = data.get("assignments") or []
    if scope == "plan":
        chosen = [b for b in blocks if not b.get("skip")]
    elif scope.isdigit():
        chosen = [_block(data, int(scope))]
    else:
        raise EditError({"general": "Phạm vi áp dụng không hợp lệ."})
    errors: dict[str, str] = {}
    deadline = None
    if clean_text(values.get("deadline")):
        try:
            deadline = parse_vn_date(values.get("deadline"))
        except vn.DateError as exc:
            errors["deadline"] = str(exc)
    lead = None
    try:
        lead = catalogue.agency_id(values.get("agency"))
    except ValueError as exc:
        errors["agency"] = str(exc)
    raw_coop = values.getlist("cooperating") if hasattr(values, "getlist") else values.get("cooperating") or []
    cooperating: list[int] = []
    for raw in raw_coop if isinstance(raw_coop, list) else [raw_coop]:
        try:
            pk = catalogue.agency_id(raw)
        except ValueError as exc:
            errors["cooperating"] = str(exc)
            continue
        if pk is not None and pk not in cooperating:
            cooperating.append(pk)
    projects: list[str] = []
    if clean_text(values.get("projects")):
        try:
            projects = parse_projects(values.get("projects"), project_codes)
        except ValueError as exc:
            errors["projects"] = str(exc)
    if errors:
        raise EditError(errors)
    if deadline is None and lead is None and not cooperating and not projects:
        raise EditError({"general": "Chưa chọn thông tin nào để áp dụng (thời hạn, chủ trì, phối hợp hoặc dự án)."})
    overwrite = _flag(values.get("overwrite"))
    changed = 0
    for block in chosen:
        for task in block.get("tasks") or []:
            before = (task.get("deadline"), task.get("agency_id"), task.get("cooperating_ids"), task.get("projects"))
            if deadline is not None and (overwrite or not task.get("deadline")):
                task["deadline"] = deadline
            if lead is not None:
                task["agency_id"] = lead
            if cooperating:
                own = [a for a in task.get("cooperating_ids") or [] if a != lead]
                task["cooperating_ids"] = list(dict.fromkeys([*own, *cooperating]))
            if projects:
                task["projects"] = list(dict.fromkeys([*(task.get("projects") or []), *projects]))
            changed += before != (
                task.get("deadline"),
                task.get("agency_id"),
                task.get("cooperating_ids"),
                task.get("projects"),
            )
    return changed


def replace_legacy(data: dict[str, Any], catalogue: Catalogue) -> int:
    """Every block and task naming a body abolished in 2025 gets its successor instead (where the
    catalogue has one); returns how many names were replaced."""
    n = 0
    for block in data.get("assignments") or []:
        for slot in block.get("slots") or []:
            new = catalogue.successor(slot.get("agency_id"))
            if new is not None:
                slot["agency_id"] = new
                n += 1
        for task in block.get("tasks") or []:
            new = catalogue.successor(task.get("agency_id"))
            if new is not None:
                task["agency_id"] = new
                n += 1
            coop = task.get("cooperating_ids") or []
            if any(catalogue.successor(a) for a in coop):
                task["cooperating_ids"] = list(dict.fromkeys(catalogue.successor(a) or a for a in coop))
                n += 1
    if not n:
        raise EditError({"general": "Không còn cơ quan nào thuộc danh sách đã sắp xếp năm 2025 có cơ quan kế thừa."})
    return n


# --- validation of the whole draft ------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Something to fix before confirming (``blocking``) or to look at (a warning)."""

    anchor: str
    message: str
    blocking: bool = True


def block_label(block: dict[str, Any]) -> str:
    return f"Mục {block['section']}" if block.get("section") else "Khối không đánh số"


def check_draft(data: dict[str, Any], catalogue: Catalogue, project_codes: Iterable[str]) -> list[Problem]:
    """Every problem of the draft, blocking ones first."""
    codes = set(project_codes)
    problems: list[Problem] = []
    if not clean_text((data.get("meta") or {}).get("title")):
        problems.append(Problem("meta-card", "Chưa có trích yếu (tên) của kế hoạch."))
    kept = 0
    for b, block in enumerate(data.get("assignments") or []):
        if block.get("skip"):
            continue
        label, anchor = block_label(block), f"block-{b}"
        kept += len(block.get("tasks") or [])
        for slot in block.get("slots", []):
            if slot.get("agency_id") is None and slot.get("commune"):
                if not all(is_listed(t) for t in block.get("tasks") or []):
                    problems.append(
                        Problem(
                            anchor,
                            f"{label}: «{slot['printed']}» là xã, phường: hãy giao các nhiệm vụ của khối "
                            "cho danh sách đơn vị (ô «Giao chung cho danh sách đơn vị»).",
                        )
                    )
            elif slot.get("agency_id") is None:
                problems.append(
                    Problem(
                        anchor,
                        f"{label}: chưa chọn cơ quan trong danh mục cho «{slot['printed']}» "
                        "(chọn cơ quan, bỏ tên này hoặc đánh dấu bỏ qua khối).",
                    )
                )
            elif slot["agency_id"] not in catalogue.agencies:
                problems.append(Problem(anchor, f"{label}: cơ quan «{slot['printed']}» không còn trong danh mục."))
            elif catalogue.agencies[slot["agency_id"]].legacy:
                successor = catalogue.name(catalogue.successor(slot["agency_id"]))
                problems.append(
                    Problem(
                        anchor,
                        f"{label}: «{catalogue.name(slot['agency_id'])}» đã sắp xếp năm 2025"
                        + (f"; đề xuất giao {successor}." if successor else "."),
                        blocking=False,
                    )
                )
        if not block.get("slots"):
            problems.append(Problem(anchor, f"{label}: chưa có cơ quan nào được giao."))
        if not block.get("tasks"):
            problems.append(
                Problem(anchor, f"{label}: không còn nhiệm vụ nào (thêm nhiệm vụ hoặc đánh dấu bỏ qua khối).")
            )
        for t, task in enumerate(block.get("tasks") or []):
            where = f"{label}, nhiệm vụ {t + 1}"
            if not clean_text(task.get("text")):
                problems.append(Problem(anchor, f"{where}: nội dung trống."))
            if task.get("deadline"):
                try:
                    datetime.date.fromisoformat(task["deadline"])
                except (TypeError, ValueError):
                    problems.append(Problem(anchor, f"{where}: thời hạn không hợp lệ."))
            unknown = [p for p in task.get("projects") or [] if p not in codes]
            if unknown:
                problems.append(Problem(anchor, f"{where}: không có dự án {', '.join(unknown)}."))
            if task.get("agency_id") is not None and task["agency_id"] not in catalogue.agencies:
                problems.append(Problem(anchor, f"{where}: cơ quan chủ trì không còn trong danh mục."))
            elif (
                task.get("agency_id") is None
                and task.get("role") == "cooperate"
                and any(a not in block_agencies(block) for a in task.get("cooperating_ids") or [])
            ):
                problems.append(
                    Problem(
                        anchor,
                        f"{where}: nhiệm vụ phối hợp chưa có cơ quan chủ trì (sẽ được tạo không có cơ quan chủ trì).",
                        blocking=False,
                    )
                )
    if kept == 0:
        problems.append(Problem("blocks", "Kế hoạch chưa có nhiệm vụ nào để tạo."))
    for i, duty in enumerate(data.get("reporting") or []):
        if duty.get("frequency") not in FREQUENCIES:
            problems.append(Problem("duties-card", f"Chế độ báo cáo {i + 1}: loại báo cáo không hợp lệ."))
    problems.sort(key=lambda p: not p.blocking)
    return problems


def confirmed_extraction(data: dict[str, Any], catalogue: Catalogue) -> dict[str, Any]:
    """The reviewed plan as plain plan-extract/1 (kept blocks, canonical agency names)."""
    out = {k: copy.deepcopy(v) for k, v in data.items() if k not in ("review", "assignments", "reporting")}
    out["assignments"] = []
    for block in data.get("assignments") or []:
        if block.get("skip"):
            continue
        out["assignments"].append(
            {
                "agencies": [catalogue.name(a) for a in block_agencies(block)],
                "requested": bool(block.get("requested")),
                "section": block.get("section") or "",
                "tasks": [
                    {k: t.get(k) for k in ("text", "role", "projects", "deadline", "condition")}
                    for t in block.get("tasks") or []
                ],
            }
        )
    out["reporting"] = [{k: d.get(k) for k in ("frequency", "due", "to")} for d in data.get("reporting") or []]
    return out
