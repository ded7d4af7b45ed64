"""Registration (报备): the first filing wins and is protected; dates read in company time."""

from datetime import UTC, datetime

import pytest

from guishu.domain import (
    AssignFromPool,
    Basis,
    Claim,
    Command,
    EventKind,
    FollowUp,
    Lock,
    Person,
    Policy,
    Reclaim,
    ReclaimRule,
    Register,
    RejectionCode,
    Release,
    Transfer,
    Unlock,
    WinDeal,
    decide,
    render_trace,
)
from tests.domain.conftest import (
    DIRECTOR,
    HAN_MEIMEI,
    LEFT,
    LI_LEI,
    MANAGER,
    NOW,
    POLICY,
    SHANGHAI,
    accept,
    actor,
    days,
    pooled,
    refuse,
    registered,
    unregistered,
)


def test_a_rep_registers_a_new_customer_and_is_protected_for_30_days() -> None:
    state, decision = accept(unregistered(), Register(actor(LI_LEI)))

    (event,) = decision.events
    assert event.kind is EventKind.REGISTERED
    assert (event.actor, event.from_owner, event.to_owner) == (LI_LEI, None, LI_LEI)
    assert state.owner == LI_LEI
    assert state.basis is Basis.REGISTERED
    assert state.owner_since == NOW
    assert state.protected_until == NOW + days(30)
    assert render_trace(decision.trace) == (
        "registered by 李雷 on 2026-11-20, protected for 30 days until 2026-12-20"
    )


def test_registration_keeps_first_contact_and_details_found_as_evidence() -> None:
    met, found = NOW - days(200), NOW - days(210)
    command = Register(actor(LI_LEI), first_contact_at=met, details_found_at=found)

    _, decision = accept(unregistered(), command)

    assert decision.events[0].evidence == {
        "registered_at": NOW.isoformat(),
        "first_contact_at": met.isoformat(),
        "details_found_at": found.isoformat(),
    }


def test_the_protection_period_follows_the_policy() -> None:
    state, _ = accept(unregistered(), Register(actor(LI_LEI)), policy=Policy(protection_days=7))

    assert state.protected_until == NOW + days(7)


def test_a_manager_may_register_and_own_a_customer() -> None:
    state, _ = accept(unregistered(), Register(actor(MANAGER)))

    assert state.owner == MANAGER


def test_registration_is_refused_while_another_reps_protection_is_open() -> None:
    refusal = refuse(registered(LI_LEI), Register(actor(HAN_MEIMEI)), now=NOW + days(1))

    assert refusal.code is RejectionCode.OWNED_BY_OTHER
    assert refusal.is_collision
    assert (refusal.owner, refusal.owner_since, refusal.retry_at) == (LI_LEI, NOW, None)
    assert (
        str(refusal) == "refused: protected for 李雷 until 2026-12-20 by registration on 2026-11-20"
    )


def test_protection_ends_at_the_instant_it_expires() -> None:
    just_before = refuse(registered(LI_LEI), Register(actor(HAN_MEIMEI)), now=NOW + days(29.99))
    at_the_end = refuse(registered(LI_LEI), Register(actor(HAN_MEIMEI)), now=NOW + days(30))

    assert str(just_before).startswith("refused: protected for 李雷")
    # Still owned, so still refused, but no longer protected.
    assert str(at_the_end) == "refused: owned by 李雷 since 2026-11-20"


def test_registration_is_still_refused_after_protection_because_the_customer_is_owned() -> None:
    refusal = refuse(registered(LI_LEI), Register(actor(HAN_MEIMEI)), now=NOW + days(45))

    assert refusal.code is RejectionCode.OWNED_BY_OTHER
    assert str(refusal) == "refused: owned by 李雷 since 2026-11-20"


def test_registering_your_own_customer_again_is_refused_as_already_yours() -> None:
    refusal = refuse(registered(LI_LEI), Register(actor(LI_LEI)))

    assert refusal.code is RejectionCode.ALREADY_YOURS
    assert not refusal.is_collision
    assert str(refusal) == "Nordlicht GmbH is already yours"


def test_a_pool_customer_cannot_be_registered_and_must_be_claimed() -> None:
    refusal = refuse(pooled(), Register(actor(LI_LEI)))

    assert refusal.code is RejectionCode.IN_POOL
    assert str(refusal) == "Nordlicht GmbH is in the pool: claim it instead of registering it"


def test_registration_is_refused_at_the_holding_cap() -> None:
    refusal = refuse(unregistered(), Register(actor(LI_LEI, held=200)))

    assert refusal.code is RejectionCode.HOLDING_CAP
    assert refusal.retry_at is None
    assert str(refusal) == "refused: 李雷 already holds 200 customers (the cap is 200)"


def test_registration_is_allowed_just_under_the_holding_cap() -> None:
    accept(unregistered(), Register(actor(LI_LEI, held=199)))


@pytest.mark.parametrize(
    ("person", "words"),
    [
        (DIRECTOR, "refused: 张总 cannot own customers (inactive or not in sales)"),
        (LEFT, "refused: 赵离职 cannot own customers (inactive or not in sales)"),
    ],
)
def test_directors_and_people_who_left_cannot_register(person: Person, words: str) -> None:
    refusal = refuse(unregistered(), Register(actor(person)))

    assert refusal.code is RejectionCode.CANNOT_OWN
    assert str(refusal) == words


@pytest.mark.parametrize(
    "command",
    [
        FollowUp(actor(LI_LEI), kind="call", at=NOW),
        WinDeal(actor(LI_LEI), at=NOW),
        Release(actor(LI_LEI)),
        Claim(actor(LI_LEI)),
        AssignFromPool(actor(DIRECTOR), to=LI_LEI, to_held=0),
        Transfer(actor(DIRECTOR), to=LI_LEI, to_held=0),
        Lock(actor(LI_LEI), owner_locked=0),
        Unlock(actor(LI_LEI)),
        Reclaim(ReclaimRule.NO_FOLLOW_UP),
    ],
    ids=lambda command: type(command).__name__,
)
def test_nothing_but_registration_works_on_a_customer_not_registered_yet(command: Command) -> None:
    refusal = refuse(unregistered(), command)

    assert refusal.code is RejectionCode.NOT_IN_POOL
    assert str(refusal) == "refused: Nordlicht GmbH is not registered yet"


def test_dates_in_traces_are_calendar_days_in_the_company_time_zone() -> None:
    # 17:00 UTC on the 19th is already 01:00 on the 20th in Shanghai.
    late_evening_utc = datetime(2026, 11, 19, 17, 0, tzinfo=UTC)

    _, decision = accept(unregistered(), Register(actor(LI_LEI)), now=late_evening_utc)

    assert render_trace(decision.trace) == (
        "registered by 李雷 on 2026-11-20, protected for 30 days until 2026-12-20"
    )


def test_a_minute_before_midnight_in_shanghai_is_still_the_previous_day() -> None:
    _, decision = accept(
        unregistered(), Register(actor(LI_LEI)), now=datetime(2026, 11, 19, 15, 59, tzinfo=UTC)
    )

    assert "on 2026-11-19" in render_trace(decision.trace)


def test_a_company_in_another_time_zone_reads_its_own_calendar() -> None:
    new_york = Policy(timezone="America/New_York")

    _, decision = accept(unregistered(), Register(actor(LI_LEI)), policy=new_york)

    # 02:00 UTC on the 20th is the evening of the 19th in New York.
    assert render_trace(decision.trace) == (
        "registered by 李雷 on 2026-11-19, protected for 30 days until 2026-12-19"
    )


def test_the_same_instant_in_any_time_zone_gives_the_same_decision() -> None:
    _, in_utc = accept(unregistered(), Register(actor(LI_LEI)), now=NOW)
    _, in_shanghai = accept(unregistered(), Register(actor(LI_LEI)), now=NOW.astimezone(SHANGHAI))

    assert in_shanghai.events[0].protected_until == in_utc.events[0].protected_until
    assert render_trace(in_shanghai.trace) == render_trace(in_utc.trace)


@pytest.mark.parametrize(
    "command",
    [Register(actor(LI_LEI)), Reclaim(ReclaimRule.NO_DEAL)],
    ids=lambda command: type(command).__name__,
)
def test_a_naive_now_is_refused(command: Command) -> None:
    # Without a time zone the company calendar day, and so every deadline, would be a guess.
    naive = datetime(2026, 11, 20, 10, 0)

    with pytest.raises(ValueError, match="timezone-aware"):
        decide(unregistered(), command, POLICY, naive)
