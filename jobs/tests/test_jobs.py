"""Background jobs: run once per request, progress, Vietnamese failures, owner-only, expiry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from jobs import services
from jobs.models import Job
from jobs.registry import KINDS, JobError, register

RUNS: list[int] = []


@register("test.write", "Thử ghi tệp")
def _write(ctx):
    RUNS.append(ctx.job.pk)
    ctx.progress(50, "Một nửa")
    ctx.output("ket-qua.txt").write("Xin chào".encode())
    return "Đã ghi."


@register("test.refuse", "Thử lỗi")
def _refuse(ctx):
    raise JobError("Tệp không có cột mã xã.")


@register("test.crash", "Thử hỏng")
def _crash(ctx):
    raise KeyError("x")


@pytest.fixture(autouse=True)
def _clear():
    RUNS.clear()


def test_a_job_runs_eagerly_and_keeps_its_result(office_a, client):
    job = services.start(acting_user=office_a, kind="test.write", params={}, key="k1")
    assert job.status == Job.Status.DONE and job.progress == 100 and job.message == "Đã ghi."
    assert job.result_name == "ket-qua.txt" and job.expires_at > timezone.now() + dt.timedelta(days=6)
    client.force_login(office_a)
    page = client.get(f"/cong-viec/{job.pk}/").content.decode()
    assert "Hoàn thành" in page and "Tải về ket-qua.txt" in page
    download = client.get(f"/cong-viec/{job.pk}/tai-ve/")
    assert b"".join(download.streaming_content) == "Xin chào".encode()


def test_one_request_never_runs_twice(office_a):
    first = services.start(acting_user=office_a, kind="test.write", params={}, key="same")
    again = services.start(acting_user=office_a, kind="test.write", params={}, key="same")
    assert first.pk == again.pk and [first.pk] == RUNS
    # A second delivery of the same job (a worker restart) finds it claimed and does nothing.
    assert services.run(first.pk) is None and [first.pk] == RUNS


def test_failures_say_why_in_vietnamese(office_a):
    refused = services.start(acting_user=office_a, kind="test.refuse", params={}, key="a")
    assert refused.status == Job.Status.FAILED and refused.message == "Tệp không có cột mã xã."
    crashed = services.start(acting_user=office_a, kind="test.crash", params={}, key="b")
    assert (
        crashed.status == Job.Status.FAILED and "lỗi ngoài dự kiến" in crashed.message and "KeyError" in crashed.message
    )


def test_only_the_owner_sees_a_job(office_a, office_b, client):
    job = services.start(acting_user=office_a, kind="test.write", params={}, key="k")
    client.force_login(office_b)
    assert client.get(f"/cong-viec/{job.pk}/").status_code == 404
    assert client.get(f"/cong-viec/{job.pk}/tai-ve/").status_code == 404
    assert "Thử ghi tệp" not in client.get("/cong-viec/").content.decode()
    assert list(Job.objects.for_user(office_b)) == []
    client.logout()
    assert client.get(f"/cong-viec/{job.pk}/").status_code == 302


def test_progress_partial_polls_until_finished(office_a, client):
    job = Job.objects.create(owner=office_a, kind="test.write", idempotency_key="p", status="running", progress=40)
    client.force_login(office_a)
    partial = client.get(f"/cong-viec/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in partial and 'style="width: 40%"' in partial and "<html" not in partial
    Job.objects.filter(pk=job.pk).update(status="done", progress=100)
    assert "hx-trigger" not in client.get(f"/cong-viec/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()


def test_expired_results_are_gone(office_a, client):
    job = services.start(acting_user=office_a, kind="test.write", params={}, key="e")
    later = timezone.now() + dt.timedelta(days=8)
    client.force_login(office_a)
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert client.get(f"/cong-viec/{job.pk}/tai-ve/").status_code == 404
    assert services.purge_expired(now=later) == 1
    assert not Job.objects.get(pk=job.pk).result


@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_with_a_worker_the_job_is_queued_after_commit(office_a, django_capture_on_commit_callbacks, monkeypatch):
    queued = []
    monkeypatch.setattr("jobs.tasks.run_job.delay", lambda pk: queued.append(pk))
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start(acting_user=office_a, kind="test.write", params={}, key="w")
    assert queued == [job.pk] and job.status == Job.Status.QUEUED and RUNS == []


def test_every_kind_is_registered():
    assert {
        "plans.task_export",
        "reporting.report_export",
        "reporting.exchange_export",
        "reporting.exchange_import",
    } <= set(KINDS)
