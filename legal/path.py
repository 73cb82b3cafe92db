"""The legal path of a person who uses drugs, as data (DOMAIN.md §3.1, §3.3).

Each decision type moves a person from one status to another, or sets a flag (detention,
absconding, drug-induced psychosis, electronic monitoring) without changing the status. The
transition table below is the only place that says which decision may follow which status; a
decision that the law does not allow from the current status is refused (`TransitionError`).

Durations, deadlines and the office that signs each decision change with the law in force:
they are rule sets versioned by effective date (`legal.rules`), read here through
`signer_office`.

Pure except `signer_office`, which reads the rule set in force on the day.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Protocol

# Statuses (codes are stable identifiers; labels are what users read).
USING = "su_dung_trai_phep"
BEING_ASSESSED = "xac_dinh_nghien"
ADDICTED = "nghien"
IN_REHAB = "dang_cai_nghien"
ON_METHADONE = "dieu_tri_thay_the"
AWAITING_COMPULSORY = "cho_cai_bat_buoc"
AFTER_REHAB = "sau_cai_nghien"
AFTER_SENTENCE = "sau_chap_hanh_an"
ENDED = "ket_thuc"
DEAD = "tu_vong"

STATUSES: dict[str, str] = {
    USING: "Sử dụng trái phép",
    BEING_ASSESSED: "Đang xác định tình trạng nghiện",
    ADDICTED: "Nghiện",
    AWAITING_COMPULSORY: "Đang lập hồ sơ đưa vào cơ sở cai nghiện bắt buộc",
    IN_REHAB: "Đang cai nghiện",
    ON_METHADONE: "Đang điều trị thay thế (methadone)",
    AFTER_REHAB: "Sau cai nghiện",
    AFTER_SENTENCE: "Đã chấp hành xong án phạt tù về tội phạm ma túy",
    ENDED: "Đã kết thúc quản lý",
    DEAD: "Đã chết",
}

# Statuses from which nothing follows.
TERMINAL = frozenset({DEAD})
ACTIVE = frozenset(STATUSES) - TERMINAL

DECISION_TYPES: dict[str, str] = {
    # Drug tests (NĐ 105/2021 Ch. IV).
    "xet_nghiem_duong_tinh": "Xét nghiệm chất ma túy trong cơ thể: dương tính",
    "xet_nghiem_am_tinh": "Xét nghiệm chất ma túy trong cơ thể: âm tính",
    # Management of a person using drugs illegally (Luật 73/2021 Điều 23).
    "quan_ly_su_dung": "Quyết định quản lý người sử dụng trái phép chất ma túy",
    "giao_duc_tai_xa": "Quyết định áp dụng biện pháp giáo dục tại xã, phường",
    # Addiction determination (Luật 73/2021 Điều 27, NĐ 109/2021).
    "dua_di_xac_dinh_nghien": "Đưa đi xác định tình trạng nghiện ma túy",
    "ket_luan_nghien": "Kết quả xác định tình trạng nghiện: nghiện ma túy",
    "ket_luan_khong_nghien": "Kết quả xác định tình trạng nghiện: không nghiện",
    # Registration and voluntary rehab (NĐ 116/2021 Điều 3; Luật 73/2021 Điều 30, 31).
    "dang_ky_cai_nghien": "Đăng ký cai nghiện tự nguyện hoặc điều trị thay thế",
    "cai_tu_nguyen_cong_dong": "Quyết định cai nghiện tự nguyện tại gia đình, cộng đồng",
    "cai_tu_nguyen_co_so": "Cai nghiện tự nguyện tại cơ sở cai nghiện ma túy",
    # Methadone (NĐ 90/2016): status and dates only.
    "dieu_tri_thay_the": "Bắt đầu điều trị nghiện các chất dạng thuốc phiện bằng thuốc thay thế",
    "cham_dut_cai_nghien": "Tự ý chấm dứt hoặc bị chấm dứt cai nghiện tự nguyện, điều trị thay thế",
    # Compulsory rehab (Luật 73/2021 Điều 32, 33; Luật XLVPHC Điều 95–96).
    "lap_ho_so_bat_buoc": "Lập hồ sơ đề nghị đưa vào cơ sở cai nghiện bắt buộc",
    "cai_bat_buoc": "Quyết định của Tòa án đưa vào cơ sở cai nghiện bắt buộc (từ đủ 18 tuổi)",
    "cai_bat_buoc_chua_thanh_nien": (
        "Quyết định của Tòa án đưa người từ đủ 12 đến dưới 18 tuổi vào cơ sở cai nghiện bắt buộc"
    ),
    "khong_dua_vao_bat_buoc": "Tòa án không chấp nhận đưa vào cơ sở cai nghiện bắt buộc",
    # After rehab (Luật 73/2021 Điều 40) and relapse (NĐ 116/2021 Điều 3.6).
    "quan_ly_sau_cai": "Quyết định quản lý sau cai nghiện tại nơi cư trú",
    "quan_ly_sau_cai_bat_buoc": "Quyết định quản lý sau cai nghiện sau khi chấp hành xong cai nghiện bắt buộc",
    "tai_nghien": "Tái nghiện ma túy",
    # Criminal justice and life events.
    "tam_giu": "Bị tạm giữ, tạm giam, chấp hành án phạt tù",
    "tha_sau_chap_hanh_an": "Chấp hành xong án phạt tù về tội phạm ma túy, trở về nơi cư trú",
    "tu_vong": "Chết",
    "bo_tron": "Bỏ trốn, không rõ nơi cư trú",
    # Flags.
    "loan_than": "Có biểu hiện loạn thần do sử dụng ma túy",
    "giam_sat_dien_tu": "Áp dụng giám sát điện tử",
    # End of management (off the list; NĐ 116/2021 Điều 81).
    "ket_thuc_quan_ly": "Kết thúc quản lý, đưa ra khỏi danh sách",
    # Entry of a person from a list kept before the registry (not a new legal decision).
    "ghi_nhan_su_dung": "Ghi nhận từ danh sách có sẵn: sử dụng trái phép",
    "ghi_nhan_nghien": "Ghi nhận từ danh sách có sẵn: nghiện",
    "ghi_nhan_dang_cai": "Ghi nhận từ danh sách có sẵn: đang cai nghiện",
    "ghi_nhan_sau_cai": "Ghi nhận từ danh sách có sẵn: sau cai nghiện",
}

# The entry decision of a person brought in from an existing list, by the status the list gives.
ENTRY_TYPES: dict[str, str] = {
    USING: "ghi_nhan_su_dung",
    ADDICTED: "ghi_nhan_nghien",
    IN_REHAB: "ghi_nhan_dang_cai",
    AFTER_REHAB: "ghi_nhan_sau_cai",
}

# Decision types that set a flag for their period (starts_on .. ends_on) without moving the
# person along the path.
FLAGS: dict[str, str] = {
    "tam_giu": "Đang bị tạm giữ, tạm giam, chấp hành án",
    "bo_tron": "Bỏ trốn",
    "loan_than": "Loạn thần do ma túy",
    "giam_sat_dien_tu": "Giám sát điện tử",
}

# The rehab forms a person in rehab is in (for figures "in rehab by form").
REHAB_FORMS: dict[str, str] = {
    "cai_tu_nguyen_cong_dong": "Tự nguyện tại gia đình, cộng đồng",
    "cai_tu_nguyen_co_so": "Tự nguyện tại cơ sở",
    "cai_bat_buoc": "Bắt buộc (từ đủ 18 tuổi)",
    "cai_bat_buoc_chua_thanh_nien": "Bắt buộc (từ đủ 12 đến dưới 18 tuổi)",
}

_NEW = None  # not yet in the registry


def _same(*statuses: str) -> dict[str | None, str]:
    return {s: s for s in statuses}


_NOT_NEW = frozenset({None, ENDED, AFTER_SENTENCE})  # a person who may enter (again) as a user

# decision type → {status before: status after}. A status absent from a row refuses the decision.
TRANSITIONS: dict[str, dict[str | None, str]] = {
    "xet_nghiem_duong_tinh": {
        **{s: USING for s in _NOT_NEW},
        **_same(USING, BEING_ASSESSED, ADDICTED, AWAITING_COMPULSORY, IN_REHAB, ON_METHADONE, AFTER_REHAB),
    },
    "xet_nghiem_am_tinh": _same(*(ACTIVE)),
    "quan_ly_su_dung": {**{s: USING for s in _NOT_NEW}, USING: USING},
    "giao_duc_tai_xa": {**{s: USING for s in _NOT_NEW}, USING: USING},
    "dua_di_xac_dinh_nghien": {s: BEING_ASSESSED for s in (*_NOT_NEW, USING, AFTER_REHAB)},
    "ket_luan_nghien": {BEING_ASSESSED: ADDICTED},
    "ket_luan_khong_nghien": {BEING_ASSESSED: USING},
    "dang_ky_cai_nghien": {ADDICTED: ADDICTED},
    "cai_tu_nguyen_cong_dong": {ADDICTED: IN_REHAB},
    "cai_tu_nguyen_co_so": {ADDICTED: IN_REHAB},
    "dieu_tri_thay_the": {ADDICTED: ON_METHADONE},
    "cham_dut_cai_nghien": {IN_REHAB: ADDICTED, ON_METHADONE: ADDICTED},
    "lap_ho_so_bat_buoc": {s: AWAITING_COMPULSORY for s in (ADDICTED, IN_REHAB, ON_METHADONE, AFTER_REHAB)},
    "cai_bat_buoc": {AWAITING_COMPULSORY: IN_REHAB},
    "cai_bat_buoc_chua_thanh_nien": {AWAITING_COMPULSORY: IN_REHAB},
    "khong_dua_vao_bat_buoc": {AWAITING_COMPULSORY: ADDICTED},
    "quan_ly_sau_cai": {IN_REHAB: AFTER_REHAB, ON_METHADONE: AFTER_REHAB},
    "quan_ly_sau_cai_bat_buoc": {IN_REHAB: AFTER_REHAB},
    "tai_nghien": {AFTER_REHAB: ADDICTED, ENDED: ADDICTED},
    "tha_sau_chap_hanh_an": {s: AFTER_SENTENCE for s in (None, *ACTIVE)},
    "tu_vong": {s: DEAD for s in ACTIVE},
    "ket_thuc_quan_ly": {s: ENDED for s in (USING, AFTER_REHAB, AFTER_SENTENCE)},
    # A person from an existing list enters once, in the status the list gives.
    **{decision: {None: status} for status, decision in ENTRY_TYPES.items()},
    # Flags keep the status.
    "tam_giu": _same(*(ACTIVE - {ENDED})),
    "bo_tron": _same(*(ACTIVE - {ENDED})),
    "loan_than": _same(*ACTIVE),
    # Luật 120/2025: home/community voluntary rehab, methadone and post-rehab only.
    "giam_sat_dien_tu": _same(IN_REHAB, ON_METHADONE, AFTER_REHAB),
}

# A status decision whose period (ends_on) has run out, with nothing after it, leaves the
# person in this status: management of a user and post-rehab management end by law
# (Luật 73/2021 Điều 23, Điều 40). Rehab that runs out needs a post-rehab decision.
EXPIRES_TO: dict[str, str] = {
    "quan_ly_su_dung": ENDED,
    "quan_ly_sau_cai": ENDED,
    "quan_ly_sau_cai_bat_buoc": ENDED,
}


class TransitionError(ValueError):
    """A decision that the law does not allow from the person's current status."""


def status_label(status: str | None) -> str:
    return STATUSES.get(status, "Chưa có trong danh sách") if status else "Chưa có trong danh sách"


def next_status(current: str | None, decision_type: str) -> str:
    """The status after `decision_type` is applied to a person in `current` (None: new person)."""
    try:
        row = TRANSITIONS[decision_type]
    except KeyError:
        raise TransitionError(f"Loại quyết định không hợp lệ: {decision_type!r}.") from None
    if current is not None and current not in STATUSES:
        raise TransitionError(f"Tình trạng không hợp lệ: {current!r}.")
    try:
        return row[current]
    except KeyError:
        raise TransitionError(
            f"Không thể ghi “{DECISION_TYPES[decision_type]}” khi người này đang ở tình trạng "
            f"“{status_label(current)}”."
        ) from None


def allowed_decisions(current: str | None) -> list[str]:
    """Decision types that may follow `current`, in the order of DECISION_TYPES (for forms)."""
    return [code for code in DECISION_TYPES if current in TRANSITIONS[code]]


def signer_office(decision_type: str, day: datetime.date) -> str:
    """The office that signs `decision_type` on `day`, as the rule set in force on that day says."""
    from legal.rules import decision_rule

    return decision_rule(decision_type, day).signer


class DecisionLike(Protocol):
    @property
    def decision_type(self) -> str: ...
    @property
    def decided_on(self) -> datetime.date: ...
    @property
    def starts_on(self) -> datetime.date | None: ...
    @property
    def ends_on(self) -> datetime.date | None: ...


def effective_on(decision: DecisionLike) -> datetime.date:
    """The day a decision takes effect: its start date, or the day it was made."""
    return decision.starts_on or decision.decided_on


def _in_order(decisions: Iterable[DecisionLike], day: datetime.date) -> list[DecisionLike]:
    taken = [d for d in decisions if effective_on(d) <= day]
    # Stable: decisions of the same day keep the order they were given in (entry order).
    return sorted(taken, key=lambda d: (effective_on(d), d.decided_on))


def status_on(decisions: Iterable[DecisionLike], day: datetime.date) -> str | None:
    """The status as of `day` from dated decisions (those taking effect on or before `day`).

    Decisions are applied in date order. A decision the table refuses (an impossible sequence
    recorded after the fact) still moves the person to the status that decision leads to from
    most statuses, so a figure is never lost; services refuse such input when it is entered.
    A management or post-rehab period that ended before `day` with nothing after it leaves the
    person "ended" (EXPIRES_TO).
    """
    status: str | None = None
    last: DecisionLike | None = None
    for decision in _in_order(decisions, day):
        if decision.decision_type in FLAGS:
            continue
        try:
            status = next_status(status, decision.decision_type)
        except TransitionError:
            status = _lenient_target(decision.decision_type, status)
        last = decision
    if last is not None and last.ends_on is not None and last.ends_on < day:
        status = EXPIRES_TO.get(last.decision_type, status)
    return status


def _lenient_target(decision_type: str, current: str | None) -> str | None:
    """Where a decision leads when recorded out of sequence: the status it moves most others to."""
    moves = [after for before, after in TRANSITIONS.get(decision_type, {}).items() if after != before]
    return max(sorted(set(moves)), key=moves.count) if moves else current


def flags_on(decisions: Iterable[DecisionLike], day: datetime.date) -> set[str]:
    """Flags in force on `day`: a flag decision counts from its start to its end date included."""
    return {
        d.decision_type
        for d in _in_order(decisions, day)
        if d.decision_type in FLAGS and (d.ends_on is None or d.ends_on >= day)
    }


def rehab_form_on(decisions: Iterable[DecisionLike], day: datetime.date) -> str | None:
    """The decision type of the rehab in force on `day` (a REHAB_FORMS key, or "dieu_tri_thay_the")."""
    ordered = _in_order(decisions, day)
    if status_on(ordered, day) not in (IN_REHAB, ON_METHADONE):
        return None
    for decision in reversed(ordered):
        if decision.decision_type in REHAB_FORMS or decision.decision_type == "dieu_tri_thay_the":
            return decision.decision_type
    return None
