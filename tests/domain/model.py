"""A deliberately simple model of ownership, for the state machine to check the engine against.

It is written from the rules as DOMAIN.md and docs/ownership.md state them, not from the
engine's code: who may own and who acts for whom are spelled out here rather than read from
`Person.can_own` or `Actor.oversees`.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from guishu.domain import Basis, Level, Person, Policy, ReclaimRule, RejectionCode
from tests.domain.conftest import DIRECTOR, HAN_MEIMEI, LEFT, LI_LEI, MANAGER, SHANGHAI

Code = RejectionCode

# A tight policy, so that 40 random steps reach every cap, window and cool-down.
PROTECTION = timedelta(days=5)
FOLLOW_UP_DAYS = {Level.A: 1, Level.B: 3, Level.C: 6}  # A and B fall due while protected
NO_DEAL = timedelta(days=9)
WARNING = timedelta(days=1)
COOL_DOWN = timedelta(days=3)
MAX_HELD, MAX_LOCKED, DAILY_CLAIMS = 3, 1, 1
TIGHT = Policy(
    protection_days=PROTECTION.days,
    follow_up_reclaim_days=FOLLOW_UP_DAYS,
    no_deal_reclaim_days=NO_DEAL.days,
    reclaim_warning_days=WARNING.days,
    max_held=MAX_HELD,
    max_locked=MAX_LOCKED,
    daily_claim_limit=DAILY_CLAIMS,
    former_owner_cooldown_days=COOL_DOWN.days,
)

CUSTOMERS = {
    "Nordlicht GmbH": Level.A,
    "宁波海曙贸易有限公司": Level.B,
    "Andes Import SAC": Level.C,
    "Acme Pumps Ltd": Level.A,
    "Санкт-Петербург Трейд": Level.B,
}
PEOPLE = (LI_LEI, HAN_MEIMEI, MANAGER, DIRECTOR, LEFT)
OWNERS = {LI_LEI.id, HAN_MEIMEI.id, MANAGER.id}
OVERSEES = {MANAGER.id: {LI_LEI.id, MANAGER.id}, DIRECTOR.id: {p.id for p in PEOPLE}}


@dataclass
class Term:
    """What the model knows about one customer: its current term and who lost it when."""

    level: Level
    known: bool = False
    owner: Person | None = None
    basis: Basis | None = None
    since: datetime | None = None
    protected_until: datetime | None = None
    locked_at: datetime | None = None
    worked_at: datetime | None = None
    deal_won: bool = False
    lost: dict[int, datetime] = field(default_factory=dict)

    def start(self, owner: Person, basis: Basis, now: datetime, *, protected: bool) -> None:
        """A new owner's term: a clean slate, and the previous owner (if any) has lost it."""
        if self.owner is not None:
            self.lost[self.owner.id] = now
        self.known, self.owner, self.basis, self.since = True, owner, basis, now
        self.protected_until = now + PROTECTION if protected else None
        self.locked_at, self.worked_at, self.deal_won = None, None, False

    def end(self, now: datetime) -> None:
        """Back to the pool."""
        assert self.owner is not None
        self.lost[self.owner.id] = now
        self.owner = self.basis = self.since = self.protected_until = None
        self.locked_at, self.worked_at, self.deal_won = None, None, False

    def due(self) -> dict[ReclaimRule, datetime | None]:
        """When each reclaim rule falls due, protection and locks aside (None: never)."""
        assert self.since is not None
        worked = max(self.since, self.worked_at or self.since)
        return {
            ReclaimRule.NO_FOLLOW_UP: worked + timedelta(days=FOLLOW_UP_DAYS[self.level]),
            ReclaimRule.NO_DEAL: None if self.deal_won else self.since + NO_DEAL,
        }


class Model:
    """Every customer's term, and when each person claimed from the pool."""

    def __init__(self) -> None:
        self.terms = {name: Term(level) for name, level in CUSTOMERS.items()}
        self.claimed_at: dict[int, list[datetime]] = defaultdict(list)

    # The counts a service reads inside its transaction and hands the engine in an Actor.

    def held(self, person: Person) -> int:
        return sum(term.owner == person for term in self.terms.values())

    def locked(self, person: Person) -> int:
        return sum(t.owner == person and t.locked_at is not None for t in self.terms.values())

    def claims_on(self, person: Person, now: datetime) -> int:
        """Claims on `now`'s calendar day in the company's time zone."""
        today = now.astimezone(SHANGHAI).date()
        return sum(at.astimezone(SHANGHAI).date() == today for at in self.claimed_at[person.id])

    # Which rules a command breaks: sets of rejection codes, empty when it must be accepted.

    def cannot_hold(self, person: Person) -> set[Code]:
        broken = set() if person.id in OWNERS else {Code.CANNOT_OWN}
        return broken | ({Code.HOLDING_CAP} if self.held(person) >= MAX_HELD else set())

    @staticmethod
    def unowned(term: Term) -> set[Code]:
        """What stops anyone from acting on the owner's customer: there is no owner."""
        if not term.known:
            return {Code.NOT_IN_POOL}
        return {Code.IN_POOL} if term.owner is None else set()

    @staticmethod
    def not_theirs(term: Term, who: Person, refusal: Code) -> set[Code]:
        """What stops `who` from acting as the owner, or for the owner as their manager."""
        if term.owner is None:
            return Model.unowned(term)
        if term.owner != who and term.owner.id not in OVERSEES.get(who.id, set()):
            return {refusal}
        return set()

    @staticmethod
    def taken(term: Term, who: Person) -> set[Code]:
        """What stops `who` from filing or claiming: someone, maybe `who`, owns it already."""
        if term.owner is None:
            return set()
        return {Code.ALREADY_YOURS if term.owner == who else Code.OWNED_BY_OTHER}
