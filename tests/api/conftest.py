"""Fixtures for the API: clients signed in as each person of the cast, and a small world of
customers seen from Alice's customer "Acme"."""

import secrets
import string
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from guishu.accounts.models import User
from guishu.activities.services import order_record
from guishu.customers.contacts import contact_add
from guishu.customers.inputs import ContactInput
from guishu.disputes.models import Collision
from guishu.ownership.registration import customer_register
from guishu.ownership.services import pool_release
from guishu.pools.models import Pool
from tests.factories import customer_input, register

PEOPLE = ("anonymous", "alice", "bob", "dave", "carol", "wendy", "diana", "admin")


def unique_digits(n: int) -> str:
    return "".join(secrets.choice(string.digits) for _ in range(n))


def unique_word() -> str:
    """A made-up word, so each world's customers match nothing from another world."""
    return "".join(secrets.choice(string.ascii_lowercase) for _ in range(9)).capitalize()


@dataclass
class World:
    people: dict[str, User | None]
    acme: int  # Alice's, with a phone, an e-mail and a contact
    delta: int  # Dave's
    pooled: int  # released by Bob
    contact: int  # on Acme
    order: int  # on Acme
    collision: int  # Bob tried to register Acme
    pool: int  # open to everyone
    acme_name: str
    # Acme's contact details, and its contact's: no one but its seers may ever read them.
    secrets: tuple[str, ...]

    def client(self, person: str) -> APIClient:
        # English unless a test asks otherwise: tests compare messages in English.
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        user = self.people[person]
        if user is not None:
            client.force_authenticate(user)
        return client


def build_world(cast: Any, wendy: User) -> World:
    word = unique_word()
    acme_name = f"{word} Tools Ltd"
    phone, email = (
        f"+86 138 {unique_digits(4)} {unique_digits(4)}",
        f"li.wei@{word.lower()}-tools.com",
    )
    contact_phone = f"+86 139 {unique_digits(4)} {unique_digits(4)}"
    contact_email = f"zhang.min@{word.lower()}-tools.com"
    acme = register(cast.alice, acme_name, phones=(phone,), emails=(email,))
    contact = contact_add(
        user=cast.alice,
        customer_id=acme.pk,
        data=ContactInput(name="Zhang Min", phone=contact_phone, email=contact_email),
    ).contact
    assert contact is not None
    now = timezone.now()
    order = order_record(
        user=cast.alice,
        customer_id=acme.pk,
        number=f"SO-{word}",
        amount=1000,
        ordered_at=now - timedelta(hours=1),
    ).order
    assert order is not None
    refused = customer_register(user=cast.bob, data=customer_input(acme_name))
    assert refused.collision is not None
    pooled = register(cast.bob, f"{unique_word()} Pumps GmbH")
    assert pool_release(user=cast.bob, customer_id=pooled.pk).accepted
    delta = register(cast.dave, f"{unique_word()} Trading Co")
    return World(
        people={
            "anonymous": None,
            "alice": cast.alice,
            "bob": cast.bob,
            "dave": cast.dave,
            "carol": cast.carol,
            "wendy": wendy,
            "diana": cast.diana,
            "admin": cast.admin,
        },
        acme=acme.pk,
        delta=delta.pk,
        pooled=pooled.pk,
        contact=contact.pk,
        order=order.pk,
        collision=refused.collision.pk,
        pool=Pool.objects.get_or_create(name="Open pool", defaults={"priority": 50})[0].pk,
        acme_name=acme_name,
        secrets=(phone, email, contact_phone, contact_email),
    )


@pytest.fixture
def world(cast: Any, wendy: User) -> World:
    return build_world(cast, wendy)


@pytest.fixture
def new_world(cast: Any, wendy: User) -> Any:
    """A factory: a fresh world for each person of a row that changes things."""
    return lambda: build_world(cast, wendy)


__all__ = ["PEOPLE", "Collision", "World"]
