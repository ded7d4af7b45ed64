"""Orders and collections credited by the shares in force on the order's date: a snapshot
that later changes never rewrite, split to the cent with the remainder to the owner."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from guishu.accounts.models import User
from guishu.activities.credits import collection_credits
from guishu.activities.models import Order, OrderCredit
from guishu.activities.services import collection_record, order_record
from guishu.disputes.collaboration import collaboration_add, collaboration_share_set
from tests.factories import make_user, register

pytestmark = pytest.mark.db_facing

_numbers = iter(range(1, 10_000))


def record(user: User, customer_id: int, amount: str, at: datetime) -> Order:
    result = order_record(
        user=user,
        customer_id=customer_id,
        number=f"SO-{next(_numbers)}",
        amount=Decimal(amount),
        ordered_at=at,
        now=max(at, timezone.now()),
    )
    assert result.order is not None, result.ownership.decision
    return result.order


def credits_of(order: Order) -> dict[str, tuple[str, Decimal, Decimal]]:
    return {
        c.user.username: (c.role, c.share, c.amount)
        for c in OrderCredit.objects.filter(order=order).select_related("user")
    }


def test_an_order_is_credited_60_40_to_the_owner_and_a_collaborator_with_40(cast):
    now = timezone.now()
    acme = register(cast.alice, "Acme Sixty Forty Ltd", now=now - timedelta(days=10))
    collaboration_add(
        user=cast.alice,
        customer_id=acme.pk,
        collaborator=cast.bob,
        share=Decimal("40"),
        now=now - timedelta(days=5),
    )
    order = record(cast.alice, acme.pk, "1000.00", now - timedelta(days=1))

    assert credits_of(order) == {
        "alice": ("owner", Decimal("60"), Decimal("600.00")),
        "bob": ("co_seller", Decimal("40"), Decimal("400.00")),
    }
    assert order.credited_to == cast.alice


def test_a_later_share_change_leaves_an_earlier_orders_credits_as_they_were(cast):
    now = timezone.now()
    acme = register(cast.alice, "Acme Snapshot Ltd", now=now - timedelta(days=10))
    bob = collaboration_add(
        user=cast.alice,
        customer_id=acme.pk,
        collaborator=cast.bob,
        share=Decimal("40"),
        now=now - timedelta(days=5),
    )
    earlier = record(cast.alice, acme.pk, "1000.00", now - timedelta(days=2))
    collaboration_share_set(user=cast.alice, collaboration_id=bob.pk, share=Decimal("10"))
    later = record(cast.alice, acme.pk, "1000.00", now)

    assert credits_of(earlier)["bob"] == ("co_seller", Decimal("40"), Decimal("400.00"))
    assert credits_of(later)["bob"] == ("co_seller", Decimal("10"), Decimal("100.00"))
    assert credits_of(later)["alice"] == ("owner", Decimal("90"), Decimal("900.00"))


def test_credits_sum_exactly_to_the_amount_and_the_owner_takes_the_remainder(cast):
    now = timezone.now()
    acme = register(cast.alice, "Acme Rounding Ltd", now=now - timedelta(days=10))
    erin = make_user("erin", team=cast.east)
    for person in (cast.bob, erin):
        collaboration_add(
            user=cast.alice,
            customer_id=acme.pk,
            collaborator=person,
            share=Decimal("33.33"),
            now=now - timedelta(days=5),
        )
    order = record(cast.alice, acme.pk, "100.01", now - timedelta(days=1))

    credited = credits_of(order)
    assert credited["bob"][2] == credited["erin"][2] == Decimal("33.33")  # 33.333..., cut
    assert credited["alice"] == ("owner", Decimal("33.34"), Decimal("33.35"))
    assert sum(amount for _role, _share, amount in credited.values()) == Decimal("100.01")


def test_an_order_dated_before_a_collaboration_started_credits_only_the_owner(cast):
    now = timezone.now()
    acme = register(cast.alice, "Acme Before Collab Ltd", now=now - timedelta(days=30))
    collaboration_add(
        user=cast.alice,
        customer_id=acme.pk,
        collaborator=cast.bob,
        share=Decimal("40"),
        now=now - timedelta(days=10),
    )
    order = record(cast.alice, acme.pk, "500.00", now - timedelta(days=20))
    assert credits_of(order) == {"alice": ("owner", Decimal("100"), Decimal("500.00"))}


def test_an_order_dated_before_anyone_owned_the_customer_credits_the_current_owner(cast):
    now = timezone.now()
    acme = register(cast.alice, "Acme Before Term Ltd", now=now - timedelta(days=3))
    collaboration_add(
        user=cast.alice,
        customer_id=acme.pk,
        collaborator=cast.bob,
        share=Decimal("40"),
        now=now - timedelta(days=2),
    )
    order = record(cast.alice, acme.pk, "80.00", now - timedelta(days=30))
    assert credits_of(order) == {"alice": ("owner", Decimal("100"), Decimal("80.00"))}


def test_an_order_is_new_unless_the_customer_won_an_earlier_one(cast):
    now = timezone.now()
    acme = register(cast.alice, "Acme New Existing Ltd", now=now - timedelta(days=60))
    first = record(cast.alice, acme.pk, "100.00", now - timedelta(days=20))
    second = record(cast.alice, acme.pk, "100.00", now - timedelta(days=10))
    # Recorded last but dated first: nothing won before it. The first keeps its flag.
    backdated = record(cast.alice, acme.pk, "100.00", now - timedelta(days=30))

    assert first.customer_status == Order.CustomerStatus.NEW
    assert second.customer_status == Order.CustomerStatus.EXISTING
    assert backdated.customer_status == Order.CustomerStatus.NEW
    first.refresh_from_db()
    assert first.customer_status == Order.CustomerStatus.NEW  # fixed when recorded

    other = register(cast.alice, "Acme Cancelled Only Ltd", now=now - timedelta(days=60))
    cancelled = record(cast.alice, other.pk, "100.00", now - timedelta(days=20))
    Order.objects.filter(pk=cancelled.pk).update(status=Order.Status.CANCELLED)
    assert record(cast.alice, other.pk, "100.00", now).customer_status == "new"


def test_a_collection_is_credited_by_its_orders_snapshot_not_todays_shares(cast):
    now = timezone.now()
    acme = register(cast.alice, "Acme Collected Ltd", now=now - timedelta(days=10))
    bob = collaboration_add(
        user=cast.alice,
        customer_id=acme.pk,
        collaborator=cast.bob,
        share=Decimal("40"),
        now=now - timedelta(days=5),
    )
    order = record(cast.alice, acme.pk, "1000.00", now - timedelta(days=1))
    collaboration_share_set(user=cast.alice, collaboration_id=bob.pk, share=Decimal("5"))
    payment = collection_record(
        user=cast.alice, order=order, amount=Decimal("333.33"), received_at=now
    )

    owner, collaborator = collection_credits(payment)
    assert (collaborator.user_id, collaborator.role, collaborator.share) == (
        cast.bob.pk,
        "co_seller",
        Decimal("40"),
    )
    assert collaborator.amount == Decimal("133.33")  # 133.332, cut to the cent
    assert (owner.user_id, owner.role, owner.amount) == (cast.alice.pk, "owner", Decimal("200.00"))
    assert owner.amount + collaborator.amount == payment.amount
