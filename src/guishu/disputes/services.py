"""Recording collisions. Called inside an ownership service's transaction."""

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from guishu.accounts.models import User
from guishu.customers.models import Customer
from guishu.disputes.detection import worked_other_detect
from guishu.disputes.models import Collision
from guishu.domain import Rejection, TraceLine
from guishu.matching import Reason


def collision_record(
    *,
    customer: Customer,
    attempted_by: User,
    rejection: Rejection,
    action: str,
    at: datetime,
    reasons: Iterable[Reason] = (),
    submitted: Mapping[str, Any] | None = None,
) -> Collision:
    """Keeps a refused attempt on another rep's customer, with what was typed and why."""
    assert rejection.owner is not None and rejection.owner_since is not None
    return overlap_record(
        customer=customer,
        attempted_by=attempted_by,
        owner_id=rejection.owner.id,
        owner_since=rejection.owner_since,
        action=action,
        at=at,
        trace=rejection.trace,
        reasons=reasons,
        submitted=submitted,
    )


def overlap_record(
    *,
    customer: Customer,
    attempted_by: User,
    owner_id: int,
    owner_since: datetime,
    action: str,
    at: datetime,
    trace: Iterable[TraceLine] = (),
    reasons: Iterable[Reason] = (),
    submitted: Mapping[str, Any] | None = None,
) -> Collision:
    """Records any collision: a refusal, or an early warning that nothing was refused for."""
    collision = Collision.objects.create(
        customer=customer,
        attempted_by=attempted_by,
        owner_id=owner_id,
        owner_since=owner_since,
        action=action,
        at=at,
        reasons=[reason_json(reason) for reason in reasons],
        trace=[line.as_json() for line in trace],
        submitted=dict(submitted or {}),
    )
    # Working another rep's customer without collaborating is a violation for review (worked_other);
    # every collision passes here, so this is the one place it is detected. It never blocks.
    worked_other_detect(collision=collision)
    return collision


def reason_json(reason: Reason) -> dict[str, Any]:
    return {
        "code": reason.code,
        "message": reason.message,
        "params": dict(reason.params),
        "weight": reason.weight,
    }
