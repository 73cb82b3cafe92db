"""Settings for the test suite: the development settings with faster password hashing."""

import os
import tempfile
from pathlib import Path

from pcmt.settings import *  # noqa: F403

# For speed: MD5 hashing in tests only.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_FAILURE_LIMIT = 5
# Every test sees the figures it has just written.
DASHBOARD_CACHE_SECONDS = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: the live server of the browser tests answers from its own threads,
    # each with its own connection, as in production.
    # One file per test process, so that concurrent runs never share a database.
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"pcmt-test-{os.getpid()}.sqlite3")}  # noqa: F405
