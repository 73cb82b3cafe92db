"""core.compiled: a statement compiled once per shape returns exactly what the ORM returns."""

from __future__ import annotations

import pytest
from django.db.models import Count, Max, Sum

from core.compiled import Compiled
from reporting.models import DataValue
from reporting.periods import parse
from reporting.services import consolidation
from reporting.tests.builders_consolidation import PROVINCE_A, PROVINCE_B, commune_world

Q2 = parse("2026Q2")


def _build(*, form, periods, statuses, kind, provinces=None):
    return consolidation.partials_query(
        consolidation.base_values(form=form, periods=periods, statuses_in=statuses, provinces=provinces, kind=kind),
        ["submission__province_id", "submission__period", "element_id", "category"],
    )


@pytest.fixture
def world(db):
    return commune_world()


def _ordered(rows):
    return sorted(rows, key=lambda r: tuple(str(v) for v in r.values()))


@pytest.mark.parametrize(
    "params",
    [
        {"periods": ["2026Q2"], "statuses": ["approved"], "kind": "quarterly", "provinces": [PROVINCE_A]},
        {"periods": ["2026Q2", "2026Q1"], "statuses": ["approved", "submitted"], "kind": "quarterly"},
        {"periods": ["2026Q2"], "statuses": ["approved"], "kind": "quarterly", "provinces": [PROVINCE_A, PROVINCE_B]},
    ],
)
def test_rows_equal_the_orm_rows_with_its_types(world, params):
    compiled = Compiled(_build)
    expected = list(_build(form=world.form.pk, **params))
    assert expected, "the world has values for these parameters"
    for _ in range(2):  # compiled the first time, bound the second
        got = compiled.rows(form=world.form.pk, **params)
        assert _ordered(got) == _ordered(expected)
        assert [type(v) for v in _ordered(got)[0].values()] == [type(v) for v in _ordered(expected)[0].values()]


def test_values_are_bound_not_compiled_in(world):
    compiled = Compiled(_build)
    a = compiled.rows(form=world.form.pk, periods=["2026Q2"], statuses=["approved"], kind="quarterly")
    b = compiled.rows(form=world.form.pk, periods=["2025Q2"], statuses=["approved"], kind="quarterly")
    assert a and b and {r["submission__period"] for r in b} == {"2025Q2"}
    assert compiled.rows(form=world.form.pk, periods=["2020Q1"], statuses=["approved"], kind="quarterly") == []
    assert compiled.rows(form=world.form.pk + 1000, periods=["2026Q2"], statuses=["approved"], kind="quarterly") == []


def test_a_parameter_the_statement_ignores_is_refused(world):
    def build(*, form, unused):
        return DataValue.objects.filter(submission__schedule__form=form).values("element_id").annotate(n=Count("id"))

    with pytest.raises(ValueError, match="unused"):
        Compiled(build).rows(form=world.form.pk, unused="x")


def test_only_text_and_integers_can_be_bound(world):
    def build(*, flag):
        return DataValue.objects.filter(value__isnull=flag).values("element_id").annotate(n=Sum("value"), m=Max("id"))

    with pytest.raises(TypeError):
        Compiled(build).rows(flag=True)
