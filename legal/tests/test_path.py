"""Every transition of the legal path, allowed and refused (DOMAIN.md §3.3), and the status as of
a day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from legal.path import (
    DECISION_TYPES,
    FLAGS,
    STATUSES,
    TransitionError,
    allowed_decisions,
    flags_on,
    next_status,
    rehab_form_on,
    status_on,
)

# Abbreviations: the statuses as the law names them.
NEW = None
SD, XD, NG, CAI, MET, HS, SAU, AN, KT, CHET = (
    "su_dung_trai_phep",
    "xac_dinh_nghien",
    "nghien",
    "dang_cai_nghien",
    "dieu_tri_thay_the",
    "cho_cai_bat_buoc",
    "sau_cai_nghien",
    "sau_chap_hanh_an",
    "ket_thuc",
    "tu_vong",
)
ALL = [NEW, SD, XD, NG, CAI, MET, HS, SAU, AN, KT, CHET]
LIVING = [SD, XD, NG, CAI, MET, HS, SAU, AN, KT]

# The legal path written out: decision → {status before: status after}. Everything else refused.
EXPECTED: dict[str, dict[str | None, str]] = {
    # A positive test brings a new person (or one whose file was closed) in as a user; during
    # management, assessment, rehab or after-care it changes nothing by itself.
    "xet_nghiem_duong_tinh": {NEW: SD, KT: SD, AN: SD, SD: SD, XD: XD, NG: NG, HS: HS, CAI: CAI, MET: MET, SAU: SAU},
    "xet_nghiem_am_tinh": {s: s for s in LIVING},
    "quan_ly_su_dung": {NEW: SD, KT: SD, AN: SD, SD: SD},
    "giao_duc_tai_xa": {NEW: SD, KT: SD, AN: SD, SD: SD},
    "dua_di_xac_dinh_nghien": {NEW: XD, KT: XD, AN: XD, SD: XD, SAU: XD},
    "ket_luan_nghien": {XD: NG},
    "ket_luan_khong_nghien": {XD: SD},
    "dang_ky_cai_nghien": {NG: NG},
    "cai_tu_nguyen_cong_dong": {NG: CAI},
    "cai_tu_nguyen_co_so": {NG: CAI},
    "dieu_tri_thay_the": {NG: MET},
    "cham_dut_cai_nghien": {CAI: NG, MET: NG},
    "lap_ho_so_bat_buoc": {NG: HS, CAI: HS, MET: HS, SAU: HS},
    "cai_bat_buoc": {HS: CAI},
    "cai_bat_buoc_chua_thanh_nien": {HS: CAI},
    "khong_dua_vao_bat_buoc": {HS: NG},
    "quan_ly_sau_cai": {CAI: SAU, MET: SAU},
    "quan_ly_sau_cai_bat_buoc": {CAI: SAU},
    "tai_nghien": {SAU: NG, KT: NG},
    "tha_sau_chap_hanh_an": {NEW: AN, **{s: AN for s in LIVING}},
    "tu_vong": {s: CHET for s in LIVING},
    "ket_thuc_quan_ly": {SD: KT, SAU: KT, AN: KT},
    "tam_giu": {s: s for s in LIVING if s != KT},
    "bo_tron": {s: s for s in LIVING if s != KT},
    "loan_than": {s: s for s in LIVING},
    "giam_sat_dien_tu": {CAI: CAI, MET: MET, SAU: SAU},
    # Entry from a list kept before the registry: new persons only.
    "ghi_nhan_su_dung": {NEW: SD},
    "ghi_nhan_nghien": {NEW: NG},
    "ghi_nhan_dang_cai": {NEW: CAI},
    "ghi_nhan_sau_cai": {NEW: SAU},
}


def test_the_table_covers_every_decision_type_and_status():
    assert set(EXPECTED) == set(DECISION_TYPES)
    assert set(ALL) - {None} == set(STATUSES)


ALLOWED = [(dt_, before, after) for dt_, row in EXPECTED.items() for before, after in row.items()]
REFUSED = [(dt_, before) for dt_, row in EXPECTED.items() for before in ALL if before not in row]


@pytest.mark.parametrize(("decision", "before", "after"), ALLOWED)
def test_allowed_transition(decision, before, after):
    assert next_status(before, decision) == after
    assert decision in allowed_decisions(before)


@pytest.mark.parametrize(("decision", "before"), REFUSED)
def test_refused_transition(decision, before):
    with pytest.raises(TransitionError) as err:
        next_status(before, decision)
    assert "Không thể ghi" in str(err.value)
    assert decision not in allowed_decisions(before)


def test_the_dead_are_final():
    assert allowed_decisions(CHET) == []


def test_unknown_codes_are_refused_in_vietnamese():
    with pytest.raises(TransitionError, match="Loại quyết định không hợp lệ"):
        next_status(SD, "khong_co")
    with pytest.raises(TransitionError, match="Tình trạng không hợp lệ"):
        next_status("khong_co", "quan_ly_su_dung")


@dataclass
class D:
    decision_type: str
    decided_on: dt.date
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None


PATH = [
    D("xet_nghiem_duong_tinh", dt.date(2025, 1, 10)),
    D("quan_ly_su_dung", dt.date(2025, 1, 15), dt.date(2025, 1, 15), dt.date(2026, 1, 15)),
    D("dua_di_xac_dinh_nghien", dt.date(2025, 3, 2)),
    D("ket_luan_nghien", dt.date(2025, 3, 5)),
    D("cai_tu_nguyen_cong_dong", dt.date(2025, 3, 10), dt.date(2025, 3, 12), dt.date(2025, 9, 12)),
    D("quan_ly_sau_cai", dt.date(2025, 9, 15), dt.date(2025, 9, 12), dt.date(2026, 9, 12)),
]


@pytest.mark.parametrize(
    ("day", "status"),
    [
        (dt.date(2025, 1, 9), None),
        (dt.date(2025, 1, 10), SD),
        (dt.date(2025, 3, 4), XD),
        (dt.date(2025, 3, 5), NG),
        (dt.date(2025, 3, 11), NG),  # decided on 10/3, in force from 12/3
        (dt.date(2025, 3, 12), CAI),
        (dt.date(2025, 9, 11), CAI),
        (dt.date(2025, 9, 12), SAU),
        (dt.date(2026, 9, 12), SAU),  # the last day of after-care
        (dt.date(2026, 9, 13), KT),  # after-care ran out: off the list
    ],
)
def test_status_on_a_day(day, status):
    assert status_on(reversed(PATH), day) == status


def test_a_management_period_that_runs_out_ends_management():
    decisions = [D("quan_ly_su_dung", dt.date(2025, 1, 15), None, dt.date(2026, 1, 15))]
    assert status_on(decisions, dt.date(2026, 1, 15)) == SD
    assert status_on(decisions, dt.date(2026, 1, 16)) == KT


def test_rehab_that_runs_out_stays_in_rehab_until_after_care_is_decided():
    decisions = PATH[:5]
    assert status_on(decisions, dt.date(2025, 12, 1)) == CAI


def test_flags_keep_the_status_and_last_their_period():
    decisions = [
        *PATH[:2],
        D("tam_giu", dt.date(2025, 2, 1), None, dt.date(2025, 2, 20)),
        D("loan_than", dt.date(2025, 2, 5)),
    ]
    assert status_on(decisions, dt.date(2025, 2, 10)) == SD
    assert flags_on(decisions, dt.date(2025, 2, 10)) == {"tam_giu", "loan_than"}
    assert flags_on(decisions, dt.date(2025, 2, 21)) == {"loan_than"}
    assert flags_on(decisions, dt.date(2025, 1, 31)) == set()
    assert set(FLAGS) == {"tam_giu", "bo_tron", "loan_than", "giam_sat_dien_tu"}


def test_a_decision_entered_late_with_an_earlier_date_counts_from_its_date():
    entered = [PATH[0], PATH[1], D("tu_vong", dt.date(2025, 2, 1))]
    entered.append(D("dua_di_xac_dinh_nghien", dt.date(2025, 1, 20)))  # recorded after the death
    assert status_on(entered, dt.date(2025, 1, 25)) == XD
    assert status_on(entered, dt.date(2025, 2, 1)) == CHET


def test_an_out_of_sequence_decision_still_moves_the_figure():
    # A court decision recorded without its dossier: the person is counted in rehab.
    decisions = [D("quan_ly_su_dung", dt.date(2025, 1, 1)), D("cai_bat_buoc", dt.date(2025, 2, 1))]
    assert status_on(decisions, dt.date(2025, 2, 2)) == CAI
    # A negative test out of sequence changes nothing.
    assert status_on([D("xet_nghiem_am_tinh", dt.date(2025, 1, 1))], dt.date(2025, 2, 1)) is None


def test_rehab_form_on_a_day():
    assert rehab_form_on(PATH, dt.date(2025, 4, 1)) == "cai_tu_nguyen_cong_dong"
    assert rehab_form_on(PATH, dt.date(2025, 10, 1)) is None
    methadone = [*PATH[:4], D("dieu_tri_thay_the", dt.date(2025, 3, 20))]
    assert rehab_form_on(methadone, dt.date(2025, 4, 1)) == "dieu_tri_thay_the"
