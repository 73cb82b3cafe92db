"""The installation's jobs: the national dataset generator (system administrator, never in
production) and the reminders (by hand, or dispatched by the cron commands without an owner)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from jobs import services
from jobs.models import Job
from reporting.models import Submission

pytestmark = pytest.mark.django_db
URL = reverse("jobs:system")


def dataset(client, key="d1", **extra):
    data = {"which": "dataset", "job_key": key, "years": "1", "provinces": ["66"], "communes_per_province": "2"}
    return client.post(URL, {**data, **extra})


@pytest.fixture
def progress(monkeypatch):
    """Every progress line the jobs report."""
    seen: list[tuple[int, str]] = []
    real = services._report

    def spy(job_id):
        report = real(job_id)

        def wrapped(percent, message):
            seen.append((percent, message))
            report(percent, message)

        return wrapped

    monkeypatch.setattr(services, "_report", spy)
    return seen


@pytest.mark.parametrize(("persona", "status"), [("admin", 200), ("office_a", 403), ("national", 403)])
def test_only_the_system_administrator_opens_the_page(login, persona, status):
    assert login(persona).get(URL).status_code == status
    posted = login(persona).post(URL, {"which": "reminders", "kind": "plans.reminders"})
    assert posted.status_code == {200: 302}.get(status, status)
    assert Job.objects.count() == (1 if status == 200 else 0)
    assert login(persona).put(URL).status_code == 405


def test_the_generator_runs_as_a_job_with_progress_per_province(login, progress):
    client = login("admin")
    response = dataset(client, provinces=["66", "33"])
    job = Job.objects.get(kind="reporting.national_dataset")
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.status == Job.Status.DONE and job.params == {
        "years": 1,
        "provinces": ["33", "66"],
        "communes_per_province": 2,
    }
    assert Submission.objects.filter(status="approved").count() == 2 * 2 * 4  # provinces × communes × quarters
    assert job.message.startswith("Đã tạo dữ liệu 2 tỉnh: 16 báo cáo đã duyệt,")
    percents = [p for p, _ in progress]
    assert percents == [1, 50, 99]  # then 100 when done
    assert any(line.startswith("[1/2] ") for _, line in progress)
    page = client.get(response["Location"]).content.decode()
    assert "Tạo bộ dữ liệu toàn quốc mô phỏng" in page and "Hoàn thành" in page


def test_one_submission_generates_once(login):
    client = login("admin")
    first, again = dataset(client, key="same"), dataset(client, key="same")
    assert first["Location"] == again["Location"] and Job.objects.count() == 1
    assert Submission.objects.count() == 2 * 4


def test_invalid_input_is_refused_in_vietnamese(login):
    response = dataset(login("admin"), years="0")
    assert response.status_code == 400 and "lớn hơn hoặc bằng với 1" in response.content.decode()
    assert not Job.objects.exists()


def test_production_refuses_the_generator(login, settings):
    from accounts.models import User

    admin = User.objects.get(username="quantri")
    settings.PRODUCTION = True
    client = login("admin")
    assert 'data-testid="dataset-refused"' in client.get(URL).content.decode()
    assert dataset(client).status_code == 400 and not Job.objects.exists()
    job = services.start(acting_user=admin, kind="reporting.national_dataset", params={"years": 1}, key="p")
    assert job.status == Job.Status.FAILED and job.message.startswith("Không tạo dữ liệu mô phỏng trên máy chủ thật")
    assert not Submission.objects.exists()


def test_only_an_administrator_job_may_generate(office_a):
    job = services.start(acting_user=office_a, kind="reporting.national_dataset", params={"years": 1}, key="o")
    assert job.status == Job.Status.FAILED and job.message == "Chỉ quản trị hệ thống được tạo dữ liệu mô phỏng."


@pytest.mark.parametrize(
    ("kind", "says"), [("reporting.reminders", "Nhắc báo cáo: "), ("plans.reminders", "Ngày 05/06/2026: nhắc ")]
)
def test_reminders_started_by_hand(login, kind, says):
    response = login("admin").post(URL, {"which": "reminders", "job_key": "r", "kind": kind, "on": "05/06/2026"})
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.kind == kind and job.params == {"on": "2026-06-05"} and job.status == Job.Status.DONE
    assert job.message.startswith(says)


@pytest.mark.parametrize(
    ("command", "kind"), [("send_report_reminders", "reporting.reminders"), ("send_task_reminders", "plans.reminders")]
)
def test_cron_dispatches_reminders_as_jobs_of_the_installation(login, capsys, command, kind):
    call_command(command, "--today", "05/06/2026")
    call_command(command, "--today", "05/06/2026")
    jobs = list(Job.objects.order_by("pk"))
    assert [(j.kind, j.owner_id, j.status) for j in jobs] == [(kind, None, "done")] * 2  # each run is its own job
    assert jobs[0].message in capsys.readouterr().out
    assert "theo lịch" in login("admin").get(reverse("jobs:list")).content.decode()
    other = login("office_a")
    assert other.get(reverse("jobs:detail", args=[jobs[0].pk])).status_code == 404
    assert "theo lịch" not in other.get(reverse("jobs:list")).content.decode()


def test_with_a_worker_cron_only_queues(settings, monkeypatch, capsys, django_capture_on_commit_callbacks):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    sent: list[int] = []
    monkeypatch.setattr("jobs.tasks.run_job.delay", sent.append)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_report_reminders")
    job = Job.objects.get()
    assert sent == [job.pk] and job.status == Job.Status.QUEUED and job.params == {"on": ""}
    assert f"Đã gửi công việc #{job.pk} (Nhắc hạn nộp báo cáo) cho tiến trình chạy nền." in capsys.readouterr().out


def test_here_runs_in_the_command_without_a_job(capsys):
    call_command("send_report_reminders", "--here", "--today", "05/06/2026")
    assert "Nhắc báo cáo: " in capsys.readouterr().out and not Job.objects.exists()


def test_a_cron_job_that_fails_fails_the_command():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Chỉ quản trị hệ thống được tạo dữ liệu mô phỏng."):
        services.dispatch("reporting.national_dataset", {"years": 1})
    assert Job.objects.get().status == Job.Status.FAILED
