"""The customer page: the decision chain, quick entry on the timeline (htmx and plain), orders
and collections, collaborators, and masking."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guishu.activities.models import Activity
from guishu.activities.services import collection_record, order_record
from guishu.customers.inputs import ContactInput
from guishu.disputes.collaboration import collaboration_add
from tests.factories import register

pytestmark = pytest.mark.db_facing


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def detail(customer) -> str:  # type: ignore[no-untyped-def]
    return reverse("customer-detail", args=[customer.pk])


def log_url(customer) -> str:  # type: ignore[no-untyped-def]
    return reverse("customer-activity-log", args=[customer.pk])


def follow_up(**fields: str) -> dict[str, str]:
    moment = timezone.localtime() - timedelta(hours=1)
    return {
        "kind": "call",
        "channel": "phone",
        "occurred_at": moment.strftime("%Y-%m-%dT%H:%M"),
        "outcome": "Asked for a quote",
        **fields,
    }


def test_contacts_are_grouped_by_their_place_in_the_decision_chain(cast):
    customer = register(
        cast.alice,
        "Acme Tools",
        contacts=(
            ContactInput(name="Wang Wu", chain_role="user", stance="neutral"),
            ContactInput(name="Li Lei", chain_role="decision_maker", stance="supporter"),
            ContactInput(name="Zhao Liu"),
        ),
    )
    html = client_for(cast.alice).get(detail(customer)).content.decode()
    decision, user, unassigned = (
        html.index("Decision maker"),
        html.index(">User<"),
        html.index("No role recorded"),
    )
    assert decision < html.index("Li Lei") < user < html.index("Wang Wu") < unassigned
    assert "Supporter" in html and "Neutral" in html


def test_quick_entry_logs_a_follow_up_and_answers_htmx_with_the_timeline(cast):
    customer = register(cast.alice, "Acme Tools")
    response = client_for(cast.alice).post(log_url(customer), follow_up(), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Follow-up logged." in html and "Asked for a quote" in html
    assert "<html" not in html  # the timeline alone
    activity = Activity.objects.get()
    assert activity.by == cast.alice and activity.kind == "call"


def test_a_plain_post_goes_back_to_the_page(cast):
    customer = register(cast.alice, "Acme Tools")
    response = client_for(cast.alice).post(log_url(customer), follow_up())
    assert response.status_code == 302 and response["Location"] == detail(customer)


def test_errors_are_shown_inline_and_nothing_is_logged(cast):
    customer = register(cast.alice, "Acme Tools")
    future = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client_for(cast.alice).post(
        log_url(customer), follow_up(occurred_at=future), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "A follow-up cannot be in the future." in html
    assert 'value="Asked for a quote"' in html  # what was typed stays
    missing = client_for(cast.alice).post(log_url(customer), {}, HTTP_HX_REQUEST="true")
    assert "This field is required." in missing.content.decode()
    assert not Activity.objects.exists()


def test_a_pooled_customers_follow_up_is_refused_with_the_reason(cast):
    from guishu.ownership.services import pool_release

    customer = register(cast.bob, "Pooled Ltd")
    assert pool_release(user=cast.bob, customer_id=customer.pk).accepted
    response = client_for(cast.alice).post(log_url(customer), follow_up(), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not Activity.objects.exists()


def test_another_reps_customer_cannot_be_worked_from_the_page(cast):
    customer = register(cast.alice, "Acme Tools")
    response = client_for(cast.bob).post(log_url(customer), follow_up())
    assert response.status_code == 404
    assert not Activity.objects.exists()


def test_orders_collections_and_collaborators_are_shown(cast):
    now = timezone.now()
    customer = register(cast.alice, "Acme Tools", now=now - timedelta(days=10))
    collaboration_add(
        user=cast.alice,
        customer_id=customer.pk,
        collaborator=cast.bob,
        share=Decimal("30"),
        now=now - timedelta(days=5),
    )
    order = order_record(
        user=cast.alice,
        customer_id=customer.pk,
        number="PO-7",
        amount=Decimal("1000.00"),
        ordered_at=now - timedelta(days=2),
    ).order
    assert order is not None
    collection_record(user=cast.alice, order=order, amount=Decimal("400.00"), received_at=now)
    html = client_for(cast.alice).get(detail(customer)).content.decode()
    assert "PO-7" in html and "1000.00 CNY" in html and "400.00 CNY" in html
    assert "Alice 70%" in html and "Bob 30%" in html
    assert "30% of the credit" in html and "Alice is credited the rest." in html


def test_the_page_is_titled_by_the_customer_and_shows_the_ownership_history(cast):
    customer = register(cast.alice, "Acme Tools")
    html = client_for(cast.alice).get(detail(customer)).content.decode()
    title = html[html.index("<title>") : html.index("</title>")]
    assert "Acme Tools" in title and "<section" not in title
    body = html[html.index("<main") :]
    assert 'id="history-title"' in body and "Registered" in body
    assert reverse("discipline-customer", args=[customer.pk]) in body
