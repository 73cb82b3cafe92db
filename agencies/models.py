"""The catalogue of agencies (cơ quan, đơn vị) a province's plans address."""

from __future__ import annotations

from typing import Any

from django.db import models

from access.policy import feature_for, province_filter
from agencies.catalogue import Kind


class AgencyQuerySet(models.QuerySet["Agency"]):
    ACTIONS = {"view": "reference.read", "list": "agency.read", "manage": "agency.manage", "grant": "role.grant"}

    def for_user(self, user: Any, action: str = "view") -> AgencyQuerySet:
        """`view`: agencies of every province where the user works (reference data for choices);
        `list`: the catalogue page; `manage`: those they may edit; `grant`: those over which they
        may grant roles."""
        return province_filter(
            self, user, feature_for(self.ACTIONS, action, "Agency"), units_open_province=action == "view"
        )


class Agency(models.Model):
    """A provincial body (sở, ngành, đoàn thể, …) or a group that plans address as one."""

    province = models.ForeignKey("geo.Province", verbose_name="tỉnh", on_delete=models.PROTECT, related_name="agencies")
    code = models.CharField("mã", max_length=20)
    name = models.CharField("tên", max_length=255)
    short_name = models.CharField("tên viết tắt", max_length=60, blank=True)
    kind = models.CharField("loại", max_length=20, choices=Kind.CHOICES)
    aliases = models.JSONField("tên gọi khác", default=list, blank=True)
    legacy = models.BooleanField("tên cũ (trước sắp xếp 2025)", default=False)
    requested = models.BooleanField('ngoài phạm vi chỉ đạo của UBND ("Đề nghị")', default=False)
    is_active = models.BooleanField("đang hoạt động", default=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = "cơ quan, đơn vị"
        verbose_name_plural = "cơ quan, đơn vị"
        ordering = ["province_id", "legacy", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["province", "code"], name="agency_province_code_unique")]

    def __str__(self) -> str:
        return self.name
