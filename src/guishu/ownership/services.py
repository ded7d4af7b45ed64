"""Ownership services: the only code that changes who owns a customer.

Each is keyword-only, runs in one durable transaction, serialises competing writers (see
locking.py), lets the pure engine decide, and writes the ownership events in the same
transaction. They return an OwnershipResult; a refusal is a normal answer, not an exception,
because a refused claim still leaves a collision record that must be committed.

A few have a `_within` variant that runs the very same rules inside the caller's transaction,
for a service that changes many customers at once, all or nothing (a handover).
"""

from collections.abc import Mapping
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from guishu.accounts.models import User
from guishu.disputes.detection import claim_cycling_detect
from guishu.domain import (
    AssignFromPool,
    Claim,
    ExtendProtection,
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
from guishu.pools.routing import eligible_pool_ids, pool_of


@transaction.atomic(durable=True)
def pool_claim(*, user: User, customer_id: int, now: datetime | None = None) -> OwnershipResult:
    """A rep claims a pool customer, within the holding cap, daily cap and cool-down."""
    now = now or timezone.now()

    def build(state: OwnershipState, policy: Policy) -> Claim:
        return Claim(
            actor=actor_for(user, policy, now), ineligible_pool=ineligible_pool(user, customer_id)
        )

    result = execute(
        customer_id=customer_id,
        lock=[user],
        build=build,
        now=now,
        attempted_by=user,
        collision_action="claim",
    )
    if result.accepted:
        # Claiming one customer again and again (claim/release cycling) is recorded for a
        # manager's review, under the locks just taken; it never undoes the claim.
        claim_cycling_detect(user=user, customer_id=customer_id, now=now)
    return result


def ineligible_pool(user: User, customer_id: int) -> str:
    """The name of the pool the customer sits in if `user` may not claim from it, else ""."""
    eligible = eligible_pool_ids(user)
    pool = pool_of(customer_id) if eligible is not None else None
    return (
        pool.name if pool is not None and eligible is not None and pool.pk not in eligible else ""
    )


@transaction.atomic(durable=True)
def customer_protection_extend(
    *, user: User, customer_id: int, now: datetime | None = None
) -> OwnershipResult:
    """The owner (or a manager over them) extends the protection by another period, as many
    times per term as the policy allows."""
    now = now or timezone.now()

    def build(state: OwnershipState, policy: Policy) -> ExtendProtection:
        return ExtendProtection(actor=actor_for(user, policy, now))

    return execute(customer_id=customer_id, lock=[user], build=build, now=now)


@transaction.atomic(durable=True)
def pool_release(
    *, user: User, customer_id: int, reason: str = "", now: datetime | None = None
) -> OwnershipResult:
    """The owner, or a manager over them, returns a customer to the pool."""
    return pool_release_within(
        user=user, customer_id=customer_id, reason=reason, now=now or timezone.now()
    )


def pool_release_within(
    *,
    user: User,
    customer_id: int,
    reason: str,
    now: datetime,
    evidence: Mapping[str, str] | None = None,
) -> OwnershipResult:
    """`pool_release` inside the caller's transaction (a handover releases many at once)."""

    def build(state: OwnershipState, policy: Policy) -> Release:
        return Release(actor=actor_for(user, policy, now), reason=reason)

    return execute(customer_id=customer_id, lock=[user], build=build, now=now, evidence=evidence)


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
    return customer_transfer_within(
        user=user, customer_id=customer_id, to=to, reason=reason, now=now or timezone.now()
    )


def customer_transfer_within(
    *,
    user: User,
    customer_id: int,
    to: User,
    reason: str,
    now: datetime,
    evidence: Mapping[str, str] | None = None,
) -> OwnershipResult:
    """`customer_transfer` inside the caller's transaction (a handover moves many at once)."""

    def build(state: OwnershipState, policy: Policy) -> Transfer:
        return Transfer(
            actor=actor_for(user, policy, now),
            to=to.as_person(),
            to_held=held_by(to.pk),
            reason=reason,
        )

    return execute(
        customer_id=customer_id, lock=[user, to], build=build, now=now, evidence=evidence
    )


@transaction.atomic(durable=True)
def customer_lock(*, user: User, customer_id: int, now: datetime | None = None) -> OwnershipResult:
    """Locks a key customer against reclaim, within the owner's lock cap (whoever locks)."""
    # The owner's lock count is checked, so the owner's row is locked too. It is read before
    # the locks are taken; if the owner changed in between, refuse loudly rather than guess.
    term = active_term(customer_id)
    return customer_lock_within(
        user=user,
        customer_id=customer_id,
        owner=term.owner if term else None,
        now=now or timezone.now(),
    )


def customer_lock_within(
    *,
    user: User,
    customer_id: int,
    owner: User | None,
    now: datetime,
    evidence: Mapping[str, str] | None = None,
) -> OwnershipResult:
    """`customer_lock` inside the caller's transaction, `owner` being who the caller found
    owning it (a handover carries a lock over to the new owner)."""

    def build(state: OwnershipState, policy: Policy) -> Lock:
        if (state.owner.id if state.owner else None) != (owner.pk if owner else None):
            raise ConcurrentOwnershipChange("the owner changed while locking; try again")
        owner_locked = locked_by(owner.pk) if owner else 0
        return Lock(actor=actor_for(user, policy, now), owner_locked=owner_locked)

    people = [user, owner] if owner else [user]
    return execute(customer_id=customer_id, lock=people, build=build, now=now, evidence=evidence)


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
