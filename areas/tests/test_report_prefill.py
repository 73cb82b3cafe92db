"""Figures already reported (approved quarterly reports) pre-fill the commune's assessment."""

from decimal import Decimal

import pytest

from areas.models import SourceKind
from areas.selectors import prefill_figures, province_prefill
from geo.models import Commune, Population
from reporting.models import DataElement, DataValue, Form, Schedule, Submission


def _approved(period: str, status: str = "approved", **values: int | str) -> Submission:
    schedule, _ = Schedule.objects.get_or_create(
        province_id="66",
        form=Form.objects.get(code="XA_QUY"),
        name="Báo cáo quý cấp xã",
        defaults={
            "frequency": "quarterly",
            "convention": "administrative",
            "due_kind": "day_of_last_month",
            "due_day": 15,
            "all_communes": True,
            "first_period": "2026Q1",
        },
    )
    sub = Submission.objects.create(
        schedule=schedule, period=period, province_id="66", commune_id="24133", status=status
    )
    DataValue.objects.bulk_create(
        DataValue(submission=sub, element=DataElement.objects.get(code=code), value=Decimal(str(v)))
        for code, v in values.items()
    )
    return sub


@pytest.mark.django_db
def test_stocks_take_the_last_quarter_and_flows_add_up():
    _approved(
        "2026Q1",
        MGMT_ADDICTS=10,
        MGMT_USERS=5,
        DRUG_OFFENDERS=3,
        PLANTS_DESTROYED_COUNT=100,
        PLANTS_AREA_DESTROYED="12.5",
        PLACES_CARRIED=1,
        PLACES_DETECTED=1,
    )
    _approved(
        "2026Q2",
        MGMT_ADDICTS=12,
        MGMT_USERS=6,
        DRUG_OFFENDERS=4,
        PLANTS_DESTROYED_COUNT=50,
        PLANTS_AREA_DESTROYED="7.5",
        PLACES_CARRIED=2,
        PLACES_DETECTED=2,
    )
    _approved("2026Q3", status="submitted", MGMT_ADDICTS=99, DRUG_OFFENDERS=99)  # not approved: ignored
    _approved("2025Q4", DRUG_OFFENDERS=99)  # previous assessment year: ignored
    Population.objects.create(commune_id="24133", year=2026, population=130000)
    pre = prefill_figures(Commune.objects.get(code="24133"), 2026)
    assert pre["users_with_records"].value == 18
    assert pre["arrested"].value == 7 and pre["plants"].value == 150 and pre["area_m2"].value == Decimal("20")
    assert pre["points"].value == 4  # 1 carried into Q1, then 1 + 2 detected
    assert pre["arrested"].kind == SourceKind.APPROVED_REPORT
    assert "Quý 1, Quý 2; 2/4 quý" in pre["arrested"].note
    assert pre["population"].kind == SourceKind.GEO_POPULATION


@pytest.mark.django_db
def test_without_approved_reports_only_the_population_is_offered():
    pre = prefill_figures(Commune.objects.get(code="24133"), 2026)
    assert set(pre) <= {"population"}


@pytest.mark.django_db
def test_the_population_comes_from_the_latest_list_up_to_the_assessment_year_and_names_its_year():
    commune = Commune.objects.get(code="24133")
    Population.objects.filter(commune=commune).delete()
    Population.objects.create(commune=commune, year=2024, population=120000)
    Population.objects.create(commune=commune, year=2025, population=125000, source="Cục Thống kê")
    Population.objects.create(commune=commune, year=2027, population=999999)  # a later list: never used
    pre = prefill_figures(commune, 2026)["population"]
    assert pre.value == 125000
    assert pre.note == "Nhân khẩu năm 2025 — Cục Thống kê"
    assert "population" not in prefill_figures(commune, 2023)


@pytest.mark.django_db
def test_the_province_population_adds_the_communes_of_the_latest_list_with_its_coverage():
    commune = Commune.objects.get(code="24133")
    province = commune.province
    others = list(Commune.objects.filter(province=province).exclude(pk=commune.pk)[:2])
    Population.objects.filter(commune__province=province).delete()
    Population.objects.create(commune=commune, year=2025, population=100)
    Population.objects.create(commune=others[0], year=2025, population=50)
    Population.objects.create(commune=others[1], year=2024, population=7)  # older list: not mixed in
    pre = province_prefill(province, 2026)["population"]
    total = Commune.objects.filter(province=province).count()
    assert pre.value == 150
    assert pre.note == f"Tổng nhân khẩu năm 2025 của 2/{total} xã, phường"
