"""Request ids, JSON logs, and the slow-request and task-failure counts."""

import json
import logging

import pytest
from django.core.management import call_command
from django.test import Client

from guishu.config.logging import NO_REQUEST, JsonFormatter, RequestIdFilter, request_id
from guishu.ops.counters import ops_count_add, ops_counts
from guishu.ops.models import OpsCount
from tests.ops.failing_tasks import always_fails

pytestmark = pytest.mark.db_facing


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.addFilter(RequestIdFilter())
        self.setFormatter(JsonFormatter())
        self.lines: list[dict[str, object]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
def access_log():
    handler = Collect()
    logger = logging.getLogger("guishu.request")
    logger.addHandler(handler)
    old = logger.level
    logger.setLevel(logging.DEBUG)
    yield handler.lines
    logger.removeHandler(handler)
    logger.setLevel(old)


def test_a_sane_incoming_request_id_is_kept_and_logged(access_log):
    response = Client().get("/healthz", HTTP_X_REQUEST_ID="lb-4f1c2a9e-0001")
    assert response["X-Request-ID"] == "lb-4f1c2a9e-0001"
    [line] = access_log
    assert line["request_id"] == "lb-4f1c2a9e-0001"
    assert line["status"] == 200 and line["path"] == "/healthz" and line["route"] == "healthz"
    assert line["level"] == "DEBUG"  # probes are logged quietly


@pytest.mark.parametrize("bad", ["", "short", "a" * 200, "id with spaces", "<script>x</script>"])
def test_an_insane_request_id_is_replaced(bad, access_log):
    response = Client().get("/healthz", HTTP_X_REQUEST_ID=bad)
    assert response["X-Request-ID"] != bad
    assert len(response["X-Request-ID"]) == 32
    assert access_log[-1]["request_id"] == response["X-Request-ID"]


@pytest.mark.django_db
def test_every_request_gets_an_id_and_one_access_line_without_its_query(cast, access_log):
    client = Client()
    client.force_login(cast.alice)
    response = client.get("/customers/?q=13800138000")
    rid = response["X-Request-ID"]
    mine = [entry for entry in access_log if entry["request_id"] == rid]
    [line] = [entry for entry in mine if entry["level"] == "INFO"]  # (+ a warning if slow)
    assert line["path"] == "/customers/" and line["user_id"] == cast.alice.pk
    assert "13800138000" not in json.dumps(line)


@pytest.mark.django_db
def test_slow_requests_are_counted_per_route_and_hour(settings, access_log):
    settings.GUISHU_SLOW_REQUEST_MS = 0  # every request is slow
    for _ in range(3):
        Client().get("/healthz")
    assert OpsCount.objects.get(metric="slow_request", key="healthz").count == 3
    assert any(str(line["message"]).startswith("slow request") for line in access_log)
    counts = ops_counts()
    assert counts["slow_request"]["total"] == 3  # type: ignore[index]


@pytest.mark.django_db
def test_fast_requests_are_not_counted(settings):
    settings.GUISHU_SLOW_REQUEST_MS = 60_000
    Client().get("/healthz")
    assert not OpsCount.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_failed_tasks_are_counted(allow_flush):
    always_fails.enqueue()
    always_fails.enqueue()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--queue-name", "*")
    row = OpsCount.objects.get(metric="task_failure")
    assert row.count == 2
    assert row.key == "tests.ops.failing_tasks.always_fails"


@pytest.mark.django_db
def test_counts_from_two_hours_add_up():
    from datetime import UTC, datetime

    ops_count_add(metric="slow_request", key="a", now=datetime(2026, 12, 1, 9, 10, tzinfo=UTC))
    ops_count_add(metric="slow_request", key="a", now=datetime(2026, 12, 1, 9, 50, tzinfo=UTC))
    ops_count_add(metric="slow_request", key="a", now=datetime(2026, 12, 1, 10, 5, tzinfo=UTC))
    rows = OpsCount.objects.order_by("hour").values_list("count", flat=True)
    assert list(rows) == [2, 1]
    counts = ops_counts(now=datetime(2026, 12, 1, 10, 30, tzinfo=UTC))
    assert counts["slow_request"]["total"] == 3  # type: ignore[index]


def test_the_json_formatter_writes_one_object_with_extras():
    record = logging.makeLogRecord(
        {"name": "guishu.x", "levelname": "INFO", "msg": "hello %s", "args": ("世界",), "n": 3}
    )
    request_id.set(NO_REQUEST)  # outside any request
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "hello 世界" and line["n"] == 3 and line["request_id"] == "-"


@pytest.mark.django_db
def test_counting_a_slow_request_costs_it_no_queries_in_a_query_budget(settings, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(cast.alice)
    client.get("/customers/")  # warm up (sessions, caches)
    with CaptureQueriesContext(connection) as fast:
        client.get("/customers/")
    settings.GUISHU_SLOW_REQUEST_MS = 0
    with CaptureQueriesContext(connection) as slow:
        client.get("/customers/")
    assert len(slow) == len(fast)
    assert OpsCount.objects.get(metric="slow_request").key == "customer-list"
