"""Contact cadence by level and strategy, after-sales follow-ups, complaints (fixed dates)."""

from datetime import UTC, datetime, timedelta

from guishu.domain import ContactFacts, Level, Policy, Strategy, cadence_status, render_trace
from guishu.domain.cadence import (
    ComplaintFacts,
    Due,
    complaint_deadline,
    complaint_loyalty,
    interval_days,
)

POLICY = Policy()
# 10:00 in Shanghai on 20 November 2026.
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


def days_ago(n: int) -> datetime:
    return NOW - timedelta(days=n)


def test_key_customers_are_due_monthly_and_every_customer_quarterly():
    assert [interval_days(level, None, POLICY) for level in Level] == [30, 60, 90]


def test_the_shorter_of_level_and_strategy_applies():
    assert interval_days(Level.C, Strategy.DIG_IN, POLICY) == 14
    assert interval_days(Level.A, Strategy.LET_GO, POLICY) == 30


def test_an_a_customer_last_contacted_31_days_ago_is_overdue_by_a_day():
    facts = ContactFacts(level=Level.A, since=days_ago(200), last_contact_at=days_ago(31))
    status = cadence_status(facts, POLICY, NOW)
    assert status.overdue and status.days_overdue == 1 and status.due is Due.CADENCE
    assert render_trace(status.trace) == (
        "level A: contact at least every 30 days; last contact 2026-10-20: next due "
        "2026-11-19; overdue by 1 days"
    )


def test_a_c_customer_contacted_two_months_ago_is_not_yet_due():
    facts = ContactFacts(level=Level.C, since=days_ago(200), last_contact_at=days_ago(60))
    status = cadence_status(facts, POLICY, NOW)
    assert not status.overdue
    assert status.due_at == days_ago(60) + timedelta(days=90)


def test_without_any_contact_the_clock_starts_when_the_customer_was_taken():
    facts = ContactFacts(level=Level.B, since=days_ago(61))
    status = cadence_status(facts, POLICY, NOW)
    assert status.overdue and status.days_overdue == 1
    assert "no contact since it was taken on 2026-09-20" in render_trace(status.trace)


def test_a_dig_in_customer_is_due_every_two_weeks():
    facts = ContactFacts(
        level=Level.C, since=days_ago(100), strategy=Strategy.DIG_IN, last_contact_at=days_ago(15)
    )
    status = cadence_status(facts, POLICY, NOW)
    assert status.overdue and status.interval_days == 14
    assert render_trace(status.trace).startswith(
        "dig in: contact at least every 14 days (level C: 90)"
    )


def test_a_delivery_not_followed_up_within_7_days_is_overdue_after_sales():
    facts = ContactFacts(
        level=Level.C,
        since=days_ago(100),
        last_contact_at=days_ago(10),
        after_sales_at=days_ago(8),
        followed_up_at=days_ago(10),
    )
    status = cadence_status(facts, POLICY, NOW)
    assert status.due is Due.AFTER_SALES and status.overdue and status.days_overdue == 1
    assert "after-sales follow-up due within 7 days, by 2026-11-19" in render_trace(status.trace)


def test_a_follow_up_after_the_delivery_clears_the_after_sales_due():
    facts = ContactFacts(
        level=Level.C,
        since=days_ago(100),
        last_contact_at=days_ago(2),
        after_sales_at=days_ago(8),
        followed_up_at=days_ago(2),
    )
    status = cadence_status(facts, POLICY, NOW)
    assert status.due is Due.CADENCE and not status.overdue


def test_a_complaint_is_due_within_the_resolution_days():
    assert complaint_deadline(NOW, POLICY) == NOW + timedelta(days=7)
    assert complaint_deadline(NOW, Policy(complaint_resolution_days=3)) == NOW + timedelta(days=3)


def test_loyalty_counts_repeat_orders_within_12_months_for_resolved_vs_unresolved():
    complaints = [
        # resolved 400 days ago, ordered 100 days later: loyal
        ComplaintFacts(1, days_ago(410), resolved=True, closed_at=days_ago(400)),
        # resolved 400 days ago, never ordered again: lost
        ComplaintFacts(2, days_ago(410), resolved=True, closed_at=days_ago(400)),
        # resolved 30 days ago, no order yet: waiting
        ComplaintFacts(3, days_ago(40), resolved=True, closed_at=days_ago(30)),
        # resolved 30 days ago, ordered since: loyal already
        ComplaintFacts(4, days_ago(40), resolved=True, closed_at=days_ago(30)),
        # closed unresolved 500 days ago, no order: lost
        ComplaintFacts(5, days_ago(510), resolved=False, closed_at=days_ago(500)),
        # still open since 380 days: an order only before the complaint does not count
        ComplaintFacts(6, days_ago(380), resolved=False),
    ]
    orders = {1: [days_ago(300)], 4: [days_ago(5)], 6: [days_ago(390)]}
    loyalty = complaint_loyalty(complaints, orders, NOW)
    assert (loyalty.resolved.loyal, loyalty.resolved.lost, loyalty.resolved.waiting) == (2, 1, 1)
    assert loyalty.resolved.rate == 66.7
    assert (loyalty.unresolved.loyal, loyalty.unresolved.lost) == (0, 2)
    assert loyalty.unresolved.rate == 0.0
    assert render_trace(loyalty.trace).startswith(
        "resolved: 2 of 3 customers ordered again within 12 months (66.7%)"
    )


def test_the_due_date_alone_is_the_explained_one_in_every_case():
    """`contact_due_at` (for judging thousands) and `cadence_status` (for explaining a few)
    give the same date for every combination of level, strategy, contact and after-sales."""
    from itertools import product

    from guishu.domain.cadence import contact_due_at

    moments = [None, days_ago(1), days_ago(8), days_ago(40)]
    for level, strategy, last, after, followed in product(
        Level, [None, *Strategy], moments, moments, moments
    ):
        facts = ContactFacts(
            level=level,
            since=days_ago(120),
            strategy=strategy,
            last_contact_at=last,
            after_sales_at=after,
            followed_up_at=followed,
        )
        assert contact_due_at(facts, POLICY) == cadence_status(facts, POLICY, NOW).due_at, facts
