"""A person's own background jobs: list, progress (htmx polling), result and download."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from access.decorators import feature_required, login_only
from access.policy import can
from jobs import services
from jobs.forms import DatasetForm, RemindersForm
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
    return render(request, "jobs/list.html", {"rows": rows, "system": can(request.user, "admin.site")})


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


@require_http_methods(["GET", "POST"])
@feature_required("admin.site")
def system(request: HttpRequest) -> HttpResponse:
    """The installation's jobs started by hand: the national dataset generator (not in
    production) and the daily reminders."""
    posted = request.POST.get("which") if request.method == "POST" else None
    dataset = DatasetForm(request.POST if posted == "dataset" else None)
    reminders = RemindersForm(request.POST if posted == "reminders" else None)
    chosen = {"dataset": dataset, "reminders": reminders}.get(posted or "")
    if chosen is not None and chosen.is_valid() and not (chosen is dataset and settings.PRODUCTION):
        kind = "reporting.national_dataset" if chosen is dataset else reminders.cleaned_data["kind"]
        job = services.start(
            acting_user=request.user, kind=kind, params=chosen.params(), key=services.request_key(request)
        )
        return redirect("jobs:detail", pk=job.pk)
    context = {
        "dataset": dataset,
        "reminders": reminders,
        "production": settings.PRODUCTION,
        "job_key": services.new_key(),
    }
    return render(request, "jobs/system.html", context, status=400 if chosen is not None else 200)
