"""Running one engine command against one customer, inside the caller's transaction."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from guishu.accounts.models import User
from guishu.customers.models import Customer
from guishu.disputes.models import Collision
from guishu.disputes.services import collision_record
from guishu.domain import Accepted, Command, Decision, OwnershipState, Policy, Rejection, decide
from guishu.ownership.engine_io import load_state, persist
from guishu.ownership.locking import lock_customer, lock_users
from guishu.ownership.models import OwnershipEvent
from guishu.ownership.policies import policy_in_force


@dataclass(frozen=True)
class OwnershipResult:
    """What an ownership service did: the engine's decision and the rows it wrote."""

    customer: Customer
    decision: Decision
    events: list[OwnershipEvent] = field(default_factory=list)
    collision: Collision | None = None

    @property
    def accepted(self) -> bool:
        return isinstance(self.decision, Accepted)

    @property
    def rejection(self) -> Rejection | None:
        return self.decision if isinstance(self.decision, Rejection) else None


CommandBuilder = Callable[[OwnershipState, Policy], Command]


def execute(
    *,
    customer_id: int,
    lock: Iterable[User],
    build: CommandBuilder,
    now: datetime,
    attempted_by: User | None = None,
    collision_action: str | None = None,
    submitted: Mapping[str, Any] | None = None,
    evidence: Mapping[str, str] | None = None,
) -> OwnershipResult:
    """Locks (people, then the customer), decides, and writes the accepted events.

    The caller owns the transaction. `build` runs after the locks, so the counts it reads for
    the caps cannot change under it. A collision is recorded when the engine says the customer
    belongs to someone else and `collision_action` names what was attempted; `submitted` keeps
    what the user entered on it, so a refused entry is not lost. `evidence` is added to every
    accepted event's evidence (a handover names its plan there).
    """
    people = list(lock)
    lock_users(user.pk for user in people)
    customer = lock_customer(customer_id)
    state, term = load_state(customer)
    # The acting person's team policy (their caps); a sweep acts for nobody: the owner's.
    acting = people[0] if people else (term.owner if term else None)
    policy = policy_in_force(team_id=acting.team_id if acting else None, at=now)
    decision = decide(state, build(state, policy), policy, now)
    if isinstance(decision, Rejection):
        collision = None
        if decision.is_collision and collision_action and attempted_by is not None:
            collision = collision_record(
                customer=customer,
                attempted_by=attempted_by,
                rejection=decision,
                action=collision_action,
                at=now,
                submitted=submitted,
            )
        return OwnershipResult(customer=customer, decision=decision, collision=collision)
    events = decision.events
    if evidence:
        events = tuple(replace(event, evidence={**event.evidence, **evidence}) for event in events)
    return OwnershipResult(
        customer=customer, decision=decision, events=persist(customer, term, events)
    )
