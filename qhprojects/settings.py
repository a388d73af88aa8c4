"""Settings for the Qinghai project-pipeline platform.

Everything that differs between a laptop demo and production comes from the environment.
With nothing set, the app runs on the embedded default: SQLite, Celery tasks executed
in-process, DEBUG on, demo users allowed. Production sets DEBUG=0 and must then also set
SECRET_KEY and ALLOWED_HOSTS, or the app refuses to start.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
TESTING = env_bool("QH_TESTING", "pytest" in sys.modules)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-dev-key-only-for-the-embedded-default"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Demo users (password demo12345) may only be created where this is on; production leaves it off.
DEMO_MODE = env_bool("QH_DEMO", DEBUG)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_celery_beat",
    # Our bounded contexts, in seed-loading order (reference data first).
    "apps.core",
    "apps.reference",
    "apps.accounts",
    "apps.projects",
    "apps.contracts",
    "apps.workgroups",
    "apps.indicators",
    "apps.tasks",
    "apps.problems",
    "apps.rankings",
    "apps.notifications",
    "apps.jobs",
    "apps.dashboard",
    "apps.demo",  # last: its seed step (the demo library) runs after the domain apps' seeds
]

MIDDLEWARE = [
    # Answers /healthz/ before host validation and the HTTPS redirect (probes use any host).
    "apps.core.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "apps.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Lets django-simple-history record which user made each change.
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "qhprojects.urls"

# Every form's controls get Bootstrap's classes from the renderer, not from each form.
FORM_RENDERER = "apps.core.forms.BootstrapFormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.core.context_processors.navigation",
                "apps.notifications.context_processors.inbox",
            ],
        },
    },
]

WSGI_APPLICATION = "qhprojects.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=env_bool("DB_CONN_HEALTH_CHECKS", True),
    )
}
# Each request is one transaction: a view that fails changes nothing.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# PostgreSQL's JIT compiles a query whose *estimated* cost is high — the rates' and the
# cockpit's aggregates over 100k contracts — and the compilation cost more than it saved:
# 1,673 ms with JIT, 376 ms without (issue 15). Our queries are short OLTP reads and
# index-driven aggregates, so it is off for the app's connections; QH_PG_JIT=1 turns it
# back on (e.g. to measure it). Nothing else on the server is affected.
if DATABASES["default"]["ENGINE"].endswith("postgresql") and not env_bool("QH_PG_JIT", False):
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
FIXTURES_DIR = BASE_DIR / "fixtures"
# Largest file a user may upload (attachments, Excel imports).
QH_MAX_UPLOAD_MB = int(os.environ.get("QH_MAX_UPLOAD_MB", "20"))
# Every workbook read is bounded (apps/core/excel.py read_sheet): rows and columns that hold
# data, seconds spent reading, and the size the .xlsx package unpacks to (zip bombs).
QH_EXCEL_MAX_ROWS = int(os.environ.get("QH_EXCEL_MAX_ROWS", "20000"))
QH_EXCEL_MAX_COLUMNS = int(os.environ.get("QH_EXCEL_MAX_COLUMNS", "100"))
QH_EXCEL_MAX_SECONDS = float(os.environ.get("QH_EXCEL_MAX_SECONDS", "30"))
QH_EXCEL_MAX_UNPACKED_MB = int(os.environ.get("QH_EXCEL_MAX_UNPACKED_MB", "200"))
# 项目代码 check digit (ISO 7064 MOD 11,10 — inferred, see apps/projects/codes.py): off if it
# ever refuses genuine codes.
QH_PROJECT_CODE_CHECK_DIGIT = env_bool("QH_PROJECT_CODE_CHECK_DIGIT", True)
SEEDS_DIR = Path(os.environ.get("QH_SEEDS_DIR", BASE_DIR.parent / "shared" / "seeds"))

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.accounts.tokens.ApiTokenAuthentication",  # Token … and Bearer …, hashed, scoped
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["apps.core.drf.PolicyPermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "apps.core.drf.ListFilterBackend",
        "apps.core.drf.StrictOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "apps.core.drf.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "apps.core.schema.AutoSchema",
    # An unknown ?format= is a 406 naming the formats offered (DRF's own answer is a 404).
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "apps.core.drf.FormatNegotiation",
    "COERCE_DECIMAL_TO_STRING": True,
    # One error shape for every API error: {"field": [messages]}, the rest under "detail".
    "EXCEPTION_HANDLER": "apps.core.drf.exception_handler",
    "NON_FIELD_ERRORS_KEY": "detail",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "青海省项目管理平台 API",
    "DESCRIPTION": "项目库、签约项目台账、十四五指标与任务的只读/受控写入接口。金额单位：亿元。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc come from the sidecar package and are served locally (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "apps.core.schema.add_error_responses",
        "apps.core.schema.describe_sync_and_exports",
    ],
    # Several models have a "status"/"role" field with different choices: name each set once.
    "ENUM_NAME_OVERRIDES": {
        "LibraryStatusEnum": "apps.projects.models.LibraryStatus",
        "ProjectStageEnum": "apps.projects.models.Stage",
        "AssignmentStatusEnum": "apps.tasks.models.Assignment.Status",
        "AssignmentRoleEnum": "apps.tasks.models.Assignment.Role",
        "ExtensionStatusEnum": "apps.tasks.models.ExtensionRequest.Status",
        "GroupMemberRoleEnum": "apps.workgroups.models.GroupMember.Role",
        "IndicatorStatusEnum": "apps.indicators.choices.Status",
        "ProblemStatusEnum": "apps.problems.models.Status",
        "UserRoleEnum": "apps.core.roles.Role",
        "FactorStatusEnum": "apps.projects.models.preparation.FactorStatus",
        "FactorKindEnum": "apps.projects.models.preparation.FactorKind",
        "MilestoneKindEnum": "apps.projects.models.preparation.MilestoneKind",
        "EntryVerdictEnum": "apps.projects.models.entry.Verdict",
        "ExpertConclusionEnum": "apps.projects.models.entry.ExpertOpinion.Conclusion",
    },
}

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
# No broker configured: the embedded default runs tasks in-process, synchronously.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if TESTING:
    # Unit tests run tasks in-process; the worker tests (tests/jobs) switch to the real broker.
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or None)
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_SEND_TASK_EVENTS = True
CELERY_TASK_SEND_SENT_EVENT = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_TRACK_STARTED = True

# --- Faults: worker deaths, broker outages, database restarts (issue 9 §18) -----------------
# A job may run QH_JOB_TIME_LIMIT seconds; the worker kills it then (hard limit) and the
# reaper (apps.jobs.services.reap_jobs, beat every 5 minutes and run_due_jobs) treats a job
# still "running" JOBS_REAP_GRACE seconds later as dead: retried once if retry-safe, else
# failed, and its user told.
JOBS_TIME_LIMIT = int(os.environ.get("QH_JOB_TIME_LIMIT", str(30 * 60)))
JOBS_REAP_GRACE = int(os.environ.get("QH_JOB_REAP_GRACE", "60"))
JOBS_MAX_ATTEMPTS = 2  # the first run and one retry
CELERY_TASK_TIME_LIMIT = JOBS_TIME_LIMIT
CELERY_TASK_SOFT_TIME_LIMIT = max(1, JOBS_TIME_LIMIT - max(1, JOBS_TIME_LIMIT // 6))
# Acknowledge a task when it has finished, and give it back when the worker process dies:
# a killed worker's job is delivered again (execute() then takes it exactly once).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # a long job does not hold messages other workers could run
# Redis redelivers an unacknowledged message after visibility_timeout: it must exceed the
# longest a task can run, or a job still running would be delivered to a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(
        os.environ.get("QH_BROKER_VISIBILITY_TIMEOUT", str(JOBS_TIME_LIMIT + 5 * 60))
    ),
}
# Redis down: publishing fails within about two seconds (the page then says the work is
# delayed) instead of hanging the request.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
# The database: persistent connections (DB_CONN_MAX_AGE seconds, default 60) are checked
# before each request reuses them (conn_health_checks in DATABASES above), so requests after a
# PostgreSQL restart reconnect instead of failing on a dead connection (DB_CONN_HEALTH_CHECKS=0
# turns that off: only for the test that shows what it prevents).
# --- end of faults --------------------------------------------------------------------------

# --- Mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)  # STARTTLS, usually port 587
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)  # implicit TLS, usually port 465
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "qhprojects@localhost")

# --- Notifications ---------------------------------------------------------------------------
# Absolute links in e-mails and robot messages.
QH_SITE_URL = os.environ.get("QH_SITE_URL", "http://127.0.0.1:8000")
# Robot webhooks may only call these hosts, so a unit's URL cannot reach internal services.
NOTIFICATIONS_WEBHOOK_HOSTS = env_list(
    "NOTIFICATIONS_WEBHOOK_HOSTS", ["qyapi.weixin.qq.com", "oapi.dingtalk.com"]
)
# OC4IDS project id prefix (apps/projects/oc4ids.py): a placeholder until one is registered
# with the Open Contracting Partnership; ids must not change once published.
QH_OC4IDS_PREFIX = os.environ.get("QH_OC4IDS_PREFIX", "oc4ids-qh0000-")
NOTIFICATIONS_WEBHOOK_TIMEOUT = int(os.environ.get("NOTIFICATIONS_WEBHOOK_TIMEOUT", "5"))
NOTIFICATIONS_MAX_RETRIES = int(os.environ.get("NOTIFICATIONS_MAX_RETRIES", "5"))
# Celery's retry_backoff (apps/notifications/tasks.py): read when the worker starts, in whole
# seconds, at least 1. The tests' real-worker runs use Celery's minimum so retries come quickly.
NOTIFICATIONS_RETRY_BACKOFF = int(
    os.environ.get("NOTIFICATIONS_RETRY_BACKOFF", "1" if TESTING else "60")
)
NOTIFICATIONS_RETRY_BACKOFF_MAX = int(os.environ.get("NOTIFICATIONS_RETRY_BACKOFF_MAX", "3600"))

# --- Security (TLS) ---------------------------------------------------------------------------
# Plain HTTP works out of the box (docker compose up answers on http://host:8000). A deployment
# that serves HTTPS turns QH_HTTPS=1 on: redirect to https, secure cookies, HSTS for a year.
# Behind a TLS-terminating proxy also name the header it sets, e.g.
# SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto — only if the proxy always sets or strips it, since
# a client could otherwise claim https by sending the header itself.
QH_HTTPS = env_bool("QH_HTTPS", False)
_proxy_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip()
if _proxy_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", QH_HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]  # container health checks speak plain HTTP
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", QH_HTTPS)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", QH_HTTPS)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if QH_HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Intranet host names cannot be on the browsers' public preload list; opting in is
    # a deliberate choice per deployment (SECURE_HSTS_PRELOAD=1), not a default.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# A refused form (stale page, other origin) gets the platform's page, not Django's English one.
CSRF_FAILURE_VIEW = "apps.core.errors.csrf_failure"

# --- Accounts and abuse: lockout, passwords, sessions, API throttles (issue 9 §17) ----------
# django-axes counts failed logins per (username, client address): locking by address alone
# would lock a whole office behind one NAT, by username alone lets anyone lock out a colleague
# from anywhere. After QH_LOGIN_FAILURE_LIMIT failures that pair waits QH_LOGIN_COOLOFF_MINUTES
# (the lockout page says so, zh/en); an administrator unlocks at once by deleting the rows in
# admin → Axes → 登录失败记录 (or `manage.py axes_reset_username NAME`).
INSTALLED_APPS += ["axes"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out pair before checking
    "django.contrib.auth.backends.ModelBackend",
]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]  # last, as axes requires
AXES_FAILURE_LIMIT = int(os.environ.get("QH_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("QH_LOGIN_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The lockout page promises a time; attempts made while locked must not push it further.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "apps.accounts.security.lockout_response"
# The client address: REMOTE_ADDR, or — behind QH_TRUSTED_PROXY_COUNT reverse proxies that
# append to X-Forwarded-For — the entry those proxies added (never one the client wrote).
AXES_CLIENT_IP_CALLABLE = "apps.accounts.security.client_ip"
QH_TRUSTED_PROXY_COUNT = int(os.environ.get("QH_TRUSTED_PROXY_COUNT", "0"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "apps.accounts.security.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(os.environ.get("QH_PASSWORD_MIN_LENGTH", "10"))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# A session lasts SESSION_COOKIE_AGE seconds from sign-in (default 8 h, one working day);
# SESSION_EXPIRE_AT_BROWSER_CLOSE=1 also ends it when the browser closes. Not sliding: a
# session write on every request would cost every page a query.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", False)

# API throttles (apps/core/throttles.py): anonymous callers by address, signed-in callers
# (tokens and sessions) by user; over the rate → 429 with Retry-After. Counters live in the
# default cache: Redis when CACHE_URL (or a redis CELERY_BROKER_URL) is set — shared by every
# gunicorn worker — else per-process memory (the embedded default and the tests).
QH_API_THROTTLE_RATES = {
    "anon": os.environ.get("QH_API_THROTTLE_ANON", "10000/minute" if TESTING else "60/minute"),
    "user": os.environ.get("QH_API_THROTTLE_USER", "10000/minute" if TESTING else "1200/hour"),
}
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = [
    "apps.core.throttles.AnonThrottle",
    "apps.core.throttles.UserThrottle",
]
_CACHE_URL = os.environ.get("CACHE_URL", "")
if not _CACHE_URL and CELERY_BROKER_URL.startswith("redis") and not TESTING:
    _CACHE_URL = CELERY_BROKER_URL
if _CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _CACHE_URL,
            "KEY_PREFIX": "qh",
            # A Redis outage must not hang requests: fail fast (throttles then let calls through).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Content-Security-Policy (django-csp 4): only our own files run or style the pages. No
# template has an inline <script>, on…= handler or style="…" attribute (behaviour is bound
# from data attributes by static/js/app.js; charts read their data from json_script blocks,
# which are type=application/json and not executed). style-src 'self' therefore also blocks
# style attributes in markup; styles that Bootstrap, htmx and ECharts set from JavaScript
# (element.style) are CSSOM and allowed; ECharts tooltips draw in the canvas (richText), as
# its HTML tooltips carry style attributes. The API docs pages add their own allowances, scoped
# to those views in qhprojects/urls.py (ReDoc injects <style> elements and runs a blob: worker).
INSTALLED_APPS += ["csp"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}
# --- end of accounts and abuse ---------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

PAGE_SIZE_CHOICES = (20, 50, 100)
