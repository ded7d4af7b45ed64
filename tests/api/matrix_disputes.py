"""Permission-matrix rows for disputes: Bob (challenger) disputes his collision on Alice's
Acme (Alice is the owner). Carol manages both; Dave and Wendy are in West and see nothing
of it (404); Diana directs and decides appeals; the admin oversees everyone like a director.
"""

from typing import Any

from guishu.disputes.disputes import dispute_appeal, dispute_decide, dispute_open
from guishu.disputes.models import Dispute
from guishu.domain.disputes import Option, Proposal
from tests.api.conftest import World
from tests.api.matrix import Row, expect, fixed

PARTIES_AND_ABOVE = ("alice", "bob", "carol", "diana", "admin")


def seen(code: int, **people: int) -> dict[str, int]:
    """`code` for those who see the dispute, 404 for West; `people` overrides."""
    return expect(404, **dict.fromkeys(PARTIES_AND_ABOVE, code)) | people


def bobs_dispute(world: World, person: str) -> dict[str, Any]:
    """Bob's dispute of his collision on Acme (one per world), whoever asks."""
    dispute = Dispute.objects.filter(collision_id=world.collision).first() or dispute_open(
        user=world.people["bob"],  # type: ignore[arg-type]
        collision_id=world.collision,
        reason="I worked it first",
    )
    return {"dispute_id": dispute.pk}


def decided(world: World, person: str) -> dict[str, Any]:
    """Bob's dispute, decided by Carol: Alice keeps Acme."""
    ids = bobs_dispute(world, person)
    dispute = Dispute.objects.get(pk=ids["dispute_id"])
    if dispute.status == Dispute.Status.OPEN:
        dispute_decide(
            user=world.people["carol"],  # type: ignore[arg-type]
            dispute_id=dispute.pk,
            proposal=Proposal(Option.OWNER_KEEPS),
            rationale="Registered first.",
        )
    return ids


def appealed(world: World, person: str) -> dict[str, Any]:
    """Carol's decision, appealed by Bob."""
    ids = decided(world, person)
    if Dispute.objects.get(pk=ids["dispute_id"]).status == Dispute.Status.DECIDED:
        dispute_appeal(
            user=world.people["bob"],  # type: ignore[arg-type]
            dispute_id=ids["dispute_id"],
            reason="My work made the visit happen.",
        )
    return ids


def bobs_answer(world: World, person: str) -> dict[str, Any]:
    return {"chosen": world.people["bob"].pk, "answer": "Bob, please."}  # type: ignore[union-attr]


DECISION = fixed(option="owner_keeps", rationale="Registered first.")

ROWS = [
    Row("api-disputes", "get", expect(200)),
    Row(
        "api-disputes",
        "post",
        expect(201, dave=400, wendy=400),
        data=lambda world, person: {"collision": world.collision, "reason": "mine"},
    ),
    Row("api-dispute", "get", seen(200), kwargs=bobs_dispute),
    Row(
        "api-dispute-statement",
        "post",
        seen(409, alice=200, bob=200),
        kwargs=bobs_dispute,
        data=fixed(text="My side."),
    ),
    Row(
        "api-dispute-decide",
        "post",
        seen(200, alice=409, bob=409),
        kwargs=bobs_dispute,
        data=DECISION,
    ),
    Row(
        "api-dispute-answer",
        "post",
        seen(200, alice=409, bob=409),
        kwargs=bobs_dispute,
        data=bobs_answer,
    ),
    Row(
        "api-dispute-appeal",
        "post",
        seen(409, alice=200, bob=200),
        kwargs=decided,
        data=fixed(reason="Please look again."),
    ),
    Row(
        "api-dispute-appeal-decide",
        "post",
        seen(409, diana=200, admin=200),
        kwargs=appealed,
        data=DECISION,
    ),
    Row("api-dispute-withdraw", "post", seen(409, bob=200), kwargs=bobs_dispute),
]
