"""Every area view × persona (in scope, out of scope), bad input, htmx partials and query counts."""

import datetime

import pytest
from django.urls import reverse

from areas import services
from areas.models import AreaSetting, CommuneAssessment, CommuneTarget, ProvinceAssessment, ProvinceTarget, Status
from areas.tests.builders import TYPE_I, TYPE_III, YEAR, A, B, approved, commune, draft, forwarded, submitted
from audit.models import AuditEvent
from geo.models import Province

ALL = ["office_a", "office_b", "agency_a", "commune_a", "case_a", "leader_a", "national", "admin"]
OTHER_66 = "24175"


def _expect(**codes):
    default = codes.pop("default", 403)
    return {p: codes.get(p, default) for p in ALL}


# What each persona gets on a GET of a province-66 page (B = Hưng Yên's office: 404).
PROVINCE_PAGE = _expect(office_a=200, office_b=404, leader_a=200, national=200)
PROFILE_A = _expect(office_a=200, office_b=404, commune_a=200, leader_a=200, national=200)
EDIT_A = _expect(office_a=200, office_b=404, commune_a=200)
INDEX = _expect(office_a=302, office_b=302, commune_a=302, leader_a=302, national=302)
NATION = _expect(national=200)

GETS = [
    ("areas:index", [], INDEX),
    ("areas:nation", [], NATION),
    ("areas:province", ["66"], PROVINCE_PAGE),
    ("areas:province_xlsx", ["66"], PROVINCE_PAGE),
    ("areas:roadmap", ["66"], PROVINCE_PAGE),
    ("areas:province_assessment", ["66"], PROVINCE_PAGE),
    ("areas:commune", [A], PROFILE_A),
    ("areas:self_assessment", [A, 2025], EDIT_A),
]


@pytest.fixture
def state(commune_a, office_a):
    """A submitted 2026 assessment for A, an approved one for B, and a province assessment."""
    a = submitted(commune_a, figures=TYPE_III)
    b = approved(office_a, office_a, code=B)
    services.record_historical_class(acting_user=office_a, commune=commune(A), year=2024, klass="II")
    services.set_commune_target(acting_user=office_a, commune=commune(A), target_year=2026)
    province = services.save_province_assessment(
        acting_user=office_a,
        province=Province.objects.get(code="66"),
        year=YEAR,
        figures={
            "population": 2_000_000,
            "users_with_records": 10,
            "points": 0,
            "arrested": 0,
            "plants": 0,
            "area_m2": 0,
            "on_interprovincial_route": False,
        },
        notes={
            n: "Công an tỉnh"
            for n in (
                "population",
                "users_with_records",
                "points",
                "arrested",
                "plants",
                "area_m2",
                "on_interprovincial_route",
            )
        },
    )
    return {"a": a, "b": b, "province": province}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize(("name", "args", "expected"), GETS, ids=[g[0] for g in GETS])
def test_get_pages(login, state, persona, name, args, expected):
    response = login(persona).get(reverse(name, args=args))
    assert response.status_code == expected[persona], (name, persona)


@pytest.mark.django_db
def test_index_sends_each_role_to_its_page(login):
    assert login("office_a").get(reverse("areas:index"))["Location"] == reverse("areas:province", args=["66"])
    assert login("commune_a").get(reverse("areas:index"))["Location"] == reverse("areas:commune", args=[A])
    assert login("national").get(reverse("areas:index"))["Location"] == reverse("areas:nation")


@pytest.mark.django_db
def test_a_commune_officer_gets_404_for_another_commune(login, state):
    client = login("commune_a")
    assert client.get(reverse("areas:commune", args=[OTHER_66])).status_code == 404
    assert client.get(reverse("areas:self_assessment", args=[OTHER_66, YEAR])).status_code == 404
    assert client.get(reverse("areas:commune", args=["00000"])).status_code == 404


@pytest.mark.django_db
def test_the_self_assessment_form_rejects_years_outside_qd28(login):
    client = login("commune_a")
    assert client.get(reverse("areas:self_assessment", args=[A, 2024])).status_code == 404
    assert client.get(reverse("areas:self_assessment", args=[A, YEAR + 1])).status_code == 404


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_login(client):
    response = client.get(reverse("areas:province", args=["66"]))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["areas:submit", "areas:return", "areas:forward", "areas:approve"])
def test_workflow_endpoints_refuse_get(login, state, name):
    assert login("office_a").get(reverse(name, args=[state["a"].pk])).status_code == 405


# --- POST matrix: status code and "nothing changed on refusal" -----------------------------

WRITE_EDIT = _expect(office_a=302, office_b=404, commune_a=302)
WRITE_REVIEW = _expect(office_a=302, office_b=404)


def _figures_post(**over):
    data = {
        "population": "10.000",
        "users_with_records": "3",
        "points": "0",
        "arrested": "0",
        "plants": "0",
        "area_m2": "0",
        "on_route": "0",
        "residents_using": "1",
        "residents_violating": "0",
        "fugitives": "0",
        "default_note": "Công an xã",
        "comment": "",
    }
    return {**data, **over}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ALL)
def test_post_self_assessment(login, commune_a, persona):
    response = login(persona).post(reverse("areas:self_assessment", args=[A, YEAR]), _figures_post())
    assert response.status_code == WRITE_EDIT[persona]
    saved = CommuneAssessment.objects.filter(commune_id=A, year=YEAR).first()
    assert (saved is not None) == (WRITE_EDIT[persona] == 302)
    if saved:
        assert saved.proposed_class == "III" and saved.source_of("points")["note"] == "Công an xã"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ALL)
def test_post_preview_changes_nothing(login, persona):
    response = login(persona).post(reverse("areas:preview", args=[A, YEAR]), _figures_post())
    assert response.status_code == {302: 200}.get(WRITE_EDIT[persona], WRITE_EDIT[persona])
    if response.status_code == 200:
        assert "Loại III" in response.content.decode()
    assert not CommuneAssessment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ALL)
def test_post_submit(login, commune_a, persona):
    obj = draft(commune_a)
    response = login(persona).post(reverse("areas:submit", args=[obj.pk]))
    assert response.status_code == WRITE_EDIT[persona]
    obj.refresh_from_db()
    assert (obj.status == Status.SUBMITTED) == (WRITE_EDIT[persona] == 302)


REVIEW_POSTS = [
    ("areas:return", lambda s: s["a"], {"comment": "Bổ sung nguồn"}, Status.RETURNED),
    ("areas:forward", lambda s: s["a"], {"comment": ""}, Status.FORWARDED),
]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize(("name", "pick", "data", "after"), REVIEW_POSTS, ids=["return", "forward"])
def test_post_review_steps(login, state, persona, name, pick, data, after):
    obj = pick(state)
    response = login(persona).post(reverse(name, args=[obj.pk]), data)
    assert response.status_code == WRITE_REVIEW[persona]
    obj.refresh_from_db()
    assert obj.status == (after if WRITE_REVIEW[persona] == 302 else Status.SUBMITTED)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ALL)
def test_post_approve(login, commune_a, office_a, persona):
    obj = forwarded(commune_a, office_a)
    response = login(persona).post(
        reverse("areas:approve", args=[obj.pk]),
        {
            "decision_number": "88/QĐ-UBND",
            "decision_date": "20/11/2026",
            "approved_class": obj.proposed_class,
            "note": "",
        },
    )
    assert response.status_code == WRITE_REVIEW[persona]
    obj.refresh_from_db()
    assert (obj.status == Status.APPROVED) == (WRITE_REVIEW[persona] == 302)
    if obj.status == Status.APPROVED:
        assert obj.decision_date == datetime.date(2026, 11, 20) and obj.decision_number == "88/QĐ-UBND"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ALL)
def test_post_historical(login, persona):
    response = login(persona).post(
        reverse("areas:historical", args=[A]),
        {"year": "2023", "klass": "I", "decision_number": "", "decision_date": ""},
    )
    assert response.status_code == WRITE_REVIEW[persona]
    assert CommuneAssessment.objects.filter(year=2023).exists() == (WRITE_REVIEW[persona] == 302)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ALL)
def test_post_literal_bands(login, persona):
    response = login(persona).post(reverse("areas:literal_bands", args=["66"]), {"literal_bands": "1"})
    assert response.status_code == WRITE_REVIEW[persona]
    assert AreaSetting.objects.filter(province_id="66", literal_bands=True).exists() == (WRITE_REVIEW[persona] == 302)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ALL)
def test_post_roadmap_targets(login, persona):
    data = {f"target_{y}": "" for y in range(2025, 2031)} | {"target_2026": "30", "note": "KH 048"}
    response = login(persona).post(reverse("areas:roadmap", args=["66"]), data)
    assert response.status_code == WRITE_REVIEW[persona]
    assert ProvinceTarget.objects.filter(province_id="66", year=2026).exists() == (WRITE_REVIEW[persona] == 302)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ALL)
def test_post_register_year(login, persona):
    response = login(persona).post(reverse("areas:register_year", args=["66"]), {"commune": A, "target_year": "2027"})
    assert response.status_code == WRITE_REVIEW[persona]
    assert CommuneTarget.objects.filter(commune_id=A, target_year=2027).exists() == (WRITE_REVIEW[persona] == 302)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ALL)
def test_post_province_assessment(login, persona):
    data = {
        "population": "2.000.000",
        "users_with_records": "10",
        "points": "0",
        "arrested": "0",
        "plants": "0",
        "area_m2": "0",
        "on_interprovincial_route": "1",
        "default_note": "Công an tỉnh",
        "note": "",
    }
    response = login(persona).post(reverse("areas:province_assessment", args=["66"]) + f"?year={YEAR}", data)
    assert response.status_code == WRITE_REVIEW[persona]
    assert ProvinceAssessment.objects.filter(province_id="66").exists() == (WRITE_REVIEW[persona] == 302)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ALL)
def test_post_finalize_and_reopen(login, state, persona):
    obj = state["province"]
    response = login(persona).post(reverse("areas:province_finalize", args=[obj.pk]))
    assert response.status_code == WRITE_REVIEW[persona]
    obj.refresh_from_db()
    assert obj.is_final == (WRITE_REVIEW[persona] == 302)
    if obj.is_final:
        assert login(persona).post(reverse("areas:province_reopen", args=[obj.pk])).status_code == 302
        obj.refresh_from_db()
        assert not obj.is_final


@pytest.mark.django_db
def test_a_commune_officer_cannot_post_for_another_commune(login, office_a):
    client = login("commune_a")
    assert client.post(reverse("areas:self_assessment", args=[OTHER_66, YEAR]), _figures_post()).status_code == 404
    other = submitted(office_a, code=OTHER_66)
    other_draft = draft(office_a, code=B)
    assert client.post(reverse("areas:submit", args=[other_draft.pk])).status_code == 404
    other.refresh_from_db()
    other_draft.refresh_from_db()
    assert other.status == Status.SUBMITTED and other_draft.status == Status.DRAFT


# --- bad input: Vietnamese message, database unchanged --------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("points", "hai", "«hai» không phải là số."),
        ("arrested", "-3", "không được âm"),
        ("population", "0", "phải lớn hơn 0"),
        ("plants", "1,5", "phải là số nguyên"),
        ("area_m2", "12,345", "chỉ ghi tối đa 2 chữ số thập phân"),
        ("area_m2", "1.23.4", "nhóm 3 chữ số"),
        ("users_with_records", "20.000", "không được lớn hơn nhân khẩu"),
    ],
)
def test_bad_figures_are_refused_in_vietnamese_and_nothing_changes(login, commune_a, field, value, message):
    obj = draft(commune_a)
    before = CommuneAssessment.objects.filter(pk=obj.pk).values().get()
    events = AuditEvent.objects.count()
    response = login("commune_a").post(
        reverse("areas:self_assessment", args=[A, YEAR]), _figures_post(**{field: value})
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert CommuneAssessment.objects.filter(pk=obj.pk).values().get() == before and AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_a_missing_source_note_is_named(login):
    response = login("commune_a").post(reverse("areas:self_assessment", args=[A, YEAR]), _figures_post(default_note=""))
    assert "Ghi rõ nguồn" in response.content.decode() and not CommuneAssessment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("31/02/2026", "Ngày 31/02/2026 không tồn tại."),
        ("2026-13-01", "Ngày 01/13/2026 không tồn tại."),
        ("31/12", "«31/12» không phải là ngày"),
        ("01/12/2027", "sau ngày hôm nay"),
    ],
)
def test_an_impossible_decision_date_is_refused(login, commune_a, office_a, date, message):
    obj = forwarded(commune_a, office_a)
    response = login("office_a").post(
        reverse("areas:approve", args=[obj.pk]),
        {"decision_number": "1/QĐ", "decision_date": date, "approved_class": obj.proposed_class},
    )
    assert response.status_code == 200 and message in response.content.decode()
    obj.refresh_from_db()
    assert obj.status == Status.FORWARDED and obj.decision_date is None


@pytest.mark.django_db
def test_a_return_without_comment_is_refused(login, commune_a):
    obj = submitted(commune_a)
    response = login("office_a").post(reverse("areas:return", args=[obj.pk]), {"comment": " "})
    assert response.status_code == 200 and "Ghi rõ lý do trả lại" in response.content.decode()
    obj.refresh_from_db()
    assert obj.status == Status.SUBMITTED


@pytest.mark.django_db
def test_a_target_below_the_national_one_is_refused(login):
    data = {f"target_{y}": "" for y in range(2025, 2031)} | {"target_2030": "45"}
    response = login("office_a").post(reverse("areas:roadmap", args=["66"]), data)
    assert response.status_code == 200 and "Không được thấp hơn chỉ tiêu toàn quốc" in response.content.decode()
    assert not ProvinceTarget.objects.exists()


@pytest.mark.django_db
def test_another_provinces_commune_cannot_be_registered(login):
    response = login("office_a").post(
        reverse("areas:register_year", args=["66"]), {"commune": "12010", "target_year": "2027"}
    )
    assert response.status_code == 200 and "Xã không thuộc tỉnh của bạn" in response.content.decode()
    assert not CommuneTarget.objects.exists()


@pytest.mark.django_db
def test_submitting_an_incomplete_form_saves_the_draft_and_says_what_is_missing(login):
    client = login("commune_a")
    response = client.post(
        reverse("areas:self_assessment", args=[A, YEAR]), _figures_post(fugitives="", submit="1"), follow=True
    )
    body = response.content.decode()
    assert "chưa gửi được" in body and "truy nã" in body
    assert CommuneAssessment.objects.get().status == Status.DRAFT


# --- pages show what they should ------------------------------------------------------------


@pytest.mark.django_db
def test_the_profile_shows_each_criterion_the_sources_and_the_help(login, commune_a):
    draft(commune_a, figures=TYPE_I)
    body = login("commune_a").get(reverse("areas:commune", args=[A])).content.decode()
    assert "Từng tiêu chí theo QĐ 28/2025/QĐ-TTg" in body and "≥ 0,5%" in body and "0,50% ≥ 0,5% — đạt" in body
    assert "Công an xã, số liệu đến 14/12" in body and "Nhập tay" in body
    assert "Cách hệ thống áp dụng tiêu chí" in body and "Mức tiêu chí tính lũy tiến" in body


@pytest.mark.django_db
def test_national_viewers_see_classes_but_not_figures(login, state):
    body = login("national").get(reverse("areas:commune", args=[B]) + f"?year={YEAR}").content.decode()
    assert "Không ma túy" in body and "Số liệu đầu vào" not in body and "Công an xã" not in body
    body = login("national").get(reverse("areas:commune", args=[A]) + f"?year={YEAR}").content.decode()
    assert "Chưa có hồ sơ" in body  # the submitted proposal is not an official result


@pytest.mark.django_db
def test_the_table_filters_sorts_and_answers_htmx_with_the_partial(login, state, office_a):
    draft(office_a, code=OTHER_66, figures=TYPE_I)
    client = login("office_a")
    url = reverse("areas:province", args=["66"])
    response = client.get(url, {"year": YEAR, "klass": "I"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and response.context["page"].paginator.count == 1
    rows = client.get(url, {"year": YEAR, "sort": "class"}).context["page"].object_list
    assert [r.class_key for r in rows[:3]] == ["I", "III", "drug_free"]
    assert client.get(url, {"year": YEAR, "status": "none"}).context["page"].paginator.count == 99
    assert client.get(url, {"year": YEAR, "q": "buôn ma thuột"}).context["page"].paginator.count >= 1
    change = {r.commune.code: r for r in client.get(url, {"year": YEAR}).context["page"].paginator.object_list}
    assert change[A].is_proposal and change[B].status_key == "approved"


@pytest.mark.django_db
def test_the_roadmap_page_lists_communes_at_risk_with_failing_conditions(login, state):
    response = login("office_a").get(reverse("areas:roadmap", args=["66"]), {"year": YEAR})
    body = response.content.decode()
    assert [r.commune.code for r in response.context["risks"]] == [A]
    assert "Không có người đang cư trú nghiện" in body and 'id="roadmap-data"' in body
    assert "echarts.simple.min.js" in body and "js/areas/roadmap-chart.js" in body


@pytest.mark.django_db
def test_the_province_assessment_page_shows_six_criteria_and_the_deadline(login, state):
    body = login("leader_a").get(reverse("areas:province_assessment", args=["66"]), {"year": YEAR}).content.decode()
    assert body.count("✗ không đạt") + body.count("✓ đạt") == 6
    assert "20/12/2026" in body and "Lưu và tính kết quả" not in body  # leaders read only


# --- query counts ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("areas:province", ["66"]),
        ("areas:nation", []),
        ("areas:roadmap", ["66"]),
        ("areas:commune", [A]),
        ("areas:province_assessment", ["66"]),
        ("areas:province_xlsx", ["66"]),
    ],
)
def test_list_pages_keep_their_query_count(login, state, office_a, queries_of, name, args):
    # Counts do not grow with the number of communes or assessments.
    client = login("national" if name == "areas:nation" else "office_a")
    assert client.get(reverse(name, args=args), {"year": YEAR}).status_code == 200
    few = queries_of(lambda: client.get(reverse(name, args=args), {"year": YEAR}))
    for code in ("24175", "24181", "24184"):
        draft(office_a, code=code, figures=TYPE_I)
    assert queries_of(lambda: client.get(reverse(name, args=args), {"year": YEAR})) == few


@pytest.mark.django_db
def test_the_nav_and_home_page_lead_to_the_area_pages(login):
    body = login("commune_a").get(reverse("dashboard:home")).content.decode()
    assert "Phân loại địa bàn" in body and reverse("areas:commune", args=[A]) in body
    body = login("office_a").get(reverse("dashboard:home")).content.decode()
    assert reverse("areas:province", args=["66"]) in body
    body = login("agency_a").get(reverse("dashboard:home")).content.decode()
    assert reverse("areas:index") not in body
