"""`make bench`: every benchmark script, each in its own process and on a fresh database.

Database benchmarks run on SQLite, then again on PostgreSQL when one answers (DATABASE_URL, or
the local server at postgres://postgres@127.0.0.1:5432/test); set PCMT_BENCH_PG=0 to skip it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = [
    "bench_foundation.py",
    "bench_access.py",
    "bench_extractor.py",
    "bench_tasks.py",
    "bench_plan_review.py",
    "bench_reporting_entry.py",
    "bench_reporting_scale.py",
    "bench_areas.py",
    "bench_jobs.py",
    "bench_home.py",
]
NO_DATABASE = {"bench_extractor.py"}
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/test"


def _postgres_url() -> str | None:
    if os.environ.get("PCMT_BENCH_PG") == "0":
        return None
    url = os.environ.get("DATABASE_URL") or DEFAULT_PG
    if not url.startswith("postgres"):
        return None
    try:
        import psycopg

        psycopg.connect(url, connect_timeout=3).close()
    except Exception:  # noqa: BLE001 - any failure means: no PostgreSQL here
        print(f"(PostgreSQL không trả lời tại {url}: chỉ đo trên SQLite)")
        return None
    return url


def _run(script: Path, env: dict[str, str]) -> bool:
    return subprocess.run([sys.executable, str(script)], cwd=HERE.parent, env=env).returncode == 0


def main() -> int:
    scripts = [HERE / name for name in ORDER if (HERE / name).exists()]
    scripts += sorted(s for s in HERE.glob("bench_*.py") if s.name not in ORDER)
    sqlite_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    failed = sum(not _run(s, sqlite_env) for s in scripts)
    pg = _postgres_url()
    if pg:
        print("\n==== PostgreSQL ====")
        pg_env = {**sqlite_env, "DATABASE_URL": pg}
        failed += sum(not _run(s, pg_env) for s in scripts if s.name not in NO_DATABASE)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
