"""Upgrades: a database created at an older commit migrates to HEAD; migrations on main are never edited."""

from __future__ import annotations

import importlib.util
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
FIXTURES = sorted((ROOT / "pcmt" / "tests" / "fixtures").glob("schema-*.sql"))


def _manage(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PCMT_", "DJANGO_", "DATABASE_URL"))}
    env.update(DATABASE_URL=f"sqlite:///{db}", DJANGO_SETTINGS_MODULE="pcmt.settings")
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def test_fixtures_cover_the_oldest_commit_and_the_edited_migration():
    names = {f.name for f in FIXTURES}
    assert "schema-e87150a01202.sql" in names  # the first commit of main
    assert "schema-b7578d047dbd.sql" in names  # the last commit before indicators.0001 was edited


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.stem)
def test_old_database_migrates_to_head(fixture, tmp_path):
    db = tmp_path / "old.sqlite3"
    con = sqlite3.connect(db)
    con.executescript(fixture.read_text(encoding="utf-8"))
    old_narratives = "indicators_reportnarrative" in {
        r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
    }
    if old_narratives:
        # A narrative written at that commit must survive the upgrade.
        con.execute("INSERT INTO geo_province (code, name, short_name) VALUES ('66', 'Tỉnh Đắk Lắk', 'Đắk Lắk')")
        con.execute(
            "INSERT INTO reporting_form (id, code, name, description, level, is_active) "
            "VALUES (7, 'BC-XA', 'Báo cáo xã', '', 'commune', 1)"
        )
        con.execute(
            "INSERT INTO indicators_reportnarrative (id, period, parent_body, issuing_body, number, place, issued_on, "
            "title, situation, results, shortcomings, next_tasks, proposals, signer_authority, signer_name, "
            "recipients, updated_at, form_id, province_id, updated_by_id) VALUES (3, '2026Q2', '', 'Công an tỉnh', "
            "'12/BC-CAT', 'Đắk Lắk', '2026-06-20', 'Báo cáo quý II', 'Tình hình ổn định', '', '', '', '', '', '', '', "
            "'2026-06-20 08:00:00', 7, '66', NULL)"
        )
    con.commit()
    con.close()

    done = _manage(db, "migrate", "--noinput")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "No migrations to apply" in _manage(db, "migrate", "--noinput").stdout
    check = _manage(db, "makemigrations", "--check", "--dry-run")
    assert check.returncode == 0, check.stdout + check.stderr

    con = sqlite3.connect(db)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "indicators_reportnarrative" not in tables and "legacy_indicators_reportnarrative" not in tables
    rows = con.execute("SELECT id, period, title, form_id, province_id FROM reporting_reportnarrative").fetchall()
    assert rows == ([(3, "2026Q2", "Báo cáo quý II", 7, "66")] if old_narratives else [])


def _check_module():
    spec = importlib.util.spec_from_file_location("check_migrations", ROOT / ".ci" / "check_migrations.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_ci_check_fails_on_an_edited_or_deleted_migration(tmp_path):
    check = _check_module()

    def git(*args):
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=tmp_path, check=True, capture_output=True
        )

    git("init", "-q")
    migration = tmp_path / "app" / "migrations" / "0001_initial.py"
    migration.parent.mkdir(parents=True)
    migration.write_text("operations = []\n")
    other = migration.with_name("0002_more.py")
    other.write_text("operations = [1]\n")
    git("add", ".")
    git("commit", "-qm", "first")
    assert check.problems(tmp_path, accepted={}) == []

    migration.write_text("operations = ['edited']\n")
    git("commit", "-qam", "edit")
    found = check.problems(tmp_path, accepted={})
    assert len(found) == 1 and "app/migrations/0001_initial.py" in found[0]
    # A reviewed, accepted edit (its blob recorded) passes; any other content fails again.
    blob = subprocess.run(["git", "hash-object", str(migration)], capture_output=True, text=True, check=True).stdout
    assert check.problems(tmp_path, accepted={"app/migrations/0001_initial.py": (blob[:7], "reviewed")}) == []

    other.unlink()
    git("commit", "-qam", "delete")
    assert any("0002_more.py" in p and "xóa" in p for p in check.problems(tmp_path, accepted={}))


def test_ci_check_passes_on_this_repository():
    check = _check_module()
    if (
        subprocess.run(
            ["git", "rev-parse", "--is-shallow-repository"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        == "true"
    ):
        pytest.skip("shallow clone: no history")
    assert check.problems(ROOT) == []
