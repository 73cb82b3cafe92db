from django.contrib import admin

from geo.models import Commune, Population, Province


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "province")
    list_filter = ("kind", "province")
    search_fields = ("code", "name")


@admin.register(Population)
class PopulationAdmin(admin.ModelAdmin):
    list_display = ("commune", "year", "population", "source")
    list_filter = ("year",)
    raw_id_fields = ("commune",)
