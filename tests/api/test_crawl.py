"""A crawl as other people finds none of Acme's phone numbers or e-mails anywhere.

Bob (Alice's teammate, who once collided with Acme), Dave (another team) and Wendy
(another team's manager) walk every page and every API endpoint they can reach, follow every
id they are given, and search for Acme by its name, phone and e-mail. Acme's contact details
(in every spelling a phone can take) must appear in no response.
"""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.api.conftest import World

pytestmark = pytest.mark.db_facing


def spellings(secret: str) -> set[str]:
    """A phone as typed, in E.164, as bare digits and without the country code; an e-mail
    as typed and lower-cased."""
    if "@" in secret:
        return {secret, secret.lower()}
    digits = re.sub(r"\D", "", secret)
    return {secret, f"+{digits}", digits, digits.removeprefix("86")}


class Crawler:
    def __init__(self, world: World, person: str) -> None:
        self.world = world
        self.api = world.client(person)
        self.pages = Client()
        self.pages.force_login(world.people[person])  # type: ignore[arg-type]
        # (url, body, what the crawler typed into that request)
        self.bodies: list[tuple[str, str, set[str]]] = []

    def _keep(self, url: str, response: Any, sent: dict[str, Any]) -> None:
        typed = set()
        for value in sent.values():
            for item in value if isinstance(value, list) else [value]:
                typed |= spellings(str(item))
        self.bodies.append((url, response.content.decode(), typed))

    def get(self, url: str, **params: Any) -> Any:
        response = self.api.get(url, params)
        self._keep(url, response, params)
        return response.json() if response["Content-Type"].endswith("json") else None

    def post(self, url: str, data: dict[str, Any]) -> None:
        response = self.api.post(url, data, format="json")
        self._keep(url, response, data)

    def page(self, url: str, method: str = "get", data: dict[str, Any] | None = None) -> None:
        response = getattr(self.pages, method)(url, data or {})
        self._keep(url, response, data or {})

    def walk(self) -> None:
        world = self.world
        self.get("/api/v1/me/")
        self.get("/api/v1/policy/")
        self.get("/api/v1/users/")
        self.get("/api/v1/teams/")
        customers = self.get("/api/v1/customers/", page_size=200)["results"]
        for row in customers:
            base = f"/api/v1/customers/{row['id']}/"
            self.get(base)
            self.get(base + "ownership/")
            self.get(base + "contacts/")
            self.get(base + "activities/")
            for order in self.get(base + "orders/")["results"]:
                self.get(f"/api/v1/orders/{order['id']}/collections/")
            self.page(reverse("customer-detail", kwargs={"customer_id": row["id"]}))
        # Straight at Acme, whose id leaked somehow: every door must be shut.
        base = f"/api/v1/customers/{world.acme}/"
        for suffix in ("", "ownership/", "contacts/", "activities/", "orders/"):
            self.get(base + suffix)
        self.get(f"{base}contacts/{world.contact}/")
        self.get(f"/api/v1/orders/{world.order}/collections/")
        self.page(reverse("customer-detail", kwargs={"customer_id": world.acme}))
        collisions = self.get("/api/v1/collisions/")["results"]
        for collision in collisions:
            self.get(f"/api/v1/collisions/{collision['id']}/")
        self.get(f"/api/v1/collisions/{world.collision}/")
        # Searching for Acme by everything the crawler might know about it.
        for query in (world.acme_name, *world.secrets):
            self.get("/api/v1/lookup/", q=query)
            self.post("/api/v1/registrations/check/", {"name": query})
            self.page(reverse("customer-precheck"), "post", {"name": query})
            self.page(reverse("customer-list"), data={"q": query})
        self.post("/api/v1/registrations/check/", {"phones": [world.secrets[0]]})
        self.post("/api/v1/registrations/check/", {"emails": [world.secrets[1]]})
        self.page(reverse("customer-list"))
        self.page(reverse("customer-register"))

    def leaks(self, secrets: tuple[str, ...]) -> list[tuple[str, str]]:
        """(url, secret) for every response that shows a secret the crawler did not type
        into that very request (a search may echo its own query; nothing more)."""
        found = []
        for url, body, typed in self.bodies:
            for secret in secrets:
                for spelling in spellings(secret) - typed:
                    if spelling in body:
                        found.append((url, spelling))
        return found


@pytest.mark.parametrize("person", ["bob", "dave", "wendy"])
def test_no_crawl_finds_acmes_contact_details(world: World, person: str):
    crawler = Crawler(world, person)
    crawler.walk()
    assert len(crawler.bodies) > 40
    assert crawler.leaks(world.secrets) == []


def test_searches_do_not_reveal_details_beyond_what_was_typed(world: World):
    """Searching by Acme's phone echoes that phone at most, never its e-mails or the
    contact's details."""
    crawler = Crawler(world, "bob")
    phone, email, contact_phone, contact_email = world.secrets
    crawler.get("/api/v1/lookup/", q=phone)
    crawler.post("/api/v1/registrations/check/", {"phones": [phone]})
    crawler.page(reverse("customer-precheck"), "post", {"phones": phone})
    assert crawler.leaks((email, contact_phone, contact_email)) == []
    assert any("Alice" in body for _, body, _ in crawler.bodies)


def test_the_crawler_would_notice_a_leak(world: World):
    """The crawl's own check: Alice, who owns Acme, does see its details."""
    crawler = Crawler(world, "alice")
    crawler.get(f"/api/v1/customers/{world.acme}/")
    crawler.get(f"/api/v1/customers/{world.acme}/contacts/")
    assert {secret for _, secret in crawler.leaks(world.secrets)} >= {
        world.secrets[0],
        world.secrets[3],
    }
