"""Reclaim (回收): no follow-up by level, no deal in 90 days; protection postpones, locks bar it."""

from datetime import timedelta

import pytest

from guishu.domain import (
    EventKind,
    FollowUp,
    Level,
    Lock,
    OwnershipState,
    Reclaim,
    ReclaimRule,
    RejectionCode,
    Unlock,
    WinDeal,
    reclaim_forecast,
    render_trace,
)
from tests.domain.conftest import (
    LI_LEI,
    NOW,
    POLICY,
    accept,
    actor,
    claimed,
    days,
    pooled,
    refuse,
    registered,
    transferred,
    unregistered,
)

NO_FOLLOW_UP = Reclaim(ReclaimRule.NO_FOLLOW_UP)
NO_DEAL = Reclaim(ReclaimRule.NO_DEAL)
MINUTE = timedelta(minutes=1)
LEVEL_WINDOWS = [
    (Level.A, 15, "2026-12-05"),
    (Level.B, 30, "2026-12-20"),
    (Level.C, 60, "2027-01-19"),
]


@pytest.mark.parametrize(("level", "window", "due"), LEVEL_WINDOWS)
def test_reclaim_for_no_follow_up_is_refused_before_the_level_window_ends(
    level: Level, window: int, due: str
) -> None:
    refusal = refuse(claimed(LI_LEI, level=level), NO_FOLLOW_UP, now=NOW + days(window) - MINUTE)

    assert refusal.code is RejectionCode.NOT_DUE
    assert refusal.retry_at == NOW + days(window)
    assert str(refusal) == (
        f"not reclaimed yet; no valid follow-up since 2026-11-20: level {level} returns to the "
        f"pool after {window} days, on {due}"
    )


@pytest.mark.parametrize(("level", "window", "due"), LEVEL_WINDOWS)
def test_a_customer_without_follow_up_returns_to_the_pool_when_its_level_window_ends(
    level: Level, window: int, due: str
) -> None:
    state, decision = accept(claimed(LI_LEI, level=level), NO_FOLLOW_UP, now=NOW + days(window))

    (event,) = decision.events
    assert event.kind is EventKind.RECLAIMED
    assert (event.actor, event.from_owner, event.to_owner) == (None, LI_LEI, None)
    assert event.evidence == {"rule": "no_follow_up", "due_at": (NOW + days(window)).isoformat()}
    assert state.in_pool
    assert state.lost_by(LI_LEI.id) == NOW + days(window)
    assert render_trace(decision.trace) == (
        f"no valid follow-up since 2026-11-20: level {level} returns to the pool after {window} "
        f"days, on {due}; returned to the pool on {due} from 李雷"
    )


def test_a_valid_follow_up_postpones_the_no_follow_up_reclaim() -> None:
    state, _ = accept(
        claimed(LI_LEI), FollowUp(actor(LI_LEI), kind="call", at=NOW + days(50)), now=NOW + days(50)
    )

    refusal = refuse(state, NO_FOLLOW_UP, now=NOW + days(60))

    assert refusal.retry_at == NOW + days(110)
    assert "no valid follow-up since 2027-01-09" in str(refusal)


def test_a_catalog_alone_does_not_keep_a_customer_from_the_pool() -> None:
    catalog = FollowUp(actor(LI_LEI), kind="catalog_sent", at=NOW + days(59))
    state, _ = accept(claimed(LI_LEI), catalog, now=NOW + days(59))

    state, _ = accept(state, NO_FOLLOW_UP, now=NOW + days(60))

    assert state.in_pool


def test_a_customer_owned_90_days_without_a_deal_returns_to_the_pool() -> None:
    state = claimed(LI_LEI)
    for day in (30, 60):  # worked regularly, so only the no-deal rule can take it
        visit = FollowUp(actor(LI_LEI), kind="visit", at=NOW + days(day))
        state, _ = accept(state, visit, now=NOW + days(day))

    refusal = refuse(state, NO_DEAL, now=NOW + days(90) - MINUTE)
    assert refusal.retry_at == NOW + days(90)
    assert str(refusal) == (
        "not reclaimed yet; no deal since 2026-11-20: returns to the pool after 90 days without "
        "a deal, on 2027-02-18"
    )
    state, decision = accept(state, NO_DEAL, now=NOW + days(90))
    assert state.in_pool
    assert decision.events[0].evidence["rule"] == "no_deal"


def test_a_won_deal_exempts_the_customer_from_the_no_deal_reclaim() -> None:
    state, _ = accept(claimed(LI_LEI), WinDeal(actor(LI_LEI), at=NOW + days(80)))

    refusal = refuse(state, NO_DEAL, now=NOW + days(500))

    assert refusal.code is RejectionCode.NOT_DUE
    assert refusal.retry_at is None  # waiting will not help
    assert str(refusal) == "not reclaimed: 李雷 has won a deal with Nordlicht GmbH"


def test_a_won_deal_does_not_exempt_from_the_no_follow_up_reclaim() -> None:
    state, _ = accept(claimed(LI_LEI), WinDeal(actor(LI_LEI), at=NOW))

    state, _ = accept(state, NO_FOLLOW_UP, now=NOW + days(60))

    assert state.in_pool


def test_a_protected_customer_is_not_reclaimed_until_protection_ends() -> None:
    state = registered(LI_LEI, level=Level.A)  # follow-up due on day 15, protected to day 30

    refusal = refuse(state, NO_FOLLOW_UP, now=NOW + days(20))

    assert refusal.code is RejectionCode.PROTECTED
    assert refusal.retry_at == NOW + days(30)
    assert str(refusal) == "not reclaimed: protected for 李雷 until 2026-12-20"
    after, _ = accept(state, NO_FOLLOW_UP, now=NOW + days(30))
    assert after.in_pool


def test_a_reclaim_refused_for_protection_says_when_the_rule_will_be_due() -> None:
    state = registered(LI_LEI, level=Level.C)  # protected to day 30, follow-up due on day 60

    refusal = refuse(state, NO_FOLLOW_UP, now=NOW + days(10))

    # retry_at is "when the request could succeed" (Rejection); on day 30 it cannot.
    assert refusal.retry_at == NOW + days(60)


def test_a_protected_customer_with_a_won_deal_offers_no_retry_of_the_no_deal_reclaim() -> None:
    state, _ = accept(registered(LI_LEI), WinDeal(actor(LI_LEI), at=NOW))

    refusal = refuse(state, NO_DEAL, now=NOW + days(10))

    assert refusal.retry_at is None


@pytest.mark.parametrize("rule", [NO_FOLLOW_UP, NO_DEAL], ids=lambda command: command.rule)
def test_a_locked_customer_is_never_reclaimed(rule: Reclaim) -> None:
    state, _ = accept(registered(LI_LEI), Lock(actor(LI_LEI), owner_locked=0))

    refusal = refuse(state, rule, now=NOW + days(1000))

    assert refusal.code is RejectionCode.LOCKED
    assert refusal.retry_at is None
    assert str(refusal) == "not reclaimed: Nordlicht GmbH is locked"


def test_an_unlocked_customer_can_be_reclaimed_again() -> None:
    state, _ = accept(claimed(LI_LEI), Lock(actor(LI_LEI), owner_locked=0))
    state, _ = accept(state, Unlock(actor(LI_LEI)), now=NOW + days(100))

    state, _ = accept(state, NO_DEAL, now=NOW + days(100))

    assert state.in_pool


def test_the_reclaim_clocks_restart_with_a_new_owner() -> None:
    state = transferred(LI_LEI)  # registered by 韩梅梅 40 days before the transfer

    refusal = refuse(state, NO_FOLLOW_UP, now=NOW + days(59))

    assert refusal.retry_at == NOW + days(60)


def test_reclaiming_a_pool_customer_is_refused() -> None:
    refusal = refuse(pooled(), NO_DEAL)

    assert refusal.code is RejectionCode.IN_POOL
    assert str(refusal) == "Nordlicht GmbH is already in the pool"


# --- reclaim_forecast -------------------------------------------------------------------------


def test_the_forecast_names_the_earliest_rule_and_warns_three_days_ahead() -> None:
    forecast = reclaim_forecast(claimed(LI_LEI, level=Level.A), POLICY)

    assert forecast is not None
    assert (forecast.rule, forecast.due_at) == (ReclaimRule.NO_FOLLOW_UP, NOW + days(15))
    assert forecast.warn_at == NOW + days(12)
    assert render_trace(forecast.trace) == (
        "no valid follow-up since 2026-11-20: level A returns to the pool after 15 days, "
        "on 2026-12-05"
    )


def test_the_forecast_names_the_no_deal_rule_when_it_comes_first() -> None:
    worked = FollowUp(actor(LI_LEI), kind="visit", at=NOW + days(50))
    state, _ = accept(claimed(LI_LEI), worked, now=NOW + days(50))

    forecast = reclaim_forecast(state, POLICY)

    assert forecast is not None
    assert (forecast.rule, forecast.due_at) == (ReclaimRule.NO_DEAL, NOW + days(90))


def test_a_won_deal_leaves_only_the_follow_up_rule_in_the_forecast() -> None:
    state, _ = accept(claimed(LI_LEI), WinDeal(actor(LI_LEI), at=NOW))
    worked = FollowUp(actor(LI_LEI), kind="visit", at=NOW + days(50))
    state, _ = accept(state, worked, now=NOW + days(50))

    forecast = reclaim_forecast(state, POLICY)

    assert forecast is not None
    assert (forecast.rule, forecast.due_at) == (ReclaimRule.NO_FOLLOW_UP, NOW + days(110))


def test_protection_postpones_the_forecast_to_its_end() -> None:
    forecast = reclaim_forecast(registered(LI_LEI, level=Level.A), POLICY)

    assert forecast is not None
    assert (forecast.rule, forecast.due_at) == (ReclaimRule.NO_FOLLOW_UP, NOW + days(30))
    assert forecast.warn_at == NOW + days(27)
    assert render_trace(forecast.trace) == (
        "no valid follow-up since 2026-11-20: level A returns to the pool after 15 days, "
        "on 2026-12-05; postponed by protection until 2026-12-20"
    )


def test_protection_that_ends_before_the_due_date_does_not_change_the_forecast() -> None:
    forecast = reclaim_forecast(registered(LI_LEI, level=Level.C), POLICY)

    assert forecast is not None
    assert forecast.due_at == NOW + days(60)
    assert "postponed" not in render_trace(forecast.trace)


def _locked() -> OwnershipState:
    state, _ = accept(claimed(LI_LEI), Lock(actor(LI_LEI), owner_locked=0))
    return state


@pytest.mark.parametrize(
    "state", [_locked(), pooled(), unregistered()], ids=["locked", "in pool", "unregistered"]
)
def test_there_is_no_forecast_when_no_reclaim_can_happen(state: OwnershipState) -> None:
    assert reclaim_forecast(state, POLICY) is None


@pytest.mark.parametrize(
    "state",
    [claimed(LI_LEI, level=Level.A), registered(LI_LEI, level=Level.A), transferred(LI_LEI)],
    ids=["claimed", "postponed by protection", "transferred"],
)
def test_the_sweep_reclaims_exactly_when_the_forecast_says(state: OwnershipState) -> None:
    forecast = reclaim_forecast(state, POLICY)
    assert forecast is not None
    sweep = Reclaim(forecast.rule)

    refuse(state, sweep, now=forecast.due_at - MINUTE)
    after, _ = accept(state, sweep, now=forecast.due_at)

    assert after.in_pool


def test_the_due_date_alone_is_the_forecasts_in_every_case() -> None:
    """`reclaim_due` (for dating a region's customers at once) names the rule and date
    `reclaim_forecast` does, for every level, clock, deal, protection and lock, across a
    holiday that pauses the clocks."""
    from dataclasses import replace
    from datetime import date
    from itertools import product

    from guishu.domain.calendar import Holiday
    from guishu.domain.forecast import reclaim_due

    year_end = Holiday(date(2026, 12, 24), date(2026, 12, 31), "Year end")
    policy = replace(POLICY, holidays=(year_end,))
    moments = [None, NOW - days(50), NOW - days(10), NOW + days(20)]
    for level, since, followed, won, protected, locked in product(
        Level, [NOW - days(80), NOW - days(5)], moments, moments, moments, [None, NOW]
    ):
        state = replace(
            claimed(LI_LEI, at=since, level=level),
            last_follow_up_at=followed,
            deal_won_at=won,
            protected_until=protected,
            locked_at=locked,
        )
        for rules in (POLICY, policy):
            forecast = reclaim_forecast(state, rules)
            expected = (forecast.rule, forecast.due_at) if forecast else None
            assert reclaim_due(state, rules) == expected, state
