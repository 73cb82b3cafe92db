"""Forms of the plan import: the upload form, and what each row form of the review page shows.

The review page has one small form per row (the meta, each target, each reporting duty, each
block's agencies, each task). Their input is validated by the pure edit operations of
`plans.services.imports`; the builders here turn the draft (or, after invalid input, what the
officer typed) into display values, error messages and the agency `<select>` options.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from agencies.catalogue import Kind
from core import uploads, vn
from core.forms import StyledFormMixin
from plans.models import PlanImport
from plans.services import drafts, imports
from program.catalogue import COMPARATOR_LABELS

ALLOWED = tuple(f".{ext}" for ext in uploads.PLAN_EXTENSIONS)


class PlanUploadForm(StyledFormMixin, forms.Form):
    """A plan file (.docx, .pdf, .txt, .md), checked by `core.uploads` (extension, size, content)."""

    province = forms.ModelChoiceField(queryset=None, label="Tỉnh", empty_label=None)
    file = forms.FileField(
        label="Tệp kế hoạch",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED), "data-testid": "import-file"}),
        help_text="Tệp .docx, .pdf (có lớp văn bản), .txt hoặc .md.",
    )

    def __init__(self, *args: Any, provinces: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces
        if provinces.count() == 1:
            self.fields["province"].initial = provinces.first()
            self.fields["province"].widget = forms.HiddenInput()
        self.content = b""

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if Path(upload.name or "").suffix.lower() == ".doc":
            raise forms.ValidationError("Tệp .doc (Word cũ) chưa được hỗ trợ: hãy mở bằng Word và lưu lại dạng .docx.")
        uploads.check_file(upload, uploads.PLAN_EXTENSIONS)
        self.content = upload.read()
        return upload


# --- the review page -------------------------------------------------------------------------


@dataclass
class Row:
    """One row form: its index (if any), display values, errors, and whether it was just saved."""

    index: int | None = None
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    saved: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """A stable fragment for element ids: the row's index, or "new" for an add form."""
        return "new" if self.index is None else str(self.index)


@dataclass
class BlockView:
    index: int
    label: str
    section: str
    requested: bool
    skip: bool
    form: Row
    slots: list[dict[str, Any]]
    tasks: list[Row]
    add_task: Row
    add_options: SafeString
    problems: list[str]
    warnings: list[str]
    created: int
    names: list[str]
    agencies_open: bool = False


_KIND_LABELS = dict(Kind.CHOICES)


class AgencyOptions:
    """The province's catalogue as `<option>` elements, grouped by kind, suggestions first."""

    def __init__(self, catalogue: drafts.Catalogue) -> None:
        self.catalogue = catalogue
        groups: dict[str, list[drafts.CatalogueAgency]] = {}
        for agency in sorted(catalogue.agencies.values(), key=lambda a: (a.legacy, vn.vn_sort_key(a.name))):
            label = "Tên cũ (trước sắp xếp 2025)" if agency.legacy else _KIND_LABELS.get(agency.kind, "Khác")
            groups.setdefault(label, []).append(agency)
        order = [label for _, label in Kind.CHOICES] + ["Tên cũ (trước sắp xếp 2025)"]
        self.groups = sorted(groups.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)
        # The catalogue part of every select is the same: render it once, mark the choice by replacement.
        self._options = {
            a.id: format_html('<option value="{}">{}</option>', a.id, self._label(a))
            for _, agencies in self.groups
            for a in agencies
        }
        self._catalogue_html = "".join(
            format_html('<optgroup label="{}">', label) + "".join(self._options[a.id] for a in agencies) + "</optgroup>"
            for label, agencies in self.groups
        )

    def render(
        self,
        selected: Any,
        *,
        blank: str,
        suggestions: list[int] | None = None,
        extra: tuple[tuple[str, str], ...] = (),
    ) -> SafeString:
        """A select's options: blank, extra choices, suggestions ("Gợi ý"), then the catalogue."""
        suggestions = [a for a in suggestions or [] if a in self._options]
        chosen = str(selected if selected is not None else "")
        parts = [format_html('<option value=""{}>{}</option>', " selected" if chosen == "" else "", blank)]
        parts += [
            format_html('<option value="{}"{}>{}</option>', v, " selected" if chosen == v else "", label)
            for v, label in extra
        ]
        catalogue = self._catalogue_html
        if suggestions:
            parts.append(format_html('<optgroup label="{}">', "Gợi ý"))
            parts += [self._mark(self._options[a], a, chosen) for a in suggestions]
            parts.append("</optgroup>")
        if chosen.isdigit() and int(chosen) in self._options and int(chosen) not in suggestions:
            catalogue = catalogue.replace(
                self._options[int(chosen)], self._mark(self._options[int(chosen)], int(chosen), chosen), 1
            )
        parts.append(catalogue)
        return mark_safe("".join(parts))  # every part was built with format_html

    def _label(self, agency: drafts.CatalogueAgency) -> str:
        """A legacy body names its successor: "Sở Lao động - Thương binh và Xã hội (nay: Sở Nội vụ)"."""
        if not agency.legacy:
            return agency.name
        successor = self.catalogue.name(self.catalogue.successor(agency.id))
        return f"{agency.name} (đã sắp xếp 2025; nay: {successor})" if successor else f"{agency.name} (đã sắp xếp 2025)"

    @staticmethod
    def _mark(option: str, agency_id: int, chosen: str) -> str:
        return option.replace('">', '" selected>', 1) if chosen == str(agency_id) else option


def _task_values(task: dict[str, Any], catalogue: drafts.Catalogue) -> dict[str, Any]:
    return {
        "units": drafts.format_units(task, catalogue),
        "text": task.get("text") or "",
        "role": task.get("role") or "perform",
        "agency": "" if task.get("agency_id") is None else str(task["agency_id"]),
        "projects": ", ".join(task.get("projects") or []),
        "deadline": drafts.format_date(task.get("deadline")),
        "condition": task.get("condition") or "",
        "recurrence": task.get("recurrence") or "",
    }


def _posted(posted: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: posted.get(k, "") for k in keys}


TASK_KEYS = ("text", "role", "agency", "projects", "deadline", "condition", "recurrence", "units")


def _describe(planned: list[drafts.PlannedTask], catalogue: drafts.Catalogue) -> list[str]:
    out = []
    for p in planned:
        if p.agencies or p.communes:
            names = [catalogue.name(a) for a in p.agencies] + [catalogue.unit_name(commune=c) for c in p.communes]
            coop = ", ".join(catalogue.name(a) for a in p.cooperating)
            shares = f"Giao chung {len(names)} đơn vị, theo dõi từng đơn vị: {'; '.join(names)}"
            out.append(f"{shares}{'; phối hợp: ' + coop if coop else ''}")
            continue
        lead = f"{catalogue.name(p.lead)} chủ trì" if p.lead is not None else "Chưa có cơ quan chủ trì"
        coop = ", ".join(catalogue.name(a) for a in p.cooperating)
        out.append(f"{lead}{'; phối hợp: ' + coop if coop else ''}")
    return out


def review_context(
    draft: PlanImport,
    catalogue: drafts.Catalogue,
    codes: list[str],
    user: Any,
    *,
    focus: tuple[Any, ...] = (),
    errors: dict[str, str] | None = None,
    posted: Any = None,
    saved: bool = False,
    page: int = 1,
    expand: tuple[int, ...] = (),
) -> dict[str, Any]:
    """Everything the review page (or one of its partials) shows.

    ``focus`` names the row the last request was about: ("meta",), ("target", i), ("add_target",),
    ("duty", i), ("add_duty",), ("block", b), ("task", b, t), ("add_task", b), ("add_block",),
    ("replaces",), ("deleted", …). Its errors and, after invalid input, what the officer typed are shown there.
    """
    data = draft.data
    errors = errors or {}
    options = AgencyOptions(catalogue)

    def row(key: tuple[Any, ...], index: int | None, values: dict[str, Any]) -> Row:
        if key != focus:
            return Row(index, values)
        if errors and posted is not None:
            values = {**values, **_posted(posted, tuple(values))}
        return Row(index, values, dict(errors), saved and not errors)

    meta = data.get("meta") or {}
    period = meta.get("period") or {}
    meta_row = row(
        ("meta",),
        None,
        {
            "number": meta.get("number") or "",
            "date": drafts.format_date(meta.get("date")),
            "place": meta.get("place") or "",
            "title": meta.get("title") or "",
            "period_start": _year(period.get("start")),
            "period_end": _year(period.get("end")),
        },
    )
    targets = [
        row(
            ("target", i),
            i,
            {
                "text": t.get("text") or "",
                "comparator": t.get("comparator") or "",
                "value": _number(t.get("value")),
                "unit": t.get("unit") or "",
                "year": _year(t.get("year")),
            },
        )
        for i, t in enumerate(data.get("targets") or [])
    ]
    for r, t in zip(targets, data.get("targets") or [], strict=True):
        r.extra = {"summary": _target_summary(t)}
    duties = []
    for i, d in enumerate(data.get("reporting") or []):
        r = row(
            ("duty", i),
            i,
            {
                "frequency": d.get("frequency") or "",
                "due": drafts.format_due(d.get("frequency") or "", d.get("due")),
                "to_agency": "" if d.get("to_agency_id") is None else str(d["to_agency_id"]),
            },
        )
        r.extra = {
            "options": options.render(r.values["to_agency"], blank="— Chưa xác định —"),
            "printed": d.get("to") or "",
            "describe": drafts.describe_due(d.get("frequency") or "", d.get("due")),
        }
        duties.append(r)
    add_duty = row(("add_duty",), None, {"frequency": "quarterly", "due": "", "to_agency": ""})
    add_duty.extra = {"options": options.render(add_duty.values["to_agency"], blank="— Chưa xác định —")}
    problems = drafts.check_draft(data, catalogue, codes)
    raw_blocks = data.get("assignments") or []
    n_tasks = sum(len(b.get("tasks") or []) for b in raw_blocks)
    # A large plan: blocks are listed collapsed, a page at a time, each loaded when opened, so the
    # page stays small whatever the plan's size. The block an edit was about is shown open.
    lazy = n_tasks > LAZY_TASKS
    open_blocks = set(expand) | ({focus[1]} if len(focus) > 1 and isinstance(focus[1], int) else set())
    blocks: list[Any] = [
        _block_view(b, block, catalogue, options, row, problems, focus, errors, posted)
        if not lazy or b in open_blocks
        else _block_header(b, block, catalogue, problems)
        for b, block in enumerate(raw_blocks)
    ]
    pages = max(1, -(-len(blocks) // BLOCKS_PER_PAGE)) if lazy else 1
    page = min(max(1, page), pages)
    shown = blocks[(page - 1) * BLOCKS_PER_PAGE : page * BLOCKS_PER_PAGE] if lazy else blocks
    legacy = _legacy_names(raw_blocks, catalogue)
    add_block = row(("add_block",), None, {"section": "", "agency": ""})
    add_block.extra = {"options": options.render(add_block.values["agency"], blank="— Chọn cơ quan —")}
    replaces = row(("replaces",), None, {"replaces": "" if draft.replaces_id is None else str(draft.replaces_id)})
    kept = [b for b in blocks if not b.skip]
    return {
        "draft": draft,
        "meta": meta_row,
        "basis": data.get("basis") or [],
        "targets": targets,
        "add_target": row(
            ("add_target",), None, {"text": "", "comparator": ">=", "value": "", "unit": "%", "year": ""}
        ),
        "duties": duties,
        "add_duty": add_duty,
        "blocks": blocks,
        "blocks_shown": shown,
        "block_pages": {"lazy": lazy, "page": page, "pages": pages, "range": range(1, pages + 1)},
        "bulk_options": options.render(None, blank="— Không đổi —"),
        "bulk_coop_options": options.render(None, blank="— Không thêm —"),
        "legacy": legacy,
        "add_block": add_block,
        "replaces": replaces,
        "replaceable": imports.replaceable_plans(draft, user).order_by("-issued_on"),
        "problems": [p for p in problems if p.blocking],
        "warnings": [p for p in problems if not p.blocking],
        "duplicates": []
        if (data.get("review") or {}).get("duplicate_ack")
        else imports.duplicate_plans(draft) + imports.duplicate_drafts(draft),
        "roles": drafts.ROLES,
        "comparators": drafts.COMPARATORS,
        "frequencies": drafts.FREQUENCIES,
        "recurrences": drafts.RECURRENCES,
        "focus": focus,
        "form_errors": errors,
        "counts": {
            "blocks": len(kept),
            "tasks": sum(len(b.tasks) for b in kept),
            "created": sum(b.created for b in kept),
            "no_deadline": sum(
                1 for b in raw_blocks if not b.get("skip") for t in b.get("tasks") or [] if not t.get("deadline")
            ),
            "targets": len(targets),
            "duties": len(duties),
        },
        "editable": draft.status == PlanImport.Status.DRAFT,
    }


LAZY_TASKS = 120
BLOCKS_PER_PAGE = 40


@dataclass
class BlockHeader:
    """A collapsed block of a large plan: what its header shows; its body is loaded when opened."""

    index: int
    label: str
    names: list[str]
    requested: bool
    skip: bool
    tasks: list[Any]
    created: int
    problems: list[str]
    warnings: list[str]
    lazy: bool = True


def _block_header(
    b: int, block: dict[str, Any], catalogue: drafts.Catalogue, problems: list[drafts.Problem]
) -> BlockHeader:
    tasks = block.get("tasks") or []
    return BlockHeader(
        index=b,
        label=drafts.block_label(block),
        names=[catalogue.name(s.get("agency_id")) or s["printed"] for s in block.get("slots") or []],
        requested=bool(block.get("requested")),
        skip=bool(block.get("skip")),
        tasks=tasks,
        created=0 if block.get("skip") else sum(drafts.planned_count(block, t) for t in tasks),
        problems=[p.message for p in problems if p.anchor == f"block-{b}" and p.blocking],
        warnings=[p.message for p in problems if p.anchor == f"block-{b}" and not p.blocking],
    )


def _legacy_names(blocks: list[dict[str, Any]], catalogue: drafts.Catalogue) -> list[dict[str, Any]]:
    """Bodies abolished in 2025 that the draft still names, with the successor proposed."""
    seen: dict[int, dict[str, Any]] = {}
    for block in blocks:
        ids = [s.get("agency_id") for s in block.get("slots") or []]
        ids += [t.get("agency_id") for t in block.get("tasks") or []]
        for pk in ids:
            agency = catalogue.agencies.get(pk) if pk is not None else None
            if agency is None or not agency.legacy:
                continue
            entry = seen.setdefault(
                pk, {"name": agency.name, "successor": catalogue.name(catalogue.successor(pk)), "blocks": []}
            )
            label = drafts.block_label(block)
            if label not in entry["blocks"]:
                entry["blocks"].append(label)
    return list(seen.values())


def _block_view(
    b: int,
    block: dict[str, Any],
    catalogue: drafts.Catalogue,
    options: AgencyOptions,
    row: Any,
    problems: list[drafts.Problem],
    focus: tuple[Any, ...],
    errors: dict[str, str],
    posted: Any,
) -> BlockView:
    own = set(drafts.block_agencies(block))
    slots = []
    for i, slot in enumerate(block.get("slots") or []):
        value = "" if slot.get("agency_id") is None else str(slot["agency_id"])
        if focus == ("block", b) and errors and posted is not None:
            value = posted.get(f"slot_{i}", value)
        successor = catalogue.successor(slot.get("agency_id"))
        if slot.get("agency_id") is None:
            suggestions = catalogue.suggest(slot["printed"])
        else:
            suggestions = [successor] if successor is not None else []
        slots.append(
            {
                "index": i,
                "printed": slot["printed"],
                "resolved": slot.get("agency_id") is not None or bool(slot.get("commune")),
                "commune": catalogue.unit_name(commune=slot.get("commune")) if slot.get("agency_id") is None else "",
                "successor": catalogue.name(successor),
                "name": catalogue.name(slot.get("agency_id")),
                "error": errors.get(f"slot_{i}") if focus == ("block", b) else None,
                "options": options.render(
                    value,
                    blank="— Chưa chọn (tên không có trong danh mục) —",
                    suggestions=suggestions,
                    extra=(("remove", "✕ Bỏ tên này khỏi khối"),),
                ),
            }
        )
    form = row(
        ("block", b), b, {"skip": block.get("skip", False), "requested": block.get("requested", False), "add": ""}
    )
    form.extra = {"add_options": options.render(form.values.get("add"), blank="— Thêm cơ quan —")}
    tasks = []
    for t, task in enumerate(block.get("tasks") or []):
        r = row(("task", b, t), t, _task_values(task, catalogue))
        r.extra = {
            "options": options.render(
                r.values["agency"],
                blank=_default_lead_label(task.get("role"), len(own)),
                suggestions=[a for a in catalogue.partners(task.get("text", "")) if a not in own][:3],
            ),
            "planned": _describe(drafts.planned_tasks(block, task, catalogue), catalogue),
            "last": t == len(block["tasks"]) - 1,
            "rows": min(10, max(2, len(r.values["text"]) // 95 + 1)),
        }
        tasks.append(r)
    add_task = row(("add_task", b), None, {k: "" for k in TASK_KEYS} | {"role": "perform"})
    add_task.extra = {
        "options": options.render(add_task.values["agency"], blank=_default_lead_label("perform", len(own)))
    }
    label = drafts.block_label(block)
    names = [s["name"] or s["printed"] for s in slots]
    created = 0 if block.get("skip") else sum(drafts.planned_count(block, t) for t in block.get("tasks") or [])
    return BlockView(
        index=b,
        label=label,
        section=block.get("section") or "",
        requested=bool(block.get("requested")),
        skip=bool(block.get("skip")),
        form=form,
        slots=slots,
        tasks=tasks,
        add_task=add_task,
        add_options=form.extra["add_options"],
        problems=[p.message for p in problems if p.anchor == f"block-{b}" and p.blocking],
        warnings=[p.message for p in problems if p.anchor == f"block-{b}" and not p.blocking],
        created=created,
        names=names,
        agencies_open=bool(
            block.get("skip") or not slots or any(not s["resolved"] for s in slots) or form.errors or form.saved
        ),
    )


def _year(value: Any) -> str:
    return str(value) if value else ""


def _number(value: Any) -> str:
    """A target's value from the draft JSON (int, float or None) as the officer types it: 12,5."""
    return vn.format_number(value) if isinstance(value, (int, float)) else str(value or "")


def _target_summary(target: dict[str, Any]) -> str:
    """ "ít nhất 50% · năm 2030": the target in a few words."""
    label = COMPARATOR_LABELS.get(target.get("comparator") or "", target.get("comparator") or "")
    value = _number(target.get("value"))
    unit = target.get("unit") or ""
    amount = f"{value}{unit}" if unit == "%" else f"{value} {unit}".strip()
    year = f" · năm {target['year']}" if target.get("year") else ""
    return f"{label} {amount}{year}".strip()


def _default_lead_label(role: str | None, n_agencies: int) -> str:
    if role == "cooperate":
        return "— Chưa rõ cơ quan chủ trì —"
    if n_agencies > 1:
        return "— Từng cơ quan của khối chủ trì (mỗi cơ quan một nhiệm vụ) —"
    return "— Cơ quan của khối chủ trì —"
