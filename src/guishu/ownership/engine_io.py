"""Translating between rows and the pure engine: load a customer's state, build an actor with
the counts the caps need, and write accepted events back as rows.

Only the ownership services call this, inside their transaction, after taking the locks.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Max

from guishu.accounts.models import User
from guishu.accounts.selectors import managed_user_ids
from guishu.customers.models import Customer
from guishu.domain import (
    Actor,
    Basis,
    EventKind,
    FormerOwner,
    Level,
    OwnershipState,
    Person,
    Policy,
    TraceLine,
)
from guishu.domain import OwnershipEvent as DomainEvent
from guishu.domain.events import GAINING, LOSING
from guishu.ownership.models import Ownership, OwnershipEvent
from guishu.pools.routing import pool_route


class ConcurrentOwnershipChange(RuntimeError):
    """The active term changed under us despite the locks: refuse loudly rather than guess."""


def active_term(customer_id: int) -> Ownership | None:
    return (
        Ownership.objects.select_related("owner")
        .filter(customer_id=customer_id, ended_at__isnull=True)
        .first()
    )


def load_state(customer: Customer) -> tuple[OwnershipState, Ownership | None]:
    """The engine's view of `customer`, and the active term row if it has an owner."""
    term = active_term(customer.pk)
    losses = (
        Ownership.objects.filter(customer_id=customer.pk, ended_at__isnull=False)
        .values("owner_id")
        .annotate(lost_at=Max("ended_at"))
    )
    former = tuple(FormerOwner(person_id=row["owner_id"], lost_at=row["lost_at"]) for row in losses)
    pooled_at = None
    if term is None and former:
        pooled_at = max(f.lost_at for f in former)
    state = OwnershipState(
        customer_name=customer.name,
        level=Level(customer.level),
        known=True,
        owner=term.owner.as_person() if term else None,
        basis=Basis(term.basis) if term else None,
        owner_since=term.started_at if term else None,
        protected_until=term.protected_until if term else None,
        last_follow_up_at=term.last_follow_up_at if term else None,
        deal_won_at=term.deal_won_at if term else None,
        locked_at=term.locked_at if term else None,
        pooled_at=pooled_at,
        protection_extensions=term.protection_extensions if term else 0,
        former_owners=former,
    )
    return state, term


def start_of_day(now: datetime, tz: str) -> datetime:
    return datetime.combine(now.astimezone(ZoneInfo(tz)).date(), time.min, tzinfo=ZoneInfo(tz))


def held_by(user_id: int, policy: Policy | None = None) -> int:
    """How many customers count towards the user's holding cap: all they own, or (when the
    policy says so) all but those they have won a deal with."""
    held = Ownership.objects.filter(owner_id=user_id, ended_at__isnull=True)
    if policy is not None and policy.won_excluded_from_holding_cap:
        held = held.filter(deal_won_at__isnull=True)
    return held.count()


def locked_by(user_id: int) -> int:
    return Ownership.objects.filter(
        owner_id=user_id, ended_at__isnull=True, locked_at__isnull=False
    ).count()


def actor_for(user: User, policy: Policy, now: datetime) -> Actor:
    """The user with their current counts. Call after `lock_users` so the counts hold."""
    active = Ownership.objects.filter(owner_id=user.pk, ended_at__isnull=True)
    since = start_of_day(now, policy.timezone)
    claims_today = OwnershipEvent.objects.filter(
        actor_id=user.pk, kind=EventKind.CLAIMED, at__gte=since, at__lt=since + timedelta(days=1)
    ).count()
    return Actor(
        person=user.as_person(),
        held=held_by(user.pk, policy),
        locked=active.filter(locked_at__isnull=False).count(),
        claims_today=claims_today,
        manages=managed_user_ids(user),
    )


def persist(
    customer: Customer,
    term: Ownership | None,
    events: tuple[DomainEvent, ...],
    **term_evidence: datetime | None,
) -> list[OwnershipEvent]:
    """Writes accepted events: the terms they start, end or update, and the audit rows.

    Follow-ups only move the term's clock; every other event is also an audit row.
    """
    rows: list[OwnershipEvent] = []
    for event in events:
        if event.kind in LOSING or event.kind in GAINING:
            if term is not None:
                _end_term(term, event)
            term = None
        if event.kind in GAINING:
            assert event.to_owner is not None
            term = Ownership.objects.create(
                customer=customer,
                owner_id=event.to_owner.id,
                basis=GAINING[event.kind],
                started_at=event.at,
                protected_until=event.protected_until,
                **term_evidence,
            )
        elif event.kind not in LOSING:
            assert term is not None, "a term-level event needs an active term"
            _update_term(term, event)
        if event.kind is not EventKind.FOLLOWED_UP:
            rows.append(_audit_row(customer, event))
    returned = [
        (customer.pk, event.from_owner.id if event.from_owner else None)
        for event in events
        if event.kind in LOSING
    ]
    if returned:
        pool_route(returned[-1:], now=events[-1].at)  # to the pool the rules route it to
    return OwnershipEvent.objects.bulk_create(rows) if rows else []


def _end_term(term: Ownership, event: DomainEvent) -> None:
    # Compare-and-set on "still active": zero rows means someone else ended it first.
    ended = Ownership.objects.filter(pk=term.pk, ended_at__isnull=True).update(
        ended_at=event.at, end_reason=event.kind.value
    )
    if ended != 1:
        raise ConcurrentOwnershipChange(f"term {term.pk} was ended concurrently")


def _update_term(term: Ownership, event: DomainEvent) -> None:
    changes: dict[str, datetime | int | None] = {}
    if event.kind is EventKind.PROTECTION_EXTENDED:
        changes["protected_until"] = event.protected_until
        changes["protection_extensions"] = term.protection_extensions + 1
    elif event.kind is EventKind.LOCKED:
        changes["locked_at"] = event.at
    elif event.kind is EventKind.UNLOCKED:
        changes["locked_at"] = None
    elif event.kind is EventKind.DEAL_WON:
        changes["deal_won_at"] = term.deal_won_at or event.at
    elif event.kind is EventKind.FOLLOWED_UP and (
        term.last_follow_up_at is None or event.at > term.last_follow_up_at
    ):
        changes["last_follow_up_at"] = event.at
    if changes:
        updated = Ownership.objects.filter(pk=term.pk, ended_at__isnull=True).update(**changes)
        if updated != 1:
            raise ConcurrentOwnershipChange(f"term {term.pk} was ended concurrently")
        for field, value in changes.items():
            setattr(term, field, value)


def _audit_row(customer: Customer, event: DomainEvent) -> OwnershipEvent:
    def user_id(person: Person | None) -> int | None:
        return person.id if person else None

    return OwnershipEvent(
        customer=customer,
        kind=event.kind.value,
        at=event.at,
        actor_id=user_id(event.actor),
        from_owner_id=user_id(event.from_owner),
        to_owner_id=user_id(event.to_owner),
        protected_until=event.protected_until,
        trace=[line.as_json() for line in event.trace],
        evidence=dict(event.evidence),
    )


def to_domain_event(row: OwnershipEvent) -> DomainEvent:
    """An audit row back as an engine event, for replaying the history."""

    def person(user: User | None) -> Person | None:
        return user.as_person() if user else None

    return DomainEvent(
        kind=EventKind(row.kind),
        at=row.at,
        actor=person(row.actor),
        from_owner=person(row.from_owner),
        to_owner=person(row.to_owner),
        trace=tuple(TraceLine.from_json(line) for line in row.trace),
        protected_until=row.protected_until,
        evidence=row.evidence,
    )
