"""Random command sequences over several customers, checked against a simple model.

The cast from conftest (two reps, a manager over 李雷 only, a director, a rep who has left) works
five customers while the clock jumps forward by random amounts. The model (model.py) keeps who
owns what and the counters the caps need; every Actor carries the counts a service would read
from it, the model predicts which rules each command breaks, and the engine's answer and
events are checked against that prediction.
"""

from datetime import UTC, timedelta, tzinfo

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from guishu.domain import (
    Accepted,
    Actor,
    AssignFromPool,
    Basis,
    Claim,
    Command,
    EventKind,
    FollowUp,
    Lock,
    OwnershipEvent,
    OwnershipState,
    Person,
    Reclaim,
    ReclaimRule,
    Register,
    Rejection,
    Release,
    Transfer,
    Unlock,
    WinDeal,
    apply,
    decide,
    reclaim_forecast,
    replay,
)
from tests.domain.conftest import NOW, SHANGHAI, actor
from tests.domain.model import (
    CUSTOMERS,
    DAILY_CLAIMS,
    MAX_HELD,
    MAX_LOCKED,
    OVERSEES,
    OWNERS,
    PEOPLE,
    TIGHT,
    WARNING,
    Code,
    Model,
)

COOL_DOWN = TIGHT.cooldown
MINUTE = timedelta(minutes=1)
NEW_OWNER_ON_AN_EMPTY_SEAT = {EventKind.REGISTERED, EventKind.CLAIMED, EventKind.ASSIGNED}


class OwnershipMachine(RuleBasedStateMachine):
    """The engine's states and accepted history per customer, side by side with the model."""

    def __init__(self) -> None:
        super().__init__()
        self.now = NOW
        self.model = Model()
        self.states = {
            name: OwnershipState.unregistered(name, lv) for name, lv in CUSTOMERS.items()
        }
        self.history: dict[str, list[OwnershipEvent]] = {name: [] for name in CUSTOMERS}

    def actor(self, person: Person) -> Actor:
        model = self.model
        return actor(
            person,
            held=model.held(person),
            locked=model.locked(person),
            claims_today=model.claims_on(person, self.now),
        )

    def ask(self, name: str, command: Command, broken: set[Code]) -> Accepted | None:
        """Decides; a command that breaks a rule must be refused for one of those rules, any
        other must be accepted. Accepted events are checked, applied and kept."""
        state = self.states[name]
        decision = decide(state, command, TIGHT, self.now)
        if broken:
            assert isinstance(decision, Rejection), f"accepted although {broken}: {command}"
            assert decision.code in broken, f"{decision.code} not in {broken}: {decision}"
            assert str(decision)
            assert decision.retry_at is None or decision.retry_at > self.now
            if decision.is_collision:
                assert (decision.owner, decision.owner_since) == (state.owner, state.owner_since)
            return None
        assert isinstance(decision, Accepted), f"refused ({decision.code}): {decision}"
        for event in decision.events:
            assert event.trace and all(str(line) for line in event.trace)
            assert event.at.utcoffset() is not None and event.at <= self.now
            # Ownership only moves away from the owner the state names, and a new owner only
            # arrives on an empty seat or by a transfer: never two owners at once.
            assert event.from_owner == state.owner
            if event.kind in NEW_OWNER_ON_AN_EMPTY_SEAT:
                assert state.owner is None
            state = apply(state, event)
            self.history[name].append(event)
        self.states[name] = state
        return decision

    # --- rules --------------------------------------------------------------------------------

    customers = st.sampled_from(sorted(CUSTOMERS))
    people = st.sampled_from(PEOPLE)

    @initialize(
        starts=st.lists(
            st.tuples(st.sampled_from([None, *PEOPLE]), st.booleans()),
            min_size=len(CUSTOMERS),
            max_size=len(CUSTOMERS),
        )
    )
    def some_customers_are_filed_and_some_released(
        self, starts: list[tuple[Person | None, bool]]
    ) -> None:
        # Commands on customers nobody has filed are all refused alike; start most walks with
        # owned and pool customers so that the interesting rules are reached in 40 steps.
        for name, (who, released) in zip(sorted(CUSTOMERS), starts, strict=True):
            if who is not None:
                self.register(name, who)
                if released:
                    self.release(name, who)

    @rule(
        step=st.one_of(
            st.timedeltas(min_value=MINUTE, max_value=timedelta(hours=6)),
            st.timedeltas(min_value=timedelta(hours=6), max_value=timedelta(days=5)),
        )
    )
    def time_passes(self, step: timedelta) -> None:
        self.now += step

    @rule(name=customers, who=people)
    def register(self, name: str, who: Person) -> None:
        term = self.model.terms[name]
        broken = self.model.taken(term, who)
        if term.owner is None:
            broken = {Code.IN_POOL} if term.known else self.model.cannot_hold(who)
        if self.ask(name, Register(self.actor(who)), broken):
            term.start(who, Basis.REGISTERED, self.now, protected=True)

    @rule(
        name=customers,
        who=people,
        kind=st.sampled_from(["call", "visit", "email", "catalog_sent"]),
        offset=st.timedeltas(min_value=timedelta(days=-3), max_value=timedelta(days=1)),
        zone=st.sampled_from([UTC, SHANGHAI]),
    )
    def follow_up(self, name: str, who: Person, kind: str, offset: timedelta, zone: tzinfo) -> None:
        term, at = self.model.terms[name], (self.now + offset).astimezone(zone)
        broken = self.model.not_theirs(term, who, Code.OWNED_BY_OTHER)
        decision = self.ask(name, FollowUp(self.actor(who), kind=kind, at=at), broken)
        if decision:
            counts = who == term.owner and kind != "catalog_sent"
            assert [e.kind for e in decision.events] == ([EventKind.FOLLOWED_UP] if counts else [])
            if counts:  # a late log counts from when it happened, a future date from now
                term.worked_at = max(filter(None, (term.worked_at, min(at, self.now))))

    @rule(name=customers, who=people)
    def win_deal(self, name: str, who: Person) -> None:
        term = self.model.terms[name]
        broken = self.model.not_theirs(term, who, Code.OWNED_BY_OTHER)
        decision = self.ask(name, WinDeal(self.actor(who), at=self.now), broken)
        if decision:
            assert len(decision.events) == (0 if term.deal_won else 1)
            term.deal_won = True

    @rule(name=customers, who=people)
    def release(self, name: str, who: Person) -> None:
        term = self.model.terms[name]
        broken = self.model.not_theirs(term, who, Code.NOT_OWNER)
        if self.ask(name, Release(self.actor(who)), broken):
            term.end(self.now)

    @rule(name=customers, who=people)
    def claim(self, name: str, who: Person) -> None:
        term = self.model.terms[name]
        broken = self.model.taken(term, who) if term.known else {Code.NOT_IN_POOL}
        if term.known and term.owner is None:
            broken = self.model.cannot_hold(who)
            if self.model.claims_on(who, self.now) >= DAILY_CLAIMS:
                broken.add(Code.DAILY_CLAIM_CAP)
            if who.id in term.lost and self.now < term.lost[who.id] + COOL_DOWN:
                broken.add(Code.COOL_DOWN)
        if self.ask(name, Claim(self.actor(who)), broken):
            term.start(who, Basis.CLAIMED, self.now, protected=False)
            self.model.claimed_at[who.id].append(self.now)

    @rule(who=people)
    def claim_the_whole_pool(self, who: Person) -> None:
        """Someone grabs everything in the pool at once: the daily and holding caps must hold."""
        for name, term in self.model.terms.items():
            if term.known and term.owner is None:
                self.claim(name, who)

    @rule(name=customers, who=people, to=people)
    def assign(self, name: str, who: Person, to: Person) -> None:
        term = self.model.terms[name]
        if term.owner is not None or not term.known:
            broken = {Code.NOT_IN_POOL}
        else:
            broken = self.model.cannot_hold(to)
            if to.id not in OVERSEES.get(who.id, set()):
                broken.add(Code.NOT_PERMITTED)
        command = AssignFromPool(self.actor(who), to=to, to_held=self.model.held(to))
        if self.ask(name, command, broken):
            term.start(to, Basis.ASSIGNED, self.now, protected=False)

    @rule(name=customers, who=people, to=people)
    def transfer(self, name: str, who: Person, to: Person) -> None:
        term = self.model.terms[name]
        broken = self.model.not_theirs(term, who, Code.NOT_OWNER)
        if term.owner is not None:
            broken |= self.model.cannot_hold(to)
            if term.owner == to:
                broken.add(Code.SAME_OWNER)
            if who != term.owner and to.id not in OVERSEES.get(who.id, set()):
                broken.add(Code.NOT_PERMITTED)
        command = Transfer(self.actor(who), to=to, to_held=self.model.held(to))
        if self.ask(name, command, broken):
            term.start(to, Basis.TRANSFERRED, self.now, protected=False)

    @rule(name=customers, who=people)
    def lock(self, name: str, who: Person) -> None:
        term = self.model.terms[name]
        broken = self.model.not_theirs(term, who, Code.NOT_OWNER)
        if term.owner is not None:
            if term.locked_at is not None:
                broken.add(Code.ALREADY_LOCKED)
            if self.model.locked(term.owner) >= MAX_LOCKED:
                broken.add(Code.LOCK_CAP)
        owner_locked = self.model.locked(term.owner) if term.owner is not None else 0
        if self.ask(name, Lock(self.actor(who), owner_locked=owner_locked), broken):
            term.locked_at = self.now

    @rule(who=people)
    def lock_every_customer(self, who: Person) -> None:
        """Someone tries to lock everything that has an owner: the lock cap must hold."""
        for name, term in self.model.terms.items():
            if term.owner is not None:
                self.lock(name, who)

    @rule(name=customers, who=people)
    def unlock(self, name: str, who: Person) -> None:
        term = self.model.terms[name]
        broken = self.model.not_theirs(term, who, Code.NOT_OWNER)
        if term.owner is not None and term.locked_at is None:
            broken.add(Code.NOT_LOCKED)
        if self.ask(name, Unlock(self.actor(who)), broken):
            term.locked_at = None

    @rule(who=people)
    def unlock_every_lock(self, who: Person) -> None:
        """Someone tries to lift every lock there is: only their own and their reports' go."""
        for name, term in self.model.terms.items():
            if term.locked_at is not None:
                self.unlock(name, who)

    @rule(name=customers, reclaim_rule=st.sampled_from(ReclaimRule))
    def reclaim(self, name: str, reclaim_rule: ReclaimRule) -> None:
        term = self.model.terms[name]
        broken = self.model.unowned(term)
        if term.owner is not None:
            if term.locked_at is not None:
                broken.add(Code.LOCKED)
            if term.protected_until is not None and self.now < term.protected_until:
                broken.add(Code.PROTECTED)
            due = term.due()[reclaim_rule]
            if due is None or self.now < due:
                broken.add(Code.NOT_DUE)
        if self.ask(name, Reclaim(reclaim_rule), broken):
            # The two promises of the sweep, stated outright.
            assert term.locked_at is None
            assert term.protected_until is None or self.now >= term.protected_until
            term.end(self.now)

    @rule(name=customers)
    def sweep_when_the_forecast_says(self, name: str) -> None:
        """The forecast is exact: a minute early the sweep is refused, on time it succeeds.

        A locked customer has no forecast, and a sweep after every rule fell due still
        leaves it with its owner.
        """
        term = self.model.terms[name]
        forecast = reclaim_forecast(self.states[name], TIGHT)
        if term.owner is None or term.locked_at is not None:
            assert forecast is None
            if term.owner is not None:
                for reclaim_rule, due in term.due().items():
                    self.now = max(self.now, due or self.now, term.protected_until or self.now)
                    self.reclaim(name, reclaim_rule)
                assert term.locked_at is not None
            return
        dues = {r: due for r, due in term.due().items() if due is not None}
        earliest = min(dues.values())
        expected = max(earliest, term.protected_until or earliest)
        assert forecast is not None
        assert dues[forecast.rule] == earliest
        assert (forecast.due_at, forecast.warn_at) == (expected, expected - WARNING)
        if self.now < forecast.due_at - MINUTE:
            self.now = forecast.due_at - MINUTE
            self.reclaim(name, forecast.rule)
        self.now = max(self.now, forecast.due_at)
        self.reclaim(name, forecast.rule)
        assert term.owner is None

    # --- invariants ---------------------------------------------------------------------------

    @invariant()
    def the_engine_agrees_with_the_model(self) -> None:
        for name, term in self.model.terms.items():
            state = self.states[name]
            assert (state.known, state.owner, state.basis, state.owner_since) == (
                term.known,
                term.owner,
                term.basis,
                term.since,
            )
            assert (state.protected_until, state.locked_at, state.last_follow_up_at) == (
                term.protected_until,
                term.locked_at,
                term.worked_at,
            )
            assert (state.deal_won_at is not None) == term.deal_won
            assert {p.id: state.lost_by(p.id) for p in PEOPLE} == {
                p.id: term.lost.get(p.id) for p in PEOPLE
            }
            assert term.owner is None or term.owner.id in OWNERS

    @invariant()
    def replaying_the_history_reproduces_the_state(self) -> None:
        for name, level in CUSTOMERS.items():
            assert replay(name, self.history[name], level) == self.states[name]

    @invariant()
    def no_cap_is_ever_exceeded(self) -> None:
        for person in PEOPLE:
            assert self.model.held(person) <= MAX_HELD
            assert self.model.locked(person) <= MAX_LOCKED
            assert self.model.claims_on(person, self.now) <= DAILY_CLAIMS


OwnershipMachine.TestCase.settings = settings(
    max_examples=200, stateful_step_count=40, deadline=None, database=None
)
TestOwnershipMachine = OwnershipMachine.TestCase
