"""`/healthz` for the reverse proxy and the monitoring: is the database and the job queue reachable?"""

from __future__ import annotations

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from access.decorators import public


def database_ok() -> bool:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            return bool(cursor.fetchone() == (1,))
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False


def queue_state() -> str:
    """ "eager" when jobs run in the web process (no broker), else "ok" or "unreachable"."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    import redis

    try:
        client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=2, socket_timeout=2)
        return "ok" if client.ping() else "unreachable"
    except Exception:  # noqa: BLE001
        return "unreachable"


@never_cache
@require_GET
@public
def healthz(request: HttpRequest) -> JsonResponse:
    database = "ok" if database_ok() else "unreachable"
    queue = queue_state()
    healthy = database == "ok" and queue in ("ok", "eager")
    return JsonResponse(
        {"status": "ok" if healthy else "error", "database": database, "queue": queue}, status=200 if healthy else 503
    )
