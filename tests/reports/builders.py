"""Report fixtures: orders, credits and activities written directly with the figures a test
names, so every expected number can be worked out by hand."""

from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import count

from guishu.accounts.models import User
from guishu.activities.models import Activity, Order, OrderCredit
from guishu.customers.models import Customer
from guishu.reports.scope import Period, period_of

_numbers = count(1)

# The third quarter of 2026 (company days), and a moment inside it and before it.
Q3 = period_of(date(2026, 7, 1), date(2026, 9, 30))
IN_Q3 = datetime(2026, 8, 10, 4, 0, tzinfo=UTC)
BEFORE_Q3 = datetime(2026, 5, 10, 4, 0, tzinfo=UTC)  # in the period just before (same length)
LONG_AGO = datetime(2025, 1, 10, 4, 0, tzinfo=UTC)


def order(
    customer: Customer,
    credits: dict[User, str],
    *,
    at: datetime = IN_Q3,
    new: bool = False,
    currency: str = "CNY",
    status: str = Order.Status.WON,
) -> Order:
    """A won order credited as `credits` says ({person: amount}); its amount is their sum."""
    amounts = {person: Decimal(amount) for person, amount in credits.items()}
    total = sum(amounts.values(), Decimal(0))
    first = next(iter(amounts))
    made = Order.objects.create(
        customer=customer,
        number=f"R-{next(_numbers)}",
        amount=total,
        currency=currency,
        ordered_at=at,
        status=status,
        credited_to=first,
        recorded_by=first,
        customer_status=Order.CustomerStatus.NEW if new else Order.CustomerStatus.EXISTING,
    )
    OrderCredit.objects.bulk_create(
        OrderCredit(
            order=made,
            user=person,
            role="owner" if person == first else "co_seller",
            share=(amount / total * 100).quantize(Decimal("0.01")),
            amount=amount,
        )
        for person, amount in amounts.items()
    )
    return made


def touches(
    customer: Customer, by: User, channel: str, n: int = 1, *, at: datetime = IN_Q3
) -> None:
    kind = {"in_person": "visit", "phone": "call", "email": "email"}.get(channel, "chat")
    Activity.objects.bulk_create(
        Activity(customer=customer, by=by, kind=kind, channel=channel, occurred_at=at)
        for _ in range(n)
    )


__all__ = ["BEFORE_Q3", "IN_Q3", "LONG_AGO", "Q3", "Period", "order", "touches"]
