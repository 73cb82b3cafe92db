"""Django settings for PCMT, read from environment variables.

With no configuration at all PCMT runs for development: DEBUG on, SQLite file in the project
directory, demo passwords allowed. Production sets PCMT_ENV=production (or DEBUG=false),
SECRET_KEY, ALLOWED_HOSTS and usually DATABASE_URL; `manage.py check --deploy` then passes.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from pcmt.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

PCMT_ENV = env_str("PCMT_ENV", "development")
if PCMT_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured("PCMT_ENV must be development, test or production")
PRODUCTION = PCMT_ENV == "production"

DEBUG = env_bool("DEBUG", not PRODUCTION)
_DEV_SECRET = "dev-only-insecure-secret-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz"
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
if PRODUCTION and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET):
    raise ImproperlyConfigured("SECRET_KEY must be set in production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Demo logins (make run) exist only outside production.
DEMO_PASSWORDS_ALLOWED = not PRODUCTION and env_bool("PCMT_DEMO_PASSWORDS", True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # PCMT apps, bottom layer first.
    "access",
    "core",
    "audit",
    "geo",
    "agencies",
    "accounts",
    "program",
    "notices",
    "plans",
    "reporting",
    "indicators",
    "periodreport",
    "dhis2",
    "areas",
    "legal",
    "cases",
    "dashboard",
    "demo",
    "jobs",
    # Serves Swagger UI from this origin (the CSP forbids CDNs) for the JSON API below.
    "ninja",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "accounts.middleware.ApiTokenMiddleware",
    "accounts.middleware.RequiredStepsMiddleware",
    # Axes must be last: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # Static files from the app itself (compressed, hashed, cached for a year), no web server needed;
    # in development runserver serves static/ directly.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "pcmt.urls"
WSGI_APPLICATION = "pcmt.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
                "notices.context_processors.unread_notices",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=env_int("DB_CONN_MAX_AGE", 60)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer commits; a busy timeout instead of "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # One writer stalls everyone (a sign-in waited 12 s behind an import): production runs on
    # PostgreSQL unless SQLite is chosen on purpose (a trial, a single office).
    if PRODUCTION and not env_bool("PCMT_ALLOW_SQLITE", False):
        raise ImproperlyConfigured(
            "Production needs PostgreSQL (DATABASE_URL=postgres://…); set PCMT_ALLOW_SQLITE=1 to run on SQLite anyway"
        )

# Read replicas (README "Scale"): consolidation and dashboard reads go to PCMT_READ_REPLICA_URL.
_REPLICA_URL = env_str("PCMT_READ_REPLICA_URL", "")
if _REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(_REPLICA_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["pcmt.routers.ReadReplicaRouter"]
    PCMT_REPLICA_PATHS = env_list("PCMT_REPLICA_PATHS", ["/tong-hop/", "/chi-tieu/"])
    # After AuthenticationMiddleware: marks the requests whose reads may use the replica.
    _AUTH = MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    MIDDLEWARE.insert(_AUTH + 1, "pcmt.routers.ReplicaReadsMiddleware")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Admin-site permissions from the feature table (`admin.site`), not from permission rows.
    "accounts.backends.AdminSiteBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.validators.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "accounts.validators.CommonPasswordValidator"},
    {"NAME": "accounts.validators.NumericPasswordValidator"},
    {"NAME": "accounts.validators.CharacterClassValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout for 15 minutes: 5 failures lock the account (from every address); the source address
# alone only after 50 failures across accounts, since a whole office may share one NAT address
# (accounts/lockout.py). The (account, address) pair also records failures without a username.
AXES_FAILURE_LIMIT = env_int("PCMT_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("PCMT_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
AXES_HANDLER = "accounts.lockout.LockoutHandler"
PCMT_LOCKOUT_ADDRESS_FAILURES = env_int("PCMT_LOCKOUT_ADDRESS_FAILURES", 50)
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env_int("PCMT_PROXY_COUNT", 0) or None
if AXES_IPWARE_PROXY_COUNT:
    # Behind reverse proxies the client is in X-Forwarded-For; otherwise every failure would be
    # counted against the proxy's address and lock everyone out.
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["pcmt.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Production serves hashed, compressed copies gathered by `collectstatic` (make serve does it);
# development and tests read static/ directly.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = 365 * 24 * 3600 if PRODUCTION else 0
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

# Uploads: plans and CSV files are small; refuse anything large before it reaches a view.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
PCMT_MAX_UPLOAD_BYTES = env_int("PCMT_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
# Home pages and maps keep their costly figures (indicators, national comparison) this long.
DASHBOARD_CACHE_SECONDS = env_int("PCMT_DASHBOARD_CACHE_SECONDS", 60)
# A .docx/.xlsx/.zip may unpack to at most this much (a "zip bomb" unpacks to gigabytes): core/uploads.py.
PCMT_MAX_UNPACKED_BYTES = env_int("PCMT_MAX_UNPACKED_BYTES", 100 * 1024 * 1024)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("PCMT_SESSION_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("PCMT_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("PCMT_SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("PCMT_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("PCMT_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("PCMT_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The proxy's health probe talks plain HTTP to the application server.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "pcmt@localhost")
# Notifications are always in-app; also by e-mail once the mail settings above are real.
PCMT_EMAIL_NOTIFICATIONS = env_bool("PCMT_EMAIL_NOTIFICATIONS", False)

# Error mail: "Name <address>, Name <address>" → ADMINS; SERVER_EMAIL is the sender.
ADMINS = [
    (item.split("<")[0].strip() or item, item.split("<")[-1].rstrip(">").strip()) for item in env_list("ADMINS", [])
]
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Background jobs (jobs/): Celery with Redis as the broker. Eager (in the web process, no worker,
# no Redis) in development and tests unless PCMT_JOBS_EAGER=0; a worker in production.
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = env_bool("PCMT_JOBS_EAGER", not PRODUCTION)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("PCMT_JOB_TIME_LIMIT", 2 * 3600)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 3, "visibility_timeout": 3 * 3600}
CELERY_TIMEZONE = TIME_ZONE
# Result files of jobs stay downloadable this long, then `purge_jobs` (cron) deletes them.
PCMT_JOB_RESULT_DAYS = env_int("PCMT_JOB_RESULT_DAYS", 7)

_LOG_FILE = env_str("PCMT_LOG_FILE", "")
_LOG_LEVEL = env_str("LOG_LEVEL", "INFO" if not DEBUG else "WARNING")
LOGGING: dict[str, object] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d: %(message)s"}},
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": _LOG_LEVEL},
    "loggers": {"django.request": {"handlers": ["console", "mail_admins"], "level": "ERROR", "propagate": False}},
}
if _LOG_FILE:
    # Several worker processes write the file: logrotate renames it (README), each process reopens it.
    LOGGING["handlers"]["file"] = {  # type: ignore[index]
        "class": "logging.handlers.WatchedFileHandler",
        "filename": _LOG_FILE,
        "formatter": "plain",
        "encoding": "utf-8",
    }
    LOGGING["root"]["handlers"].append("file")  # type: ignore[index]
    LOGGING["loggers"]["django.request"]["handlers"].append("file")  # type: ignore[index]

# Case registry (issue 13): field-encryption keys and the separate keyed-hash keys, each
# "id:base64(32 bytes),…" with the current key first (`cases.crypto`). In production the registry
# refuses to read or write without them; elsewhere a fixed development key is used.
PCMT_CASE_KEYS = env_str("PCMT_CASE_KEYS", "")
PCMT_CASE_HASH_KEYS = env_str("PCMT_CASE_HASH_KEYS", "")
# Years a file is kept named after its management period and the 2-year window of BLHS Điều 256a.
PCMT_CASE_RETENTION_YEARS = env_int("PCMT_CASE_RETENTION_YEARS", 0)
