"""The cast, the clock and a few helpers for the engine's tests: plain objects, no Django.

李雷 and 韩梅梅 are reps; 王经理 manages only 李雷; 张总 directs the whole company; 赵离职 was a
rep and has left. Every scenario starts at NOW and is built by running the engine itself, so
the states the tests start from are states the engine can actually reach.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from guishu.domain import (
    Accepted,
    Actor,
    Claim,
    Command,
    Level,
    OwnershipState,
    Person,
    Policy,
    Register,
    Rejection,
    Release,
    Role,
    Transfer,
    apply,
    decide,
    render_trace,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
# 10:00 on 20 November in Shanghai: the UTC and the company calendar day are the same, so the
# dates in the expected traces can be read straight off this constant.
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
POLICY = Policy()
CUSTOMER = "Nordlicht GmbH"

LI_LEI = Person(1, "李雷")
HAN_MEIMEI = Person(2, "韩梅梅")
MANAGER = Person(3, "王经理", Role.MANAGER)
DIRECTOR = Person(4, "张总", Role.DIRECTOR)
LEFT = Person(5, "赵离职", active=False)

# The manager's team tree, as the service layer would read it.
TEAMS = {MANAGER.id: frozenset({LI_LEI.id})}


def days(n: float) -> timedelta:
    return timedelta(days=n)


def actor(person: Person, *, held: int = 0, locked: int = 0, claims_today: int = 0) -> Actor:
    """The person with the counts the caps are checked against (zero unless a test says so)."""
    manages = None if person.role is Role.DIRECTOR else TEAMS.get(person.id, frozenset())
    return Actor(person, held=held, locked=locked, claims_today=claims_today, manages=manages)


def accept(
    state: OwnershipState, command: Command, *, now: datetime = NOW, policy: Policy = POLICY
) -> tuple[OwnershipState, Accepted]:
    """Decides `command`, insists it is accepted, and returns the state after its events."""
    decision = decide(state, command, policy, now)
    assert isinstance(decision, Accepted), f"refused: {decision.code}: {decision}"
    for event in decision.events:
        state = apply(state, event)
    return state, decision


def refuse(
    state: OwnershipState, command: Command, *, now: datetime = NOW, policy: Policy = POLICY
) -> Rejection:
    """Decides `command` and insists it is refused."""
    decision = decide(state, command, policy, now)
    assert isinstance(decision, Rejection), f"accepted: {render_trace(decision.trace)}"
    return decision


def unregistered(level: Level = Level.C) -> OwnershipState:
    return OwnershipState.unregistered(CUSTOMER, level)


def registered(
    by: Person = LI_LEI, *, at: datetime = NOW, level: Level = Level.C
) -> OwnershipState:
    """A customer `by` registered at `at`: protected for the policy's 30 days."""
    state, _ = accept(unregistered(level), Register(actor(by)), now=at)
    return state


def pooled(
    *, at: datetime = NOW, former: Person = HAN_MEIMEI, level: Level = Level.C
) -> OwnershipState:
    """A pool customer that `former` registered a day earlier and released at `at`."""
    state = registered(former, at=at - days(1), level=level)
    state, _ = accept(state, Release(actor(former)), now=at)
    return state


def claimed(by: Person = LI_LEI, *, at: datetime = NOW, level: Level = Level.C) -> OwnershipState:
    """A customer `by` claimed from the pool at `at`: owned, but with no protection."""
    former = LI_LEI if by == HAN_MEIMEI else HAN_MEIMEI  # someone else, or the cool-down bites
    state = pooled(at=at - days(1), former=former, level=level)
    state, _ = accept(state, Claim(actor(by)), now=at)
    return state


def transferred(
    to: Person = LI_LEI, *, at: datetime = NOW, level: Level = Level.C
) -> OwnershipState:
    """A customer a colleague registered 40 days ago and handed to `to` at `at`."""
    giver = LI_LEI if to == HAN_MEIMEI else HAN_MEIMEI
    state = registered(giver, at=at - days(40), level=level)
    state, _ = accept(state, Transfer(actor(giver), to=to, to_held=0), now=at)
    return state
