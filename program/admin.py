from django.contrib import admin

from program.models import NationalTarget, Project


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "national_lead", "provincial_lead")


@admin.register(NationalTarget)
class NationalTargetAdmin(admin.ModelAdmin):
    list_display = ("code", "part", "comparator", "value", "unit", "year")
