"""The navigation a person sees: an entry per feature they hold (`access.features`).

Items are grouped into menus (Kế hoạch, Báo cáo, Địa bàn, Danh mục) so that the bar stays on one
line at 1366 px even for an officer who holds several roles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from access.roles import Role
from access.scope import Scope, get_scope


@dataclass
class NavItem:
    label: str
    key: str
    url: str = ""
    children: list[tuple[str, str]] = field(default_factory=list)


def _menus(scope: Scope) -> list[NavItem]:
    """The menu reads the feature table: an entry appears when the user holds its feature."""

    def entries(*pairs: tuple[str, str, str]) -> list[tuple[str, str]]:
        return [(label, reverse(url)) for key, label, url in pairs if scope.can(key)]

    items = [NavItem("Trang chủ", "home", reverse("dashboard:home"))]
    if scope.can("task.mine"):
        items.append(NavItem("Nhiệm vụ của tôi", "my_tasks", reverse("plans:my_tasks")))
    if scope.can("submission.enter"):
        items.append(NavItem("Báo cáo cần nộp", "due", reverse("reporting:due")))
    plans = NavItem(
        "Kế hoạch",
        "plans",
        children=entries(
            ("plan.read", "Danh sách kế hoạch", "plans:plan_list"),
            ("task.report", "Nhiệm vụ quá hạn", "plans:overdue"),
            ("task.report", "Ma trận trách nhiệm", "plans:matrix"),
            ("plan.manage", "Nhập kế hoạch mới", "plans:import_upload"),
            ("plan.manage", "Bản nhập đang rà soát", "plans:import_list"),
        ),
    )
    reports = NavItem(
        "Báo cáo",
        "reporting",
        children=entries(
            ("completeness.read", "Hộp báo cáo", "reporting:inbox"),
            ("completeness.read", "Tình hình nộp báo cáo", "reporting:completeness"),
            ("schedule.read", "Lịch báo cáo", "reporting:schedules"),
            ("consolidation.read", "Tổng hợp số liệu", "consolidation:index"),
            ("consolidation.read", "Báo cáo chung của kỳ", "periodreport:index"),
            ("indicator.read", "Chỉ tiêu và mức độ đạt", "indicators:index"),
            ("exchange.import", "Nhập, xuất dữ liệu", "consolidation:exchange_import"),
            ("exchange.export", "Trao đổi với DHIS2", "dhis2:index"),
        ),
    )
    areas = NavItem(
        "Địa bàn",
        "areas",
        children=entries(
            ("commune.list", "Xã, phường, đặc khu", "geo:communes"),
            ("area.read", "Phân loại địa bàn", "areas:index"),
        ),
    )
    catalogues = NavItem(
        "Danh mục",
        "catalogues",
        children=entries(
            ("agency.read", "Cơ quan, đơn vị", "agencies:list"),
            ("account.manage", "Người dùng", "accounts:users"),
            ("role.approve", "Phân quyền chờ phê duyệt", "accounts:grants_pending"),
            ("catalogue.read", "Chương trình, dự án", "program:catalogue"),
            ("catalogue.read", "Biểu mẫu báo cáo", "reporting:forms"),
            ("catalogue.manage", "Thiết kế biểu mẫu, chỉ tiêu", "reporting:design"),
            ("legal.manage", "Quy tắc pháp lý", "legal:rulesets"),
            ("legal.manage", "Ngày nghỉ lễ", "legal:holidays"),
        ),
    )
    cases = NavItem(
        "Hồ sơ",
        "cases",
        children=entries(
            ("registry.read_named", "Sổ quản lý hồ sơ", "cases:list"),
            ("registry.read_named", "Cảnh báo hồ sơ", "cases:alerts"),
            ("registry.manage", "Nhập danh sách từ tệp", "cases:import"),
            ("registry.lookup", "Tra cứu CCCD", "cases:lookup"),
            ("registry.figures", "Số liệu từ sổ quản lý", "cases:figures"),
            ("registry.access_log", "Nhật ký truy cập hồ sơ", "cases:access_log"),
            ("role.grant", "Gia hạn vai trò quản lý hồ sơ", "cases:renewals"),
        ),
    )
    items += [menu for menu in (plans, reports, areas, cases, catalogues) if menu.children]
    if scope.can("admin.site"):
        items.append(NavItem("Quản trị", "admin", reverse("admin:index")))
    return items


# Which menu a page belongs to, by URL namespace (view names override).
_ACTIVE_BY_NAMESPACE = {
    "dashboard": "home",
    "plans": "plans",
    "reporting": "reporting",
    "consolidation": "reporting",
    "indicators": "reporting",
    "periodreport": "reporting",
    "dhis2": "reporting",
    "geo": "areas",
    "areas": "areas",
    "agencies": "catalogues",
    "accounts": "catalogues",
    "program": "catalogues",
    "legal": "catalogues",
    "cases": "cases",
}
_ACTIVE_BY_VIEW = {"plans:my_tasks": "my_tasks", "reporting:due": "due", "reporting:forms": "catalogues"}


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    scope = get_scope(user)
    match = getattr(request, "resolver_match", None)
    active = ""
    if match:
        active = _ACTIVE_BY_VIEW.get(match.view_name, _ACTIVE_BY_NAMESPACE.get(match.namespace, ""))
    return {
        "nav_items": _menus(scope),
        "nav_roles": sorted(Role(r).label for r in scope.roles),
        "active_nav": active,
    }
