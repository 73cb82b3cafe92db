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


# ---- QĐ 28 Điều 6: the three drug-free figures from the latest approved report ---------------


@pytest.mark.django_db
def test_the_drug_free_figures_come_from_the_latest_approved_report_that_holds_them():
    _approved("2026Q1", USERS_EXCL_TREATMENT=9, LAW_BREAKERS_RESIDENT=4, FUGITIVES_HIDING=1)
    q2 = _approved("2026Q2", USERS_EXCL_TREATMENT=7, LAW_BREAKERS_RESIDENT=5)  # no fugitives figure (older form)
    _approved("2026Q3", status="submitted", USERS_EXCL_TREATMENT=99, FUGITIVES_HIDING=99)  # not approved: ignored
    _approved("2025Q4", FUGITIVES_HIDING=50)  # previous assessment year: ignored
    pre = prefill_figures(Commune.objects.get(code="24133"), 2026)
    # stocks on the closing day: the latest quarter, never a sum over the quarters
    assert (pre["residents_using"].value, pre["residents_violating"].value) == (7, 5)
    assert pre["residents_using"].kind == SourceKind.APPROVED_REPORT
    assert pre["residents_using"].note == "Từ báo cáo quý 2/2026 đã duyệt (số tại ngày 14/06/2026)"
    assert pre["residents_using"].ref == f"reporting:submission:{q2.pk}@2026Q2"
    # the fugitives figure is only in the first quarter's report: it says so
    assert pre["fugitives"].value == 1
    assert pre["fugitives"].note == "Từ báo cáo quý 1/2026 đã duyệt (số tại ngày 14/03/2026)"


@pytest.mark.django_db
def test_without_an_approved_report_the_drug_free_figures_are_typed_with_their_source():
    from areas.selectors import drug_free_prefill

    _approved("2026Q2", status="returned", USERS_EXCL_TREATMENT=3, LAW_BREAKERS_RESIDENT=0, FUGITIVES_HIDING=0)
    assert drug_free_prefill(Commune.objects.get(code="24133"), 2026) == {}


@pytest.mark.django_db
def test_the_registry_counts_residents_unless_the_approved_report_closes_on_the_same_day(monkeypatch):
    from areas import selectors
    from areas.selectors import Prefill

    registry = Prefill(6, SourceKind.CASE_REGISTRY, "Sổ quản lý hồ sơ, tính đến ngày 25/11/2026", "cases:24133")
    monkeypatch.setattr(selectors, "registry_prefill", lambda commune, year: {"residents_using": registry})
    commune = Commune.objects.get(code="24133")
    _approved("2026Q3", USERS_EXCL_TREATMENT=8, LAW_BREAKERS_RESIDENT=1, FUGITIVES_HIDING=0)
    pre = prefill_figures(commune, 2026)
    assert pre["residents_using"] == registry  # the registry counts on a later day than the Q3 report
    assert pre["residents_violating"].kind == SourceKind.APPROVED_REPORT  # the registry does not count these
    _approved("2026Q4", USERS_EXCL_TREATMENT=5, LAW_BREAKERS_RESIDENT=1, FUGITIVES_HIDING=0)
    pre = prefill_figures(commune, 2026)
    assert pre["residents_using"].value == 5 and "quý 4/2026" in pre["residents_using"].note


@pytest.mark.django_db
def test_the_assessment_records_which_drug_free_figures_came_from_the_report_and_which_by_hand(commune_a):
    from django.core.exceptions import ValidationError

    from areas import services
    from areas.tests.builders import CLEAN, NOTES

    sub = _approved("2026Q2", USERS_EXCL_TREATMENT=2, LAW_BREAKERS_RESIDENT=1)  # no fugitives figure
    commune = Commune.objects.get(code="24133")
    figures = {**CLEAN, "residents_using": 2, "residents_violating": 1, "fugitives": 0}
    blank = {"residents_using": "", "residents_violating": "", "fugitives": ""}
    # the fugitives figure is in no approved report: typed without its source, it is refused
    with pytest.raises(ValidationError) as exc:
        services.save_self_assessment(
            acting_user=commune_a, commune=commune, year=2026, figures=figures, notes={**NOTES, **blank}
        )
    assert set(exc.value.message_dict) == {"fugitives_note"}
    obj = services.save_self_assessment(
        acting_user=commune_a,
        commune=commune,
        year=2026,
        figures=figures,
        notes={**NOTES, **blank, "fugitives": "Công an xã, danh sách truy nã ngày 20/11/2026"},
    )
    assert obj.source_of("residents_using") == {
        "kind": SourceKind.APPROVED_REPORT,
        "note": "Từ báo cáo quý 2/2026 đã duyệt (số tại ngày 14/06/2026)",
        "ref": f"reporting:submission:{sub.pk}@2026Q2",
    }
    assert obj.source_of("residents_violating")["kind"] == SourceKind.APPROVED_REPORT
    assert obj.source_of("fugitives") == {
        "kind": SourceKind.MANUAL,
        "note": "Công an xã, danh sách truy nã ngày 20/11/2026",
        "ref": "",
    }
    # overriding the report's figure is allowed, with a stated source
    with pytest.raises(ValidationError) as exc:
        services.save_self_assessment(
            acting_user=commune_a,
            commune=commune,
            year=2026,
            figures={**figures, "residents_using": 3},
            notes={**NOTES, **blank, "fugitives": "Công an xã"},
        )
    assert "residents_using_note" in exc.value.message_dict
    obj = services.save_self_assessment(
        acting_user=commune_a,
        commune=commune,
        year=2026,
        figures={**figures, "residents_using": 3},
        notes={**NOTES, **blank, "residents_using": "Rà soát ngày 20/11/2026", "fugitives": "Công an xã"},
    )
    assert obj.source_of("residents_using")["kind"] == SourceKind.MANUAL and obj.residents_using == 3


@pytest.mark.django_db
def test_the_self_assessment_page_says_where_each_drug_free_figure_comes_from(login):
    from django.urls import reverse

    _approved("2026Q2", USERS_EXCL_TREATMENT=2, LAW_BREAKERS_RESIDENT=1)
    page = login("commune_a").get(reverse("areas:self_assessment", args=["24133", 2026]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Tự điền: Báo cáo đã phê duyệt — Từ báo cáo quý 2/2026 đã duyệt (số tại ngày 14/06/2026)" in text
    assert 'data-testid="no-report-fugitives"' in text and 'data-testid="no-report-residents_using"' not in text
    assert "Chưa có báo cáo quý đã duyệt của năm 2026 có số liệu này: nhập tay và ghi nguồn." in text
