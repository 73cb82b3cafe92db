"""Form versions: what a period's reports were entered under.

A period's version is fixed when its first report opens (on the grid, by an import): the latest
version of the form, or a new one when the form has changed since (items added or removed,
rules changed, elements retired). Later reports of the same schedule and period take the same
version. The grid, the gate (grid, CSV/DHIS2 import, API) and consolidation read the version,
never the live form, for a report that has one.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction

from core.compiled import Compiled
from reporting.models import CatalogueGeneration, DataElement, Form, FormItem, FormSection, FormVersion, Submission


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


# A version is never changed once written (`current_version` only creates): its snapshot is kept
# in memory by id and creation time (an id alone may come back after a rolled-back transaction),
# so that every consolidation does not read and parse the same JSON again.
_FROZEN: dict[tuple[int, Any], FormVersion] = {}


def _used(*, form: int, period: str, province: str | None = None) -> Any:
    reports = Submission.objects.filter(form_version__form=form, period=period)
    if province is not None:
        reports = reports.filter(province_id=province)
    return reports.order_by().values("form_version_id", "form_version__created_at").distinct()


_USED = Compiled(_used)  # run beside every consolidation: compiled once (core.compiled)


def used_in(form: Form | int, period_id: str, province: str | None = None) -> list[FormVersion]:
    """The versions the period's reports of the form (in a province, or anywhere) were entered
    under, newest first: one query of version ids (the snapshots come from memory once read)."""
    params = {"form": form if isinstance(form, int) else form.pk, "period": period_id}
    if province is not None:
        params["province"] = province
    keys = {(row["form_version_id"], row["form_version__created_at"]) for row in _USED.rows(**params)}
    missing = [pk for pk, created in keys if (pk, created) not in _FROZEN]
    if missing:
        _FROZEN.update({(v.pk, v.created_at): v for v in FormVersion.objects.filter(pk__in=missing)})
    return sorted((_FROZEN[key] for key in keys if key in _FROZEN), key=lambda v: -v.number)


def elements_of(versions: list[FormVersion]) -> dict[int, DataElement]:
    """The data elements of the versions' items: read once per process while the catalogue's
    generation token stands (one tiny query instead of reading ~60 elements and their
    combinations for every consolidation). Shared: read them, never change them."""
    ids = {item[0] for v in versions for s in v.snapshot["sections"] for item in s["items"]}
    token = generation()
    if token is None:  # no token row (a flushed test database): read every time
        return DataElement.objects.in_bulk(ids)
    cached = _ELEMENTS.get(token)
    if cached is None:
        _ELEMENTS.clear()
        cached = _ELEMENTS[token] = {}
    if missing := ids - cached.keys():
        cached.update(DataElement.objects.in_bulk(missing))
    return {pk: cached[pk] for pk in ids if pk in cached}


_ELEMENTS: dict[str, dict[int, DataElement]] = {}
_TOKEN = Compiled(lambda: CatalogueGeneration.objects.filter(pk=1).values("token"))


def generation() -> str | None:
    rows = _TOKEN.rows()
    return rows[0]["token"] if rows else None


def catalogue_changed(**_: Any) -> None:
    """A data element or a category combination was written: a new generation token (signals)."""
    token = uuid.uuid4().hex
    if not CatalogueGeneration.objects.filter(pk=1).update(token=token):
        CatalogueGeneration.objects.get_or_create(pk=1, defaults={"token": token})
