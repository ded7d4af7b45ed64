"""Who may call which endpoint: every /api/v1/ route, for every kind of person, by method,
written once as a matrix. A route added without a row fails `test_every_route_has_a_row`;
`test_every_route_of_the_site_is_covered` holds the pages' matrix and this one together.

The people, as seen from Alice's customer "Acme": Alice owns it; Bob sells on her team
(East) and once tried to register it (a collision); Dave sells in West and owns "Delta";
Carol manages East; Wendy manages West; Diana directs; Admin administers. "Pooled" sits in
the pool. Another rep's customer answers 404, exactly like one that does not exist.
Rows that change something run against a fresh world for each person.
"""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from guishu.api.models import ApiToken
from tests.api.conftest import PEOPLE, World

pytestmark = pytest.mark.db_facing

ANON = 401


def expect(
    default: int,
    *,
    anonymous: int = ANON,
    **people: int,
) -> dict[str, int]:
    outcome = {person: default for person in PEOPLE}
    outcome["anonymous"] = anonymous
    outcome.update(people)
    return outcome


# Who sees each customer in full (everyone else gets 404).
ACME_SEERS = ("alice", "carol", "diana", "admin")
DELTA_SEERS = ("dave", "wendy", "diana", "admin")


def seers(seen: int, who: tuple[str, ...], hidden: int = 404, **people: int) -> dict[str, int]:
    """`seen` for those who see the customer, 404 for everyone else; `people` overrides."""
    return expect(hidden, **dict.fromkeys(who, seen)) | people


@dataclass(frozen=True)
class Row:
    route: str
    method: str
    expect: Mapping[str, int]
    kwargs: Callable[[World, str], dict[str, Any]] = lambda world, person: {}
    data: Callable[[World, str], dict[str, Any]] = lambda world, person: {}
    query: str = ""
    note: str = ""

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.route}{' ' + self.note if self.note else ''}"

    @property
    def changes(self) -> bool:
        return self.method not in ("get", "head", "options")


def on(subject: str) -> Callable[[World, str], dict[str, Any]]:
    return lambda world, person: {"customer_id": getattr(world, subject)}


def fixed(**data: Any) -> Callable[[World, str], dict[str, Any]]:
    return lambda world, person: data


def new_customer(world: World, person: str) -> dict[str, Any]:
    return {"name": f"{person.capitalize()} {world.acme_name.split()[0]}x Robotics AG"}


def own_token(world: World, person: str) -> dict[str, Any]:
    """Alice's token, whoever asks."""
    alice = world.people["alice"]
    token = ApiToken.objects.filter(user=alice).first() or ApiToken.issue(user=alice, name="t")[0]
    return {"pk": token.pk}


MATRIX = [
    Row("api-schema", "get", expect(200)),
    Row("api-docs", "get", expect(200)),
    Row("api-me", "get", expect(200)),
    Row("api-tokens", "get", expect(200)),
    Row("api-tokens", "post", expect(201), data=fixed(name="laptop")),
    Row("api-token", "get", expect(404, alice=200), kwargs=own_token),
    Row("api-token", "delete", expect(404, alice=204), kwargs=own_token),
    Row("api-users", "get", expect(200)),
    Row(
        "api-users",
        "post",
        expect(403, admin=201),
        data=lambda world, person: {
            "username": f"new-{person}",
            "password": "a-long-enough-pass-29",
            "role": "rep",
        },
    ),
    Row(
        "api-user",
        "get",
        expect(403, admin=200),
        kwargs=lambda world, person: {"user_id": world.people["alice"].pk},  # type: ignore[union-attr]
    ),
    Row(
        "api-user",
        "patch",
        expect(403, admin=200),
        kwargs=lambda world, person: {"user_id": world.people["alice"].pk},  # type: ignore[union-attr]
        data=fixed(display_name="Alice W."),
    ),
    Row("api-teams", "get", expect(200)),
    Row("api-teams", "post", expect(403, admin=201), data=lambda w, p: {"name": f"North {p}"}),
    Row(
        "api-team",
        "get",
        expect(200),
        kwargs=lambda world, person: {"team_id": world.people["alice"].team_id},  # type: ignore[union-attr]
    ),
    Row(
        "api-team",
        "patch",
        expect(403, admin=200),
        kwargs=lambda world, person: {"team_id": world.people["alice"].team_id},  # type: ignore[union-attr]
        data=fixed(name="East Coast"),
    ),
    Row("api-policy", "get", expect(200)),
    Row("api-lookup", "get", expect(200), query="q=Tools"),
    # Reps and managers may own customers; directors and admins are refused by the rules.
    Row("api-register", "post", expect(201, diana=409, admin=409), data=new_customer),
    Row("api-precheck", "post", expect(200), data=fixed(name="Acme")),
    Row("api-customers", "get", expect(200)),
    Row("api-customer", "get", seers(200, ACME_SEERS), kwargs=on("acme"), note="(acme)"),
    Row("api-customer", "get", seers(200, DELTA_SEERS), kwargs=on("delta"), note="(delta)"),
    Row("api-customer", "get", expect(200), kwargs=on("pooled"), note="(pooled)"),
    Row(
        "api-customer",
        "patch",
        seers(200, ACME_SEERS),
        kwargs=on("acme"),
        data=fixed(notes="Prefers WeChat"),
        note="(acme)",
    ),
    Row(
        "api-customer",
        "patch",
        expect(403),
        kwargs=on("pooled"),
        data=fixed(notes="x"),
        note="(pooled)",
    ),
    Row("api-customer-ownership", "get", seers(200, ACME_SEERS), kwargs=on("acme")),
    Row(
        "api-claim",
        "post",
        # Bob released it (cool-down); directors and admins cannot own.
        expect(200, bob=409, diana=409, admin=409),
        kwargs=on("pooled"),
        note="(pooled)",
    ),
    Row(
        "api-claim",
        "post",
        seers(409, ACME_SEERS),
        kwargs=on("acme"),
        note="(acme)",
    ),
    Row("api-release", "post", seers(200, ACME_SEERS), kwargs=on("acme")),
    Row(
        "api-transfer",
        "post",
        seers(200, ACME_SEERS),
        kwargs=on("acme"),
        data=lambda world, person: {"to": world.people["bob"].pk},  # type: ignore[union-attr]
    ),
    Row(
        "api-assign",
        "post",
        # Only a manager over Alice may assign to her: Carol, Diana, Admin.
        expect(409, carol=200, diana=200, admin=200),
        kwargs=on("pooled"),
        data=lambda world, person: {"to": world.people["alice"].pk},  # type: ignore[union-attr]
    ),
    Row("api-lock", "post", seers(200, ACME_SEERS), kwargs=on("acme")),
    Row("api-unlock", "post", seers(409, ACME_SEERS), kwargs=on("acme"), note="(not locked)"),
    # Nothing is masked unless the policy hides pooled contacts (see test_api_reveal.py).
    Row("api-reveal", "post", expect(403), kwargs=on("pooled"), data=fixed(identifier=1)),
    Row("api-contacts", "get", seers(200, ACME_SEERS), kwargs=on("acme")),
    Row(
        "api-contacts",
        "post",
        seers(201, ACME_SEERS),
        kwargs=on("acme"),
        data=fixed(name="Wang Fang", title="Buyer"),
    ),
    Row(
        "api-contact",
        "get",
        seers(200, ACME_SEERS),
        kwargs=lambda world, person: {"customer_id": world.acme, "contact_id": world.contact},
    ),
    Row(
        "api-contact",
        "patch",
        seers(200, ACME_SEERS),
        kwargs=lambda world, person: {"customer_id": world.acme, "contact_id": world.contact},
        data=fixed(title="Purchasing director"),
    ),
    Row(
        "api-contact",
        "delete",
        seers(204, ACME_SEERS),
        kwargs=lambda world, person: {"customer_id": world.acme, "contact_id": world.contact},
    ),
    Row("api-activities", "get", seers(200, ACME_SEERS), kwargs=on("acme")),
    Row(
        "api-activities",
        "post",
        # The owner and those over her may log (only the owner's restarts the clock).
        seers(201, ACME_SEERS),
        kwargs=on("acme"),
        data=fixed(kind="call", occurred_at="2026-01-05T10:00:00+08:00"),
    ),
    Row("api-orders", "get", seers(200, ACME_SEERS), kwargs=on("acme")),
    Row(
        "api-orders",
        "post",
        seers(201, ACME_SEERS),
        kwargs=on("acme"),
        data=lambda world, person: {
            "number": f"SO-2-{person}",
            "amount": "250.00",
            "ordered_at": "2026-01-05T10:00:00+08:00",
        },
    ),
    Row(
        "api-collections",
        "get",
        seers(200, ACME_SEERS),
        kwargs=lambda world, person: {"order_id": world.order},
    ),
    Row(
        "api-collections",
        "post",
        seers(201, ACME_SEERS),
        kwargs=lambda world, person: {"order_id": world.order},
        data=fixed(amount="100.00", received_at="2026-01-06T10:00:00+08:00"),
    ),
    Row("api-collisions", "get", expect(200)),
    Row(
        "api-collision",
        "get",
        # The one who caused it, the owner, Carol over both, and everyone above.
        expect(404, alice=200, bob=200, carol=200, diana=200, admin=200),
        kwargs=lambda world, person: {"collision_id": world.collision},
    ),
]


def route_names(
    patterns: list[URLPattern | URLResolver], prefix: str = ""
) -> Iterator[tuple[str, str | None]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from route_names(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.name


def test_every_route_has_a_row():
    names = [name for _, name in route_names(get_resolver("guishu.api.urls").url_patterns)]
    assert None not in names, "every API route needs a name, and a row in MATRIX"
    assert set(names) == {row.route for row in MATRIX}


def test_every_route_of_the_site_is_covered():
    """Every route the site resolves belongs to the pages' matrix or the API's."""
    from tests.web.test_permissions import MATRIX as PAGES

    covered = {row.route for row in MATRIX} | {row.route for row in PAGES}
    for path, name in route_names(get_resolver().url_patterns):
        assert name in covered, f"{path} ({name}) has no row in a permission matrix"


def test_every_row_names_every_person():
    for row in MATRIX:
        assert set(row.expect) == set(PEOPLE), row.id


def call(world: World, row: Row, person: str) -> int:
    url = reverse(row.route, kwargs=row.kwargs(world, person))
    if row.query:
        url += "?" + row.query
    client = world.client(person)
    response = getattr(client, row.method)(url, row.data(world, person), format="json")
    return int(response.status_code)


@pytest.mark.parametrize("row", MATRIX, ids=lambda row: row.id)
def test_permission_matrix(row: Row, world: World, new_world: Callable[[], World]):
    actual = {}
    for person in PEOPLE:
        actual[person] = call(new_world() if row.changes else world, row, person)
    assert actual == dict(row.expect)
