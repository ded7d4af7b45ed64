"""Conflict and pool health per month, by hand."""

from datetime import UTC, date, datetime, timedelta

import pytest

from guishu.customers.models import Customer
from guishu.disputes.models import Collision, Dispute
from guishu.ownership.models import OwnershipEvent
from guishu.reports.pool_health import pool_health
from tests.factories import register
from tests.reports.builders import Q3

pytestmark = pytest.mark.db_facing


def _day(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 4, tzinfo=UTC)


@pytest.fixture
def flows(cast):
    acme = register(cast.alice, "Acme Flow Ltd")
    delta = register(cast.dave, "Delta Flow Ltd")
    Customer.objects.create(name="Pooled Flow Ltd", created_by=cast.alice)

    def event(kind, at, customer=acme, **owners):
        OwnershipEvent.objects.create(customer=customer, kind=kind, at=at, **owners)

    event("reclaimed", _day(7, 10), from_owner=cast.alice)
    event("released", _day(8, 10), from_owner=cast.bob)
    event("claimed", _day(8, 12), to_owner=cast.alice)
    event("claimed", _day(9, 3), customer=delta, to_owner=cast.dave)
    event("claimed", _day(5, 3), to_owner=cast.alice)  # before the period
    collision = Collision.objects.create(
        customer=acme,
        attempted_by=cast.bob,
        owner=cast.alice,
        owner_since=_day(6, 1),
        action="register",
        at=_day(8, 20),
    )
    Collision.objects.create(
        customer=delta,
        attempted_by=cast.dave,
        owner=cast.dave,
        owner_since=_day(6, 1),
        action="follow_up",
        at=_day(9, 20),
    )
    Dispute.objects.create(
        customer=acme,
        collision=collision,
        owner=cast.alice,
        challenger=cast.bob,
        opened_by=cast.bob,
        opened_at=_day(8, 21),
        decision_due_at=_day(8, 21) + timedelta(days=5),
    )
    return cast


def _months(report):
    return {
        m.month: (m.collisions, m.disputes, m.reclaimed, m.released, m.claimed)
        for m in report.months
    }


def test_flows_per_month_and_the_pool_now(flows):
    report = pool_health(viewer=flows.diana, period=Q3)
    assert _months(report) == {
        date(2026, 7, 1): (0, 0, 1, 0, 0),
        date(2026, 8, 1): (1, 1, 0, 1, 1),
        date(2026, 9, 1): (1, 0, 0, 0, 1),
    }
    assert (report.total.returned, report.total.claimed, report.total.net_to_pool) == (2, 2, 0)
    assert report.pool_size == 1


def test_each_role_counts_the_flows_of_its_people(flows, wendy):
    alice = _months(pool_health(viewer=flows.alice, period=Q3))
    assert alice[date(2026, 7, 1)] == (0, 0, 1, 0, 0)
    assert alice[date(2026, 8, 1)] == (1, 1, 0, 0, 1)
    assert alice[date(2026, 9, 1)] == (0, 0, 0, 0, 0)
    assert pool_health(viewer=flows.carol, period=Q3).total.released == 1
    assert _months(pool_health(viewer=wendy, period=Q3))[date(2026, 9, 1)] == (1, 0, 0, 0, 1)
