"""The fan-out never notifies twice: run again, or many times at once, it writes nothing new;
and a row that commits late with a lower id than one already read is still found."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from guishu.disputes.models import Collision
from guishu.notifications.fanout import LATE_COMMIT_GRACE, notifications_fanout
from guishu.notifications.models import Delivery, FanoutCursor, Notification
from tests.factories import make_cast, register
from tests.notifications.conftest import NOW, make_channel

pytestmark = pytest.mark.db_facing


def collision(cast, customer, **fields) -> Collision:  # type: ignore[no-untyped-def]
    return Collision.objects.create(
        customer=customer,
        attempted_by=cast.bob,
        owner=cast.alice,
        owner_since=NOW,
        action="follow_up",
        at=NOW,
        **fields,
    )


def test_running_the_fanout_again_writes_nothing_new(cast, webhook_server):
    channel = make_channel(webhook_server)
    cast.alice.email = "alice@guishu.example"
    cast.alice.save(update_fields=["email"])
    customer = register(cast.alice, "Mueller Industrietechnik GmbH")
    collision(cast, customer)
    first = notifications_fanout(now=NOW)
    assert (first.read, first.notices) == (2, 1)  # the registration tells nobody
    # Forget how far it read: every row is read again, and still nothing is written twice.
    FanoutCursor.objects.update(last_id=0, gaps=[])
    again = notifications_fanout(now=NOW + timedelta(minutes=1))
    assert again.notices == 1
    assert Notification.objects.count() == 1
    destinations = set(Delivery.objects.values_list("channel_id", "user_id"))
    assert Delivery.objects.count() == 2
    assert destinations == {(None, cast.alice.pk), (channel.pk, None)}


def test_a_row_that_commits_late_with_a_lower_id_is_still_notified(cast):
    customer = register(cast.alice, "Mueller Industrietechnik GmbH")
    first = collision(cast, customer)

    def gaps_after_first() -> list[list[int]]:
        # (On PostgreSQL earlier tests' rolled-back ids leave gaps below `first` too.)
        gaps = FanoutCursor.objects.get(source="collision").gaps
        return [gap[:2] for gap in gaps if gap[0] > first.pk]

    # Ids first + 1 … first + 4 were taken by transactions that have not committed yet.
    collision(cast, customer, pk=first.pk + 5)
    notifications_fanout(now=NOW)
    assert Notification.objects.count() == 2
    assert gaps_after_first() == [[first.pk + 1, first.pk + 4]]
    collision(cast, customer, pk=first.pk + 2)  # one of them commits
    notifications_fanout(now=NOW + timedelta(minutes=1))
    assert Notification.objects.count() == 3
    assert gaps_after_first() == [[first.pk + 1, first.pk + 1], [first.pk + 3, first.pk + 4]]
    # Past the grace period a missing id is taken for a rollback and no longer looked for.
    notifications_fanout(now=NOW + LATE_COMMIT_GRACE + timedelta(seconds=1))
    assert FanoutCursor.objects.get(source="collision").gaps == []


@pytest.mark.django_db(transaction=True)
def test_many_fanouts_at_once_notify_each_person_once(allow_flush):
    cast = make_cast()
    customer = register(cast.alice, "Mueller Industrietechnik GmbH")
    for _ in range(30):
        collision(cast, customer)
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def fan_out() -> None:
        try:
            barrier.wait()
            notifications_fanout(now=timezone.now(), batch_size=7)
        except BaseException as error:  # every failure must reach the assertion
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=fan_out) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert Notification.objects.count() == 30
    assert Notification.objects.values("source").distinct().count() == 30
