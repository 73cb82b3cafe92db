from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    raw_id_fields = ("agency", "commune")
    exclude = ("created_by",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "province", "is_active")
    list_filter = ("is_active", "province")
    search_fields = ("username", "full_name", "email")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("PCMT", {"fields": ("full_name", "province", "position", "phone", "must_change_password")}),
    )
    inlines = [RoleAssignmentInline]
