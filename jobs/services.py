"""Starting and running background jobs (the only writers of Job)."""

from __future__ import annotations

import logging
import os
import tempfile
from datetime import timedelta
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import record
from jobs.models import Job
from jobs.registry import Context, JobError, get

if TYPE_CHECKING:
    from accounts.models import User

log = logging.getLogger(__name__)

UNEXPECTED = "Công việc gặp lỗi ngoài dự kiến ({error}). Quản trị hệ thống đã được báo; xin thử lại sau."


def start(
    *,
    acting_user: User | None,
    kind: str,
    params: dict[str, Any],
    key: str,
    result_url: str = "",
    upload: tuple[str, IO[bytes]] | None = None,
) -> Job:
    """The job of this request: created and queued once; the same `key` again returns the same job.

    `upload` (name, file) is kept with the job for the worker to read (an import's file). Without
    `acting_user` the job is the installation's own (cron's), seen by the system administrator."""
    get(kind)  # an unknown kind fails here, not in the worker
    key = (key or "").strip()[:64]
    if not key:
        raise ValueError("An idempotency key is required")
    existing = Job.objects.filter(owner=acting_user, idempotency_key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            job = Job.objects.create(
                owner=acting_user, kind=kind, params=params, idempotency_key=key, result_url=result_url
            )
            if upload is not None:
                job.result.save(upload[0], File(upload[1], name=upload[0]))
            record(actor=acting_user, action="job.start", obj=job, changes={"kind": kind})
            if not settings.CELERY_TASK_ALWAYS_EAGER:
                # A worker may read the job only once it is committed.
                transaction.on_commit(lambda: _enqueue(job.pk))
    except IntegrityError:  # the same request, twice at once
        return Job.objects.get(owner=acting_user, idempotency_key=key)
    if settings.CELERY_TASK_ALWAYS_EAGER:
        # Development and tests: the job runs now, in this process (no worker, no Redis).
        _enqueue(job.pk)
        job.refresh_from_db()
    return job


def _enqueue(job_id: int) -> None:
    from jobs.tasks import run_job

    run_job.delay(job_id)


def _report(job_id: int) -> Any:
    last: dict[str, Any] = {"percent": -1, "message": None}

    def report(percent: int, message: str) -> None:
        if percent == last["percent"] and message == last["message"]:
            return
        last.update(percent=percent, message=message)
        fields: dict[str, Any] = {"progress": percent}
        if message:
            fields["message"] = message
        Job.objects.filter(pk=job_id).update(**fields)

    return report


def run(job_id: int) -> Job | None:
    """Run a queued job once: a job already claimed (a delivery twice) is left alone."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now(), message="Đang bắt đầu…"
    )
    if not claimed:
        return None
    job = Job.objects.select_related("owner").get(pk=job_id)
    spool: dict[str, Any] = {}

    def open_output(filename: str) -> IO[bytes]:
        fd, path = tempfile.mkstemp(prefix="pcmt-job-", suffix=os.path.splitext(filename)[1])
        spool.update(name=filename, path=path, fh=os.fdopen(fd, "w+b"))
        return spool["fh"]  # type: ignore[no-any-return]

    ctx = Context(job, _report(job.pk), open_output)
    try:
        summary = get(job.kind).run(ctx)
        if spool:
            spool["fh"].flush()
            spool["fh"].seek(0)
            job.result.save(spool["name"], File(spool["fh"], name=spool["name"]), save=False)
            job.result_name = spool["name"]
            job.expires_at = timezone.now() + timedelta(days=settings.PCMT_JOB_RESULT_DAYS)
        job.status, job.progress, job.message = Job.Status.DONE, 100, summary
        job.result_url = ctx.result_url or job.result_url
    except JobError as exc:
        job.status, job.message = Job.Status.FAILED, str(exc)
    except Exception as exc:
        log.exception("Job %s (%s) failed", job.pk, job.kind)
        job.status, job.message = Job.Status.FAILED, UNEXPECTED.format(error=type(exc).__name__)
    finally:
        if spool:
            spool["fh"].close()
            os.unlink(spool["path"])
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "progress",
            "message",
            "result",
            "result_name",
            "result_url",
            "expires_at",
            "finished_at",
        ]
    )
    return job


def purge_expired(*, now: Any = None) -> int:
    """Delete the result files whose time is up (cron: `manage.py purge_jobs`)."""
    now = now or timezone.now()
    count = 0
    for job in Job.objects.filter(expires_at__lt=now).exclude(result=""):
        job.result.delete(save=False)
        Job.objects.filter(pk=job.pk).update(result="", message=job.message)
        count += 1
    return count


def request_key(request: Any) -> str:
    """The idempotency key of a request: the form's `job_key` field (a fresh one per form shown),
    else a digest of the person, the address, what was posted (fields and files) and the minute, so
    that a double click starts one job while a different file sent in the same minute starts its own."""
    import hashlib

    given = (request.POST.get("job_key") or request.GET.get("job_key") or "").strip()
    if given:
        return given[:64]
    minute = timezone.now().strftime("%Y%m%d%H%M")
    posted = sorted((k, v) for k, v in request.POST.lists() if k != "csrfmiddlewaretoken")
    files = sorted((k, f.name, f.size) for k, f in request.FILES.items())
    raw = f"{request.user.pk}|{request.get_full_path()}|{minute}|{posted}|{files}"
    return hashlib.sha256(raw.encode()).hexdigest()[:64]


def new_key() -> str:
    """A fresh `job_key` for a form about to be shown (one per form, so one job per submission)."""
    import uuid

    return uuid.uuid4().hex


def dispatch(kind: str, params: dict[str, Any]) -> str:
    """A cron command's work as a job of the installation (no owner): run by the worker, or now
    without one (development, tests). Returns a line for cron's log (Vietnamese); a job that failed
    raises CommandError with its reason. Each invocation is one request: a new job."""
    from django.core.management.base import CommandError

    job = start(acting_user=None, kind=kind, params=params, key=f"cron-{new_key()}")
    if job.status == Job.Status.QUEUED:
        return f"Đã gửi công việc #{job.pk} ({get(kind).label}) cho tiến trình chạy nền."
    if job.status == Job.Status.FAILED:
        raise CommandError(job.message)
    return job.message
