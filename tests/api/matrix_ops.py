"""Permission-matrix rows for operations and privacy requests: administrators only (everyone
else 403, like the other administrators' endpoints). The probes (/healthz, /readyz) are no
routes: a middleware answers them (tests/ops/test_health.py)."""

from typing import Any

from guishu.privacy.services import privacy_request_open
from tests.api.conftest import World
from tests.api.matrix import Row, expect


def a_request(kind: str) -> Any:
    """A privacy request about Acme's contact, opened by the admin, one per call."""

    def make(world: World, person: str) -> dict[str, Any]:
        admin = world.people["admin"]
        assert admin is not None
        opened = privacy_request_open(user=admin, contact_id=world.contact, kind=kind)  # type: ignore[arg-type]
        return {"request_id": opened.pk}

    return make


ADMIN_ONLY = expect(403, admin=200)

ROWS = [
    Row("api-ops-health", "get", ADMIN_ONLY),
    Row("api-privacy-requests", "get", ADMIN_ONLY),
    Row(
        "api-privacy-requests",
        "post",
        expect(403, admin=201),
        data=lambda world, person: {"contact": world.contact, "kind": "export"},
    ),
    Row("api-privacy-request", "get", ADMIN_ONLY, kwargs=a_request("export")),
    Row(
        "api-privacy-export",
        "post",
        ADMIN_ONLY,
        kwargs=a_request("export"),
        data=lambda world, person: {"format": "csv"},
    ),
    Row(
        "api-privacy-erase",
        "post",
        ADMIN_ONLY,
        kwargs=a_request("erase"),
        data=lambda world, person: {"confirm": True},
    ),
]
