"""The Celery application of PCMT's background jobs (jobs/): Redis is the broker.

In development and tests CELERY_TASK_ALWAYS_EAGER runs every job in the calling process, so
neither a worker nor Redis is needed. Production starts a worker:
    .venv/bin/celery -A pcmt worker --concurrency 2
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcmt.settings")

app = Celery("pcmt")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
