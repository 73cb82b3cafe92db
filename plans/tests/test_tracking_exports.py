"""XLSX exports: the filtered task list and the matrix open in openpyxl with the right counts."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import follow_job
from plans.models import TaskStatus
from plans.services import tracking
from plans.tests.builders import make_plan, make_task

ALL = ["office_a", "office_b", "agency_a", "commune_a", "case_a", "leader_a", "national", "admin"]
REPORTS_A = {
    "office_a": 200,
    "office_b": 404,
    "agency_a": 403,
    "commune_a": 403,
    "case_a": 403,
    "leader_a": 200,
    "national": 200,
    "admin": 403,
}


@pytest.fixture
def plan(db):
    plan = make_plan()
    today = tracking.today()
    for i in range(12):
        make_task(
            plan,
            lead="SYT" if i < 7 else "CA",
            cooperating=["SGDDT"],
            projects=["DA1"],
            deadline=today + datetime.timedelta(days=i - 4),
            text=f"Nhiệm vụ số {i}",
        )
    make_task(
        plan,
        lead="CA",
        status=TaskStatus.DONE,
        deadline=today - datetime.timedelta(days=10),
        completed_on=today - datetime.timedelta(days=2),
        text="Đã xong muộn",
    )
    make_task(make_plan("33"), lead="SYT", text="Tỉnh khác")
    return plan


def _sheet(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    return load_workbook(io.BytesIO(response.content)).active


@pytest.mark.parametrize("persona", ALL)
def test_task_export_permissions(login, persona, plan):
    client = login(persona)
    assert (
        follow_job(client, client.get(reverse("plans:task_export") + "?province=66")).status_code == REPORTS_A[persona]
    )


@pytest.mark.parametrize("persona", ALL)
def test_matrix_export_permissions(login, persona, plan):
    assert login(persona).get(reverse("plans:matrix_export") + "?province=66").status_code == REPORTS_A[persona]


def test_the_task_export_has_one_row_per_filtered_task(login, plan):
    client = login("office_a")
    ws = _sheet(follow_job(client, client.get(reverse("plans:task_export") + f"?province=66&plan={plan.pk}")))
    assert ws["A3"].value == "STT" and ws["D3"].value == "Nội dung nhiệm vụ"
    rows = [r for r in ws.iter_rows(min_row=4, values_only=True) if isinstance(r[0], int)]
    assert len(rows) == 13
    texts = {r[3] for r in rows}
    assert "Tỉnh khác" not in texts and "Đã xong muộn" in texts
    done = next(r for r in rows if r[3] == "Đã xong muộn")
    assert done[10] == "Hoàn thành" and done[11] == "Hoàn thành quá hạn" and done[12] == 100
    assert isinstance(rows[0][7], datetime.datetime)  # a real date cell, shown dd/mm/yyyy
    assert ws.cell(row=4, column=8).number_format == "DD/MM/YYYY"


def test_the_filtered_export_follows_the_list_filters(login, plan):
    client = login("office_a")
    ws = _sheet(follow_job(client, client.get(reverse("plans:task_export") + "?province=66&bucket=overdue")))
    rows = [r for r in ws.iter_rows(min_row=4, values_only=True) if isinstance(r[0], int)]
    assert len(rows) == 4 and {r[11] for r in rows} == {"Quá hạn chưa hoàn thành"}
    ws = _sheet(
        follow_job(
            client,
            client.get(
                reverse("plans:task_export")
                + "?province=66&overdue=1&agency="
                + str(plan.tasks.filter(lead_agency__code="CA").first().lead_agency_id)
            ),
        )
    )
    assert len([r for r in ws.iter_rows(min_row=4, values_only=True) if isinstance(r[0], int)]) == 0


def test_the_matrix_export_counts_by_agency(login, plan):
    ws = _sheet(login("leader_a").get(reverse("plans:matrix_export") + "?province=66"))
    header = [c.value for c in ws[3]]
    assert header[:3] == ["Cơ quan chủ trì", "Tổng số", "Hoàn thành đúng hạn"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=4, values_only=True) if r[0]}
    assert rows["Sở Y tế"][1] == 7 and rows["Sở Y tế"][header.index("Quá hạn chưa hoàn thành")] == 4
    assert rows["Công an tỉnh"][1] == 6 and rows["Công an tỉnh"][header.index("Hoàn thành quá hạn")] == 1
    assert rows["Tổng cộng"][1] == 13


def test_the_project_export(login, plan):
    ws = _sheet(login("office_a").get(reverse("plans:matrix_export") + "?province=66&by=project"))
    rows = {r[0]: r for r in ws.iter_rows(min_row=4, values_only=True) if r[0]}
    assert ws["A3"].value == "Dự án"
    da1 = next(v for k, v in rows.items() if k.startswith("DA1:"))
    assert da1[1] == 12 and rows["Chưa gắn dự án"][1] == 1 and rows["Tổng cộng"][1] == 13
