"""The pool page as reps use it: whom it shows, masked contacts, the claim in place with the
day's allowance, refusals in the rules' words, and what a page of it costs."""

import dataclasses
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import override

from guishu.ownership.policies import policy_in_force
from guishu.ownership.selectors import customers_owned_by
from guishu.ownership.services import pool_release
from guishu.pools.models import Pool, PoolPlacement
from tests.factories import register

pytestmark = pytest.mark.db_facing

POOL = reverse("pool-list")


@pytest.fixture
def client(client):  # type: ignore[no-untyped-def]
    """The pages in English, so the tests can read them."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def claim_url(customer) -> str:  # type: ignore[no-untyped-def]
    return reverse("pool-claim", kwargs={"customer_id": customer.pk})


def pooled(owner, name: str, **fields):  # type: ignore[no-untyped-def]
    customer = register(owner, name, **fields)
    assert pool_release(user=owner, customer_id=customer.pk).accepted
    return customer


def test_the_pool_lists_pooled_customers_only(client, cast):
    pooled(cast.bob, "Hafen Logistik GmbH")
    register(cast.bob, "Bobs Own Ltd")
    client.force_login(cast.alice)
    html = client.get(POOL).content.decode()
    assert "Hafen Logistik GmbH" in html
    assert "Bobs Own Ltd" not in html


def test_contacts_are_masked_while_the_policy_hides_them(client, cast):
    pooled(cast.bob, "Hafen Logistik GmbH", phones=("+8613800138000",))
    client.force_login(cast.alice)
    assert "+8613800138000" in client.get(POOL).content.decode()
    hidden = dataclasses.replace(policy_in_force(), pool_contacts_hidden=True)
    with mock.patch("guishu.web.views_pool.policy_for", return_value=hidden):
        html = client.get(POOL).content.decode()
    assert "+8613800138000" not in html and "+86138****8000" in html


def test_a_claim_answers_in_place_with_the_allowance(client, cast):
    customer = pooled(cast.bob, "Hafen Logistik GmbH")
    client.force_login(cast.alice)
    with override("en"):
        html = client.post(claim_url(customer), HTTP_HX_REQUEST="true").content.decode()
    assert "Claimed: it is yours now." in html
    assert 'hx-swap-oob="true"' in html
    assert "<strong data-claims-left>9</strong> of 10" in html
    assert "<strong data-held>1</strong> of 200" in html


def test_a_refused_claim_names_the_rule_and_when_to_retry(client, cast):
    customer = pooled(cast.bob, "Hafen Logistik GmbH")
    client.force_login(cast.bob)  # Bob just lost it: the cool-down holds
    with override("en"):
        html = client.post(claim_url(customer), HTTP_HX_REQUEST="true").content.decode()
    assert "Not claimed." in html and "cool_down" in html
    assert "You can try again from" in html
    assert "<strong data-claims-left>10</strong>" in html


def test_without_htmx_a_claim_goes_to_the_customer(client, cast):
    customer = pooled(cast.bob, "Hafen Logistik GmbH")
    client.force_login(cast.alice)
    response = client.post(claim_url(customer))
    assert response.status_code == 302
    assert response["Location"] == reverse("customer-detail", kwargs={"customer_id": customer.pk})


def test_a_customer_claimed_meanwhile_is_gone_not_leaked(client, cast):
    customer = pooled(cast.bob, "Hafen Logistik GmbH")
    client.force_login(cast.alice)
    client.post(claim_url(customer))
    client.force_login(cast.dave)
    with override("en"):
        html = client.post(claim_url(customer), HTTP_HX_REQUEST="true").content.decode()
    assert "no longer in the pool" in html and "Alice" not in html
    assert client.post(claim_url(customer)).status_code == 404


def test_pools_the_rep_is_not_eligible_for_stay_hidden(client, cast):
    west_only = Pool.objects.create(name="West pool", priority=1)
    west_only.eligible_teams.add(cast.west)
    customer = pooled(cast.bob, "Hafen Logistik GmbH")
    PoolPlacement.objects.update_or_create(customer=customer, defaults={"pool": west_only})
    client.force_login(cast.alice)
    assert "Hafen Logistik GmbH" not in client.get(POOL).content.decode()
    assert client.post(claim_url(customer)).status_code == 404
    client.force_login(cast.dave)
    html = client.get(POOL, {"pool": west_only.pk}).content.decode()
    assert "Hafen Logistik GmbH" in html


def test_filters_narrow_the_pool(client, cast):
    pooled(cast.bob, "Hafen Logistik GmbH", level="A", country="DE")
    pooled(cast.bob, "Lotus Ceramics", level="C", country="CN", phones=("+8613800138001",))
    client.force_login(cast.alice)
    html = client.get(POOL, {"level": "A"}).content.decode()
    assert "Hafen Logistik GmbH" in html and "Lotus Ceramics" not in html
    html = client.get(POOL, {"country": "cn"}).content.decode()
    assert "Lotus Ceramics" in html and "Hafen Logistik GmbH" not in html
    html = client.get(POOL, {"q": "lotus"}).content.decode()
    assert "Lotus Ceramics" in html and "Hafen Logistik GmbH" not in html


def test_a_page_of_the_pool_costs_the_same_for_2_or_12(client, cast):
    client.force_login(cast.alice)

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(POOL).status_code == 200
        return len(queries)

    for n in range(2):
        pooled(cast.bob, f"Pooled {n} Ltd", phones=(f"+861380013{n:04d}",))
    few = cost()
    for n in range(2, 12):
        pooled(cast.bob, f"Pooled {n} Ltd", phones=(f"+861380013{n:04d}",))
    assert cost() == few


def test_directors_see_the_pool_but_no_claim_buttons(client, cast):
    pooled(cast.bob, "Hafen Logistik GmbH")
    client.force_login(cast.diana)
    html = client.get(POOL).content.decode()
    assert "Hafen Logistik GmbH" in html and "claim-button" not in html


def test_a_manager_assigns_a_pooled_customer_from_the_pool(client, cast):
    customer = pooled(cast.bob, "Hafen Logistik GmbH")
    client.force_login(cast.alice)
    assert "assign-form" not in client.get(POOL).content.decode()  # reps claim, not assign
    client.force_login(cast.carol)
    assert "assign-form" in client.get(POOL).content.decode()
    response = client.post(
        reverse("manager-reassign", kwargs={"customer_id": customer.pk}),
        {"to": cast.alice.pk, "back": "pool"},
    )
    assert response["Location"] == POOL
    assert [c.name for c in customers_owned_by(cast.alice)] == ["Hafen Logistik GmbH"]
