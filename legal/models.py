"""National legal reference data: public holidays and the versioned rule sets of the legal path.

Both are installation data kept by the system administrator (`legal.manage`); every user's
computations read them, nobody else edits them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from access.policy import feature_for, reach


class _NationalQuerySet(models.QuerySet[Any]):
    ACTIONS = {"view": "legal.manage", "manage": "legal.manage"}

    def for_user(self, user: Any, action: str = "view") -> Any:
        """All rows for a user holding `legal.manage` over the nation, none for anyone else."""
        r = reach(user, feature_for(self.ACTIONS, action, self.model.__name__))
        return self.all() if r.nation else self.none()


class Holiday(models.Model):
    """A day off work nationwide (Bộ luật Lao động 2019 Điều 112, and days moved by the Government)."""

    day = models.DateField("ngày", unique=True)
    name = models.CharField("tên ngày nghỉ", max_length=200)
    source = models.CharField("nguồn", max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người sửa",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)

    objects = _NationalQuerySet.as_manager()

    class Meta:
        verbose_name = "ngày nghỉ lễ"
        verbose_name_plural = "ngày nghỉ lễ"
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.name}"


class RuleSet(models.Model):
    """Durations, deadlines and signing offices of the legal path in force from `effective_from`
    to `effective_to` (open-ended when empty), with their legal citation.

    `body` = {"decisions": {decision type: {"signer": str, "basis": str, "months": int,
    "months_repeat": int, "min_months": int, "max_months": int, "due_working_days": int,
    "due_label": str, "note": str}}}; every key but "signer" and "basis" is optional
    (`legal.rules.validate_body`).
    """

    code = models.CharField("mã", max_length=40, unique=True)
    name = models.CharField("tên", max_length=200)
    effective_from = models.DateField("hiệu lực từ ngày")
    effective_to = models.DateField("hiệu lực đến hết ngày", null=True, blank=True)
    citation = models.TextField("căn cứ pháp lý")
    notes = models.TextField("ghi chú (nội dung chưa xác nhận)", blank=True)
    body = models.JSONField("quy tắc", default=dict)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người sửa",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)

    objects = _NationalQuerySet.as_manager()

    class Meta:
        verbose_name = "bộ quy tắc pháp lý"
        verbose_name_plural = "bộ quy tắc pháp lý"
        ordering = ["effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=models.F("effective_from")),
                name="legal_ruleset_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"
