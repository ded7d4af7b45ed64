"""Carrying out a judged handover plan inside `handover_execute`'s transaction.

Every move goes through the ownership services' `_within` variants, so each customer is
decided again by the engine as it is written, with the plan's id in every event's evidence
(the notifications are made from those events). Any refusal raises `HandoverRefusedAll`,
which rolls the whole transaction back.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_noop as N_

from guishu.accounts.models import User
from guishu.activities.models import Activity, Order
from guishu.customers.models import Contact, Customer
from guishu.disputes.collaboration import (
    CollaborationRefused,
    collaboration_start,
    collaborations_end,
    collaborations_expire,
)
from guishu.disputes.models import Collaboration
from guishu.domain import TraceLine
from guishu.ownership.execute import OwnershipResult
from guishu.ownership.handover_check import HandoverCheck, ItemRefusal
from guishu.ownership.models import HandoverItem, HandoverPlan
from guishu.ownership.services import (
    customer_lock_within,
    customer_transfer_within,
    pool_release_within,
)


class HandoverRefusedAll(Exception):
    """At least one customer was refused: nothing of the plan may happen."""

    def __init__(self, check: HandoverCheck) -> None:
        super().__init__(f"handover {check.plan.pk} refused")
        self.check = check


def lock_customers(customer_ids: Iterable[int]) -> None:
    """Locks many customers in ascending id order, the order the sweep's batches take them,
    so the two never wait on each other in a cycle (SQLite: a no-op, see locking.py)."""
    ids = sorted(set(customer_ids))
    if ids:
        list(
            Customer.objects.select_for_update()
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def run_plan(
    *,
    plan: HandoverPlan,
    items: Sequence[HandoverItem],
    check: HandoverCheck,
    user: User,
    now: datetime,
) -> dict[str, Any]:
    """Moves every customer, ends and starts collaborations, and returns the summary."""
    evidence = {"handover": str(plan.pk)}
    events = locks = 0
    for item in items:
        results = [_move(plan, item, user, now, evidence)]
        if (
            results[0].accepted
            and item.to is not None
            and check.states[item.customer_id].locked_at is not None
        ):
            # The engine ends a lock with the term; the plan carries it to the new owner.
            results.append(
                customer_lock_within(
                    user=user,
                    customer_id=item.customer_id,
                    owner=item.to,
                    now=now,
                    evidence=evidence,
                )
            )
            locks += 1
        for result in results:
            if result.rejection is not None:
                refusal = ItemRefusal(
                    item.customer_id,
                    item.customer.name,
                    result.rejection.code.value,
                    result.rejection.trace,
                    item.pk,
                )
                raise HandoverRefusedAll(replace(check, refusals=(refusal,)))
            events += len(result.events)
    ended = _end_collaborations(plan, items, user, now)
    started = _keep_old_owner(plan, items, user, now, check)
    return _summary(plan, items, events=events, locks=locks, ended=ended, started=started)


def _move(
    plan: HandoverPlan, item: HandoverItem, user: User, now: datetime, evidence: dict[str, str]
) -> OwnershipResult:
    if item.to is None:
        return pool_release_within(
            user=user,
            customer_id=item.customer_id,
            reason=plan.reason,
            now=now,
            evidence=evidence,
        )
    return customer_transfer_within(
        user=user,
        customer_id=item.customer_id,
        to=item.to,
        reason=plan.reason,
        now=now,
        evidence=evidence,
    )


def _end_collaborations(
    plan: HandoverPlan, items: Sequence[HandoverItem], user: User, now: datetime
) -> int:
    """The rep's own collaborations end (they leave or move on), and so does a receiver's
    collaboration on a customer they now own: an owner is not their own collaborator."""
    mine = Collaboration.objects.filter(user_id=plan.rep_id)
    collaborations_expire(now=now, among=mine)  # ran out already: not ended by the plan
    ended = collaborations_end(mine, at=now, by=user)
    incoming: dict[int, list[int]] = {}
    for item in items:
        if item.to_id is not None:
            incoming.setdefault(item.to_id, []).append(item.customer_id)
    for rep_id, customer_ids in incoming.items():
        theirs = Collaboration.objects.filter(user_id=rep_id, customer_id__in=customer_ids)
        collaborations_expire(now=now, among=theirs)
        ended += collaborations_end(theirs, at=now, by=user)
    return ended


def _keep_old_owner(
    plan: HandoverPlan,
    items: Sequence[HandoverItem],
    user: User,
    now: datetime,
    check: HandoverCheck,
) -> int:
    started = 0
    for item in items:
        if item.choice != HandoverItem.Choice.KEEP_AS_COLLABORATOR:
            continue
        assert item.to is not None  # the table's check constraint
        try:
            item.collaboration = collaboration_start(
                customer=item.customer,
                owner_id=item.to.pk,
                collaborator=plan.rep,
                role=Collaboration.Role.CO_SELLER,
                started_at=now,
                ends_at=item.collaborate_until,
                created_by=user,
                reason=plan.reason,
            )
        except CollaborationRefused as refused:
            line = TraceLine(refused.message, {})
            refusal = ItemRefusal(
                item.customer_id, item.customer.name, refused.code, (line,), item.pk
            )
            raise HandoverRefusedAll(replace(check, refusals=(refusal,))) from None
        item.save(update_fields=["collaboration"])
        started += 1
    return started


def _summary(
    plan: HandoverPlan,
    items: Sequence[HandoverItem],
    *,
    events: int,
    locks: int,
    ended: int,
    started: int,
) -> dict[str, Any]:
    """Counts per choice and per receiving rep, and what followed the customers (JSON)."""
    moved = [item.customer_id for item in items]
    choices = Counter(item.choice for item in items)
    received = Counter(item.to for item in items if item.to is not None)
    contacts = Contact.objects.filter(customer_id__in=moved).count()
    orders = Order.objects.filter(customer_id__in=moved).count()
    activities = Activity.objects.filter(customer_id__in=moved).count()
    notes = [
        TraceLine(
            N_(
                "{contacts} contacts and {orders} orders belong to their customers and moved "
                "with them"
            ),
            {"contacts": str(contacts), "orders": str(orders)},
        ),
        TraceLine(
            N_("{activities} activities stay credited to whoever did them"),
            {"activities": str(activities)},
        ),
    ]
    if locks:
        notes.append(
            TraceLine(N_("{count} locks went with their customers"), {"count": str(locks)})
        )
    if ended:
        notes.append(
            TraceLine(
                N_(
                    "{count} collaborations ended: {rep}'s own, and the receiving reps' on "
                    "customers they now own"
                ),
                {"count": str(ended), "rep": plan.rep.name},
            )
        )
    return {
        "customers": len(items),
        "choices": {choice: choices[choice] for choice in HandoverItem.Choice.values},
        "receivers": [
            {"id": rep.pk, "name": rep.name, "customers": count}
            for rep, count in sorted(received.items(), key=lambda pair: pair[0].pk)
        ],
        "events": events,
        "locks_carried": locks,
        "collaborations_started": started,
        "collaborations_ended": ended,
        "contacts": contacts,
        "orders": orders,
        "activities": activities,
        "notes": [line.as_json() for line in notes],
    }
