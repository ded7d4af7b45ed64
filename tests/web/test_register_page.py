"""The registration page: register, collide, confirm a possible duplicate, and the live check."""

import pytest
from django.test import Client
from django.urls import reverse

from guishu.customers.models import Customer
from guishu.disputes.models import Collision
from tests.factories import register

pytestmark = pytest.mark.db_facing


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_registering_leads_to_the_customer_with_its_protection_date(cast):
    response = client_for(cast.alice).post(
        reverse("customer-register"),
        {
            "name": "Nordlicht Optik GmbH",
            "kind": "company",
            "level": "B",
            "phones": "+49 30 1234567",
            "country": "DE",
        },
        follow=True,
    )

    customer = Customer.objects.get()
    assert response.redirect_chain[-1][0] == reverse("customer-detail", args=[customer.pk])
    assert "Registered Nordlicht Optik GmbH: protected until" in response.content.decode()


def test_a_collision_is_explained_and_what_was_typed_stays_in_the_form(cast):
    register(
        cast.alice, "Acme Tools", phones=("+86 138 0013 8000",), emails=("li.wei@acme-tools.com",)
    )

    response = client_for(cast.dave).post(
        reverse("customer-register"),
        {
            "name": "Acme Tools Co., Ltd.",
            "kind": "company",
            "level": "C",
            "phones": "13800138000",
            "city": "Ningbo-typed",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "refused: protected for Alice until" in page
    assert "exists — owned by Alice (East) since" in page
    assert "li.wei" not in page  # another rep's contact details stay masked
    assert 'value="Acme Tools Co., Ltd."' in page and "Ningbo-typed" in page
    assert Collision.objects.filter(attempted_by=cast.dave).exists()


def test_a_possible_duplicate_needs_the_box_ticked(cast):
    register(cast.alice, "苏州恒达精密机械有限公司")
    data = {"name": "恒达机械", "kind": "company", "level": "C"}
    client = client_for(cast.bob)

    held = client.post(reverse("customer-register"), data)
    assert "I have checked: this is a different customer" in held.content.decode()
    assert Customer.objects.count() == 1

    done = client.post(reverse("customer-register"), {**data, "confirm_distinct": "on"})
    assert done.status_code == 302 and Customer.objects.count() == 2


def test_the_live_check_answers_with_the_matches_panel_in_chinese(cast):
    register(cast.alice, "北京字节跳动科技有限公司", phones=("010-58256688",))
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(cast.bob)

    response = client.post(reverse("customer-precheck"), {"name": "字節跳動(北京)科技"})

    page = response.content.decode()
    assert "同一客户" in page and "已存在——自" in page and "Alice（East）负责" in page
    assert not Collision.objects.exists()


def test_the_form_cannot_set_ownership(cast):
    """Fields the form does not declare are ignored: the registering rep owns the customer,
    protected for the policy's period, whatever else was posted."""
    from guishu.ownership.models import Ownership

    client_for(cast.alice).post(
        reverse("customer-register"),
        {
            "name": "Morgenrot Pumpen GmbH",
            "kind": "company",
            "level": "C",
            "owner": cast.bob.pk,
            "owner_id": cast.bob.pk,
            "protected_until": "2099-01-01",
            "created_by": cast.bob.pk,
        },
    )
    term = Ownership.objects.get(customer__name="Morgenrot Pumpen GmbH")
    assert term.owner == cast.alice and term.customer.created_by == cast.alice
    assert term.protected_until is not None and term.protected_until.year < 2099
