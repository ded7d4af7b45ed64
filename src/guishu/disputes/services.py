"""Recording collisions. Called inside an ownership service's transaction."""

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from guishu.accounts.models import User
from guishu.customers.models import Customer
from guishu.disputes.models import Collision
from guishu.domain import Rejection


def collision_record(
    *,
    customer: Customer,
    attempted_by: User,
    rejection: Rejection,
    action: str,
    at: datetime,
    matched_keys: Iterable[str] = (),
    submitted: Mapping[str, Any] | None = None,
) -> Collision:
    """Keeps a refused attempt on another rep's customer, with what was typed and why."""
    assert rejection.owner is not None and rejection.owner_since is not None
    return Collision.objects.create(
        customer=customer,
        attempted_by=attempted_by,
        owner_id=rejection.owner.id,
        owner_since=rejection.owner_since,
        action=action,
        at=at,
        matched_keys=sorted(matched_keys),
        trace=[line.as_json() for line in rejection.trace],
        submitted=dict(submitted or {}),
    )
