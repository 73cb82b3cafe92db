"""Reading an uploaded plan runs as a background job (`plans.import`): progress, a result that
leads to the review, owner-only, failures in Vietnamese, never twice for one submission."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jobs import services
from jobs.models import Job
from plans.models import PlanImport
from plans.tests.test_import_support import PLAN_TEXT

pytestmark = pytest.mark.django_db

NOT_A_PLAN = "Danh sách đi chợ: rau, thịt, cá.".encode()


def post(client, content=None, key="k-1", province="66", name="ke-hoach.txt"):
    content = PLAN_TEXT.encode() if content is None else content
    data = {"province": province, "file": SimpleUploadedFile(name, content), "job_key": key}
    return client.post(reverse("plans:import_upload"), data)


@pytest.fixture
def queued(monkeypatch, settings):
    """A worker instead of eager mode: jobs are only queued (the test runs them with services.run)."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    sent: list[int] = []
    monkeypatch.setattr("jobs.tasks.run_job.delay", sent.append)
    return sent


def test_the_upload_form_carries_a_fresh_key_per_form(login):
    client = login("office_a")
    pages = [client.get(reverse("plans:import_upload")).content.decode() for _ in range(2)]
    keys = [p.split('name="job_key" value="')[1].split('"')[0] for p in pages]
    assert len(keys[0]) == 32 and keys[0] != keys[1]


def test_without_a_worker_the_upload_goes_straight_to_the_review(login):
    response = post(login("office_a"))
    draft = PlanImport.objects.get()
    job = Job.objects.get(kind="plans.import")
    assert response["Location"] == reverse("plans:import_review", args=[draft.pk]) == job.result_url
    assert job.status == Job.Status.DONE and job.progress == 100 and "khối nhiệm vụ" in job.message
    assert not job.result  # the uploaded copy kept for the worker is gone once read; the draft keeps the file
    with draft.source_file.open("rb") as fh:
        assert fh.read() == PLAN_TEXT.encode()


def test_with_a_worker_the_page_shows_progress_then_leads_to_the_review(
    login, queued, monkeypatch, django_capture_on_commit_callbacks
):
    client = login("office_a")
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client)
    job = Job.objects.get(kind="plans.import")
    assert response["Location"] == reverse("jobs:detail", args=[job.pk]) and queued == [job.pk]
    assert job.status == Job.Status.QUEUED and not PlanImport.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Đọc kế hoạch tải lên" in page and 'hx-trigger="every 1s"' in page and "Đang chờ" in page

    from plans.services import imports

    seen = []
    real = imports.create_draft

    def watched(**kwargs):
        seen.append(Job.objects.values_list("status", "progress", "message").get(pk=job.pk))
        return real(**kwargs)

    monkeypatch.setattr(imports, "create_draft", watched)
    services.run(job.pk)
    assert seen == [("running", 30, "Đang nhận ra số, ngày, trích yếu, chỉ tiêu, chế độ báo cáo và các khối nhiệm vụ…")]
    draft = PlanImport.objects.get()
    review = reverse("plans:import_review", args=[draft.pk])
    polled = client.get(response["Location"], HTTP_HX_REQUEST="true")
    assert polled["HX-Redirect"] == review
    page = client.get(response["Location"]).content.decode()
    assert "Hoàn thành" in page and f'href="{review}"' in page and "Tải về" not in page


def test_only_the_owner_sees_the_import_job(login, queued):
    post(login("office_a"))
    job = Job.objects.get(kind="plans.import")
    other = login("office_b")
    assert other.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert other.get(reverse("jobs:detail", args=[job.pk]), HTTP_HX_REQUEST="true").status_code == 404
    assert "Đọc kế hoạch tải lên" not in other.get(reverse("jobs:list")).content.decode()


def test_a_file_that_is_not_a_plan_fails_in_vietnamese_and_saves_nothing(login, queued):
    client = login("office_a")
    post(client, NOT_A_PLAN)
    job = Job.objects.get(kind="plans.import")
    services.run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and not job.result
    assert job.message.startswith("Không đọc được kế hoạch từ tệp «ke-hoach.txt»: Không nhận ra nội dung kế hoạch")
    assert "Chưa có gì được lưu." in job.message and not PlanImport.objects.exists()
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Không thành công" in page and "Không nhận ra nội dung kế hoạch" in page and "hx-trigger" not in page


def test_a_failure_without_a_worker_is_shown_on_the_form(login):
    response = post(login("office_a"), NOT_A_PLAN)
    assert response.status_code == 200 and "Không nhận ra nội dung kế hoạch" in response.content.decode()
    assert Job.objects.get().status == Job.Status.FAILED and not PlanImport.objects.exists()


def test_a_job_whose_owner_lost_the_province_says_so(login, queued):
    post(login("office_a"))
    job = Job.objects.get(kind="plans.import")
    Job.objects.filter(pk=job.pk).update(params={**job.params, "province": "33"})
    services.run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.message == "Bạn không còn quyền nhập kế hoạch của tỉnh này."
    assert not PlanImport.objects.exists()


def test_one_submission_never_reads_the_plan_twice(login, queued, django_capture_on_commit_callbacks):
    client = login("office_a")
    with django_capture_on_commit_callbacks(execute=True):
        first, again = post(client, key="same"), post(client, key="same")
    assert first["Location"] == again["Location"] and Job.objects.count() == 1 and len(queued) == 1
    job = Job.objects.get()
    services.run(job.pk)
    assert services.run(job.pk) is None  # a second delivery finds the job claimed
    assert PlanImport.objects.count() == 1
    post(client, key="other")
    assert Job.objects.count() == 2  # a new form is a new submission


def test_a_double_submit_without_a_worker_leads_to_the_same_draft(login):
    client = login("office_a")
    first, again = post(client, key="twice"), post(client, key="twice")
    assert first["Location"] == again["Location"] and PlanImport.objects.count() == 1
