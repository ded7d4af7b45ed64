"""The ownership rules: (state, command, policy, now) -> accepted events or a rejection.

Every rule states its reason in plain words (a trace line), for acceptances and refusals alike,
so that "why is this customer owned by X?" always has an answer.
"""

from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from guishu.domain.commands import (
    AssignFromPool,
    Claim,
    Command,
    FollowUp,
    Lock,
    Reclaim,
    Register,
    Release,
    Transfer,
    Unlock,
    WinDeal,
)
from guishu.domain.events import EventKind, OwnershipEvent
from guishu.domain.outcomes import Accepted, Decision, Rejection, RejectionCode
from guishu.domain.people import Actor, Person
from guishu.domain.policy import ACTIVITY_KINDS, Policy, ReclaimRule
from guishu.domain.state import Basis, OwnershipState
from guishu.domain.trace import TraceLine, day
from guishu.domain.trace import gettext_noop as N_

BASIS_LINES = {
    Basis.REGISTERED: N_("{owner} registered it on {since}"),
    Basis.CLAIMED: N_("{owner} claimed it from the pool on {since}"),
    Basis.ASSIGNED: N_("a manager assigned it to {owner} on {since}"),
    Basis.TRANSFERRED: N_("it was transferred to {owner} on {since}"),
}


def decide(state: OwnershipState, command: Command, policy: Policy, now: datetime) -> Decision:
    """Decides one command against one customer's state. Pure: no clock, no I/O."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    for moment in _command_times(command):
        if moment.tzinfo is None:
            raise ValueError("command times must be timezone-aware")
    ctx = _Context(state, policy, now)
    match command:
        case Register():
            return _register(ctx, command)
        case FollowUp():
            return _follow_up(ctx, command)
        case WinDeal():
            return _win_deal(ctx, command)
        case Release():
            return _release(ctx, command)
        case Claim():
            return _claim(ctx, command)
        case AssignFromPool():
            return _assign(ctx, command)
        case Transfer():
            return _transfer(ctx, command)
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


@dataclass(frozen=True)
class ReclaimForecast:
    """When the customer will return to the pool if nothing changes, and under which rule."""

    rule: ReclaimRule
    due_at: datetime
    warn_at: datetime
    trace: tuple[TraceLine, ...]


def _due_by_rule(state: OwnershipState, policy: Policy) -> dict[ReclaimRule, ReclaimForecast]:
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
    candidates = _due_by_rule(state, policy).values()
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


@dataclass(frozen=True)
class _Context:
    state: OwnershipState
    policy: Policy
    now: datetime

    def day(self, moment: datetime) -> str:
        return day(moment, self.policy.timezone)

    def event(
        self,
        kind: EventKind,
        actor: Person | None,
        to_owner: Person | None,
        line: TraceLine,
        *,
        protected_until: datetime | None = None,
        evidence: dict[str, str] | None = None,
    ) -> Accepted:
        """Accepts the command with one event, as of `now`, from the current owner."""
        return Accepted(
            events=(
                OwnershipEvent(
                    kind=kind,
                    at=self.now,
                    actor=actor,
                    from_owner=self.state.owner,
                    to_owner=to_owner,
                    trace=(line,),
                    protected_until=protected_until,
                    evidence=evidence or {},
                ),
            )
        )

    def reject(
        self, code: RejectionCode, message: str, retry_at: datetime | None = None, **params: str
    ) -> Rejection:
        return Rejection(code=code, trace=(TraceLine(message, params),), retry_at=retry_at)

    def owned_by_other(self) -> Rejection:
        """The collision answer: who owns it, since when, and on what basis."""
        state = self.state
        assert state.owner is not None and state.owner_since is not None
        owner, since = state.owner.name, self.day(state.owner_since)
        if state.is_protected(self.now):
            assert state.protected_until is not None
            first = TraceLine(
                N_("refused: protected for {owner} until {until} by registration on {since}"),
                {"owner": owner, "until": self.day(state.protected_until), "since": since},
            )
        else:
            first = TraceLine(
                N_("refused: owned by {owner} since {since}"), {"owner": owner, "since": since}
            )
        lines = [first]
        if state.basis is not None and state.basis is not Basis.REGISTERED:
            lines.append(TraceLine(BASIS_LINES[state.basis], {"owner": owner, "since": since}))
        return Rejection(
            code=RejectionCode.OWNED_BY_OTHER,
            trace=tuple(lines),
            retry_at=None,
            owner=state.owner,
            owner_since=state.owner_since,
        )

    def not_in_pool(self) -> Rejection | None:
        if not self.state.known:
            return self.reject(
                RejectionCode.NOT_IN_POOL,
                N_("refused: {customer} is not registered yet"),
                customer=self.state.customer_name,
            )
        return None


def _holding_cap(ctx: _Context, held: int, who: Person) -> Rejection | None:
    if held >= ctx.policy.max_held:
        return ctx.reject(
            RejectionCode.HOLDING_CAP,
            N_("refused: {rep} already holds {held} customers (the cap is {cap})"),
            rep=who.name,
            held=str(held),
            cap=str(ctx.policy.max_held),
        )
    return None


def _cannot_own(ctx: _Context, who: Person) -> Rejection | None:
    if not who.can_own:
        return ctx.reject(
            RejectionCode.CANNOT_OWN,
            N_("refused: {person} cannot own customers (inactive or not in sales)"),
            person=who.name,
        )
    return None


def _register(ctx: _Context, cmd: Register) -> Decision:
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
    refusal = _cannot_own(ctx, me) or _holding_cap(ctx, cmd.actor.held, me)
    if refusal:
        return refusal
    until = ctx.now + ctx.policy.protection
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
            "days": str(ctx.policy.protection_days),
            "until": ctx.day(until),
        },
    )
    return ctx.event(EventKind.REGISTERED, me, me, line, protected_until=until, evidence=evidence)


def _follow_up(ctx: _Context, cmd: FollowUp) -> Decision:
    state, me = ctx.state, cmd.actor.person
    if cmd.kind not in ACTIVITY_KINDS:
        raise ValueError(f"unknown activity kind {cmd.kind!r}")
    if state.owner is None:
        return ctx.not_in_pool() or ctx.reject(
            RejectionCode.IN_POOL,
            N_("{customer} is in the pool: claim it before working it"),
            customer=state.customer_name,
        )
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


def _win_deal(ctx: _Context, cmd: WinDeal) -> Decision:
    state, me = ctx.state, cmd.actor.person
    if state.owner is None:
        return ctx.not_in_pool() or ctx.reject(
            RejectionCode.IN_POOL,
            N_("{customer} has no owner to credit the deal to"),
            customer=state.customer_name,
        )
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


def _release(ctx: _Context, cmd: Release) -> Decision:
    state, me = ctx.state, cmd.actor.person
    if state.owner is None:
        return ctx.not_in_pool() or ctx.reject(
            RejectionCode.IN_POOL,
            N_("{customer} is already in the pool"),
            customer=state.customer_name,
        )
    if state.owner.id != me.id and not cmd.actor.oversees(state.owner):
        return ctx.reject(
            RejectionCode.NOT_OWNER,
            N_("refused: only {owner} or their manager can release it"),
            owner=state.owner.name,
        )
    line = TraceLine(
        N_("{actor} released it to the pool on {at}"), {"actor": me.name, "at": ctx.day(ctx.now)}
    )
    evidence = {"reason": cmd.reason} if cmd.reason else {}
    return ctx.event(EventKind.RELEASED, me, None, line, evidence=evidence)


def _claim(ctx: _Context, cmd: Claim) -> Decision:
    state, me, policy = ctx.state, cmd.actor.person, ctx.policy
    if state.owner is not None:
        if state.owner.id == me.id:
            return ctx.reject(
                RejectionCode.ALREADY_YOURS,
                N_("{customer} is already yours"),
                customer=state.customer_name,
            )
        return ctx.owned_by_other()
    refusal = ctx.not_in_pool() or _cannot_own(ctx, me) or _holding_cap(ctx, cmd.actor.held, me)
    if refusal:
        return refusal
    lost_at = state.lost_by(me.id)
    cool_down_ends = lost_at + policy.cooldown if lost_at is not None else None
    if cool_down_ends is not None and ctx.now >= cool_down_ends:
        cool_down_ends = None
    if cmd.actor.claims_today >= policy.daily_claim_limit:
        tomorrow = _next_midnight(ctx.now, policy.timezone)
        return ctx.reject(
            RejectionCode.DAILY_CLAIM_CAP,
            N_(
                "refused: {rep} has claimed {count} customers today (the daily cap "
                "is {cap}); claiming opens again on {when}"
            ),
            # Not before the cool-down ends either, or the retry would be refused again.
            retry_at=max(tomorrow, cool_down_ends or tomorrow),
            rep=me.name,
            count=str(cmd.actor.claims_today),
            cap=str(policy.daily_claim_limit),
            when=ctx.day(tomorrow),
        )
    if lost_at is not None and cool_down_ends is not None:
        return ctx.reject(
            RejectionCode.COOL_DOWN,
            N_(
                "refused: {rep} lost this customer on {lost}; a former owner may "
                "claim it again after {days} days, on {when}"
            ),
            retry_at=cool_down_ends,
            rep=me.name,
            lost=ctx.day(lost_at),
            days=str(policy.former_owner_cooldown_days),
            when=ctx.day(cool_down_ends),
        )
    line = TraceLine(
        N_("{rep} claimed it from the pool on {at}"), {"rep": me.name, "at": ctx.day(ctx.now)}
    )
    return ctx.event(EventKind.CLAIMED, me, me, line)


def _assign(ctx: _Context, cmd: AssignFromPool) -> Decision:
    state, me = ctx.state, cmd.actor.person
    if state.owner is not None:
        return ctx.reject(
            RejectionCode.NOT_IN_POOL,
            N_("refused: {customer} is owned by {owner}; transfer it instead"),
            customer=state.customer_name,
            owner=state.owner.name,
        )
    refusal = (
        ctx.not_in_pool()
        or _manager_over(ctx, cmd.actor, cmd.to)
        or _cannot_own(ctx, cmd.to)
        or _holding_cap(ctx, cmd.to_held, cmd.to)
    )
    if refusal:
        return refusal
    line = TraceLine(
        N_("{actor} assigned it from the pool to {rep} on {at}"),
        {"actor": me.name, "rep": cmd.to.name, "at": ctx.day(ctx.now)},
    )
    evidence = {"reason": cmd.reason} if cmd.reason else {}
    return ctx.event(EventKind.ASSIGNED, me, cmd.to, line, evidence=evidence)


def _transfer(ctx: _Context, cmd: Transfer) -> Decision:
    state, me = ctx.state, cmd.actor.person
    if state.owner is None:
        return ctx.not_in_pool() or ctx.reject(
            RejectionCode.IN_POOL,
            N_("refused: {customer} is in the pool; assign it instead"),
            customer=state.customer_name,
        )
    if state.owner.id == cmd.to.id:
        return ctx.reject(
            RejectionCode.SAME_OWNER,
            N_("{rep} already owns {customer}"),
            rep=cmd.to.name,
            customer=state.customer_name,
        )
    by_owner = state.owner.id == me.id
    if not by_owner and not cmd.actor.oversees(state.owner):
        return ctx.reject(
            RejectionCode.NOT_OWNER,
            N_("refused: only {owner} or their manager can transfer it"),
            owner=state.owner.name,
        )
    # Authority first: a refusal must not reveal the counts of a rep outside one's teams.
    refusal = None if by_owner else _manager_over(ctx, cmd.actor, cmd.to)
    refusal = refusal or _cannot_own(ctx, cmd.to) or _holding_cap(ctx, cmd.to_held, cmd.to)
    if refusal:
        return refusal
    line = TraceLine(
        N_("{actor} transferred it from {owner} to {rep} on {at}"),
        {"actor": me.name, "owner": state.owner.name, "rep": cmd.to.name, "at": ctx.day(ctx.now)},
    )
    evidence = {"reason": cmd.reason} if cmd.reason else {}
    return ctx.event(EventKind.TRANSFERRED, me, cmd.to, line, evidence=evidence)


def _manager_over(ctx: _Context, actor: Actor, rep: Person) -> Rejection | None:
    if not actor.oversees(rep):
        return ctx.reject(
            RejectionCode.NOT_PERMITTED,
            N_("refused: {actor} does not manage {rep}"),
            actor=actor.person.name,
            rep=rep.name,
        )
    return None


def _lock(ctx: _Context, cmd: Lock) -> Decision:
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


def _unlock(ctx: _Context, cmd: Unlock) -> Decision:
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


def _owner_or_manager(ctx: _Context, actor: Actor) -> Rejection | None:
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


def _reclaim(ctx: _Context, cmd: Reclaim) -> Decision:
    state = ctx.state
    if state.owner is None:
        return ctx.not_in_pool() or ctx.reject(
            RejectionCode.IN_POOL,
            N_("{customer} is already in the pool"),
            customer=state.customer_name,
        )
    if state.locked_at is not None:
        return ctx.reject(
            RejectionCode.LOCKED,
            N_("not reclaimed: {customer} is locked"),
            customer=state.customer_name,
        )
    forecast = _due_by_rule(state, ctx.policy).get(cmd.rule)
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


def _next_midnight(now: datetime, tz: str) -> datetime:
    """The start of the next calendar day in the company's time zone."""
    zone = ZoneInfo(tz)
    tomorrow = now.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time.min, tzinfo=zone)
