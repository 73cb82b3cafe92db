"""A person's own background jobs: list, progress (htmx polling), result and download."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseClientRedirect

from access.decorators import login_only
from jobs.models import Job
from jobs.registry import KINDS


def _context(job: Job) -> dict[str, object]:
    expired = bool(job.expires_at and job.expires_at < timezone.now())
    kind = KINDS.get(job.kind)
    return {"job": job, "label": kind.label if kind else job.kind, "expired": expired}


@require_GET
@login_only
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = Job.objects.for_user(request.user)[:50]
    rows = [_context(j) for j in jobs]
    return render(request, "jobs/list.html", {"rows": rows})


@require_GET
@login_only
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(Job.objects.for_user(request.user), pk=pk)
    if request.htmx and job.status == Job.Status.DONE and job.result_url and not job.result_name:
        # A job whose result is a page (an imported plan's review): the polling page goes on there.
        messages.success(request, job.message)
        return HttpResponseClientRedirect(job.result_url)
    template = "jobs/_status.html" if request.htmx else "jobs/detail.html"
    return render(request, template, _context(job))


@require_GET
@login_only
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = get_object_or_404(Job.objects.for_user(request.user), pk=pk)
    if job.status != Job.Status.DONE or not job.result or (job.expires_at and job.expires_at < timezone.now()):
        raise Http404("Tệp kết quả không còn.")
    return FileResponse(job.result.open("rb"), as_attachment=True, filename=job.result_name)
