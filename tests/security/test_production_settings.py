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
