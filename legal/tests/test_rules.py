"""Computed end and due dates, the switch of law on 01/7/2026, rule set versioning."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from legal.models import RuleSet
from legal.path import DECISION_TYPES, signer_office
from legal.rules import RuleError, add_months, compute, decision_rule, rules_on, validate_body
from legal.seed import rule_sets
from legal.services import add_rule_set, save_rule_set

pytestmark = pytest.mark.django_db

JUNE_30, JULY_1 = dt.date(2026, 6, 30), dt.date(2026, 7, 1)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 3, 5), 12, dt.date(2027, 3, 5)),
        (dt.date(2026, 8, 31), 6, dt.date(2027, 2, 28)),  # no 31/02: the month's last day
        (dt.date(2027, 8, 31), 6, dt.date(2028, 2, 29)),  # leap year
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2026, 12, 15), 24, dt.date(2028, 12, 15)),
        (dt.date(2026, 11, 30), 3, dt.date(2027, 2, 28)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("code", "day"),
    [
        ("LPCMT-2021", dt.date(2022, 1, 1)),
        ("LPCMT-2021", dt.date(2025, 2, 28)),
        ("LPCMT-2021-CA-XA", dt.date(2025, 3, 1)),
        ("LPCMT-2021-HAI-CAP", dt.date(2025, 7, 1)),
        ("LPCMT-2021-HAI-CAP", JUNE_30),
        ("LPCMT-2025", JULY_1),
        ("LPCMT-2025", dt.date(2035, 1, 1)),
    ],
)
def test_rules_on(code, day):
    assert rules_on(day).code == code


def test_no_rule_set_before_the_2021_law():
    with pytest.raises(RuleError, match="31/12/2021"):
        rules_on(dt.date(2021, 12, 31))


# decision type, start, previous count, chosen months → (end, due) under the law in force.
CASES = [
    # Management of a user: 12 months under both laws.
    ("quan_ly_su_dung", JUNE_30, 0, None, dt.date(2027, 6, 30), None),
    ("quan_ly_su_dung", JULY_1, 0, None, dt.date(2027, 7, 1), None),
    # Voluntary rehab at home: 6–12 months, the decision sets it; 24/36 from 01/7/2026.
    ("cai_tu_nguyen_cong_dong", JUNE_30, 0, 6, dt.date(2026, 12, 30), None),
    ("cai_tu_nguyen_cong_dong", JUNE_30, 0, None, dt.date(2027, 6, 30), None),
    ("cai_tu_nguyen_cong_dong", JULY_1, 0, None, dt.date(2028, 7, 1), None),
    ("cai_tu_nguyen_cong_dong", JULY_1, 1, None, dt.date(2029, 7, 1), None),
    ("cai_tu_nguyen_co_so", JUNE_30, 2, 9, dt.date(2027, 3, 30), None),
    ("cai_tu_nguyen_co_so", JULY_1, 2, None, dt.date(2029, 7, 1), None),
    # Compulsory rehab: 12–24 months (≥18), 6–12 (12–18); 24 the first time, 36 from the second.
    ("cai_bat_buoc", JUNE_30, 0, 18, dt.date(2027, 12, 30), None),
    ("cai_bat_buoc", JUNE_30, 3, None, dt.date(2028, 6, 30), None),
    ("cai_bat_buoc", JULY_1, 0, None, dt.date(2028, 7, 1), None),
    ("cai_bat_buoc", JULY_1, 1, None, dt.date(2029, 7, 1), None),
    ("cai_bat_buoc_chua_thanh_nien", JUNE_30, 0, 6, dt.date(2026, 12, 30), None),
    ("cai_bat_buoc_chua_thanh_nien", JULY_1, 0, None, dt.date(2028, 7, 1), None),
    # After-care: 12 months, 24 after compulsory rehab of an adult.
    ("quan_ly_sau_cai", dt.date(2026, 2, 28), 0, None, dt.date(2027, 2, 28), None),
    ("quan_ly_sau_cai_bat_buoc", dt.date(2026, 2, 28), 0, None, dt.date(2028, 2, 28), None),
    ("quan_ly_sau_cai", JULY_1, 0, None, dt.date(2027, 7, 1), None),
    # Education in the commune: 3–6 months.
    ("giao_duc_tai_xa", dt.date(2026, 1, 15), 0, 3, dt.date(2026, 4, 15), None),
    # Time limits in working days: register within 5 after being found addicted (Tết 2026 in
    # between), the commune decides within 3 after registration.
    ("ket_luan_nghien", dt.date(2026, 2, 12), 0, None, None, dt.date(2026, 2, 26)),
    ("ket_luan_nghien", dt.date(2026, 6, 26), 0, None, None, dt.date(2026, 7, 3)),
    ("dang_ky_cai_nghien", dt.date(2026, 4, 28), 0, None, None, dt.date(2026, 5, 5)),
    # Fri 28/8/2026, then 31/8 (day off moved from Sat 22/8), 1–2/9 Quốc khánh.
    ("dang_ky_cai_nghien", dt.date(2026, 8, 28), 0, None, None, dt.date(2026, 9, 7)),
    # No term or limit in law: nothing computed.
    ("xet_nghiem_duong_tinh", JUNE_30, 0, None, None, None),
    ("dieu_tri_thay_the", JULY_1, 0, None, None, None),
    ("tam_giu", JULY_1, 0, None, None, None),
]


@pytest.mark.parametrize(("decision", "start", "previous", "months", "ends", "due"), CASES)
def test_compute(decision, start, previous, months, ends, due):
    computed = compute(decision, start, previous_count=previous, months=months)
    assert (computed.ends_on, computed.due_on) == (ends, due)
    ruleset = RuleSet.objects.get(pk=computed.ruleset_id)
    assert ruleset == rules_on(start)
    assert ruleset.name in computed.citation


def test_every_decision_type_has_a_rule_from_2022_except_electronic_monitoring():
    for data in rule_sets():
        rules = validate_body(data["body"])
        missing = set(DECISION_TYPES) - set(rules)
        assert missing == (set() if data["code"] == "LPCMT-2025" else {"giam_sat_dien_tu"}), data["code"]


def test_electronic_monitoring_has_no_basis_before_1_july_2026():
    with pytest.raises(RuleError, match="không có căn cứ"):
        compute("giam_sat_dien_tu", JUNE_30)
    assert compute("giam_sat_dien_tu", JULY_1).ends_on is None
    assert signer_office("giam_sat_dien_tu", JULY_1) == "Trưởng Công an cấp xã"


@pytest.mark.parametrize(
    ("decision", "day", "office"),
    [
        ("quan_ly_su_dung", JUNE_30, "Chủ tịch Ủy ban nhân dân cấp xã"),
        ("quan_ly_su_dung", JULY_1, "Trưởng Công an cấp xã"),
        ("quan_ly_sau_cai", JUNE_30, "Chủ tịch Ủy ban nhân dân cấp xã"),
        ("quan_ly_sau_cai", JULY_1, "Trưởng Công an cấp xã"),
        ("giao_duc_tai_xa", JULY_1, "Chủ tịch Ủy ban nhân dân cấp xã"),
        ("lap_ho_so_bat_buoc", dt.date(2025, 2, 28), "Chủ tịch Ủy ban nhân dân cấp xã"),
        ("lap_ho_so_bat_buoc", dt.date(2025, 3, 1), "Trưởng Công an cấp xã"),
        ("cai_bat_buoc_chua_thanh_nien", dt.date(2025, 6, 30), "Tòa án nhân dân cấp huyện"),
        ("cai_bat_buoc_chua_thanh_nien", dt.date(2025, 7, 1), "Tòa án nhân dân khu vực"),
        ("ket_luan_nghien", JULY_1, "Cơ sở y tế đủ điều kiện xác định tình trạng nghiện"),
    ],
)
def test_signer_office(decision, day, office):
    assert signer_office(decision, day) == office


def test_a_term_outside_the_range_or_against_a_fixed_term_is_refused():
    with pytest.raises(RuleError, match="ngoài khoảng 6–12 tháng"):
        compute("cai_tu_nguyen_cong_dong", JUNE_30, months=5)
    with pytest.raises(RuleError, match="có thời hạn 24 tháng"):
        compute("cai_bat_buoc", JULY_1, months=12)
    assert compute("cai_bat_buoc", JULY_1, months=24).ends_on == dt.date(2028, 7, 1)


def test_unconfirmed_values_say_so():
    new = RuleSet.objects.get(code="LPCMT-2025")
    assert "Chưa xác nhận" in new.notes
    assert "chưa xác nhận" in decision_rule("quan_ly_sau_cai", JULY_1).note
    assert "chưa xác nhận" in decision_rule("cai_tu_nguyen_cong_dong", JULY_1).note


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([], "decisions"),
        ({"decisions": {"khong_co": {}}}, "không tồn tại"),
        ({"decisions": {"tam_giu": {"signer": "A"}}}, "thiếu “basis”"),
        ({"decisions": {"tam_giu": {"signer": "A", "basis": "B", "months": 0}}}, "từ 1 đến 120"),
        ({"decisions": {"tam_giu": {"signer": "A", "basis": "B", "months": "12"}}}, "từ 1 đến 120"),
        ({"decisions": {"tam_giu": {"signer": "A", "basis": "B", "min_months": 6}}}, "cả “min_months”"),
        ({"decisions": {"tam_giu": {"signer": "A", "basis": "B", "min_months": 9, "max_months": 6}}}, "khoảng"),
        ({"decisions": {"tam_giu": {"signer": "A", "basis": "B", "months_repeat": 6}}}, "cần “months”"),
        ({"decisions": {"tam_giu": {"signer": "A", "basis": "B", "days": 6}}}, "khóa không hợp lệ"),
    ],
)
def test_validate_body_refuses(body, message):
    with pytest.raises(RuleError, match=message):
        validate_body(body)


def _body_with(decision: str, **row):
    body = RuleSet.objects.get(code="LPCMT-2025").body
    body["decisions"][decision] = {**body["decisions"][decision], **row}
    return body


def test_a_decision_keeps_the_rule_set_it_was_computed_with(admin_user):
    start = dt.date(2027, 3, 1)
    before = compute("quan_ly_su_dung", start)
    current = RuleSet.objects.get(pk=before.ruleset_id)
    assert current.code == "LPCMT-2025"

    new = add_rule_set(
        acting_user=admin_user,
        data={
            "code": "LPCMT-2025-ND",
            "name": "Luật 2025 và nghị định hướng dẫn",
            "effective_from": dt.date(2027, 1, 1),
            "citation": "Nghị định hướng dẫn (thử)",
            "body": _body_with("quan_ly_su_dung", months=18),
        },
    )
    current.refresh_from_db()
    assert current.effective_to == dt.date(2026, 12, 31)  # closed the day before
    # The stored result is untouched: it names the rule set it was computed with, which stays.
    assert RuleSet.objects.get(pk=before.ruleset_id).code == "LPCMT-2025"
    assert before.ends_on == dt.date(2028, 3, 1)
    # The same decision computed now follows the new rule set; one before it does not.
    after = compute("quan_ly_su_dung", start)
    assert (after.ruleset_id, after.ends_on) == (new.pk, dt.date(2028, 9, 1))
    assert compute("quan_ly_su_dung", dt.date(2026, 12, 31)).ruleset_id == current.pk


def test_editing_a_rule_set_changes_future_computations_only(admin_user):
    ruleset = RuleSet.objects.get(code="LPCMT-2025")
    stored = compute("quan_ly_sau_cai", JULY_1)
    save_rule_set(
        acting_user=admin_user,
        ruleset=ruleset,
        data={"body": _body_with("quan_ly_sau_cai", months=6), "notes": "Đã có văn bản"},
    )
    assert stored.ends_on == dt.date(2027, 7, 1)
    assert compute("quan_ly_sau_cai", JULY_1).ends_on == dt.date(2027, 1, 1)


def test_rule_sets_cannot_overlap(admin_user):
    ruleset = RuleSet.objects.get(code="LPCMT-2021-CA-XA")
    with pytest.raises(RuleError, match="trùng với bộ quy tắc LPCMT-2021-HAI-CAP"):
        save_rule_set(
            acting_user=admin_user, ruleset=ruleset, data={"effective_to": dt.date(2025, 7, 1), "body": ruleset.body}
        )
    with pytest.raises(RuleError, match="trùng"):
        add_rule_set(
            acting_user=admin_user,
            data={
                "code": "X",
                "name": "X",
                "effective_from": dt.date(2025, 5, 1),
                "effective_to": dt.date(2025, 5, 31),
                "citation": "X",
                "body": ruleset.body,
            },
        )
    ruleset.refresh_from_db()
    assert ruleset.effective_to == dt.date(2025, 6, 30)
    assert not RuleSet.objects.filter(code="X").exists()


def test_only_the_administrator_writes_rules(office_a, national):
    from django.core.exceptions import PermissionDenied

    ruleset = RuleSet.objects.get(code="LPCMT-2025")
    for user in (office_a, national):
        with pytest.raises(PermissionDenied):
            save_rule_set(acting_user=user, ruleset=ruleset, data={"body": ruleset.body, "notes": "x"})
    assert RuleSet.objects.get(code="LPCMT-2025").notes == ruleset.notes


def test_load_legal_rules_keeps_edited_rule_sets():
    RuleSet.objects.filter(code="LPCMT-2025").update(notes="Đã sửa")
    RuleSet.objects.filter(code="LPCMT-2021").delete()
    call_command("load_legal_rules", verbosity=0)
    assert RuleSet.objects.get(code="LPCMT-2025").notes == "Đã sửa"
    assert RuleSet.objects.filter(code="LPCMT-2021").exists()


def test_entry_decisions_need_no_row_in_a_rule_set(admin_user):
    ruleset = RuleSet.objects.get(code="LPCMT-2025")
    body = ruleset.body
    del body["decisions"]["ghi_nhan_nghien"]
    save_rule_set(acting_user=admin_user, ruleset=ruleset, data={"body": body})
    computed = compute("ghi_nhan_nghien", JULY_1)
    assert (computed.ends_on, computed.due_on, computed.ruleset_id) == (None, None, ruleset.pk)
    assert signer_office("ghi_nhan_nghien", JULY_1) == "Công an cấp xã (nhập danh sách quản lý có sẵn)"
