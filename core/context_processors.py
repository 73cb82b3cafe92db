"""The navigation a person sees depends on the roles they hold."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from accounts.roles import Role
from accounts.scope import get_scope


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    scope = get_scope(user)
    items = [("Trang chủ", reverse("dashboard:home"), "home")]
    if scope.has(Role.STANDING_OFFICE, Role.LEADER, Role.NATIONAL_VIEWER):
        items.append(("Xã, phường", reverse("geo:communes"), "communes"))
        items.append(("Kế hoạch", reverse("plans:plan_list"), "plans"))
    if scope.has(Role.AGENCY_OFFICER, Role.COMMUNE_OFFICER):
        items.append(("Nhiệm vụ của tôi", reverse("plans:my_tasks"), "my_tasks"))
    if scope.has(Role.STANDING_OFFICE, Role.LEADER):
        items.append(("Cơ quan, đơn vị", reverse("agencies:list"), "agencies"))
    if scope.has(Role.STANDING_OFFICE):
        items.append(("Người dùng", reverse("accounts:users"), "users"))
    if scope.has(Role.STANDING_OFFICE, Role.LEADER, Role.COMMUNE_OFFICER, Role.NATIONAL_VIEWER):
        items.append(("Phân loại địa bàn", reverse("areas:index"), "areas"))
    if scope.has(Role.STANDING_OFFICE, Role.LEADER, Role.NATIONAL_VIEWER):
        items.append(("Tổng hợp", reverse("consolidation:index"), "consolidation"))
        items.append(("Chỉ tiêu", reverse("indicators:index"), "indicators"))
    if scope.has(Role.AGENCY_OFFICER, Role.COMMUNE_OFFICER) and not scope.is_admin:
        items.append(("Báo cáo cần nộp", reverse("reporting:due"), "reporting"))
    elif scope.has(Role.STANDING_OFFICE, Role.LEADER):
        items.append(("Báo cáo", reverse("reporting:inbox"), "reporting"))
    items.append(("Chương trình", reverse("program:catalogue"), "program"))
    if scope.is_admin:
        items.append(("Quản trị", reverse("admin:index"), "admin"))
    from notices.services import unread_count

    roles = sorted(Role(r).label for r in scope.roles)
    match = getattr(request, "resolver_match", None)
    active = _ACTIVE_BY_NAMESPACE.get(match.namespace if match else "", "")
    if match and match.view_name == "plans:my_tasks":
        active = "my_tasks"
    return {"nav_items": items, "nav_roles": roles, "active_nav": active, "unread_notices": unread_count(user)}


_ACTIVE_BY_NAMESPACE = {"dashboard": "home", "geo": "communes", "agencies": "agencies", "accounts": "users", "program": "program", "reporting": "reporting", "areas": "areas", "plans": "plans", "consolidation": "consolidation", "indicators": "indicators"}
