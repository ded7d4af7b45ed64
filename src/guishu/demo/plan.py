"""The demo year, planned before anything is written: a discrete-event simulation that lets the
real rules engine referee every ownership step on an in-memory copy of each customer's state.

Because the engine decides here exactly as it will when the services replay the plan, the
plan never asks for anything the rules refuse: reclaims happen when (and only when) they fall
due, claims respect the caps and the cool-down, and collisions are planned only on customers
someone else owns at that moment. What happens to a customer over a term is drawn up front
(see story.py); everything else follows from the rules.
"""

import heapq
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from guishu.customers.inputs import CustomerInput
from guishu.demo.companies import DemoCustomer
from guishu.demo.money import Sale
from guishu.demo.texts import Touch
from guishu.domain import (
    Accepted,
    Actor,
    Command,
    EventKind,
    Level,
    Lock,
    OwnershipState,
    Person,
    Policy,
    Reclaim,
    ReclaimRule,
    Rejection,
    apply,
    decide,
    reclaim_forecast,
)
from guishu.domain import OwnershipEvent as Event
from guishu.domain.events import GAINING, LOSING


def days(n: float) -> timedelta:
    return timedelta(days=n)


@dataclass(frozen=True)
class Step:
    """One thing that happened in the demo year; the loader replays them in this order."""

    at: datetime
    # register, collide (a refused registration), follow_up (through activity_log), touch (an
    # activity inserted in bulk), order, reorder, collect, release, claim, assign, transfer,
    # lock, reclaim
    kind: str
    customer: int
    by: str = ""  # username of whoever acted; empty for the reclaim sweep
    to: str = ""
    reason: str = ""
    rule: ReclaimRule | None = None
    touch: Touch | None = None
    sale: Sale | None = None
    data: CustomerInput | None = None
    first_contact_at: datetime | None = None


class PlanError(RuntimeError):
    """The plan asked the engine for something it refused: a bug in the demo, not in the rules."""


@dataclass
class World:
    """Every customer's ownership state as the engine sees it, plus the per-person counts the
    caps are checked against, advanced one event at a time in time order."""

    rng: random.Random
    policy: Policy
    people: dict[str, Person]
    manages: dict[str, frozenset[int] | None]
    customers: list[DemoCustomer]
    start: datetime
    end: datetime
    states: list[OwnershipState] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    term: list[int] = field(default_factory=list)  # bumps whenever the owner changes
    held: Counter[str] = field(default_factory=Counter)
    locked: Counter[str] = field(default_factory=Counter)
    claims: Counter[tuple[str, date]] = field(default_factory=Counter)
    username: dict[int, str] = field(default_factory=dict)
    lapsed: set[tuple[int, int]] = field(default_factory=set)  # terms reclaimed for no follow-up
    _queue: list[tuple[datetime, int, Callable[..., None], tuple[Any, ...]]] = field(
        default_factory=list
    )
    _seq: int = 0
    _sweep: list[int] = field(default_factory=list)
    _now: datetime | None = None

    def __post_init__(self) -> None:
        self.states = [
            OwnershipState.unregistered(c.data.name, Level(c.data.level)) for c in self.customers
        ]
        self.term = [0] * len(self.customers)
        self._sweep = [0] * len(self.customers)
        self.username = {person.id: name for name, person in self.people.items()}

    # -- the clock --------------------------------------------------------------------------

    def at(self, when: datetime, handler: Callable[..., None], *args: Any) -> None:
        """Schedules `handler(when, *args)`; anything after the present is dropped."""
        if when <= self.end:
            self._seq += 1
            heapq.heappush(self._queue, (when, self._seq, handler, args))

    def run(self) -> list[Step]:
        while self._queue:
            when, _, handler, args = heapq.heappop(self._queue)
            assert self._now is None or when >= self._now, "the demo clock never runs backwards"
            self._now = when
            handler(when, *args)
        return self.steps

    # -- office hours ---------------------------------------------------------------------

    def work_time(self, moment: datetime, after: datetime | None = None) -> datetime:
        """A moment during office hours on the day of `moment` (Sundays move to Monday)."""
        local = moment.astimezone(self.start.tzinfo)
        day = local.date()
        if day.weekday() == 6:  # Sunday: Monday, unless that is already the present
            day += timedelta(days=1 if day + timedelta(days=1) < self.end.date() else -1)
        hour = self.rng.choice((8, 9, 9, 10, 10, 10, 11, 11, 13, 14, 14, 15, 15, 16, 16, 17, 19))
        clock = time(hour, self.rng.randint(0, 59), self.rng.randint(0, 59))
        result = datetime.combine(day, clock, tzinfo=self.start.tzinfo)
        if after is not None and result <= after:
            result = after + timedelta(minutes=self.rng.randint(20, 240))
        return result

    def later(self, when: datetime, offset: float) -> datetime:
        return self.work_time(when + days(offset), after=when)

    # -- asking the engine ------------------------------------------------------------------

    def actor(self, username: str, when: datetime) -> Actor:
        day = when.astimezone(self.start.tzinfo).date()
        return Actor(
            person=self.people[username],
            held=self.held[username],
            locked=self.locked[username],
            claims_today=self.claims[(username, day)],
            manages=self.manages[username],
        )

    def lock(self, customer: int, username: str, when: datetime) -> Lock:
        """The lock command; the cap counts the owner's locks, whoever sets them."""
        return Lock(
            actor=self.actor(username, when), owner_locked=self.locked[self.owner(customer)]
        )

    def ask(self, customer: int, command: Command, when: datetime) -> Rejection | None:
        """Decides `command` and applies it to the copy; returns the refusal, if any."""
        decision = decide(self.states[customer], command, self.policy, when)
        if isinstance(decision, Rejection):
            return decision
        assert isinstance(decision, Accepted)
        for event in decision.events:
            self._count(customer, event)
            self.states[customer] = apply(self.states[customer], event)
        self.rearm(customer)
        return None

    def must(self, customer: int, command: Command, when: datetime) -> None:
        refusal = self.ask(customer, command, when)
        if refusal is not None:
            raise PlanError(f"{command} on {self.customers[customer].data.name}: {refusal}")

    def _count(self, customer: int, event: Event) -> None:
        """Keeps the holding, lock and daily-claim counts the caps are checked against."""
        state = self.states[customer]
        before = self.owner(customer)
        if event.kind in GAINING or event.kind in LOSING:
            self.term[customer] += 1
            if before:
                self.held[before] -= 1
                if state.locked_at is not None:
                    self.locked[before] -= 1
            if event.to_owner is not None:
                self.held[self.username[event.to_owner.id]] += 1
            if event.kind is EventKind.CLAIMED and event.actor is not None:
                day = event.at.astimezone(self.start.tzinfo).date()
                self.claims[(self.username[event.actor.id], day)] += 1
        elif event.kind is EventKind.LOCKED:
            self.locked[before] += 1
        elif event.kind is EventKind.UNLOCKED:
            self.locked[before] -= 1

    def owner(self, customer: int) -> str:
        state = self.states[customer]
        return self.username[state.owner.id] if state.owner else ""

    # -- the reclaim sweep ------------------------------------------------------------------

    def rearm(self, customer: int) -> None:
        """Schedules the sweep for when the customer next falls due; earlier plans lapse."""
        self._sweep[customer] += 1
        forecast = reclaim_forecast(self.states[customer], self.policy)
        if forecast is not None:
            due = forecast.due_at
            # The sweep runs on the hour, so a reclaim lands at the first full hour after due.
            sweep = due.replace(minute=0, second=0, microsecond=0)
            sweep = sweep if sweep == due else sweep + timedelta(hours=1)
            self.at(sweep, self._swept, customer, self._sweep[customer])

    def _swept(self, when: datetime, customer: int, version: int) -> None:
        if version != self._sweep[customer]:
            return
        forecast = reclaim_forecast(self.states[customer], self.policy)
        assert forecast is not None and forecast.due_at <= when
        if forecast.rule is ReclaimRule.NO_FOLLOW_UP:
            self.lapsed.add((customer, self.term[customer]))
        self.must(customer, Reclaim(rule=forecast.rule), when)
        self.record(Step(when, "reclaim", customer, rule=forecast.rule))
        self.pooled(when, customer)

    def record(self, step: Step) -> Step:
        self.steps.append(step)
        return step

    def pooled(self, when: datetime, customer: int) -> None:
        """What happens after a customer lands in the pool: the story decides."""
