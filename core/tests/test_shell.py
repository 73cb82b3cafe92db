import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_an_unknown_page_is_a_vietnamese_404(login):
    response = login("office_a").get("/khong-co-trang-nay/")
    assert response.status_code == 404 and "Không tìm thấy trang" in response.content.decode()


@pytest.mark.django_db
def test_a_forbidden_page_is_a_vietnamese_403(login):
    response = login("commune_a").get(reverse("accounts:users"))
    assert response.status_code == 403 and "Không có quyền truy cập" in response.content.decode()


def test_the_500_page_renders_without_a_database():
    from core.views import server_error

    response = server_error(None)
    assert response.status_code == 500 and "Hệ thống gặp lỗi" in response.content.decode()


@pytest.mark.django_db
def test_security_headers_and_vendored_assets(login):
    response = login("office_a").get(reverse("dashboard:home"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    body = response.content.decode()
    assert "vendor/bootstrap/bootstrap.min.css" in body and "htmx" in body
    assert "cdn." not in body and "unpkg" not in body


def test_dates_and_numbers_use_vietnamese_formats(settings):
    from datetime import date

    from django.utils import formats, translation

    with translation.override("vi"):
        assert formats.date_format(date(2026, 2, 5), "SHORT_DATE_FORMAT") == "05/02/2026"
        assert formats.number_format(1234567.5, 1, force_grouping=True) == "1.234.567,5"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh" and settings.LANGUAGE_CODE == "vi"


def test_production_settings_pass_check_deploy():
    env = {
        **os.environ,
        "PCMT_ENV": "production",
        "SECRET_KEY": "x" * 20 + "-Prod-Only-Secret-Key-9876543210abcdef",
        "ALLOWED_HOSTS": "pcmt.example.gov.vn",
        "DJANGO_SETTINGS_MODULE": "pcmt.settings",
        "PCMT_ALLOW_SQLITE": "1",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "PCMT_ENV": "production", "ALLOWED_HOSTS": "x", "DJANGO_SETTINGS_MODULE": "pcmt.settings"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_demo_logins_are_refused_in_production():
    env = {
        **os.environ,
        "PCMT_ENV": "production",
        "SECRET_KEY": "y" * 60,
        "ALLOWED_HOSTS": "x",
        "DJANGO_SETTINGS_MODULE": "pcmt.settings",
        "DATABASE_URL": "sqlite:///:memory:",
        "PCMT_ALLOW_SQLITE": "1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_demo"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "môi trường phát triển" in result.stderr
