"""Each role finds its answer on the home page, computed for its own scope."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from dashboard.tests.builders import province_story
from reporting.models import Submission
from reporting.tests.builders_entry import (
    TODAY,
    agency_schedule,
    at,
    reporting_catalogue,  # noqa: F401
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reporting_catalogue")]


@pytest.fixture
def world():
    """Province A on 20/11/2026 (see `builders.province_story`)."""
    story = province_story(TODAY)
    with time_machine.travel(at(TODAY), tick=False):
        yield story


def test_the_leader_sees_the_agency_most_behind_and_the_quarter_s_completeness(login, world):
    response = login("leader_a").get(reverse("dashboard:home"))
    body = response.content.decode()
    answer = body.split('data-testid="leader-answer"')[1].split("</p>")[0]
    assert "Sở Công Thương" in answer and "3 nhiệm vụ quá hạn" in answer
    assert "Quý III/2026" in answer and "2/102" in answer
    (b,) = response.context["leader_briefings"]
    assert [(a.name, a.overdue, a.due_soon) for a in b.agency_loads] == [("Sở Công Thương", 3, 0), ("Sở Y tế", 1, 1)]
    (rate,) = b.rates
    assert (rate.communes.expected, rate.communes.on_time, rate.communes.late, rate.total.missing) == (102, 1, 1, 100)
    assert 'data-testid="office-queue"' not in body  # the leader reads; the office acts


def test_the_office_queue_counts_what_waits_and_approves_in_one_click(login, world):
    client = login("office_a")
    body = client.get(reverse("dashboard:home")).content.decode()
    assert 'data-testid="queue-count-approve">2<' in body
    assert 'data-testid="queue-count-returned">1<' in body
    assert f'data-testid="approve-{world["on_time"].pk}"' in body
    response = client.post(reverse("dashboard:approve", args=[world["on_time"].pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("dashboard:home"))
    world["on_time"].refresh_from_db()
    assert world["on_time"].status == Submission.Status.APPROVED
    body = client.get(reverse("dashboard:home")).content.decode()
    assert 'data-testid="queue-count-approve">1<' in body


def test_approval_from_the_queue_is_guarded(login, world, client):
    sub = world["late"]
    url = reverse("dashboard:approve", args=[sub.pk])
    assert login("office_b").post(url).status_code == 404  # another province's office
    assert login("leader_a").post(url).status_code == 403  # reads, never approves
    assert login("office_a").get(url).status_code == 405
    sub.refresh_from_db()
    assert sub.status == Submission.Status.SUBMITTED


def test_the_other_province_s_office_sees_only_its_own_queue(login, world):
    body = login("office_b").get(reverse("dashboard:home")).content.decode()
    assert 'data-testid="queue-count-approve">0<' in body
    assert "Sở Công Thương" not in body


def test_a_commune_sees_what_is_due_and_what_was_returned_and_why(login, world):
    response = login("commune_a").get(reverse("dashboard:home"))
    body = response.content.decode()
    assert 'data-testid="home-due"' in body
    due = response.context["due"]
    assert [d.deadline for d in due] == sorted(d.deadline for d in due if d.deadline)  # deadline order
    assert any(d.kind == "Báo cáo" and "Quý IV/2026" in d.title for d in due)


def test_the_returned_report_reaches_its_commune_with_the_reason(client, world):
    from reporting.tests.builders_entry import officer_for

    officer = officer_for(world["returned"])
    client.force_login(officer)
    returned = client.get(reverse("dashboard:home")).context["returned"]
    assert [(r.kind, r.reason) for r in returned] == [("Báo cáo bị trả lại", "Thiếu số liệu cai nghiện")]


def test_an_agency_sees_its_tasks_in_deadline_order(login, world):
    due = login("agency_a").get(reverse("dashboard:home")).context["due"]
    tasks = [d for d in due if d.kind == "Nhiệm vụ"]
    assert [d.state for d in tasks] == ["Quá hạn", "Sắp đến hạn"]
    assert all(d.unit == "Sở Y tế" for d in tasks)  # never another agency's work


def test_the_national_monitor_compares_two_provinces_without_names(login, world):
    response = login("national").get(reverse("dashboard:home"), {"a": "66", "b": "33"})
    body = response.content.decode()
    assert [r.code for r in response.context["compare"]] == ["66", "33"]
    table = body.split('data-testid="compare-table"')[1].split("</table>")[0]
    assert "Tỉnh Đắk Lắk" in table and "Tỉnh Hưng Yên" in table
    a = response.context["compare"][0]
    assert (a.reports.received, a.reports.expected, a.tasks_overdue) == (2, 102, 4)
    trend = response.context["charts"]["nation-trend"]
    assert trend["labels"] == ["Quý III/2026"] and trend["series"][0]["values"] == [2.0]  # 2 of 102 communes
    for name in ("Sở Công Thương", "Sở Y tế", "Lê Văn Xã", "Nguyễn Văn Thường", "Phường Buôn Ma Thuột"):
        assert name not in body


def test_completeness_by_province_is_the_national_monitor_s_alone(login, world):
    for persona in ("leader_a", "office_a", "agency_a", "admin"):
        assert "monitor" not in login(persona).get(reverse("dashboard:home")).context


def test_people_counts_are_suppressed_for_everyone_but_case_officers():
    from types import SimpleNamespace

    from dashboard.templatetags.home import figure

    people = SimpleNamespace(value=3, counts_people=True, decimals=0)
    share = SimpleNamespace(value=3, counts_people=False, decimals=1)
    assert figure(people, False) == "<5" and figure(people, True) == "3"
    assert figure(share, False) == "3,0"
    assert figure(SimpleNamespace(value=0, counts_people=True, decimals=0), False) == "0"


def test_the_home_page_prints_with_its_date_and_coverage(login, world):
    body = login("leader_a").get(reverse("dashboard:home")).content.decode()
    assert 'data-testid="print-header"' in body and "20/11/2026" in body
    assert "Phạm vi: Tỉnh Đắk Lắk — 102 xã" in body
    assert "dashboard.css" in body and "data-print" in body


def test_costly_figures_are_cached_briefly(settings):
    from dashboard.services.cache import cached

    settings.DASHBOARD_CACHE_SECONDS = 30
    calls = []
    assert cached("test-key", lambda: calls.append(1) or 7) == 7
    assert cached("test-key", lambda: calls.append(1) or 8) == 7
    assert calls == [1]
    settings.DASHBOARD_CACHE_SECONDS = 0
    assert cached("test-key", lambda: 9) == 9


def test_an_agency_report_counts_as_an_agency(world):
    from dashboard.services import reports

    schedule = agency_schedule("SYT", first="2026Q3")
    (rate,) = reports.current_rates([schedule])
    assert (rate.agencies.expected, rate.agencies.received, rate.communes.expected) == (1, 0, 0)


def test_the_cached_figures_are_refused_outside_the_viewer_s_scope(office_b, leader_a, national):
    from django.core.exceptions import PermissionDenied

    from dashboard.services.nation import nation
    from dashboard.services.province import province_briefing
    from geo.models import Province

    with pytest.raises(PermissionDenied):
        province_briefing(office_b, Province.objects.get(code="66"))
    with pytest.raises(PermissionDenied):
        nation(leader_a)
    assert province_briefing(national, Province.objects.get(code="66")).communes == 102


def test_ids_in_attributes_and_links_are_never_grouped_like_numbers(db):
    """Vietnamese number formatting groups thousands ("2.325"): an id written into an attribute or
    a link must stay "2325" (PostgreSQL's ids pass 1,000 quickly)."""
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from dashboard.services.queue import QueueItem, QueueLine

    item = QueueItem(label="Báo cáo", detail="", url="/x/", when=None, approve_pk=2325)
    request = RequestFactory().get("/")
    html = render_to_string(
        "dashboard/partials/queue.html",
        {"queue": [QueueLine("approve", "Chờ duyệt", 1, "/", "Duyệt", [item])]},
        request,
    )
    assert 'data-testid="approve-2325"' in html and "2.325" not in html
