"""The ownership state of one customer, as the engine reasons about it."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from guishu.domain.people import Person
from guishu.domain.policy import Level


class Basis(StrEnum):
    """Why the current owner owns the customer."""

    REGISTERED = "registered"
    CLAIMED = "claimed"
    ASSIGNED = "assigned"
    TRANSFERRED = "transferred"
    DECIDED = "decided"  # by a dispute's decision


@dataclass(frozen=True)
class FormerOwner:
    """A person who lost the customer (released or reclaimed) and when: feeds the cool-down."""

    person_id: int
    lost_at: datetime


@dataclass(frozen=True)
class OwnershipState:
    """Everything the rules need to know about one customer's ownership.

    `known` is False for a customer that is being registered and does not exist yet. A known
    customer with no owner is in the pool. The protection and reclaim clocks belong to the
    current owner's term and are reset when the owner changes.
    """

    customer_name: str
    level: Level = Level.C
    known: bool = True
    owner: Person | None = None
    basis: Basis | None = None
    owner_since: datetime | None = None
    protected_until: datetime | None = None
    last_follow_up_at: datetime | None = None
    deal_won_at: datetime | None = None
    locked_at: datetime | None = None
    pooled_at: datetime | None = None
    protection_extensions: int = 0
    former_owners: tuple[FormerOwner, ...] = ()

    @classmethod
    def unregistered(cls, customer_name: str, level: Level = Level.C) -> "OwnershipState":
        return cls(customer_name=customer_name, level=level, known=False)

    @property
    def in_pool(self) -> bool:
        return self.known and self.owner is None

    def is_protected(self, now: datetime) -> bool:
        return self.protected_until is not None and now < self.protected_until

    def lost_by(self, person_id: int) -> datetime | None:
        """When `person_id` last lost this customer, if ever."""
        times = [f.lost_at for f in self.former_owners if f.person_id == person_id]
        return max(times) if times else None
