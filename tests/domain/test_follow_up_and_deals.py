"""Follow-ups restart the owner's clock (a catalog alone does not); a won deal exempts the term."""

from datetime import timedelta

import pytest

from guishu.domain import (
    EventKind,
    FollowUp,
    Policy,
    RejectionCode,
    Transfer,
    WinDeal,
    decide,
    reclaim_forecast,
    render_trace,
)
from guishu.domain.policy import ACTIVITY_KINDS
from tests.domain.conftest import (
    HAN_MEIMEI,
    LI_LEI,
    MANAGER,
    NOW,
    POLICY,
    SHANGHAI,
    accept,
    actor,
    claimed,
    days,
    pooled,
    refuse,
    registered,
)

# --- FollowUp ---------------------------------------------------------------------------------


def test_a_valid_follow_up_by_the_owner_restarts_the_clock() -> None:
    state = claimed(LI_LEI, at=NOW - days(10))

    state, decision = accept(state, FollowUp(actor(LI_LEI), kind="call", at=NOW))

    (event,) = decision.events
    assert event.kind is EventKind.FOLLOWED_UP
    assert (event.actor, event.from_owner, event.to_owner) == (LI_LEI, LI_LEI, LI_LEI)
    assert state.last_follow_up_at == NOW
    assert render_trace(decision.trace) == (
        "李雷 followed up (call) on 2026-11-20: the follow-up clock restarts"
    )
    forecast = reclaim_forecast(state, POLICY)
    assert forecast is not None
    assert forecast.due_at == NOW + days(60)


def test_catalog_sent_does_not_restart_the_follow_up_clock() -> None:
    state = claimed(LI_LEI, at=NOW - days(10))

    after, decision = accept(state, FollowUp(actor(LI_LEI), kind="catalog_sent", at=NOW))

    # Sending a catalog is the weakest touch there is (reps A and B in DOMAIN.md).
    assert decision.events == ()
    assert after == state


def test_a_follow_up_that_does_not_restart_the_clock_still_explains_why() -> None:
    state = claimed(LI_LEI, at=NOW - days(10))

    _, decision = accept(state, FollowUp(actor(LI_LEI), kind="catalog_sent", at=NOW))

    # Every decision has a trace in plain words (docs/ownership.md), acceptances included.
    assert render_trace(decision.trace) == (
        "李雷 logged catalog_sent on 2026-11-20: it does not restart the follow-up clock"
    )


def test_the_kinds_that_restart_the_clock_come_from_the_policy() -> None:
    generous = Policy(valid_follow_up_kinds=ACTIVITY_KINDS)

    state, decision = accept(
        claimed(LI_LEI), FollowUp(actor(LI_LEI), kind="catalog_sent", at=NOW), policy=generous
    )

    assert len(decision.events) == 1
    assert state.last_follow_up_at == NOW


def test_a_follow_up_logged_late_restarts_the_clock_from_when_it_happened() -> None:
    visited = NOW - days(2)

    state, decision = accept(
        claimed(LI_LEI, at=NOW - days(10)), FollowUp(actor(LI_LEI), kind="visit", at=visited)
    )

    assert decision.events[0].at == visited
    assert state.last_follow_up_at == visited
    assert "followed up (visit) on 2026-11-18" in render_trace(decision.trace)


def test_a_follow_up_dated_in_the_future_counts_from_now() -> None:
    # A rep cannot buy extra time by dating a follow-up ahead.
    state, decision = accept(
        claimed(LI_LEI), FollowUp(actor(LI_LEI), kind="call", at=NOW + days(20))
    )

    assert decision.events[0].at == NOW
    assert state.last_follow_up_at == NOW


def test_an_older_follow_up_logged_late_does_not_move_the_clock_back() -> None:
    state = claimed(LI_LEI, at=NOW - days(10))
    state, _ = accept(state, FollowUp(actor(LI_LEI), kind="call", at=NOW - days(1)))

    state, _ = accept(state, FollowUp(actor(LI_LEI), kind="email", at=NOW - days(5)))

    assert state.last_follow_up_at == NOW - days(1)


def test_the_day_of_a_follow_up_is_read_in_the_company_time_zone() -> None:
    # 16:30 UTC on the 19th, logged by a rep in Shanghai at 00:30 on the 20th.
    half_past_midnight = (NOW - timedelta(hours=9, minutes=30)).astimezone(SHANGHAI)

    _, decision = accept(
        claimed(LI_LEI, at=NOW - days(5)),
        FollowUp(actor(LI_LEI), kind="call", at=half_past_midnight),
    )

    assert "on 2026-11-20" in render_trace(decision.trace)


def test_a_managers_follow_up_is_accepted_but_does_not_restart_the_owners_clock() -> None:
    state = claimed(LI_LEI, at=NOW - days(10))

    after, decision = accept(state, FollowUp(actor(MANAGER), kind="visit", at=NOW))

    # The clock measures whether the owner works the customer, not whether anyone does.
    assert decision.events == ()
    assert after.last_follow_up_at is None


def test_a_colleague_cannot_work_another_reps_customer() -> None:
    refusal = refuse(registered(LI_LEI), FollowUp(actor(HAN_MEIMEI), kind="visit", at=NOW))

    assert refusal.code is RejectionCode.OWNED_BY_OTHER
    assert refusal.owner == LI_LEI
    assert (
        str(refusal) == "refused: protected for 李雷 until 2026-12-20 by registration on 2026-11-20"
    )


def test_a_manager_cannot_work_a_customer_outside_their_team() -> None:
    refusal = refuse(registered(HAN_MEIMEI), FollowUp(actor(MANAGER), kind="call", at=NOW))

    assert refusal.code is RejectionCode.OWNED_BY_OTHER


def test_a_pool_customer_must_be_claimed_before_it_is_worked() -> None:
    refusal = refuse(pooled(), FollowUp(actor(LI_LEI), kind="call", at=NOW))

    assert refusal.code is RejectionCode.IN_POOL
    assert str(refusal) == "Nordlicht GmbH is in the pool: claim it before working it"


# --- WinDeal ----------------------------------------------------------------------------------


def test_the_owner_wins_a_deal() -> None:
    state, decision = accept(claimed(LI_LEI, at=NOW - days(10)), WinDeal(actor(LI_LEI), at=NOW))

    (event,) = decision.events
    assert event.kind is EventKind.DEAL_WON
    assert (event.actor, event.to_owner) == (LI_LEI, LI_LEI)
    assert state.deal_won_at == NOW
    assert render_trace(decision.trace) == (
        "李雷 won a deal on 2026-11-20: exempt from the no-deal reclaim"
    )


def test_a_manager_records_a_deal_for_the_owner() -> None:
    state, decision = accept(claimed(LI_LEI), WinDeal(actor(MANAGER), at=NOW))

    assert state.deal_won_at == NOW
    assert decision.events[0].actor == MANAGER
    # The deal is credited to the owner, not to whoever typed it in.
    assert render_trace(decision.trace).startswith("李雷 won a deal")


def test_the_trace_dates_a_deal_by_when_it_was_won() -> None:
    _, decision = accept(
        claimed(LI_LEI, at=NOW - days(10)), WinDeal(actor(LI_LEI), at=NOW - days(3))
    )

    assert "won a deal on 2026-11-17" in render_trace(decision.trace)


def test_a_second_deal_in_the_same_term_changes_nothing() -> None:
    state, _ = accept(claimed(LI_LEI), WinDeal(actor(LI_LEI), at=NOW))

    after, decision = accept(state, WinDeal(actor(LI_LEI), at=NOW + days(5)), now=NOW + days(5))

    assert decision.events == ()
    assert after.deal_won_at == NOW


def test_a_colleague_cannot_record_a_deal_on_another_reps_customer() -> None:
    refusal = refuse(claimed(LI_LEI), WinDeal(actor(HAN_MEIMEI), at=NOW))

    assert refusal.code is RejectionCode.OWNED_BY_OTHER
    assert refusal.owner == LI_LEI


def test_a_deal_needs_an_owner_to_credit() -> None:
    refusal = refuse(pooled(), WinDeal(actor(LI_LEI), at=NOW))

    assert refusal.code is RejectionCode.IN_POOL
    assert str(refusal) == "Nordlicht GmbH has no owner to credit the deal to"


def test_a_deal_exempts_only_the_term_it_was_won_in() -> None:
    state, _ = accept(claimed(LI_LEI), WinDeal(actor(LI_LEI), at=NOW))

    state, _ = accept(state, Transfer(actor(LI_LEI), to=HAN_MEIMEI, to_held=0))

    assert state.deal_won_at is None


def test_a_naive_follow_up_time_is_refused_as_a_programming_error() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        decide(
            claimed(LI_LEI),
            FollowUp(actor(LI_LEI), kind="call", at=NOW.replace(tzinfo=None)),
            Policy(),
            NOW,
        )


def test_an_unknown_activity_kind_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown activity kind"):
        decide(claimed(LI_LEI), FollowUp(actor(LI_LEI), kind="telepathy", at=NOW), Policy(), NOW)


def test_a_future_dated_follow_up_counts_from_now_and_says_so() -> None:
    state, decision = accept(
        claimed(LI_LEI), FollowUp(actor(LI_LEI), kind="call", at=NOW + days(5))
    )

    assert state.last_follow_up_at == NOW
    assert "on 2026-11-20" in render_trace(decision.trace)


def test_a_second_deal_in_the_same_term_changes_nothing_and_says_why() -> None:
    state, _ = accept(claimed(LI_LEI), WinDeal(actor(LI_LEI), at=NOW))

    again, decision = accept(state, WinDeal(actor(LI_LEI), at=NOW + days(3)), now=NOW + days(3))

    assert decision.events == () and again.deal_won_at == NOW
    assert render_trace(decision.trace) == "李雷 already won a deal on 2026-11-20 in this term"
