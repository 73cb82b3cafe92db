"""The services of the areas app: every workflow step, the rules around it, and refusals."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from areas import selectors, services
from areas.models import (
    AreaSetting,
    CommuneAssessment,
    CommuneTarget,
    LegalBasis,
    ProvinceAssessment,
    ProvinceTarget,
    SourceKind,
    Status,
    class_change,
    period_of,
    period_year,
)
from areas.rules import CLASS_I, CLASS_II, CLASS_III, DRUG_FREE, UNCLASSIFIED
from areas.tests.builders import (
    CLEAN,
    NOTES,
    TYPE_I,
    TYPE_III,
    YEAR,
    A,
    B,
    approved,
    commune,
    draft,
    forwarded,
    submitted,
)
from audit.models import AuditEvent
from geo.models import Population, Province

pytestmark = pytest.mark.django_db
TODAY = datetime.date(YEAR, 11, 25)


def _snapshot():
    return list(CommuneAssessment.objects.order_by("pk").values())


# --- periods --------------------------------------------------------------------------------


def test_the_period_runs_from_15_12_of_the_previous_year_to_14_12():
    assert period_of(2026) == (datetime.date(2025, 12, 15), datetime.date(2026, 12, 14))
    assert period_year(datetime.date(2026, 12, 14)) == 2026
    assert period_year(datetime.date(2026, 12, 15)) == 2027
    assert selectors.current_year() == 2026


# --- self-assessment ------------------------------------------------------------------------


def test_a_commune_saves_a_complete_draft_and_gets_the_engines_proposal(commune_a):
    obj = draft(commune_a, figures=TYPE_I)
    assert obj.status == Status.DRAFT and obj.legal_basis == LegalBasis.QD28 == "QĐ 28/2025/QĐ-TTg"
    assert obj.proposed_class == CLASS_I and obj.met_counts["I"] == 3 and obj.literal_bands is False
    assert obj.result().classification == CLASS_I
    event = AuditEvent.objects.get(action="area_assessment.create", object_id=str(obj.pk))
    assert event.actor == commune_a and event.province_code == "66" and event.changes["proposed_class"] == [None, "I"]


def test_an_incomplete_draft_is_saved_without_a_proposal(commune_a):
    obj = draft(commune_a, figures={**CLEAN, "fugitives": None, "on_route": None})
    assert obj.proposed_class == "" and not obj.is_complete and obj.result() is None


def test_every_manual_figure_needs_a_source_note_and_nothing_is_saved_without_it(commune_a):
    with pytest.raises(ValidationError) as exc:
        services.save_self_assessment(
            acting_user=commune_a, commune=commune(), year=YEAR, figures=CLEAN, notes={**NOTES, "points": ""}
        )
    assert "points_note" in exc.value.message_dict and "Ghi rõ nguồn" in exc.value.message_dict["points_note"][0]
    assert not CommuneAssessment.objects.exists()


def test_the_population_is_prefilled_from_the_population_list_with_its_source(commune_a):
    Population.objects.create(commune_id=A, year=YEAR, population=10_000, source="Cục Thống kê")
    obj = services.save_self_assessment(
        acting_user=commune_a, commune=commune(), year=YEAR, figures=CLEAN, notes={**NOTES, "population": ""}
    )
    source = obj.source_of("population")
    assert (
        source["kind"] == SourceKind.GEO_POPULATION
        and "Cục Thống kê" in source["note"]
        and source["ref"].startswith("geo.population:")
    )
    assert obj.source_of("points") == {"kind": SourceKind.MANUAL, "note": NOTES["points"], "ref": ""}
    # A changed value is no longer the list's figure: it needs a note of its own.
    with pytest.raises(ValidationError) as exc:
        services.save_self_assessment(
            acting_user=commune_a,
            commune=commune(),
            year=YEAR,
            figures={**CLEAN, "population": 12_000},
            notes={**NOTES, "population": ""},
        )
    assert "population_note" in exc.value.message_dict


def test_an_unchanged_figure_keeps_the_source_another_module_gave_it(commune_a):
    obj = draft(commune_a)
    obj.sources["arrested"] = {
        "kind": SourceKind.APPROVED_REPORT,
        "note": "Báo cáo tháng 11",
        "ref": "reporting.report:7",
    }
    CommuneAssessment.objects.filter(pk=obj.pk).update(sources=obj.sources)
    again = services.save_self_assessment(
        acting_user=commune_a, commune=commune(), year=YEAR, figures=CLEAN, notes={**NOTES, "arrested": ""}
    )
    assert again.source_of("arrested")["ref"] == "reporting.report:7"


@pytest.mark.parametrize(
    ("figures", "field", "message"),
    [
        ({**CLEAN, "population": 0}, "population", "phải lớn hơn 0"),
        ({**CLEAN, "points": -1}, "points", "không được âm"),
        ({**CLEAN, "arrested": "abc"}, "arrested", "phải là số"),
        ({**CLEAN, "plants": Decimal("2.5")}, "plants", "phải là số nguyên"),
        ({**CLEAN, "area_m2": Decimal("1.234")}, "area_m2", "tối đa 2 chữ số"),
        ({**CLEAN, "on_route": "yes"}, "on_route", "chọn Có hoặc Không"),
        ({**CLEAN, "users_with_records": 10_001}, "users_with_records", "không được lớn hơn nhân khẩu"),
        ({**CLEAN, "residents_using": 20_000}, "residents_using", "không được lớn hơn nhân khẩu"),
    ],
)
def test_bad_figures_are_refused_in_vietnamese_and_nothing_changes(commune_a, figures, field, message):
    draft(commune_a)
    before = _snapshot()
    with pytest.raises(ValidationError) as exc:
        draft(commune_a, figures=figures)
    assert message in " ".join(exc.value.message_dict[field])
    assert _snapshot() == before


def test_years_outside_qd28_are_refused(commune_a):
    for year in (2024, 2027):
        with pytest.raises(ValidationError):
            draft(commune_a, year=year)
    assert not CommuneAssessment.objects.exists()


def test_a_commune_officer_cannot_assess_another_commune_and_a_leader_cannot_at_all(commune_a, leader_a, office_b):
    for user, code in ((commune_a, B), (leader_a, A), (office_b, A)):
        with pytest.raises(PermissionDenied):
            draft(user, code=code)
    assert not CommuneAssessment.objects.exists()


# --- submit, review, approve ----------------------------------------------------------------


def test_the_whole_workflow_from_draft_to_approval_is_audited(commune_a, office_a):
    obj = submitted(commune_a, figures=TYPE_III)
    assert obj.status == Status.SUBMITTED and obj.submitted_by == commune_a
    obj = services.return_assessment(acting_user=office_a, assessment=obj, comment="Bổ sung nguồn số liệu bắt giữ")
    assert obj.status == Status.RETURNED and obj.review_comment.startswith("Bổ sung")
    obj = draft(commune_a, figures=TYPE_III)  # a returned assessment is editable again
    assert obj.status == Status.RETURNED
    obj = services.submit_assessment(acting_user=commune_a, assessment=obj)
    obj = services.forward_assessment(acting_user=office_a, assessment=obj, comment="Đồng ý")
    assert obj.status == Status.FORWARDED
    obj = services.approve_assessment(
        acting_user=office_a, assessment=obj, decision_number=" 45/QĐ-UBND ", decision_date=datetime.date(YEAR, 11, 20)
    )
    obj.refresh_from_db()
    assert (obj.status, obj.approved_class, obj.decision_number, obj.decision_date) == (
        Status.APPROVED,
        CLASS_III,
        "45/QĐ-UBND",
        datetime.date(YEAR, 11, 20),
    )
    assert obj.legal_basis == "QĐ 28/2025/QĐ-TTg" and obj.approved_by == office_a
    actions = list(
        AuditEvent.objects.filter(object_id=str(obj.pk), object_type="areas.communeassessment")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "area_assessment.create",
        "area_assessment.submit",
        "area_assessment.return",
        "area_assessment.update",
        "area_assessment.submit",
        "area_assessment.forward",
        "area_assessment.approve",
    ]


def test_an_incomplete_draft_cannot_be_submitted(commune_a):
    obj = draft(commune_a, figures={**CLEAN, "fugitives": None})
    with pytest.raises(ValidationError, match="Còn thiếu"):
        services.submit_assessment(acting_user=commune_a, assessment=obj)
    obj.refresh_from_db()
    assert obj.status == Status.DRAFT


def test_a_submitted_assessment_is_locked_for_the_commune(commune_a):
    submitted(commune_a)
    with pytest.raises(ValidationError, match="không sửa được"):
        draft(commune_a, figures=TYPE_I)
    assert CommuneAssessment.objects.get().proposed_class == DRUG_FREE


def test_steps_out_of_order_are_refused(commune_a, office_a):
    obj = draft(commune_a)
    with pytest.raises(ValidationError, match="trạng thái"):
        services.forward_assessment(acting_user=office_a, assessment=obj)
    obj = services.submit_assessment(acting_user=commune_a, assessment=obj)
    with pytest.raises(ValidationError, match="trạng thái"):
        services.approve_assessment(acting_user=office_a, assessment=obj, decision_number="1/QĐ", decision_date=TODAY)
    obj.refresh_from_db()
    assert obj.status == Status.SUBMITTED


def test_returning_needs_a_comment(commune_a, office_a):
    obj = submitted(commune_a)
    with pytest.raises(ValidationError) as exc:
        services.return_assessment(acting_user=office_a, assessment=obj, comment="  ")
    assert "lý do" in exc.value.message_dict["comment"][0]
    obj.refresh_from_db()
    assert obj.status == Status.SUBMITTED


@pytest.mark.parametrize(
    ("number", "day", "field", "message"),
    [
        ("", TODAY, "decision_number", "số quyết định"),
        ("12/QĐ-UBND", None, "decision_date", "ngày quyết định"),
        ("12/QĐ-UBND", datetime.date(YEAR, 11, 26), "decision_date", "sau ngày hôm nay"),
        ("12/QĐ-UBND", datetime.date(YEAR - 1, 12, 14), "decision_date", "15/12/2025"),
    ],
)
def test_approval_needs_a_decision_number_and_a_plausible_date(commune_a, office_a, number, day, field, message):
    obj = forwarded(commune_a, office_a)
    with pytest.raises(ValidationError) as exc:
        services.approve_assessment(acting_user=office_a, assessment=obj, decision_number=number, decision_date=day)
    assert message in exc.value.message_dict[field][0]
    obj.refresh_from_db()
    assert obj.status == Status.FORWARDED and obj.approved_class == ""


def test_an_approved_class_other_than_the_proposal_needs_a_reason(commune_a, office_a):
    obj = forwarded(commune_a, office_a, figures=TYPE_III)
    with pytest.raises(ValidationError) as exc:
        services.approve_assessment(
            acting_user=office_a, assessment=obj, decision_number="9/QĐ", decision_date=TODAY, approved_class=CLASS_II
        )
    assert "lý do" in exc.value.message_dict["note"][0]
    obj = services.approve_assessment(
        acting_user=office_a,
        assessment=obj,
        decision_number="9/QĐ",
        decision_date=TODAY,
        approved_class=CLASS_II,
        note="Kết luận đoàn kiểm tra",
    )
    assert (obj.proposed_class, obj.approved_class) == (CLASS_III, CLASS_II)


def test_only_the_provinces_office_reviews(commune_a, office_b, leader_a, national):
    obj = submitted(commune_a)
    for user in (commune_a, office_b, leader_a, national):
        with pytest.raises(PermissionDenied):
            services.forward_assessment(acting_user=user, assessment=obj)
        with pytest.raises(PermissionDenied):
            services.return_assessment(acting_user=user, assessment=obj, comment="x")
    obj.refresh_from_db()
    assert obj.status == Status.SUBMITTED


# --- QĐ 3122 history ------------------------------------------------------------------------


def test_historical_qd3122_classes_are_stored_with_their_basis_and_not_compared(commune_a, office_a):
    old = services.record_historical_class(
        acting_user=office_a,
        commune=commune(),
        year=2024,
        klass=CLASS_II,
        decision_number="77/QĐ-UBND",
        decision_date=datetime.date(2024, 12, 20),
    )
    assert (old.legal_basis, old.status, old.approved_class, old.comparable) == (
        "QĐ 3122/2010/QĐ-BCA",
        Status.APPROVED,
        CLASS_II,
        False,
    )
    assert old.result() is None
    rows = {r.commune.code: r for r in selectors.province_rows(office_a, Province.objects.get(code="66"), 2025)}
    assert rows[A].change_key == "none"  # no 2025 assessment yet
    draft(commune_a, year=2025)
    rows = {r.commune.code: r for r in selectors.province_rows(office_a, Province.objects.get(code="66"), 2025)}
    assert rows[A].change_key == "not_comparable" and "QĐ 3122" in rows[A].change_text


@pytest.mark.parametrize(
    ("year", "klass", "message"),
    [
        (2025, CLASS_I, "từ 2011 đến 2024"),
        (2010, CLASS_I, "từ 2011 đến 2024"),
        (2020, "IV", "Chọn xếp loại"),
    ],
)
def test_historical_entries_are_refused_outside_their_years_or_classes(office_a, year, klass, message):
    with pytest.raises(ValidationError) as exc:
        services.record_historical_class(acting_user=office_a, commune=commune(), year=year, klass=klass)
    assert message in " ".join(exc.value.messages)
    assert not CommuneAssessment.objects.exists()


def test_a_commune_officer_cannot_enter_history(commune_a):
    with pytest.raises(PermissionDenied):
        services.record_historical_class(acting_user=commune_a, commune=commune(), year=2023, klass=CLASS_I)


def test_class_change_reads_lower_severity_as_better():
    assert class_change(CLASS_III, CLASS_I, True)[0] == "better"
    assert class_change(CLASS_I, CLASS_II, True)[0] == "worse"
    assert class_change(UNCLASSIFIED, DRUG_FREE, True)[0] == "worse"
    assert class_change(DRUG_FREE, DRUG_FREE, True) == ("same", "Không đổi")
    assert class_change(DRUG_FREE, None, True) == ("none", "—")


# --- literal-band setting -------------------------------------------------------------------


def test_switching_to_literal_bands_recomputes_pending_proposals_but_not_approved_ones(commune_a, office_a):
    # 60 users (0,6%), 1 point, 6 arrested (0,06%), off any route: cumulative → type II (a, b, c);
    # literal bands → 0,6% is outside II.a's band, only 2 type II criteria → type III.
    figures = {**CLEAN, "users_with_records": 60, "points": 1, "arrested": 6, "residents_using": 5}
    pending = draft(commune_a, figures=figures)
    done = approved(office_a, office_a, code=B, figures=figures)
    assert pending.proposed_class == done.approved_class == CLASS_II
    cumulative = pending.proposed_class
    n = services.set_literal_bands(acting_user=office_a, province=Province.objects.get(code="66"), literal_bands=True)
    assert n == 1
    pending.refresh_from_db()
    done.refresh_from_db()
    assert pending.literal_bands and pending.proposed_class == CLASS_III
    assert not done.literal_bands and done.approved_class == cumulative
    assert AreaSetting.objects.get(province_id="66").literal_bands
    assert (
        services.set_literal_bands(acting_user=office_a, province=Province.objects.get(code="66"), literal_bands=True)
        == 0
    )
    assert draft(commune_a, figures=figures).literal_bands


def test_only_the_office_switches_the_band_reading(leader_a, office_b):
    for user in (leader_a, office_b):
        with pytest.raises(PermissionDenied):
            services.set_literal_bands(acting_user=user, province=Province.objects.get(code="66"), literal_bands=True)
    assert not AreaSetting.objects.exists()


# --- roadmap --------------------------------------------------------------------------------


def test_province_targets_override_the_national_ones_but_never_go_below(office_a):
    province = Province.objects.get(code="66")
    assert selectors.effective_target("66", 2025) == 20 and selectors.effective_target("66", 2030) == 50
    assert selectors.effective_target("66", 2027) is None
    n = services.set_province_targets(
        acting_user=office_a,
        province=province,
        targets={2025: Decimal("25"), 2027: Decimal("35.5"), 2030: None},
        note="KH 048/KH-UBND",
    )
    assert n == 2
    assert selectors.effective_target("66", 2025) == Decimal("25.00") and selectors.effective_target(
        "66", 2027
    ) == Decimal("35.50")
    with pytest.raises(ValidationError) as exc:
        services.set_province_targets(
            acting_user=office_a, province=province, targets={2030: Decimal(40), 2026: Decimal(120)}
        )
    assert (
        "toàn quốc" in exc.value.message_dict["target_2030"][0] and "100%" in exc.value.message_dict["target_2026"][0]
    )
    services.set_province_targets(acting_user=office_a, province=province, targets={2025: None})
    assert selectors.effective_target("66", 2025) == 20
    assert set(ProvinceTarget.objects.values_list("year", flat=True)) == {2027}
    assert AuditEvent.objects.filter(action="area_target.set").count() == 3


def test_the_roadmap_counts_approved_drug_free_communes_against_the_target(commune_a, office_a):
    province = Province.objects.get(code="66")
    approved(commune_a, office_a)  # A drug-free in 2026
    approved(office_a, office_a, code=B, figures=TYPE_III)
    services.set_commune_target(acting_user=office_a, commune=commune(A), target_year=2026)
    services.set_commune_target(acting_user=office_a, commune=commune(B), target_year=2028)
    total, progress = selectors.roadmap(province)
    by_year = {p.year: p for p in progress}
    assert total == 102
    assert (by_year[2026].approved, by_year[2026].drug_free) == (2, 1)
    assert by_year[2026].drug_free_share == Decimal("0.98")  # 1/102, truncated
    assert by_year[2026].target is None and by_year[2026].verdict == "Chưa đăng ký chỉ tiêu"
    assert (by_year[2025].registered, by_year[2026].registered, by_year[2028].registered) == (0, 1, 2)
    assert by_year[2025].verdict == "Chưa có kết quả phê duyệt"
    services.set_province_targets(acting_user=office_a, province=province, targets={2026: Decimal("0.5")})
    assert {p.year: p for p in selectors.roadmap(province)[1]}[2026].met


def test_a_commune_registered_for_the_year_and_not_drug_free_is_at_risk_with_the_failing_conditions(
    commune_a, office_a
):
    province = Province.objects.get(code="66")
    services.set_commune_target(acting_user=office_a, commune=commune(A), target_year=2026)
    services.set_commune_target(acting_user=office_a, commune=commune(B), target_year=2025)
    services.set_commune_target(acting_user=office_a, commune=commune("24175"), target_year=2027)
    draft(commune_a, figures={**CLEAN, "points": 1, "fugitives": 1})
    risks = {r.commune.code: r for r in selectors.at_risk(office_a, province, 2026)}
    assert set(risks) == {A, B}  # 24175 is registered for 2027
    titles = [t for t, _ in risks[A].reasons]
    assert len(titles) == 2 and "truy nã" in titles[0] and "điểm tổ chức" in titles[1]
    assert risks[B].reasons == [("Chưa có hồ sơ đánh giá năm này", "")]
    draft(commune_a, figures=CLEAN)  # now drug-free: no longer at risk
    assert {r.commune.code for r in selectors.at_risk(office_a, province, 2026)} == {B}


def test_commune_registration_years_are_checked(office_a, commune_a):
    with pytest.raises(ValidationError, match="2025 đến 2030"):
        services.set_commune_target(acting_user=office_a, commune=commune(), target_year=2031)
    with pytest.raises(PermissionDenied):
        services.set_commune_target(acting_user=commune_a, commune=commune(), target_year=2027)
    assert not CommuneTarget.objects.exists()
    services.set_commune_target(acting_user=office_a, commune=commune(), target_year=2027)
    services.set_commune_target(acting_user=office_a, commune=commune(), target_year=None)
    assert not CommuneTarget.objects.exists()
    assert AuditEvent.objects.filter(action__startswith="commune_target.").count() == 2


# --- provincial self-assessment -------------------------------------------------------------

PROVINCE_FIGS = {
    "population": 2_000_000,
    "users_with_records": 4_000,
    "points": 5,
    "arrested": 900,
    "plants": 100,
    "area_m2": Decimal("10.5"),
    "on_interprovincial_route": True,
}
PROVINCE_NOTES = {k: "Công an tỉnh" for k in PROVINCE_FIGS}


def test_the_province_counts_type_i_ii_communes_from_approved_classes(commune_a, office_a):
    province = Province.objects.get(code="66")
    approved(commune_a, office_a, figures=TYPE_I)
    approved(office_a, office_a, code=B, figures=TYPE_I)
    draft(office_a, code="24175", figures=TYPE_I)  # proposals do not count
    obj = services.save_province_assessment(
        acting_user=office_a, province=province, year=YEAR, figures=PROVINCE_FIGS, notes=PROVINCE_NOTES
    )
    assert (obj.communes_type_I_II, obj.communes_total, obj.communes_approved) == (2, 102, 2)
    # 0,2% users ✓, 5 points ✓, 0,045% arrested ✗, 2/102 = 1,96% < 3% ✗, plants ✗, route ✓ → 3/6
    assert (obj.criteria_met, obj.key_area) == (3, False)
    approved(office_a, office_a, code="24175", figures=TYPE_I)
    obj = services.finalize_province_assessment(acting_user=office_a, assessment=obj)
    # 3/102 = 2,94% still < 3%.
    assert obj.is_final and obj.communes_type_I_II == 3 and obj.criteria_met == 3
    with pytest.raises(ValidationError, match="đã chốt"):
        services.save_province_assessment(
            acting_user=office_a,
            province=province,
            year=YEAR,
            figures={**PROVINCE_FIGS, "arrested": 1000},
            notes=PROVINCE_NOTES,
        )
    obj = services.reopen_province_assessment(acting_user=office_a, assessment=obj)
    obj = services.save_province_assessment(
        acting_user=office_a,
        province=province,
        year=YEAR,
        figures={**PROVINCE_FIGS, "arrested": 1000},
        notes=PROVINCE_NOTES,
    )
    assert (obj.criteria_met, obj.key_area) == (4, True)
    assert AuditEvent.objects.filter(object_type="areas.provinceassessment").count() == 4


def test_provincial_figures_are_all_required_and_checked(office_a):
    province = Province.objects.get(code="66")
    with pytest.raises(ValidationError) as exc:
        services.save_province_assessment(
            acting_user=office_a,
            province=province,
            year=YEAR,
            figures={**PROVINCE_FIGS, "points": None, "population": 0},
            notes=PROVINCE_NOTES,
        )
    assert "points" in exc.value.message_dict and "lớn hơn 0" in exc.value.message_dict["population"][0]
    assert not ProvinceAssessment.objects.exists()


def test_provincial_prefill_sums_the_communes(commune_a, office_a):
    province = Province.objects.get(code="66")
    approved(commune_a, office_a, figures=TYPE_I)
    prefill = selectors.province_prefill(province, YEAR)
    assert prefill["points"].value == 2 and prefill["points"].kind == SourceKind.COMMUNE_SUM
    assert "1/102" in prefill["points"].note


def test_the_leader_and_other_offices_cannot_write_the_provincial_assessment(leader_a, office_b):
    for user in (leader_a, office_b):
        with pytest.raises(PermissionDenied):
            services.save_province_assessment(
                acting_user=user,
                province=Province.objects.get(code="66"),
                year=YEAR,
                figures=PROVINCE_FIGS,
                notes=PROVINCE_NOTES,
            )
    assert not ProvinceAssessment.objects.exists()


# --- scoping --------------------------------------------------------------------------------


def test_for_user_scopes_each_persona(commune_a, office_a, office_b, leader_a, national, agency_a, case_a, admin_user):
    mine = draft(commune_a)
    done = approved(office_a, office_a, code=B)
    seen = {
        u: set(CommuneAssessment.objects.for_user(u).values_list("pk", flat=True))
        for u in (commune_a, office_a, office_b, leader_a, national, agency_a, case_a, admin_user)
    }
    assert seen[commune_a] == {mine.pk}
    assert seen[office_a] == seen[leader_a] == {mine.pk, done.pk}
    assert seen[national] == {done.pk}  # approved results only
    # The administrator runs the installation: no province's classification work.
    assert seen[office_b] == seen[agency_a] == seen[case_a] == seen[admin_user] == set()
    assert set(CommuneAssessment.objects.for_user(leader_a, "edit")) == set()
    assert set(CommuneAssessment.objects.for_user(commune_a, "review")) == set()
    with pytest.raises(ValueError):
        CommuneAssessment.objects.for_user(office_a, "delete")
