"""The starting rule sets and holidays, as data (DOMAIN.md §3.1–3.4). Loaded by the migration
and by `load_legal_rules` / `load_holidays`; the system administrator edits them afterwards.

Values DOMAIN.md marks UNCONFIRMED are kept, where a value is needed at all, with a note that
says so ("chưa xác nhận"); nothing here is a guess presented as law.
"""

from __future__ import annotations

import datetime
from copy import deepcopy
from typing import Any

CHAIRMAN = "Chủ tịch Ủy ban nhân dân cấp xã"
POLICE_CHIEF = "Trưởng Công an cấp xã"
HEALTH = "Cơ sở y tế đủ điều kiện xác định tình trạng nghiện"
LAW_2021 = "Luật Phòng, chống ma túy số 73/2021/QH14"
LAW_2025 = "Luật Phòng, chống ma túy số 120/2025/QH15"
UNCONFIRMED = "chưa xác nhận"

# The entry of a person from a list kept before the registry: not a legal decision, so the same
# in every rule set (and assumed by `legal.rules` when a rule set leaves it out).
ENTRY_RULE: dict[str, Any] = {
    "signer": "Công an cấp xã (nhập danh sách quản lý có sẵn)",
    "basis": "Danh sách quản lý có sẵn của xã (không phải quyết định mới)",
    "note": "Ghi nhận tình trạng khi chuyển sổ sang hệ thống; các quyết định gốc được nhập bổ sung khi có.",
}

_BASE: dict[str, dict[str, Any]] = {
    "xet_nghiem_duong_tinh": {
        "signer": "Cơ quan Công an có thẩm quyền xét nghiệm",
        "basis": f"{LAW_2021} Điều 22; Nghị định 105/2021/NĐ-CP Chương IV",
    },
    "xet_nghiem_am_tinh": {
        "signer": "Cơ quan Công an có thẩm quyền xét nghiệm",
        "basis": f"{LAW_2021} Điều 22; Nghị định 105/2021/NĐ-CP Chương IV",
    },
    "quan_ly_su_dung": {"signer": CHAIRMAN, "basis": f"{LAW_2021} Điều 23; Nghị định 105/2021/NĐ-CP", "months": 12},
    "giao_duc_tai_xa": {
        "signer": CHAIRMAN,
        "basis": "Luật Xử lý vi phạm hành chính 2012 (sửa đổi 2020) Điều 90",
        "min_months": 3,
        "max_months": 6,
        "note": f"Thời hạn 03–06 tháng theo Luật XLVPHC Điều 90 ({UNCONFIRMED} trong DOMAIN.md).",
    },
    "dua_di_xac_dinh_nghien": {
        "signer": "Công an cấp xã",
        "basis": f"{LAW_2021} Điều 27; Nghị định 109/2021/NĐ-CP",
        "note": f"Thời hạn xác định tình trạng nghiện: {UNCONFIRMED}.",
    },
    "ket_luan_nghien": {
        "signer": HEALTH,
        "basis": "Nghị định 109/2021/NĐ-CP (Phiếu kết quả, Mẫu 04); Nghị định 116/2021/NĐ-CP Điều 3",
        "due_working_days": 5,
        "due_label": "Hạn đăng ký cai nghiện tự nguyện hoặc điều trị thay thế",
    },
    "ket_luan_khong_nghien": {"signer": HEALTH, "basis": "Nghị định 109/2021/NĐ-CP"},
    "dang_ky_cai_nghien": {
        "signer": "Ủy ban nhân dân cấp xã (tiếp nhận đăng ký)",
        "basis": "Nghị định 116/2021/NĐ-CP; thủ tục cai nghiện tự nguyện tại gia đình, cộng đồng",
        "due_working_days": 3,
        "due_label": "Hạn ra quyết định cai nghiện tự nguyện tại gia đình, cộng đồng",
    },
    "cai_tu_nguyen_cong_dong": {
        "signer": CHAIRMAN,
        "basis": f"{LAW_2021} Điều 30; Nghị định 116/2021/NĐ-CP",
        "min_months": 6,
        "max_months": 12,
    },
    "cai_tu_nguyen_co_so": {
        "signer": "Người đứng đầu cơ sở cai nghiện ma túy",
        "basis": f"{LAW_2021} Điều 31; Nghị định 116/2021/NĐ-CP",
        "min_months": 6,
        "max_months": 12,
    },
    "dieu_tri_thay_the": {
        "signer": "Cơ sở điều trị nghiện các chất dạng thuốc phiện bằng thuốc thay thế",
        "basis": "Nghị định 90/2016/NĐ-CP",
        "note": f"Không có thời hạn cố định ({UNCONFIRMED}).",
    },
    "cham_dut_cai_nghien": {
        "signer": "Cơ quan, cơ sở đã quyết định hoặc tiếp nhận cai nghiện, điều trị",
        "basis": f"{LAW_2021} Điều 32; Nghị định 116/2021/NĐ-CP",
    },
    "lap_ho_so_bat_buoc": {"signer": CHAIRMAN, "basis": f"{LAW_2021} Điều 32, 33; Nghị định 116/2021/NĐ-CP Điều 44–45"},
    "cai_bat_buoc": {
        "signer": "Tòa án nhân dân cấp huyện",
        "basis": f"Luật Xử lý vi phạm hành chính 2012 (sửa đổi 2020) Điều 95–96; {LAW_2021} Điều 32",
        "min_months": 12,
        "max_months": 24,
    },
    "cai_bat_buoc_chua_thanh_nien": {
        "signer": "Tòa án nhân dân cấp huyện",
        "basis": f"{LAW_2021} Điều 33; Pháp lệnh trình tự, thủ tục Tòa án xem xét đưa người từ đủ 12 đến dưới 18 tuổi vào cơ sở cai nghiện bắt buộc",
        "min_months": 6,
        "max_months": 12,
    },
    "khong_dua_vao_bat_buoc": {"signer": "Tòa án nhân dân cấp huyện", "basis": f"{LAW_2021} Điều 32, 33"},
    "quan_ly_sau_cai": {
        "signer": CHAIRMAN,
        "basis": f"{LAW_2021} Điều 40; Nghị định 116/2021/NĐ-CP Điều 81",
        "months": 12,
    },
    "quan_ly_sau_cai_bat_buoc": {
        "signer": CHAIRMAN,
        "basis": f"{LAW_2021} Điều 40; Nghị định 116/2021/NĐ-CP Điều 81",
        "months": 24,
    },
    "tai_nghien": {"signer": HEALTH, "basis": "Nghị định 116/2021/NĐ-CP Điều 3 khoản 6"},
    "tam_giu": {
        "signer": "Cơ quan có thẩm quyền tạm giữ, tạm giam, thi hành án phạt tù",
        "basis": "Bộ luật Tố tụng hình sự 2015; Luật Thi hành án hình sự 2019",
    },
    "tha_sau_chap_hanh_an": {
        "signer": "Trại giam, trại tạm giam (giấy chứng nhận chấp hành xong án phạt tù)",
        "basis": "Luật Thi hành án hình sự 2019",
    },
    "tu_vong": {"signer": "Ủy ban nhân dân cấp xã (đăng ký khai tử)", "basis": "Luật Hộ tịch 2014"},
    "bo_tron": {"signer": "Công an cấp xã (xác minh)", "basis": "Nghị định 105/2021/NĐ-CP; Nghị định 116/2021/NĐ-CP"},
    "loan_than": {"signer": "Cơ sở y tế (chẩn đoán)", "basis": "Luật Khám bệnh, chữa bệnh 2023"},
    "ket_thuc_quan_ly": {
        "signer": CHAIRMAN,
        "basis": f"{LAW_2021} Điều 23, 40; Nghị định 116/2021/NĐ-CP Điều 81 (Mẫu 54)",
    },
    **{
        code: dict(ENTRY_RULE)
        for code in ("ghi_nhan_su_dung", "ghi_nhan_nghien", "ghi_nhan_dang_cai", "ghi_nhan_sau_cai")
    },
}


def _version(base: dict[str, dict[str, Any]], changes: dict[str, dict[str, Any]]) -> dict[str, Any]:
    decisions = deepcopy(base)
    for code, row in changes.items():
        decisions[code] = {**decisions.get(code, {}), **row}
    return {"decisions": decisions}


_TTLT_03 = "Thông tư liên tịch 03/2025/TTLT-BCA-VKSNDTC-TANDTC; Nghị quyết 190/2025/QH15"
_DOSSIER_2025 = {"lap_ho_so_bat_buoc": {"signer": POLICE_CHIEF, "basis": f"{LAW_2021} Điều 32, 33; {_TTLT_03}"}}
_REGIONAL_COURT = "Tòa án nhân dân khu vực"
_COURTS_2025 = {
    "cai_bat_buoc": {
        "signer": _REGIONAL_COURT,
        "note": f"Tòa án nhân dân khu vực xét người từ đủ 18 tuổi: {UNCONFIRMED}.",
    },
    "cai_bat_buoc_chua_thanh_nien": {
        "signer": _REGIONAL_COURT,
        "basis": f"{LAW_2021} Điều 33; Pháp lệnh 08/2025/UBTVQH15",
    },
    "khong_dua_vao_bat_buoc": {"signer": _REGIONAL_COURT},
}

_NEW_LAW_NOTE = f"Số điều của {LAW_2025} {UNCONFIRMED}"
_REHAB_2026 = {"months": 24, "months_repeat": 36}
_SIGNER_2026_NOTE = f"Cơ quan ký từ 01/7/2026 theo issue 13 ({UNCONFIRMED} trong DOMAIN.md, câu hỏi mở 2)."
_LAW_2026: dict[str, dict[str, Any]] = {
    "quan_ly_su_dung": {
        "signer": POLICE_CHIEF,
        "basis": f"{LAW_2025} (quản lý 01 năm kể từ ngày ban hành quyết định)",
        "note": _SIGNER_2026_NOTE,
    },
    "cai_tu_nguyen_cong_dong": {
        "signer": POLICE_CHIEF,
        "basis": f"{LAW_2025} (thời hạn cai nghiện)",
        "min_months": None,
        "max_months": None,
        **_REHAB_2026,
        "note": f"24 tháng lần đầu, 36 tháng từ lần thứ hai; áp dụng cho cai nghiện tự nguyện: {UNCONFIRMED}. "
        + _SIGNER_2026_NOTE,
    },
    "cai_tu_nguyen_co_so": {
        "basis": f"{LAW_2025} (thời hạn cai nghiện)",
        "min_months": None,
        "max_months": None,
        **_REHAB_2026,
        "note": f"24 tháng lần đầu, 36 tháng từ lần thứ hai; áp dụng cho cai nghiện tự nguyện: {UNCONFIRMED}.",
    },
    "cai_bat_buoc": {
        "basis": f"{LAW_2025} (thời hạn cai nghiện lần đầu 24 tháng, từ lần thứ hai 36 tháng)",
        "min_months": None,
        "max_months": None,
        **_REHAB_2026,
        "note": f"{_NEW_LAW_NOTE}. Tòa án nhân dân khu vực xét người từ đủ 18 tuổi: {UNCONFIRMED}.",
    },
    "cai_bat_buoc_chua_thanh_nien": {
        "basis": f"{LAW_2025} (thời hạn cai nghiện); Pháp lệnh 08/2025/UBTVQH15",
        "min_months": None,
        "max_months": None,
        **_REHAB_2026,
        "note": f"24/36 tháng cho người từ đủ 12 đến dưới 18 tuổi: {UNCONFIRMED}.",
    },
    "lap_ho_so_bat_buoc": {"basis": f"{LAW_2025}; {_TTLT_03}", "note": _NEW_LAW_NOTE},
    "quan_ly_sau_cai": {
        "signer": POLICE_CHIEF,
        "basis": LAW_2025,
        "note": f"Thời hạn quản lý sau cai theo Luật 120/2025 {UNCONFIRMED}: giữ 12 tháng như Luật 73/2021. "
        + _SIGNER_2026_NOTE,
    },
    "quan_ly_sau_cai_bat_buoc": {
        "signer": POLICE_CHIEF,
        "basis": LAW_2025,
        "note": f"Thời hạn quản lý sau cai theo Luật 120/2025 {UNCONFIRMED}: giữ 24 tháng như Luật 73/2021. "
        + _SIGNER_2026_NOTE,
    },
    "giam_sat_dien_tu": {
        "signer": POLICE_CHIEF,
        "basis": f"{LAW_2025} (giám sát điện tử người cai nghiện tại gia đình, cộng đồng, điều trị thay thế, quản lý sau cai)",
        "note": f"Chi tiết theo nghị định của Chính phủ ({UNCONFIRMED}).",
    },
    "ket_thuc_quan_ly": {"signer": POLICE_CHIEF, "basis": LAW_2025, "note": _SIGNER_2026_NOTE},
}


def _drop_nones(body: dict[str, Any]) -> dict[str, Any]:
    for row in body["decisions"].values():
        for key in [k for k, v in row.items() if v is None]:
            del row[key]
    return body


def rule_sets() -> list[dict[str, Any]]:
    """The four rule sets of the legal path since Luật 73/2021 took effect."""
    v2025_03 = _version(_BASE, _DOSSIER_2025)
    v2025_07 = _version(v2025_03["decisions"], _COURTS_2025)
    v2026_07 = _drop_nones(_version(v2025_07["decisions"], _LAW_2026))
    return [
        {
            "code": "LPCMT-2021",
            "name": "Luật Phòng, chống ma túy 2021",
            "effective_from": datetime.date(2022, 1, 1),
            "effective_to": datetime.date(2025, 2, 28),
            "citation": f"{LAW_2021}; Nghị định 105/2021/NĐ-CP; Nghị định 109/2021/NĐ-CP; Nghị định 116/2021/NĐ-CP; "
            "Nghị định 90/2016/NĐ-CP; Luật Xử lý vi phạm hành chính 2012 (sửa đổi 2020)",
            "notes": "",
            "body": {"decisions": deepcopy(_BASE)},
        },
        {
            "code": "LPCMT-2021-CA-XA",
            "name": "Luật Phòng, chống ma túy 2021 — Công an cấp xã lập hồ sơ cai nghiện bắt buộc",
            "effective_from": datetime.date(2025, 3, 1),
            "effective_to": datetime.date(2025, 6, 30),
            "citation": f"{LAW_2021}; Nghị định 105/2021/NĐ-CP; Nghị định 116/2021/NĐ-CP; {_TTLT_03}",
            "notes": "",
            "body": v2025_03,
        },
        {
            "code": "LPCMT-2021-HAI-CAP",
            "name": "Luật Phòng, chống ma túy 2021 — chính quyền địa phương hai cấp",
            "effective_from": datetime.date(2025, 7, 1),
            "effective_to": datetime.date(2026, 6, 30),
            "citation": f"{LAW_2021}; Nghị định 105/2021/NĐ-CP; Nghị định 116/2021/NĐ-CP (sửa đổi bởi Nghị định "
            f"184/2025/NĐ-CP); {_TTLT_03}; Pháp lệnh 08/2025/UBTVQH15",
            "notes": f"Tòa án nhân dân khu vực xét người từ đủ 18 tuổi: {UNCONFIRMED}.",
            "body": v2025_07,
        },
        {
            "code": "LPCMT-2025",
            "name": "Luật Phòng, chống ma túy 2025",
            "effective_from": datetime.date(2026, 7, 1),
            "effective_to": None,
            "citation": f"{LAW_2025} (hiệu lực 01/7/2026, thay thế {LAW_2021}); Nghị định 105/2021/NĐ-CP và "
            f"116/2021/NĐ-CP đến khi có nghị định thay thế ({UNCONFIRMED})",
            "notes": (
                "Chưa xác nhận (DOMAIN.md §3.4): thời hạn từng hình thức cai nghiện (24/36 tháng áp dụng cho mọi "
                "hình thức theo dự thảo), thời hạn quản lý sau cai, cơ quan ký quyết định quản lý, quy định "
                "chuyển tiếp, nghị định hướng dẫn."
            ),
            "body": v2026_07,
        },
    ]


HOLIDAY_YEARS = range(2020, 2036)
HOLIDAY_SOURCE = "Gói holidays (VN): Bộ luật Lao động 2019 Điều 112 và ngày nghỉ bù"


def holiday_rows(years: range = HOLIDAY_YEARS) -> list[tuple[datetime.date, str]]:
    """Vietnam's public holidays (Tết by the lunar calendar) from the `holidays` package."""
    import holidays

    days = holidays.country_holidays("VN", years=list(years), language="vi")
    return sorted((day, str(name)) for day, name in days.items())
