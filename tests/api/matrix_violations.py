"""Permission-matrix rows for violations and the conflict review: Bob called about Alice's
Acme without collaborating on it (a worked_other violation). He sees it; Carol (his manager),
Diana and the admin see and review it; Alice, Dave and Wendy do not see it (404). The
conflict review is for managers, directors and admins; reps get 403.
"""

from typing import Any

from django.utils import timezone

from guishu.activities.services import activity_log
from guishu.disputes.models import Violation
from tests.api.conftest import World
from tests.api.matrix import Row, expect, fixed

SEE_BOBS = ("bob", "carol", "diana", "admin")


def bobs_violation(world: World, person: str) -> dict[str, Any]:
    """Bob's worked_other violation on Acme (one per world), whoever asks."""
    bob = world.people["bob"]
    violation = Violation.objects.filter(offender=bob, customer_id=world.acme).first()
    if violation is None:
        activity_log(
            user=bob,  # type: ignore[arg-type]
            customer_id=world.acme,
            kind="call",
            occurred_at=timezone.now(),
        )
        violation = Violation.objects.get(offender=bob, customer_id=world.acme)
    return {"violation_id": violation.pk}


ROWS = [
    Row("api-violations", "get", expect(200)),
    Row(
        "api-violations",
        "get",
        expect(200),
        query="status=open&kind=worked_other",
        note="(filtered)",
    ),
    Row(
        "api-violation",
        "get",
        expect(404, **dict.fromkeys(SEE_BOBS, 200)),
        kwargs=bobs_violation,
    ),
    Row(
        "api-violation-review",
        "post",
        # Bob sees his own but may not review it.
        expect(404, bob=403, carol=200, diana=200, admin=200),
        kwargs=bobs_violation,
        data=fixed(decision="confirm"),
    ),
    Row(
        "api-violation-review",
        "post",
        expect(404, bob=403, carol=200, diana=200, admin=200),
        kwargs=bobs_violation,
        data=fixed(decision="dismiss", note="Alice asked him to call"),
        note="(dismiss)",
    ),
    Row(
        "api-conflict-review",
        "get",
        expect(403, carol=200, wendy=200, diana=200, admin=200),
        query="start=2026-01-01&end=2026-01-31",
    ),
]
