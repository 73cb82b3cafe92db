"""Production settings under the real application server: hashed static files and /healthz."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

ROOT = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent


def _redis_up(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PCMT_", "DJANGO_", "DATABASE_URL"))}
    env.update(
        PCMT_ENV="production",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="127.0.0.1",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        PCMT_ALLOW_SQLITE="1",
        DJANGO_SETTINGS_MODULE="pcmt.settings",
    )
    env.update(extra)
    return env


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_production_serves_hashed_static_files_and_healthz(tmp_path):
    redis_url = "redis://127.0.0.1:6379/5"
    queue = {"REDIS_URL": redis_url} if _redis_up(redis_url) else {"PCMT_JOBS_EAGER": "1"}
    env = _production_env(tmp_path, **queue)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    hashed_css = manifest["css/pcmt.css"]
    assert hashed_css != "css/pcmt.css"
    assert (tmp_path / "static" / f"{hashed_css}.gz").exists()  # compressed copies beside each file

    port = _free_port()
    env.update(PCMT_BIND=f"127.0.0.1:{port}", PCMT_WEB_WORKERS="1", PCMT_ACCESS_LOG="off")
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "pcmt/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                status, _, body = _get(f"{base}/healthz")
                break
            except OSError:
                time.sleep(0.1)
        else:
            server.terminate()
            pytest.fail("gunicorn did not answer: " + server.communicate()[1].decode()[-2000:])
        assert status == 200, body
        health = json.loads(body)
        assert health["status"] == "ok" and health["database"] == "ok"
        assert health["queue"] == ("ok" if "REDIS_URL" in queue else "eager")

        status, headers, body = _get(f"{base}/static/{hashed_css}")
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert "immutable" in headers["Cache-Control"]
        assert status == 200 and len(body) > 100
        # The unhashed name is not what pages link to; the sign-in page links the hashed one.
        status, _, page = _get(f"{base}/tai-khoan/dang-nhap/")
        assert status == 200
        assert f"/static/{hashed_css}".encode() in page
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_production_refuses_sqlite_unless_allowed(tmp_path):
    env = _production_env(tmp_path)
    env.pop("PCMT_ALLOW_SQLITE")
    done = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode != 0
    assert "PCMT_ALLOW_SQLITE" in done.stderr
    env["PCMT_ALLOW_SQLITE"] = "1"
    done = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, check=False)
    assert done.returncode == 0, done.stderr


def test_production_refuses_demo_data(tmp_path):
    env = _production_env(tmp_path)
    done = subprocess.run(
        [sys.executable, "manage.py", "seed_demo"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode != 0 and "môi trường phát triển" in done.stderr


@pytest.mark.django_db
def test_healthz_reports_each_part(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "queue": "eager"}
    # A broker that does not answer: 503, and which part failed.
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=f"redis://127.0.0.1:{_free_port()}/0"):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "queue": "unreachable"}
    assert client.post("/healthz").status_code == 405
