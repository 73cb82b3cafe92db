"""Helpers shared by the benchmarks: a throw-away database and timing with percentiles."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> str:
    """Configure Django on a fresh database: a temporary SQLite file unless DATABASE_URL is set.

    With DATABASE_URL (PostgreSQL) the benchmark works in a database named `<name>_bench`
    created for the run, never in the one the URL names.
    """
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcmt.settings")
    os.environ.setdefault("PCMT_ENV", "development")
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        base, _, name = url.rpartition("/")
        bench_name = f"{name or 'test'}_bench"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{bench_name}"')
            conn.execute(f'CREATE DATABASE "{bench_name}"')
        os.environ["DATABASE_URL"] = f"{base}/{bench_name}"
        label = "PostgreSQL"
    else:
        path = Path(tempfile.mkdtemp(prefix="pcmt-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        label = "SQLite"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return label


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    """Wall-clock seconds of `repeat` calls."""
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def median(values: list[float]) -> float:
    return statistics.median(values)
