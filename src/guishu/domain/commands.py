"""Commands: what someone asks the engine to do to one customer's ownership."""

from dataclasses import dataclass
from datetime import datetime

from guishu.domain.people import Actor, Person
from guishu.domain.policy import ReclaimRule


@dataclass(frozen=True)
class Register:
    """A rep files (报备) a customer nobody owns yet; starts the protection period.

    The first-contact time and when the contact details were found are kept as evidence for a
    later dispute; they do not change who wins a registration race (the first filing does).
    """

    actor: Actor
    first_contact_at: datetime | None = None
    details_found_at: datetime | None = None


@dataclass(frozen=True)
class FollowUp:
    """Someone logs a touchpoint (跟进) of `kind`; the owner's valid ones reset the clock."""

    actor: Actor
    kind: str
    at: datetime


@dataclass(frozen=True)
class ExtendProtection:
    """The owner (or a manager over them) extends the protection by another period, at most
    `max_protection_extensions` times per term."""

    actor: Actor


@dataclass(frozen=True)
class WinDeal:
    """A won deal (成交) for the owner: exempts the customer from the no-deal reclaim."""

    actor: Actor
    at: datetime


@dataclass(frozen=True)
class Release:
    """The owner (or a manager over them) returns the customer to the pool."""

    actor: Actor
    reason: str = ""


@dataclass(frozen=True)
class Claim:
    """A rep takes a customer from the pool (公海), within the caps.

    `ineligible_pool` names the pool the customer sits in when the rep is not eligible for it
    (empty when they are, or when pools do not restrict claims).
    """

    actor: Actor
    ineligible_pool: str = ""


@dataclass(frozen=True)
class AssignFromPool:
    """A manager gives a pool customer to a rep in their team tree."""

    actor: Actor
    to: Person
    to_held: int
    reason: str = ""


@dataclass(frozen=True)
class Transfer:
    """The owner hands a customer over, or a manager reassigns it, to another rep."""

    actor: Actor
    to: Person
    to_held: int
    reason: str = ""


@dataclass(frozen=True)
class Award:
    """A dispute's decision puts the customer with `to`: the owner keeps it (upheld) or it
    goes to the other party (decided). `actor` is who decided; None when the parties agreed
    or a decision's "no deal by" date passed. Authority to decide is the dispute rules' job
    (guishu.domain.disputes); the ownership rules still refuse an owner who cannot own."""

    actor: Person | None
    to: Person
    dispute_id: int
    how: str


@dataclass(frozen=True)
class Lock:
    """Locking keeps a key customer from being reclaimed, within the owner's lock cap.

    `owner_locked` is how many customers the current owner has locked already: the cap counts
    the owner's locks, whoever sets them.
    """

    actor: Actor
    owner_locked: int


@dataclass(frozen=True)
class Unlock:
    actor: Actor


@dataclass(frozen=True)
class Reclaim:
    """The sweep returns a customer to the pool under `rule`; refused unless the rule is due."""

    rule: ReclaimRule


Command = (
    Register
    | FollowUp
    | ExtendProtection
    | WinDeal
    | Release
    | Claim
    | AssignFromPool
    | Transfer
    | Award
    | Lock
    | Unlock
    | Reclaim
)
