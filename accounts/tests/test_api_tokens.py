"""Personal access tokens: shown once, stored hashed, acting exactly as their owner in and out of
scope, refused when revoked, expired, from another address, or for an account that may not sign in."""

from __future__ import annotations

import datetime
import json

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from accounts import tokens
from accounts.models import ApiToken
from audit.models import AuditEvent
from plans.services import tracking
from plans.tests.builders import make_plan, make_task

PASSWORD = "Pcmt@2026demo"


@pytest.fixture
def world(db):
    plan = make_plan()
    return {
        "plan": plan,
        "syt": make_task(plan, lead="SYT", deadline=tracking.today() + datetime.timedelta(days=3)),
        "plan_b": make_plan("33"),
    }


def _token(user, **kw):
    params = {"name": "Đồng bộ", "days": 90, "password": PASSWORD} | kw
    return tokens.create_token(acting_user=user, **params)


def _api(secret, path, *, scheme="ApiToken", method="get", address="127.0.0.1", **kw):
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR=address)
    return getattr(client, method)(path, HTTP_AUTHORIZATION=f"{scheme} {secret}", **kw)


def test_the_secret_is_returned_once_and_only_its_digest_is_stored(office_a):
    token, secret = _token(office_a)
    assert secret.startswith("pcmt_") and len(secret) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.digest == tokens.digest(secret) and secret not in {stored.digest, stored.prefix}
    assert secret.startswith(stored.prefix) and len(stored.prefix) < 15
    event = AuditEvent.objects.get(action="api_token.create")
    assert secret not in json.dumps(event.changes)


def test_creating_needs_the_password_a_name_and_an_offered_lifetime(office_a):
    with pytest.raises(ValidationError) as exc:
        _token(office_a, password="sai")
    assert exc.value.message_dict == {"password": ["Mật khẩu không đúng."]}
    with pytest.raises(ValidationError) as exc:
        _token(office_a, days=3650)
    assert "days" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _token(office_a, name="  ")
    assert "name" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _token(office_a, allowed_ips="10.0.0.5, mạng-nội-bộ")
    assert "mạng-nội-bộ" in exc.value.messages[0]
    assert not ApiToken.objects.exists()


def test_a_token_reads_exactly_what_its_owner_may(world, office_a, office_b, national):
    _, secret_a = _token(office_a)
    _, secret_b = _token(office_b)
    plan = world["plan"]
    assert _api(secret_a, f"/api/plans/{plan.pk}").status_code == 200
    assert _api(secret_a, f"/api/plans/{plan.pk}", scheme="Bearer").status_code == 200
    assert _api(secret_b, f"/api/plans/{plan.pk}").status_code == 404  # out of scope
    ids = {p["id"] for p in _api(secret_b, "/api/plans").json()["items"]}
    assert plan.pk not in ids and world["plan_b"].pk in ids
    _, secret_n = _token(national)
    assert _api(secret_n, f"/api/tasks/{world['syt'].pk}").status_code == 403  # the feature guard still runs


def test_a_token_writes_without_a_csrf_token_and_within_its_owner_scope(world, agency_a, office_b):
    task = world["syt"]
    body = json.dumps({"version": task.version, "text": "Cập nhật qua mã truy cập", "percent": 30})
    _, secret = _token(agency_a)
    response = _api(secret, f"/api/tasks/{task.pk}/updates", method="post", data=body, content_type="application/json")
    assert response.status_code == 201, response.content
    task.refresh_from_db()
    assert task.progress == 30
    _, secret_b = _token(office_b)
    response = _api(
        secret_b, f"/api/tasks/{task.pk}/updates", method="post", data=body, content_type="application/json"
    )
    assert response.status_code == 404


def test_a_session_write_still_needs_its_csrf_token(world, agency_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(agency_a)
    task = world["syt"]
    body = json.dumps({"version": task.version, "text": "x", "percent": 10})
    assert client.post(f"/api/tasks/{task.pk}/updates", data=body, content_type="application/json").status_code == 403


@pytest.mark.parametrize("mangle", ["unknown", "revoked", "expired", "inactive", "must_change"])
def test_a_token_that_may_not_act_answers_401_even_with_a_session(world, office_a, mangle):
    token, secret = _token(office_a)
    if mangle == "unknown":
        secret = secret[:-2] + "xx"
    elif mangle == "revoked":
        tokens.revoke_token(acting_user=office_a, token=token)
    elif mangle == "inactive":
        office_a.is_active = False
        office_a.save()
    elif mangle == "must_change":
        office_a.must_change_password = True
        office_a.save()
    client = Client()
    client.force_login(office_a)  # a session cookie does not rescue a bad token
    if mangle == "expired":
        with time_machine.travel(timezone.now() + datetime.timedelta(days=91)):
            response = client.get("/api/plans", HTTP_AUTHORIZATION=f"ApiToken {secret}")
    else:
        response = client.get("/api/plans", HTTP_AUTHORIZATION=f"ApiToken {secret}")
    assert response.status_code == 401
    assert "Mã truy cập không hợp lệ" in response.json()["detail"]


def test_a_case_officer_token_needs_a_confirmed_second_factor(world, case_a):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=case_a).delete()
    _, secret = _token(case_a)
    assert _api(secret, "/api/plans").status_code == 401
    TOTPDevice.objects.create(user=case_a, name="app", confirmed=True)
    assert _api(secret, "/api/plans").status_code == 403  # signed in; case officers have no plan feature


def test_the_address_allowlist(world, office_a):
    _, secret = _token(office_a, allowed_ips="10.1.0.0/24 192.168.5.9")
    assert _api(secret, "/api/plans", address="10.1.0.77").status_code == 200
    assert _api(secret, "/api/plans", address="192.168.5.9").status_code == 200
    assert _api(secret, "/api/plans", address="10.1.1.1").status_code == 401


def test_a_token_is_not_a_way_into_the_pages(world, office_a):
    _, secret = _token(office_a)
    response = Client().get("/ke-hoach/", HTTP_AUTHORIZATION=f"ApiToken {secret}")
    assert response.status_code == 302 and "dang-nhap" in response["Location"]


def test_last_use_is_recorded_without_a_write_on_every_call(world, office_a):
    token, secret = _token(office_a)
    assert _api(secret, "/api/plans").status_code == 200
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    assert _api(secret, "/api/plans").status_code == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first


def test_at_most_ten_active_tokens(office_a):
    for i in range(tokens.MAX_ACTIVE):
        _token(office_a, name=f"Mã {i}")
    with pytest.raises(ValidationError, match="tối đa 10"):
        _token(office_a)
    tokens.revoke_token(acting_user=office_a, token=ApiToken.objects.filter(user=office_a).first())
    _token(office_a)


def test_only_the_owner_revokes(office_a, office_b):
    token, _ = _token(office_a)
    with pytest.raises(PermissionDenied):
        tokens.revoke_token(acting_user=office_b, token=token)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


# — the page —


def test_the_page_shows_a_new_secret_once_and_lists_tokens_without_it(office_a):
    client = Client()
    client.force_login(office_a)
    response = client.post(
        "/tai-khoan/ma-truy-cap/", {"name": "Đồng bộ DHIS2", "days": "90", "password": PASSWORD, "allowed_ips": ""}
    )
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    secret = response.context["secret"]
    assert secret.startswith("pcmt_") and secret in response.content.decode()
    again = client.get("/tai-khoan/ma-truy-cap/").content.decode()
    assert secret not in again and "Đồng bộ DHIS2" in again and secret[:11] in again


def test_the_page_refuses_a_wrong_password_in_vietnamese(office_a):
    client = Client()
    client.force_login(office_a)
    response = client.post("/tai-khoan/ma-truy-cap/", {"name": "x", "days": "90", "password": "sai"})
    assert "Mật khẩu không đúng." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_from_the_page_and_another_persons_token_answers_404(office_a, office_b):
    token, _ = _token(office_a)
    other = Client()
    other.force_login(office_b)
    assert other.post(f"/tai-khoan/ma-truy-cap/{token.pk}/thu-hoi/").status_code == 404
    client = Client()
    client.force_login(office_a)
    assert client.get(f"/tai-khoan/ma-truy-cap/{token.pk}/thu-hoi/").status_code == 405
    response = client.post(f"/tai-khoan/ma-truy-cap/{token.pk}/thu-hoi/")
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
