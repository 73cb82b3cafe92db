"""Indicators (formulas over data elements) and their targets."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from access.policy import feature_for, province_filter


class Comparator(models.TextChoices):
    AT_LEAST = ">=", "Ít nhất (≥)"
    ABOVE = ">", "Trên (>)"
    AT_MOST = "<=", "Tối đa (≤)"
    BELOW = "<", "Dưới (<)"
    REACH = "=", "Đạt (=)"
    INCREASE = "increase", "Tăng trên … % so với cùng kỳ năm trước"
    DECREASE = "decrease", "Giảm so với cùng kỳ năm trước"


RELATIVE = {Comparator.INCREASE, Comparator.DECREASE}


class Indicator(models.Model):
    """value = numerator ÷ denominator × factor; the expressions are sums (and differences) of
    element codes ("MGMT_TOTAL + MGMT_U18"). Without a denominator, value = numerator × factor."""

    code = models.CharField("mã", max_length=20, unique=True)
    name = models.CharField("tên chỉ số", max_length=255)
    description = models.TextField("cách tính", blank=True)
    numerator = models.CharField("tử số", max_length=255)
    denominator = models.CharField("mẫu số", max_length=255, blank=True)
    factor = models.DecimalField("hệ số", max_digits=10, decimal_places=2, default=1)
    unit = models.CharField("đơn vị", max_length=20, blank=True)
    decimals = models.PositiveSmallIntegerField("số chữ số thập phân", default=1)
    # Below this share of the expected reporting units with approved data, attainment reads
    # "Chưa đủ số liệu" (never "Đạt").
    min_coverage = models.DecimalField(
        "tỷ lệ đơn vị có số liệu tối thiểu để đánh giá (%)", max_digits=5, decimal_places=2, default=80
    )
    national_target = models.ForeignKey(
        "program.NationalTarget",
        verbose_name="chỉ tiêu quốc gia",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
    )
    target_code = models.CharField("mã chỉ tiêu (T1–T9)", max_length=6, blank=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    is_active = models.BooleanField("đang dùng", default=True)

    class Meta:
        verbose_name = "chỉ số"
        verbose_name_plural = "chỉ số"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class TargetQuerySet(models.QuerySet["Target"]):
    ACTIONS = {"view": "indicator.read", "manage": "target.manage"}

    def for_user(self, user: Any, action: str = "view") -> TargetQuerySet:
        """`view`: national targets and those of the provinces whose indicators the user reads;
        `manage`: the provincial targets of the provinces where the user sets targets."""
        feature = feature_for(self.ACTIONS, action, "Target")
        if action == "view":
            return province_filter(self, user, feature) | self.filter(province__isnull=True)
        return province_filter(self, user, feature).filter(province__isnull=False)


class Target(models.Model):
    """Comparator + value + year for an indicator: national (province empty) or a provincial
    override; several years make milestones. Year empty: every year (relative targets)."""

    indicator = models.ForeignKey(Indicator, verbose_name="chỉ số", on_delete=models.CASCADE, related_name="targets")
    province = models.ForeignKey(
        "geo.Province",
        verbose_name="tỉnh (trống: toàn quốc)",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField("năm", null=True, blank=True)
    comparator = models.CharField("so sánh", max_length=10, choices=Comparator.choices)
    value = models.DecimalField("giá trị", max_digits=12, decimal_places=2, null=True, blank=True)
    note = models.CharField("căn cứ", max_length=255, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"
        ordering = ["indicator_id", "province_id", "year"]
        constraints = [
            # NULLs are distinct in unique indexes: one constraint per combination of empties.
            models.UniqueConstraint(fields=["indicator", "province", "year"], name="target_once"),
            models.UniqueConstraint(
                fields=["indicator", "year"], condition=Q(province__isnull=True), name="target_national_once"
            ),
            models.UniqueConstraint(
                fields=["indicator", "province"], condition=Q(year__isnull=True), name="target_every_year_once"
            ),
            models.UniqueConstraint(
                fields=["indicator"],
                condition=Q(province__isnull=True, year__isnull=True),
                name="target_national_every_year_once",
            ),
        ]

    def __str__(self) -> str:
        where = self.province_id or "toàn quốc"
        return f"{self.indicator_id} {where} {self.year or 'hằng năm'}: {self.comparator} {self.value}"
