"""Fixtures for handovers: Alice's book of customers, and a plan for it.

Alice (East) is leaving. Carol manages East (Alice and Bob); Wendy manages West (Dave);
Diana directs. Customers are registered through the real service.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from guishu.accounts.models import User
from guishu.customers.models import Customer
from guishu.ownership.handover import handover_draft
from guishu.ownership.models import HandoverItem, HandoverPlan, Ownership
from tests.factories import register


def today() -> date:
    return timezone.localdate()


def owner_of(customer: Customer) -> User | None:
    term = Ownership.objects.filter(customer=customer, ended_at__isnull=True).first()
    return term.owner if term else None


def item_of(plan: HandoverPlan, customer: Customer) -> HandoverItem:
    return plan.items.get(customer=customer)


@dataclass
class Book:
    """Alice's four customers."""

    first: Customer
    second: Customer
    third: Customer
    fourth: Customer

    @property
    def all(self) -> list[Customer]:
        return [self.first, self.second, self.third, self.fourth]


@pytest.fixture
def book(cast: Any) -> Book:
    return Book(*(register(cast.alice, f"Alice Handover {n} Ltd") for n in range(4)))


def draft(
    by: User, rep: User, *, to: User | None = None, now: datetime | None = None
) -> HandoverPlan:
    return handover_draft(
        user=by, rep=rep, effective_on=today(), reason="leaves the company", to=to, now=now
    )


def soon(days: int = 30) -> datetime:
    return timezone.now() + timedelta(days=days)
