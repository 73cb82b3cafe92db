"""Form versions: what a period's reports were entered under.

A period's version is fixed when its first report opens (on the grid, by an import): the latest
version of the form, or a new one when the form has changed since (items added or removed,
rules changed, elements retired). Later reports of the same schedule and period take the same
version. The grid, the gate (grid, CSV/DHIS2 import, API) and consolidation read the version,
never the live form, for a report that has one.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from reporting.models import DataElement, Form, FormItem, FormSection, FormVersion, Submission


def snapshot(form: Form) -> dict[str, Any]:
    """The form as it stands, retired elements (and the rules naming them) left out. The same
    layout as migration 0011 wrote version 1 in."""
    from reporting.rules import RuleError, parse_expression

    items_by_section: dict[int, list[list[Any]]] = {}
    retired: set[str] = set()
    for item in FormItem.objects.filter(section__form=form).select_related("element").order_by("order", "id"):
        if not item.element.is_active:
            retired.add(item.element.code)
            continue
        items_by_section.setdefault(item.section_id, []).append([item.element_id, item.element.code, item.required])
    sections = [
        {"name": s.name, "agency_codes": s.agency_codes, "items": items_by_section.get(s.pk, [])}
        for s in FormSection.objects.filter(form=form).order_by("order", "id")
    ]
    rules = []
    for r in form.rules.order_by("id"):
        try:
            names = {c for c, _ in parse_expression(r.left).cells + parse_expression(r.right).cells}
        except RuleError:
            names = set()
        if names & retired:
            continue
        rules.append([r.code, r.left, r.operator, r.right, r.message, r.severity, r.missing_as_zero])
    return {"sections": sections, "rules": rules}


@transaction.atomic
def current_version(form: Form) -> FormVersion:
    """The form's latest version, or a new one when the form has changed since."""
    Form.objects.select_for_update().filter(pk=form.pk).first()  # one new version at a time
    latest = FormVersion.objects.filter(form=form).order_by("-number").first()
    now = snapshot(form)
    if latest is not None and latest.snapshot == now:
        return latest
    return FormVersion.objects.create(form=form, number=(latest.number + 1) if latest else 1, snapshot=now)


def for_period(schedule: Any, period_id: str) -> FormVersion:
    """The version of the schedule's reports for the period (fixed by its first report)."""
    taken = (
        Submission.objects.filter(schedule=schedule, period=period_id, form_version__isnull=False)
        .values_list("form_version_id", flat=True)
        .first()
    )
    if taken is not None:
        return FormVersion.objects.get(pk=taken)
    return current_version(schedule.form)


def elements_of(versions: list[FormVersion]) -> dict[int, DataElement]:
    ids = {item[0] for v in versions for s in v.snapshot["sections"] for item in s["items"]}
    return DataElement.objects.in_bulk(ids)
