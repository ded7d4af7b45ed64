"""Fixtures for notifications: a real HTTP server standing in for the chat platforms, channels
pointing at it, and helpers to run the fan-out, the digests and the sends at a fixed moment."""

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from guishu.disputes.models import Collision
from guishu.notifications.digests import digests_collect
from guishu.notifications.fanout import notifications_fanout
from guishu.notifications.models import Channel, Notification
from guishu.notifications.sending import SendReport, digests_send_due
from tests.factories import register

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


@dataclass
class Received:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class WebhookServer:
    """A local HTTP server that records every request and answers from a script (the last
    answer repeats): a platform we can watch and make fail."""

    port: int
    received: list[Received] = field(default_factory=list)
    answers: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str = "/robot/send?access_token=t0ken") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def answer(self, *answers: tuple[int, dict[str, Any]]) -> None:
        self.answers = list(answers)

    def next_answer(self) -> tuple[int, dict[str, Any]]:
        with self.lock:
            if len(self.answers) > 1:
                return self.answers.pop(0)
            return self.answers[0] if self.answers else (200, {"errcode": 0, "errmsg": "ok"})


def _handler(server: WebhookServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            parts = urlsplit(self.path)
            with server.lock:
                server.received.append(
                    Received(parts.path, parse_qs(parts.query), dict(self.headers), body)
                )
            status, answer = server.next_answer()
            payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep the test output quiet

    return Handler


@pytest.fixture
def webhook_server() -> Iterator[WebhookServer]:
    holder = WebhookServer(port=0)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(holder))
    holder.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield holder
    httpd.shutdown()
    httpd.server_close()


def make_channel(server: WebhookServer, platform: str = "dingtalk", **fields: Any) -> Channel:
    fields.setdefault("name", f"{platform} bot")
    fields.setdefault("language", "en")
    return Channel.objects.create(platform=platform, url=server.url(), **fields)


def collisions(cast, count: int, *, at=NOW, name: str = "Mueller Industrietechnik GmbH"):  # type: ignore[no-untyped-def]
    """Bob works Alice's customer `count` times."""
    customer = register(cast.alice, name)
    for _ in range(count):
        Collision.objects.create(
            customer=customer,
            attempted_by=cast.bob,
            owner=cast.alice,
            owner_since=at,
            action="follow_up",
            at=at,
        )
    return customer


def deliver(now: datetime = NOW) -> SendReport:
    """Fan out what is committed, gather what has waited its window, send what is due."""
    notifications_fanout(now=now)
    digests_collect(now=now)
    return digests_send_due(now=now)


def told(**filters: Any) -> list[tuple[str, str]]:
    """(recipient username, kind) of every notification, in order."""
    rows = Notification.objects.filter(**filters).order_by("pk")
    return [(row.recipient.username, row.kind) for row in rows.select_related("recipient")]


@pytest.fixture(autouse=True)
def _english_and_no_waiting(settings: Any) -> None:
    """Texts read in English; a digest leaves at once unless a test sets a window."""
    settings.LANGUAGE_CODE = "en"
    settings.GUISHU_NOTIFICATIONS_DIGEST_MINUTES = 0
