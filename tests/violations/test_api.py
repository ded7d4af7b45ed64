"""The violations and conflict-review endpoints: lists and filters, what each viewer sees of
the evidence, reviewing, and the review's figures and refusals."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.violations.conftest import Offences

pytestmark = pytest.mark.db_facing

VIOLATIONS = "/api/v1/violations/"
REVIEW = "/api/v1/conflict-review/"


def client(user: Any) -> APIClient:
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(user)
    return api


def ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def test_each_person_lists_the_violations_they_may_see(cast, wendy, offences: Offences):
    assert ids(client(cast.bob).get(VIOLATIONS)) == {offences.bob.pk}
    assert ids(client(cast.carol).get(VIOLATIONS)) == {offences.bob.pk, offences.alice.pk}
    assert ids(client(wendy).get(VIOLATIONS)) == {offences.dave.pk}
    everyone = {offences.bob.pk, offences.alice.pk, offences.dave.pk}
    assert ids(client(cast.diana).get(VIOLATIONS)) == everyone


def test_the_list_filters_by_status_kind_and_offender(cast, offences: Offences):
    diana = client(cast.diana)
    diana.post(f"{VIOLATIONS}{offences.bob.pk}/review/", {"decision": "confirm"}, format="json")

    assert ids(diana.get(VIOLATIONS, {"status": "confirmed"})) == {offences.bob.pk}
    assert ids(diana.get(VIOLATIONS, {"kind": "claim_cycling"})) == set()
    assert ids(diana.get(VIOLATIONS, {"offender": cast.dave.pk})) == {offences.dave.pk}
    for name, value in (
        ("status", "closed"),
        ("kind", "theft"),
        ("offender", "bob"),
        ("status", ""),
        ("kind", ""),
        ("offender", ""),
    ):
        refused = diana.get(VIOLATIONS, {name: value})
        assert refused.status_code == 400 and refused.json()["parameter"] == name


def test_the_offender_sees_the_evidence_but_not_the_customer_they_may_not_see(cast, offences):
    body = client(cast.bob).get(f"{VIOLATIONS}{offences.bob.pk}/").json()

    assert body["kind"] == "worked_other" and body["status"] == "open"
    assert body["customer"] == {"id": None, "name": "Acme Offence Tools Ltd"}
    assert body["offender"]["name"] == "Bob" and body["points"] == 2 and not body["counts"]
    assert body["evidence"]["owner_name"] == "Alice"
    assert body["collision"] == offences.bob.collision_id

    carols = client(cast.carol).get(f"{VIOLATIONS}{offences.bob.pk}/").json()
    assert carols["customer"]["id"] == offences.bob.customer_id


def test_a_violation_one_may_not_see_does_not_exist(cast, wendy, offences):
    for user in (cast.alice, wendy):
        assert client(user).get(f"{VIOLATIONS}{offences.bob.pk}/").status_code == 404
        review = client(user).post(
            f"{VIOLATIONS}{offences.bob.pk}/review/", {"decision": "confirm"}, format="json"
        )
        assert review.status_code == 404
    assert client(cast.diana).get(f"{VIOLATIONS}999999/").status_code == 404


def test_reviewing_through_the_api(cast, offences):
    url = f"{VIOLATIONS}{offences.bob.pk}/review/"
    carol = client(cast.carol)

    assert client(cast.bob).post(url, {"decision": "confirm"}, format="json").status_code == 403
    unexplained = carol.post(url, {"decision": "dismiss"}, format="json")
    assert unexplained.status_code == 400 and "note" in unexplained.json()["errors"]
    stray = carol.post(url, {"decision": "confirm", "points": 0}, format="json")
    assert stray.status_code == 400 and "points" in stray.json()["errors"]

    confirmed = carol.post(url, {"decision": "confirm", "note": "seen the log"}, format="json")

    assert confirmed.status_code == 200
    body = confirmed.json()
    assert body["status"] == "confirmed" and body["counts"] and body["points"] == 2
    assert body["reviewed_by"]["name"] == "Carol" and body["review_note"] == "seen the log"
    again = client(cast.diana).post(url, {"decision": "dismiss", "note": "x"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_reviewed"


def test_the_conflict_review_for_a_manager(cast, offences):
    today = timezone.localdate()
    period = {"start": str(today - timedelta(days=30)), "end": str(today)}
    response = client(cast.carol).get(REVIEW, period)

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["team"] is None and [row["team"]["name"] for row in body["teams"]] == ["East"]
    total = body["total"]
    by_action = {row["action"]: row["count"] for row in total["collisions"]["by_action"]}
    assert total["collisions"]["total"] == 3 and by_action["follow_up"] == 3
    assert by_action["register"] == 0  # every action is listed
    assert total["disputes"]["hours_to_decision"] == {"median": None, "mean": None}
    [rule] = total["rules"]
    assert rule["kind"] == "trace" and rule["collisions"] == 3
    assert rule["text"].startswith("refused: protected for …")
    assert total["violations"]["by_kind"] == [
        {"kind": "worked_other", "status": "open", "count": 2}
    ]
    assert {party["person"]["name"] for party in total["repeat_parties"]} == {"Alice", "Bob"}


def test_the_conflict_review_refuses_reps_and_bad_periods(cast, wendy, offences):
    period = {"start": "2025-01-01", "end": "2025-12-31"}
    assert client(cast.bob).get(REVIEW, period).status_code == 403
    assert client(wendy).get(REVIEW, {**period, "team": cast.east.pk}).status_code == 403
    assert client(wendy).get(REVIEW, {**period, "team": cast.west.pk}).status_code == 200
    for query, name in (
        ({"start": "2025-01-01"}, "end"),
        ({"start": "2025-13-01", "end": "2025-12-31"}, "start"),
        ({"start": "2025-06-01", "end": "2025-05-31"}, "end"),
        ({**period, "team": "east"}, "team"),
        ({**period, "team": 999999}, "team"),
    ):
        refused = client(cast.diana).get(REVIEW, query)
        assert refused.status_code == 400 and refused.json()["parameter"] == name, query
