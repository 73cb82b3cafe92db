"""The only writers of accounts and role assignments. Each call is atomic and audited.

Grants follow three rules (issue 9): nobody grants a role to themself; a province-wide,
national or case role takes effect only once a second officer (neither the grantor nor the
grantee) approves it; a grant may end on a date.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from access.policy import reach
from access.roles import PROVINCE_GRANTABLE, Role, needs_second_approver
from access.scope import forget_scope
from accounts.models import RoleAssignment, User
from audit.services import record
from notices.services import notify

if TYPE_CHECKING:
    from geo.models import Province


def _province_code(user: User) -> str:
    return user.province_id or ""


def check_manages(acting_user: User, user: User) -> None:
    if not User.objects.for_user(acting_user).filter(pk=user.pk).exists():
        raise PermissionDenied("Bạn không quản lý tài khoản này.")


def may_see_contact(acting_user: User, user: User) -> bool:
    """Contact details (e-mail, phone) are personal data: only for the feature `account.contact`
    over the account's province (the Standing Office), not for administrators or national roles."""
    return reach(acting_user, "account.contact").covers_province(user.province_id)


_CONTACT_FIELDS = ("email", "phone")
_PROFILE_FIELDS = ("full_name", "email", "position", "phone")


@transaction.atomic
def create_user(*, acting_user: User, province: Province | None, password: str, **fields: Any) -> User:
    """Create an account managed by `province`; the person must change the password at first login."""
    r = reach(acting_user, "account.manage")
    if not r.nation and (province is None or province.pk not in r.provinces):
        raise PermissionDenied("Bạn chỉ tạo được tài khoản của tỉnh mình.")
    if not reach(acting_user, "account.contact").covers_province(getattr(province, "pk", None)):
        fields = {k: v for k, v in fields.items() if k not in _CONTACT_FIELDS}
    user = User(province=province, must_change_password=True, **fields)
    user.set_password(password)
    user.full_clean()
    user.save()
    record(
        actor=acting_user,
        action="user.create",
        obj=user,
        province_code=_province_code(user),
        changes={"username": user.username, **{f: getattr(user, f) for f in _PROFILE_FIELDS}},
    )
    return user


@transaction.atomic
def update_user(*, acting_user: User, user: User, data: dict[str, Any]) -> User:
    check_manages(acting_user, user)
    fields = (
        _PROFILE_FIELDS
        if may_see_contact(acting_user, user)
        else tuple(f for f in _PROFILE_FIELDS if f not in _CONTACT_FIELDS)
    )
    changes = {f: [getattr(user, f), data[f]] for f in fields if f in data and getattr(user, f) != data[f]}
    for f in changes:
        setattr(user, f, data[f])
    if changes:
        user.save(update_fields=list(changes))
        record(actor=acting_user, action="user.update", obj=user, province_code=_province_code(user), changes=changes)
    return user


@transaction.atomic
def set_active(*, acting_user: User, user: User, active: bool) -> User:
    """Deactivate (or reactivate) an account. An officer cannot deactivate themself."""
    check_manages(acting_user, user)
    if user.pk == acting_user.pk and not active:
        raise ValidationError("Bạn không thể tự khóa tài khoản của chính mình.")
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        record(
            actor=acting_user,
            action="user.activate" if active else "user.deactivate",
            obj=user,
            province_code=_province_code(user),
            changes={"is_active": [not active, active]},
        )
    return user


def grantable_roles(acting_user: User) -> list[tuple[str, str]]:
    roles = Role if reach(acting_user, "role.grant").nation else PROVINCE_GRANTABLE
    return [(r.value, r.label) for r in roles]


def _may_act_on_scope(acting_user: User, feature: str, province_code: str | None) -> bool:
    r = reach(acting_user, feature)
    return r.nation if province_code is None else r.covers_province(province_code)


def approvers(assignment: RoleAssignment) -> list[User]:
    """Who may approve a pending grant: the other officers holding `role.approve` over its scope."""
    excluded = [pk for pk in (assignment.user_id, assignment.created_by_id) if pk]
    candidates = User.objects.filter(is_active=True).exclude(pk__in=excluded)
    in_force = RoleAssignment.objects.in_force()
    office = candidates.filter(
        role_assignments__in=in_force.filter(role=Role.STANDING_OFFICE, province_id=assignment.province_id)
    )
    if assignment.province_id and office.exists():
        return list(office.distinct())
    # A national grant, or a province without another office officer yet: the administrators.
    return list(candidates.filter(role_assignments__in=in_force.filter(role=Role.ADMIN)).distinct())


CASE_ROLE_MONTHS = 12


def case_role_limit(today: datetime.date) -> datetime.date:
    """The last day of a case role granted on `today`: 12 months later (28/02 for a 29/02 start)."""
    try:
        return today.replace(year=today.year + CASE_ROLE_MONTHS // 12)
    except ValueError:
        return today.replace(year=today.year + CASE_ROLE_MONTHS // 12, day=28)


@transaction.atomic
def assign_role(
    *,
    acting_user: User,
    user: User,
    role: str,
    agency: Any = None,
    commune: Any = None,
    province: Province | None = None,
    valid_until: datetime.date | None = None,
) -> RoleAssignment:
    """Give `user` a role over a scope the acting officer manages.

    Never to oneself. A unit role takes effect at once; a province-wide, national or case role
    waits for a second approver (`approve_grant`), who is told by a notification.
    """
    check_manages(acting_user, user)
    if user.pk == acting_user.pk:
        raise PermissionDenied("Bạn không thể tự giao vai trò cho chính mình.")
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
    if not _may_act_on_scope(acting_user, "role.grant", getattr(province, "pk", None)):
        raise PermissionDenied("Phạm vi của vai trò phải thuộc tỉnh bạn quản lý.")
    if valid_until is not None and valid_until < timezone.localdate():
        raise ValidationError("Ngày hết hiệu lực không được ở trong quá khứ.")
    if role == Role.CASE_OFFICER:  # issue 13 §3: a case role lapses after 12 months unless granted again
        limit = case_role_limit(timezone.localdate())
        valid_until = min(valid_until, limit) if valid_until else limit
    assignment = RoleAssignment(
        user=user,
        role=role,
        province=province,
        agency=agency,
        commune=commune,
        created_by=acting_user,
        valid_until=valid_until,
    )
    assignment.full_clean()
    duplicate = RoleAssignment.objects.filter(
        user=user, role=role, province=province, agency=agency, commune=commune
    ).exists()
    if duplicate:
        raise ValidationError("Người dùng đã có vai trò này với phạm vi này.")
    pending = needs_second_approver(role, assignment.scope_kind)
    if not pending:
        assignment.approved_at, assignment.approved_by = timezone.now(), acting_user
    assignment.save()
    forget_scope(user)
    record(
        actor=acting_user,
        action="role.request" if pending else "role.assign",
        obj=user,
        province_code=_province_code(user),
        changes={
            "role": assignment.get_role_display(),
            "scope": assignment.scope_label,
            "valid_until": valid_until.isoformat() if valid_until else None,
        },
    )
    if pending:
        url = reverse("accounts:grants_pending")
        key = f"role-grant:{assignment.pk}"
        transaction.on_commit(
            lambda: notify(
                users=approvers(assignment),
                key=key,
                url=url,
                title=f"Phân quyền chờ phê duyệt: {assignment.get_role_display()} — {assignment.scope_label}",
                body=f"{acting_user} đề nghị giao vai trò cho tài khoản {user.username}. Cần một cán bộ khác phê duyệt.",
            )
        )
    return assignment


def pending_for(acting_user: User) -> Any:
    """Pending grants the acting officer may approve (not their own requests, not grants to them)."""
    r = reach(acting_user, "role.approve")
    qs = RoleAssignment.objects.pending().select_related("user", "province", "agency", "commune", "created_by")
    if not r.nation:
        qs = qs.filter(province_id__in=sorted(r.provinces))
    return qs.exclude(user_id=acting_user.pk).exclude(created_by_id=acting_user.pk).order_by("created_at", "pk")


@transaction.atomic
def approve_grant(*, acting_user: User, assignment: RoleAssignment) -> RoleAssignment:
    """The second approval that puts a province-wide, national or case grant in force."""
    locked = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    if not _may_act_on_scope(acting_user, "role.approve", locked.province_id):
        raise PermissionDenied("Phạm vi của vai trò này không thuộc tỉnh bạn quản lý.")
    if locked.user_id == acting_user.pk:
        raise PermissionDenied("Bạn không thể tự phê duyệt vai trò giao cho chính mình.")
    if locked.created_by_id == acting_user.pk:
        raise PermissionDenied("Người đề nghị giao vai trò không thể tự phê duyệt; cần một cán bộ khác.")
    if not locked.is_pending:
        raise ValidationError("Phân quyền này đã được phê duyệt.")
    locked.approved_at, locked.approved_by = timezone.now(), acting_user
    locked.save(update_fields=["approved_at", "approved_by"])
    forget_scope(locked.user)
    record(
        actor=acting_user,
        action="role.approve",
        obj=locked.user,
        province_code=_province_code(locked.user),
        changes={"role": locked.get_role_display(), "scope": locked.scope_label},
    )
    return locked


@transaction.atomic
def revoke_role(*, acting_user: User, assignment: RoleAssignment) -> None:
    """Withdraw a grant (in force or still pending)."""
    user = assignment.user
    check_manages(acting_user, user)
    if not _may_act_on_scope(acting_user, "role.grant", assignment.province_id):
        raise PermissionDenied("Phạm vi của vai trò này không thuộc tỉnh bạn quản lý.")
    if user.pk == acting_user.pk and assignment.role == Role.STANDING_OFFICE:
        raise ValidationError("Bạn không thể tự thu hồi vai trò Cơ quan Thường trực của chính mình.")
    label = str(assignment)
    assignment.delete()
    forget_scope(user)
    record(
        actor=acting_user, action="role.revoke", obj=user, province_code=_province_code(user), changes={"role": label}
    )


def is_locked(user: User) -> bool:
    """True while the account's recent failures, from every address together, reach the limit."""
    from django.conf import settings
    from django.db.models import Sum
    from django.utils import timezone

    recent = AccessAttempt.objects.filter(
        username=user.username, attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME
    )
    return (recent.aggregate(n=Sum("failures_since_start"))["n"] or 0) >= settings.AXES_FAILURE_LIMIT


@transaction.atomic
def unlock(*, acting_user: User, user: User) -> int:
    """Lift a lockout: the account's failed attempts and those of the addresses it was tried from."""
    check_manages(acting_user, user)
    ips = set(AccessAttempt.objects.filter(username=user.username).values_list("ip_address", flat=True))
    count = int(axes_reset(username=user.username))
    for ip in ips:
        if ip:
            count += int(axes_reset(ip=ip))
    record(
        actor=acting_user,
        action="user.unlock",
        obj=user,
        province_code=_province_code(user),
        changes={"attempts": count},
    )
    return count
