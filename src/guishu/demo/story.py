"""What happens to each customer over the demo year.

At the start of every ownership term the story draws how it will go: whether the owner wins a
deal and how many orders follow, how diligently they follow up (a slip longer than the level's
window lets the sweep reclaim it), whether a prospect going nowhere is dropped or released,
whether a good account is locked or handed over, and whether a colleague collides with it.
Customers that land in the pool are sometimes claimed or assigned again later. The engine in
plan.World referees every step.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

from guishu.demo import money
from guishu.demo.companies import KeyBook
from guishu.demo.money import Sale
from guishu.demo.plan import PlanError, Step, World, days
from guishu.demo.texts import RELEASE_REASONS, TRANSFER_REASONS, touch
from guishu.demo.variants import other_spelling
from guishu.domain import (
    AssignFromPool,
    Claim,
    FollowUp,
    Register,
    RejectionCode,
    Release,
    Transfer,
    WinDeal,
)

WIN_CHANCE = {"A": 0.72, "B": 0.58, "C": 0.4}
RETRY = (RejectionCode.COOL_DOWN, RejectionCode.DAILY_CLAIM_CAP, RejectionCode.HOLDING_CAP)


@dataclass(frozen=True)
class TermPlan:
    """How one owner's term will go, drawn when it starts."""

    pace: float  # below 1: follows up more often than needed
    win_day: float | None  # the first order, in days from the start of the term
    orders: int
    stop_day: float | None  # the owner stops working it
    release_day: float | None
    transfer_day: float | None
    lock: bool


@dataclass
class Year(World):
    """The demo year: registrations spread over it, and each customer's terms as drawn."""

    book: KeyBook = field(default_factory=KeyBook)
    sellers: dict[bool, list[str]] = field(default_factory=dict)  # domestic? -> usernames
    manager: dict[bool, str] = field(default_factory=dict)  # domestic? -> their manager
    desk: frozenset[str] = frozenset()  # the key-accounts desk, favoured for level A buyers
    special: frozenset[int] = frozenset()  # customers with a story of their own (the A/B case)
    plans: dict[int, TermPlan] = field(default_factory=dict)  # the current term's plan
    won: set[int] = field(default_factory=set)  # customers who have bought
    last_valid: dict[tuple[int, int], int] = field(default_factory=dict)  # (customer, term)
    orders: int = 0

    def begin(self) -> None:
        """Schedules a registration per customer, spread over the year, oldest index first."""
        ordinary = [i for i in range(len(self.customers)) if i not in self.special]
        span = (self.end - self.start).total_seconds() / 86400 - 1
        offsets = sorted(self.rng.uniform(0, span) for _ in ordinary)
        for index, offset in zip(ordinary, offsets, strict=True):
            when = self.work_time(self.start + days(offset))
            assert when < self.end, "every customer is registered before the present"
            self.at(when, self.register, index)

    def finish(self) -> list[Step]:
        """Runs the year, then marks the follow-ups that must go through activity_log: the
        last valid one of every current term (it sets the reclaim clock) and of every term
        reclaimed for want of follow-up (the reclaim's evidence names it). Terms that ended
        otherwise (released, transferred, no deal) do not depend on it."""
        steps = self.run()
        for (customer, term), index in self.last_valid.items():
            if term == self.term[customer] or (customer, term) in self.lapsed:
                steps[index] = replace(steps[index], kind="follow_up")
        return steps

    # -- who -------------------------------------------------------------------------------

    def domestic(self, customer: int) -> bool:
        return self.customers[customer].domestic

    def candidates(self, customer: int, *, besides: str = "") -> list[str]:
        """Who could take the customer, in a random order that favours reps over managers
        and the key-accounts desk for level A foreign buyers."""
        level = self.customers[customer].data.level
        people = [p for p in self.sellers[self.domestic(customer)] if p != besides]

        def weight(username: str) -> float:
            person = self.people[username]
            base = 0.25 if person.role == "manager" else 1.0
            return base * (1.8 if level == "A" and username in self.desk else 1.0)

        # A weighted random order: sort by u ** (1 / weight).
        return sorted(people, key=lambda p: self.rng.random() ** (1 / weight(p)), reverse=True)

    # -- handlers ---------------------------------------------------------------------------

    def register(self, when: datetime, customer: int) -> None:
        for rep in self.candidates(customer):
            refusal = self.ask(customer, Register(actor=self.actor(rep, when)), when)
            if refusal is None:
                contact = when - days(self.rng.uniform(0, 12))
                self.record(Step(when, "register", customer, by=rep, first_contact_at=contact))
                self.start_term(when, customer)
                return
            if refusal.code is not RejectionCode.HOLDING_CAP:
                raise PlanError(str(refusal))
        raise PlanError(f"nobody can take {self.customers[customer].data.name}: all at the cap")

    def start_term(self, when: datetime, customer: int) -> None:
        rng, level, term = self.rng, self.customers[customer].data.level, self.term[customer]
        bought = customer in self.won
        wins = rng.random() < (0.85 if bought else WIN_CHANCE[level])
        win_day = rng.uniform(4, 40) if bought else rng.uniform(10, 80)
        plan = TermPlan(
            pace=rng.uniform(0.6, 1.15),
            win_day=win_day if wins else None,
            orders=1 + int(rng.expovariate(1 / {"A": 5, "B": 3, "C": 1.2}[level])),
            stop_day=None if wins and rng.random() > 0.08 else rng.uniform(5, 250 if wins else 95),
            release_day=rng.uniform(12, 80) if not wins and rng.random() < 0.15 else None,
            transfer_day=win_day + rng.uniform(20, 220) if wins and rng.random() < 0.06 else None,
            lock=wins and rng.random() < {"A": 0.3, "B": 0.06, "C": 0.0}[level],
        )
        self.plans[customer] = plan
        self.at(self.later(when, rng.uniform(0.05, 3)), self.follow_up, customer, term)
        if plan.win_day is not None:
            self.at(self.later(when, plan.win_day), self.order, customer, term, plan.orders)
        if plan.release_day is not None:
            self.at(self.later(when, plan.release_day), self.release, customer, term)
        if plan.transfer_day is not None:
            self.at(self.later(when, plan.transfer_day), self.transfer, customer, term)
        if rng.random() < 0.05:
            self.at(self.later(when, rng.uniform(2, 120)), self.collide, customer, term)

    def current(self, customer: int, term: int) -> bool:
        return self.term[customer] == term

    def follow_up(self, when: datetime, customer: int, term: int) -> None:
        if not self.current(customer, term):
            return
        plan, owner = self.plans[customer], self.owner(customer)
        since = self.states[customer].owner_since
        assert since is not None
        if plan.stop_day is not None and when > since + days(plan.stop_day):
            return  # the owner has given up on it; the sweep will take it back
        state = self.states[customer]
        planned = touch(
            self.rng,
            customer=customer,
            by=owner,
            at=when,
            domestic=self.domestic(customer),
            account=state.deal_won_at is not None,
        )
        self.must(
            customer, FollowUp(actor=self.actor(owner, when), kind=planned.kind, at=when), when
        )
        self.record(Step(when, "touch", customer, by=owner, touch=planned))
        if planned.kind in self.policy.valid_follow_up_kinds:
            self.last_valid[(customer, term)] = len(self.steps) - 1
        window = self.policy.follow_up_reclaim_days[state.level]
        gap = max(0.3, window * self.rng.uniform(0.1, 0.72) * plan.pace)
        if self.rng.random() < 0.0006 * gap:  # a slip, about once in five years of touches
            gap = window * self.rng.uniform(1.05, 1.6)
        self.at(self.later(when, gap), self.follow_up, customer, term)

    def order(self, when: datetime, customer: int, term: int, left: int) -> None:
        if not self.current(customer, term):
            return
        owner, demo = self.owner(customer), self.customers[customer]
        # The term's first order is the won deal the engine records; repeat orders change no
        # ownership state, so the loader may insert them in bulk.
        kind = "order" if self.states[customer].deal_won_at is None else "reorder"
        self.must(customer, WinDeal(actor=self.actor(owner, when), at=when), when)
        self.won.add(customer)
        self.orders += 1
        number = f"SO-{when:%Y%m}-{self.orders:05d}"
        sale = money.sale(self.rng, number=number, level=demo.data.level, currency=demo.currency)
        self.record(Step(when, kind, customer, by=owner, sale=sale))
        for offset, amount in money.payments(self.rng, sale, domestic=demo.domestic):
            self.at(self.later(when, offset), self.collect, customer, owner, sale, amount)
        if left > 1:
            following = self.later(when, self.rng.uniform(30, 100))
            self.at(following, self.order, customer, term, left - 1)
        if self.plans[customer].lock and self.states[customer].locked_at is None:
            self.at(self.later(when, self.rng.uniform(1, 10)), self.locks, customer, term)

    def collect(self, when: datetime, customer: int, by: str, sale: Sale, amount: Decimal) -> None:
        self.record(
            Step(when, "collect", customer, by=by, sale=Sale(sale.number, amount, sale.currency))
        )

    def locks(self, when: datetime, customer: int, term: int) -> None:
        owner = self.owner(customer)
        if not self.current(customer, term) or self.states[customer].locked_at is not None:
            return
        if self.locked[owner] >= self.policy.max_locked - 1:
            return  # one lock is kept free for the rep's next key account
        self.must(customer, self.lock(customer, owner, when), when)
        self.record(Step(when, "lock", customer, by=owner))

    def release(self, when: datetime, customer: int, term: int) -> None:
        if not self.current(customer, term) or self.states[customer].deal_won_at is not None:
            return
        owner, reason = self.owner(customer), self.rng.choice(RELEASE_REASONS)
        self.must(customer, Release(actor=self.actor(owner, when), reason=reason), when)
        self.record(Step(when, "release", customer, by=owner, reason=reason))
        self.pooled(when, customer)

    def transfer(self, when: datetime, customer: int, term: int) -> None:
        if not self.current(customer, term):
            return
        owner = self.owner(customer)
        to = self.candidates(customer, besides=owner)[0]
        by = owner if self.rng.random() < 0.5 else self.manager[self.domestic(customer)]
        reason = self.rng.choice(TRANSFER_REASONS)
        command = Transfer(
            actor=self.actor(by, when), to=self.people[to], to_held=self.held[to], reason=reason
        )
        if self.ask(customer, command, when) is None:
            self.record(Step(when, "transfer", customer, by=by, to=to, reason=reason))
            self.start_term(when, customer)

    def collide(self, when: datetime, customer: int, term: int) -> None:
        """A colleague who met the customer independently tries to register it."""
        if not self.current(customer, term):
            return
        data = other_spelling(self.rng, self.customers[customer], customer, self.book)
        if data is None:
            return
        rep = self.candidates(customer, besides=self.owner(customer))[0]
        refusal = self.ask(customer, Register(actor=self.actor(rep, when)), when)
        if refusal is None or not refusal.is_collision:
            raise PlanError(f"expected a collision on {self.customers[customer].data.name}")
        self.record(Step(when, "collide", customer, by=rep, data=data))

    def pooled(self, when: datetime, customer: int) -> None:
        if customer not in self.special and self.rng.random() < 0.35:
            wait = 1 + self.rng.expovariate(1 / 30)
            self.at(self.later(when, wait), self.pick_up, customer, self.term[customer])

    def pick_up(self, when: datetime, customer: int, term: int) -> None:
        """A rep claims the pooled customer, or a manager assigns it to one."""
        if not self.current(customer, term):
            return
        if self.rng.random() < 0.15:
            manager = self.manager[self.domestic(customer)]
            for rep in self.candidates(customer, besides=manager):
                command = AssignFromPool(
                    actor=self.actor(manager, when), to=self.people[rep], to_held=self.held[rep]
                )
                if self.ask(customer, command, when) is None:
                    self.record(Step(when, "assign", customer, by=manager, to=rep))
                    self.start_term(when, customer)
                    return
            return
        for rep in self.candidates(customer):
            refusal = self.ask(customer, Claim(actor=self.actor(rep, when)), when)
            if refusal is None:
                self.record(Step(when, "claim", customer, by=rep))
                self.start_term(when, customer)
                return
            if refusal.code not in RETRY:
                raise PlanError(str(refusal))
