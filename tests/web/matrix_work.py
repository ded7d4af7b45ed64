"""Page-matrix rows for the work area: the pool, disputes and the manager console.

Subjects (built by `subjects` for every row): Bob collided with Alice's "Nordlicht" (no
dispute yet) and disputes his collision on her "Sonnenberg"; Carol has drafted the handover
of Bob, who owns "Bobs Bau". Carol manages East (Alice, Bob); Wendy manages West (Dave) and
sees none of it. The people try a row one after another on one world, in PEOPLE order, so a
step the first one took (a claim, an opened dispute, an executed handover) is what the next
ones find: the rules then refuse them and the page says why (a redirect with a message).
"""

from typing import Any

from guishu.disputes.disputes import dispute_open
from guishu.disputes.models import Collision
from guishu.ownership.handover import handover_draft
from guishu.ownership.registration import customer_register
from tests.factories import customer_input, register
from tests.web.matrix import NOT_FOUND, OK, TO_LOGIN, Row, everyone, to

REPS = ("alice", "bob", "dave")


def managers(expected: Any, *, wendy: Any = None) -> dict[str, Any]:
    """`expected` for Carol, Diana and the admin (and Wendy unless told), 404 for reps."""
    rows = everyone(expected) | dict.fromkeys(REPS, NOT_FOUND)
    return rows | ({"wendy": wendy} if wendy is not None else {})


def seen(expected: Any) -> dict[str, Any]:
    """`expected` for the dispute's parties and those over them; 404 for West."""
    return everyone(expected) | {"dave": NOT_FOUND, "wendy": NOT_FOUND}


def _collision(cast: Any, name: str) -> Collision:
    email = f"einkauf@{name.lower().replace(' ', '-')}.de"
    register(cast.alice, name, emails=(email,))
    customer_register(
        user=cast.bob, data=customer_input(name, emails=(email,)), confirm_distinct=True
    )
    return Collision.objects.get(customer__name=name, attempted_by=cast.bob)


def subjects(cast: Any, wendy: Any) -> dict[str, dict[str, int]]:
    collision = _collision(cast, "Nordlicht Maschinenbau")
    disputed = _collision(cast, "Sonnenberg Armaturen")
    dispute = dispute_open(user=cast.bob, collision_id=disputed.pk, reason="I worked it")
    register(cast.bob, "Bobs Bau AG")
    from django.utils import timezone

    plan = handover_draft(
        user=cast.carol, rep=cast.bob, effective_on=timezone.localdate(), reason="leaving"
    )
    item = plan.items.get()
    return {
        "collision": {"collision_id": collision.pk},
        "dispute": {"dispute_id": dispute.pk},
        "plan": {"plan_id": plan.pk},
        "item": {"plan_id": plan.pk, "item_id": item.pk},
    }


DETAIL = to("dispute-detail")
PLAN = to("manager-handover")

ROWS = [
    # The pool: everyone may look; Alice claims first, then it is hers and gone from the pool.
    Row("pool-list", everyone(OK)),
    Row(
        "pool-claim",
        {**everyone(NOT_FOUND), "anonymous": TO_LOGIN, "alice": to("customer-detail")},
        method="post",
        subject="pooled",
    ),
    # Disputes: Alice (a party) opens one on Bob's collision; the rest find it disputed.
    Row("dispute-inbox", everyone(OK)),
    Row(
        "dispute-open",
        seen(to("dispute-inbox")) | {"alice": DETAIL},
        method="post",
        subject="collision",
        data={"reason": "Mine"},
    ),
    Row("dispute-detail", seen(OK), subject="dispute"),
    Row(
        "dispute-state",
        seen(DETAIL),
        method="post",
        subject="dispute",
        data={"text": "My side.", "option": "owner_keeps"},
    ),
    Row(
        "dispute-decide",
        seen(DETAIL),
        method="post",
        subject="dispute",
        data={"option": "owner_keeps", "rationale": "Registered first."},
    ),
    Row(
        "dispute-appeal-decide",
        seen(DETAIL),
        method="post",
        subject="dispute",
        data={"option": "owner_keeps", "rationale": "Upheld."},
    ),
    Row(
        "dispute-answer",
        seen(DETAIL),
        method="post",
        subject="dispute",
        data={"chosen": "1", "answer": "Either."},
    ),
    Row(
        "dispute-appeal",
        seen(DETAIL),
        method="post",
        subject="dispute",
        data={"reason": "Look again."},
    ),
    Row("dispute-withdraw", seen(DETAIL), method="post", subject="dispute"),
    # The manager console: managers (their teams), directors, admins; reps get 404.
    Row("manager-console", managers(OK)),
    Row("manager-review", managers(OK)),
    Row(
        "manager-reassign",
        managers(to("manager-console"), wendy=NOT_FOUND),
        method="post",
        subject="acme",
        data={"to": "0", "reason": "Covering"},
    ),
    Row("manager-handovers", managers(OK)),
    Row("manager-handovers", managers(OK), method="post", data={"rep": "0"}),
    Row("manager-handover", managers(OK, wendy=NOT_FOUND), subject="plan"),
    Row(
        "manager-handover-item",
        managers(PLAN, wendy=NOT_FOUND),
        method="post",
        subject="item",
        data={"choice": "pool"},
    ),
    Row(
        "manager-handover-check",
        managers(OK, wendy=NOT_FOUND),
        method="post",
        subject="plan",
    ),
    Row(
        "manager-handover-execute",
        managers(PLAN, wendy=NOT_FOUND),
        method="post",
        subject="plan",
    ),
    Row(
        "manager-handover-cancel",
        managers(PLAN, wendy=NOT_FOUND),
        method="post",
        subject="plan",
    ),
]
