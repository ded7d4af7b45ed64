"""Weekly visit and call plans (DOMAIN.md §8): plan about 60% of a rep's contacts and leave
40% free, and compare the plan with what was done.

The plan takes, in order: customers that return to the pool this week unless worked, overdue
after-sales follow-ups, overdue cadence contacts, contacts coming due this week; within each,
key customers (A before B before C) and those to dig in first, then the earliest due. It
fills `plan_share_percent` of `plan_capacity_per_week` and spreads the contacts over the
working days. A field visit costs about a hundred calls (§9), so only potential-A customers
to dig in are planned as visits; the rest as calls.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import IntEnum, StrEnum
from zoneinfo import ZoneInfo

from guishu.domain.cadence import CadenceStatus, Due
from guishu.domain.classification import Strategy
from guishu.domain.policy import Level, Policy
from guishu.domain.trace import TraceLine, day
from guishu.domain.trace import gettext_noop as N_

WORKING_DAYS = 5


class Why(IntEnum):
    """Why a customer is in the plan, most pressing first."""

    RECLAIM = 1
    AFTER_SALES = 2
    OVERDUE = 3
    DUE_THIS_WEEK = 4


class Channel(StrEnum):
    VISIT = "visit"
    CALL = "call"


@dataclass(frozen=True)
class Candidate:
    """A customer a rep owns, with what the plan weighs."""

    customer_id: int
    level: Level
    strategy: Strategy | None
    cadence: CadenceStatus
    reclaim_due_at: datetime | None = None


@dataclass(frozen=True)
class PlannedContact:
    customer_id: int
    on: date
    channel: Channel
    why: Why
    trace: tuple[TraceLine, ...]


@dataclass(frozen=True)
class WeeklyPlan:
    week_start: date
    capacity: int
    planned_slots: int
    items: tuple[PlannedContact, ...]
    left_out: int  # candidates the slots could not hold
    trace: tuple[TraceLine, ...]


def week_start_of(moment: datetime, tz: str) -> date:
    """The Monday of the company-local week containing `moment`."""
    local = moment.astimezone(ZoneInfo(tz)).date()
    return local - timedelta(days=local.weekday())


def week_bounds(week_start: date, tz: str) -> tuple[datetime, datetime]:
    """[Monday 00:00, next Monday 00:00) in the company's time zone."""
    zone = ZoneInfo(tz)
    begins = datetime(week_start.year, week_start.month, week_start.day, tzinfo=zone)
    return begins, begins + timedelta(days=7)


_LEVEL_ORDER = {Level.A: 0, Level.B: 1, Level.C: 2}
_STRATEGY_ORDER = {Strategy.DIG_IN: 0, None: 1, Strategy.LET_GO: 2, Strategy.GIVE_UP: 3}


def _why(candidate: Candidate, week_end: datetime, tz: str) -> tuple[Why, TraceLine] | None:
    reclaim = candidate.reclaim_due_at
    cadence = candidate.cadence
    if reclaim is not None and reclaim < week_end:
        return Why.RECLAIM, TraceLine(
            N_("returns to the pool on {due} unless it is worked"), {"due": day(reclaim, tz)}
        )
    if cadence.overdue and cadence.due is Due.AFTER_SALES:
        return Why.AFTER_SALES, TraceLine(N_("after-sales follow-up overdue"))
    if cadence.overdue:
        return Why.OVERDUE, TraceLine(
            N_("contact overdue by {n} days"), {"n": str(cadence.days_overdue)}
        )
    if cadence.due_at < week_end:
        return Why.DUE_THIS_WEEK, TraceLine(
            N_("contact due on {due}"), {"due": day(cadence.due_at, tz)}
        )
    return None


def weekly_plan(candidates: Iterable[Candidate], *, week_start: date, policy: Policy) -> WeeklyPlan:
    """The plan for the week starting `week_start` (a Monday), each contact with its reason."""
    tz = policy.timezone
    _, week_end = week_bounds(week_start, tz)
    capacity = policy.plan_capacity_per_week
    slots = capacity * policy.plan_share_percent // 100
    ranked = []
    for candidate in candidates:
        found = _why(candidate, week_end, tz)
        if found is not None:
            why, line = found
            key = (
                why,
                _LEVEL_ORDER[candidate.level],
                _STRATEGY_ORDER[candidate.strategy],
                candidate.cadence.due_at,
                candidate.customer_id,
            )
            ranked.append((key, candidate, why, line))
    ranked.sort(key=lambda entry: entry[0])
    items = []
    for index, (_key, candidate, why, line) in enumerate(ranked[:slots]):
        visit = candidate.level is Level.A and candidate.strategy is Strategy.DIG_IN
        channel = Channel.VISIT if visit else Channel.CALL
        on = week_start + timedelta(days=index % WORKING_DAYS)
        items.append(
            PlannedContact(
                candidate.customer_id,
                on,
                channel,
                why,
                (line, *candidate.cadence.trace),
            )
        )
    trace = [
        TraceLine(
            N_("{slots} of {capacity} contacts this week planned ({share}%), the rest left free"),
            {
                "slots": str(slots),
                "capacity": str(capacity),
                "share": str(policy.plan_share_percent),
            },
        ),
        TraceLine(
            N_("customers needing contact this week: {n}; planned: {planned}"),
            {"n": str(len(ranked)), "planned": str(len(items))},
        ),
    ]
    if len(ranked) > slots:
        trace.append(
            TraceLine(
                N_("left out for lack of planned time: {n} (the most pressing come first)"),
                {"n": str(len(ranked) - slots)},
            )
        )
    return WeeklyPlan(
        week_start,
        capacity,
        slots,
        tuple(items),
        max(0, len(ranked) - slots),
        tuple(trace),
    )


@dataclass(frozen=True)
class PlanVsActual:
    """How the week went: planned contacts made, planned ones missed, and unplanned ones (the
    free 40%), with the completion rate of the plan."""

    planned: int
    done: int
    missed: int
    unplanned: int
    done_ids: frozenset[int]

    @property
    def completion(self) -> float | None:
        return round(100 * self.done / self.planned, 1) if self.planned else None


def plan_vs_actual(
    planned_customer_ids: Sequence[int], contacts: Mapping[int, int]
) -> PlanVsActual:
    """`contacts`: how many contacts the rep made with each customer during the week."""
    planned = set(planned_customer_ids)
    done = frozenset(customer for customer in planned if contacts.get(customer, 0) > 0)
    unplanned = sum(count for customer, count in contacts.items() if customer not in planned)
    return PlanVsActual(len(planned), len(done), len(planned) - len(done), unplanned, done)
