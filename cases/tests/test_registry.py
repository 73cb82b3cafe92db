"""The registry's services and pages: the path, transfers, duplicates, interventions, requests,
alerts, figures, retention and key rotation."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from cases import crypto
from cases.models import Decision, MergeLog, Person, PersonRequest, Transfer
from cases.services import alerts, figures, followup, persons, retention
from cases.services.decisions import add_decision
from cases.tests.conftest import cccd_for
from conftest import sign_in
from legal import path
from notices.models import Notification

pytestmark = pytest.mark.django_db
D = datetime.date


def _walk(user, person, *steps):
    for decision_type, day, *extra in steps:
        add_decision(
            acting_user=user, person=person, decision_type=decision_type, decided_on=day, **(extra[0] if extra else {})
        )
    person.refresh_from_db()
    return person


# --- persons ---------------------------------------------------------------------------------------


def test_one_person_per_cccd_nationally(new_person, ward_a, ward_b, person_a):
    with pytest.raises(ValidationError) as exc:
        new_person(ward_b, name="Ai Đó", cccd=person_a.cccd)
    assert "đã có trong sổ quản lý" in str(exc.value)


def test_a_person_without_cccd_needs_a_reason(new_person, ward_a):
    with pytest.raises(ValidationError) as exc:
        new_person(ward_a, cccd="")
    assert "lý do" in str(exc.value)
    person = new_person(ward_a, cccd="", no_cccd_reason="chua_cap")
    assert person.cccd == "" and person.cccd_hash is None


def test_an_inconsistent_cccd_is_refused(new_person, ward_a):
    wrong_sex = cccd_for(D(1990, 5, 17), "F")
    with pytest.raises(ValidationError) as exc:
        new_person(ward_a, cccd=wrong_sex)
    assert "cccd" in exc.value.message_dict


def test_case_officer_adds_a_person_through_the_page(client, case_a, ward_a):
    sign_in(client, case_a)
    data = {
        "full_name": "Đinh Thị Mới",
        "birth_date": "03/04/1995",
        "sex": "F",
        "cccd": cccd_for(D(1995, 4, 3), "F"),
        "commune": ward_a.code,
        "address": "5 Y Jut",
    }
    response = client.post(reverse("cases:create"), data)
    assert response.status_code == 302
    person = Person.objects.get(name_hash=crypto.name_hash("dinh thi moi"))
    assert person.commune_id == ward_a.code and person.address == "5 Y Jut"


def test_a_case_officer_cannot_add_in_another_commune(client, case_a, ward_other):
    sign_in(client, case_a)
    data = {
        "full_name": "X Y",
        "birth_date": "03/04/1995",
        "sex": "F",
        "no_cccd_reason": "mat_the",
        "commune": ward_other.code,
    }
    assert client.post(reverse("cases:create"), data).status_code == 200  # the choice is not offered
    assert not Person.objects.exists()


# --- the path ----------------------------------------------------------------------------------------


def test_management_decision_computes_its_dates_and_rule_set(case_a, person_a):
    person = _walk(case_a, person_a, ("quan_ly_su_dung", D(2026, 3, 10)))
    d = person.decisions.get()
    assert person.status == path.USING
    assert d.ends_on is not None and d.ends_on.year == 2027 and d.ruleset_id is not None
    assert "73/2021" in d.citation
    assert d.signer_office == path.signer_office("quan_ly_su_dung", D(2026, 3, 10))


def test_the_signer_changes_on_1_july_2026(case_a, person_a, new_person, ward_a):
    before = _walk(case_a, person_a, ("quan_ly_su_dung", D(2026, 6, 30))).decisions.get()
    other = new_person(ward_a, name="Lê Văn Sau", birth=D(1988, 1, 2))
    after = _walk(case_a, other, ("quan_ly_su_dung", D(2026, 7, 1))).decisions.get()
    assert before.signer_office != after.signer_office
    assert "120/2025" in after.citation


def test_an_impossible_transition_is_refused_with_the_vietnamese_message(client, case_a, person_a):
    sign_in(client, case_a)
    response = client.post(
        reverse("cases:decision_add", args=[person_a.pk]),
        {"decision_type": "cai_bat_buoc", "decided_on": "10/03/2026"},
    )
    assert response.status_code == 400
    assert "Không thể ghi" in response.content.decode()
    assert not Decision.objects.exists()


def test_decisions_are_entered_in_order(case_a, person_a):
    _walk(case_a, person_a, ("quan_ly_su_dung", D(2026, 3, 10)))
    with pytest.raises(ValidationError) as exc:
        add_decision(
            acting_user=case_a, person=person_a, decision_type="dua_di_xac_dinh_nghien", decided_on=D(2026, 2, 1)
        )
    assert "theo thứ tự thời gian" in str(exc.value)


def test_the_detail_page_shows_the_timeline_and_dates(client, case_a, person_a):
    _walk(case_a, person_a, ("quan_ly_su_dung", D(2026, 3, 10)))
    body = sign_in(client, case_a).get(reverse("cases:person", args=[person_a.pk])).content.decode()
    d = person_a.decisions.get()
    assert "10/03/2026" in body and d.ends_on.strftime("%d/%m/%Y") in body
    assert "Nguyễn Văn Thử" in body and "12 Lê Duẩn" in body


# --- transfers -----------------------------------------------------------------------------------


def test_a_transfer_keeps_the_sender_reading_until_accepted(
    client, case_a, case_other, person_a, ward_other, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        transfer = followup.request_transfer(
            acting_user=case_a, person=person_a, to_commune=ward_other, moved_on=D(2026, 4, 1)
        )
    assert Notification.objects.filter(user=case_other, key=f"cases.transfer.{transfer.pk}.in").exists()
    assert Notification.objects.filter(user=case_a, key=f"cases.transfer.{transfer.pk}.out").exists()
    url = reverse("cases:person", args=[person_a.pk])
    sign_in(client, case_a)
    assert client.get(url).status_code == 200
    assert (
        client.post(reverse("cases:decision_add", args=[person_a.pk]), {"decision_type": "quan_ly_su_dung"}).status_code
        == 404
    )
    sign_in(client, case_other)
    assert client.post(reverse("cases:transfer_accept", args=[transfer.pk])).status_code == 302
    transfer.refresh_from_db()
    assert transfer.state == Transfer.State.ACCEPTED
    sign_in(client, case_a)
    assert client.get(url).status_code == 404
    assert Person.objects.in_scope(case_other).filter(pk=person_a.pk).exists()


def test_only_the_receiving_commune_accepts(client, case_a, case_b, person_a, ward_other):
    transfer = followup.request_transfer(
        acting_user=case_a, person=person_a, to_commune=ward_other, moved_on=D(2026, 4, 1)
    )
    for user in (case_a, case_b):
        assert sign_in(client, user).post(reverse("cases:transfer_accept", args=[transfer.pk])).status_code == 404


# --- duplicates ----------------------------------------------------------------------------------


def test_likely_duplicates_are_proposed_and_merged_with_a_log(client, case_a, new_person, ward_a):
    first = new_person(ward_a, name="Phan Văn Trùng", cccd="", no_cccd_reason="mat_the")
    second = new_person(ward_a, name="PHAN VAN TRUNG")
    _walk(case_a, second, ("quan_ly_su_dung", D(2026, 3, 10)))
    assert [sorted(p.pk for p in g) for g in persons.likely_duplicates(user=case_a)] == [sorted([first.pk, second.pk])]
    sign_in(client, case_a)
    assert "Gộp hồ sơ" in client.get(reverse("cases:duplicates")).content.decode()
    assert client.post(reverse("cases:merge"), {"keep": first.pk, "other": second.pk}).status_code == 302
    first.refresh_from_db()
    assert not Person.objects.filter(pk=second.pk).exists()
    assert first.cccd_hash is not None and first.decisions.count() == 1 and first.status == path.USING
    assert MergeLog.objects.get().merged_id == second.pk


# --- interventions, requests, alerts ------------------------------------------------------------------


def test_interventions_and_requests(client, case_a, person_a):
    sign_in(client, case_a)
    client.post(
        reverse("cases:intervention_add", args=[person_a.pk]),
        {"kind": "legal_aid", "state": "requested", "on": "02/03/2026", "note": "cần luật sư"},
    )
    client.post(
        reverse("cases:request_add", args=[person_a.pk]), {"kind": "access", "received_on": "06/03/2026"}
    )  # a Friday
    assert person_a.interventions.get().note == "cần luật sư"
    request = PersonRequest.objects.get()
    assert request.due_on == D(2026, 3, 10)  # 2 working days: Monday 9, Tuesday 10
    client.post(reverse("cases:request_answer", args=[request.pk]), {"answer": "Đã cung cấp bản sao"})
    request.refresh_from_db()
    assert request.answered_on is not None and request.answer == "Đã cung cấp bản sao"


def test_alerts_show_periods_ending_and_the_256a_window(case_a, person_a, new_person, ward_a):
    _walk(case_a, person_a, ("quan_ly_su_dung", D(2025, 4, 1)))
    end = person_a.decisions.get().ends_on
    items = alerts.alerts_for(case_a, end - datetime.timedelta(days=10))
    assert [(a.kind, a.person.pk) for a in items] == [("ending", person_a.pk)]
    assert alerts.alerts_for(case_a, end - datetime.timedelta(days=60)) == []


# --- figures ----------------------------------------------------------------------------------------


def test_figures_follow_the_path_as_of_the_day(case_a, person_a, ward_a, new_person):
    other = new_person(ward_a, name="Vũ Thị Hai", sex="F", birth=D(2009, 2, 2))
    _walk(case_a, other, ("quan_ly_su_dung", D(2026, 1, 5)))
    _walk(
        case_a,
        person_a,
        ("dua_di_xac_dinh_nghien", D(2026, 1, 5)),
        ("ket_luan_nghien", D(2026, 1, 12)),
        ("cai_tu_nguyen_cong_dong", D(2026, 1, 15)),
    )
    f = figures.commune_figures(ward_a, D(2026, 1, 10))
    assert f["total"] == 2 and f["by_status"][path.BEING_ASSESSED] == 1 and f["residents_using"] == 2
    assert f["by_sex"] == {"M": 1, "F": 1} and f["by_age"]["u18"] == 1
    f = figures.commune_figures(ward_a, D(2026, 2, 1))
    assert f["rehab_by_form"]["cai_tu_nguyen_cong_dong"] == 1 and f["residents_using"] == 1  # home rehab excluded
    assert figures.commune_figures(ward_a, D(2025, 12, 31))["total"] == 0


def test_figures_page_masks_small_counts_for_others(client, case_a, office_a, person_a, ward_a):
    _walk(case_a, person_a, ("quan_ly_su_dung", D(2026, 1, 5)))
    query = {"commune": ward_a.code, "day": "31/03/2026"}
    mine = sign_in(client, case_a).get(reverse("cases:figures"), query).content.decode()
    theirs = sign_in(client, office_a).get(reverse("cases:figures"), query).content.decode()
    assert 'data-figure="Tổng số">1<' in mine
    assert 'data-figure="Tổng số">&lt;5<' in theirs
    assert sign_in(client, office_a).get(reverse("cases:figures"), {"commune": "11953"}).status_code == 200


# --- retention and keys ------------------------------------------------------------------------------


def test_retention_pseudonymises_after_the_window(case_a, person_a):
    _walk(case_a, person_a, ("quan_ly_su_dung", D(2023, 1, 5)))
    assert retention.due_for_pseudonymisation(D(2026, 1, 1), years=0) == []
    due = retention.due_for_pseudonymisation(D(2026, 6, 1), years=0)
    assert due == [person_a]
    assert retention.due_for_pseudonymisation(D(2026, 6, 1), years=1) == []
    retention.pseudonymise(person_a)
    person_a.refresh_from_db()
    assert person_a.full_name == "" and person_a.cccd_hash is None and person_a.birth_year == 1990
    assert figures.commune_figures(person_a.commune, D(2023, 6, 1))["total"] == 1  # statistics stay


def test_key_rotation_reseals_and_rehashes(settings, person_a, case_a):
    from cases.services.keys import rotate

    def stored() -> str:
        with connection.cursor() as cur:
            cur.execute("SELECT full_name FROM cases_person WHERE id = %s", [person_a.pk])
            return cur.fetchone()[0]

    old = stored()
    settings.PCMT_CASE_KEYS = "k2:" + "C" * 43 + "=," + crypto._DEV_KEYS
    settings.PCMT_CASE_HASH_KEYS = "h2:" + "D" * 43 + "="
    crypto.reset_keys()
    try:
        rotate()
        new = stored()
        assert old.startswith("dev1$") and new.startswith("k2$")
        assert [p.pk for p in persons.list_persons(user=case_a, term="nguyen thu")] == [person_a.pk]
        assert persons.lookup_cccd(user=case_a, number=person_a.cccd).found
    finally:
        crypto.reset_keys()


def test_the_commune_assessment_is_prefilled_from_the_registry(case_a, person_a, ward_a, ward_other, new_person):
    from areas.models import SourceKind
    from areas.selectors import prefill_figures

    assert "residents_using" not in prefill_figures(ward_other, 2026)  # no record: nothing offered
    other = new_person(ward_a, name="Đào Văn Ba", birth=D(1985, 3, 3))
    _walk(case_a, person_a, ("quan_ly_su_dung", D(2026, 2, 2)))
    _walk(
        case_a,
        other,
        ("dua_di_xac_dinh_nghien", D(2026, 2, 2)),
        ("ket_luan_nghien", D(2026, 2, 9)),
        ("dieu_tri_thay_the", D(2026, 2, 11)),
    )
    with time_machine.travel("2026-11-25 09:00:00+07:00"):
        pre = prefill_figures(ward_a, 2026)
    assert pre["users_with_records"].value == 2 and pre["residents_using"].value == 1  # methadone excluded
    assert pre["residents_using"].kind == SourceKind.CASE_REGISTRY and "25/11/2026" in pre["residents_using"].note


def test_the_commands_run(case_a, person_a):
    from io import StringIO

    from django.core.management import call_command

    from cases.services.persons import read_person

    read_person(user=case_a, pk=person_a.pk)
    out = StringIO()
    call_command("verify_access_log", stdout=out)
    assert "nguyên vẹn: 1 dòng" in out.getvalue()
    call_command("pseudonymise_cases", "--dry-run", stdout=out)
    assert "Sẽ ẩn danh hóa 0 hồ sơ" in out.getvalue()
    call_command("rotate_case_keys", stdout=out)
    assert "cases.Person: 1" in out.getvalue()
    assert Person.objects.get(pk=person_a.pk).full_name == "Nguyễn Văn Thử"
