"""Policy values by level, holidays that pause the clocks, and the new-in-pool delay."""

from datetime import date, datetime, timedelta

import pytest

from guishu.domain import Claim, Level, Policy, Register, RejectionCode, reclaim_forecast
from guishu.domain.calendar import Holiday
from guishu.domain.policy import ReclaimRule
from guishu.domain.trace import render_trace
from tests.domain.conftest import (
    LI_LEI,
    NOW,
    SHANGHAI,
    accept,
    actor,
    claimed,
    days,
    pooled,
    refuse,
    unregistered,
)

SPRING_2027 = Holiday(date(2027, 2, 5), date(2027, 2, 11), "Spring Festival 2027")


def test_protection_and_no_deal_can_differ_by_level():
    policy = Policy(
        protection_days={Level.A: 60, Level.B: 30, Level.C: 15}, no_deal_reclaim_days=45
    )
    key, _ = accept(unregistered(Level.A), Register(actor(LI_LEI)), policy=policy)
    small, _ = accept(unregistered(Level.C), Register(actor(LI_LEI)), policy=policy)
    assert key.protected_until == NOW + days(60)
    assert small.protected_until == NOW + days(15)
    assert policy.no_deal_reclaim_days == {Level.A: 45, Level.B: 45, Level.C: 45}


def test_a_per_level_value_must_name_every_level():
    with pytest.raises(ValueError, match="every level"):
        Policy(protection_days={Level.A: 60})


def test_holidays_pause_the_follow_up_clock_and_say_so():
    start = datetime(2027, 1, 25, 10, 0, tzinfo=SHANGHAI)  # due 9 Feb, inside the festival
    owned = claimed(at=start, level=Level.A)  # 15 days without a valid follow-up
    plain = reclaim_forecast(owned, Policy())
    paused = reclaim_forecast(owned, Policy(holidays=(SPRING_2027,)))
    assert plain is not None and paused is not None
    assert plain.rule is paused.rule is ReclaimRule.NO_FOLLOW_UP
    assert paused.due_at - plain.due_at == timedelta(days=7)
    assert "pauses for Spring Festival 2027" in render_trace(paused.trace)
    assert "pauses" not in render_trace(plain.trace)


def test_holidays_lengthen_a_protection_that_spans_them():
    at = datetime(2027, 1, 20, 10, 0, tzinfo=SHANGHAI)
    policy = Policy(holidays=(SPRING_2027,))
    state, _ = accept(unregistered(), Register(actor(LI_LEI)), now=at, policy=policy)
    assert state.protected_until == at + days(37)


def test_a_customer_just_pooled_waits_for_everyone_before_it_can_be_claimed():
    policy = Policy(new_in_pool_delay_hours=24)
    state = pooled(at=NOW)
    refusal = refuse(state, Claim(actor(LI_LEI)), now=NOW + timedelta(hours=3), policy=policy)
    assert refusal.code is RejectionCode.NEW_IN_POOL
    assert refusal.retry_at == NOW + timedelta(hours=24)
    accept(state, Claim(actor(LI_LEI)), now=NOW + timedelta(hours=24), policy=policy)


def test_no_delay_by_default():
    accept(pooled(at=NOW), Claim(actor(LI_LEI)), now=NOW + timedelta(minutes=1))


def test_an_owner_may_extend_the_protection_as_often_as_the_policy_allows():
    from guishu.domain import ExtendProtection, apply
    from guishu.domain.events import EventKind
    from tests.domain.conftest import HAN_MEIMEI, MANAGER, registered

    state = registered(LI_LEI)  # protected until NOW + 30 days
    policy = Policy(max_protection_extensions=1)
    extended, decision = accept(state, ExtendProtection(actor(LI_LEI)), policy=policy)
    assert decision.events[0].kind is EventKind.PROTECTION_EXTENDED
    assert extended.protected_until == NOW + days(60)
    assert extended.protection_extensions == 1
    again = refuse(extended, ExtendProtection(actor(LI_LEI)), policy=policy)
    assert again.code is RejectionCode.EXTENSIONS_USED
    assert refuse(state, ExtendProtection(actor(HAN_MEIMEI))).code is RejectionCode.NOT_OWNER
    by_manager, _ = accept(state, ExtendProtection(actor(MANAGER)), policy=policy)
    assert by_manager.protected_until == NOW + days(60)
    # Replaying the event counts it again: the history alone rebuilds the count.
    assert apply(extended, decision.events[0]).protection_extensions == 2


def test_a_lapsed_protection_extends_from_now():
    from guishu.domain import ExtendProtection

    state = claimed(at=NOW)  # claimed: no protection
    later = NOW + days(5)
    extended, _ = accept(state, ExtendProtection(actor(LI_LEI)), now=later)
    assert extended.protected_until == later + days(30)


def test_a_rep_not_eligible_for_the_pool_cannot_claim_from_it():
    refusal = refuse(pooled(at=NOW), Claim(actor(LI_LEI), ineligible_pool="Export A"))
    assert refusal.code is RejectionCode.NOT_ELIGIBLE
    assert "Export A" in render_trace(refusal.trace)
