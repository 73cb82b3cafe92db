"""Encryption at rest, scope of every role, the access log and break-glass openings."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib import admin
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases import crypto
from cases.models import AccessLog, Person, RecordOpening
from cases.services import access_log
from cases.services.followup import add_relative
from conftest import sign_in
from notices.models import Notification

pytestmark = pytest.mark.django_db


def _all_rows_text() -> str:
    """Every row of every table, as the database returns it (no model, no decryption)."""
    parts = []
    with connection.cursor() as cur:
        for table in connection.introspection.table_names():
            cur.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - table names from introspection
            parts.extend(repr(row) for row in cur.fetchall())
    return "\n".join(parts)


def test_the_raw_database_holds_no_plaintext_identity(person_a, case_a):
    add_relative(acting_user=case_a, person=person_a, kind="parent", full_name="Trần Thị Mẹ Thử", phone="0911222333")
    from cases.services.persons import read_person

    read_person(user=case_a, pk=person_a.pk)
    text = _all_rows_text()
    for secret in (
        person_a.cccd,
        "Nguyễn Văn Thử",
        "nguyen van thu",
        "Trần Thị Mẹ Thử",
        "0905123456",
        "0911222333",
        "12 Lê Duẩn",
    ):
        assert secret not in text, secret
    with connection.cursor() as cur:
        cur.execute("SELECT full_name, cccd, birth_year, sex FROM cases_person WHERE id = %s", [person_a.pk])
        stored = cur.fetchone()
    assert stored[0].startswith(crypto.encryption_keys().current_id + "$") and stored[1].startswith("dev1$")
    assert tuple(stored[2:]) == (1990, "M")  # statistics stay plain


def test_lookups_never_decrypt_the_table(person_a, case_a, django_assert_max_num_queries):
    from cases.services.persons import list_persons

    found = list(list_persons(user=case_a, term="nguyen THU"))
    assert [p.pk for p in found] == [person_a.pk]
    assert list(list_persons(user=case_a, term=person_a.cccd)) == [person_a]
    assert list(list_persons(user=case_a, term="Lê Văn Khác")) == []


def test_case_models_are_not_in_the_admin():
    assert not [m for m in admin.site._registry if m._meta.app_label == "cases"]


# --- scope ---------------------------------------------------------------------------------------

ROLE_CASES = [
    ("case_a", 200),
    ("case_province", 200),
    ("case_other", 404),
    ("case_b", 404),
    ("office_a", 403),
    ("leader_a", 403),
    ("commune_a", 403),
    ("agency_a", 403),
    ("national", 403),
    ("admin_user", 403),
]


@pytest.mark.parametrize("persona,status", ROLE_CASES)
def test_who_opens_a_named_record(client, request, person_a, persona, status):
    user = request.getfixturevalue(persona)
    sign_in(client, user)
    assert client.get(reverse("cases:person", args=[person_a.pk])).status_code == status
    listing = client.get(reverse("cases:list"))
    assert listing.status_code == (403 if status == 403 else 200)
    if status != 403:
        assert ("Nguyễn Văn Thử" in listing.content.decode()) == (status == 200)


def test_a_facility_officer_sees_its_patients_only(
    client, person_a, new_person, ward_a, case_a, case_facility, facility
):
    from cases.services.decisions import add_decision

    other = new_person(ward_a, name="Lê Văn Khác")
    add_decision(
        acting_user=case_a,
        person=person_a,
        decision_type="dua_di_xac_dinh_nghien",
        decided_on=datetime.date(2026, 3, 2),
    )
    add_decision(
        acting_user=case_a, person=person_a, decision_type="ket_luan_nghien", decided_on=datetime.date(2026, 3, 9)
    )
    add_decision(
        acting_user=case_a,
        person=person_a,
        decision_type="cai_tu_nguyen_co_so",
        decided_on=datetime.date(2026, 3, 12),
        facility=facility,
    )
    sign_in(client, case_facility)
    assert client.get(reverse("cases:person", args=[person_a.pk])).status_code == 200
    assert client.get(reverse("cases:person", args=[other.pk])).status_code == 404


# --- access log ------------------------------------------------------------------------------------


def test_every_read_is_logged(client, person_a, case_a):
    sign_in(client, case_a)
    before = AccessLog.objects.count()
    client.get(reverse("cases:person", args=[person_a.pk]))
    detail = AccessLog.objects.order_by("-pk").first()
    assert (detail.action, detail.person_ids, detail.actor_username, detail.role) == (
        "detail",
        [person_a.pk],
        "hoso",
        "case_officer",
    )
    client.get(reverse("cases:list"), {"q": "Thử"})
    search, rows = AccessLog.objects.order_by("-pk")[1], AccessLog.objects.order_by("-pk")[0]
    assert search.action == "search" and search.result_count == 1 and search.term_hash == crypto.term_hash("Thử")
    assert "Thử" not in search.term_hash and rows.action == "list" and rows.person_ids == [person_a.pk]
    client.post(reverse("cases:lookup"), {"cccd": person_a.cccd})
    lookup = AccessLog.objects.filter(action="lookup").get()
    assert lookup.result_count == 1 and person_a.cccd not in str(lookup.__dict__)
    assert AccessLog.objects.count() == before + 4  # detail, search, the rows shown, lookup
    assert access_log.verify_chain().ok


def test_the_actor_outlives_the_account(person_a, case_a):
    from cases.services.persons import read_person

    read_person(user=case_a, pk=person_a.pk)
    user_id = case_a.pk
    case_a.role_assignments.all().delete()
    case_a.delete()
    entry = AccessLog.objects.get(actor_id=user_id)
    assert entry.actor_username == "hoso"


@pytest.mark.parametrize("sql", ["UPDATE cases_accesslog SET reason = 'x'", "DELETE FROM cases_accesslog"])
def test_the_database_refuses_to_change_the_log(person_a, case_a, sql):
    from cases.services.persons import read_person

    read_person(user=case_a, pk=person_a.pk)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql)
    assert AccessLog.objects.filter(reason="").count() == AccessLog.objects.count() >= 1


def test_the_chain_finds_an_altered_row(person_a, case_a):
    from cases.services.persons import read_person

    for _ in range(3):
        read_person(user=case_a, pk=person_a.pk)
    assert access_log.verify_chain() == access_log.ChainReport(True, 3)
    middle = AccessLog.objects.order_by("pk")[1]
    with connection.cursor() as cur:  # only by removing the trigger, as an intruder with DDL rights would
        if connection.vendor == "sqlite":
            cur.execute("DROP TRIGGER cases_accesslog_no_update")
        else:
            cur.execute("ALTER TABLE cases_accesslog DISABLE TRIGGER cases_accesslog_no_change")
        cur.execute("UPDATE cases_accesslog SET actor_username = 'someone' WHERE id = %s", [middle.pk])
    report = access_log.verify_chain()
    assert not report.ok and report.first_bad == middle.pk


# --- outside one's scope ----------------------------------------------------------------------------


def _device(user):
    device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "test"})
    device.last_t = -1
    device.save()
    return device


def _code(device) -> str:
    return f"{totp(device.bin_key, step=30, t0=0, digits=6):06d}"


def test_lookup_outside_scope_says_only_found_and_commune(client, person_a, case_b):
    sign_in(client, case_b)
    body = client.post(reverse("cases:lookup"), {"cccd": person_a.cccd}).content.decode()
    assert "Có hồ sơ, do Phường Buôn Ma Thuột" in body
    assert "Nguyễn Văn Thử" not in body and "12 Lê Duẩn" not in body
    body = client.post(reverse("cases:lookup"), {"cccd": "066090999999"}).content.decode()
    assert "Không có hồ sơ" in body


def test_opening_needs_a_reason_and_a_fresh_code_lasts_a_day_and_alerts_the_office(
    client, person_a, case_b, office_a, django_capture_on_commit_callbacks
):
    sign_in(client, case_b)
    device = _device(case_b)
    url = reverse("cases:person", args=[person_a.pk])
    assert client.get(url).status_code == 404
    bad = client.post(
        reverse("cases:open"), {"cccd": person_a.cccd, "reason": "Xác minh người bị bắt giữ", "token": "000000"}
    )
    assert bad.status_code == 400 and not RecordOpening.objects.exists()
    short = client.post(reverse("cases:open"), {"cccd": person_a.cccd, "reason": "vì", "token": _code(device)})
    assert short.status_code == 400 and not RecordOpening.objects.exists()
    device.refresh_from_db()
    device.last_t = -1
    device.throttle_reset()
    with django_capture_on_commit_callbacks(execute=True):
        ok = client.post(
            reverse("cases:open"),
            {"cccd": person_a.cccd, "reason": "Xác minh người bị bắt giữ", "token": _code(device)},
        )
    assert ok.status_code == 302
    assert client.get(url).status_code == 200
    assert AccessLog.objects.filter(action="open", break_glass=True, person_ids=[person_a.pk]).exists()
    assert AccessLog.objects.filter(action="detail", break_glass=True).exists()
    assert Notification.objects.filter(user=office_a, key__startswith="cases.open.").exists()
    # Read-only: the opening does not allow changes.
    post = client.post(reverse("cases:decision_add", args=[person_a.pk]), {"decision_type": "quan_ly_su_dung"})
    assert post.status_code == 404  # case_b holds registry.manage, but not over this record

    def visible() -> bool:
        return Person.objects.for_user(case_b).filter(pk=person_a.pk).exists()

    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=23)):
        assert visible()
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=25)):
        assert not visible()


def test_the_office_reviews_the_log_without_names(client, person_a, case_a, office_a, office_b):
    from cases.services.persons import read_person

    read_person(user=case_a, pk=person_a.pk)
    body = sign_in(client, office_a).get(reverse("cases:access_log")).content.decode()
    assert f"số {person_a.pk}" in body and "hoso" in body and "Nguyễn Văn Thử" not in body
    assert f"số {person_a.pk}" not in sign_in(client, office_b).get(reverse("cases:access_log")).content.decode()
    assert "nguyên vẹn" in sign_in(client, office_a).get(reverse("cases:access_log"), {"verify": "1"}).content.decode()


def test_the_audit_trail_keeps_no_protected_value(person_a, case_a):
    from audit.models import AuditEvent
    from cases.services.persons import update_person

    update_person(acting_user=case_a, person=person_a, address="99 Phan Bội Châu", phone="0987000111")
    text = repr(list(AuditEvent.objects.filter(object_type="cases.person").values()))
    assert "99 Phan Bội Châu" not in text and "0987000111" not in text and "Nguyễn Văn Thử" not in text


def test_named_export_is_watermarked_logged_and_for_case_officers_only(client, person_a, case_a, office_a):
    response = sign_in(client, case_a).get(reverse("cases:export"))
    body = response.content.decode("utf-8-sig")
    assert response.status_code == 200 and "TÀI LIỆU MẬT — xuất bởi hoso" in body.splitlines()[0]
    assert "Nguyễn Văn Thử" in body and person_a.cccd in body
    assert AccessLog.objects.filter(action="export", person_ids=[person_a.pk]).exists()
    assert sign_in(client, office_a).get(reverse("cases:export")).status_code == 403


def test_a_case_role_needs_a_second_approver_and_lapses_after_12_months(office_a):
    from django.core.exceptions import PermissionDenied as Denied
    from django.utils import timezone

    from access.roles import Role
    from accounts import services
    from accounts.models import User

    newcomer = User.objects.create(username="hoso_moi", full_name="Cán bộ mới", province_id="66")
    with pytest.raises(Denied):
        services.assign_role(acting_user=office_a, user=office_a, role=Role.CASE_OFFICER)
    grant = services.assign_role(acting_user=office_a, user=newcomer, role=Role.CASE_OFFICER)
    today = timezone.localdate()
    assert grant.is_pending and grant.valid_until == services.case_role_limit(today)
    assert grant.valid_until.year == today.year + 1
    longer = today.replace(year=today.year + 3)
    other = User.objects.create(username="hoso_moi2", full_name="Cán bộ mới 2", province_id="66")
    assert services.assign_role(
        acting_user=office_a, user=other, role=Role.CASE_OFFICER, valid_until=longer
    ).valid_until == (services.case_role_limit(today))
    assert services.case_role_limit(datetime.date(2028, 2, 29)) == datetime.date(2029, 2, 28)
