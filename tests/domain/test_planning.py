"""Weekly plans: 60% of capacity, most pressing first; plan vs actual (fixed dates)."""

from datetime import UTC, date, datetime, timedelta

from guishu.domain import ContactFacts, Level, Policy, Strategy, cadence_status, render_trace
from guishu.domain.planning import (
    Candidate,
    Channel,
    Why,
    plan_vs_actual,
    week_bounds,
    week_start_of,
    weekly_plan,
)

# Monday 16 November 2026, 10:00 in Shanghai.
NOW = datetime(2026, 11, 16, 2, 0, tzinfo=UTC)
MONDAY = date(2026, 11, 16)


def candidate(
    customer_id: int,
    level: Level,
    *,
    last_contact_days: int,
    strategy: Strategy | None = None,
    reclaim_in_days: int | None = None,
) -> Candidate:
    facts = ContactFacts(
        level=level,
        since=NOW - timedelta(days=400),
        strategy=strategy,
        last_contact_at=NOW - timedelta(days=last_contact_days),
    )
    reclaim = NOW + timedelta(days=reclaim_in_days) if reclaim_in_days is not None else None
    return Candidate(customer_id, level, strategy, cadence_status(facts, Policy(), NOW), reclaim)


def test_weeks_start_on_monday_in_company_time():
    # Sunday 22 November 23:30 in Shanghai is still the week of the 16th.
    assert week_start_of(datetime(2026, 11, 22, 15, 30, tzinfo=UTC), "Asia/Shanghai") == MONDAY
    begins, ends = week_bounds(MONDAY, "Asia/Shanghai")
    assert (ends - begins).days == 7 and begins.utcoffset() == timedelta(hours=8)


def test_the_plan_fills_60_percent_of_capacity_and_leaves_the_rest_free():
    policy = Policy(plan_capacity_per_week=10)
    candidates = [candidate(i, Level.C, last_contact_days=100) for i in range(1, 21)]
    plan = weekly_plan(candidates, week_start=MONDAY, policy=policy)
    assert plan.planned_slots == 6 and len(plan.items) == 6 and plan.left_out == 14
    assert render_trace(plan.trace).startswith(
        "6 of 10 contacts this week planned (60%), the rest left free"
    )
    # Spread over the working days, Monday to Friday.
    assert [item.on.weekday() for item in plan.items] == [0, 1, 2, 3, 4, 0]


def test_the_most_pressing_come_first():
    candidates = [
        candidate(1, Level.C, last_contact_days=85),  # due on Friday: due this week
        candidate(2, Level.C, last_contact_days=100),  # overdue, C
        candidate(3, Level.A, last_contact_days=40),  # overdue, A
        candidate(4, Level.B, last_contact_days=1, reclaim_in_days=3),  # returns to the pool
        candidate(5, Level.B, last_contact_days=1),  # not due: left out
    ]
    plan = weekly_plan(candidates, week_start=MONDAY, policy=Policy())
    assert [item.customer_id for item in plan.items] == [4, 3, 2, 1]
    assert [item.why for item in plan.items] == [
        Why.RECLAIM,
        Why.OVERDUE,
        Why.OVERDUE,
        Why.DUE_THIS_WEEK,
    ]
    assert str(plan.items[0].trace[0]) == "returns to the pool on 2026-11-19 unless it is worked"


def test_only_key_customers_to_dig_in_are_visited():
    candidates = [
        candidate(1, Level.A, last_contact_days=40, strategy=Strategy.DIG_IN),
        candidate(2, Level.A, last_contact_days=40, strategy=Strategy.LET_GO),
        candidate(3, Level.B, last_contact_days=70, strategy=Strategy.DIG_IN),
    ]
    plan = weekly_plan(candidates, week_start=MONDAY, policy=Policy())
    channels = {item.customer_id: item.channel for item in plan.items}
    assert channels == {1: Channel.VISIT, 2: Channel.CALL, 3: Channel.CALL}


def test_plan_vs_actual_counts_done_missed_and_unplanned_contacts():
    result = plan_vs_actual([1, 2, 3, 4], {1: 2, 3: 1, 9: 3, 10: 1})
    assert (result.planned, result.done, result.missed, result.unplanned) == (4, 2, 2, 4)
    assert result.completion == 50.0
    assert plan_vs_actual([], {}).completion is None
