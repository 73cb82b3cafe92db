"""Backups and restores of a PCMT installation: the database (pg_dump for PostgreSQL, SQLite's
online backup API otherwise) and the media files, in one dated archive with a SHA-256 checksum.

Archive `pcmt-backup-YYYYMMDD-HHMMSS.tar.gz` holds `manifest.json`, `database.dump` (pg_dump's
custom format) or `database.sqlite3`, and `media/`; beside it `<archive>.sha256` in the format
of `sha256sum -c`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is Vietnamese."""


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _dump_database(alias: str, into: Path) -> str:
    connection = connections[alias]
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        target = into / "database.dump"
        done = subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}", db["NAME"]],
            env=_pg_env(db),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise BackupError(f"pg_dump không chạy được: {done.stderr.strip()[:500]}")
        return target.name
    if connection.vendor == "sqlite":
        target = into / "database.sqlite3"
        connection.ensure_connection()
        dest = sqlite3.connect(target)
        try:
            # Online backup: a consistent copy while the application keeps writing.
            connection.connection.backup(dest)
        finally:
            dest.close()
        return target.name
    raise BackupError(f"Không hỗ trợ sao lưu cơ sở dữ liệu {connection.vendor}.")


def backup(*, output_dir: Path, alias: str = "default", media: bool = True) -> Path:
    """Write a dated archive into `output_dir` and its `.sha256`; return the archive's path."""
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    archive = output_dir / f"pcmt-backup-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory(prefix="pcmt-backup-") as tmp:
        work = Path(tmp)
        name = _dump_database(alias, work)
        manifest = {
            "format": 1,
            "created_at": timezone.now().isoformat(),
            "engine": connections[alias].vendor,
            "database": name,
            "media": media,
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        partial = archive.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(work / "manifest.json", arcname="manifest.json")
            tar.add(work / name, arcname=name)
            media_root = Path(settings.MEDIA_ROOT)
            if media and media_root.is_dir():
                tar.add(media_root, arcname="media")
        partial.rename(archive)
    Path(f"{archive}.sha256").write_text(f"{sha256(archive)}  {archive.name}\n", encoding="utf-8")
    return archive


@dataclass
class Restored:
    engine: str
    media_files: int


def database_is_empty(alias: str = "default") -> bool:
    return not connections[alias].introspection.table_names()


def restore(*, archive: Path, alias: str = "default", force: bool = False) -> Restored:
    """Bring a backup back into the database `alias` (empty unless `force`) and MEDIA_ROOT."""
    check = Path(f"{archive}.sha256")
    if not check.exists():
        raise BackupError(f"Thiếu tệp kiểm tra {check.name}: không khôi phục bản sao lưu chưa kiểm được.")
    expected = check.read_text(encoding="utf-8").split()[0]
    if sha256(archive) != expected:
        raise BackupError("Mã kiểm tra SHA-256 không khớp: bản sao lưu bị hỏng hoặc bị sửa.")
    if not force and not database_is_empty(alias):
        raise BackupError(
            "Cơ sở dữ liệu đích đã có dữ liệu. Khôi phục vào một cơ sở dữ liệu trống, hoặc dùng --force để ghi đè."
        )
    connection = connections[alias]
    with tempfile.TemporaryDirectory(prefix="pcmt-restore-") as tmp:
        work = Path(tmp)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(work, filter="data")
        manifest = json.loads((work / "manifest.json").read_text(encoding="utf-8"))
        if manifest["engine"] != connection.vendor:
            raise BackupError(f"Bản sao lưu của {manifest['engine']} không khôi phục được vào {connection.vendor}.")
        source = work / manifest["database"]
        if connection.vendor == "postgresql":
            db = connection.settings_dict
            connection.close()
            args = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={db['NAME']}"]
            if force:
                args += ["--clean", "--if-exists"]
            done = subprocess.run([*args, str(source)], env=_pg_env(db), capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise BackupError(f"pg_restore không chạy được: {done.stderr.strip()[:500]}")
        else:
            connection.ensure_connection()
            src = sqlite3.connect(source)
            try:
                src.backup(connection.connection)
            finally:
                src.close()
        count = 0
        media_src = work / "media"
        if media_src.is_dir():
            media_root = Path(settings.MEDIA_ROOT)
            for path in media_src.rglob("*"):
                if path.is_file():
                    target = media_root / path.relative_to(media_src)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, target)
                    count += 1
    return Restored(engine=connection.vendor, media_files=count)
