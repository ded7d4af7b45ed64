"""Events: the facts an accepted command produces, and how they change the state.

`apply` is the only way state changes, and `replay` rebuilds a customer's state from its
events: the stored history of events must always reproduce the current owner.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from guishu.domain.people import Person
from guishu.domain.policy import Level
from guishu.domain.state import Basis, FormerOwner, OwnershipState
from guishu.domain.trace import TraceLine


class EventKind(StrEnum):
    REGISTERED = "registered"
    CLAIMED = "claimed"
    ASSIGNED = "assigned"
    TRANSFERRED = "transferred"
    RELEASED = "released"
    RECLAIMED = "reclaimed"
    LOCKED = "locked"
    UNLOCKED = "unlocked"
    DEAL_WON = "deal_won"
    FOLLOWED_UP = "followed_up"
    PROTECTION_EXTENDED = "extended"  # the protection, by another period
    DECIDED = "decided"  # a dispute gave the customer to a party
    UPHELD = "upheld"  # a dispute left the customer with its owner


# Events that hand the customer to a new owner, and the basis the new owner holds it on.
GAINING = {
    EventKind.REGISTERED: Basis.REGISTERED,
    EventKind.CLAIMED: Basis.CLAIMED,
    EventKind.ASSIGNED: Basis.ASSIGNED,
    EventKind.TRANSFERRED: Basis.TRANSFERRED,
    EventKind.DECIDED: Basis.DECIDED,
}
LOSING = frozenset({EventKind.RELEASED, EventKind.RECLAIMED})


@dataclass(frozen=True)
class OwnershipEvent:
    """One fact about a customer's ownership, with who caused it and the rule trace behind it.

    `actor` is None when the system acted (the reclaim sweep). `evidence` keeps what the
    decision rested on (first contact, the rule and its deadline, a stated reason).
    """

    kind: EventKind
    at: datetime
    actor: Person | None
    from_owner: Person | None
    to_owner: Person | None
    trace: tuple[TraceLine, ...]
    protected_until: datetime | None = None
    evidence: Mapping[str, str] = field(default_factory=dict)

    @property
    def changes_owner(self) -> bool:
        return self.kind in GAINING or self.kind in LOSING


def apply(state: OwnershipState, event: OwnershipEvent) -> OwnershipState:
    """The state after `event`. Pure; used by the engine and by replay."""
    if event.kind in GAINING:
        return replace(
            state,
            known=True,
            owner=event.to_owner,
            basis=GAINING[event.kind],
            owner_since=event.at,
            protected_until=event.protected_until,
            last_follow_up_at=None,
            deal_won_at=None,
            locked_at=None,
            pooled_at=None,
            protection_extensions=0,
            former_owners=_with_loss(state, event.at),
        )
    if event.kind in LOSING:
        return replace(
            state,
            owner=None,
            basis=None,
            owner_since=None,
            protected_until=None,
            last_follow_up_at=None,
            deal_won_at=None,
            locked_at=None,
            pooled_at=event.at,
            protection_extensions=0,
            former_owners=_with_loss(state, event.at),
        )
    if event.kind is EventKind.PROTECTION_EXTENDED:
        return replace(
            state,
            protected_until=event.protected_until,
            protection_extensions=state.protection_extensions + 1,
        )
    if event.kind is EventKind.UPHELD:
        return state
    if event.kind is EventKind.LOCKED:
        return replace(state, locked_at=event.at)
    if event.kind is EventKind.UNLOCKED:
        return replace(state, locked_at=None)
    if event.kind is EventKind.DEAL_WON:
        return replace(state, deal_won_at=state.deal_won_at or event.at)
    if event.kind is EventKind.FOLLOWED_UP:
        latest = max(filter(None, (state.last_follow_up_at, event.at)))
        return replace(state, last_follow_up_at=latest)
    raise ValueError(f"unknown event kind {event.kind!r}")  # pragma: no cover


def _with_loss(state: OwnershipState, at: datetime) -> tuple[FormerOwner, ...]:
    """Former owners after the current owner (if any) loses the customer at `at`."""
    if state.owner is None:
        return state.former_owners
    others = tuple(f for f in state.former_owners if f.person_id != state.owner.id)
    return (*others, FormerOwner(person_id=state.owner.id, lost_at=at))


def replay(
    customer_name: str, events: Iterable[OwnershipEvent], level: Level = Level.C
) -> OwnershipState:
    """Rebuilds a customer's state from its full event history, oldest first."""
    state = OwnershipState.unregistered(customer_name, level)
    for event in events:
        state = apply(state, event)
    return state
