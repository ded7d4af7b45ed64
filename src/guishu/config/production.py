"""Production settings: the base settings, hardened, behind a TLS-terminating reverse proxy.

Use with DJANGO_SETTINGS_MODULE=guishu.config.production. The environment must provide
GUISHU_SECRET_KEY, GUISHU_ALLOWED_HOSTS and DATABASE_URL; nothing falls back to a development
default. `guishu check --deploy` is clean with these settings (tests/security checks it).
"""

import os

from django.core.exceptions import ImproperlyConfigured

from guishu.config.logging import logging_config
from guishu.config.settings import *  # noqa: F403  (the profile is the base, then these)
from guishu.config.settings import database_settings, env_int


def required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in the environment for production.")
    return value


DEBUG = False
SECRET_KEY = required("GUISHU_SECRET_KEY")
ALLOWED_HOSTS = [host.strip() for host in required("GUISHU_ALLOWED_HOSTS").split(",")]
ALLOWED_HOSTS = [host for host in ALLOWED_HOSTS if host]
DATABASES = {"default": database_settings(required("DATABASE_URL"))}

# The proxy terminates TLS and says so in X-Forwarded-Proto; it must set (not pass through)
# that header, or a client could claim HTTPS over plain HTTP.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
# The same proxy appends the client's address to X-Forwarded-For, which the log-in throttle
# reads; set the count to the number of proxies in the chain.
GUISHU_TRUSTED_PROXY_COUNT = env_int("GUISHU_TRUSTED_PROXY_COUNT", 1)

# A year of HSTS for the host and its subdomains, eligible for the browsers' preload lists.
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True

# Static files: collected by `guishu collectstatic` into GUISHU_VAR_DIR/static and served by
# WhiteNoise from each web process, compressed and, under their content-hashed names, cached
# for a year; no separate file server needed (nginx may still serve /static/, docs/deploy.md).
MIDDLEWARE = list(MIDDLEWARE)  # noqa: F405
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Connections are kept for a minute and checked before reuse, instead of one per request.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("GUISHU_DB_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A read replica, when there is one: `guishu backup --database-url` can dump from it, and
# read-only work (reports) may be pointed at it (docs/deploy.md, scaling out).
if os.environ.get("DATABASE_REPLICA_URL", "").strip():
    DATABASES["replica"] = database_settings(os.environ["DATABASE_REPLICA_URL"].strip())
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}

# One JSON object a line, with the request id, unless GUISHU_LOG_FORMAT=text.
GUISHU_LOG_FORMAT = os.environ.get("GUISHU_LOG_FORMAT", "json")
LOGGING = logging_config(
    log_format=GUISHU_LOG_FORMAT, level=os.environ.get("GUISHU_LOG_LEVEL", "INFO")
)
