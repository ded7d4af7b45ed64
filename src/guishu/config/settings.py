"""Guishu settings, read from the environment (12-factor).

SQLite is the zero-set-up default; set DATABASE_URL (e.g. postgres://user@host/db) for PostgreSQL.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from guishu.config.logging import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GUISHU_VAR_DIR", Path.cwd() / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


DEBUG = env_flag("GUISHU_DEBUG", True)
SECRET_KEY = os.environ.get("GUISHU_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("GUISHU_SECRET_KEY must be set when GUISHU_DEBUG is off")
    # Only in debug mode, and check --deploy flags it: a placeholder, not a secret.
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105  # nosec B105

ALLOWED_HOSTS = [h for h in os.environ.get("GUISHU_ALLOWED_HOSTS", "").split(",") if h]
if DEBUG:
    ALLOWED_HOSTS += ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "guishu.accounts",
    "guishu.customers",
    "guishu.ownership",
    "guishu.policies",
    "guishu.pools",
    "guishu.disputes",
    "guishu.activities",
    "guishu.territories",
    "guishu.web",
    "guishu.api",
    "guishu.ops",
    "guishu.notifications",
    "guishu.imports",
    "guishu.privacy",
    "guishu.pipeline",
    "guishu.reports",
    "guishu.discipline",
]

# Security headers first, so every response carries them; the idle timeout sits after the user is
# known (and messages can be left for the login page) and before LoginRequiredMiddleware, which
# then sends a timed-out visitor to log in like any other anonymous one. See docs/security.md.
MIDDLEWARE = [
    # First: every response and every log line of a request carry its id (docs/observability.md).
    "guishu.ops.middleware.RequestIdMiddleware",
    # /healthz and /readyz, ahead of the host check, HTTPS redirect and login (guishu.ops.probes).
    "guishu.ops.probes.ProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "guishu.accounts.middleware.IdleSessionTimeoutMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "guishu.web.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "guishu.config.urls"
WSGI_APPLICATION = "guishu.config.wsgi.application"
ASGI_APPLICATION = "guishu.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Searched before the apps' folders, so guishu.web can override third-party templates
        # (drf_spectacular/redoc.html, rewritten to run under the CSP).
        "DIRS": [BASE_DIR / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.csp",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "guishu.web.context_processors.frame",
            ],
        },
    },
]


def database_settings(url: str | None) -> dict[str, object]:
    """DATABASE_URL when set; otherwise SQLite tuned for concurrent writers.

    WAL lets readers run beside the writer; IMMEDIATE transactions take the write lock at BEGIN,
    so competing writers queue on the busy timeout instead of failing mid-transaction with
    "database is locked" when they upgrade a read lock.
    """
    if url:
        config = dict(dj_database_url.parse(url, conn_max_age=0))
    else:
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": VAR_DIR / "guishu.sqlite3"}
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON;",
        }
        # A file, not memory: the concurrency tests need real connections from many threads.
        config["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
    return config


DATABASES = {"default": database_settings(os.environ.get("DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Log-in throttling (guishu.accounts.throttle): this many failures within the window lock the
# username, or the client address, for the lockout period.
GUISHU_LOGIN_USERNAME_FAILURES = env_int("GUISHU_LOGIN_USERNAME_FAILURES", 5)
GUISHU_LOGIN_ADDRESS_FAILURES = env_int("GUISHU_LOGIN_ADDRESS_FAILURES", 30)
GUISHU_LOGIN_WINDOW_MINUTES = env_int("GUISHU_LOGIN_WINDOW_MINUTES", 15)
GUISHU_LOGIN_LOCKOUT_MINUTES = env_int("GUISHU_LOGIN_LOCKOUT_MINUTES", 15)
# How many reverse proxies in front of Guishu append to X-Forwarded-For; 0 trusts no header and
# counts failures by the connecting address.
GUISHU_TRUSTED_PROXY_COUNT = env_int("GUISHU_TRUSTED_PROXY_COUNT", 0)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("GUISHU_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"

# Sessions live in the database: guishu.accounts.UserSession points at their rows, which is what
# lets disabling a user end every one of their sessions at once.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# The absolute age: fixed when the user logs in (guishu.accounts.sessions), not renewed by use.
SESSION_COOKIE_AGE = 12 * 60 * 60
# A session unused for this long is logged out (guishu.accounts.middleware).
GUISHU_SESSION_IDLE_MINUTES = env_int("GUISHU_SESSION_IDLE_MINUTES", 60)

# Cookies: never readable by scripts, not sent on cross-site subrequests. The Secure flag needs
# HTTPS, so the production profile (guishu.config.production) turns it on.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # the pages post the token from the form, never read the cookie
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Everything from our own origin; no inline script or style unless it carries the request's
# nonce (only the API docs page needs one: Redoc injects its styles with it).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    # data: images cannot run script; Redoc draws its link icons with them.
    "img-src": [CSP.SELF, "data:"],
    # Redoc's search index runs in a worker it builds from a blob: URL. A worker cannot touch
    # the page, and only script already allowed to run here can create one.
    "worker-src": [CSP.SELF, "blob:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# The REST API (guishu.api): personal tokens or the session; every endpoint needs a signed-in user
# unless it says otherwise; errors are RFC 9457 problem details with stable codes.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "guishu.api.auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "guishu.api.pagination.PageNumberPagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
    "EXCEPTION_HANDLER": "guishu.api.errors.problem_response",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": os.environ.get("GUISHU_API_RATE", "600/minute")},
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Guishu API",
    "DESCRIPTION": "Customer ownership: registration, collision checks, the pool, and the audit "
    "trail. Authenticate with a personal token (`Authorization: Token <key>`) or the session.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # The `id` converter of guishu.api.urls takes any segment, but an id is an integer.
    "PATH_CONVERTER_OVERRIDES": {"id": int},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "guishu.api.errors.document_problems",
    ],
    "ENUM_NAME_OVERRIDES": {
        "CustomerKindEnum": "guishu.customers.models.Customer.Kind",
        "ActivityKindEnum": "guishu.activities.models.Activity.Kind",
    },
}

# Notifications (guishu.notifications, docs/notifications.md): the inbox, e-mail digests and
# group-chat bots. A destination's notices wait DIGEST_MINUTES and leave as one message of at
# most DIGEST_MAX_ITEMS lines; a webhook gets at most WEBHOOK_PER_MINUTE messages a minute
# (WeCom and DingTalk allow 20); a failed send is retried after 1, 2, 4 ... minutes (capped)
# up to MAX_ATTEMPTS times. WEBHOOK_HOSTS adds hosts (comma-separated) beyond the platforms'.
# The reports that group a period's activities per customer split the customers into this many
# id ranges and, on PostgreSQL, group them at once on as many connections (docs/reports.md).
GUISHU_REPORT_SHARDS = env_int("GUISHU_REPORT_SHARDS", 2)
# The home page's customer dates and the due-contacts lists judge every customer in view one by
# one; above this many (a whole large company, for a director) they point to the reports and
# the managers' lists instead of taking half a minute (docs/pages.md).
GUISHU_LIST_JUDGE_LIMIT = env_int("GUISHU_LIST_JUDGE_LIMIT", 200_000)

GUISHU_NOTIFICATIONS_PROTECTION_DAYS = env_int("GUISHU_NOTIFICATIONS_PROTECTION_DAYS", 3)
GUISHU_NOTIFICATIONS_DIGEST_MINUTES = env_int("GUISHU_NOTIFICATIONS_DIGEST_MINUTES", 5)
GUISHU_NOTIFICATIONS_DIGEST_MAX_ITEMS = env_int("GUISHU_NOTIFICATIONS_DIGEST_MAX_ITEMS", 20)
GUISHU_NOTIFICATIONS_WEBHOOK_PER_MINUTE = env_int("GUISHU_NOTIFICATIONS_WEBHOOK_PER_MINUTE", 20)
GUISHU_NOTIFICATIONS_MAX_ATTEMPTS = env_int("GUISHU_NOTIFICATIONS_MAX_ATTEMPTS", 8)
GUISHU_NOTIFICATIONS_RETRY_CAP_MINUTES = env_int("GUISHU_NOTIFICATIONS_RETRY_CAP_MINUTES", 60)
GUISHU_NOTIFICATIONS_SAFETY_NET_MINUTES = env_int("GUISHU_NOTIFICATIONS_SAFETY_NET_MINUTES", 5)
GUISHU_NOTIFICATIONS_HTTP_TIMEOUT = env_int("GUISHU_NOTIFICATIONS_HTTP_TIMEOUT", 10)
GUISHU_NOTIFICATIONS_WEBHOOK_HOSTS = [
    host.strip()
    for host in os.environ.get("GUISHU_NOTIFICATIONS_WEBHOOK_HOSTS", "").split(",")
    if host.strip()
]
# E-mail (Django 6.1's MAILERS): the backend the environment names, else the console in
# development (messages are printed, not sent) and SMTP otherwise, with a timeout on every call.
# Development is this settings module with debug on; the production profile (which imports this
# one, then turns debug off) gets SMTP.
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
IN_DEVELOPMENT = DEBUG and os.environ.get("DJANGO_SETTINGS_MODULE", __name__) == __name__
EMAIL_BACKEND_PATH = os.environ.get("GUISHU_EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend" if IN_DEVELOPMENT else SMTP_BACKEND
)
MAILERS = {
    "default": {
        "BACKEND": EMAIL_BACKEND_PATH,
        "OPTIONS": {
            "host": os.environ.get("GUISHU_EMAIL_HOST", "localhost"),
            "port": env_int("GUISHU_EMAIL_PORT", 25),
            "username": os.environ.get("GUISHU_EMAIL_USER", ""),
            "password": os.environ.get("GUISHU_EMAIL_PASSWORD", ""),
            "use_tls": env_flag("GUISHU_EMAIL_TLS", False),
            "timeout": env_int("GUISHU_EMAIL_TIMEOUT", 10),
        }
        if EMAIL_BACKEND_PATH == SMTP_BACKEND
        else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("GUISHU_EMAIL_FROM", "guishu@localhost")
# One name in the API schema for the kinds of notification (fields `kind` and `kinds`).
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["NotificationKindEnum"] = (  # type: ignore[index]
    "guishu.notifications.models.Kind"
)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(  # type: ignore[attr-defined]
    {
        # Two choice sets are called "role" now; each gets its name (users' keeps its own).
        "RoleEnum": "guishu.accounts.models.User.RoleChoice",
        "CollaborationRoleEnum": "guishu.disputes.models.Collaboration.Role",
        "HandoverStatusEnum": "guishu.ownership.models.HandoverPlan.Status",
        "HandoverChoiceEnum": "guishu.ownership.models.HandoverItem.Choice",
        "DisputeStatusEnum": "guishu.disputes.models.Dispute.Status",
        "DisputeOptionEnum": "guishu.disputes.models.Dispute.Option",
        "DisputeSettlementEnum": "guishu.disputes.models.Dispute.Settlement",
        "ViolationKindEnum": "guishu.disputes.models.Violation.Kind",
        "ViolationStatusEnum": "guishu.disputes.models.Violation.Status",
        "ImportKindEnum": "guishu.imports.models.Kind",
        "ImportStatusEnum": "guishu.imports.models.ImportJob.Status",
        "PrivacyRequestKindEnum": "guishu.privacy.models.PrivacyRequest.Kind",
        "PrivacyRequestStatusEnum": "guishu.privacy.models.PrivacyRequest.Status",
        "ActivityChannelEnum": "guishu.activities.models.Activity.Channel",
        "PlanItemChannelEnum": "guishu.discipline.models.PlanItem.Channel",
    }
)

# Console logs with the request id on every line; GUISHU_LOG_FORMAT=json for one JSON object a
# line (the production profile's default). See guishu.config.logging and docs/observability.md.
GUISHU_LOG_FORMAT = os.environ.get("GUISHU_LOG_FORMAT", "text")
LOGGING = logging_config(
    log_format=GUISHU_LOG_FORMAT, level=os.environ.get("GUISHU_LOG_LEVEL", "INFO")
)

# Operations (guishu.ops, docs/observability.md): a request slower than this is logged and
# counted; the worker beats every HEARTBEAT_SECONDS and /readyz fails when no worker beat
# within HEARTBEAT_MAX_AGE seconds (0 leaves the worker out of readiness).
GUISHU_SLOW_REQUEST_MS = env_int("GUISHU_SLOW_REQUEST_MS", 1000)
GUISHU_WORKER_HEARTBEAT_SECONDS = env_int("GUISHU_WORKER_HEARTBEAT_SECONDS", 15)
GUISHU_WORKER_HEARTBEAT_MAX_AGE = env_int("GUISHU_WORKER_HEARTBEAT_MAX_AGE", 120)
# Privacy requests (guishu.privacy, docs/privacy.md): answered within DUE_DAYS (PIPL: 15);
# activity notes and outcomes older than RETENTION_DAYS are blanked daily (0 keeps them).
GUISHU_PRIVACY_DUE_DAYS = env_int("GUISHU_PRIVACY_DUE_DAYS", 15)
GUISHU_ACTIVITY_TEXT_RETENTION_DAYS = env_int("GUISHU_ACTIVITY_TEXT_RETENTION_DAYS", 0)
