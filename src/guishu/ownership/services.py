"""Ownership services: the only code that changes who owns a customer.

Each is keyword-only, runs in one durable transaction, serialises competing writers (see
locking.py), lets the pure engine decide, and writes the ownership events in the same
transaction. They return an OwnershipResult; a refusal is a normal answer, not an exception,
because a refused claim still leaves a collision record that must be committed.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from guishu.accounts.models import User
from guishu.domain import (
    AssignFromPool,
    Claim,
    Lock,
    OwnershipState,
    Policy,
    Reclaim,
    ReclaimRule,
    Release,
    Transfer,
    Unlock,
)
from guishu.ownership.engine_io import (
    ConcurrentOwnershipChange,
    active_term,
    actor_for,
    held_by,
    locked_by,
)
from guishu.ownership.execute import OwnershipResult, execute


@transaction.atomic(durable=True)
def pool_claim(*, user: User, customer_id: int, now: datetime | None = None) -> OwnershipResult:
    """A rep claims a pool customer, within the holding cap, daily cap and cool-down."""
    now = now or timezone.now()

    def build(state: OwnershipState, policy: Policy) -> Claim:
        return Claim(actor=actor_for(user, policy, now))

    return execute(
        customer_id=customer_id,
        lock=[user],
        build=build,
        now=now,
        attempted_by=user,
        collision_action="claim",
    )


@transaction.atomic(durable=True)
def pool_release(
    *, user: User, customer_id: int, reason: str = "", now: datetime | None = None
) -> OwnershipResult:
    """The owner, or a manager over them, returns a customer to the pool."""
    now = now or timezone.now()

    def build(state: OwnershipState, policy: Policy) -> Release:
        return Release(actor=actor_for(user, policy, now), reason=reason)

    return execute(customer_id=customer_id, lock=[user], build=build, now=now)


@transaction.atomic(durable=True)
def customer_assign(
    *, user: User, customer_id: int, to: User, reason: str = "", now: datetime | None = None
) -> OwnershipResult:
    """A manager assigns a pool customer to a rep in their team tree."""
    now = now or timezone.now()

    def build(state: OwnershipState, policy: Policy) -> AssignFromPool:
        return AssignFromPool(
            actor=actor_for(user, policy, now),
            to=to.as_person(),
            to_held=held_by(to.pk),
            reason=reason,
        )

    return execute(customer_id=customer_id, lock=[user, to], build=build, now=now)


@transaction.atomic(durable=True)
def customer_transfer(
    *, user: User, customer_id: int, to: User, reason: str = "", now: datetime | None = None
) -> OwnershipResult:
    """The owner hands a customer over, or a manager reassigns it, to another rep."""
    now = now or timezone.now()

    def build(state: OwnershipState, policy: Policy) -> Transfer:
        return Transfer(
            actor=actor_for(user, policy, now),
            to=to.as_person(),
            to_held=held_by(to.pk),
            reason=reason,
        )

    return execute(customer_id=customer_id, lock=[user, to], build=build, now=now)


@transaction.atomic(durable=True)
def customer_lock(*, user: User, customer_id: int, now: datetime | None = None) -> OwnershipResult:
    """Locks a key customer against reclaim, within the owner's lock cap (whoever locks)."""
    now = now or timezone.now()
    # The owner's lock count is checked, so the owner's row is locked too. It is read before
    # the locks are taken; if the owner changed in between, refuse loudly rather than guess.
    term = active_term(customer_id)
    owner = term.owner if term else None

    def build(state: OwnershipState, policy: Policy) -> Lock:
        if (state.owner.id if state.owner else None) != (owner.pk if owner else None):
            raise ConcurrentOwnershipChange("the owner changed while locking; try again")
        owner_locked = locked_by(owner.pk) if owner else 0
        return Lock(actor=actor_for(user, policy, now), owner_locked=owner_locked)

    people = [user, owner] if owner else [user]
    return execute(customer_id=customer_id, lock=people, build=build, now=now)


@transaction.atomic(durable=True)
def customer_unlock(
    *, user: User, customer_id: int, now: datetime | None = None
) -> OwnershipResult:
    now = now or timezone.now()

    def build(state: OwnershipState, policy: Policy) -> Unlock:
        return Unlock(actor=actor_for(user, policy, now))

    return execute(customer_id=customer_id, lock=[user], build=build, now=now)


@transaction.atomic(durable=True)
def customer_reclaim(
    *, customer_id: int, rule: ReclaimRule, now: datetime | None = None
) -> OwnershipResult:
    """Returns a customer to the pool under `rule`, re-checking the rule under the lock, so a
    sweep racing a fresh follow-up refuses instead of reclaiming; running it twice is harmless.
    """
    now = now or timezone.now()

    def build(state: OwnershipState, policy: Policy) -> Reclaim:
        return Reclaim(rule=rule)

    return execute(customer_id=customer_id, lock=[], build=build, now=now)
