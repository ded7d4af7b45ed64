"""The opportunity pages as reps and managers use them: opening one from the customer page,
moving it only when the customer's records show the stage's required actions, closing it
(a loss with its reason), the pipeline list with its totals per stage, and who sees what."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guishu.disputes.collaboration import collaboration_add
from guishu.ownership.services import pool_release
from guishu.pipeline.models import Opportunity, StageChange
from guishu.pipeline.services import opportunity_close, opportunity_open, stages_ensure_default
from tests.factories import register
from tests.reports.builders import touches

pytestmark = pytest.mark.db_facing

LIST = reverse("opportunity-list")


@pytest.fixture
def client(client):  # type: ignore[no-untyped-def]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def detail(opportunity: Opportunity) -> str:
    return reverse("opportunity-detail", kwargs={"opportunity_id": opportunity.pk})


def new_url(customer) -> str:  # type: ignore[no-untyped-def]
    return reverse("opportunity-new", kwargs={"customer_id": customer.pk})


def deal(owner, customer, title: str = "Pumps 2027", amount: str = "50000") -> Opportunity:  # type: ignore[no-untyped-def]
    return opportunity_open(user=owner, customer=customer, title=title, amount=Decimal(amount))


def test_the_owner_opens_an_opportunity_from_the_customer_page(client, cast):
    acme = register(cast.alice, "Acme Tools")
    client.force_login(cast.alice)
    page = client.get(reverse("customer-detail", kwargs={"customer_id": acme.pk})).content.decode()
    assert "No opportunities with this customer yet." in page and new_url(acme) in page
    response = client.post(
        new_url(acme), {"title": "Valves for line 3", "amount": "120000.50", "currency": "usd"}
    )
    opportunity = Opportunity.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(opportunity)
    assert (opportunity.owner, opportunity.currency, opportunity.amount) == (
        cast.alice,
        "USD",
        Decimal("120000.50"),
    )
    assert opportunity.stage.name_en == "Lead"
    page = client.get(detail(opportunity)).content.decode()
    assert "Opened at Lead" in page and "120000.50 USD" in page
    page = client.get(reverse("customer-detail", kwargs={"customer_id": acme.pk})).content.decode()
    assert "Valves for line 3" in page and detail(opportunity) in page


def test_bad_input_is_answered_with_the_fields_errors_and_opens_nothing(client, cast):
    acme = register(cast.alice, "Acme Tools")
    client.force_login(cast.alice)
    response = client.post(new_url(acme), {"title": "", "amount": "-5", "currency": "U5D"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"title", "amount", "currency"}
    assert "Three letters, like CNY or USD." in response.content.decode()
    assert not Opportunity.objects.exists()


def test_starting_past_a_stage_whose_actions_are_missing_is_refused_in_their_names(client, cast):
    acme = register(cast.alice, "Acme Tools")
    quoted = stages_ensure_default()[2]
    client.force_login(cast.alice)
    response = client.post(
        new_url(acme), {"title": "Big one", "amount": "1", "currency": "CNY", "stage": quoted.pk}
    )
    assert response.status_code == 400
    assert "Missing: Quote." in response.content.decode()
    assert not Opportunity.objects.exists()


def test_a_manager_opens_it_for_the_customers_owner(client, cast):
    acme = register(cast.alice, "Acme Tools")
    client.force_login(cast.carol)
    assert "It will belong to Alice" in client.get(new_url(acme)).content.decode()
    client.post(new_url(acme), {"title": "Team deal", "amount": "10", "currency": "CNY"})
    opportunity = Opportunity.objects.get()
    assert (opportunity.owner, opportunity.created_by) == (cast.alice, cast.carol)


def test_a_collaborator_opens_their_own_which_the_owner_sees_unlinked(client, cast):
    acme = register(cast.alice, "Acme Tools")
    collaboration_add(user=cast.alice, customer_id=acme.pk, collaborator=cast.bob)
    client.force_login(cast.bob)
    client.post(new_url(acme), {"title": "Bob's deal", "amount": "10", "currency": "CNY"})
    opportunity = Opportunity.objects.get()
    assert opportunity.owner == cast.bob
    client.force_login(cast.alice)
    page = client.get(reverse("customer-detail", kwargs={"customer_id": acme.pk})).content.decode()
    assert "Bob&#x27;s deal" in page and detail(opportunity) not in page
    assert client.get(detail(opportunity)).status_code == 404


def test_a_pooled_customer_is_claimed_before_opportunities(client, cast):
    acme = register(cast.alice, "Acme Tools")
    assert pool_release(user=cast.alice, customer_id=acme.pk).accepted
    client.force_login(cast.bob)
    assert "claim it first" in client.get(new_url(acme)).content.decode()
    response = client.post(new_url(acme), {"title": "x", "amount": "1", "currency": "CNY"})
    assert response.status_code == 403 and not Opportunity.objects.exists()


def test_moving_waits_for_the_required_actions_and_says_which(client, cast):
    acme = register(cast.alice, "Acme Tools")
    opportunity = deal(cast.alice, acme)
    qualified = stages_ensure_default()[1]
    client.force_login(cast.alice)
    page = client.get(detail(opportunity)).content.decode()
    assert "✗ Call" in page
    url = reverse("opportunity-advance", kwargs={"opportunity_id": opportunity.pk})
    page = client.post(url, {"stage": qualified.pk}, follow=True).content.decode()
    assert "Missing: Call." in page
    assert Opportunity.objects.get().stage.name_en == "Lead"
    touches(acme, cast.bob, "phone")  # a call, by anyone, counts
    page = client.post(url, {"stage": qualified.pk}, follow=True).content.decode()
    assert "Moved to Qualified." in page and "Lead → Qualified" in page
    assert Opportunity.objects.get().stage == qualified


def test_closing_as_lost_needs_the_reason_and_ends_the_work(client, cast):
    acme = register(cast.alice, "Acme Tools")
    opportunity = deal(cast.alice, acme)
    url = reverse("opportunity-close", kwargs={"opportunity_id": opportunity.pk})
    client.force_login(cast.alice)
    response = client.post(url, {"outcome": "lost", "reason": " "})
    assert response.status_code == 400 and "Say why it was lost." in response.content.decode()
    assert Opportunity.objects.get().status == "open"
    page = client.post(
        url, {"outcome": "lost", "reason": "Price too high"}, follow=True
    ).content.decode()
    assert "Closed as lost." in page and "Price too high" in page
    assert 'id="close-form"' not in page and 'id="advance-form"' not in page
    closed = Opportunity.objects.get()
    assert (closed.status, closed.lost_reason) == ("lost", "Price too high")
    assert StageChange.objects.filter(opportunity=closed, status="lost").count() == 1
    again = client.post(url, {"outcome": "won"}, follow=True).content.decode()
    assert "already closed" in again and Opportunity.objects.get().status == "lost"


def test_a_manager_closes_their_reps_deal_as_won(client, cast):
    opportunity = deal(cast.alice, register(cast.alice, "Acme Tools"))
    client.force_login(cast.carol)
    url = reverse("opportunity-close", kwargs={"opportunity_id": opportunity.pk})
    assert "Closed as won." in client.post(url, {"outcome": "won"}, follow=True).content.decode()
    assert Opportunity.objects.get().status == "won"


def test_the_list_shows_each_person_what_they_may_see_with_totals(client, cast):
    acme = register(cast.alice, "Acme Tools")
    deal(cast.alice, acme, "Alice small", "1000")
    deal(cast.alice, acme, "Alice big", "3000")
    deal(cast.bob, register(cast.bob, "Bobs Bau"), "Bob one", "500")
    deal(cast.dave, register(cast.dave, "Delta Trading"), "Dave one", "700")
    client.force_login(cast.alice)
    response = client.get(LIST)
    titles = {o.title for o in response.context["page"]}
    assert titles == {"Alice small", "Alice big"}
    (total,) = response.context["totals"]
    assert (total.count, total.amount, total.weighted) == (2, Decimal("4000"), Decimal("400.00"))
    assert "weighted 400.00 CNY" in response.content.decode()
    client.force_login(cast.carol)
    titles = {o.title for o in client.get(LIST).context["page"]}
    assert titles == {"Alice small", "Alice big", "Bob one"}
    response = client.get(LIST, {"owner": cast.bob.pk})
    assert [o.title for o in response.context["page"]] == ["Bob one"]
    client.force_login(cast.diana)
    assert client.get(LIST, {"q": "delta"}).context["page"].paginator.count == 1


def test_the_list_filters_by_status_and_stage(client, cast):
    acme = register(cast.alice, "Acme Tools")
    kept = deal(cast.alice, acme, "Still open")
    won = deal(cast.alice, acme, "Done deal")
    opportunity_close(user=cast.alice, opportunity_id=won.pk, won=True)
    client.force_login(cast.alice)
    assert [o.title for o in client.get(LIST).context["page"]] == ["Still open"]
    assert [o.title for o in client.get(LIST, {"status": "won"}).context["page"]] == ["Done deal"]
    assert client.get(LIST, {"status": "all"}).context["page"].paginator.count == 2
    assert client.get(LIST, {"status": "bogus"}).context["filters"]["status"] == "open"
    lead, qualified = stages_ensure_default()[:2]
    assert client.get(LIST, {"stage": lead.pk}).context["page"].paginator.count == 1
    assert client.get(LIST, {"stage": qualified.pk}).context["page"].paginator.count == 0
    assert kept.pk


def test_a_page_of_the_list_costs_the_same_queries_for_few_and_many(client, cast):
    acme = register(cast.alice, "Acme Tools")
    client.force_login(cast.carol)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured)

    deal(cast.alice, acme, "one")
    few = queries()
    for n in range(20):
        deal(cast.alice, acme, f"deal {n}")
    assert queries() == few
