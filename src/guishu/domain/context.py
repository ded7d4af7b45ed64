"""What every rule handler shares: the decision context and the common refusals."""

from dataclasses import dataclass
from datetime import datetime

from guishu.domain.events import EventKind, OwnershipEvent
from guishu.domain.outcomes import Accepted, Rejection, RejectionCode
from guishu.domain.people import Person
from guishu.domain.policy import Policy
from guishu.domain.state import Basis, OwnershipState
from guishu.domain.trace import TraceLine, day
from guishu.domain.trace import gettext_noop as N_

BASIS_LINES = {
    Basis.REGISTERED: N_("{owner} registered it on {since}"),
    Basis.CLAIMED: N_("{owner} claimed it from the pool on {since}"),
    Basis.ASSIGNED: N_("a manager assigned it to {owner} on {since}"),
    Basis.TRANSFERRED: N_("it was transferred to {owner} on {since}"),
    Basis.DECIDED: N_("a dispute decided it for {owner} on {since}"),
}


@dataclass(frozen=True)
class Context:
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

    def unowned(self, message: str) -> Rejection:
        """The refusal for a customer without an owner: not registered yet, or in the pool
        (`message` says why that stops this command)."""
        return self.not_in_pool() or self.reject(
            RejectionCode.IN_POOL, message, customer=self.state.customer_name
        )

    def not_in_pool(self) -> Rejection | None:
        if not self.state.known:
            return self.reject(
                RejectionCode.NOT_IN_POOL,
                N_("refused: {customer} is not registered yet"),
                customer=self.state.customer_name,
            )
        return None


def holding_cap_refusal(ctx: Context, held: int, who: Person) -> Rejection | None:
    if held >= ctx.policy.max_held:
        return ctx.reject(
            RejectionCode.HOLDING_CAP,
            N_("refused: {rep} already holds {held} customers (the cap is {cap})"),
            rep=who.name,
            held=str(held),
            cap=str(ctx.policy.max_held),
        )
    return None


def cannot_own_refusal(ctx: Context, who: Person) -> Rejection | None:
    if not who.can_own:
        return ctx.reject(
            RejectionCode.CANNOT_OWN,
            N_("refused: {person} cannot own customers (inactive or not in sales)"),
            person=who.name,
        )
    return None
