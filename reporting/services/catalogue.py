"""Loading the starter catalogue (reporting/catalogue.py) into the database, by code."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from django.db import transaction

from reporting import catalogue
from reporting.models import (
    Category,
    CategoryCombo,
    CategoryOption,
    ComboCategory,
    DataElement,
    Form,
    FormItem,
    FormSection,
    ValidationRule,
)
from reporting.rules import RuleError, compile_rule, parse_rule_text


@dataclass
class CatalogueResult:
    elements_created: int = 0
    elements_updated: int = 0
    forms_created: int = 0
    forms_restructured: int = 0
    rules: int = 0


# The standard combinations are seeded by migration 0008; a flushed database (transactional
# tests, `flush`) gets them back from the same definitions.
_SEED = importlib.import_module("reporting.migrations.0008_seed_category_combos")


def ensure_standard_combos() -> None:
    """Create the seeded categories and combinations that are missing (by code)."""
    if CategoryCombo.objects.filter(code__in=[c for c, _, _ in _SEED.COMBOS]).count() == len(_SEED.COMBOS):
        return
    categories = {}
    for code, name, suffix, options in _SEED.CATEGORIES:
        category, _ = Category.objects.get_or_create(code=code, defaults={"name": name, "dhis2_suffix": suffix})
        categories[code] = category
        for order, (ocode, oname) in enumerate(options, start=1):
            CategoryOption.objects.get_or_create(
                code=ocode, defaults={"category": category, "name": oname, "order": order}
            )
    for code, name, cats in _SEED.COMBOS:
        combo, created = CategoryCombo.objects.get_or_create(code=code, defaults={"name": name})
        if created:
            for order, c in enumerate(cats, start=1):
                ComboCategory.objects.create(combo=combo, category=categories[c], order=order)
            combo.refresh_codes()


def combo_rules(code: str, name: str, combo: CategoryCombo | None) -> tuple[catalogue.RuleDef, ...]:
    """Part ≤ total rules of an element broken down by any combination: for each category, its
    first option ≤ the total and all its options together ≤ the total (a blank part counts as none)."""
    if combo is None:
        return ()
    names = dict(Category.objects.filter(code__in=[c for c, _ in combo.groups]).values_list("code", "name"))
    labels = combo.labels
    rules: list[catalogue.RuleDef] = []
    for category, options in combo.groups:
        group = names.get(category, category)
        first = options[0]
        rules.append(
            catalogue.RuleDef(
                f"{code}_{first}"[:40],
                f"{code}:{first} <= {code}",
                f"Số «{labels[first].lower()}» không được lớn hơn tổng số ({name}).",
                missing_as_zero=True,
            )
        )
        if len(options) > 1:
            rules.append(
                catalogue.RuleDef(
                    f"{code}_{category}"[:40],
                    " + ".join(f"{code}:{o}" for o in options) + f" <= {code}",
                    f"Tổng các mục của nhóm «{group}» không được lớn hơn tổng số ({name}).",
                    missing_as_zero=True,
                )
            )
    return tuple(rules)


def starter_rules(form: catalogue.FormDef) -> tuple[catalogue.RuleDef, ...]:
    """The catalogue's rules of a starter form, and the part ≤ total rules of its elements whose
    combination the catalogue does not write rules for (any combination added as data)."""
    combos = {c.code: c for c in CategoryCombo.objects.all()}
    extra: list[catalogue.RuleDef] = []
    for section in form.sections:
        for item in section.items:
            element = catalogue.ELEMENTS_BY_CODE[item.rstrip("?")]
            if element.disaggregation and not catalogue.breakdown_rules(
                element.code, element.name, element.disaggregation
            ):
                extra += combo_rules(element.code, element.name, combos.get(element.disaggregation))
    return catalogue.form_rules(form) + tuple(extra)


def check_catalogue() -> None:
    """Compile every starter rule against its form: a definition error raises RuleError."""
    ensure_standard_combos()
    for form in catalogue.FORMS:
        known = _known(form)
        for rule in starter_rules(form):
            left, op, right = parse_rule_text(rule.text)
            compile_rule(
                code=rule.code,
                left=left,
                operator=op,
                right=right,
                message=rule.message,
                known=known,
                severity=rule.severity,
                missing_as_zero=rule.missing_as_zero,
            )


def _known(form: catalogue.FormDef) -> dict[str, tuple[str, ...]]:
    """{element code: its cells} of a starter form; `disaggregation` names a seeded combination."""
    combos = {c.code: ("", *c.codes) for c in CategoryCombo.objects.all()}
    out = {}
    for section in form.sections:
        for item in section.items:
            element = catalogue.ELEMENTS_BY_CODE[item.rstrip("?")]
            if element.disaggregation and element.disaggregation not in combos:
                raise RuleError(f"Chỉ tiêu {element.code}: phân tổ «{element.disaggregation}» không có.")
            out[element.code] = combos.get(element.disaggregation, ("",))
    return out


def _structure(form: Form) -> list[tuple[str, str, list[tuple[str, bool]]]]:
    sections = form.sections.prefetch_related("items__element").order_by("order", "id")
    return [(s.name, s.agency_codes, [(i.element.code, i.required) for i in s.items.all()]) for s in sections]


def _column(field: str) -> str:
    """The model field behind a catalogue attribute (`disaggregation` names the combination)."""
    return "category_combo" if field == "disaggregation" else field


@transaction.atomic
def load_starter_catalogue() -> CatalogueResult:
    """Create or update the starter elements, forms, sections and rules. Safe to run again:
    elements and forms are matched by code; a form's sections are rebuilt only when they differ;
    the starter forms' rules are exactly the catalogue's afterwards."""
    check_catalogue()
    result = CatalogueResult()
    elements: dict[str, DataElement] = {}
    existing = {e.code: e for e in DataElement.objects.filter(code__in=catalogue.ELEMENTS_BY_CODE)}
    fields = (
        "name",
        "definition",
        "unit",
        "value_type",
        "aggregation",
        "disaggregation",
        "source_level",
        "source_agencies",
    )
    for spec in catalogue.ELEMENTS:
        element = existing.get(spec.code)
        if element is None:
            element = DataElement.objects.create(code=spec.code, **{f: getattr(spec, f) for f in fields})
            result.elements_created += 1
        elif any(getattr(element, f) != getattr(spec, f) for f in fields):
            for f in fields:
                setattr(element, f, getattr(spec, f))
            element.save(update_fields=[_column(f) for f in fields])
            result.elements_updated += 1
        elements[spec.code] = element

    for spec in catalogue.FORMS:
        form, created = Form.objects.get_or_create(
            code=spec.code, defaults={"name": spec.name, "description": spec.description, "level": spec.level}
        )
        result.forms_created += created
        if not created and (form.name, form.description, form.level) != (spec.name, spec.description, spec.level):
            form.name, form.description, form.level = spec.name, spec.description, spec.level
            form.save(update_fields=["name", "description", "level"])
        wanted = [(s.name, s.agencies, [(i.rstrip("?"), not i.endswith("?")) for i in s.items]) for s in spec.sections]
        if _structure(form) != wanted:
            form.sections.all().delete()
            for order, (name, agencies, items) in enumerate(wanted, start=1):
                section = FormSection.objects.create(form=form, name=name, order=order, agency_codes=agencies)
                FormItem.objects.bulk_create(
                    [
                        FormItem(section=section, element=elements[code], order=n, required=required)
                        for n, (code, required) in enumerate(items, start=1)
                    ]
                )
            result.forms_restructured += not created
        rules = starter_rules(spec)
        for rule in rules:
            left, op, right = parse_rule_text(rule.text)
            ValidationRule.objects.update_or_create(
                form=form,
                code=rule.code,
                defaults={
                    "left": left,
                    "operator": op,
                    "right": right,
                    "message": rule.message,
                    "severity": rule.severity,
                    "missing_as_zero": rule.missing_as_zero,
                },
            )
        ValidationRule.objects.filter(form=form).exclude(code__in=[r.code for r in rules]).delete()
        result.rules += len(rules)
    return result
