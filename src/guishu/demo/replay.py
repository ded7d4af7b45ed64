"""Writing the planned year through the real services, one step at a time, in time order.

Every ownership change, registration, collision, the last valid follow-up of each term and
the first (deal-winning) order of each term go through their services with the step's time as
`now`, so the audit trail tells the year in order and every clock is right. What moves no
ownership (older touchpoints, rep B's evidence in the A/B case, repeat orders, payments) is
bulk-inserted afterwards, which is what keeps the load fast.
"""

import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from guishu.accounts.models import User
from guishu.activities.models import Activity, Collection, Order, OrderCredit
from guishu.activities.services import activity_log, order_record
from guishu.customers.models import Contact, Customer
from guishu.demo.companies import DemoCustomer
from guishu.demo.plan import Step
from guishu.disputes.disputes import dispute_open
from guishu.ownership.registration import customer_register
from guishu.ownership.services import (
    customer_assign,
    customer_lock,
    customer_reclaim,
    customer_transfer,
    pool_claim,
    pool_release,
)


@dataclass
class Replayed:
    """Customer index -> primary key, and how many steps of each kind were written."""

    pks: dict[int, int] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)


class ReplayError(RuntimeError):
    """The services refused a planned step: the plan and the rules disagree, a bug in the demo.

    Not a PlanError: unlike a plan that cannot be made, this stops a load half-way."""


def _expect(ok: bool, step: Step, outcome: Any) -> None:
    if not ok:
        raise ReplayError(
            f"the services refused a planned step ({step.kind} at {step.at:%F %R}, "
            f"customer #{step.customer}): {outcome}"
        )


def replay(
    steps: list[Step], customers: list[DemoCustomer], users: dict[str, User], rng: random.Random
) -> Replayed:
    """Writes `steps` in order: each through its service, or collected for the bulk insert
    that follows (in one transaction, as none of it moves ownership)."""
    done = Replayed()
    orders: dict[str, Order] = {}
    later: list[Activity] = []
    reorders: list[Order] = []
    payments: list[tuple[Step, User]] = []
    for step in steps:
        user = users[step.by] if step.by else None
        pk = done.pks.get(step.customer, 0)
        if step.kind == "touch":
            assert step.touch is not None and user is not None
            t = step.touch
            later.append(
                Activity(
                    customer_id=pk,
                    by=user,
                    kind=t.kind,
                    channel=t.channel,
                    occurred_at=t.at,
                    duration_minutes=t.minutes,
                    outcome=t.outcome,
                    note=t.note,
                    customer_initiated=t.initiated,
                )
            )
        elif step.kind == "reorder":
            assert step.sale is not None and user is not None
            sale = step.sale
            orders[sale.number] = Order(
                customer_id=pk,
                number=sale.number,
                amount=sale.amount,
                currency=sale.currency,
                ordered_at=step.at,
                credited_to=user,
                recorded_by=user,
                # A reorder follows a first order the demo recorded through the service.
                customer_status=Order.CustomerStatus.EXISTING,
            )
            reorders.append(orders[sale.number])
        elif step.kind == "collect":
            assert user is not None
            payments.append((step, user))
        else:
            _write(step, user, pk, customers, users, orders, done)
        done.counts[step.kind] += 1
    with transaction.atomic():
        Activity.objects.bulk_create(later, batch_size=2000)
        Order.objects.bulk_create(reorders, batch_size=2000)
        # Demo reorders are the owner's alone: no collaborator shares in the demo year.
        OrderCredit.objects.bulk_create(
            [
                OrderCredit(
                    order=order,
                    user_id=order.credited_to_id,
                    role="owner",
                    share=100,
                    amount=order.amount,
                )
                for order in reorders
            ],
            batch_size=2000,
        )
        Collection.objects.bulk_create(
            [
                Collection(
                    order=orders[s.sale.number],
                    amount=s.sale.amount,
                    currency=s.sale.currency,
                    received_at=s.at,
                    recorded_by=user,
                )
                for s, user in payments
                if s.sale
            ],
            batch_size=2000,
        )
        _link_contacts(rng, set(done.pks.values()))
        # Customers were created by registrations replayed today; date them by the registration.
        registered = {s.customer: s.at for s in steps if s.kind == "register"}
        Customer.objects.bulk_update(
            [Customer(pk=done.pks[i], created_at=at) for i, at in registered.items()],
            ["created_at"],
            batch_size=500,
        )
    return done


def _write(
    step: Step,
    user: User | None,
    pk: int,
    customers: list[DemoCustomer],
    users: dict[str, User],
    orders: dict[str, Order],
    done: Replayed,
) -> None:
    """One step through its service; a refusal means the plan and the rules disagree."""
    kind, now = step.kind, step.at
    if user is None:
        assert kind == "reclaim" and step.rule is not None
        result = customer_reclaim(customer_id=pk, rule=step.rule, now=now)
        _expect(result.accepted, step, result.decision)
        return
    if kind == "register":
        registered = customer_register(
            user=user,
            data=customers[step.customer].data,
            first_contact_at=step.first_contact_at,
            # Demo companies are distinct by construction; where two look alike (two 恒达 in
            # different cities), the rep confirmed the warning, as a real rep would.
            confirm_distinct=True,
            now=now,
        )
        _expect(registered.created and registered.customer is not None, step, registered.decision)
        assert registered.customer is not None
        done.pks[step.customer] = registered.customer.pk
    elif kind == "collide":
        assert step.data is not None
        refused = customer_register(
            user=user, data=step.data, first_contact_at=step.first_contact_at, now=now
        )
        _expect(
            refused.collision is not None
            and refused.customer is not None
            and refused.customer.pk == pk,
            step,
            refused.decision,
        )
        if step.reason and refused.collision is not None:
            # The challenger contests it at once: the A/B case waits in the disputes inbox.
            dispute_open(user=user, collision_id=refused.collision.pk, reason=step.reason, now=now)
    elif kind == "follow_up":
        assert step.touch is not None
        t = step.touch
        logged = activity_log(
            user=user,
            customer_id=pk,
            kind=t.kind,
            occurred_at=t.at,
            channel=t.channel,
            duration_minutes=t.minutes,
            outcome=t.outcome,
            note=t.note,
            customer_initiated=t.initiated,
            now=now,
        )
        _expect(logged.activity is not None, step, logged.ownership.decision)
    elif kind == "order":
        assert step.sale is not None
        sale = step.sale
        recorded = order_record(
            user=user,
            customer_id=pk,
            number=sale.number,
            amount=sale.amount,
            currency=sale.currency,
            ordered_at=now,
            now=now,
        )
        _expect(recorded.order is not None, step, recorded.ownership.decision)
        assert recorded.order is not None
        orders[sale.number] = recorded.order
    else:
        result = _ownership(kind, step, user, pk, users)
        _expect(result.accepted, step, result.decision)


def _ownership(kind: str, step: Step, user: User, pk: int, users: dict[str, User]) -> Any:
    if kind == "release":
        return pool_release(user=user, customer_id=pk, reason=step.reason, now=step.at)
    if kind == "claim":
        return pool_claim(user=user, customer_id=pk, now=step.at)
    if kind == "assign":
        return customer_assign(user=user, customer_id=pk, to=users[step.to], now=step.at)
    if kind == "transfer":
        return customer_transfer(
            user=user, customer_id=pk, to=users[step.to], reason=step.reason, now=step.at
        )
    if kind == "lock":
        return customer_lock(user=user, customer_id=pk, now=step.at)
    raise ReplayError(f"unknown step {kind}")


def _link_contacts(rng: random.Random, customer_pks: set[int]) -> None:
    """Names the contact most touchpoints were with: who at the customer the rep dealt with."""
    contacts: dict[int, list[int]] = {}
    for customer_id, contact_id in Contact.objects.order_by("pk").values_list("customer_id", "pk"):
        if customer_id in customer_pks:
            contacts.setdefault(customer_id, []).append(contact_id)
    through = Activity.contacts.through
    links = []
    for activity_id, customer_id in Activity.objects.order_by("pk").values_list(
        "pk", "customer_id"
    ):
        people = contacts.get(customer_id)
        if people and rng.random() < 0.8:
            links.append(through(activity_id=activity_id, contact_id=rng.choice(people[:2])))
    through.objects.bulk_create(links, batch_size=2000)
