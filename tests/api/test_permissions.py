"""Who may call which endpoint: every /api/v1/ route, for every kind of person, by method,
written once as a matrix. A route added without a row fails `test_every_route_has_a_row`;
`test_every_route_of_the_site_is_covered` holds the pages' matrix and this one together.

The people, as seen from Alice's customer "Acme": Alice owns it; Bob sells on her team
(East) and once tried to register it (a collision); Dave sells in West and owns "Delta";
Carol manages East; Wendy manages West; Diana directs; Admin administers. "Pooled" sits in
the pool. Another rep's customer answers 404, exactly like one that does not exist.
Rows that change something run against a fresh world for each person.
"""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from guishu.api.models import ApiToken
from guishu.disputes.collaboration import collaboration_add
from guishu.disputes.models import Collaboration
from guishu.notifications.models import Channel, Notification
from guishu.ownership.handover import handover_cancel, handover_draft
from guishu.ownership.models import HandoverItem, HandoverPlan
from guishu.territories.models import TerritoryRule
from guishu.territories.rules import territory_rule_create
from tests.api.conftest import PEOPLE, World
from tests.api.matrix import (
    ACME_SEERS,
    DELTA_SEERS,
    Row,
    expect,
    fixed,
    on,
    seers,
)

pytestmark = pytest.mark.db_facing


def new_customer(world: World, person: str) -> dict[str, Any]:
    return {"name": f"{person.capitalize()} {world.acme_name.split()[0]}x Robotics AG"}


def own_token(world: World, person: str) -> dict[str, Any]:
    """Alice's token, whoever asks."""
    alice = world.people["alice"]
    token = ApiToken.objects.filter(user=alice).first() or ApiToken.issue(user=alice, name="t")[0]
    return {"pk": token.pk}


def east_rule(world: World, person: str) -> dict[str, Any]:
    """Carol's territory rule for Alice (one per world), whoever asks."""
    name = f"East {world.acme_name}"
    rule = TerritoryRule.objects.filter(name=name).first() or territory_rule_create(
        user=world.people["carol"],  # type: ignore[arg-type]
        data={"name": name, "reps": [world.people["alice"].pk]},  # type: ignore[union-attr]
    )
    return {"rule_id": rule.pk}


def no_draft_for_alice(world: World) -> None:
    """Alice is the same person in every world and may have one draft handover at a time:
    earlier drafts are cancelled, so each call starts from her current customers."""
    for plan in HandoverPlan.objects.filter(rep=world.people["alice"], status="draft"):
        handover_cancel(user=world.people["diana"], plan_id=plan.pk)  # type: ignore[arg-type]


def alice_plan(world: World, person: str) -> dict[str, Any]:
    """A fresh draft handing all of Alice's customers to Bob, whoever asks."""
    no_draft_for_alice(world)
    plan = handover_draft(
        user=world.people["diana"],  # type: ignore[arg-type]
        rep=world.people["alice"],  # type: ignore[arg-type]
        effective_on=timezone.localdate(),
        to=world.people["bob"],
    )
    return {"plan_id": plan.pk}


def alice_plan_item(world: World, person: str) -> dict[str, Any]:
    ids = alice_plan(world, person)
    item = HandoverItem.objects.get(plan_id=ids["plan_id"], customer_id=world.acme)
    return ids | {"item_id": item.pk}


def new_handover(world: World, person: str) -> dict[str, Any]:
    no_draft_for_alice(world)
    return {
        "rep": world.people["alice"].pk,  # type: ignore[union-attr]
        "effective_on": timezone.localdate().isoformat(),
        "to": world.people["bob"].pk,  # type: ignore[union-attr]
    }


def bob_on_acme(world: World, person: str) -> dict[str, Any]:
    """Bob collaborates on Acme (one open collaboration per world), whoever asks."""
    bob = world.people["bob"]
    collaboration = Collaboration.objects.filter(
        customer_id=world.acme, user=bob, ended_at__isnull=True
    ).first() or collaboration_add(
        user=world.people["alice"],  # type: ignore[arg-type]
        customer_id=world.acme,
        collaborator=bob,  # type: ignore[arg-type]
    )
    return {"customer_id": world.acme, "collaboration_id": collaboration.pk}


def alice_notification(world: World, person: str) -> dict[str, Any]:
    """A notification in Alice's inbox about Acme (one per world), whoever asks."""
    source = f"matrix:{world.acme}"
    notification = Notification.objects.filter(source=source).first() or (
        Notification.objects.create(
            recipient=world.people["alice"],
            kind="collision",
            customer_id=world.acme,
            message="Collision on {customer}",
            params={"customer": world.acme_name},
            source=source,
            created_at=timezone.now(),
        )
    )
    return {"notification_id": notification.pk}


def east_channel(world: World, person: str) -> dict[str, Any]:
    """A DingTalk channel (one per world), whoever asks."""
    name = f"East {world.acme_name}"
    channel = Channel.objects.filter(name=name).first() or Channel.objects.create(
        name=name, platform="dingtalk", url="https://oapi.dingtalk.com/robot/send?access_token=x"
    )
    return {"channel_id": channel.pk}


def more_rows() -> list[Row]:
    """The rows kept in modules of their own: every tests/api/matrix_*.py's ROWS."""
    import importlib
    import pkgutil

    import tests.api

    rows: list[Row] = []
    for module in sorted(pkgutil.iter_modules(tests.api.__path__), key=lambda m: m.name):
        if module.name.startswith("matrix_"):
            rows.extend(importlib.import_module(f"tests.api.{module.name}").ROWS)
    return rows


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
    Row("api-policy-versions", "get", expect(200)),
    Row(
        "api-policy-versions",
        "post",
        # The company's policy is the admins'; managers change their own teams' (below).
        expect(403, admin=201),
        data=fixed(values={"daily_claim_limit": 8}, note="quieter month"),
    ),
    Row(
        "api-policy-versions",
        "post",
        expect(403, carol=201, admin=201),
        data=lambda world, person: {
            "team": world.people["alice"].team_id,  # type: ignore[union-attr]
            "values": {"daily_claim_limit": 4},
        },
        note="(East)",
    ),
    Row(
        "api-policy-simulate",
        "post",
        expect(403, carol=200, diana=200, admin=200),
        data=lambda world, person: {
            "team": world.people["alice"].team_id,  # type: ignore[union-attr]
            "values": {"follow_up_reclaim_days": 10},
        },
    ),
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
    Row("api-extend-protection", "post", seers(200, ACME_SEERS), kwargs=on("acme")),
    Row("api-pools", "get", expect(200)),
    Row("api-pools", "post", expect(403, admin=201), data=lambda w, p: {"name": f"Pool {p}"}),
    Row("api-pool", "get", expect(200), kwargs=lambda world, person: {"pool_id": world.pool}),
    Row(
        "api-pool",
        "patch",
        expect(403, admin=200),
        kwargs=lambda world, person: {"pool_id": world.pool},
        data=fixed(priority=5),
    ),
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
    Row("api-collaborators", "get", seers(200, ACME_SEERS), kwargs=on("acme")),
    Row(
        "api-collaborators",
        "get",
        seers(200, (*ACME_SEERS, "bob")),
        kwargs=lambda world, person: {"customer_id": bob_on_acme(world, person)["customer_id"]},
        note="(bob collaborates)",
    ),
    Row(
        "api-collaborators",
        "post",
        # The owner or a manager over her adds; whoever cannot see Acme gets 404.
        seers(201, ACME_SEERS),
        kwargs=on("acme"),
        data=lambda world, person: {"user": world.people["bob"].pk},  # type: ignore[union-attr]
    ),
    Row(
        "api-collaborator",
        "delete",
        # Bob, the collaborator, sees Acme but may not end his own collaboration.
        seers(204, ACME_SEERS, bob=403),
        kwargs=bob_on_acme,
    ),
    # Handovers: managers over the rep (Carol over Alice), directors and admins; reps none.
    Row("api-handovers", "get", expect(200)),
    Row(
        "api-handovers",
        "post",
        expect(403, carol=201, diana=201, admin=201),
        data=new_handover,
    ),
    Row("api-handover", "get", expect(404, carol=200, diana=200, admin=200), kwargs=alice_plan),
    Row(
        "api-handover-item",
        "patch",
        expect(404, carol=200, diana=200, admin=200),
        kwargs=alice_plan_item,
        data=fixed(choice="pool"),
    ),
    Row(
        "api-handover-check",
        "post",
        expect(404, carol=200, diana=200, admin=200),
        kwargs=alice_plan,
    ),
    Row(
        "api-handover-execute",
        "post",
        expect(404, carol=200, diana=200, admin=200),
        kwargs=alice_plan,
    ),
    Row(
        "api-handover-cancel",
        "post",
        expect(404, carol=200, diana=200, admin=200),
        kwargs=alice_plan,
    ),
    Row("api-territories", "get", expect(200)),
    Row(
        "api-territories",
        "post",
        # Administrators, and managers naming only their own people: Alice is Carol's.
        expect(403, carol=201, admin=201),
        data=lambda world, person: {
            "name": f"{person} {world.acme_name}",
            "reps": [world.people["alice"].pk],  # type: ignore[union-attr]
        },
    ),
    Row("api-territory", "get", expect(200), kwargs=east_rule),
    Row(
        "api-territory",
        "patch",
        # Another manager's rule does not exist for Wendy.
        expect(403, carol=200, wendy=404, admin=200),
        kwargs=east_rule,
        data=fixed(priority=7),
    ),
    Row("api-territory", "delete", expect(403, carol=204, wendy=404, admin=204), kwargs=east_rule),
    Row(
        "api-territory-assign",
        "post",
        expect(403, carol=200, wendy=200, diana=200, admin=200),
        data=lambda world, person: {"customers": [world.pooled]},
    ),
    Row("api-report-hoarding", "get", expect(200), query="days=90"),
    Row("api-notifications", "get", expect(200)),
    Row("api-notifications-read-all", "post", expect(200)),
    # Another person's notification answers 404, exactly like one that does not exist.
    Row("api-notification-read", "post", expect(404, alice=200), kwargs=alice_notification),
    Row("api-notification-channels", "get", expect(403, admin=200)),
    Row(
        "api-notification-channels",
        "post",
        expect(403, admin=201),
        data=fixed(
            name="East group",
            platform="dingtalk",
            url="https://oapi.dingtalk.com/robot/send?access_token=abc",
            secret="SECabc",
        ),
    ),
    Row("api-notification-channel", "get", expect(403, admin=200), kwargs=east_channel),
    Row(
        "api-notification-channel",
        "patch",
        expect(403, admin=200),
        kwargs=east_channel,
        data=fixed(name="East"),
    ),
    Row("api-notification-channel", "delete", expect(403, admin=204), kwargs=east_channel),
    Row("api-notification-deliveries", "get", expect(403, admin=200)),
    *more_rows(),
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
    response = getattr(client, row.method)(url, row.data(world, person), format=row.format)
    return int(response.status_code)


@pytest.mark.parametrize("row", MATRIX, ids=lambda row: row.id)
def test_permission_matrix(row: Row, world: World, new_world: Callable[[], World]):
    actual = {}
    for person in PEOPLE:
        actual[person] = call(new_world() if row.changes else world, row, person)
    assert actual == dict(row.expect)
