"""The production profile: `guishu check --deploy` is clean, the hardening settings hold, and
nothing starts without its secrets. Each check runs `guishu` in a fresh process, as a deploy
would; none needs a database."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLE = {
    "DJANGO_SETTINGS_MODULE": "guishu.config.production",
    "GUISHU_SECRET_KEY": secrets.token_urlsafe(50),
    "GUISHU_ALLOWED_HOSTS": "crm.example.com",
    "DATABASE_URL": "postgres://guishu@db.example.invalid:5432/guishu",
}


def guishu(*args: str, env: dict[str, str], var_dir: Path) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("GUISHU_", "DJANGO_"))}
    base.pop("DATABASE_URL", None)
    return subprocess.run(  # noqa: S603  (our own interpreter and arguments)
        [sys.executable, "-m", "guishu.cli", *args],
        env={**base, "GUISHU_VAR_DIR": str(var_dir), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean(tmp_path):
    result = guishu("check", "--deploy", "--fail-level", "WARNING", env=SAMPLE, var_dir=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_development_settings_would_not_pass(tmp_path):
    """The check above can fail: the same command on the base settings finds problems."""
    development = {**SAMPLE, "DJANGO_SETTINGS_MODULE": "guishu.config.settings"}
    result = guishu(
        "check", "--deploy", "--fail-level", "WARNING", env=development, var_dir=tmp_path
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout  # no HSTS


PRINT_SETTINGS = """
import json
from django.conf import settings
names = [
    "DEBUG", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "LANGUAGE_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_HTTPONLY", "GUISHU_TRUSTED_PROXY_COUNT",
]
print(json.dumps({name: getattr(settings, name) for name in names}))
"""


def test_the_profile_hardens_what_it_says(tmp_path):
    result = guishu("shell", "--no-imports", "-c", PRINT_SETTINGS, env=SAMPLE, var_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "DEBUG": False,
        "ALLOWED_HOSTS": ["crm.example.com"],
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "LANGUAGE_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "GUISHU_TRUSTED_PROXY_COUNT": 1,
    }


@pytest.mark.parametrize("missing", ["GUISHU_SECRET_KEY", "GUISHU_ALLOWED_HOSTS", "DATABASE_URL"])
def test_each_required_variable_is_required(tmp_path, missing):
    env = {name: value for name, value in SAMPLE.items() if name != missing}
    env["GUISHU_DEBUG"] = "1"  # not even debug mode lets production start without it
    result = guishu("check", env=env, var_dir=tmp_path)
    assert result.returncode != 0
    assert f"{missing} must be set in the environment for production" in result.stderr


PRINT_OPERATIONS = """
import json
from django.conf import settings
handler = settings.LOGGING["handlers"]["console"]
MW = settings.MIDDLEWARE
print(json.dumps({
    "formatter": handler["formatter"],
    "filters": handler["filters"],
    "whitenoise_after_security": MW.index("whitenoise.middleware.WhiteNoiseMiddleware")
        == MW.index("django.middleware.security.SecurityMiddleware") + 1,
    "request_id_first": settings.MIDDLEWARE[:2]
        == ["guishu.ops.middleware.RequestIdMiddleware", "guishu.ops.probes.ProbeMiddleware"],
    "staticfiles": settings.STORAGES["staticfiles"]["BACKEND"],
    "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
    "health_checks": settings.DATABASES["default"]["CONN_HEALTH_CHECKS"],
}))
"""


def test_the_profile_logs_json_and_serves_static_files_itself(tmp_path):
    result = guishu("shell", "--no-imports", "-c", PRINT_OPERATIONS, env=SAMPLE, var_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "formatter": "json",
        "filters": ["request_id"],
        "whitenoise_after_security": True,
        "request_id_first": True,
        "staticfiles": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "conn_max_age": 60,
        "health_checks": True,
    }


SERVE = """
import json
from django.test import Client
client = Client()
static = client.get("/static/guishu/app.css", secure=True, HTTP_HOST="crm.example.com")
alive = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
ready = client.get("/readyz", HTTP_HOST="10.0.0.7:8000")
page = client.get("/customers/", HTTP_HOST="crm.example.com")
print(json.dumps({
    "static": static.status_code,
    "alive": alive.status_code,
    "ready": ready.status_code,
    "ready_body": ready.json(),
    "page": [page.status_code, page.get("Location")],
}))
"""


def test_collected_static_files_and_probes_answer_without_a_database(tmp_path):
    """Deployed as docs/deploy.md says: collectstatic, then the web process. With the database
    down, liveness still answers, readiness names the database, and nothing is leaked; real
    traffic over plain HTTP is sent to HTTPS."""
    down = {**SAMPLE, "DATABASE_URL": "postgres://guishu@127.0.0.1:9/guishu"}
    collected = guishu("collectstatic", "--no-input", env=down, var_dir=tmp_path)
    assert collected.returncode == 0, collected.stderr
    result = guishu("shell", "--no-imports", "-c", SERVE, env=down, var_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    line = result.stdout.strip().splitlines()[-1]
    values = json.loads(line)
    assert values["static"] == 200
    assert values["alive"] == 200
    assert values["ready"] == 503
    assert values["ready_body"]["failed"] == ["database", "migrations", "worker"]
    assert values["page"] == [301, "https://crm.example.com/customers/"]
    assert "127.0.0.1:9" not in line and "guishu@" not in line
    # The JSON log lines carry the request id.
    logged = [json.loads(x) for x in result.stderr.splitlines() if x.startswith("{")]
    assert any(entry.get("request_id", "-") != "-" for entry in logged)
