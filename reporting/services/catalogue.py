"""Loading the starter catalogue (reporting/catalogue.py) into the database, by code."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from reporting import catalogue
from reporting.models import DataElement, Form, FormItem, FormSection, ValidationRule
from reporting.rules import compile_rule, parse_rule_text


@dataclass
class CatalogueResult:
    elements_created: int = 0
    elements_updated: int = 0
    forms_created: int = 0
    forms_restructured: int = 0
    rules: int = 0


def check_catalogue() -> None:
    """Compile every starter rule against its form: a definition error raises RuleError."""
    for form in catalogue.FORMS:
        known = _known(form)
        for rule in catalogue.form_rules(form):
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
    from reporting.models import CATEGORIES_BY_DISAGGREGATION

    out = {}
    for section in form.sections:
        for item in section.items:
            element = catalogue.ELEMENTS_BY_CODE[item.rstrip("?")]
            out[element.code] = CATEGORIES_BY_DISAGGREGATION[element.disaggregation]
    return out


def _structure(form: Form) -> list[tuple[str, str, list[tuple[str, bool]]]]:
    sections = form.sections.prefetch_related("items__element").order_by("order", "id")
    return [(s.name, s.agency_codes, [(i.element.code, i.required) for i in s.items.all()]) for s in sections]


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
            element.save(update_fields=list(fields))
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
        rules = catalogue.form_rules(spec)
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
