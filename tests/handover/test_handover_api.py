"""The handover and collaborator endpoints: shapes, refusals as problems, Idempotency-Key.
Who may call what is in tests/api/test_permissions.py."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from guishu.customers.models import Customer
from guishu.ownership.models import HandoverPlan, OwnershipEvent
from guishu.policies.services import policy_version_save
from tests.api.conftest import World, build_world
from tests.factories import register
from tests.handover.conftest import owner_of

pytestmark = pytest.mark.db_facing


@pytest.fixture
def world(cast: Any, wendy: Any) -> World:
    return build_world(cast, wendy)


def draft_for_alice(world: World, **body: Any) -> dict[str, Any]:
    carol = world.client("carol")
    body = {"rep": world.people["alice"].pk, "effective_on": str(timezone.localdate()), **body}  # type: ignore[union-attr]
    response = carol.post("/api/v1/handovers/", body, format="json")
    assert response.status_code == 201, response.json()
    return dict(response.json())


def test_a_plan_is_drafted_edited_checked_and_executed(world: World):
    bob, carol = world.people["bob"], world.client("carol")
    plan = draft_for_alice(world, to=bob.pk, reason="moves to the Ningbo office")  # type: ignore[union-attr]
    assert plan["status"] == "draft" and plan["rep"]["name"] == "Alice"
    (item,) = plan["items"]
    assert item["customer"] == {"id": world.acme, "name": world.acme_name}
    assert item["choice"] == "reassign" and item["to"]["name"] == "Bob"

    until = (timezone.now() + timedelta(days=14)).isoformat()
    url = f"/api/v1/handovers/{plan['id']}/"
    edited = carol.patch(
        f"{url}items/{item['id']}/",
        {"choice": "keep_as_collaborator", "collaborate_until": until},
        format="json",
    )
    assert edited.status_code == 200, edited.json()
    assert edited.json()["to"]["name"] == "Bob" and edited.json()["collaborate_until"]
    check = carol.post(f"{url}check/", {}, format="json").json()
    assert check["ok"] and check["effective"] and check["refusals"] == []
    receivers = [(r["rep"]["name"], r["held"], r["incoming"], r["cap"]) for r in check["receivers"]]
    assert receivers == [("Bob", 0, 1, 200)]

    done = carol.post(f"{url}execute/", {}, format="json")

    assert done.status_code == 200, done.json()
    body = done.json()
    assert body["status"] == "executed" and body["summary"]["choices"]["keep_as_collaborator"] == 1
    assert any("moved with them" in note for note in body["notes"])
    assert body["items"][0]["collaboration_id"] is not None
    # Alice co-sells for two weeks: she still sees Acme in full, now Bob's.
    acme = world.client("alice").get(f"/api/v1/customers/{world.acme}/")
    assert acme.status_code == 200 and acme.json()["owner"]["name"] == "Bob"
    collaborators = carol.get(f"/api/v1/customers/{world.acme}/collaborators/").json()
    assert [(c["user"]["name"], c["role"], c["active"]) for c in collaborators] == [
        ("Alice", "co_seller", True)
    ]


def test_a_refused_execution_is_a_409_with_the_reasons_and_changes_nothing(world: World):
    policy_version_save(user=world.people["admin"], team=None, values={"max_held": 1})  # type: ignore[arg-type]
    register(world.people["bob"], "Bob Full Up Ltd")  # type: ignore[arg-type]
    plan = draft_for_alice(world, to=world.people["bob"].pk)  # type: ignore[union-attr]
    events = OwnershipEvent.objects.count()

    response = world.client("carol").post(
        f"/api/v1/handovers/{plan['id']}/execute/", {}, format="json"
    )

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "handover_refused" and response["Content-Type"].startswith(
        "application/problem+json"
    )
    assert [(r["customer"]["id"], r["code"]) for r in body["refusals"]] == [
        (world.acme, "holding_cap")
    ]
    assert [(r["rep"]["name"], r["fits"]) for r in body["receivers"]] == [("Bob", False)]
    assert "over the cap" in body["detail"]
    assert OwnershipEvent.objects.count() == events
    assert owner_of(Customer.objects.get(pk=world.acme)) == world.people["alice"]
    assert HandoverPlan.objects.get(pk=plan["id"]).status == "draft"


def test_execute_honours_idempotency_key(world: World):
    plan = draft_for_alice(world, to=world.people["bob"].pk)  # type: ignore[union-attr]
    carol = world.client("carol")
    url = f"/api/v1/handovers/{plan['id']}/execute/"
    first = carol.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="handover-1")
    events = OwnershipEvent.objects.count()

    again = carol.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="handover-1")

    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert OwnershipEvent.objects.count() == events
    # Without a key, executing again also changes nothing: the plan is done.
    assert carol.post(url, {}, format="json").json()["closed_at"] == first.json()["closed_at"]
    assert OwnershipEvent.objects.count() == events


def test_plans_are_listed_for_those_over_the_rep(world: World):
    plan = draft_for_alice(world)
    for person, ids in (
        ("carol", [plan["id"]]),
        ("diana", [plan["id"]]),
        ("wendy", []),
        ("alice", []),
    ):
        rows = world.client(person).get("/api/v1/handovers/").json()["results"]
        assert [row["id"] for row in rows] == ids, person
    carol = world.client("carol")
    assert carol.get("/api/v1/handovers/?status=executed").json()["count"] == 0
    bad = carol.get("/api/v1/handovers/?status=done")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_parameter"


def test_inputs_are_strict_and_refusals_are_problems(world: World):
    carol = world.client("carol")
    body = {"rep": world.people["alice"].pk, "effective_on": str(timezone.localdate())}  # type: ignore[union-attr]
    sneaky = carol.post("/api/v1/handovers/", body | {"status": "executed"}, format="json")
    assert sneaky.status_code == 400 and "status" in sneaky.json()["errors"]
    plan = draft_for_alice(world)
    twice = carol.post("/api/v1/handovers/", body, format="json")
    assert twice.status_code == 409 and twice.json()["code"] == "draft_exists"
    url = f"/api/v1/handovers/{plan['id']}/"
    item = plan["items"][0]["id"]
    no_rep = carol.patch(f"{url}items/{item}/", {"choice": "reassign"}, format="json")
    assert no_rep.status_code == 400 and "to" in no_rep.json()["errors"]
    assert carol.post(f"{url}cancel/", {}, format="json").json()["status"] == "cancelled"
    closed = carol.post(f"{url}check/", {}, format="json")
    assert closed.status_code == 409 and closed.json()["code"] == "handover_cancelled"
    future = body | {"effective_on": str(timezone.localdate() + timedelta(days=2))}
    later = carol.post("/api/v1/handovers/", future, format="json").json()
    early = carol.post(f"/api/v1/handovers/{later['id']}/execute/", {}, format="json")
    assert early.status_code == 409 and early.json()["code"] == "not_yet_effective"
    assert early.json()["retry_at"]


def test_collaborators_are_added_listed_and_ended(world: World):
    alice, bob = world.client("alice"), world.client("bob")
    url = f"/api/v1/customers/{world.acme}/collaborators/"
    assert bob.get(f"/api/v1/customers/{world.acme}/").status_code == 404

    added = alice.post(
        url,
        {"user": world.people["bob"].pk, "role": "technical_support"},
        format="json",  # type: ignore[union-attr]
    )

    assert added.status_code == 201, added.json()
    assert added.json()["role"] == "technical_support" and added.json()["active"]
    assert bob.get(f"/api/v1/customers/{world.acme}/").status_code == 200
    again = alice.post(url, {"user": world.people["bob"].pk}, format="json")  # type: ignore[union-attr]
    assert again.status_code == 409 and again.json()["code"] == "already_collaborating"
    own = alice.post(url, {"user": world.people["alice"].pk}, format="json")  # type: ignore[union-attr]
    assert own.status_code == 409 and own.json()["code"] == "owner_cannot_collaborate"
    assert alice.delete(f"{url}{added.json()['id']}/").status_code == 204
    assert bob.get(f"/api/v1/customers/{world.acme}/").status_code == 404
    assert alice.delete(f"{url}{added.json()['id']}/").status_code == 404
    (ended,) = alice.get(url).json()
    assert not ended["active"] and ended["ended_by"]["name"] == "Alice"
