"""Deliveries to a real local HTTP server and to Django's locmem outbox: digests gather a
destination's notices, the rate limit holds back the 21st message of a minute (also with
several workers at once), failures are retried with backoff and, when they never succeed,
shown to administrators."""

import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult
from rest_framework.test import APIClient

from guishu.disputes.models import Collision
from guishu.notifications.digests import digests_collect
from guishu.notifications.fanout import notifications_fanout
from guishu.notifications.models import DeliveryAttempt, Digest
from guishu.notifications.sending import backoff, digests_send_due
from guishu.notifications.tasks import notifications_pump, notifications_pump_task
from tests.factories import make_cast, register
from tests.notifications.conftest import NOW, collisions, deliver, make_channel

pytestmark = pytest.mark.db_facing

MINUTE = timedelta(minutes=1)


def give_email(*users) -> None:  # type: ignore[no-untyped-def]
    for user in users:
        user.email = f"{user.username}@guishu.example"
        user.save(update_fields=["email"])


# --- digests --------------------------------------------------------------------------------


def test_a_destinations_notices_wait_for_the_window_then_leave_as_one_message(
    cast, webhook_server, settings
):
    settings.GUISHU_NOTIFICATIONS_DIGEST_MINUTES = 5
    make_channel(webhook_server)
    give_email(cast.alice, cast.dave)
    collisions(cast, 2)
    delta = register(cast.dave, "Delta Trading Co")
    Collision.objects.create(
        customer=delta, attempted_by=cast.alice, owner=cast.dave, owner_since=NOW,
        action="claim", at=NOW,
    )  # fmt: skip
    notifications_fanout(now=NOW)
    collisions(cast, 1, at=NOW + 3 * MINUTE, name="Shenzhen Hengda Motors")
    notifications_fanout(now=NOW + 3 * MINUTE)  # joins the windows already open
    assert digests_collect(now=NOW + 5 * MINUTE - timedelta(seconds=1)) == 0
    assert digests_collect(now=NOW + 5 * MINUTE) == 3  # the channel, Alice's and Dave's mail
    assert digests_send_due(now=NOW + 5 * MINUTE).outcomes == {"sent": 3}

    [posted] = webhook_server.received
    text = posted.body["markdown"]["text"]
    assert posted.body["markdown"]["title"] == "Guishu: 4 notifications"
    assert text.count("\n- ") == 4 and "Delta Trading Co" in text
    mails = {message.to[0]: message for message in mail.outbox}
    assert sorted(mails) == ["alice@guishu.example", "dave@guishu.example"]
    assert mails["alice@guishu.example"].subject == "Guishu: 3 notifications"
    assert mails["alice@guishu.example"].body.count("- Collision on") == 3
    assert mails["dave@guishu.example"].body == (
        "- Collision on Delta Trading Co (Dave): claim by Alice"
    )


def test_a_digest_longer_than_a_message_allows_is_split_and_nothing_is_lost(cast, webhook_server):
    make_channel(webhook_server, platform="wecom")
    # 190 characters of Chinese: 570 bytes a line; WeCom takes 4096 bytes a message.
    collisions(cast, 12, name="深圳恒达电机有限公司" * 19)
    for _ in range(6):
        deliver()
    assert Digest.objects.filter(status="sent").count() == len(webhook_server.received) > 1
    contents = [posted.body["markdown"]["content"] for posted in webhook_server.received]
    assert all(len(content.encode()) <= 4096 for content in contents)
    assert sum(content.count("\n> ") for content in contents) == 12


def test_messages_hold_at_most_the_configured_lines(cast, webhook_server, settings):
    settings.GUISHU_NOTIFICATIONS_DIGEST_MAX_ITEMS = 2
    make_channel(webhook_server)
    collisions(cast, 3)
    assert deliver().outcomes == {"sent": 2}
    titles = sorted(posted.body["markdown"]["title"] for posted in webhook_server.received)
    assert titles == ["Guishu: 1 notification", "Guishu: 2 notifications"]


# --- the rate limit -------------------------------------------------------------------------


def test_the_21st_message_within_a_minute_waits_for_the_minute_to_pass(
    cast, webhook_server, settings
):
    settings.GUISHU_NOTIFICATIONS_DIGEST_MAX_ITEMS = 1
    make_channel(webhook_server)
    collisions(cast, 21)
    assert deliver().outcomes == {"sent": 20, "deferred": 1}
    assert len(webhook_server.received) == 20
    waiting = Digest.objects.get(status="pending")
    assert waiting.next_attempt_at == NOW + MINUTE and waiting.attempts == 0
    assert digests_send_due(now=NOW + MINUTE - timedelta(seconds=1)).outcomes == {}
    assert digests_send_due(now=NOW + MINUTE).outcomes == {"sent": 1}
    assert len(webhook_server.received) == 21


@pytest.mark.django_db(transaction=True)
def test_workers_sending_at_once_share_one_limit(allow_flush, webhook_server, settings):
    settings.GUISHU_NOTIFICATIONS_DIGEST_MAX_ITEMS = 1
    cast = make_cast()
    make_channel(webhook_server)
    collisions(cast, 26)
    notifications_fanout(now=NOW)
    digests_collect(now=NOW)
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def worker() -> None:
        try:
            barrier.wait()
            digests_send_due(now=NOW)
        except BaseException as error:  # every failure must reach the assertion
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(webhook_server.received) == 20
    assert Digest.objects.filter(status="sent").count() == 20
    assert Digest.objects.filter(status="pending", next_attempt_at=NOW + MINUTE).count() == 6


# --- failures -------------------------------------------------------------------------------


def test_the_backoff_doubles_from_a_minute_up_to_an_hour():
    assert [backoff(attempt) for attempt in range(1, 10)] == [
        timedelta(minutes=minutes) for minutes in (1, 2, 4, 8, 16, 32, 60, 60, 60)
    ]


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ((500, {"error": "down"}), "HTTP 500 Internal Server Error"),
        ((200, {"errcode": 310000, "errmsg": "sign not match"}), "310000: sign not match"),
        ((302, {}), "HTTP 302 Found"),  # a webhook that redirects is not followed
    ],
)
def test_a_refusal_is_recorded_with_what_the_platform_said(cast, webhook_server, answer, error):
    webhook_server.answer(answer)
    make_channel(webhook_server)
    collisions(cast, 1)
    assert deliver().outcomes == {"retrying": 1}
    attempt = DeliveryAttempt.objects.get()
    assert (attempt.outcome, attempt.http_status, attempt.error) == ("failed", answer[0], error)
    assert attempt.next_retry_at == NOW + MINUTE


def test_a_failing_webhook_is_retried_with_backoff_then_fails_for_good_and_admins_see_it(
    cast, webhook_server, settings
):
    settings.GUISHU_NOTIFICATIONS_MAX_ATTEMPTS = 3
    webhook_server.answer((500, {"error": "down"}))
    make_channel(webhook_server, name="East group")
    collisions(cast, 1)
    notifications_pump(now=NOW)
    # The retry is the task backend's: the next pump waits in the queue until then.
    pump = DBTaskResult.objects.get(task_path=notifications_pump_task.module_path)
    assert pump.status == "READY" and pump.run_after == NOW + MINUTE
    assert digests_send_due(now=NOW + MINUTE - timedelta(seconds=1)).outcomes == {}
    assert digests_send_due(now=NOW + MINUTE).outcomes == {"retrying": 1}
    assert digests_send_due(now=NOW + 3 * MINUTE).outcomes == {"failed": 1}
    assert digests_send_due(now=NOW + 2 * 60 * MINUTE).outcomes == {}  # never again
    attempts = DeliveryAttempt.objects.order_by("pk")
    assert list(attempts.values_list("http_status", "outcome", "next_retry_at")) == [
        (500, "failed", NOW + MINUTE),
        (500, "failed", NOW + 3 * MINUTE),
        (500, "failed", None),
    ]
    assert len(webhook_server.received) == 3
    # A later message that went through does not push the failure out of sight.
    webhook_server.answer((200, {"errcode": 0, "errmsg": "ok"}))
    collisions(cast, 1, name="Shenzhen Hengda Motors")
    assert deliver(NOW + 4 * MINUTE).outcomes == {"sent": 1}

    admin = APIClient()
    admin.force_authenticate(cast.admin)
    rows = admin.get("/api/v1/notification-deliveries/").json()["results"]
    assert [row["status"] for row in rows] == ["failed", "sent"]
    failed = rows[0]
    assert failed["destination"] == {
        "kind": "channel",
        "id": failed["destination"]["id"],
        "name": "East group",
    }
    assert failed["attempts"] == 3 and failed["items"] == 1
    assert failed["last_error"] == "HTTP 500 Internal Server Error"
    assert [a["http_status"] for a in failed["attempt_log"]] == [500, 500, 500]
    only_failed = admin.get("/api/v1/notification-deliveries/?status=failed").json()
    assert only_failed["count"] == 1
    rep = APIClient()
    rep.force_authenticate(cast.alice)
    assert rep.get("/api/v1/notification-deliveries/").status_code == 403

    out = StringIO()
    call_command("notifications", stdout=out)
    assert out.getvalue().splitlines() == [
        f"#{failed['id']} to East group (DingTalk custom robot): failed after 3 attempts; "
        "next try -; HTTP 500 Internal Server Error"
    ]
