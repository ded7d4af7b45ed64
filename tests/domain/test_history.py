"""The history: events replay to the state, and traces survive being stored as JSON."""

from guishu.domain import (
    Claim,
    EventKind,
    FollowUp,
    Level,
    Lock,
    OwnershipEvent,
    Reclaim,
    ReclaimRule,
    Register,
    Release,
    TraceLine,
    Transfer,
    Unlock,
    WinDeal,
    render_trace,
    replay,
)
from tests.domain.conftest import (
    CUSTOMER,
    HAN_MEIMEI,
    LI_LEI,
    MANAGER,
    NOW,
    accept,
    actor,
    days,
    unregistered,
)


def test_replaying_a_customers_history_rebuilds_its_state() -> None:
    story = [
        (Register(actor(LI_LEI)), 0),
        (FollowUp(actor(LI_LEI), kind="visit", at=NOW + days(5)), 5),
        (Lock(actor(LI_LEI), owner_locked=0), 6),
        (Unlock(actor(MANAGER)), 40),
        (Reclaim(ReclaimRule.NO_FOLLOW_UP), 65),
        (Claim(actor(HAN_MEIMEI)), 66),
        (WinDeal(actor(HAN_MEIMEI), at=NOW + days(70)), 70),
        (Transfer(actor(HAN_MEIMEI), to=LI_LEI, to_held=0), 100),
        (Release(actor(LI_LEI), reason="moved to another region"), 101),
        (Claim(actor(MANAGER)), 102),
    ]
    state = unregistered(Level.B)
    history: list[OwnershipEvent] = []
    for command, day in story:
        state, decision = accept(state, command, now=NOW + days(day))
        history.extend(decision.events)

    assert replay(CUSTOMER, history, Level.B) == state
    assert state.owner == MANAGER
    # 李雷 lost it twice (reclaimed, later released): the cool-down runs from the latest.
    assert state.lost_by(LI_LEI.id) == NOW + days(101)
    assert state.lost_by(HAN_MEIMEI.id) == NOW + days(100)
    assert [event.kind for event in history] == [
        EventKind.REGISTERED,
        EventKind.FOLLOWED_UP,
        EventKind.LOCKED,
        EventKind.UNLOCKED,
        EventKind.RECLAIMED,
        EventKind.CLAIMED,
        EventKind.DEAL_WON,
        EventKind.TRANSFERRED,
        EventKind.RELEASED,
        EventKind.CLAIMED,
    ]


def test_a_replayed_history_that_stops_early_gives_the_state_at_that_point() -> None:
    state, registered = accept(unregistered(), Register(actor(LI_LEI)))
    _, released = accept(state, Release(actor(LI_LEI)), now=NOW + days(1))

    assert replay(CUSTOMER, registered.events) == state
    assert replay(CUSTOMER, (*registered.events, *released.events)).in_pool


def test_a_trace_survives_a_round_trip_through_json() -> None:
    _, decision = accept(unregistered(), Register(actor(LI_LEI)))

    stored = [line.as_json() for line in decision.trace]
    restored = [TraceLine.from_json(data) for data in stored]

    # The template and its parameters are stored apart, so the web layer can translate it.
    assert stored[0]["message"] == (
        "registered by {rep} on {since}, protected for {days} days until {until}"
    )
    assert render_trace(restored) == render_trace(decision.trace)
