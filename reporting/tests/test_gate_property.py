"""Property: a value gets the same fate on every path. Random values go through the entry grid and
through CSV (PCMT's machine CSV, a CSV saved by Excel in Vietnamese) and DHIS2 JSON import, each
written in its format's notation, inside an otherwise valid report; every path stores the same
value, or every path refuses it for the same reasons (value checks and the form's rules)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import vn
from reporting.models import Submission
from reporting.services import entry, exchange
from reporting.tests.builders_consolidation import communes_of
from reporting.tests.builders_entry import (
    COMMUNE_A,
    PROVINCE_A,
    TODAY,
    at,
    commune_schedule,
    commune_unit,
    office,
    open_sub,
    reporting_catalogue,  # noqa: F401
    save,
    valid_input,
)
from reporting.tests.test_gate import report_lines

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reporting_catalogue")]

# One element of each value type with a notation, from the starter commune form; the decimal one
# also sits in a rule (destroyed area ≤ detected area, the destroyed area being 4).
ELEMENTS = {
    "integer": "MGMT_ADDICTS",  # also broken down by sex and age: its parts are 1 each
    "decimal": "PLANTS_AREA_DETECTED",
    "boolean": "COUNSEL_POINT",
    "date": "SCREENING_DATE",
}
PERIOD = "2026Q4"

numbers = st.one_of(
    st.integers(min_value=-50, max_value=10**15).map(Decimal),
    st.decimals(min_value=-100, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
    st.decimals(min_value=0, max_value=10, places=6, allow_nan=False, allow_infinity=False),
)
values = st.one_of(
    st.tuples(st.sampled_from(["integer", "decimal"]), numbers),
    st.tuples(st.just("boolean"), st.booleans()),
    st.tuples(st.just("date"), st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))),
)


@pytest.fixture
def setting():
    with time_machine.travel(at(TODAY), tick=False):
        schedule = commune_schedule()
        units = [COMMUNE_A, *[c for c in communes_of(PROVINCE_A, 5) if c != COMMUNE_A][:3]]
        yield schedule, units


def text_of(kind: str, value: object, notation: vn.Notation) -> str:
    if kind == "boolean":
        return ("true" if value else "false") if notation is vn.Notation.CANONICAL else ("Có" if value else "Không")
    if kind == "date":
        return vn.format_date(value, notation)  # type: ignore[arg-type]
    return vn.format_number(value, notation=notation)  # type: ignore[arg-type]


def outcome_of_grid(schedule, unit: str, code: str, typed: str) -> tuple[str, object]:
    sub = open_sub(schedule, PERIOD, commune_unit(unit), on=TODAY)
    data = valid_input(schedule)
    data[f"v-{code}-T"] = typed
    result = save(sub, data, submit=True, on=TODAY)
    if result.parsed and result.parsed.errors:
        return "refused", set(result.parsed.codes.values())
    if not result.submitted:
        return "refused", result.checks.codes() if result.checks else {"?"}
    return "stored", stored_of(sub, code)


def outcome_of_import(rows, errors) -> tuple[str, object]:
    result = exchange.import_values(acting_user=office(), rows=rows, errors=errors, on=TODAY)
    if not result.ok:
        codes: set[str] = set()
        for e in result.errors:
            if e.code.startswith("missing:"):
                codes |= {f"missing:{c}" for c in e.code.removeprefix("missing:").split(",")}
            else:
                codes.add(e.code or e.message)
        return "refused", codes
    return "stored", None


def stored_of(sub: Submission, code: str) -> str:
    return entry.saved_values(sub)[0][(code, "")].canonical()


def lines_without(schedule, unit: str, code: str, notation: vn.Notation, sep: str) -> list[str]:
    head = sep.join([code, PERIOD, unit, "default"]) + sep
    return [line for line in report_lines(schedule, unit, PERIOD, notation, sep) if not line.startswith(head)]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(picked=values)
def test_every_path_stores_or_refuses_a_value_alike(setting, picked):
    schedule, (grid_unit, csv_unit, excel_unit, json_unit) = setting
    kind, value = picked
    code = ELEMENTS[kind]
    with time_machine.travel(at(TODAY), tick=False), transaction.atomic():
        outcomes = {"grid": outcome_of_grid(schedule, grid_unit, code, text_of(kind, value, vn.Notation.VIETNAMESE))}

        machine = lines_without(schedule, csv_unit, code, vn.Notation.CANONICAL, ",")
        machine.append(",".join([code, PERIOD, csv_unit, "default", text_of(kind, value, vn.Notation.CANONICAL)]))
        data = ("dataElement,period,orgUnit,categoryOptionCombo,value\n" + "\n".join(machine) + "\n").encode()
        outcomes["csv"] = outcome_of_import(*exchange.read_csv(data))

        human = lines_without(schedule, excel_unit, code, vn.Notation.VIETNAMESE, ";")
        human.append(";".join([code, PERIOD, excel_unit, "default", text_of(kind, value, vn.Notation.VIETNAMESE)]))
        data = ("dataElement;period;orgUnit;categoryOptionCombo;value\n" + "\n".join(human) + "\n").encode("utf-16")
        outcomes["excel csv"] = outcome_of_import(*exchange.read_csv(data))

        items = [
            dict(
                zip(["dataElement", "period", "orgUnit", "categoryOptionCombo", "value"], line.split(","), strict=True)
            )
            for line in lines_without(schedule, json_unit, code, vn.Notation.CANONICAL, ",")
        ]
        typed = text_of(kind, value, vn.Notation.CANONICAL)
        items.append({"dataElement": code, "period": PERIOD, "orgUnit": json_unit, "value": typed})
        outcomes["dhis2 json"] = outcome_of_import(*exchange.read_json(json.dumps({"dataValues": items})))

        for name, unit in (("csv", csv_unit), ("excel csv", excel_unit), ("dhis2 json", json_unit)):
            if outcomes[name][0] == "stored":
                sub = Submission.objects.get(schedule=schedule, period=PERIOD, commune_id=unit)
                outcomes[name] = ("stored", stored_of(sub, code))
        transaction.set_rollback(True)
    fates = {(tag, tuple(sorted(what)) if isinstance(what, set) else what) for tag, what in outcomes.values()}
    assert len(fates) == 1, (
        kind,
        value,
        outcomes,
    )
    if outcomes["grid"][0] == "stored" and kind in ("integer", "decimal"):
        assert Decimal(outcomes["grid"][1]) == value  # type: ignore[arg-type]
