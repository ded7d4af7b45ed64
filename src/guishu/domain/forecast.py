"""Reclaim forecasts: when a customer returns to the pool if nothing changes, and why.

"No deal, no monopoly": an owner who neither follows up validly nor wins a deal loses the
customer to the pool. Each rule has its own due date; protection postpones a reclaim to its
end, and a locked customer is never reclaimed.
"""

from dataclasses import dataclass, replace
from datetime import datetime

from guishu.domain.policy import Policy, ReclaimRule
from guishu.domain.state import OwnershipState
from guishu.domain.trace import TraceLine, day
from guishu.domain.trace import gettext_noop as N_


@dataclass(frozen=True)
class ReclaimForecast:
    """When the customer will return to the pool if nothing changes, and under which rule."""

    rule: ReclaimRule
    due_at: datetime
    warn_at: datetime
    trace: tuple[TraceLine, ...]


def reclaim_dates(state: OwnershipState, policy: Policy) -> dict[ReclaimRule, datetime]:
    """Each reclaim rule that applies to the current owner's term, with its due date alone:
    what `due_by_rule` says without the reasons, for judging a region's customers at once.

    Protection and locks are not considered here; `reclaim_due` adds them.
    """
    if state.owner_since is None:
        return {}
    worked_at = max(filter(None, (state.owner_since, state.last_follow_up_at)))
    dates = {
        ReclaimRule.NO_FOLLOW_UP: policy.pauses.after(
            worked_at, policy.follow_up_window(state.level)
        )
    }
    if state.deal_won_at is None:
        dates[ReclaimRule.NO_DEAL] = policy.pauses.after(
            state.owner_since, policy.no_deal_window(state.level)
        )
    return dates


def reclaim_due(state: OwnershipState, policy: Policy) -> tuple[ReclaimRule, datetime] | None:
    """The rule and date `reclaim_forecast` gives, without the reasons (None when none can)."""
    if state.owner is None or state.locked_at is not None:
        return None
    dates = reclaim_dates(state, policy)
    if not dates:
        return None
    rule = min(dates, key=lambda each: dates[each])  # on a tie, the first rule, as there
    due = dates[rule]
    if state.protected_until is not None and state.protected_until > due:
        due = state.protected_until
    return rule, due


def due_by_rule(state: OwnershipState, policy: Policy) -> dict[ReclaimRule, ReclaimForecast]:
    """Each reclaim rule that applies to the current owner's term, with its own due date.

    Protection and locks are not considered here; `reclaim_forecast` and `_reclaim` add them.
    """
    if state.owner_since is None:
        return {}
    tz, due_by_rule = policy.timezone, {}
    dates = reclaim_dates(state, policy)
    worked_at = max(filter(None, (state.owner_since, state.last_follow_up_at)))
    due = dates[ReclaimRule.NO_FOLLOW_UP]
    line = TraceLine(
        N_(
            "no valid follow-up since {since}: level {level} returns to the pool after {days} "
            "days, on {due}"
        ),
        {
            "since": day(worked_at, tz),
            "level": state.level.value,
            "days": str(policy.follow_up_reclaim_days[state.level]),
            "due": day(due, tz),
        },
    )
    due_by_rule[ReclaimRule.NO_FOLLOW_UP] = ReclaimForecast(
        ReclaimRule.NO_FOLLOW_UP,
        due,
        due - policy.warning,
        (line, *_paused(policy, worked_at, due)),
    )
    if state.deal_won_at is None:
        due = dates[ReclaimRule.NO_DEAL]
        line = TraceLine(
            N_(
                "no deal since {since}: returns to the pool after {days} days without a deal, "
                "on {due}"
            ),
            {
                "since": day(state.owner_since, tz),
                "days": str(policy.no_deal_reclaim_days[state.level]),
                "due": day(due, tz),
            },
        )
        due_by_rule[ReclaimRule.NO_DEAL] = ReclaimForecast(
            ReclaimRule.NO_DEAL,
            due,
            due - policy.warning,
            (line, *_paused(policy, state.owner_since, due)),
        )
    return due_by_rule


def _paused(policy: Policy, start: datetime, due: datetime) -> tuple[TraceLine, ...]:
    """Why a due date is later than the plain count of days: the holidays in between."""
    return tuple(
        TraceLine(
            N_("the clock pauses for {holiday} ({first} to {last})"),
            {
                "holiday": holiday.name,
                "first": holiday.first.isoformat(),
                "last": holiday.last.isoformat(),
            },
        )
        for holiday, begins, ends in policy.holiday_spans
        if begins < due and start < ends
    )


def reclaim_forecast(state: OwnershipState, policy: Policy) -> ReclaimForecast | None:
    """The earliest reclaim that applies to the current owner's term, or None if none can.

    Locked customers are never reclaimed; protection postpones a reclaim to its end.
    """
    if state.owner is None or state.locked_at is not None:
        return None
    candidates = due_by_rule(state, policy).values()
    if not candidates:
        return None
    earliest = min(candidates, key=lambda forecast: forecast.due_at)
    if state.protected_until is None or state.protected_until <= earliest.due_at:
        return earliest
    until = state.protected_until
    postponed = TraceLine(
        N_("postponed by protection until {until}"), {"until": day(until, policy.timezone)}
    )
    return replace(
        earliest, due_at=until, warn_at=until - policy.warning, trace=(*earliest.trace, postponed)
    )


def what_would_stop(
    forecast: ReclaimForecast, state: OwnershipState, policy: Policy
) -> tuple[TraceLine, ...]:
    """What would keep the customer with its owner past the due date, in plain words: the
    action the due rule asks for, and the lock that stops every reclaim."""
    due = day(forecast.due_at, policy.timezone)
    if forecast.rule is ReclaimRule.NO_FOLLOW_UP:
        first = TraceLine(
            N_("a valid follow-up by {owner} ({kinds}) before {due} restarts the follow-up clock"),
            {
                "owner": state.owner.name if state.owner else "",
                "kinds": ", ".join(sorted(policy.valid_follow_up_kinds)),
                "due": due,
            },
        )
    else:
        first = TraceLine(
            N_("a won deal before {due} exempts it from the no-deal rule for this term"),
            {"due": due},
        )
    lock = TraceLine(
        N_("locking it as a key customer stops every reclaim (at most {cap} per rep)"),
        {"cap": str(policy.max_locked)},
    )
    return (first, lock)
