"""Mass assignment: no create or update endpoint accepts a field it does not declare.

Ownership (owner, protection, basis) and bookkeeping (who recorded it, digests, flags) can be
written only by the services. Each request below is otherwise valid; the extra field makes it
a 400 that names the field, and nothing in the database changes.
"""

from collections.abc import Callable
from typing import Any

import pytest

from guishu.accounts.models import Team, User
from guishu.activities.models import Activity, Collection, Order
from guishu.api.models import ApiToken
from guishu.customers.models import Contact, Customer, Identifier
from guishu.ownership.models import Ownership, OwnershipEvent
from tests.api.conftest import World

pytestmark = pytest.mark.db_facing

TABLES = (
    Customer,
    Identifier,
    Contact,
    Ownership,
    OwnershipEvent,
    Activity,
    Order,
    Collection,
    ApiToken,
    User,
    Team,
)


def snapshot() -> dict[str, Any]:
    """Row counts everywhere, and every ownership term and user flag in full."""
    state: dict[str, Any] = {model.__name__: model.objects.count() for model in TABLES}
    state["terms"] = list(Ownership.objects.order_by("pk").values())
    state["users"] = list(
        User.objects.order_by("pk").values("pk", "role", "is_staff", "is_superuser", "team_id")
    )
    state["customers"] = list(Customer.objects.order_by("pk").values("pk", "name", "notes"))
    return state


Ids = Callable[[World], dict[str, Any]]

# (person, method, url, valid body, forbidden fields)
CASES: list[tuple[str, str, Callable[[World], str], Ids, tuple[str, ...]]] = [
    (
        "alice",
        "patch",
        lambda w: f"/api/v1/customers/{w.acme}/",
        lambda w: {"notes": "changed"},
        ("owner", "owner_id", "protected_until", "in_pool", "created_by", "match_profile", "id"),
    ),
    (
        "bob",
        "post",
        lambda w: "/api/v1/registrations/",
        lambda w: {"name": "Zyxwvut Gears Ltd"},
        ("owner", "owner_id", "protected_until", "basis", "created_by", "match_profile"),
    ),
    (
        "alice",
        "post",
        lambda w: f"/api/v1/customers/{w.acme}/contacts/",
        lambda w: {"name": "Wang Fang"},
        ("customer", "customer_id", "id"),
    ),
    (
        "alice",
        "patch",
        lambda w: f"/api/v1/customers/{w.acme}/contacts/{w.contact}/",
        lambda w: {"title": "Buyer"},
        ("customer", "customer_id"),
    ),
    (
        "alice",
        "post",
        lambda w: f"/api/v1/customers/{w.acme}/activities/",
        lambda w: {"kind": "call", "occurred_at": "2026-01-05T10:00:00+08:00"},
        ("by", "customer", "created_at"),
    ),
    (
        "alice",
        "post",
        lambda w: f"/api/v1/customers/{w.acme}/orders/",
        lambda w: {"number": "SO-9", "amount": "10.00", "ordered_at": "2026-01-05T10:00:00Z"},
        ("credited_to", "recorded_by", "customer", "status"),
    ),
    (
        "alice",
        "post",
        lambda w: f"/api/v1/orders/{w.order}/collections/",
        lambda w: {"amount": "5.00", "received_at": "2026-01-06T10:00:00Z"},
        ("order", "recorded_by", "currency"),
    ),
    (
        "alice",
        "post",
        lambda w: "/api/v1/tokens/",
        lambda w: {"name": "ci"},
        ("digest", "user", "prefix", "revoked_at", "last_used_at", "key"),
    ),
    (
        "carol",
        "post",
        lambda w: f"/api/v1/customers/{w.pooled}/claim/",
        lambda w: {},
        ("owner", "to", "protected_until"),
    ),
    (
        "alice",
        "post",
        lambda w: f"/api/v1/customers/{w.acme}/release/",
        lambda w: {"reason": "too far"},
        ("owner", "to"),
    ),
    (
        "alice",
        "post",
        lambda w: f"/api/v1/customers/{w.acme}/transfer/",
        lambda w: {"to": w.people["bob"].pk},  # type: ignore[union-attr]
        ("owner", "protected_until", "basis"),
    ),
    (
        "carol",
        "post",
        lambda w: f"/api/v1/customers/{w.pooled}/assign/",
        lambda w: {"to": w.people["alice"].pk},  # type: ignore[union-attr]
        ("owner", "protected_until"),
    ),
    (
        "alice",
        "post",
        lambda w: f"/api/v1/customers/{w.acme}/lock/",
        lambda w: {},
        ("owner", "locked_at"),
    ),
    (
        "admin",
        "post",
        lambda w: "/api/v1/users/",
        lambda w: {"username": "erin", "password": "a-long-enough-pass-29", "role": "rep"},
        ("is_superuser", "is_staff", "user_permissions", "groups", "last_login", "id"),
    ),
    (
        "admin",
        "patch",
        lambda w: f"/api/v1/users/{w.people['bob'].pk}/",  # type: ignore[union-attr]
        lambda w: {"display_name": "Bob B."},
        ("is_superuser", "is_staff", "date_joined", "id"),
    ),
    (
        "admin",
        "post",
        lambda w: "/api/v1/teams/",
        lambda w: {"name": "North"},
        ("id", "members"),
    ),
]


@pytest.mark.parametrize(
    ("person", "method", "url", "body", "forbidden"),
    CASES,
    ids=[f"{case[1]}-{case[4][0]}-{n}" for n, case in enumerate(CASES)],
)
def test_undeclared_fields_are_refused_and_change_nothing(
    world: World,
    person: str,
    method: str,
    url: Callable[[World], str],
    body: Ids,
    forbidden: tuple[str, ...],
):
    client = world.client(person)
    for name in forbidden:
        before = snapshot()
        payload = {**body(world), name: 1}
        response = getattr(client, method)(url(world), payload, format="json")
        assert response.status_code == 400, (name, response.status_code, response.content)
        assert name in response.json()["errors"], (name, response.json())
        assert snapshot() == before, name
    # The same request without the extra field is accepted: the refusal was the field's doing.
    response = getattr(client, method)(url(world), body(world), format="json")
    assert response.status_code in (200, 201), response.content


def test_text_fields_take_text_only(world: World):
    for body in ({"reason": 42}, {"reason": ["a"]}):
        response = world.client("alice").post(
            f"/api/v1/customers/{world.acme}/release/", body, format="json"
        )
        assert response.status_code == 400 and "reason" in response.json()["errors"]
    response = world.client("bob").post(
        "/api/v1/registrations/", {"name": "Textual Ltd", "phones": [12345678]}, format="json"
    )
    assert response.status_code == 400 and "phones" in response.json()["errors"]
