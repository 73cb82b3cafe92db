"""The administrator's pages: rule sets and holidays, for the system administrator only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from legal.forms import rule_rows_initial
from legal.models import Holiday, RuleSet
from legal.rules import compute

pytestmark = pytest.mark.django_db


@pytest.fixture
def ruleset():
    return RuleSet.objects.get(code="LPCMT-2025")


@pytest.fixture
def holiday():
    return Holiday.objects.get(day=dt.date(2026, 9, 2))


def _pages(ruleset, holiday):
    return [
        reverse("legal:rulesets"),
        reverse("legal:ruleset_detail", args=[ruleset.pk]),
        reverse("legal:ruleset_edit", args=[ruleset.pk]),
        reverse("legal:ruleset_create", args=[ruleset.pk]),
        reverse("legal:holidays") + "?nam=2026",
        reverse("legal:holiday_edit", args=[holiday.pk]),
    ]


def _post_data(ruleset, **header):
    data = {
        "code": ruleset.code,
        "name": ruleset.name,
        "effective_from": f"{ruleset.effective_from:%d/%m/%Y}",
        "effective_to": f"{ruleset.effective_to:%d/%m/%Y}" if ruleset.effective_to else "",
        "citation": ruleset.citation,
        "notes": ruleset.notes,
    }
    data.update(header)
    rows = rule_rows_initial(ruleset.body)
    data.update({"r-TOTAL_FORMS": str(len(rows)), "r-INITIAL_FORMS": str(len(rows))})
    for i, row in enumerate(rows):
        for key, value in row.items():
            if key == "included":
                if value:
                    data[f"r-{i}-included"] = "on"
            else:
                data[f"r-{i}-{key}"] = "" if value is None else str(value)
    return data


def _row(data, decision):
    return next(k.split("-")[1] for k, v in data.items() if k.endswith("-decision_type") and v == decision)


def test_the_administrator_sees_every_page(login, ruleset, holiday):
    client = login("admin")
    for url in _pages(ruleset, holiday):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(reverse("legal:ruleset_detail", args=[ruleset.pk])).content.decode()
    assert "Trưởng Công an cấp xã" in page and "chưa xác nhận" in page and "24 tháng; từ lần thứ hai 36 tháng" in page
    holidays = client.get(reverse("legal:holidays") + "?nam=2026").content.decode()
    assert "17/02/2026" in holidays and "Tết Nguyên Đán" in holidays
    assert "Ngày nghỉ lễ năm 2026" in holidays and "?nam=2035" in holidays
    menu = client.get(reverse("legal:rulesets")).content.decode()
    assert reverse("legal:holidays") in menu


@pytest.mark.parametrize("persona", ["office_a", "leader_a", "national", "case_a", "commune_a", "agency_a"])
def test_everyone_else_is_refused(login, persona, ruleset, holiday):
    client = login(persona)
    for url in _pages(ruleset, holiday):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("legal:holiday_delete", args=[holiday.pk])).status_code == 403
    assert (
        client.post(reverse("legal:ruleset_edit", args=[ruleset.pk]), _post_data(ruleset, notes="x")).status_code == 403
    )
    assert Holiday.objects.filter(pk=holiday.pk).exists()
    ruleset.refresh_from_db()
    assert ruleset.notes != "x"


def test_anonymous_visitors_are_sent_to_sign_in(client, ruleset):
    response = client.get(reverse("legal:ruleset_detail", args=[ruleset.pk]))
    assert response.status_code == 302 and "dang-nhap" in response["Location"]


def test_wrong_methods(login, holiday):
    client = login("admin")
    assert client.get(reverse("legal:holiday_delete", args=[holiday.pk])).status_code == 405
    assert client.post(reverse("legal:rulesets")).status_code == 405


def test_an_unknown_object_is_404(login):
    client = login("admin")
    assert client.get(reverse("legal:ruleset_edit", args=[999999])).status_code == 404
    assert client.get(reverse("legal:holiday_edit", args=[999999])).status_code == 404


def test_edit_a_rule_set_through_the_page(login, ruleset):
    client = login("admin")
    data = _post_data(ruleset, notes="Đã có nghị định hướng dẫn")
    i = _row(data, "quan_ly_sau_cai")
    data[f"r-{i}-months"] = "18"
    response = client.post(reverse("legal:ruleset_edit", args=[ruleset.pk]), data)
    assert response.status_code == 302
    ruleset.refresh_from_db()
    assert ruleset.notes == "Đã có nghị định hướng dẫn"
    assert ruleset.body["decisions"]["quan_ly_sau_cai"]["months"] == 18
    assert compute("quan_ly_sau_cai", dt.date(2026, 7, 1)).ends_on == dt.date(2028, 1, 1)
    assert AuditEvent.objects.filter(action="legal.ruleset.update", object_id=str(ruleset.pk)).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"effective_from": "31/02/2026"}, ""),
        ({"effective_to": "01/01/2020"}, "Ngày hết hiệu lực phải sau"),
        ({"row": ("quan_ly_sau_cai", "signer", "")}, "Bắt buộc khi áp dụng"),
        ({"row": ("quan_ly_sau_cai", "min_months", "6")}, "cần cả"),
        ({"row": ("quan_ly_sau_cai", "months", "0")}, ""),
        ({"effective_from": "01/06/2026"}, "trùng với bộ quy tắc LPCMT-2021-HAI-CAP"),
        ({"code": "LPCMT-2021"}, "Mã này đã có"),
    ],
)
def test_a_refused_edit_changes_nothing(login, ruleset, change, message):
    client = login("admin")
    before = (ruleset.body, ruleset.effective_from, ruleset.effective_to, ruleset.code)
    data = _post_data(ruleset)
    if "row" in change:
        decision, key, value = change.pop("row")
        data[f"r-{_row(data, decision)}-{key}"] = value
    data.update(change)
    response = client.post(reverse("legal:ruleset_edit", args=[ruleset.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    ruleset.refresh_from_db()
    assert (ruleset.body, ruleset.effective_from, ruleset.effective_to, ruleset.code) == before


def test_a_new_version_from_the_page_closes_the_current_one(login, ruleset):
    client = login("admin")
    data = _post_data(ruleset, code="LPCMT-2025-ND", name="Luật 2025 và nghị định", effective_from="01/01/2027")
    data[f"r-{_row(data, 'giam_sat_dien_tu')}-months"] = "6"
    response = client.post(reverse("legal:ruleset_create", args=[ruleset.pk]), data)
    assert response.status_code == 302
    new = RuleSet.objects.get(code="LPCMT-2025-ND")
    ruleset.refresh_from_db()
    assert ruleset.effective_to == dt.date(2026, 12, 31)
    assert new.effective_to is None
    assert compute("giam_sat_dien_tu", dt.date(2027, 1, 1)).ends_on == dt.date(2027, 7, 1)
    assert compute("giam_sat_dien_tu", dt.date(2026, 12, 31)).ends_on is None


def test_unticking_a_decision_removes_it_from_the_rule_set(login, ruleset):
    client = login("admin")
    data = _post_data(ruleset)
    data.pop(f"r-{_row(data, 'giam_sat_dien_tu')}-included")
    assert client.post(reverse("legal:ruleset_edit", args=[ruleset.pk]), data).status_code == 302
    ruleset.refresh_from_db()
    assert "giam_sat_dien_tu" not in ruleset.body["decisions"]


def test_holidays_add_edit_delete(login, holiday):
    client = login("admin")
    url = reverse("legal:holidays")
    response = client.post(url, {"day": "10/03/2026", "name": "Nghỉ bù", "source": "Thông báo 1/TB"})
    assert response.status_code == 302 and response["Location"].endswith("?nam=2026")
    added = Holiday.objects.get(day=dt.date(2026, 3, 10))
    assert added.source == "Thông báo 1/TB"
    # The same day twice is refused.
    response = client.post(url, {"day": "10/03/2026", "name": "Lần hai"})
    assert "đã có trong danh sách" in response.content.decode()
    assert Holiday.objects.filter(day=dt.date(2026, 3, 10)).count() == 1
    # Move it.
    edit = reverse("legal:holiday_edit", args=[added.pk])
    assert client.post(edit, {"day": "11/03/2026", "name": "Nghỉ bù", "source": ""}).status_code == 302
    added.refresh_from_db()
    assert added.day == dt.date(2026, 3, 11)
    # Onto a day that is already a holiday: refused, unchanged.
    response = client.post(edit, {"day": "02/09/2026", "name": "x"})
    assert response.status_code == 200
    added.refresh_from_db()
    assert added.day == dt.date(2026, 3, 11)
    # Delete.
    assert client.post(reverse("legal:holiday_delete", args=[holiday.pk])).status_code == 302
    assert not Holiday.objects.filter(day=dt.date(2026, 9, 2)).exists()
    assert AuditEvent.objects.filter(action="legal.holiday.delete").exists()


def test_a_bad_year_falls_back(login):
    client = login("admin")
    assert client.get(reverse("legal:holidays") + "?nam=abc").status_code == 200
    assert client.get(reverse("legal:holidays") + "?nam=99999").status_code == 200
