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


def due_by_rule(state: OwnershipState, policy: Policy) -> dict[ReclaimRule, ReclaimForecast]:
    """Each reclaim rule that applies to the current owner's term, with its own due date.

    Protection and locks are not considered here; `reclaim_forecast` and `_reclaim` add them.
    """
    if state.owner_since is None:
        return {}
    tz, due_by_rule = policy.timezone, {}
    worked_at = max(filter(None, (state.owner_since, state.last_follow_up_at)))
    due = worked_at + policy.follow_up_window(state.level)
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
        ReclaimRule.NO_FOLLOW_UP, due, due - policy.warning, (line,)
    )
    if state.deal_won_at is None:
        due = state.owner_since + policy.no_deal_window
        line = TraceLine(
            N_(
                "no deal since {since}: returns to the pool after {days} days without a deal, "
                "on {due}"
            ),
            {
                "since": day(state.owner_since, tz),
                "days": str(policy.no_deal_reclaim_days),
                "due": day(due, tz),
            },
        )
        due_by_rule[ReclaimRule.NO_DEAL] = ReclaimForecast(
            ReclaimRule.NO_DEAL, due, due - policy.warning, (line,)
        )
    return due_by_rule


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
