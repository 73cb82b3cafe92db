"""The counting classes (QĐ 42/2014/QĐ-TTg family): pure rules at the boundaries, and the one-query
aggregations agree with them."""

import datetime

import pytest

from plans.models import Task, TaskStatus
from plans.services import tracking
from plans.services.tracking import Bucket, classify, count_rows
from plans.tests.builders import make_plan, make_task

TODAY = datetime.date(2026, 6, 10)
YESTERDAY = TODAY - datetime.timedelta(days=1)
TOMORROW = TODAY + datetime.timedelta(days=1)
S = TaskStatus


@pytest.mark.parametrize(
    ("status", "deadline", "completed_on", "expected"),
    [
        (S.IN_PROGRESS, TODAY, None, Bucket.ONGOING),  # due today is still in time
        (S.NOT_STARTED, YESTERDAY, None, Bucket.OVERDUE),  # due yesterday is overdue
        (S.IN_PROGRESS, None, None, Bucket.NO_DEADLINE),  # no deadline: neither on time nor overdue
        (S.PAUSED, YESTERDAY, None, Bucket.OVERDUE),  # paused still counts against its deadline
        (S.DONE, TODAY, TODAY, Bucket.DONE_ON_TIME),  # done on the deadline day is on time
        (S.DONE, YESTERDAY, TODAY, Bucket.DONE_LATE),  # done a day late
        (S.DONE, None, TODAY, Bucket.DONE_ON_TIME),
        (S.DONE, YESTERDAY, None, Bucket.DONE_ON_TIME),  # completion date unknown: not held against the agency
        (S.WAITING_GUIDANCE, YESTERDAY, None, Bucket.WAITING),  # waiting for guidance is counted apart
        (S.NOT_STARTED, TOMORROW, None, Bucket.ONGOING),
    ],
)
def test_classify_at_the_boundaries(status, deadline, completed_on, expected):
    assert classify(status, deadline, completed_on, TODAY) == expected


def test_count_rows_adds_up():
    rows = [
        {"status": S.DONE, "deadline": TODAY, "completed_on": TODAY},
        {"status": S.DONE, "deadline": YESTERDAY, "completed_on": TODAY},
        {"status": S.IN_PROGRESS, "deadline": TODAY, "completed_on": None},
        {"status": S.IN_PROGRESS, "deadline": YESTERDAY, "completed_on": None},
        {"status": S.WAITING_GUIDANCE, "deadline": None, "completed_on": None},
    ]
    c = count_rows(rows, TODAY)
    assert (c.done_on_time, c.done_late, c.ongoing, c.overdue, c.waiting, c.total) == (1, 1, 1, 1, 1, 5)
    assert c.done_percent == 40


def _mixed_plan():
    plan = make_plan()
    specs = [
        ("SYT", S.IN_PROGRESS, TODAY, None),
        ("SYT", S.NOT_STARTED, YESTERDAY, None),
        ("SYT", S.DONE, TODAY, TODAY),
        ("CA", S.DONE, YESTERDAY, TODAY),
        ("CA", S.WAITING_GUIDANCE, YESTERDAY, None),
        ("CA", S.PAUSED, YESTERDAY, None),
        ("SGDDT", S.IN_PROGRESS, None, None),
        (None, S.NOT_STARTED, YESTERDAY, None),
        ("SGDDT", S.DONE, None, None),
    ]
    for lead, status, deadline, completed in specs:
        make_task(
            plan,
            lead=lead,
            status=status,
            deadline=deadline,
            completed_on=completed,
            projects=["DA3.1", "DA3.2"] if lead == "CA" else ["DA1"] if lead else [],
        )
    return plan


@pytest.mark.django_db
def test_the_aggregation_agrees_with_the_pure_rule(django_assert_num_queries):
    plan = _mixed_plan()
    tasks = Task.objects.filter(plan=plan)
    expected = count_rows(tasks.values("status", "deadline", "completed_on"), TODAY)
    with django_assert_num_queries(1):
        counted = tracking.count_queryset(tasks, TODAY)
    assert counted == expected
    assert (
        counted.done_on_time,
        counted.done_late,
        counted.ongoing,
        counted.overdue,
        counted.waiting,
        counted.no_deadline,
    ) == (2, 1, 1, 3, 1, 1)
    for bucket in Bucket:
        assert tasks.filter(tracking.bucket_q(bucket, TODAY)).count() == getattr(expected, bucket.value)


@pytest.mark.django_db
def test_the_matrix_is_one_group_by_and_rows_add_up(django_assert_num_queries):
    plan = _mixed_plan()
    with django_assert_num_queries(2):  # the tasks, and the units of group tasks
        rows = tracking.matrix(Task.objects.filter(plan=plan), TODAY)
    by_label = {r.label: r.counts for r in rows}
    assert by_label["Sở Y tế"].as_dict() == {
        "done_on_time": 1,
        "done_late": 0,
        "ongoing": 1,
        "overdue": 1,
        "waiting": 0,
        "no_deadline": 0,
        "total": 3,
    }
    assert by_label["Sở Giáo dục và Đào tạo"].no_deadline == 1 and by_label["Sở Giáo dục và Đào tạo"].ongoing == 0
    assert by_label["Công an tỉnh"].overdue == 1 and by_label["Công an tỉnh"].waiting == 1
    assert rows[-1].key is None and rows[-1].counts.overdue == 1  # tasks without a lead come last
    assert sum(r.counts.total for r in rows) == 9


@pytest.mark.django_db
def test_the_project_matrix_rolls_sub_projects_up_and_counts_each_task_once_per_project():
    plan = _mixed_plan()
    rows = {r.key: r.counts for r in tracking.project_matrix(Task.objects.filter(plan=plan), TODAY)}
    assert rows["DA3"].total == 3  # three CA tasks, each linked to DA3.1 and DA3.2
    assert rows["DA1"].total == 5
    assert rows["none"].total == 1
    assert rows["DA9"].total == 0


@pytest.mark.django_db
def test_urgency_puts_overdue_first_then_nearest_deadline_and_done_last():
    plan = make_plan()
    done = make_task(plan, status=S.DONE, deadline=YESTERDAY, completed_on=YESTERDAY)
    later = make_task(plan, status=S.IN_PROGRESS, deadline=TODAY + datetime.timedelta(days=20))
    none = make_task(plan, status=S.IN_PROGRESS)
    soon = make_task(plan, status=S.IN_PROGRESS, deadline=TOMORROW)
    late = make_task(plan, status=S.NOT_STARTED, deadline=YESTERDAY)
    waiting = make_task(plan, status=S.WAITING_GUIDANCE, deadline=YESTERDAY)
    order = list(tracking.urgency_ordering(Task.objects.filter(plan=plan), TODAY).values_list("pk", flat=True))
    assert order == [late.pk, soon.pk, later.pk, none.pk, waiting.pk, done.pk]
