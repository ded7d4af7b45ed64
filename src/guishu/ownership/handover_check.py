"""Judging a handover plan without writing: the receiving reps' loads against their caps, and
every per-customer rule, reported together.

The engine decides each item as the execution would (Transfer or Release, then Lock when the
customer was locked), one after another with the receivers' counts growing as they would, and
writes nothing. `handover_execute` runs the same judgement under its locks before it changes
anything, then lets the ownership services decide again as they write: a disagreement there
rolls everything back, so the check can never let a wrong move through.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext_noop as N_

from guishu.accounts.models import User
from guishu.domain import (
    Actor,
    Lock,
    OwnershipState,
    Policy,
    Rejection,
    Release,
    TraceLine,
    Transfer,
    apply,
    decide,
)
from guishu.domain.trace import day
from guishu.ownership.engine_io import actor_for, held_by, load_state, locked_by
from guishu.ownership.models import HandoverItem, HandoverPlan, Ownership
from guishu.ownership.policies import policy_in_force


@dataclass(frozen=True)
class ReceiverLoad:
    """A receiving rep: what they hold and have locked now, what the plan would add, and
    their caps (their team's policy)."""

    rep: User
    held: int
    incoming: int
    cap: int
    locked: int
    incoming_locked: int
    lock_cap: int

    @property
    def fits(self) -> bool:
        return self.held + self.incoming <= self.cap and (
            self.locked + self.incoming_locked <= self.lock_cap
        )

    def trace(self) -> tuple[TraceLine, ...]:
        lines = []
        params = {"rep": self.rep.name, "cap": str(self.cap)}
        if self.held + self.incoming > self.cap:
            lines.append(
                TraceLine(
                    N_(
                        "{rep} holds {held} customers and would receive {incoming}: over the "
                        "cap of {cap}"
                    ),
                    params | {"held": str(self.held), "incoming": str(self.incoming)},
                )
            )
        if self.locked + self.incoming_locked > self.lock_cap:
            lines.append(
                TraceLine(
                    N_(
                        "{rep} has {locked} locked customers and would receive {incoming} "
                        "more: over the lock cap of {cap}"
                    ),
                    params
                    | {
                        "locked": str(self.locked),
                        "incoming": str(self.incoming_locked),
                        "cap": str(self.lock_cap),
                    },
                )
            )
        return tuple(lines)


@dataclass(frozen=True)
class ItemRefusal:
    """A customer the plan cannot move as it stands: the rule's code and its reasons."""

    customer_id: int
    customer_name: str
    code: str
    trace: tuple[TraceLine, ...]
    item_id: int | None = None  # None: a customer the plan does not list


@dataclass(frozen=True)
class HandoverCheck:
    """The judgement of a plan at `at`: receivers' loads, refusals, and the states read."""

    plan: HandoverPlan
    at: datetime
    receivers: tuple[ReceiverLoad, ...]
    refusals: tuple[ItemRefusal, ...]
    executable_from: datetime
    states: dict[int, OwnershipState] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        """Nothing stands in the way of the moves (the effective date is checked apart)."""
        return not self.refusals and all(load.fits for load in self.receivers)

    @property
    def effective(self) -> bool:
        return self.at >= self.executable_from


def handover_judge(
    *, plan: HandoverPlan, items: Sequence[HandoverItem], user: User, now: datetime
) -> HandoverCheck:
    """Decides every item of `plan` for `user` at `now`, in customer order, without writing.

    `items` come with their customers and receivers; the caller holds the locks when it
    is about to act on the answer."""
    # The policy the services decide under (the acting person's), and the actor they build.
    policy = policy_in_force(team_id=user.team_id, at=now)
    actor = actor_for(user, policy, now)
    receivers = sorted({item.to for item in items if item.to is not None}, key=lambda u: u.pk)
    # A person's own caps follow their team's policy.
    caps = {rep.pk: policy_in_force(team_id=rep.team_id, at=now) for rep in receivers}
    held_now = {rep.pk: held_by(rep.pk, caps[rep.pk]) for rep in receivers}
    locked_now = {rep.pk: locked_by(rep.pk) for rep in receivers}
    held, locked = dict(held_now), dict(locked_now)  # growing as the execution would
    refusals: list[ItemRefusal] = []
    states: dict[int, OwnershipState] = {}
    for item in sorted(items, key=lambda item: item.customer_id):
        state, term = load_state(item.customer)
        states[item.customer_id] = state
        problem = _judge_item(plan, item, state, term, actor, policy, now, held, locked)
        if problem is not None:
            refusals.append(problem)
    refusals += _not_in_plan(plan, items)
    incoming = Counter(item.to.pk for item in items if item.to is not None)
    incoming_locked = Counter(
        item.to.pk
        for item in items
        if item.to is not None and states[item.customer_id].locked_at is not None
    )
    loads = tuple(
        ReceiverLoad(
            rep=rep,
            held=held_now[rep.pk],
            incoming=incoming[rep.pk],
            cap=caps[rep.pk].max_held,
            locked=locked_now[rep.pk],
            incoming_locked=incoming_locked[rep.pk],
            lock_cap=caps[rep.pk].max_locked,
        )
        for rep in receivers
    )
    return HandoverCheck(
        plan=plan,
        at=now,
        receivers=loads,
        refusals=tuple(refusals),
        executable_from=executable_from(plan),
        states=states,
    )


def executable_from(plan: HandoverPlan) -> datetime:
    """The start of the effective day, in the company's time zone."""
    return datetime.combine(plan.effective_on, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _judge_item(
    plan: HandoverPlan,
    item: HandoverItem,
    state: OwnershipState,
    term: Ownership | None,
    actor: Actor,
    policy: Policy,
    now: datetime,
    held: dict[int, int],
    locked: dict[int, int],
) -> ItemRefusal | None:
    def refused(code: str, *trace: TraceLine) -> ItemRefusal:
        return ItemRefusal(item.customer_id, item.customer.name, code, trace, item.pk)

    names = {"customer": item.customer.name, "rep": plan.rep.name}
    if term is None or term.owner_id != plan.rep_id:
        line = N_("{customer} is no longer owned by {rep}: draft the handover again")
        return refused("owner_changed", TraceLine(line, names))
    if item.to is None:
        decision = decide(state, Release(actor=actor, reason=plan.reason), policy, now)
        if isinstance(decision, Rejection):
            return refused(decision.code.value, *decision.trace)
        return None
    command = Transfer(
        actor=actor, to=item.to.as_person(), to_held=held[item.to.pk], reason=plan.reason
    )
    decision = decide(state, command, policy, now)
    if isinstance(decision, Rejection):
        return refused(decision.code.value, *decision.trace)
    held[item.to.pk] += 1
    if state.locked_at is not None:
        # The lock goes with the customer, within the new owner's lock cap.
        after = apply(state, decision.events[0])
        carried = decide(after, Lock(actor=actor, owner_locked=locked[item.to.pk]), policy, now)
        if isinstance(carried, Rejection):
            return refused(carried.code.value, *carried.trace)
        locked[item.to.pk] += 1
    if item.choice == HandoverItem.Choice.KEEP_AS_COLLABORATOR:
        assert item.collaborate_until is not None  # the table's check constraint
        if item.collaborate_until <= now:
            line = N_("{rep} would collaborate on {customer} only until {until}, which has passed")
            until = day(item.collaborate_until, policy.timezone)
            return refused("collaboration_over", TraceLine(line, names | {"until": until}))
        if not plan.rep.as_person().can_own:
            line = N_(
                "{rep} cannot stay on {customer} as a collaborator (inactive or not in sales)"
            )
            return refused("cannot_collaborate", TraceLine(line, names))
    return None


def _not_in_plan(plan: HandoverPlan, items: Sequence[HandoverItem]) -> list[ItemRefusal]:
    """Customers the rep has come to own since the draft: the plan must cover them all."""
    listed = {item.customer_id for item in items}
    gained = (
        Ownership.objects.filter(owner_id=plan.rep_id, ended_at__isnull=True)
        .exclude(customer_id__in=listed)
        .select_related("customer")
        .order_by("customer_id")
    )
    line = N_("{customer} came to {rep} after the plan was drafted: draft the handover again")
    return [
        ItemRefusal(
            term.customer_id,
            term.customer.name,
            "not_in_plan",
            (TraceLine(line, {"customer": term.customer.name, "rep": plan.rep.name}),),
        )
        for term in gained
    ]
