"""The A/B case through the API, as the product's clients would play it: Bob (B) worked
Alice's (A) customer Acme and collided registering it; he opens a dispute, both state their
side, Carol decides a joint follow-up with Bob leading on 60% and Alice on 40%, and Bob's
order is credited 60/40. Along the way: evidence side by side in the reader's language,
notes hidden from those who may not see the customer, the decision sent twice taking effect
once, and West seeing nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from guishu.activities.services import activity_log
from guishu.ownership.models import Ownership, OwnershipEvent
from tests.api.conftest import World

pytestmark = pytest.mark.db_facing


def owner_of(world: World) -> int:
    return Ownership.objects.get(customer_id=world.acme, ended_at__isnull=True).owner_id


def test_the_a_and_b_case_through_the_api(world: World):
    now = timezone.now()
    bob, alice, carol = (world.people[name] for name in ("bob", "alice", "carol"))
    assert bob is not None and alice is not None and carol is not None
    for days_ago, kind in ((90, "chat"), (60, "quote"), (30, "invitation")):
        when = now - timedelta(days=days_ago)
        activity_log(
            user=bob,
            customer_id=world.acme,
            kind=kind,
            channel="whatsapp",
            customer_initiated=True,
            note="Klaus asked for the price list",
            occurred_at=when,
            now=when,
        )

    opened = world.client("bob").post(
        "/api/v1/disputes/",
        {"collision": world.collision, "reason": "I did the work"},
        format="json",
    )
    assert opened.status_code == 201, opened.json()
    dispute = opened.json()
    url = f"/api/v1/disputes/{dispute['id']}/"
    assert dispute["customer"] == {"id": None, "name": world.acme_name}  # Bob does not see Acme
    assert dispute["actions"] == ["state", "withdraw"]
    bob_side = dispute["evidence"]["parties"][1]
    assert bob_side["role"] == "challenger"
    assert {"quote", "invitation"} <= set(bob_side["milestones"])
    assert all(touch["note"] == "" for touch in bob_side["touches"])  # masked for Bob

    # West sees nothing of it.
    assert world.client("dave").get(url).status_code == 404
    assert world.client("wendy").get(url).status_code == 404
    assert world.client("bob").get("/api/v1/disputes/?waiting=me").json()["count"] == 1

    said = world.client("alice").post(
        url + "statement/", {"text": "Mine first.", "option": "owner_keeps"}, format="json"
    )
    assert said.status_code == 200 and said.json()["status"] == "open"
    said = world.client("bob").post(
        url + "statement/", {"text": "My work.", "option": "to_challenger"}, format="json"
    )
    assert said.status_code == 200 and said.json()["status"] == "open"
    assert world.client("carol").get("/api/v1/disputes/?waiting=me").json()["count"] == 1

    # Carol reads the evidence in Chinese.
    chinese = world.client("carol")
    chinese.credentials(HTTP_ACCEPT_LANGUAGE="zh-hans")
    summary = chinese.get(url).json()["evidence"]["parties"][1]["summary"]
    assert summary and all(any("\u4e00" <= ch <= "\u9fff" for ch in line) for line in summary)

    decision = {
        "option": "joint",
        "lead": bob.pk,
        "share": "40",
        "rationale": "Bob made the visit happen; Alice found the buyer.",
    }
    over_cap = world.client("carol").post(
        url + "decision/", {**decision, "share": "60"}, format="json"
    )
    assert over_cap.status_code == 409 and over_cap.json()["code"] == "share_over_cap"
    headers = {"HTTP_IDEMPOTENCY_KEY": "decide-1"}
    decided = world.client("carol").post(url + "decision/", decision, format="json", **headers)
    assert decided.status_code == 200, decided.json()
    body = decided.json()
    assert (body["status"], body["settlement"], body["lead"]["id"], body["share"]) == (
        "decided",
        "manager",
        bob.pk,
        "40.00",
    )
    events = OwnershipEvent.objects.filter(customer_id=world.acme).count()
    again = world.client("carol").post(url + "decision/", decision, format="json", **headers)
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    plain_again = world.client("carol").post(url + "decision/", decision, format="json")
    assert plain_again.status_code == 200  # the same decision: answered, not applied twice
    assert OwnershipEvent.objects.filter(customer_id=world.acme).count() == events
    assert owner_of(world) == bob.pk

    # Bob now owns Acme and records an order, credited 60/40.
    order = world.client("bob").post(
        f"/api/v1/customers/{world.acme}/orders/",
        {
            "number": "PO-AB-1",
            "amount": "20000.00",
            "currency": "EUR",
            "ordered_at": (now + timedelta(minutes=5)).isoformat(),
        },
        format="json",
    )
    assert order.status_code == 201, order.json()
    credits = {c["user"]["id"]: (c["share"], c["amount"]) for c in order.json()["credits"]}
    assert credits == {bob.pk: ("60.00", "12000.00"), alice.pk: ("40.00", "8000.00")}

    # Alice appeals once; the director upholds.
    appealed = world.client("alice").post(url + "appeal/", {"reason": "40% is low"}, format="json")
    assert appealed.status_code == 200 and appealed.json()["status"] == "appealed"
    upheld = world.client("diana").post(url + "appeal-decision/", decision, format="json")
    assert upheld.status_code == 200 and upheld.json()["settlement"] == "director"
    again = world.client("bob").post(url + "appeal/", {"reason": "again"}, format="json")
    assert again.status_code == 409
    assert owner_of(world) == bob.pk
