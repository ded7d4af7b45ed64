"""Query budgets: an export costs the same number of queries for 5 rows or 50 (its related
rows come a chunk at a time, never one query per row)."""

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guishu.activities.services import activity_log, order_record
from guishu.disputes.collaboration import collaboration_add
from tests.api.conftest import World, unique_digits, unique_word
from tests.exports.helpers import body_of
from tests.factories import register

pytestmark = pytest.mark.db_facing


def queries(world: World, person: str, path: str) -> int:
    client = world.client(person)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/api/v1/exports/{path}")
        assert response.status_code == 200
        body_of(response)  # a streamed CSV reads its rows only now
    return len(captured.captured_queries)


def customers_for(user: Any, count: int) -> None:
    for _ in range(count):
        word = unique_word()
        register(
            user,
            f"{word} Industrial Co",
            aliases=(f"{word} 工业",),
            phones=(f"+86 139 {unique_digits(4)} {unique_digits(4)}",),
            emails=(f"buyer@{word.lower()}.com",),
            websites=(f"{word.lower()}.com",),
        )


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_fifty_customers_cost_the_same_queries_as_five(world: World, cast: Any, suffix: str):
    customers_for(cast.alice, 5)
    five = queries(world, "carol", f"customers.{suffix}")
    customers_for(cast.alice, 45)
    assert queries(world, "carol", f"customers.{suffix}") == five


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_fifty_orders_and_activities_cost_the_same_queries_as_five(
    world: World, cast: Any, suffix: str
):
    collaboration_add(user=cast.alice, customer_id=world.acme, collaborator=cast.bob)
    now = timezone.now()

    def record(start: int, stop: int) -> None:
        for n in range(start, stop):
            moment = now - timedelta(minutes=n + 1)
            order_record(
                user=cast.alice,
                customer_id=world.acme,
                number=f"SO-{n}",
                amount=100 + n,
                ordered_at=moment,
            )
            activity_log(
                user=cast.alice,
                customer_id=world.acme,
                kind="call",
                occurred_at=moment,
                contact_ids=[world.contact],
            )

    record(0, 5)
    orders = queries(world, "alice", f"customers/{world.acme}/orders.{suffix}")
    activities = queries(world, "alice", f"customers/{world.acme}/activities.{suffix}")
    record(5, 50)
    assert queries(world, "alice", f"customers/{world.acme}/orders.{suffix}") == orders
    assert queries(world, "alice", f"customers/{world.acme}/activities.{suffix}") == activities


def test_collisions_and_disputes_cost_the_same_queries_for_more_rows(world: World, cast: Any):
    from guishu.ownership.registration import customer_register
    from tests.factories import customer_input

    def collide(times: int) -> None:
        for _ in range(times):
            customer_register(user=cast.bob, data=customer_input(world.acme_name))
            customer_register(user=cast.dave, data=customer_input(world.acme_name))

    collide(2)
    before = queries(world, "carol", "collisions.csv"), queries(world, "carol", "disputes.csv")
    collide(20)
    after = queries(world, "carol", "collisions.csv"), queries(world, "carol", "disputes.csv")
    assert after == before
