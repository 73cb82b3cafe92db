"""The only writers of accounts and role assignments. Each call is atomic and audited."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import RoleAssignment, User
from accounts.roles import PROVINCE_GRANTABLE, Role
from accounts.scope import forget_scope, get_scope
from audit.services import record


def _province_code(user: User) -> str:
    return user.province_id or ""


def check_manages(acting_user: Any, user: User) -> None:
    if not User.objects.for_user(acting_user).filter(pk=user.pk).exists():
        raise PermissionDenied("Bạn không quản lý tài khoản này.")


@transaction.atomic
def create_user(*, acting_user: Any, province: Any, password: str, **fields: Any) -> User:
    """Create an account managed by `province`; the person must change the password at first login."""
    scope = get_scope(acting_user)
    if not scope.is_admin and (province is None or province.pk not in scope.provinces_for(Role.STANDING_OFFICE)):
        raise PermissionDenied("Bạn chỉ tạo được tài khoản của tỉnh mình.")
    user = User(province=province, must_change_password=True, **fields)
    user.set_password(password)
    user.full_clean()
    user.save()
    record(actor=acting_user, action="user.create", obj=user, province_code=_province_code(user),
           changes={"username": user.username, "full_name": user.full_name})
    return user


_PROFILE_FIELDS = ("full_name", "email", "position", "phone")


@transaction.atomic
def update_user(*, acting_user: Any, user: User, data: dict[str, Any]) -> User:
    check_manages(acting_user, user)
    changes = {f: [getattr(user, f), data[f]] for f in _PROFILE_FIELDS if f in data and getattr(user, f) != data[f]}
    for f in changes:
        setattr(user, f, data[f])
    if changes:
        user.save(update_fields=list(changes))
        record(actor=acting_user, action="user.update", obj=user, province_code=_province_code(user), changes=changes)
    return user


@transaction.atomic
def set_active(*, acting_user: Any, user: User, active: bool) -> User:
    """Deactivate (or reactivate) an account. An officer cannot deactivate themself."""
    check_manages(acting_user, user)
    if user.pk == acting_user.pk and not active:
        raise ValidationError("Bạn không thể tự khóa tài khoản của chính mình.")
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        record(actor=acting_user, action="user.activate" if active else "user.deactivate", obj=user,
               province_code=_province_code(user), changes={"is_active": [not active, active]})
    return user


def grantable_roles(acting_user: Any) -> list[tuple[str, str]]:
    scope = get_scope(acting_user)
    roles = Role if scope.is_admin else PROVINCE_GRANTABLE
    return [(r.value, r.label) for r in roles]


@transaction.atomic
def assign_role(
    *, acting_user: Any, user: User, role: str, agency: Any = None, commune: Any = None, province: Any = None,
) -> RoleAssignment:
    """Give `user` a role over a scope inside the acting officer's province."""
    check_manages(acting_user, user)
    if role not in dict(grantable_roles(acting_user)):
        raise PermissionDenied("Bạn không được giao vai trò này.")
    if agency is not None:
        province = agency.province
    elif commune is not None:
        province = commune.province
    elif role in (Role.NATIONAL_VIEWER, Role.ADMIN):
        province = None
    elif province is None:
        province = user.province
    scope = get_scope(acting_user)
    if not scope.is_admin and (province is None or province.pk not in scope.provinces_for(Role.STANDING_OFFICE)):
        raise PermissionDenied("Phạm vi của vai trò phải thuộc tỉnh bạn quản lý.")
    assignment = RoleAssignment(
        user=user, role=role, province=province, agency=agency, commune=commune, created_by=acting_user
    )
    assignment.full_clean()
    duplicate = RoleAssignment.objects.filter(
        user=user, role=role, province=province, agency=agency, commune=commune
    ).exists()
    if duplicate:
        raise ValidationError("Người dùng đã có vai trò này với phạm vi này.")
    assignment.save()
    forget_scope(user)
    record(actor=acting_user, action="role.assign", obj=user, province_code=_province_code(user),
           changes={"role": assignment.get_role_display(), "scope": assignment.scope_label})
    return assignment


@transaction.atomic
def revoke_role(*, acting_user: Any, assignment: RoleAssignment) -> None:
    user = assignment.user
    check_manages(acting_user, user)
    scope = get_scope(acting_user)
    if not scope.is_admin and assignment.province_id not in scope.provinces_for(Role.STANDING_OFFICE):
        raise PermissionDenied("Phạm vi của vai trò này không thuộc tỉnh bạn quản lý.")
    if user.pk == acting_user.pk and assignment.role == Role.STANDING_OFFICE:
        raise ValidationError("Bạn không thể tự thu hồi vai trò Cơ quan Thường trực của chính mình.")
    label = str(assignment)
    assignment.delete()
    forget_scope(user)
    record(actor=acting_user, action="role.revoke", obj=user, province_code=_province_code(user), changes={"role": label})


def is_locked(user: User) -> bool:
    """True while the account's recent failures, from every address together, reach the limit."""
    from django.conf import settings
    from django.db.models import Sum
    from django.utils import timezone

    recent = AccessAttempt.objects.filter(username=user.username, attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    return (recent.aggregate(n=Sum("failures_since_start"))["n"] or 0) >= settings.AXES_FAILURE_LIMIT


@transaction.atomic
def unlock(*, acting_user: Any, user: User) -> int:
    """Lift a lockout: the account's failed attempts and those of the addresses it was tried from."""
    check_manages(acting_user, user)
    ips = set(AccessAttempt.objects.filter(username=user.username).values_list("ip_address", flat=True))
    count = axes_reset(username=user.username)
    for ip in ips:
        if ip:
            count += axes_reset(ip=ip)
    record(actor=acting_user, action="user.unlock", obj=user, province_code=_province_code(user), changes={"attempts": count})
    return count
