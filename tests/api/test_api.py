"""The API's behaviour: tokens, problem details, lists, registration, idempotency, masking."""

import dataclasses
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from guishu.api.models import ApiToken, IdempotentResponse, token_digest
from guishu.customers.models import Customer, Reveal
from guishu.disputes.models import Collision
from guishu.ownership.models import OwnershipEvent
from guishu.ownership.policies import policy_in_force
from tests.api.conftest import World, unique_word
from tests.factories import register

pytestmark = pytest.mark.db_facing


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- tokens ---------------------------------------------------------------------------------


def test_a_token_is_shown_once_stored_hashed_and_works_until_revoked(cast):
    alice = client_for(cast.alice)
    created = alice.post("/api/v1/tokens/", {"name": "laptop"}, format="json")
    assert created.status_code == 201
    key = created.json()["key"]
    stored = ApiToken.objects.get(pk=created.json()["id"])
    assert stored.digest == token_digest(key) and key not in (stored.digest, stored.prefix)
    assert key.startswith(stored.prefix)
    listed = alice.get("/api/v1/tokens/").json()["results"]
    assert [t["name"] for t in listed] == ["laptop"] and "key" not in listed[0]

    by_token = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    assert by_token.get("/api/v1/me/").json()["username"] == "alice"
    assert alice.delete(f"/api/v1/tokens/{stored.pk}/").status_code == 204
    refused = by_token.get("/api/v1/me/")
    assert refused.status_code == 401
    assert refused.json()["code"] == "authentication_failed"


def test_expired_malformed_and_unknown_tokens_are_refused(cast):
    token, key = ApiToken.issue(user=cast.alice, name="old")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    for header in (f"Token {key}", "Token", "Token a b", "Token gs_not-a-real-token"):
        response = APIClient(HTTP_AUTHORIZATION=header).get("/api/v1/me/")
        assert response.status_code == 401, header
        assert response["Content-Type"] == "application/problem+json"


def test_disabling_a_user_revokes_their_tokens(cast):
    _, key = ApiToken.issue(user=cast.bob, name="script")
    cast.bob.is_active = False
    cast.bob.save()
    assert APIClient(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/me/").status_code == 401
    assert ApiToken.objects.get(user=cast.bob).revoked_at is not None


def test_a_token_expiry_must_be_in_the_future(cast):
    past = (timezone.now() - timedelta(days=1)).isoformat()
    response = client_for(cast.alice).post(
        "/api/v1/tokens/", {"name": "x", "expires_at": past}, format="json"
    )
    assert response.status_code == 400 and "expires_at" in response.json()["errors"]


# --- problem details ------------------------------------------------------------------------


def test_errors_are_problem_details_with_stable_codes(world: World):
    bob = world.client("bob")
    missing = bob.get(f"/api/v1/customers/{world.acme}/")  # Alice's: not found for Bob
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"
    body = missing.json()
    assert body["code"] == "not_found" and body["status"] == 404
    assert (
        body["type"].endswith("/not_found")
        and body["instance"] == f"/api/v1/customers/{world.acme}/"
    )

    invalid = world.client("alice").post("/api/v1/registrations/", {"name": ""}, format="json")
    assert invalid.status_code == 400 and invalid.json()["code"] == "invalid"
    assert "name" in invalid.json()["errors"]

    wrong_method = bob.put("/api/v1/me/", {}, format="json")
    assert wrong_method.status_code == 405 and wrong_method.json()["code"] == "method_not_allowed"

    bad_json = bob.generic("POST", "/api/v1/registrations/check/", "{", "application/json")
    assert bad_json.status_code == 400 and bad_json.json()["code"] == "parse_error"


def test_problem_titles_follow_the_language(world: World):
    response = world.client("bob").get("/api/v1/customers/999999/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.json()["title"] == "未找到。"


# --- customers ------------------------------------------------------------------------------


def test_the_list_filters_orders_and_pages(cast, world: World):
    for level in "AB":
        register(cast.alice, f"{unique_word()} Bearings {level} GmbH", level=level)
    alice = world.client("alice")
    mine = alice.get("/api/v1/customers/?scope=mine&ordering=-created_at&page_size=2").json()
    assert mine["count"] == 3 and len(mine["results"]) == 2 and mine["next"]
    assert all(row["owner"]["name"] == "Alice" for row in mine["results"])
    pool = alice.get("/api/v1/customers/?scope=pool").json()["results"]
    assert [row["id"] for row in pool] == [world.pooled] and pool[0]["in_pool"]
    level_a = alice.get("/api/v1/customers/?level=A").json()["results"]
    assert [row["level"] for row in level_a] == ["A"]
    found = alice.get("/api/v1/customers/?q=bearings").json()["count"]
    assert found == 2
    bad = alice.get("/api/v1/customers/?ordering=owner")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_parameter"
    # Bob sees his team's pool and his own, never Alice's customers, in any scope.
    bob_rows = world.client("bob").get("/api/v1/customers/?page_size=200").json()["results"]
    assert world.acme not in {row["id"] for row in bob_rows}


def test_a_page_of_fifty_costs_a_fixed_number_of_queries(cast, world: World):
    alice = world.client("alice")

    def queries(page_size: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert alice.get(f"/api/v1/customers/?page_size={page_size}").status_code == 200
        return len(captured)

    for _ in range(50):
        register(cast.alice, f"{unique_word()} Castings Ltd")
    assert queries(50) == queries(5)


def test_a_customer_in_full_for_its_owner(world: World):
    body = world.client("alice").get(f"/api/v1/customers/{world.acme}/").json()
    values = {item["value"] for item in body["identifiers"]}
    assert set(world.secrets[:2]) <= values
    assert body["owner"]["name"] == "Alice" and body["protected_until"]
    assert not body["contact_details_masked"]


def test_editing_a_customer_keeps_what_was_not_sent(world: World):
    alice = world.client("alice")
    response = alice.patch(
        f"/api/v1/customers/{world.acme}/", {"level": "A", "city": "Ningbo"}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["level"] == "A" and body["city"] == "Ningbo" and body["name"] == world.acme_name
    assert world.secrets[0] in {item["value"] for item in body["identifiers"]}


def test_an_edit_taking_another_reps_phone_is_refused_and_recorded(world: World):
    dave = world.client("dave")
    before = Collision.objects.count()
    response = dave.patch(
        f"/api/v1/customers/{world.delta}/", {"phones": [world.secrets[0]]}, format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "identity_conflict"
    match = response.json()["matches"][0]
    assert match["customer_id"] is None and match["owner"]["name"] == "Alice"
    assert Collision.objects.count() == before + 1
    assert world.secrets[0] not in {
        i.value for i in Customer.objects.get(pk=world.delta).identifiers.all()
    }


# --- registration and idempotency -----------------------------------------------------------


def test_registration_answers_201_with_the_protection_end(world: World):
    response = world.client("bob").post(
        "/api/v1/registrations/",
        {"name": f"{unique_word()} Optics Co", "phones": ["+86 21 5555 0101"], "level": "B"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["protected_until"] and body["customer"]["owner"]["name"] == "Bob"
    assert body["trace"]


def test_registering_another_reps_customer_is_a_masked_collision(world: World):
    response = world.client("bob").post(
        "/api/v1/registrations/",
        {"name": "Something Else Ltd", "emails": [world.secrets[1]]},
        format="json",
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "owned_by_other" and body["collision_id"]
    assert body["matches"][0]["customer_id"] is None
    text = str(body)
    assert world.secrets[0] not in text and world.secrets[2] not in text


def test_possible_duplicates_wait_for_confirmation(cast, world: World):
    word = unique_word()
    register(cast.alice, f"{word} Hydraulics (Suzhou) Co., Ltd.")
    bob = world.client("bob")
    held = bob.post("/api/v1/registrations/", {"name": word}, format="json")  # a bare trade name
    assert held.status_code == 409 and held.json()["code"] == "possible_duplicates"
    assert held.json()["matches"][0]["verdict"] == "possible"
    confirmed = bob.post(
        "/api/v1/registrations/", {"name": word, "confirm_distinct": True}, format="json"
    )
    assert confirmed.status_code == 201


def test_an_idempotency_key_replays_the_first_answer(world: World):
    bob = world.client("bob")
    data = {"name": f"{unique_word()} Filters Ltd"}
    first = bob.post("/api/v1/registrations/", data, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = bob.post("/api/v1/registrations/", data, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Customer.objects.filter(name=data["name"]).count() == 1

    other = bob.post(
        "/api/v1/registrations/", {"name": "Other"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    # Keys are per user: Alice's "k-1" is hers.
    alice = world.client("alice")
    mine = alice.post("/api/v1/registrations/", data, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert mine.status_code == 409 and mine.json()["code"] == "owned_by_other"


def test_a_refusal_is_replayed_too_without_a_second_collision(world: World):
    bob = world.client("bob")
    data = {"name": world.acme_name}
    before = Collision.objects.count()
    for _ in range(2):
        response = bob.post(
            "/api/v1/registrations/", data, format="json", HTTP_IDEMPOTENCY_KEY="again"
        )
        assert response.status_code == 409
    assert Collision.objects.count() == before + 1


def test_a_key_still_in_progress_answers_409(cast, world: World):
    IdempotentResponse.objects.create(
        user=cast.bob, key="busy", endpoint="register", fingerprint="x", status=0, body={}
    )
    response = world.client("bob").post(
        "/api/v1/registrations/", {"name": "Busy Ltd"}, format="json", HTTP_IDEMPOTENCY_KEY="busy"
    )
    assert response.status_code in (409, 422)


def test_a_claim_retried_with_its_key_takes_effect_once(world: World):
    alice = world.client("alice")
    url = f"/api/v1/customers/{world.pooled}/claim/"
    first = alice.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="claim-1")
    again = alice.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="claim-1")
    assert first.status_code == again.status_code == 200
    claims = OwnershipEvent.objects.filter(customer_id=world.pooled, kind="claimed")
    assert claims.count() == 1
    without_key = alice.post(url, {}, format="json")
    assert without_key.status_code == 409 and without_key.json()["code"] == "already_yours"


def test_a_refused_claim_names_the_rule_and_when(world: World):
    bob = world.client("bob")  # Bob released it himself: the cool-down applies
    response = bob.post(f"/api/v1/customers/{world.pooled}/claim/", {}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "cool_down" and body["retry_at"] and body["trace"]


# --- lookups and masking --------------------------------------------------------------------


def test_searching_a_full_phone_answers_only_who_has_it(world: World):
    response = world.client("bob").get("/api/v1/lookup/", {"q": world.secrets[2]})
    assert response.status_code == 200
    body = response.json()
    assert body["kind"] == "phone"
    match = body["matches"][0]
    assert match["customer_id"] is None
    assert "Alice" in match["status"]
    text = str(body)
    for secret in (world.secrets[0], world.secrets[1], world.secrets[3]):
        assert secret not in text


def test_collisions_mask_the_other_sides_details(world: World):
    bob = world.client("bob")
    body = bob.get(f"/api/v1/collisions/{world.collision}/").json()
    assert body["customer"]["id"] is None and body["owner"]["name"] == "Alice"
    assert body["submitted"] is not None  # Bob typed it
    alice_view = world.client("alice").get(f"/api/v1/collisions/{world.collision}/").json()
    assert alice_view["customer"]["id"] == world.acme and alice_view["submitted"] is None


@pytest.fixture
def hidden_pool():
    policy = dataclasses.replace(policy_in_force(), pool_contacts_hidden=True, reveals_per_day=2)
    targets = ("guishu.customers.reveal", "guishu.api.customers", "guishu.api.contacts")
    patches = [mock.patch(f"{t}.policy_in_force", return_value=policy) for t in targets]
    for patch in patches:
        patch.start()
    yield policy
    for patch in patches:
        patch.stop()


def test_hidden_pool_contacts_are_masked_and_revealed_with_a_daily_cap(cast, world, hidden_pool):
    phones = [f"+86 755 {n}000 1234" for n in range(3, 6)]
    pooled = register(cast.bob, f"{unique_word()} Motors Ltd", phones=tuple(phones))
    from guishu.ownership.services import pool_release

    assert pool_release(user=cast.bob, customer_id=pooled.pk).accepted
    alice = world.client("alice")
    body = alice.get(f"/api/v1/customers/{pooled.pk}/").json()
    assert body["contact_details_masked"]
    shown = [item for item in body["identifiers"] if item["kind"] == "phone"]
    assert all(item["masked"] for item in shown)
    assert not set(phones) & {item["value"] for item in shown}

    url = f"/api/v1/customers/{pooled.pk}/reveal/"
    revealed = [alice.post(url, {"identifier": item["id"]}, format="json") for item in shown]
    assert [r.status_code for r in revealed] == [200, 200, 429]
    assert {r.json()["value"] for r in revealed[:2]} <= set(phones)
    assert revealed[2].json()["code"] == "reveal_limit" and revealed[2].json()["retry_at"]
    assert Reveal.objects.filter(user=cast.alice).count() == 2


def test_another_reps_customer_cannot_be_revealed(world: World, hidden_pool):
    response = world.client("bob").post(
        f"/api/v1/customers/{world.acme}/reveal/", {"identifier": 1}, format="json"
    )
    assert response.status_code == 404


# --- contacts and records -------------------------------------------------------------------


def test_a_contact_with_another_reps_phone_is_refused(world: World):
    response = world.client("dave").post(
        f"/api/v1/customers/{world.delta}/contacts/",
        {"name": "Li Wei", "phone": world.secrets[0]},
        format="json",
    )
    assert response.status_code == 409 and response.json()["code"] == "identity_conflict"
    assert not Customer.objects.get(pk=world.delta).contacts.exists()


def test_logging_a_follow_up_returns_the_trace(world: World):
    response = world.client("alice").post(
        f"/api/v1/customers/{world.acme}/activities/",
        {"kind": "visit", "occurred_at": timezone.now().isoformat(), "note": "Factory tour"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["activity"]["by"]["name"] == "Alice"
    assert response.json()["trace"]
    listed = world.client("carol").get(f"/api/v1/customers/{world.acme}/activities/").json()
    assert listed["results"][0]["note"] == "Factory tour"


def test_a_follow_up_in_the_future_is_invalid(world: World):
    response = world.client("alice").post(
        f"/api/v1/customers/{world.acme}/activities/",
        {"kind": "visit", "occurred_at": (timezone.now() + timedelta(days=2)).isoformat()},
        format="json",
    )
    assert response.status_code == 400 and "occurred_at" in response.json()["errors"]


def test_the_ownership_explanation_replays_the_history(world: World):
    body = world.client("carol").get(f"/api/v1/customers/{world.acme}/ownership/").json()
    assert body["owner"]["name"] == "Alice" and body["history_agrees"]
    assert "registered" in [event["kind"] for event in body["history"]]
    assert body["reclaim_due_at"] and body["trace"]


def test_an_unknown_api_path_is_a_problem_and_an_unknown_page_is_a_page(world: World):
    api = world.client("bob").get("/api/v1/no-such-thing/")
    assert api.status_code == 404 and api["Content-Type"] == "application/problem+json"
    assert api.json()["code"] == "not_found"
    from django.test import Client

    client = Client()
    client.force_login(world.people["bob"])  # type: ignore[arg-type]
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("moment", ["0039-11-15T09:19:40+23:33", "2150-01-01T00:00:00Z"])
def test_dates_no_sales_team_could_mean_are_refused(world: World, moment: str):
    response = world.client("alice").post(
        f"/api/v1/orders/{world.order}/collections/",
        {"amount": "10.00", "received_at": moment},
        format="json",
    )
    assert response.status_code == 400 and "received_at" in response.json()["errors"]


def test_the_explanation_says_what_would_keep_the_customer(world: World):
    body = world.client("alice").get(f"/api/v1/customers/{world.acme}/ownership/").json()
    assert body["reclaim_rule"] in ("no_follow_up", "no_deal")
    assert any(
        "locking it as a key customer" in line or "锁定" in line
        for line in body["reclaim_stoppers"]
    )
    assert len(body["reclaim_stoppers"]) == 2
