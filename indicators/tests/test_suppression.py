"""The indicators page masks small counts of people for viewers who do not review the units
(issue 13 §3): a commune (or a province resting on one commune) of 1–4 shows "<5", the smallest
other non-zero unit "x"; the Standing Office sees exact figures."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Indicator
from reporting.tests.builders_consolidation import PROVINCE_A, PROVINCE_B
from reporting.tests.test_suppression import world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(world):  # noqa: F811
    Indicator.objects.update(is_active=False)
    Indicator.objects.create(
        code="ZI_PEOPLE", name="Người (thử)", numerator="ZS_PEOPLE", unit="người", decimals=0, order=1, min_coverage=0
    )
    return world


def _cells(response):
    return {row.key: row.cells[0].shown for row in response.context["board"].units}


def test_the_leader_sees_small_communes_masked(login, people):
    response = login("leader_a").get(reverse("indicators:province", args=[PROVINCE_A]), {"period": "2026Q2"})
    a1, a2, a3 = people["a"]
    cells = _cells(response)
    assert (cells[a1], cells[a2], cells[a3]) == ("<5", "x", Decimal(20))
    assert response.context["board"].cards[0].cell.shown == Decimal(35)
    assert "&lt;5" in response.content.decode()


def test_the_standing_office_sees_exact_figures(login, people):
    response = login("office_a").get(reverse("indicators:province", args=[PROVINCE_A]), {"period": "2026Q2"})
    a1, a2, _ = people["a"]
    assert (_cells(response)[a1], _cells(response)[a2]) == (Decimal(3), Decimal(12))


def test_the_national_monitor_sees_a_province_of_one_commune_masked(login, people):
    response = login("national").get(reverse("indicators:nation"), {"period": "2026Q2"})
    cells = _cells(response)
    assert cells[PROVINCE_B] == "<5" and cells[PROVINCE_A] == "x"
    assert response.context["board"].cards[0].cell.shown == Decimal(37)
