"""The discipline pages and API with figures: what each person sees, and the reasons shown."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from guishu.activities.services import activity_log
from guishu.discipline.services import ClassificationInput, classification_set, complaint_open
from tests.factories import register

pytestmark = pytest.mark.db_facing


def page(user, name: str, **kwargs) -> str:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    response = client.get(reverse(name, kwargs=kwargs), headers={"accept-language": "en"})
    assert response.status_code == 200
    return response.content.decode()


def api(user, name: str, **kwargs):  # type: ignore[no-untyped-def]
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def world(cast):  # type: ignore[no-untyped-def]
    now = timezone.now()
    acme = register(cast.alice, "Acme Tools", now=now - timedelta(days=100))
    bobs = register(cast.bob, "Bob Corp", now=now - timedelta(days=5))
    activity_log(
        user=cast.bob,
        customer_id=bobs.pk,
        kind="visit",
        occurred_at=now - timedelta(days=1),
        duration_minutes=120,
    )
    classification_set(
        user=cast.alice,
        customer_id=acme.pk,
        data=ClassificationInput(monthly_volume=Decimal(20_000), our_share=Decimal(10)),
    )
    complaint_open(user=cast.alice, customer_id=acme.pk, summary="late delivery")
    return {"acme": acme, "bobs": bobs}


def test_the_due_contacts_page_shows_a_reps_own_overdue_customers_with_reasons(cast, world):
    html = page(cast.alice, "discipline-cadence")
    assert "Acme Tools" in html and "Bob Corp" not in html
    assert "dig in: contact at least every 14 days (level C: 90)" in html
    assert "Acme Tools" in page(cast.carol, "discipline-cadence")
    assert "Acme Tools" not in page(cast.bob, "discipline-cadence")


def test_the_portfolio_page_has_its_charts_and_counts(cast, world):
    html = page(cast.carol, "discipline-portfolio")
    assert 'id="portfolio-strategy"' in html and 'id="portfolio-hours"' in html
    body = api(cast.carol, "api-discipline-portfolio")
    assert body["total"] == 2
    assert body["by_strategy"] == {"dig_in": 1, "unclassified": 1}
    bob = next(rep for rep in body["reps"] if rep["name"] == "Bob")
    assert bob["minutes"] == {"unclassified": 120}


def test_the_classification_page_and_api_explain_the_type(cast, world):
    html = page(cast.alice, "discipline-customer", customer_id=world["acme"].pk)
    assert "it buys 200,000 a month in all (our share 10%)" in html
    body = api(cast.carol, "api-classification", customer_id=world["acme"].pk)
    assert (body["engagement"], body["engagement_type"], body["strategy"]) == ("stuck", 3, "dig_in")
    assert body["engagement_reason"][0] == (
        "monthly volume 20,000 is below 30,000 (industry *): type 3"
    )
    assert body["history"][0]["field"] == "engagement"


def test_complaints_pages_and_loyalty(cast, world):
    html = page(cast.carol, "complaint-list")
    assert "late delivery" in html
    assert "late delivery" not in page(cast.bob, "complaint-list")
    body = api(cast.alice, "api-complaint-loyalty")
    assert body["resolved"]["complaints"] == 0 and body["unresolved"]["complaints"] == 1


def test_the_plan_page_generates_and_shows_plan_vs_actual(cast, world):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(cast.alice)
    response = client.post(reverse("plan-week"))
    assert response.status_code == 302
    html = page(cast.alice, "plan-week")
    assert "Acme Tools" in html and "returns to the pool soon" in html
    body = api(cast.alice, "api-plan-week", rep_id=cast.alice.pk)
    assert [item["name"] for item in body["items"]] == ["Acme Tools"]
    assert body["planned_slots"] == 24 and body["completion"] == 0.0


def test_time_accounting_page_and_api(cast, world):
    html = page(cast.carol, "discipline-time")
    assert 'id="time-selling"' in html
    body = api(cast.bob, "api-time-accounting")
    [bob] = body["people"]
    assert bob["minutes"]["selling"] == 120 and body["benchmark"] == {"typical": 12, "target": 22}
    assert bob["available_minutes"] == body["working_days"] * 8 * 60


def test_overdue_api_is_the_viewers_own(cast, world):
    alices = api(cast.alice, "api-discipline-overdue")
    assert alices["count"] == 1 and [row["name"] for row in alices["results"]] == ["Acme Tools"]
    assert alices["results"][0]["reason"] and alices["results"][0]["days_overdue"] > 0
    assert api(cast.bob, "api-discipline-overdue")["results"] == []
