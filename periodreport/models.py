"""The province's (or the nation's) report for a period as one document, kept as versions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from reporting.models import Letterhead
from reporting.periods import KINDS


class PeriodReport(Letterhead):
    """One version of the province's (empty: the nation's) report for a period: every form that
    feeds it in one document. Each save adds a version; the newest is the one downloaded."""

    province = models.ForeignKey("geo.Province", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("loại báo cáo", max_length=12, choices=list(KINDS.items()))
    period = models.CharField("kỳ", max_length=8)
    version = models.PositiveIntegerField("phiên bản")
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField("lưu lúc", auto_now_add=True)

    class Meta:
        verbose_name = "báo cáo chung của kỳ"
        verbose_name_plural = "báo cáo chung của kỳ"
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["province", "kind", "period", "version"], name="period_report_version"),
            models.UniqueConstraint(
                fields=["kind", "period", "version"],
                condition=Q(province__isnull=True),
                name="national_period_report_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.province_id or 'toàn quốc'} {self.kind} {self.period} v{self.version}"
