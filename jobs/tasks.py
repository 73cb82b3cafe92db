"""The one Celery task: run a job by id (jobs/services.py does the work)."""

from __future__ import annotations

from celery import shared_task

from jobs import services


@shared_task(name="jobs.run_job", ignore_result=True)
def run_job(job_id: int) -> None:
    services.run(job_id)
