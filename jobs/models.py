"""Background jobs: slow work (imports, big exports, generators, reminders) with progress and a
result file that stays downloadable for PCMT_JOB_RESULT_DAYS days. Only the owner sees a job."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models

if TYPE_CHECKING:
    from accounts.models import User

ACTIONS = ("view",)


class JobQuerySet(models.QuerySet["Job"]):
    def for_user(self, user: User | AnonymousUser, action: str = "view") -> JobQuerySet:
        """A person's own jobs and nobody else's (no role reaches another person's job); the
        system administrator also sees the installation's own jobs (cron's, without an owner)."""
        from access.policy import can

        if action not in ACTIONS:
            raise ValueError(f"Unknown action {action!r} for Job")
        if not user.is_authenticated:
            return self.none()
        if can(user, "admin.site"):
            return self.filter(models.Q(owner=user) | models.Q(owner__isnull=True))
        return self.filter(owner=user)


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang chạy"
        DONE = "done", "Hoàn thành"
        FAILED = "failed", "Không thành công"

    # Empty for the installation's own jobs (started by cron: reminders).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs", null=True, blank=True
    )
    kind = models.CharField("loại", max_length=60)
    params = models.JSONField(default=dict, blank=True)
    # One request (one form submission) never starts two jobs.
    idempotency_key = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.TextField("thông báo", blank=True)
    result = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    result_url = models.CharField(max_length=300, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "công việc chạy nền"
        verbose_name_plural = "công việc chạy nền"
        constraints = [
            models.UniqueConstraint(fields=["owner", "idempotency_key"], name="job_once_per_request"),
            models.UniqueConstraint(
                fields=["idempotency_key"], condition=models.Q(owner__isnull=True), name="system_job_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
