"""Task-tracking benchmarks on a realistic province: 5 plans × 300 tasks over the 51 agencies.

Each page's server time (100 requests through Django's test client) is printed with the raw
SQL GROUP BY it wraps, measured in the same run:
- "Nhiệm vụ của tôi" (Sở Y tế officer) vs the officer's tasks counted by status in one GROUP BY;
- the responsibility matrix (Standing Office) vs the matrix's own GROUP BY written by hand.
"""

from __future__ import annotations

import datetime
import random

from common import median, ms, p, setup_django, timed

PLANS, TASKS_PER_PLAN, REQUESTS = 5, 300, 100


def build_province() -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from agencies.models import Agency
    from demo.personas import seed_demo
    from plans.models import Plan, Task, TaskStatus
    from program.models import Project

    call_command("load_programme", verbosity=0)
    seed_demo()
    rng = random.Random(2026)
    today = timezone.localdate()
    agencies = list(Agency.objects.filter(province_id="66"))
    projects = list(Project.objects.values_list("code", flat=True))
    statuses = (
        [TaskStatus.NOT_STARTED] * 3
        + [TaskStatus.IN_PROGRESS] * 5
        + [TaskStatus.DONE] * 4
        + [TaskStatus.WAITING_GUIDANCE, TaskStatus.PAUSED]
    )
    coop_rows, project_rows = [], []
    Coop, Proj = Task.cooperating.through, Task.projects.through
    for n in range(PLANS):
        plan = Plan.objects.create(
            province_id="66",
            number=f"{n + 1}/KH-UBND",
            title=f"Kế hoạch thử số {n + 1}",
            issued_on=today - datetime.timedelta(days=200),
            source_file=f"bench/{n}.txt",
            source_name=f"{n}.txt",
            source_sha256=f"{n:064d}",
        )
        tasks = []
        for i in range(TASKS_PER_PLAN):
            status = rng.choice(statuses)
            deadline = None if rng.random() < 0.15 else today + datetime.timedelta(days=rng.randint(-150, 250))
            completed = (
                (deadline or today) + datetime.timedelta(days=rng.randint(-20, 10))
                if status == TaskStatus.DONE
                else None
            )
            tasks.append(
                Task(
                    plan=plan,
                    province_id="66",
                    order=i,
                    section=f"II.{i // 20 + 1}",
                    text=f"Nhiệm vụ {i + 1} của kế hoạch {n + 1}: tổ chức thực hiện các nội dung phòng, chống ma túy",
                    lead_agency=rng.choice(agencies),
                    deadline=deadline,
                    status=status,
                    completed_on=min(completed, today) if completed else None,
                    progress=100 if status == TaskStatus.DONE else rng.choice([0, 20, 50, 80]),
                )
            )
        Task.objects.bulk_create(tasks)
        for t in tasks:
            for a in rng.sample(agencies, rng.choice([0, 1, 2, 3])):
                if a.pk != t.lead_agency_id:
                    coop_rows.append(Coop(task_id=t.pk, agency_id=a.pk))
            for code in rng.sample(projects, rng.choice([0, 1, 1, 2])):
                project_rows.append(Proj(task_id=t.pk, project_id=code))
    Coop.objects.bulk_create(coop_rows, batch_size=2000)
    Proj.objects.bulk_create(project_rows, batch_size=2000)


def measure(label: str, url: str, username: str, floor_sql: str, params: list) -> None:
    from django.db import connection
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    queries: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    page = timed(lambda: client.get(url), REQUESTS)

    def raw() -> None:
        with connection.cursor() as cur:
            cur.execute(floor_sql, params)
            cur.fetchall()

    base = timed(raw, REQUESTS)
    print(
        f"{label}: median {ms(median(page))}, p95 {ms(p(page, 0.95))}  "
        f"(raw GROUP BY: median {ms(median(base))}, p95 {ms(p(base, 0.95))}; ratio {median(page) / median(base):.0f}x; "
        f"{len(queries)} queries per page)"
    )


def main() -> None:
    label = setup_django()
    from django.utils import timezone

    from agencies.models import Agency
    from plans.models import Task

    print(f"== task tracking ({label}) ==")
    build_province()
    syt = Agency.objects.get(province_id="66", code="SYT")
    sbn = Agency.objects.get(province_id="66", code="SBN")
    mine = (
        Task.objects.filter(lead_agency=syt).count()
        + Task.objects.filter(cooperating=syt).count()
        + Task.objects.filter(lead_agency=sbn).count()
    )
    print(
        f"{Task.objects.count()} tasks, {Agency.objects.filter(province_id='66').count()} agencies; Sở Y tế leads, "
        f"cooperates on or shares {mine} of them"
    )
    today = timezone.localdate()
    my_floor = (
        "SELECT status, COUNT(*) FROM plans_task WHERE lead_agency_id IN (%s, %s) "
        "OR id IN (SELECT task_id FROM plans_task_cooperating WHERE agency_id = %s) GROUP BY status"
    )
    measure("«Nhiệm vụ của tôi» (Sở Y tế)", "/ke-hoach/nhiem-vu-cua-toi/", "syt", my_floor, [syt.pk, sbn.pk, syt.pk])
    matrix_floor = (
        "SELECT lead_agency_id, COUNT(*), "
        "SUM(CASE WHEN status = 'done' AND (deadline IS NULL OR completed_on IS NULL OR completed_on <= deadline) THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN status = 'done' AND completed_on > deadline THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN status NOT IN ('done', 'waiting_guidance') AND (deadline IS NULL OR deadline >= %s) THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN status NOT IN ('done', 'waiting_guidance') AND deadline < %s THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN status = 'waiting_guidance' THEN 1 ELSE 0 END) "
        "FROM plans_task WHERE province_id = %s GROUP BY lead_agency_id"
    )
    measure(
        "Ma trận trách nhiệm (Cơ quan Thường trực)",
        "/ke-hoach/ma-tran/?province=66",
        "thuongtruc",
        matrix_floor,
        [today, today, "66"],
    )


if __name__ == "__main__":
    main()
