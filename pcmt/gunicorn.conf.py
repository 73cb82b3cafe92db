"""gunicorn settings for `make serve`, each from the environment (defaults in README "Production")."""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


bind = os.environ.get("PCMT_BIND", "127.0.0.1:8000")
# Sync workers: 2 × cores + 1 by default; each holds one database connection.
workers = _int("PCMT_WEB_WORKERS", 2 * multiprocessing.cpu_count() + 1)
threads = _int("PCMT_WEB_THREADS", 1)
# A request that needs longer is a job (jobs/), never a longer timeout.
timeout = _int("PCMT_WEB_TIMEOUT", 30)
graceful_timeout = _int("PCMT_WEB_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# Recycle workers now and then so that a slow leak never grows.
max_requests = _int("PCMT_WEB_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
# Only the proxy on this machine may say the request was HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("PCMT_FORWARDED_ALLOW_IPS", "127.0.0.1")
# "-" is standard output; "off" turns the access log off.
accesslog = None if os.environ.get("PCMT_ACCESS_LOG") == "off" else os.environ.get("PCMT_ACCESS_LOG", "-")
errorlog = os.environ.get("PCMT_ERROR_LOG", "-")
loglevel = os.environ.get("PCMT_GUNICORN_LOG_LEVEL", "info")
wsgi_app = "pcmt.wsgi:application"
