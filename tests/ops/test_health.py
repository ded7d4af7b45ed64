"""/healthz and /readyz: no login, JSON, 503 naming what failed, nothing sensitive."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from guishu.ops import health
from guishu.ops.heartbeat import worker_beat

pytestmark = pytest.mark.db_facing


@pytest.fixture(autouse=True)
def _fresh_checks():
    health.forget()
    yield
    health.forget()


def beat(seconds_ago: float) -> None:
    at = timezone.now() - timedelta(seconds=seconds_ago)
    worker_beat(worker="test:1:1", started_at=at, now=at)


def test_liveness_answers_anonymous_callers_without_the_database(client: Client):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_ready_when_the_database_answers_migrations_are_applied_and_a_worker_beat():
    beat(seconds_ago=5)
    response = Client().get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "worker": "ok"},
        "failed": [],
    }


@pytest.mark.django_db
def test_not_ready_without_any_worker():
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["worker"]
    assert response.json()["checks"]["worker"] == "missing"


@pytest.mark.django_db
def test_not_ready_when_the_last_heartbeat_is_too_old(settings):
    settings.GUISHU_WORKER_HEARTBEAT_MAX_AGE = 60
    beat(seconds_ago=61)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == "stale"
    beat(seconds_ago=1)  # the same worker beats again
    assert Client().get("/readyz").status_code == 200


@pytest.mark.django_db
def test_the_worker_check_can_be_turned_off(settings):
    settings.GUISHU_WORKER_HEARTBEAT_MAX_AGE = 0
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["worker"] == "not_checked"


@pytest.mark.django_db
def test_not_ready_while_a_migration_is_not_applied():
    beat(seconds_ago=1)
    with connection.cursor() as cursor:  # as if the code were newer than the database
        cursor.execute(
            "DELETE FROM django_migrations WHERE app = 'ops' AND name = "
            "'0002_workerheartbeat_opscount'"
        )
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["migrations"]
    assert response.json()["checks"]["migrations"] == "pending"


def test_not_ready_when_the_database_is_unreachable(monkeypatch):
    def refuse() -> str:
        return "unreachable"

    monkeypatch.setattr(health, "_database", refuse)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "unreachable", "migrations": "unknown", "worker": "unknown"},
        "failed": ["database", "migrations", "worker"],
    }


@pytest.mark.django_db
def test_the_answers_hold_one_word_per_check_and_nothing_else():
    beat(seconds_ago=1)
    body = Client().get("/readyz").content.decode()
    for secret in ("sqlite", "postgres", "Traceback", "test:1:1", connection.settings_dict["NAME"]):
        assert str(secret) not in body


@pytest.mark.django_db
def test_probes_answer_any_host_over_plain_http_without_a_redirect(settings):
    """A load balancer probes by address, over HTTP: neither the host check nor the HTTPS
    redirect of production may turn the probe away."""
    settings.ALLOWED_HOSTS = ["crm.example.com"]
    settings.SECURE_SSL_REDIRECT = True
    settings.GUISHU_WORKER_HEARTBEAT_MAX_AGE = 0
    for path in ("/healthz", "/readyz"):
        response = Client().get(path, HTTP_HOST="10.0.0.7:8000")
        assert response.status_code == 200, (path, response.status_code)
        assert response["Cache-Control"] == "no-store"
        assert response["X-Content-Type-Options"] == "nosniff"
    # Real traffic still meets both.
    assert Client().get("/customers/", HTTP_HOST="10.0.0.7:8000").status_code == 400


def test_probes_refuse_other_methods():
    response = Client().post("/readyz")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
