"""Permission-matrix rows for credit shares: setting a collaborator's share (PATCH on the
collaboration). Gathered by tests/api/test_permissions.py."""

from typing import Any

from guishu.disputes.collaboration import collaboration_add
from guishu.disputes.models import Collaboration
from tests.api.conftest import World
from tests.api.matrix import ACME_SEERS, Row, fixed, seers


def bob_collaborates(world: World, person: str) -> dict[str, Any]:
    """Bob collaborates on Acme at the template share (one open collaboration per world)."""
    bob = world.people["bob"]
    collaboration = Collaboration.objects.filter(
        customer_id=world.acme, user=bob, ended_at__isnull=True
    ).first() or collaboration_add(
        user=world.people["alice"],  # type: ignore[arg-type]
        customer_id=world.acme,
        collaborator=bob,  # type: ignore[arg-type]
    )
    return {"customer_id": world.acme, "collaboration_id": collaboration.pk}


ROWS = [
    Row(
        "api-collaborator",
        "patch",
        # The owner or those over her set the share; Bob sees Acme but may not set his own.
        seers(200, ACME_SEERS, bob=403),
        kwargs=bob_collaborates,
        data=fixed(share="40.00"),
    ),
    Row(
        "api-collaborators",
        "post",
        seers(201, ACME_SEERS),
        kwargs=lambda world, person: {"customer_id": world.acme},
        data=lambda world, person: {"user": world.people["bob"].pk, "share": "25.50"},  # type: ignore[union-attr]
        note="(with a share)",
    ),
]
