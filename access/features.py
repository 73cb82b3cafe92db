"""The feature table: every capability PCMT guards, and the roles that hold it.

Views (`feature_required`), the API (`api_feature`), the menu, templates (`|can`) and the
querysets' `for_user(user, action)` all read this one table. A role reaches a feature over the
scope it is held on (a province, an agency, a commune, or the nation); what that scope lets the
user see of each model is decided by the model's `for_user`, never by a view.

Nobody passes a feature implicitly: the administrator and the national monitor hold exactly the
features listed here. Features marked `personal` reveal personal data.
"""

from __future__ import annotations

from dataclasses import dataclass

from access.roles import Role

OFFICE, AGENCY, COMMUNE, CASE = Role.STANDING_OFFICE, Role.AGENCY_OFFICER, Role.COMMUNE_OFFICER, Role.CASE_OFFICER
LEADER, NATIONAL, ADMIN = Role.LEADER, Role.NATIONAL_VIEWER, Role.ADMIN
EVERY_ROLE = frozenset(Role)


@dataclass(frozen=True)
class Feature:
    key: str
    label: str
    roles: frozenset[str]
    personal: bool = False


def _f(key: str, label: str, *roles: str, personal: bool = False) -> Feature:
    return Feature(key, label, frozenset(roles), personal)


_TABLE = [
    # Accounts.
    _f("account.manage", "Quản lý tài khoản: tạo, vô hiệu hóa, mở khóa, hủy xác thực hai bước", OFFICE, ADMIN),
    _f("account.contact", "Xem, sửa thư điện tử và điện thoại của tài khoản", OFFICE, personal=True),
    _f("role.grant", "Giao, thu hồi vai trò (không tự giao cho mình)", OFFICE, ADMIN),
    _f("role.approve", "Phê duyệt vai trò cấp tỉnh, vai trò hồ sơ (người duyệt thứ hai)", OFFICE, ADMIN),
    # Reference data and catalogues.
    _f("reference.read", "Danh mục cơ quan, xã phường của tỉnh trong danh sách chọn", *EVERY_ROLE),
    _f("catalogue.read", "Danh mục Chương trình, biểu mẫu báo cáo", *EVERY_ROLE),
    _f(
        "catalogue.manage",
        "Thiết kế chỉ tiêu, phân tổ, biểu mẫu, quy tắc kiểm tra (tỉnh: của tỉnh mình; quản trị: danh mục quốc gia)",
        OFFICE,
        ADMIN,
    ),
    _f("agency.read", "Trang danh mục cơ quan, đơn vị", OFFICE, LEADER, ADMIN),
    _f("agency.manage", "Thêm, sửa cơ quan, đơn vị", OFFICE, ADMIN),
    _f("commune.list", "Danh sách xã, phường với nhân khẩu", OFFICE, LEADER, NATIONAL, ADMIN),
    _f("commune.read", "Trang một xã, phường", OFFICE, LEADER, NATIONAL, AGENCY, COMMUNE, CASE, ADMIN),
    _f("population.manage", "Sửa, nhập nhân khẩu", OFFICE, ADMIN),
    # Plans and tasks.
    _f("plan.read", "Danh sách kế hoạch, một kế hoạch", OFFICE, LEADER, NATIONAL, AGENCY, COMMUNE),
    _f("plan.manage", "Nhập, rà soát, xác nhận, thay thế kế hoạch", OFFICE),
    _f("task.list", "Danh sách nhiệm vụ", OFFICE, LEADER, NATIONAL, AGENCY, COMMUNE),
    _f("task.read", "Trang nhiệm vụ: tiến độ, người cập nhật, tệp đính kèm", OFFICE, LEADER, AGENCY, COMMUNE),
    _f("task.mine", "Nhiệm vụ của tôi", AGENCY, COMMUNE),
    _f("task.update", "Cập nhật tiến độ, phối hợp, đề nghị gia hạn, xin hướng dẫn", OFFICE, AGENCY, COMMUNE),
    _f("task.manage", "Quyết định gia hạn, trả lời hướng dẫn, đổi trạng thái", OFFICE),
    _f("task.report", "Nhiệm vụ quá hạn, ma trận trách nhiệm, theo dự án, xuất Excel", OFFICE, LEADER, NATIONAL),
    # Periodic reporting.
    _f("submission.enter", "Nhập, nộp báo cáo của đơn vị mình", AGENCY, COMMUNE),
    _f("submission.read", "Xem báo cáo của đơn vị (số liệu từng đơn vị)", OFFICE, LEADER, AGENCY, COMMUNE),
    _f("submission.review", "Duyệt, trả lại, mở khóa báo cáo", OFFICE),
    _f("completeness.read", "Hộp báo cáo, tình hình nộp báo cáo", OFFICE, LEADER),
    _f("schedule.read", "Lịch báo cáo", OFFICE, LEADER),
    _f("schedule.manage", "Lập, sửa lịch báo cáo, cho phép nhập sau hạn", OFFICE),
    _f("consolidation.read", "Tổng hợp số liệu của tỉnh", OFFICE, LEADER, NATIONAL),
    _f("consolidation.nation", "Tổng hợp toàn quốc, so sánh các tỉnh", NATIONAL),
    _f("consolidation.edit", "Soạn nội dung báo cáo tổng hợp của tỉnh", OFFICE),
    _f("exchange.export", "Xuất số liệu từng đơn vị (CSV, DHIS2)", OFFICE, LEADER),
    _f("exchange.import", "Nhập số liệu (CSV, DHIS2)", OFFICE),
    # Indicators and targets.
    _f("indicator.read", "Chỉ số, chỉ tiêu và mức độ đạt của tỉnh", OFFICE, LEADER, NATIONAL),
    _f("indicator.nation", "Chỉ số toàn quốc", NATIONAL),
    _f("target.manage", "Đặt chỉ tiêu của tỉnh", OFFICE),
    # Commune classification (QĐ 28/2025).
    _f("area.read", "Phân loại địa bàn, hồ sơ một xã", OFFICE, LEADER, NATIONAL, COMMUNE),
    _f("area.assess", "Xã tự đánh giá", OFFICE, COMMUNE),
    _f("area.review", "Xem xét, phê duyệt phân loại xã; lộ trình, cài đặt, tự đánh giá cấp tỉnh", OFFICE),
    _f("area.province", "Bảng phân loại của tỉnh, lộ trình, tự đánh giá cấp tỉnh (xem)", OFFICE, LEADER, NATIONAL),
    _f("area.nation", "Phân loại địa bàn toàn quốc", NATIONAL),
    # Case registry (personal data).
    _f("registry.read_named", "Hồ sơ người sử dụng trái phép chất ma túy (có tên)", CASE, personal=True),
    # Home pages and maps (issue 14): aggregates only, never a person's name.
    _f("completeness.nation", "Tình hình nộp báo cáo, nhiệm vụ quá hạn của các tỉnh (chỉ số tổng hợp)", NATIONAL),
    _f("map.read", "Bản đồ xã, phường của tỉnh và bản đồ các tỉnh", OFFICE, LEADER, NATIONAL),
    # --- cases (issue 13): the registry's pages and services -------------------------------
    _f("registry.manage", "Thêm người, quyết định, chuyển hồ sơ, hỗ trợ, gộp hồ sơ trùng", CASE, personal=True),
    _f("registry.lookup", "Tra cứu CCCD ngoài phạm vi, mở hồ sơ có lý do và mã xác thực", CASE, personal=True),
    _f(
        "registry.figures",
        "Số liệu từ sổ quản lý theo xã (ô dưới 5 được che trừ cán bộ hồ sơ)",
        CASE,
        OFFICE,
        LEADER,
        NATIONAL,
    ),
    _f("registry.access_log", "Nhật ký truy cập hồ sơ (không hiện tên)", OFFICE),
    # --- end cases ----------------------------------------------------------------------------
    # Legal reference data (issue 13, branch `legal`): rule sets of the legal path, public holidays.
    _f("legal.manage", "Bộ quy tắc pháp lý (thời hạn, cơ quan ký) và ngày nghỉ lễ", ADMIN),
    # End of legal reference data.
    # Installation.
    _f("admin.site", "Trang Quản trị (cấu hình, danh mục quốc gia)", ADMIN),
]

FEATURES: dict[str, Feature] = {f.key: f for f in _TABLE}


class UnknownFeature(KeyError):
    """A feature key that is not in the table: a programming error, never a silent "no"."""


def get(key: str) -> Feature:
    try:
        return FEATURES[key]
    except KeyError:
        raise UnknownFeature(f"unknown feature {key!r}") from None


def roles_for(key: str) -> frozenset[str]:
    return get(key).roles


def features_of(role: str) -> list[Feature]:
    return [f for f in _TABLE if role in f.roles]
