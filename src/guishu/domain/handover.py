"""Rules for customers changing hands: release to the pool, claim, assign, transfer."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from guishu.domain.commands import AssignFromPool, Claim, Release, Transfer
from guishu.domain.context import (
    Context,
    cannot_own_refusal,
    holding_cap_refusal,
)
from guishu.domain.events import EventKind
from guishu.domain.outcomes import Decision, Rejection, RejectionCode
from guishu.domain.people import Actor, Person
from guishu.domain.trace import TraceLine
from guishu.domain.trace import gettext_noop as N_


def _release(ctx: Context, cmd: Release) -> Decision:
    state, me = ctx.state, cmd.actor.person
    if state.owner is None:
        return ctx.unowned(N_("{customer} is already in the pool"))
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


def _claim(ctx: Context, cmd: Claim) -> Decision:
    state, me, policy = ctx.state, cmd.actor.person, ctx.policy
    if state.owner is not None:
        if state.owner.id == me.id:
            return ctx.reject(
                RejectionCode.ALREADY_YOURS,
                N_("{customer} is already yours"),
                customer=state.customer_name,
            )
        return ctx.owned_by_other()
    refusal = (
        ctx.not_in_pool()
        or cannot_own_refusal(ctx, me)
        or holding_cap_refusal(ctx, cmd.actor.held, me)
    )
    if refusal:
        return refusal
    if cmd.ineligible_pool:
        return ctx.reject(
            RejectionCode.NOT_ELIGIBLE,
            N_("refused: {customer} is in the {pool} pool, which {rep} may not claim from"),
            customer=state.customer_name,
            pool=cmd.ineligible_pool,
            rep=me.name,
        )
    if state.pooled_at is not None and ctx.now < state.pooled_at + policy.new_in_pool_delay:
        opens = state.pooled_at + policy.new_in_pool_delay
        return ctx.reject(
            RejectionCode.NEW_IN_POOL,
            N_(
                "refused: {customer} returned to the pool on {at}; everyone eligible sees it "
                "first, and it can be claimed from {opens}"
            ),
            retry_at=opens,
            customer=state.customer_name,
            at=ctx.day(state.pooled_at),
            opens=ctx.day(opens),
        )
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


def _assign(ctx: Context, cmd: AssignFromPool) -> Decision:
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
        or cannot_own_refusal(ctx, cmd.to)
        or holding_cap_refusal(ctx, cmd.to_held, cmd.to)
    )
    if refusal:
        return refusal
    line = TraceLine(
        N_("{actor} assigned it from the pool to {rep} on {at}"),
        {"actor": me.name, "rep": cmd.to.name, "at": ctx.day(ctx.now)},
    )
    evidence = {"reason": cmd.reason} if cmd.reason else {}
    return ctx.event(EventKind.ASSIGNED, me, cmd.to, line, evidence=evidence)


def _transfer(ctx: Context, cmd: Transfer) -> Decision:
    state, me = ctx.state, cmd.actor.person
    if state.owner is None:
        return ctx.unowned(N_("refused: {customer} is in the pool; assign it instead"))
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
    refusal = (
        refusal or cannot_own_refusal(ctx, cmd.to) or holding_cap_refusal(ctx, cmd.to_held, cmd.to)
    )
    if refusal:
        return refusal
    line = TraceLine(
        N_("{actor} transferred it from {owner} to {rep} on {at}"),
        {"actor": me.name, "owner": state.owner.name, "rep": cmd.to.name, "at": ctx.day(ctx.now)},
    )
    evidence = {"reason": cmd.reason} if cmd.reason else {}
    return ctx.event(EventKind.TRANSFERRED, me, cmd.to, line, evidence=evidence)


def _manager_over(ctx: Context, actor: Actor, rep: Person) -> Rejection | None:
    if not actor.oversees(rep):
        return ctx.reject(
            RejectionCode.NOT_PERMITTED,
            N_("refused: {actor} does not manage {rep}"),
            actor=actor.person.name,
            rep=rep.name,
        )
    return None


def _next_midnight(now: datetime, tz: str) -> datetime:
    """The start of the next calendar day in the company's time zone."""
    zone = ZoneInfo(tz)
    tomorrow = now.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time.min, tzinfo=zone)
