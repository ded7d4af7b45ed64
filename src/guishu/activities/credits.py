"""Crediting orders and collections to the owner and the collaborators.

An order is credited by the shares in force on its date (`credit_shares`), copied onto the
order as `OrderCredit` rows when it is recorded and never recomputed: a share changed later,
a collaborator who left, a new owner, none of these rewrites what an order was credited.
Payments collected against the order are credited by the same copied shares.

Amounts are split in cents. Each collaborator is credited their share of the amount, cut to
the cent; the owner is credited what is left. So the credits always sum exactly to the
amount, and the owner, never a collaborator, absorbs the fraction of a cent rounding leaves.
"""

from collections.abc import Sequence
from datetime import datetime
from decimal import ROUND_DOWN, Decimal
from typing import NamedTuple

from guishu.activities.models import Collection, Order, OrderCredit
from guishu.disputes.collaboration import CENT, HUNDRED, OWNER_ROLE, CreditShare, credit_shares


class Credit(NamedTuple):
    """Who is credited how much of an amount, and by what share (percent)."""

    user_id: int
    role: str
    share: Decimal
    amount: Decimal


def credits_split(amount: Decimal, shares: Sequence[CreditShare]) -> list[Credit]:
    """`amount` split by `shares` (which total 100): collaborators cut to the cent, the rest
    to the owner (the first share when none is named owner), so the parts sum to `amount`."""
    if not shares:
        return []
    receiver = next((i for i, s in enumerate(shares) if s.role == OWNER_ROLE), 0)
    parts = [
        Decimal(0) if i == receiver else (amount * s.share / HUNDRED).quantize(CENT, ROUND_DOWN)
        for i, s in enumerate(shares)
    ]
    parts[receiver] = amount - sum(parts, Decimal(0))
    return [
        Credit(user_id=s.user_id, role=s.role, share=s.share, amount=part)
        for s, part in zip(shares, parts, strict=True)
    ]


def order_shares(customer_id: int, ordered_at: datetime, owner_id: int) -> list[CreditShare]:
    """The shares an order dated `ordered_at` is credited by: those in force then, or, when
    nobody owned the customer then (an order dated before the current term, say), wholly the
    current owner `owner_id`, who is the one recording or being credited the deal now."""
    return credit_shares(customer_id, ordered_at) or [
        CreditShare(user_id=owner_id, role=OWNER_ROLE, share=HUNDRED)
    ]


def order_credits_write(order: Order, shares: Sequence[CreditShare]) -> list[OrderCredit]:
    """Copies `shares` onto `order` as its credits, inside the caller's transaction."""
    return OrderCredit.objects.bulk_create(
        OrderCredit(order=order, user_id=c.user_id, role=c.role, share=c.share, amount=c.amount)
        for c in credits_split(order.amount, shares)
    )


def customer_status_at(customer_id: int, ordered_at: datetime) -> str:
    """Existing when the customer has a won order dated before `ordered_at`, else new."""
    earlier = Order.objects.filter(
        customer_id=customer_id, status=Order.Status.WON, ordered_at__lt=ordered_at
    )
    return Order.CustomerStatus.EXISTING if earlier.exists() else Order.CustomerStatus.NEW


def order_credits(order: Order) -> list[OrderCredit]:
    """An order's credits, the owner's first (uses prefetched `credits` when there are)."""
    return sorted(order.credits.all(), key=lambda c: (c.role != OWNER_ROLE, c.pk))


def order_credit_shares(order: Order) -> list[CreditShare]:
    """The shares copied onto `order`, the owner's first."""
    rows = order_credits(order)
    return [CreditShare(user_id=c.user_id, role=c.role, share=c.share) for c in rows] or [
        # Only an order that somehow has no credits: the one it names as credited.
        CreditShare(user_id=order.credited_to_id, role=OWNER_ROLE, share=HUNDRED)
    ]


def collection_credits(collection: Collection) -> list[Credit]:
    """A payment's credits: its amount split by its order's copied shares, never by the
    shares in force today, with the same exact-sum rounding as the order."""
    return credits_split(collection.amount, order_credit_shares(collection.order))
