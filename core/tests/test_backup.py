"""Backup → restore into a fresh database → sign in (SQLite; PostgreSQL when DATABASE_URL names it)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from accounts.models import User

ROOT = Path(settings.BASE_DIR)
SIGN_IN = """
from django.test import Client
c = Client()
r = c.post("/tai-khoan/dang-nhap/", {"username": "saoluu", "password": "Pcmt@2026backup"})
print("STATUS", r.status_code, r.get("Location", ""))
print("HOME", c.get("/").status_code)
"""


def _fresh_database(tmp_path: Path) -> tuple[str, object]:
    """An empty database of the engine under test, and how to drop it."""
    if connection.vendor == "postgresql":
        import psycopg

        db = connection.settings_dict
        name = f"pcmt_restore_{uuid.uuid4().hex[:8]}"
        base = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

        def drop() -> None:
            with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return f"{base}/{name}", drop
    return f"sqlite:///{tmp_path / 'restored.sqlite3'}", lambda: None


def _manage(url: str, media: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PCMT_", "DJANGO_", "DATABASE_URL"))}
    env.update(DATABASE_URL=url, MEDIA_ROOT=str(media), DJANGO_SETTINGS_MODULE="pcmt.settings_test")
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.django_db(transaction=True)
def test_backup_restore_into_a_fresh_database_and_sign_in(tmp_path):
    User.objects.create_user(username="saoluu", password="Pcmt@2026backup", full_name="Cán bộ sao lưu")
    media = tmp_path / "media"
    (media / "plans").mkdir(parents=True)
    (media / "plans" / "ke-hoach.pdf").write_bytes(b"%PDF-1.4 thu")
    with override_settings(MEDIA_ROOT=media):
        call_command("backup", output_dir=str(tmp_path / "backups"))
    archives = list((tmp_path / "backups").glob("pcmt-backup-*.tar.gz"))
    assert len(archives) == 1
    archive = archives[0]
    assert Path(f"{archive}.sha256").read_text().endswith(f"  {archive.name}\n")

    url, drop = _fresh_database(tmp_path)
    try:
        restored_media = tmp_path / "restored-media"
        done = _manage(url, restored_media, "restore", str(archive))
        assert done.returncode == 0, done.stderr
        assert "1 tệp media" in done.stdout
        assert (restored_media / "plans" / "ke-hoach.pdf").read_bytes() == b"%PDF-1.4 thu"
        signed = _manage(url, restored_media, "shell", "-c", SIGN_IN)
        assert "STATUS 302" in signed.stdout and "HOME 200" in signed.stdout, signed.stdout + signed.stderr

        # A database with data is refused unless forced; a damaged archive is refused.
        again = _manage(url, restored_media, "restore", str(archive))
        assert again.returncode != 0 and "đã có dữ liệu" in again.stderr
        assert _manage(url, restored_media, "restore", "--force", str(archive)).returncode == 0
        with archive.open("ab") as fh:
            fh.write(b"x")
        broken = _manage(url, restored_media, "restore", "--force", str(archive))
        assert broken.returncode != 0 and "SHA-256 không khớp" in broken.stderr
    finally:
        drop()
