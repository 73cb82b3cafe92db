"""The administrator's view of accounts in the admin site: no contact details (personal data,
feature `account.contact`), and no way around PCMT's grant rules — roles, superuser and staff
flags are read-only here; grants go through the user page (second approver, no self-grant)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    fields = ("role", "province", "agency", "commune", "approved_at", "valid_until")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "province", "is_active")
    list_filter = ("is_active", "province")
    search_fields = ("username", "full_name")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("PCMT", {"fields": ("full_name", "province", "position", "must_change_password", "is_active")}),
        ("Quyền (chỉ đọc)", {"fields": ("is_staff", "is_superuser", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "full_name", "province", "password1", "password2")}),
    )
    readonly_fields = ("is_staff", "is_superuser", "last_login", "date_joined")
    inlines = [RoleAssignmentInline]
