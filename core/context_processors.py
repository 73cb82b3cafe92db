"""The navigation a person sees depends on the roles they hold.

Items are grouped into menus (Kế hoạch, Báo cáo, Địa bàn, Danh mục) so that the bar stays on one
line at 1366 px even for an officer who holds several roles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from accounts.roles import Role
from accounts.scope import get_scope


@dataclass
class NavItem:
    label: str
    key: str
    url: str = ""
    children: list[tuple[str, str]] = field(default_factory=list)


def _menus(scope: Any) -> list[NavItem]:
    office, leader, national = Role.STANDING_OFFICE, Role.LEADER, Role.NATIONAL_VIEWER
    units = scope.has(Role.AGENCY_OFFICER, Role.COMMUNE_OFFICER) and not scope.is_admin
    items = [NavItem("Trang chủ", "home", reverse("dashboard:home"))]
    if units:
        items.append(NavItem("Nhiệm vụ của tôi", "my_tasks", reverse("plans:my_tasks")))
        items.append(NavItem("Báo cáo cần nộp", "due", reverse("reporting:due")))

    plans = NavItem("Kế hoạch", "plans")
    if scope.has(office, leader, national):
        plans.children += [("Danh sách kế hoạch", reverse("plans:plan_list")), ("Nhiệm vụ quá hạn", reverse("plans:overdue")),
                           ("Ma trận trách nhiệm", reverse("plans:matrix"))]
    if scope.has(office):
        plans.children += [("Nhập kế hoạch mới", reverse("plans:import_upload")), ("Bản nhập đang rà soát", reverse("plans:import_list"))]
    reports = NavItem("Báo cáo", "reporting")
    if scope.has(office, leader):
        reports.children += [("Hộp báo cáo", reverse("reporting:inbox")), ("Tình hình nộp báo cáo", reverse("reporting:completeness")),
                             ("Lịch báo cáo", reverse("reporting:schedules"))]
    if scope.has(office, leader, national):
        reports.children += [("Tổng hợp số liệu", reverse("consolidation:index")), ("Chỉ tiêu và mức độ đạt", reverse("indicators:index"))]
    if scope.has(office):
        reports.children.append(("Nhập, xuất dữ liệu", reverse("consolidation:exchange_import")))
    areas = NavItem("Địa bàn", "areas")
    if scope.has(office, leader, national):
        areas.children.append(("Xã, phường, đặc khu", reverse("geo:communes")))
    if scope.has(office, leader, national, Role.COMMUNE_OFFICER):
        areas.children.append(("Phân loại địa bàn", reverse("areas:index")))
    catalogues = NavItem("Danh mục", "catalogues")
    if scope.has(office, leader):
        catalogues.children.append(("Cơ quan, đơn vị", reverse("agencies:list")))
    if scope.has(office):
        catalogues.children.append(("Người dùng", reverse("accounts:users")))
    catalogues.children += [("Chương trình, dự án", reverse("program:catalogue")), ("Biểu mẫu báo cáo", reverse("reporting:forms"))]
    items += [menu for menu in (plans, reports, areas, catalogues) if menu.children]
    if scope.is_admin:
        items.append(NavItem("Quản trị", "admin", reverse("admin:index")))
    return items


# Which menu a page belongs to, by URL namespace (view names override).
_ACTIVE_BY_NAMESPACE = {
    "dashboard": "home", "plans": "plans", "reporting": "reporting", "consolidation": "reporting",
    "indicators": "reporting", "geo": "areas", "areas": "areas", "agencies": "catalogues", "accounts": "catalogues",
    "program": "catalogues",
}
_ACTIVE_BY_VIEW = {"plans:my_tasks": "my_tasks", "reporting:due": "due", "reporting:forms": "catalogues"}


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    from notices.services import unread_count

    scope = get_scope(user)
    match = getattr(request, "resolver_match", None)
    active = ""
    if match:
        active = _ACTIVE_BY_VIEW.get(match.view_name, _ACTIVE_BY_NAMESPACE.get(match.namespace, ""))
    return {
        "nav_items": _menus(scope), "nav_roles": sorted(Role(r).label for r in scope.roles),
        "active_nav": active, "unread_notices": unread_count(user),
    }
