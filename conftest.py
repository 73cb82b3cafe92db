"""Shared fixtures: the reference data, the demo province and named personas.

Personas and their rights (province A = Đắk Lắk 66, province B = Hưng Yên 33):
- office_a: Standing Office officer of A — everything in A; nothing in B (404).
- office_b: Standing Office officer of B — the mirror image.
- agency_a: agency officer of Sở Y tế in A — own agency, province aggregates; no management.
- commune_a: commune officer of Phường Buôn Ma Thuột (A) — that commune only.
- case_a: case officer of the same commune — case registry of that commune only.
- leader_a: leader of A — read-only province pages.
- national: national viewer — aggregates of every province, no management.
- admin: administrator of the installation.
"""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command

CHROMIUM = "/usr/bin/chromium"
PROVINCE_A, PROVINCE_B = "66", "33"
COMMUNE_A = "24133"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # noqa: F811 - extends pytest-django's fixture
    """Load the 34 provinces, 3,321 communes and the demo province once per test session."""
    from django.utils import timezone

    from access.roles import Role
    from accounts.models import RoleAssignment, User
    from agencies.services import seed_standard_agencies
    from demo.personas import seed_demo
    from geo.models import Province

    with django_db_blocker.unblock():
        call_command("load_admin_units", verbosity=0)
        call_command("load_programme", verbosity=0)
        call_command("load_reporting_catalogue", verbosity=0)
        call_command("load_indicators", verbosity=0)
        call_command("load_legal_rules", verbosity=0)
        call_command("load_holidays", verbosity=0)
        seed_demo(password="Pcmt@2026demo")
        province_b = Province.objects.get(code=PROVINCE_B)
        seed_standard_agencies(province_b)
        user, _ = User.objects.get_or_create(
            username="thuongtruc_b", defaults={"full_name": "Cán bộ Hưng Yên", "province": province_b}
        )
        user.set_password("Pcmt@2026demo")
        user.save()
        RoleAssignment.objects.get_or_create(
            user=user, role=Role.STANDING_OFFICE, province=province_b, defaults={"approved_at": timezone.now()}
        )


def _user(username: str):
    from accounts.models import User

    return User.objects.get(username=username)


PERSONAS = ["office_a", "office_b", "agency_a", "commune_a", "case_a", "leader_a", "national", "admin"]
USERNAMES = {
    "office_a": "thuongtruc",
    "office_b": "thuongtruc_b",
    "agency_a": "syt",
    "commune_a": "xa",
    "case_a": "hoso",
    "leader_a": "lanhdao",
    "national": "c04",
    "admin": "quantri",
}


def _persona_fixture(username: str):
    @pytest.fixture
    def persona(db):
        return _user(username)

    return persona


# One fixture per persona (office_a, agency_a, …); the administrator is `admin_user`.
for _persona, _username in USERNAMES.items():
    globals()["admin_user" if _persona == "admin" else _persona] = _persona_fixture(_username)


@pytest.fixture
def queries_of():
    """The number of queries a call makes. N+1 checks measure a page with little and with much
    data: the two numbers must be equal (an exact comparison, not a ceiling). Exact counts per
    page and persona live in pcmt/tests/access_baseline.json."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(call):
        with CaptureQueriesContext(connection) as ctx:
            call()
        return len(ctx.captured_queries)

    return count


@pytest.fixture
def login(client):
    """Sign the test client in as a persona (by name) and return the client."""

    def _login(persona: str):
        return sign_in(client, _user(USERNAMES[persona]))

    return _login


def sign_in(client, user):
    """Sign `client` in as `user`; case officers get a session that passed the second factor."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.twofactor import requires_two_factor

    client.force_login(user)
    if requires_two_factor(user):
        device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "test"})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


# Browser tests: Playwright drives Debian's Chromium; skipped (and said so) when it is missing.
def pytest_collection_modifyitems(config, items):
    # Browser tests use a live server, whose transactional tests empty the database afterwards:
    # run them last so the session's reference data serves every other test (so do the other
    # tests that build their own data with `e2e_data`, e.g. two transactions racing).
    items.sort(key=lambda item: "browser" in item.keywords or "e2e_data" in getattr(item, "fixturenames", ()))
    if os.path.exists(CHROMIUM):
        if any("browser" in item.keywords for item in items):
            # Playwright's sync API runs an event loop in the test thread (fixtures included);
            # the ORM calls around a browser test are synchronous, so Django's guard is lifted.
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        return
    skip = pytest.mark.skip(reason=f"Chromium không có tại {CHROMIUM}: bỏ qua kiểm thử trình duyệt")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def e2e_data(transactional_db):
    """Reference data and demo personas for a browser test (its database starts empty)."""
    from demo.personas import seed_demo

    call_command("load_admin_units", verbosity=0)
    call_command("load_programme", verbosity=0)
    call_command("load_reporting_catalogue", verbosity=0)
    call_command("load_indicators", verbosity=0)
    call_command("load_legal_rules", verbosity=0)
    call_command("load_holidays", verbosity=0)
    seed_demo(password="Pcmt@2026demo")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


def follow_job(client, response):
    """A request that started a background job (302 to its page; eager in tests): the result
    file's download when the job produced one, else the job's page."""
    import re

    if response.status_code != 302 or not re.match(r"^/cong-viec/\d+/$", response["Location"]):
        return response
    from jobs.models import Job

    job = Job.objects.get(pk=int(response["Location"].split("/")[2]))
    if job.status == Job.Status.DONE and job.result_name:
        from django.http import HttpResponse

        download = client.get(f"{response['Location']}tai-ve/")
        kept = HttpResponse(b"".join(download.streaming_content), status=download.status_code)
        for header, value in download.items():
            kept[header] = value
        return kept
    return client.get(response["Location"])
