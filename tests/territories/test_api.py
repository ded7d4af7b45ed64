"""The territories API beyond who may call it (tests/api/test_permissions.py): what rules
look like, what writing one refuses, what an assignment answers, and the hoarding report."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from guishu.ownership.services import customer_transfer, pool_claim, pool_release
from guishu.territories.models import TerritoryRule
from tests.factories import register
from tests.territories.conftest import lead, rule

pytestmark = pytest.mark.db_facing


def client(user: Any) -> APIClient:
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(user)
    return api


def test_a_rule_is_written_and_read_back_in_canonical_form(cast):
    body = {
        "name": "Zhejiang machinery",
        "priority": 10,
        "method": "load_balanced",
        "regions": ["Zhejiang "],
        "countries": ["cn"],
        "kinds": ["company"],
        "levels": ["A", "B"],
        "reps": [cast.alice.pk],
        "teams": [cast.east.pk],
    }
    created = client(cast.carol).post("/api/v1/territories/", body, format="json")
    assert created.status_code == 201, created.json()
    rule_id = created.json()["id"]

    read = client(cast.dave).get(f"/api/v1/territories/{rule_id}/").json()
    assert read["regions"] == ["zhejiang"] and read["countries"] == ["CN"]
    assert read["method"] == "load_balanced" and read["priority"] == 10
    assert [p["name"] for p in read["reps"]] == ["Alice"]
    assert read["teams"] == [{"id": cast.east.pk, "name": "East"}]
    assert read["created_by"]["name"] == "Carol"
    listed = client(cast.dave).get("/api/v1/territories/").json()
    assert [r["id"] for r in listed["results"]] == [rule_id]


def test_writing_a_rule_refuses_what_it_cannot_apply(cast):
    api = client(cast.admin)
    nobody = api.post("/api/v1/territories/", {"name": "Nobody"}, format="json")
    assert nobody.status_code == 400 and "reps" in nobody.json()["errors"]
    unknown = api.post(
        "/api/v1/territories/", {"name": "X", "reps": [cast.alice.pk], "owner": 1}, format="json"
    )
    assert unknown.status_code == 400 and "owner" in unknown.json()["errors"]
    director = api.post(
        "/api/v1/territories/", {"name": "D", "reps": [cast.diana.pk]}, format="json"
    )
    assert director.status_code == 400 and "reps" in director.json()["errors"]
    outside = client(cast.carol).post(
        "/api/v1/territories/", {"name": "West", "reps": [cast.dave.pk]}, format="json"
    )
    assert outside.status_code == 403 and outside.json()["code"] == "permission_denied"
    assert not TerritoryRule.objects.exists()


def test_a_patch_changes_only_what_it_names(cast):
    saved = rule(cast.carol, "East", reps=[cast.alice], regions=["Zhejiang"])
    answer = client(cast.carol).patch(
        f"/api/v1/territories/{saved.pk}/", {"reps": [cast.bob.pk]}, format="json"
    )
    assert answer.status_code == 200
    assert answer.json()["regions"] == ["zhejiang"]
    assert [p["name"] for p in answer.json()["reps"]] == ["Bob"]
    emptied = client(cast.carol).patch(
        f"/api/v1/territories/{saved.pk}/", {"reps": []}, format="json"
    )
    assert emptied.status_code == 400


def test_assigning_answers_each_customer_with_what_happened_and_why(cast):
    rule(cast.carol, "Zhejiang", reps=[cast.alice, cast.bob], regions=["Zhejiang"])
    zhejiang = lead(cast.carol, name="Ningbo Bearings Co", region="Zhejiang")
    lyon = lead(cast.carol, name="Lyon Textiles SA", region="Rhône")
    owned = register(cast.dave)

    answer = client(cast.carol).post(
        "/api/v1/territories/assign/",
        {"customers": [zhejiang.pk, lyon.pk, owned.pk]},
        format="json",
    )

    assert answer.status_code == 200
    body = answer.json()
    assert (body["assigned"], body["left_in_pool"]) == (1, 1)
    first, second, third = body["results"]
    assert first["status"] == "assigned" and first["rep"]["name"] == "Alice"
    assert first["reason"] == "assigned by rule Zhejiang (round-robin)"
    assert first["rule"]["name"] == "Zhejiang" and first["method"] == "round_robin"
    assert first["event"] is not None and first["assignment"] is not None
    assert [c["name"] for c in first["candidates"]] == ["Alice", "Bob"]
    assert first["trace"] and "Alice" in first["trace"][0]
    assert second["status"] == "unmatched" and "Lyon Textiles SA" in second["reason"]
    assert third["status"] == "not_in_pool" and third["rule"] is None
    history = client(cast.carol).get(f"/api/v1/customers/{zhejiang.pk}/ownership/").json()
    reasons = [row["value"] for row in history["evidence"] if row["label"] == "Reason"]
    assert reasons == ["assigned by rule Zhejiang (round-robin)"]


def test_assigning_refuses_a_bad_body(cast):
    api = client(cast.carol)
    bodies: list[dict[str, Any]] = [
        {},
        {"customers": []},
        {"customers": ["5"]},  # the schema says numbers: text is refused, not read as one
        {"customers": [5.0]},
        {"customers": [True]},
        {"customers": [1], "rep": 2},
    ]
    for body in bodies:
        answer = api.post("/api/v1/territories/assign/", body, format="json")
        assert answer.status_code == 400, body
    for wrong, value in (("name", 5), ("active", "yes"), ("priority", "1")):
        body = {"name": "N", "reps": [cast.alice.pk], wrong: value}
        answer = api.post("/api/v1/territories/", body, format="json")
        assert answer.status_code == 400 and set(answer.json()["errors"]) == {wrong}, body


def test_the_hoarding_report_shows_whom_one_may_see_and_hides_others_customers(cast, wendy):
    now = timezone.now()
    customer = register(cast.alice, "Xiamen Valves Co", now=now - timedelta(days=80))
    for change in (
        pool_release(user=cast.alice, customer_id=customer.pk, now=now - timedelta(days=60)),
        pool_claim(user=cast.alice, customer_id=customer.pk, now=now - timedelta(days=20)),
    ):
        assert change.accepted, change.decision
    # Since then Alice handed it to Dave in West, whose customers Carol does not see.
    handed = customer_transfer(
        user=cast.alice, customer_id=customer.pk, to=cast.dave, now=now - timedelta(days=1)
    )
    assert handed.accepted

    def report(user: Any, **params: str) -> Any:
        return client(user).get("/api/v1/reports/hoarding/", params)

    rows = report(cast.carol).json()["rows"]
    assert [(r["rep"]["name"], r["cycles"]) for r in rows] == [("Alice", 1)]
    assert rows[0]["customers"] == [{"id": None, "name": "Xiamen Valves Co", "cycles": 1}]
    assert report(cast.diana).json()["rows"][0]["customers"][0]["id"] == customer.pk
    assert len(report(cast.alice).json()["rows"]) == 1
    assert report(cast.bob).json()["rows"] == report(wendy).json()["rows"] == []
    assert report(cast.carol, days="30").json()["rows"] == []  # released 60 days ago
    assert report(cast.alice).json()["days"] == 90
    for bad in ("0", "abc", "3651", "-5", "²"):
        answer = report(cast.alice, days=bad)
        assert answer.status_code == 400 and answer.json()["code"] == "invalid_parameter"
