"""The pipeline through the API: stages, opening, the required-actions refusal, closing."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from guishu.pipeline.services import stages_ensure_default
from tests.factories import register
from tests.reports.builders import touches

pytestmark = pytest.mark.db_facing


def api(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def test_an_opportunity_moves_only_with_the_stages_actions_done(cast):
    acme = register(cast.alice, "Acme Api Pipeline Ltd")
    stages = api(cast.alice).get(reverse("api-pipeline-stages")).json()
    assert [s["name"] for s in stages][:2] == ["Lead", "Qualified"]
    assert stages[1]["required_kinds"] == ["call"]
    opened = api(cast.alice).post(
        reverse("api-customer-opportunities", kwargs={"customer_id": acme.pk}),
        {"title": "Pumps", "amount": "5000.00"},
        format="json",
    )
    assert opened.status_code == 201, opened.json()
    body = opened.json()
    assert (body["stage"]["name"], body["status"], body["owner"]["name"]) == (
        "Lead",
        "open",
        "Alice",
    )
    advance = reverse("api-opportunity-advance", kwargs={"opportunity_id": body["id"]})
    refused = api(cast.alice).post(advance, {"stage": stages[1]["id"]}, format="json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "required_actions_missing"
    assert refused.json()["missing"] == ["call"]
    touches(acme, cast.alice, "phone")
    moved = api(cast.alice).post(advance, {"stage": stages[1]["id"]}, format="json")
    assert moved.status_code == 200 and moved.json()["stage"]["name"] == "Qualified"
    close = reverse("api-opportunity-close", kwargs={"opportunity_id": body["id"]})
    assert api(cast.bob).post(close, {"won": True}, format="json").status_code == 404
    lost = api(cast.alice).post(close, {"won": False, "reason": "price"}, format="json")
    assert lost.json()["status"] == "lost" and lost.json()["lost_reason"] == "price"
    again = api(cast.alice).post(close, {"won": True}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "closed"
    listed = api(cast.carol).get(
        reverse("api-customer-opportunities", kwargs={"customer_id": acme.pk})
    )
    assert [o["title"] for o in listed.json()] == ["Pumps"]


def test_unknown_fields_and_stages_are_refused(cast):
    acme = register(cast.alice, "Acme Api Strict Ltd")
    url = reverse("api-customer-opportunities", kwargs={"customer_id": acme.pk})
    assert (
        api(cast.alice)
        .post(url, {"title": "x", "amount": "1", "owner": 3}, format="json")
        .status_code
        == 400
    )
    made = api(cast.alice).post(url, {"title": "x", "amount": "1"}, format="json").json()
    advance = reverse("api-opportunity-advance", kwargs={"opportunity_id": made["id"]})
    assert api(cast.alice).post(advance, {"stage": 999_999}, format="json").status_code == 400
    assert stages_ensure_default()
