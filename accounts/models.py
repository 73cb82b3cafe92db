"""Users and their role assignments (role × scope)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models

from accounts.roles import ALLOWED_SCOPES, Role, ScopeKind


class PcmtUserManager(UserManager):
    def for_user(self, user: Any) -> models.QuerySet:
        """Accounts the user may manage: all for administrators, their province's for the Standing Office."""
        from accounts.scope import get_scope

        scope = get_scope(user)
        if scope.is_admin:
            return self.all()
        provinces = scope.provinces_for(Role.STANDING_OFFICE)
        # Never administrators, nor anyone holding a national role or a role in another province.
        outside = RoleAssignment.objects.filter(
            models.Q(province__isnull=True) | ~models.Q(province_id__in=provinces)
        ).values("user_id")
        return self.filter(province_id__in=provinces, is_superuser=False).exclude(pk__in=outside)


class User(AbstractUser):
    """A person who signs in. `province` is the province whose Standing Office manages the account."""

    full_name = models.CharField("họ và tên", max_length=150)
    province = models.ForeignKey(
        "geo.Province", verbose_name="tỉnh quản lý tài khoản", null=True, blank=True,
        on_delete=models.PROTECT, related_name="users",
    )
    position = models.CharField("chức vụ", max_length=150, blank=True)
    phone = models.CharField("điện thoại", max_length=20, blank=True)
    must_change_password = models.BooleanField("phải đổi mật khẩu", default=False)

    objects = PcmtUserManager()

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username


class RoleAssignment(models.Model):
    """One role held over one scope. `province` is stored for every non-national scope."""

    user = models.ForeignKey(User, verbose_name="người dùng", on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField("vai trò", max_length=32, choices=Role.choices)
    province = models.ForeignKey("geo.Province", verbose_name="tỉnh", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("agencies.Agency", verbose_name="cơ quan", null=True, blank=True, on_delete=models.PROTECT, related_name="role_assignments")
    commune = models.ForeignKey("geo.Commune", verbose_name="xã", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("ngày giao", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "phân quyền"
        verbose_name_plural = "phân quyền"
        ordering = ["user_id", "role"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.scope_label}"

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
