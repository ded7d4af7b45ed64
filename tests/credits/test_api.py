"""Credit shares and credits through the API: collaborators show and take a share, PATCH sets
it, orders and collections show who is credited what."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from guishu.accounts.models import User
from guishu.activities.services import order_record
from guishu.disputes.collaboration import collaboration_add
from tests.factories import make_user, register

pytestmark = pytest.mark.db_facing


def client(user: User) -> APIClient:
    signed_in = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    signed_in.force_authenticate(user)
    return signed_in


def test_a_collaborator_is_added_with_a_share_and_shows_it(cast):
    acme = register(cast.alice, "Acme Api Share Ltd")
    url = reverse("api-collaborators", kwargs={"customer_id": acme.pk})

    added = client(cast.alice).post(url, {"user": cast.bob.pk, "share": "40.50"}, format="json")
    assert added.status_code == 201, added.json()
    assert (added.json()["share"], added.json()["dispute"]) == ("40.50", None)

    erin = make_user("erin", team=cast.east)
    templated = client(cast.alice).post(url, {"user": erin.pk, "role": "assistant"}, format="json")
    assert templated.json()["share"] == "5.00"


def test_shares_over_100_answer_409_with_the_refusals_code(cast):
    acme = register(cast.alice, "Acme Api Over Ltd")
    collaboration_add(
        user=cast.alice, customer_id=acme.pk, collaborator=cast.bob, share=Decimal("60")
    )
    erin = make_user("erin", team=cast.east)
    url = reverse("api-collaborators", kwargs={"customer_id": acme.pk})

    refused = client(cast.alice).post(url, {"user": erin.pk, "share": "60"}, format="json")

    assert refused.status_code == 409
    assert refused.json()["code"] == "shares_over_100"
    assert "120.00%" in refused.json()["detail"]


def test_patch_sets_a_share_for_the_owner_and_refuses_others(cast):
    acme = register(cast.alice, "Acme Api Patch Ltd")
    erin = make_user("erin", team=cast.east)
    bob = collaboration_add(user=cast.alice, customer_id=acme.pk, collaborator=cast.bob)
    collaboration_add(user=cast.alice, customer_id=acme.pk, collaborator=erin, share=Decimal("50"))
    url = reverse("api-collaborator", kwargs={"customer_id": acme.pk, "collaboration_id": bob.pk})

    changed = client(cast.carol).patch(url, {"share": "45"}, format="json")
    assert changed.status_code == 200 and changed.json()["share"] == "45.00"
    over = client(cast.alice).patch(url, {"share": "50.01"}, format="json")
    assert over.status_code == 409 and over.json()["code"] == "shares_over_100"
    assert client(cast.bob).patch(url, {"share": "50"}, format="json").status_code == 403
    assert client(cast.dave).patch(url, {"share": "50"}, format="json").status_code == 404
    bad = client(cast.alice).patch(url, {"share": "12.345"}, format="json")
    assert bad.status_code == 400
    unknown = client(cast.alice).patch(url, {"share": "1", "role": "assistant"}, format="json")
    assert unknown.status_code == 400  # strict: nothing else is set here


def test_orders_and_collections_show_their_credits(cast):
    now = timezone.now()
    acme = register(cast.alice, "Acme Api Credits Ltd", now=now - timedelta(days=5))
    collaboration_add(
        user=cast.alice,
        customer_id=acme.pk,
        collaborator=cast.bob,
        share=Decimal("40"),
        now=now - timedelta(days=2),
    )
    orders = reverse("api-orders", kwargs={"customer_id": acme.pk})

    recorded = client(cast.alice).post(
        orders,
        {"number": "SO-API-1", "amount": "1000.00", "ordered_at": now.isoformat()},
        format="json",
    )
    assert recorded.status_code == 201, recorded.json()
    body = recorded.json()
    assert body["customer_status"] == "new"
    assert [(c["user"]["name"], c["role"], c["share"], c["amount"]) for c in body["credits"]] == [
        ("Alice", "owner", "60.00", "600.00"),
        ("Bob", "co_seller", "40.00", "400.00"),
    ]
    assert client(cast.alice).get(orders).json()["results"][0]["credits"] == body["credits"]

    collections = reverse("api-collections", kwargs={"order_id": body["id"]})
    paid = client(cast.alice).post(
        collections, {"amount": "250.01", "received_at": now.isoformat()}, format="json"
    )
    assert paid.status_code == 201, paid.json()
    assert [(c["user"]["name"], c["amount"]) for c in paid.json()["credits"]] == [
        ("Alice", "150.01"),
        ("Bob", "100.00"),
    ]
    listed = client(cast.alice).get(collections).json()["results"]
    assert listed[0]["credits"] == paid.json()["credits"]


def test_listing_orders_and_collections_costs_the_same_for_many(
    cast, django_assert_max_num_queries
):
    now = timezone.now()
    acme = register(cast.alice, "Acme Api Budget Ltd", now=now - timedelta(days=5))
    collaboration_add(user=cast.alice, customer_id=acme.pk, collaborator=cast.bob)
    first = None
    for n in range(12):
        order = order_record(
            user=cast.alice,
            customer_id=acme.pk,
            number=f"SO-B-{n}",
            amount=Decimal("10.00"),
            ordered_at=now - timedelta(hours=n),
        ).order
        assert order is not None
        first = first or order
    assert first is not None
    for _ in range(12):
        client(cast.alice).post(
            reverse("api-collections", kwargs={"order_id": first.pk}),
            {"amount": "1.00", "received_at": now.isoformat()},
            format="json",
        )

    signed_in = client(cast.alice)
    with django_assert_max_num_queries(5):
        listed = signed_in.get(reverse("api-orders", kwargs={"customer_id": acme.pk}))
        assert len(listed.json()["results"]) == 12
    with django_assert_max_num_queries(5):
        listed = signed_in.get(reverse("api-collections", kwargs={"order_id": first.pk}))
        assert len(listed.json()["results"]) == 12
