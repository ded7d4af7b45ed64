"""The ownership rules: (state, command, policy, now) -> accepted events or a rejection.

Every rule states its reason in plain words (a trace line), for acceptances and refusals alike,
so that "why is this customer owned by X?" always has an answer.
"""

from dataclasses import replace
from datetime import datetime

from guishu.domain.commands import (
    AssignFromPool,
    Award,
    Claim,
    Command,
    ExtendProtection,
    FollowUp,
    Lock,
    Reclaim,
    Register,
    Release,
    Transfer,
    Unlock,
    WinDeal,
)
from guishu.domain.context import Context, cannot_own_refusal, holding_cap_refusal
from guishu.domain.events import EventKind
from guishu.domain.forecast import due_by_rule
from guishu.domain.handover import _assign, _claim, _release, _transfer
from guishu.domain.outcomes import Accepted, Decision, Rejection, RejectionCode
from guishu.domain.people import Actor
from guishu.domain.policy import ACTIVITY_KINDS, Policy
from guishu.domain.state import OwnershipState
from guishu.domain.trace import TraceLine
from guishu.domain.trace import gettext_noop as N_


def decide(state: OwnershipState, command: Command, policy: Policy, now: datetime) -> Decision:
    """Decides one command against one customer's state. Pure: no clock, no I/O."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    for moment in _command_times(command):
        if moment.tzinfo is None:
            raise ValueError("command times must be timezone-aware")
    ctx = Context(state, policy, now)
    match command:
        case Register():
            return _register(ctx, command)
        case FollowUp():
            return _follow_up(ctx, command)
        case WinDeal():
            return _win_deal(ctx, command)
        case ExtendProtection():
            return _extend_protection(ctx, command)
        case Release():
            return _release(ctx, command)
        case Claim():
            return _claim(ctx, command)
        case AssignFromPool():
            return _assign(ctx, command)
        case Transfer():
            return _transfer(ctx, command)
        case Award():
            return _award(ctx, command)
        case Lock():
            return _lock(ctx, command)
        case Unlock():
            return _unlock(ctx, command)
        case Reclaim():
            return _reclaim(ctx, command)


def _command_times(command: Command) -> list[datetime]:
    match command:
        case Register():
            return [t for t in (command.first_contact_at, command.details_found_at) if t]
        case FollowUp() | WinDeal():
            return [command.at]
    return []


def _register(ctx: Context, cmd: Register) -> Decision:
    state, me = ctx.state, cmd.actor.person
    if state.owner is not None:
        if state.owner.id == me.id:
            return ctx.reject(
                RejectionCode.ALREADY_YOURS,
                N_("{customer} is already yours"),
                customer=state.customer_name,
            )
        return ctx.owned_by_other()
    if state.known:
        return ctx.reject(
            RejectionCode.IN_POOL,
            N_("{customer} is in the pool: claim it instead of registering it"),
            customer=state.customer_name,
        )
    refusal = cannot_own_refusal(ctx, me) or holding_cap_refusal(ctx, cmd.actor.held, me)
    if refusal:
        return refusal
    # The protection clock pauses over holidays like every other clock.
    until = ctx.policy.pauses.after(ctx.now, ctx.policy.protection(state.level))
    evidence = {"registered_at": ctx.now.isoformat()}
    if cmd.first_contact_at:
        evidence["first_contact_at"] = cmd.first_contact_at.isoformat()
    if cmd.details_found_at:
        evidence["details_found_at"] = cmd.details_found_at.isoformat()
    line = TraceLine(
        N_("registered by {rep} on {since}, protected for {days} days until {until}"),
        {
            "rep": me.name,
            "since": ctx.day(ctx.now),
            "days": str(ctx.policy.protection_days[state.level]),
            "until": ctx.day(until),
        },
    )
    return ctx.event(EventKind.REGISTERED, me, me, line, protected_until=until, evidence=evidence)


def _follow_up(ctx: Context, cmd: FollowUp) -> Decision:
    state, me = ctx.state, cmd.actor.person
    if cmd.kind not in ACTIVITY_KINDS:
        raise ValueError(f"unknown activity kind {cmd.kind!r}")
    if state.owner is None:
        return ctx.unowned(N_("{customer} is in the pool: claim it before working it"))
    if state.owner.id != me.id and not cmd.actor.oversees(state.owner):
        return ctx.owned_by_other()
    # The activity may have been logged after it happened: the clock restarts from its time,
    # but never from the future.
    at = min(cmd.at, ctx.now)
    params = {"rep": me.name, "kind": cmd.kind, "at": ctx.day(at)}
    if state.owner.id != me.id or cmd.kind not in ctx.policy.valid_follow_up_kinds:
        note = TraceLine(
            N_("{rep} logged {kind} on {at}: it does not restart the follow-up clock"), params
        )
        return Accepted(events=(), notes=(note,))
    line = TraceLine(N_("{rep} followed up ({kind}) on {at}: the follow-up clock restarts"), params)
    event = ctx.event(EventKind.FOLLOWED_UP, me, state.owner, line).events[0]
    return Accepted(events=(replace(event, at=at),))


def _win_deal(ctx: Context, cmd: WinDeal) -> Decision:
    state, me = ctx.state, cmd.actor.person
    if state.owner is None:
        return ctx.unowned(N_("{customer} has no owner to credit the deal to"))
    if state.owner.id != me.id and not cmd.actor.oversees(state.owner):
        return ctx.owned_by_other()
    if state.deal_won_at is not None:
        note = TraceLine(
            N_("{owner} already won a deal on {at} in this term"),
            {"owner": state.owner.name, "at": ctx.day(state.deal_won_at)},
        )
        return Accepted(events=(), notes=(note,))
    at = min(cmd.at, ctx.now)
    line = TraceLine(
        N_("{owner} won a deal on {at}: exempt from the no-deal reclaim"),
        {"owner": state.owner.name, "at": ctx.day(at)},
    )
    event = ctx.event(EventKind.DEAL_WON, me, state.owner, line).events[0]
    return Accepted(events=(replace(event, at=at),))


def _extend_protection(ctx: Context, cmd: ExtendProtection) -> Decision:
    state, me, policy = ctx.state, cmd.actor.person, ctx.policy
    refusal = _owner_or_manager(ctx, cmd.actor)
    if refusal:
        return refusal
    assert state.owner is not None
    if state.protection_extensions >= policy.max_protection_extensions:
        return ctx.reject(
            RejectionCode.EXTENSIONS_USED,
            N_("refused: the protection was extended {count} times already (the most allowed)"),
            count=str(state.protection_extensions),
        )
    # From the end of the protection still running, or from now once it has lapsed.
    start = max(ctx.now, state.protected_until or ctx.now)
    until = policy.pauses.after(start, policy.protection(state.level))
    line = TraceLine(
        N_("{actor} extended the protection on {at}: protected until {until}"),
        {"actor": me.name, "at": ctx.day(ctx.now), "until": ctx.day(until)},
    )
    return ctx.event(EventKind.PROTECTION_EXTENDED, me, state.owner, line, protected_until=until)


def _lock(ctx: Context, cmd: Lock) -> Decision:
    state, me = ctx.state, cmd.actor.person
    refusal = _owner_or_manager(ctx, cmd.actor)
    if refusal:
        return refusal
    assert state.owner is not None
    if state.locked_at is not None:
        return ctx.reject(
            RejectionCode.ALREADY_LOCKED,
            N_("{customer} is already locked"),
            customer=state.customer_name,
        )
    # The cap counts the owner's locks, whoever sets them.
    if cmd.owner_locked >= ctx.policy.max_locked:
        return ctx.reject(
            RejectionCode.LOCK_CAP,
            N_("refused: {rep} already has {count} locked customers (the cap is {cap})"),
            rep=state.owner.name,
            count=str(cmd.owner_locked),
            cap=str(ctx.policy.max_locked),
        )
    line = TraceLine(
        N_("{actor} locked it on {at}: it will not be reclaimed while locked"),
        {"actor": me.name, "at": ctx.day(ctx.now)},
    )
    return ctx.event(EventKind.LOCKED, me, state.owner, line)


def _unlock(ctx: Context, cmd: Unlock) -> Decision:
    state, me = ctx.state, cmd.actor.person
    refusal = _owner_or_manager(ctx, cmd.actor)
    if refusal:
        return refusal
    if state.locked_at is None:
        return ctx.reject(
            RejectionCode.NOT_LOCKED, N_("{customer} is not locked"), customer=state.customer_name
        )
    line = TraceLine(N_("{actor} unlocked it on {at}"), {"actor": me.name, "at": ctx.day(ctx.now)})
    return ctx.event(EventKind.UNLOCKED, me, state.owner, line)


# The trace of a dispute's decision, by whether the owner stayed and how it was settled.
AWARD_LINES = {
    ("upheld", "agreement"): N_(
        "dispute #{dispute} left it with {rep} on {at}, as both parties agreed"
    ),
    ("upheld", "manager"): N_(
        "dispute #{dispute} left it with {rep} on {at}, by the manager's decision"
    ),
    ("upheld", "customer"): N_(
        "dispute #{dispute} left it with {rep} on {at}, as the customer chose"
    ),
    ("upheld", "director"): N_(
        "dispute #{dispute} left it with {rep} on {at}, by the director's decision"
    ),
    ("decided", "agreement"): N_(
        "dispute #{dispute} gave it to {rep} on {at}, as both parties agreed"
    ),
    ("decided", "manager"): N_(
        "dispute #{dispute} gave it to {rep} on {at}, by the manager's decision"
    ),
    ("decided", "customer"): N_(
        "dispute #{dispute} gave it to {rep} on {at}, as the customer chose"
    ),
    ("decided", "director"): N_(
        "dispute #{dispute} gave it to {rep} on {at}, by the director's decision"
    ),
    ("decided", "fallback"): N_(
        "dispute #{dispute} gave it to {rep} on {at}: no deal was won by the date it set"
    ),
}


def _award(ctx: Context, cmd: Award) -> Decision:
    state = ctx.state
    refusal = ctx.not_in_pool() or cannot_own_refusal(ctx, cmd.to)
    if refusal:
        return refusal
    evidence = {"dispute": str(cmd.dispute_id), "how": cmd.how}
    params = {"rep": cmd.to.name, "dispute": str(cmd.dispute_id), "at": ctx.day(ctx.now)}
    if state.owner is not None and state.owner.id == cmd.to.id:
        line = TraceLine(AWARD_LINES[("upheld", cmd.how)], params)
        return ctx.event(EventKind.UPHELD, cmd.actor, cmd.to, line, evidence=evidence)
    line = TraceLine(AWARD_LINES[("decided", cmd.how)], params)
    # A decided owner starts a fresh term with the protection a registration gets: the
    # decision is worth nothing if the customer could be reclaimed the next morning.
    protected_until = ctx.policy.pauses.after(ctx.now, ctx.policy.protection(state.level))
    return ctx.event(
        EventKind.DECIDED,
        cmd.actor,
        cmd.to,
        line,
        protected_until=protected_until,
        evidence=evidence,
    )


def _owner_or_manager(ctx: Context, actor: Actor) -> Rejection | None:
    state = ctx.state
    if state.owner is None:
        return ctx.not_in_pool() or ctx.reject(
            RejectionCode.IN_POOL, N_("{customer} is in the pool"), customer=state.customer_name
        )
    if state.owner.id != actor.id and not actor.oversees(state.owner):
        return ctx.reject(
            RejectionCode.NOT_OWNER,
            N_("refused: only {owner} or their manager can do this"),
            owner=state.owner.name,
        )
    return None


def _reclaim(ctx: Context, cmd: Reclaim) -> Decision:
    state = ctx.state
    if state.owner is None:
        return ctx.unowned(N_("{customer} is already in the pool"))
    if state.locked_at is not None:
        return ctx.reject(
            RejectionCode.LOCKED,
            N_("not reclaimed: {customer} is locked"),
            customer=state.customer_name,
        )
    forecast = due_by_rule(state, ctx.policy).get(cmd.rule)
    if forecast is None:
        return ctx.reject(
            RejectionCode.NOT_DUE,
            N_("not reclaimed: {owner} has won a deal with {customer}"),
            owner=state.owner.name,
            customer=state.customer_name,
        )
    if state.is_protected(ctx.now):
        assert state.protected_until is not None
        return ctx.reject(
            RejectionCode.PROTECTED,
            N_("not reclaimed: protected for {owner} until {until}"),
            # The retry succeeds only once protection is over and the rule is due.
            retry_at=max(state.protected_until, forecast.due_at),
            owner=state.owner.name,
            until=ctx.day(state.protected_until),
        )
    if ctx.now < forecast.due_at:
        return Rejection(
            code=RejectionCode.NOT_DUE,
            retry_at=forecast.due_at,
            trace=(TraceLine(N_("not reclaimed yet"), {}), *forecast.trace),
        )
    line = TraceLine(
        N_("returned to the pool on {at} from {owner}"),
        {"at": ctx.day(ctx.now), "owner": state.owner.name},
    )
    event = ctx.event(
        EventKind.RECLAIMED,
        None,
        None,
        line,
        evidence={"rule": cmd.rule.value, "due_at": forecast.due_at.isoformat()},
    )
    return Accepted(events=(replace(event.events[0], trace=(*forecast.trace, line)),))
