"""Users and their role assignments (role × scope)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from access.policy import feature_for, reach
from access.roles import ALLOWED_SCOPES, Role, ScopeKind


class PcmtUserManager(UserManager):
    ACTIONS = {"manage": "account.manage"}

    def for_user(self, user: Any, action: str = "manage") -> models.QuerySet:
        """Accounts the user may manage: every account where they hold `account.manage` over the
        nation (administrators); else their province's accounts, never an administrator nor anyone
        holding a national role or a role in another province."""
        r = reach(user, feature_for(self.ACTIONS, action, "User"))
        if r.nation:
            return self.all()
        provinces = sorted(r.provinces)
        outside = RoleAssignment.objects.filter(
            models.Q(province__isnull=True) | ~models.Q(province_id__in=provinces)
        ).values("user_id")
        return self.filter(province_id__in=provinces, is_superuser=False).exclude(pk__in=outside)


class User(AbstractUser):
    """A person who signs in. `province` is the province whose Standing Office manages the account."""

    full_name = models.CharField("họ và tên", max_length=150)
    province = models.ForeignKey(
        "geo.Province",
        verbose_name="tỉnh quản lý tài khoản",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    position = models.CharField("chức vụ", max_length=150, blank=True)
    phone = models.CharField("điện thoại", max_length=20, blank=True)
    must_change_password = models.BooleanField("phải đổi mật khẩu", default=False)

    objects = PcmtUserManager()

    # Personal data: the audit trail records that these changed, never their values.
    AUDIT_PROTECTED = frozenset({"full_name", "email", "phone", "position"})

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def audit_label(self) -> str:
        """How the audit trail names the account (its login, not the person's name)."""
        return f"Tài khoản {self.username}"


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def in_force(self, on: Any = None) -> RoleAssignmentQuerySet:
        """Approved and not expired (`valid_until` is the last day of the grant)."""
        on = on or timezone.localdate()
        return self.filter(approved_at__isnull=False).filter(
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=on)
        )

    def pending(self) -> RoleAssignmentQuerySet:
        return self.filter(approved_at__isnull=True)


class RoleAssignment(models.Model):
    """One role held over one scope. `province` is stored for every non-national scope.

    A grant takes effect when approved: at once for a unit role, by a second officer for a
    province-wide, national or case role (`access.roles.needs_second_approver`). It may end on
    `valid_until`.
    """

    user = models.ForeignKey(User, verbose_name="người dùng", on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField("vai trò", max_length=32, choices=Role.choices)
    province = models.ForeignKey(
        "geo.Province", verbose_name="tỉnh", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="cơ quan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    commune = models.ForeignKey(
        "geo.Commune", verbose_name="xã", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("ngày giao", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField("ngày phê duyệt", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người phê duyệt",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    valid_until = models.DateField("hiệu lực đến hết ngày", null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "phân quyền"
        verbose_name_plural = "phân quyền"
        ordering = ["user_id", "role"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.scope_label}"

    @property
    def is_pending(self) -> bool:
        return self.approved_at is None

    @property
    def is_expired(self) -> bool:
        return self.valid_until is not None and self.valid_until < timezone.localdate()

    @property
    def scope_kind(self) -> str:
        if self.agency_id:
            return ScopeKind.AGENCY
        if self.commune_id:
            return ScopeKind.COMMUNE
        if self.province_id:
            return ScopeKind.PROVINCE
        return ScopeKind.NATION

    @property
    def scope_label(self) -> str:
        if self.agency_id:
            return str(self.agency)
        if self.commune_id:
            return f"{self.commune}"
        if self.province_id:
            return str(self.province)
        return "Toàn quốc"

    def clean(self) -> None:
        allowed = ALLOWED_SCOPES.get(self.role, ())
        if self.scope_kind not in allowed:
            labels = ", ".join(ScopeKind(s).label.lower() for s in allowed)
            raise ValidationError(f"Vai trò «{self.get_role_display()}» chỉ được giao theo phạm vi: {labels}.")
        if self.agency_id and self.province_id != self.agency.province_id:
            raise ValidationError("Cơ quan không thuộc tỉnh của phân quyền.")
        if self.commune_id and self.province_id != self.commune.province_id:
            raise ValidationError("Xã không thuộc tỉnh của phân quyền.")


class ApiToken(models.Model):
    """A personal access token for machine clients of the API (as DHIS2's personal access tokens).

    Only a SHA-256 digest of the secret is stored: the token is shown once, when created. A token
    acts exactly as its owner (the same roles and scope, read at each request); it ends when it
    expires, is revoked, or the account is deactivated.
    """

    user = models.ForeignKey(User, verbose_name="người dùng", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("tên gợi nhớ", max_length=100)
    prefix = models.CharField("phần đầu mã", max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    allowed_ips = models.CharField("chỉ nhận từ địa chỉ IP", max_length=500, blank=True)
    created_at = models.DateTimeField("ngày tạo", auto_now_add=True)
    expires_at = models.DateTimeField("hết hạn")
    last_used_at = models.DateTimeField("dùng lần cuối", null=True, blank=True)
    revoked_at = models.DateTimeField("ngày thu hồi", null=True, blank=True)

    class Meta:
        verbose_name = "mã truy cập API"
        verbose_name_plural = "mã truy cập API"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def audit_label(self) -> str:
        return f"Mã truy cập API {self.prefix}… của {self.user.username}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def status_label(self) -> str:
        if self.revoked_at is not None:
            return "Đã thu hồi"
        return "Còn hiệu lực" if self.expires_at > timezone.now() else "Đã hết hạn"
