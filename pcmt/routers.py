"""Read replicas: consolidation, indicator and dashboard pages read from PCMT_READ_REPLICA_URL.

ReplicaReadsMiddleware marks a GET/HEAD request whose path is one of PCMT_REPLICA_PATHS; inside
it, ReadReplicaRouter sends reads to the `replica` database, except those of sign-in, sessions
and accounts (a replica a few milliseconds behind must never undo a sign-in). Writes, migrations
and every other request use `default`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_REPLICA: ContextVar[bool] = ContextVar("pcmt_replica_reads", default=False)
# Always from the primary: who is signed in, and with which rights.
PRIMARY_ONLY = {"sessions", "auth", "accounts", "axes", "otp_totp", "django_otp", "contenttypes", "jobs"}
DEFAULT_PATHS = ("/tong-hop/", "/chi-tieu/")
EXACT_PATHS = ("/",)  # the dashboard


@contextmanager
def replica_reads() -> Iterator[None]:
    token = _REPLICA.set(True)
    try:
        yield
    finally:
        _REPLICA.reset(token)


def replica_path(path: str) -> bool:
    prefixes = tuple(getattr(settings, "PCMT_REPLICA_PATHS", DEFAULT_PATHS))
    return path in EXACT_PATHS or path.startswith(prefixes)


class ReplicaReadsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD") and replica_path(request.path):
            with replica_reads():
                return self.get_response(request)
        return self.get_response(request)


class ReadReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _REPLICA.get() and "replica" in settings.DATABASES and model._meta.app_label not in PRIMARY_ONLY:
            return "replica"
        return "default"

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database and its copy

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"
