from django.contrib import admin

from agencies.models import Agency


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "province", "legacy", "is_active")
    list_filter = ("kind", "legacy", "is_active", "province")
    search_fields = ("code", "name")
