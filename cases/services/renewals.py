"""Renewing case roles (issue 13 §3: "a case role needs a second approver and expires after 12
months unless renewed").

- The Standing Office sees the case roles of its province that end within `WINDOW_DAYS` days, and
  those already ended (`expiring`).
- An officer holding `role.grant` over the role's province requests the renewal
  (`request_renewal`); never for a role they hold themselves.
- A second officer holding `role.approve` there, neither the requester nor the holder (the rule
  of the grant itself, `accounts.services.approve_grant`), approves it (`approve_renewal`): the
  role then runs 12 months from the day of the approval (`accounts.services.case_role_limit`).
- The holder is told 30 and 7 days before the end (`send_expiry_notices`, run every morning by
  `manage.py send_case_role_reminders` as a job of the installation, like the other reminders).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from access.policy import reach
from access.roles import Role
from access.scope import forget_scope
from accounts.models import RoleAssignment, User
from accounts.services import case_role_limit
from audit.services import record
from cases.models import RoleRenewal
from core import vn
from notices.services import notify

if TYPE_CHECKING:
    from access.scope import Reach

WINDOW_DAYS = 30
NOTICE_DAYS = (30, 7)


def _covers(r: Reach, province_code: str | None) -> bool:
    return r.nation or (province_code is not None and province_code in r.provinces)


@dataclass
class Row:
    assignment: RoleAssignment
    days_left: int
    pending: RoleRenewal | None
    may_request: bool
    may_approve: bool

    @property
    def expired(self) -> bool:
        return self.days_left < 0


def expiring(acting_user: User, *, today: datetime.date | None = None) -> list[Row]:
    """Approved case roles in the officer's provinces ending within 30 days or already ended."""
    today = today or timezone.localdate()
    grant = reach(acting_user, "role.grant")
    approve = reach(acting_user, "role.approve")
    qs = (
        RoleAssignment.objects.filter(
            role=Role.CASE_OFFICER,
            approved_at__isnull=False,
            valid_until__isnull=False,
            valid_until__lte=today + datetime.timedelta(days=WINDOW_DAYS),
        )
        .select_related("user", "province", "agency", "commune")
        .prefetch_related(
            Prefetch(
                "renewals",
                queryset=RoleRenewal.objects.filter(approved_at__isnull=True).select_related("requested_by"),
                to_attr="pending_renewals",
            )
        )
        .order_by("valid_until", "pk")
    )
    if not grant.nation:
        qs = qs.filter(province_id__in=sorted(grant.provinces | approve.provinces))
    rows = []
    for a in qs:
        waiting: list[RoleRenewal] = getattr(a, "pending_renewals", [])
        pending = waiting[0] if waiting else None
        until = a.valid_until or today  # the query keeps only roles with an end date
        rows.append(
            Row(
                assignment=a,
                days_left=(until - today).days,
                pending=pending,
                may_request=pending is None and a.user_id != acting_user.pk and _covers(grant, a.province_id),
                may_approve=pending is not None
                and acting_user.pk not in (a.user_id, pending.requested_by_id)
                and _covers(approve, a.province_id),
            )
        )
    return rows


def _approvers(renewal: RoleRenewal) -> list[User]:
    """Who may approve: the other Standing Office officers of the province (not the requester, not
    the holder), else the administrators — as for a grant."""
    from accounts.services import approvers

    a = renewal.assignment
    excluded = {renewal.requested_by_id, a.user_id}
    probe = RoleAssignment(user_id=a.user_id, created_by_id=renewal.requested_by_id, province_id=a.province_id)
    return [u for u in approvers(probe) if u.pk not in excluded]


@transaction.atomic
def request_renewal(*, acting_user: User, assignment: RoleAssignment) -> RoleRenewal:
    if assignment.role != Role.CASE_OFFICER or assignment.is_pending or assignment.valid_until is None:
        raise ValidationError("Chỉ gia hạn được vai trò quản lý hồ sơ đã được phê duyệt.")
    if not _covers(reach(acting_user, "role.grant"), assignment.province_id):
        raise PermissionDenied("Phạm vi của vai trò này không thuộc tỉnh bạn quản lý.")
    if assignment.user_id == acting_user.pk:
        raise PermissionDenied("Bạn không thể tự đề nghị gia hạn vai trò của chính mình.")
    try:
        with transaction.atomic():
            renewal = RoleRenewal.objects.create(
                assignment=assignment, requested_by=acting_user, previous_until=assignment.valid_until
            )
    except IntegrityError:
        raise ValidationError("Vai trò này đã có đề nghị gia hạn đang chờ phê duyệt.") from None
    record(
        actor=acting_user,
        action="role.renewal_request",
        obj=assignment.user,
        province_code=assignment.province_id or "",
        changes={"role": assignment.get_role_display(), "scope": assignment.scope_label},
    )
    url = reverse("cases:renewals")
    title = f"Đề nghị gia hạn chờ phê duyệt: {assignment.get_role_display()} — {assignment.scope_label}"
    body = (
        f"{acting_user} đề nghị gia hạn vai trò của tài khoản {assignment.user.username} "
        f"(hiệu lực đến hết {vn.format_date(assignment.valid_until)}). Cần một cán bộ khác phê duyệt."
    )
    key = f"role-renewal:{renewal.pk}"
    transaction.on_commit(lambda: notify(users=_approvers(renewal), key=key, url=url, title=title, body=body))
    return renewal


@transaction.atomic
def approve_renewal(*, acting_user: User, renewal: RoleRenewal, today: datetime.date | None = None) -> RoleRenewal:
    today = today or timezone.localdate()
    locked = RoleRenewal.objects.select_for_update().select_related("assignment__user").get(pk=renewal.pk)
    assignment = locked.assignment
    if not _covers(reach(acting_user, "role.approve"), assignment.province_id):
        raise PermissionDenied("Phạm vi của vai trò này không thuộc tỉnh bạn quản lý.")
    if assignment.user_id == acting_user.pk:
        raise PermissionDenied("Bạn không thể tự phê duyệt gia hạn vai trò của chính mình.")
    if locked.requested_by_id == acting_user.pk:
        raise PermissionDenied("Người đề nghị gia hạn không thể tự phê duyệt; cần một cán bộ khác.")
    if not locked.is_pending:
        raise ValidationError("Đề nghị gia hạn này đã được phê duyệt.")
    new_until = case_role_limit(today)
    locked.approved_at, locked.approved_by, locked.new_until = timezone.now(), acting_user, new_until
    locked.save(update_fields=["approved_at", "approved_by", "new_until"])
    RoleAssignment.objects.filter(pk=assignment.pk).update(valid_until=new_until)
    forget_scope(assignment.user)
    record(
        actor=acting_user,
        action="role.renewal_approve",
        obj=assignment.user,
        province_code=assignment.province_id or "",
        changes={
            "role": assignment.get_role_display(),
            "scope": assignment.scope_label,
            "valid_until": [
                locked.previous_until.isoformat() if locked.previous_until else None,
                new_until.isoformat(),
            ],
        },
    )
    holder, label = assignment.user, f"{assignment.get_role_display()} — {assignment.scope_label}"
    transaction.on_commit(
        lambda: notify(
            users=[holder],
            key=f"role-renewed:{locked.pk}",
            title=f"Vai trò đã được gia hạn: {label}",
            body=f"Vai trò của bạn có hiệu lực đến hết ngày {vn.format_date(new_until)}.",
        )
    )
    return locked


def send_expiry_notices(*, on: datetime.date | None = None) -> str:
    """Tell each holder of a case role 30 and 7 days before it ends (once per notice and end date;
    a morning missed sends the notice the next morning)."""
    on = on or timezone.localdate()
    roles = RoleAssignment.objects.in_force(on).filter(
        role=Role.CASE_OFFICER, valid_until__lte=on + datetime.timedelta(days=max(NOTICE_DAYS))
    )
    sent = 0
    for a in roles.select_related("user", "province", "agency", "commune"):
        if a.valid_until is None:  # not selected by the query; kept for the type checker
            continue
        days_left = (a.valid_until - on).days
        notice = min(d for d in NOTICE_DAYS if days_left <= d)
        label = f"{a.get_role_display()} — {a.scope_label}"
        sent += len(
            notify(
                users=[a.user],
                key=f"case-role-expiry:{a.pk}:{a.valid_until.isoformat()}:{notice}",
                title=f"Vai trò sắp hết hạn: {label}",
                body=(
                    f"Vai trò của bạn hết hiệu lực sau ngày {vn.format_date(a.valid_until)} (còn {days_left} ngày). "
                    "Cơ quan Thường trực đề nghị gia hạn và một cán bộ khác phê duyệt; sau ngày đó bạn không "
                    "còn xem được hồ sơ."
                ),
            )
        )
    return f"Đã gửi {sent} thông báo vai trò quản lý hồ sơ sắp hết hạn."
