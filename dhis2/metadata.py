"""PCMT's catalogue as a DHIS2 instance sees it, and the metadata package that teaches it.

DHIS2 stores a breakdown as a category combination of the data element, and a data element's
total is the sum of its breakdown. PCMT collects the total and its breakdowns "trong đó" (of which)
separately, each category of its combination (reporting.models.CategoryCombo) summing to the total
on its own. So each PCMT element is published as one DHIS2 data element for its total (DHIS2's
default combination) and one per category of its combination, `<code><category's suffix>`: `_GT`
by sex (Nam, Nữ), `_TUOI` by age (dưới 18, từ 18), `_NTK` by the national statistics' age bands…
Each PCMT category is a DHIS2 category and a category combination of the same code; the category
option combinations keep PCMT's option codes (M, F, U18, A18, AG14_15…) as their codes.

Organisation units: Việt Nam → provinces (statistics-office codes) → communes (5-digit codes) and
the province's agencies (code `<province>:<agency>`, e.g. `66:SYT`). One data set per form and
report kind (period type) in use; its description says which period convention it follows.

Every object has a stable uid (`dhis2.uids.uid`), so a package imported once keeps matching.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from dhis2.uids import DEFAULT_CATEGORY, DEFAULT_CATEGORY_COMBO, DEFAULT_CATEGORY_OPTION, DEFAULT_COC, uid

if TYPE_CHECKING:
    from geo.models import Province

SHORT_NAME = 50  # DHIS2's limit for shortName
NAME = 230
OPENING_DATE = "2025-07-01"  # the 2025 administrative units took effect on 1 July 2025
COUNTRY_CODE = "VN"

# One-off reports share their period id with the annual report ("2026"): their values carry this
# attribute option combination, as DHIS2 keeps such values apart.
ONCE = "ONCE"
ONCE_CATEGORY, ONCE_COMBO, ONCE_NAME = "PCMT_LOAI_BAO_CAO", "PCMT_MOT_LAN", "Báo cáo một lần"
VALUE_TYPES = {
    "integer": "INTEGER_ZERO_OR_POSITIVE",
    "decimal": "NUMBER",
    "percentage": "PERCENTAGE",
    "boolean": "BOOLEAN",
    "text": "LONG_TEXT",
    "date": "DATE",
}
AGGREGATIONS = {"sum": "SUM", "average": "AVERAGE", "max": "MAX", "last": "LAST"}
PERIOD_TYPES = {
    "monthly": "Monthly",
    "quarterly": "Quarterly",
    "semiannual": "SixMonthly",
    "annual": "Yearly",
    "once": "Yearly",
}
CONVENTION_NOTES = {
    "calendar": "Kỳ theo lịch: trùng với kỳ của DHIS2 (quý 1 = 01/01–31/03).",
    "administrative": (
        "Kỳ chốt số liệu ngày 14 (Nghị định 09/2019/NĐ-CP): quý I từ 15/12 năm trước đến 14/03, quý II từ "
        "15/03 đến 14/06… KHÔNG trùng với quý lịch của DHIS2; mã kỳ 2026Q1 là quý I theo quy ước này."
    ),
}


def short_name(name: str, taken: set[str]) -> str:
    """A DHIS2 shortName: at most 50 characters, unique among its kind."""
    text = name if len(name) <= SHORT_NAME else name[: SHORT_NAME - 1].rstrip() + "…"
    candidate, n = text, 2
    while candidate in taken:
        tail = f" ({n})"
        candidate, n = text[: SHORT_NAME - len(tail)].rstrip() + tail, n + 1
    taken.add(candidate)
    return candidate


@dataclass(frozen=True)
class Obj:
    """One DHIS2 object: what the id schemes (UID, CODE, NAME) resolve."""

    kind: str
    uid: str
    code: str
    name: str


def _ref(obj_uid: str) -> dict[str, str]:
    return {"id": obj_uid}


class Catalogue:
    """PCMT's elements, forms and units in DHIS2's terms, for one province (None: the nation)."""

    def __init__(self, province: Province | None = None) -> None:
        from agencies.catalogue import Kind
        from agencies.models import Agency
        from geo.models import Commune
        from geo.models import Province as ProvinceModel
        from reporting.models import Category, DataElement, Form, FormItem, Schedule

        self.province = province
        self.elements = list(DataElement.objects.order_by("code"))
        # Breakdown groups: (DHIS2 category code, name, data element suffix, option codes), the
        # national categories and the province's own (the nation: every one).
        categories = Category.objects.prefetch_related("options").order_by("code")
        if province is not None:
            categories = categories.filter(Q(province__isnull=True) | Q(province=province))
        self.breakdowns: list[tuple[str, str, str, tuple[str, ...]]] = []
        self.labels: dict[str, str] = {}
        for category in categories:
            options = sorted(category.options.all(), key=lambda o: (o.order, o.pk))
            self.breakdowns.append(
                (category.code, category.name, category.dhis2_suffix, tuple(o.code for o in options))
            )
            self.labels |= {o.code: o.name for o in options}
        self.breakdown_of = {
            option: (code, suffix) for code, _, suffix, options in self.breakdowns for option in options
        }
        self.suffix_names = {suffix: f"theo {name[:1].lower()}{name[1:]}" for _, name, suffix, _ in self.breakdowns}
        provinces = ProvinceModel.objects.order_by("code")
        communes = Commune.objects.order_by("code")
        agencies = Agency.objects.filter(is_active=True, legacy=False).exclude(
            kind__in=[Kind.GROUP, Kind.COMMUNE_GROUP]
        )
        schedules = Schedule.objects.filter(is_active=True)
        if province is not None:
            provinces = provinces.filter(code=province.pk)
            communes = communes.filter(province=province)
            agencies = agencies.filter(province=province)
            schedules = schedules.filter(province=province)
        self.provinces = list(provinces.values_list("code", "name", "short_name"))
        self.communes = list(communes.values_list("code", "province_id", "name", "short_name"))
        self.agencies = list(
            agencies.order_by("province_id", "code").values_list("province_id", "code", "name", "short_name")
        )
        self.schedules = list(schedules.select_related("form").prefetch_related("communes", "agencies"))
        form_ids = {s.form_id for s in self.schedules}
        self.forms = list(Form.objects.filter(pk__in=form_ids).order_by("code"))
        self.form_elements: dict[int, list[str]] = defaultdict(list)
        for form_id, code in (
            FormItem.objects.filter(section__form_id__in=form_ids)
            .order_by("section__order", "order")
            .values_list("section__form_id", "element__code")
        ):
            self.form_elements[form_id].append(code)
        self._index: dict[str, dict[str, dict[str, Obj]]] | None = None
        # A DHIS2 instance's own uids (dhis2.mapping), both ways: {kind: {uid: code}}, {kind: {code: uid}}.
        self.foreign: dict[str, dict[str, str]] = {}
        self.foreign_of: dict[str, dict[str, str]] = {}

    def use_foreign(self, foreign: dict[str, dict[str, str]]) -> None:
        self.foreign = foreign
        self.foreign_of = {kind: {code: uid for uid, code in ids.items()} for kind, ids in foreign.items()}

    # ---- PCMT ↔ DHIS2 values -----------------------------------------------------------------

    def data_element_code(self, element_code: str, category: str) -> str:
        """The DHIS2 data element that carries PCMT's (element, breakdown) value."""
        if not category:
            return element_code
        return element_code + self.breakdown_of[category][1]

    def to_pcmt(self, de_code: str, coc_code: str) -> tuple[str, str] | None:
        """(PCMT element code, breakdown) of a DHIS2 (data element code, option combo code), or None
        when the pair does not exist (a breakdown on a total, a total on a breakdown …)."""
        category = "" if coc_code in ("", "default") else coc_code
        for _, _, suffix, _ in self.breakdowns:
            if de_code.endswith(suffix) and category and self.breakdown_of.get(category, ("", ""))[1] == suffix:
                return de_code[: -len(suffix)], category
        if category and category in self.breakdown_of:
            return de_code, category  # PCMT's own CSV/JSON: the element's code with the breakdown's
        return (de_code, "") if not category else None

    @staticmethod
    def org_unit_code(commune: str | None, province: str, agency: str | None) -> str:
        return commune or f"{province}:{agency}"

    # ---- lookups by id scheme ---------------------------------------------------------------

    def objects(self) -> dict[str, list[Obj]]:
        out: dict[str, list[Obj]] = defaultdict(list)
        for element in self.elements:
            out["dataElement"].append(Obj("dataElement", uid("dataElement", element.code), element.code, element.name))
            for _, _, suffix, categories in self.breakdowns:
                if any(c in element.categories for c in categories):
                    code = element.code + suffix
                    name = f"{element.name} — {self.suffix_names[suffix]}"
                    out["dataElement"].append(Obj("dataElement", uid("dataElement", code), code, name))
        out["categoryOptionCombo"].append(Obj("categoryOptionCombo", DEFAULT_COC, "default", "default"))
        labels = self.labels
        for _, _, _, categories in self.breakdowns:
            for category in categories:
                out["categoryOptionCombo"].append(
                    Obj("categoryOptionCombo", uid("categoryOptionCombo", category), category, labels[category])
                )
        out["attributeOptionCombo"] += [
            Obj("attributeOptionCombo", DEFAULT_COC, "default", "default"),
            Obj("attributeOptionCombo", uid("categoryOptionCombo", ONCE), ONCE, ONCE_NAME),
        ]
        out["orgUnit"].append(Obj("orgUnit", uid("orgUnit", COUNTRY_CODE), COUNTRY_CODE, "Việt Nam"))
        for code, name, _ in self.provinces:
            out["orgUnit"].append(Obj("orgUnit", uid("orgUnit", code), code, name))
        for code, _, name, _ in self.communes:
            out["orgUnit"].append(Obj("orgUnit", uid("orgUnit", code), code, name))
        for province, code, name, _ in self.agencies:
            key = f"{province}:{code}"
            out["orgUnit"].append(Obj("orgUnit", uid("orgUnit", key), key, name))
        for form, frequency, _ in self.data_sets():
            code = f"{form.code}_{frequency.upper()}"
            out["dataSet"].append(Obj("dataSet", uid("dataSet", code), code, f"{form.name} ({frequency})"))
        return out

    def index(self) -> dict[str, dict[str, dict[str, Obj]]]:
        """{kind: {scheme: {id: object}}}; a NAME shared by two objects maps to neither."""
        if self._index is None:
            index: dict[str, dict[str, dict[str, Obj]]] = {}
            for kind, objs in self.objects().items():
                by_name: dict[str, Obj] = {}
                ambiguous: set[str] = set()
                for o in objs:
                    if o.name in by_name:
                        ambiguous.add(o.name)
                    by_name[o.name] = o
                for name in ambiguous:
                    del by_name[name]
                index[kind] = {
                    "UID": {o.uid: o for o in objs},
                    "CODE": {o.code: o for o in objs},
                    "NAME": by_name,
                }
            self._index = index
        return self._index

    def resolve(self, kind: str, value: str, scheme: str) -> Obj | None:
        found = self.index().get(kind, {}).get(scheme, {}).get(value)
        if found is None and scheme == "UID" and value in self.foreign.get(kind, {}):
            found = self.index().get(kind, {}).get("CODE", {}).get(self.foreign[kind][value])
        return found

    # ---- the package ------------------------------------------------------------------------

    def data_sets(self) -> list[tuple[Any, str, set[str]]]:
        """(form, frequency, conventions) for each form and report kind in use."""
        seen: dict[tuple[int, str], tuple[Any, str, set[str]]] = {}
        for s in self.schedules:
            key = (s.form_id, s.frequency)
            entry = seen.setdefault(key, (s.form, s.frequency, set()))
            entry[2].add(s.convention)
        return sorted(seen.values(), key=lambda e: (e[0].code, e[1]))

    def package(self, *, created: dt.datetime | None = None) -> dict[str, Any]:
        """The DHIS2 metadata package (JSON, as `/api/metadata` imports it in one step)."""
        from django.utils import timezone

        from reporting.periods import CONVENTIONS, KINDS

        labels = self.labels
        names: dict[str, set[str]] = defaultdict(set)
        options = [
            {
                "id": uid("categoryOption", c),
                "code": c,
                "name": labels[c],
                "shortName": short_name(labels[c], names["co"]),
            }
            for _, _, _, categories in self.breakdowns
            for c in categories
        ]
        categories = [
            {
                "id": uid("category", code),
                "code": code,
                "name": name,
                "shortName": short_name(name, names["cat"]),
                "dataDimensionType": "DISAGGREGATION",
                "dataDimension": True,
                "categoryOptions": [_ref(uid("categoryOption", c)) for c in cats],
            }
            for code, name, _, cats in self.breakdowns
        ]
        combos = [
            {
                "id": uid("categoryCombo", code),
                "code": code,
                "name": name,
                "dataDimensionType": "DISAGGREGATION",
                "skipTotal": False,
                "categories": [_ref(uid("category", code))],
            }
            for code, name, _, _ in self.breakdowns
        ]
        cocs = [
            {
                "id": uid("categoryOptionCombo", c),
                "code": c,
                "name": labels[c],
                "categoryCombo": _ref(uid("categoryCombo", code)),
                "categoryOptions": [_ref(uid("categoryOption", c))],
            }
            for code, _, _, cats in self.breakdowns
            for c in cats
        ]
        options.append({"id": uid("categoryOption", ONCE), "code": ONCE, "name": ONCE_NAME, "shortName": ONCE_NAME})
        categories.append(
            {
                "id": uid("category", ONCE_CATEGORY),
                "code": ONCE_CATEGORY,
                "name": "Loại báo cáo",
                "shortName": "Loại báo cáo",
                "dataDimensionType": "ATTRIBUTE",
                "dataDimension": False,
                "categoryOptions": [_ref(uid("categoryOption", ONCE))],
            }
        )
        combos.append(
            {
                "id": uid("categoryCombo", ONCE_COMBO),
                "code": ONCE_COMBO,
                "name": ONCE_NAME,
                "dataDimensionType": "ATTRIBUTE",
                "skipTotal": False,
                "categories": [_ref(uid("category", ONCE_CATEGORY))],
            }
        )
        cocs.append(
            {
                "id": uid("categoryOptionCombo", ONCE),
                "code": ONCE,
                "name": ONCE_NAME,
                "categoryCombo": _ref(uid("categoryCombo", ONCE_COMBO)),
                "categoryOptions": [_ref(uid("categoryOption", ONCE))],
            }
        )
        data_elements = []
        for element in self.elements:
            variants = [("", element.name, DEFAULT_CATEGORY_COMBO)]
            for code, _, suffix, cats in self.breakdowns:
                if any(c in element.categories for c in cats):
                    variants.append(
                        (suffix, f"{element.name} — {self.suffix_names[suffix]}", uid("categoryCombo", code))
                    )
            for suffix, name, combo in variants:
                code = element.code + suffix
                data_elements.append(
                    {
                        "id": uid("dataElement", code),
                        "code": code,
                        "name": name[:NAME],
                        "shortName": short_name(name, names["de"]),
                        "formName": name[:NAME],
                        "description": element.definition,
                        "domainType": "AGGREGATE",
                        "valueType": VALUE_TYPES.get(element.value_type, "NUMBER"),
                        "aggregationType": AGGREGATIONS.get(element.aggregation, "SUM"),
                        "zeroIsSignificant": True,
                        "categoryCombo": _ref(combo),
                    }
                )
        root = uid("orgUnit", COUNTRY_CODE)
        org_units: list[dict[str, Any]] = [
            {"id": root, "code": COUNTRY_CODE, "name": "Việt Nam", "shortName": "Việt Nam", "openingDate": OPENING_DATE}
        ]
        for code, name, short in self.provinces:
            org_units.append(
                {
                    "id": uid("orgUnit", code),
                    "code": code,
                    "name": name,
                    "shortName": short_name(short or name, names[f"ou-{COUNTRY_CODE}"]),
                    "openingDate": OPENING_DATE,
                    "parent": _ref(root),
                }
            )
        for code, province, name, short in self.communes:
            org_units.append(
                {
                    "id": uid("orgUnit", code),
                    "code": code,
                    "name": name,
                    "shortName": short_name(short or name, names[f"ou-{province}"]),
                    "openingDate": OPENING_DATE,
                    "parent": _ref(uid("orgUnit", province)),
                }
            )
        for province, code, name, short in self.agencies:
            key = f"{province}:{code}"
            org_units.append(
                {
                    "id": uid("orgUnit", key),
                    "code": key,
                    "name": name,
                    "shortName": short_name(short or name, names[f"ou-{province}"]),
                    "openingDate": OPENING_DATE,
                    "parent": _ref(uid("orgUnit", province)),
                }
            )
        data_sets = []
        for form, frequency, conventions in self.data_sets():
            code = f"{form.code}_{frequency.upper()}"
            members: list[str] = []
            for s in self.schedules:
                if s.form_id != form.pk or s.frequency != frequency:
                    continue
                if form.level == "commune":
                    chosen = (
                        [c for c, p, _, _ in self.communes if p == s.province_id]
                        if s.all_communes
                        else [c.code for c in s.communes.all()]
                    )
                    members += chosen
                else:
                    members += [f"{s.province_id}:{a.code}" for a in s.agencies.all()]
            elements = self.form_elements.get(form.pk, [])
            de_codes = []
            by_code = {e.code: e for e in self.elements}
            for element_code in elements:
                element = by_code[element_code]
                de_codes.append(element_code)
                for _, _, suffix, cats in self.breakdowns:
                    if any(c in element.categories for c in cats):
                        de_codes.append(element_code + suffix)
            notes = " ".join(CONVENTION_NOTES[c] for c in sorted(conventions) if c in CONVENTION_NOTES)
            name = f"{form.name} — {KINDS.get(frequency, frequency).lower()}"
            data_sets.append(
                {
                    "id": uid("dataSet", code),
                    "code": code,
                    "name": name[:NAME],
                    "shortName": short_name(name, names["ds"]),
                    "description": (
                        f"Quy ước kỳ: {', '.join(CONVENTIONS.get(c, c) for c in sorted(conventions))}. {notes}"
                    ).strip(),
                    "periodType": PERIOD_TYPES[frequency],
                    "categoryCombo": _ref(
                        uid("categoryCombo", ONCE_COMBO) if frequency == "once" else DEFAULT_CATEGORY_COMBO
                    ),
                    "dataSetElements": [
                        {"dataElement": _ref(uid("dataElement", c)), "dataSet": _ref(uid("dataSet", code))}
                        for c in de_codes
                    ],
                    "organisationUnits": [_ref(uid("orgUnit", c)) for c in sorted(set(members))],
                    "attributeValues": [],
                }
            )
        return {
            "system": {
                "id": "PCMT",
                "version": "1",
                "date": (created or timezone.now()).isoformat(timespec="seconds"),
                "note": "Gói siêu dữ liệu của PCMT cho DHIS2; mặc định (default) dùng id sẵn có của DHIS2: "
                f"categoryCombo {DEFAULT_CATEGORY_COMBO}, category {DEFAULT_CATEGORY}, categoryOption "
                f"{DEFAULT_CATEGORY_OPTION}, categoryOptionCombo {DEFAULT_COC}.",
            },
            "categoryOptions": options,
            "categories": categories,
            "categoryCombos": combos,
            "categoryOptionCombos": cocs,
            "dataElements": data_elements,
            "organisationUnits": org_units,
            "dataSets": data_sets,
        }
