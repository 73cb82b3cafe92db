"""Administrative units after the 2025 reform (34 provinces, 3,321 communes) and population."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from access.policy import feature_for, province_filter, reach


class ProvinceQuerySet(models.QuerySet["Province"]):
    def for_user(self, user: Any, feature: str) -> ProvinceQuerySet:
        """The provinces where the user holds `feature` (a key of `access.features`), in whole or
        through one of its agencies or communes: the one answer to "which provinces may I read or
        manage" (e.g. `"consolidation.read"`, `"schedule.manage"`)."""
        return province_filter(self, user, feature, "code")


class Province(models.Model):
    """A province-level unit (tỉnh / thành phố trực thuộc trung ương)."""

    code = models.CharField("mã", max_length=2, primary_key=True)
    name = models.CharField("tên", max_length=100)
    short_name = models.CharField("tên ngắn", max_length=100)
    lat = models.FloatField("vĩ độ", null=True, blank=True)
    lon = models.FloatField("kinh độ", null=True, blank=True)

    objects = ProvinceQuerySet.as_manager()

    class Meta:
        verbose_name = "tỉnh, thành phố"
        verbose_name_plural = "tỉnh, thành phố"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_city(self) -> bool:
        return self.name.startswith("Thành phố")


class CommuneKind(models.TextChoices):
    XA = "xa", "Xã"
    PHUONG = "phuong", "Phường"
    DAC_KHU = "dac_khu", "Đặc khu"


class CommuneQuerySet(models.QuerySet["Commune"]):
    ACTIONS = {"view": "commune.read", "edit": "population.manage", "grant": "role.grant"}

    def for_user(self, user: Any, action: str = "view") -> CommuneQuerySet:
        """Communes the user may see (`view`: whole provinces for province-wide and agency grants,
        the commune itself for a commune grant), whose population they may edit (`edit`), or over
        which they may grant roles (`grant`)."""
        r = reach(user, feature_for(self.ACTIONS, action, "Commune"))
        if r.nation:
            return self.all()
        if action != "view":
            return self.filter(province_id__in=sorted(r.provinces))
        return self.filter(
            models.Q(province_id__in=sorted(r.provinces | r.agency_provinces)) | models.Q(code__in=sorted(r.communes))
        )


class Commune(models.Model):
    """A commune-level unit (xã, phường, đặc khu) with its official statistics-office code."""

    code = models.CharField("mã", max_length=5, primary_key=True)
    province = models.ForeignKey(Province, verbose_name="tỉnh", on_delete=models.PROTECT, related_name="communes")
    name = models.CharField("tên", max_length=100)
    short_name = models.CharField("tên ngắn", max_length=100)
    kind = models.CharField("loại", max_length=8, choices=CommuneKind.choices)
    lat = models.FloatField("vĩ độ", null=True, blank=True)
    lon = models.FloatField("kinh độ", null=True, blank=True)
    area_km2 = models.DecimalField("diện tích (km²)", max_digits=10, decimal_places=2, null=True, blank=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = "xã, phường, đặc khu"
        verbose_name_plural = "xã, phường, đặc khu"
        ordering = ["province_id", "name"]
        indexes = [models.Index(fields=["province", "kind"])]

    def __str__(self) -> str:
        return self.name


class Population(models.Model):
    """Resident population (nhân khẩu hiện đang cư trú) of a commune in a year."""

    commune = models.ForeignKey(Commune, verbose_name="xã", on_delete=models.CASCADE, related_name="populations")
    year = models.PositiveSmallIntegerField("năm")
    population = models.PositiveIntegerField("nhân khẩu")
    source = models.CharField("nguồn", max_length=200, blank=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người cập nhật",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "nhân khẩu"
        verbose_name_plural = "nhân khẩu"
        ordering = ["commune_id", "-year"]
        constraints = [models.UniqueConstraint(fields=["commune", "year"], name="population_commune_year_unique")]

    def __str__(self) -> str:
        return f"{self.commune} {self.year}: {self.population}"
