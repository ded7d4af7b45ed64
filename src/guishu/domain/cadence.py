"""Contact cadence and complaints (DOMAIN.md §8, §10).

Loyalty decays the longer a customer goes without contact, and customers rarely feel
contacted too much. Every customer has a longest gap between contacts: the shorter of its
level's (key customers monthly, every customer at least quarterly) and its engagement
strategy's (dig in: every two weeks). A delivery (a won order) or a service is followed up
within a few days (after-sales). A customer past either date is overdue.

Complaints are chances: a complaint is resolved by a deadline, and whether the customer
ordered again within 12 months is measured for resolved and unresolved complaints.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from guishu.domain.classification import Strategy
from guishu.domain.policy import Level, Policy
from guishu.domain.trace import TraceLine, day
from guishu.domain.trace import gettext_noop as N_

LOYALTY_WINDOW = timedelta(days=365)


class Due(StrEnum):
    CADENCE = "cadence"
    AFTER_SALES = "after_sales"


@dataclass(frozen=True)
class ContactFacts:
    """What the cadence rules read about one customer.

    - since: when the current owner took it (the clock's start before any contact);
    - last_contact_at: the latest contact of a kind the policy counts as a follow-up;
    - after_sales_at: the latest delivery (won order) or service;
    - followed_up_at: the latest contact other than a service (the after-sales follow-up).
    """

    level: Level
    since: datetime
    strategy: Strategy | None = None
    last_contact_at: datetime | None = None
    after_sales_at: datetime | None = None
    followed_up_at: datetime | None = None


@dataclass(frozen=True)
class CadenceStatus:
    """When the customer is next due a contact, and why; `overdue` at the moment asked."""

    due: Due
    due_at: datetime
    overdue: bool
    days_overdue: int
    interval_days: int
    trace: tuple[TraceLine, ...]


STRATEGY_RULE = {
    Strategy.LET_GO: N_("let go: contact at least every {days} days (level {level}: {all})"),
    Strategy.DIG_IN: N_("dig in: contact at least every {days} days (level {level}: {all})"),
    Strategy.GIVE_UP: N_("give up: contact at least every {days} days (level {level}: {all})"),
}


def interval_days(level: Level, strategy: Strategy | None, policy: Policy) -> int:
    """The longest gap between contacts: the shorter of the level's and the strategy's."""
    days = policy.cadence_days[level]
    if strategy is not None:
        days = min(days, policy.cadence_strategy_days[strategy.value])
    return days


def after_sales_pending(facts: ContactFacts) -> bool:
    """A delivery or service not followed up (by a contact other than a service) since."""
    after = facts.after_sales_at
    return after is not None and (facts.followed_up_at is None or facts.followed_up_at < after)


def contact_due_at(facts: ContactFacts, policy: Policy) -> datetime:
    """When the customer is next due a contact: the earlier of its cadence and a pending
    after-sales follow-up. `cadence_status` says the same with its reasons; this is the
    figure alone, for judging thousands of customers before explaining a few."""
    start = facts.last_contact_at or facts.since
    due = start + timedelta(days=interval_days(facts.level, facts.strategy, policy))
    if after_sales_pending(facts):
        assert facts.after_sales_at is not None  # nosec B101 - pending means there was one
        due = min(due, facts.after_sales_at + timedelta(days=policy.after_sales_days))
    return due


def cadence_status(facts: ContactFacts, policy: Policy, now: datetime) -> CadenceStatus:
    """The earliest contact due (cadence or after-sales) with its reasons."""
    tz = policy.timezone
    days = interval_days(facts.level, facts.strategy, policy)
    start = facts.last_contact_at or facts.since
    cadence_due = start + timedelta(days=days)
    level_days = policy.cadence_days[facts.level]
    params = {
        "level": facts.level.value,
        "days": str(days),
        "due": day(cadence_due, tz),
        "since": day(start, tz),
    }
    if facts.strategy is not None and days < level_days:
        rule = TraceLine(STRATEGY_RULE[facts.strategy], {**params, "all": str(level_days)})
    else:
        rule = TraceLine(N_("level {level}: contact at least every {days} days"), params)
    if facts.last_contact_at is None:
        last = TraceLine(N_("no contact since it was taken on {since}: due {due}"), params)
    else:
        last = TraceLine(N_("last contact {since}: next due {due}"), params)
    candidates: list[tuple[datetime, Due, tuple[TraceLine, ...]]] = [
        (cadence_due, Due.CADENCE, (rule, last))
    ]
    after = facts.after_sales_at
    if after is not None and after_sales_pending(facts):
        after_due = after + timedelta(days=policy.after_sales_days)
        candidates.append(
            (
                after_due,
                Due.AFTER_SALES,
                (
                    TraceLine(
                        N_(
                            "delivery or service on {at} not followed up yet: after-sales "
                            "follow-up due within {days} days, by {due}"
                        ),
                        {
                            "at": day(after, tz),
                            "days": str(policy.after_sales_days),
                            "due": day(after_due, tz),
                        },
                    ),
                ),
            )
        )
    due_at, due, trace = min(candidates, key=lambda candidate: candidate[0])
    overdue = now >= due_at
    late = (now - due_at).days if overdue else 0
    if overdue:
        trace = (*trace, TraceLine(N_("overdue by {n} days"), {"n": str(late)}))
    return CadenceStatus(due, due_at, overdue, late, days, trace)


# Complaints ------------------------------------------------------------------------------


def complaint_deadline(received_at: datetime, policy: Policy) -> datetime:
    """A complaint is resolved within `complaint_resolution_days` of its receipt."""
    return received_at + timedelta(days=policy.complaint_resolution_days)


@dataclass(frozen=True)
class ComplaintFacts:
    """One complaint as loyalty reads it: resolved or not, and from when to watch orders."""

    customer_id: int
    received_at: datetime
    resolved: bool
    closed_at: datetime | None = None  # resolved (or closed unresolved) at


@dataclass(frozen=True)
class LoyaltyGroup:
    """Complaints of one group (resolved or not): how many customers ordered again within 12
    months (`loyal`), how many did not (`lost`), how many are still inside their 12 months
    without an order (`waiting`), and the loyalty rate over those decided."""

    complaints: int
    loyal: int
    lost: int
    waiting: int

    @property
    def rate(self) -> float | None:
        decided = self.loyal + self.lost
        return round(100 * self.loyal / decided, 1) if decided else None


@dataclass(frozen=True)
class Loyalty:
    resolved: LoyaltyGroup
    unresolved: LoyaltyGroup
    trace: tuple[TraceLine, ...]


def complaint_loyalty(
    complaints: Iterable[ComplaintFacts],
    orders: Mapping[int, Sequence[datetime]],
    now: datetime,
) -> Loyalty:
    """Repeat orders within 12 months after a complaint, for resolved vs unresolved ones.

    The 12 months start when the complaint was closed (resolved or given up), or at receipt
    while it is still open. A customer who ordered in that window is loyal; one whose window
    ended without an order is lost; one still inside it without an order is waiting.
    """
    counts = {True: [0, 0, 0, 0], False: [0, 0, 0, 0]}
    for complaint in complaints:
        start = complaint.closed_at or complaint.received_at
        end = start + LOYALTY_WINDOW
        tally = counts[complaint.resolved]
        tally[0] += 1
        if any(start < at <= min(end, now) for at in orders.get(complaint.customer_id, ())):
            tally[1] += 1
        elif now >= end:
            tally[2] += 1
        else:
            tally[3] += 1
    resolved, unresolved = (LoyaltyGroup(*counts[key]) for key in (True, False))
    trace = []
    for message, group in (
        (
            N_("resolved: {loyal} of {decided} customers ordered again within 12 months ({rate}%)"),
            resolved,
        ),
        (
            N_(
                "unresolved: {loyal} of {decided} customers ordered again within 12 months "
                "({rate}%)"
            ),
            unresolved,
        ),
    ):
        if group.rate is not None:
            trace.append(
                TraceLine(
                    message,
                    {
                        "loyal": str(group.loyal),
                        "decided": str(group.loyal + group.lost),
                        "rate": str(group.rate),
                    },
                )
            )
    trace.append(
        # xgettext:no-python-format
        TraceLine(N_("benchmark: about 85% of customers whose complaint is solved well stay"))
    )
    return Loyalty(resolved, unresolved, tuple(trace))
