"""An export never shows more than the API would: no export Bob, Dave or Wendy can download
holds Acme's phone numbers or e-mails in any spelling; Alice and Carol, who see Acme in full,
get them; pooled customers' details are masked exactly as the API masks them."""

import csv
import dataclasses
import io
import zipfile
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest

from guishu.disputes.collaboration import collaboration_add
from guishu.ownership.policies import policy_in_force
from guishu.ownership.services import pool_release
from tests.api.conftest import World, unique_word
from tests.api.matrix_disputes import bobs_dispute
from tests.api.test_crawl import spellings
from tests.exports.helpers import as_dicts, body_of, csv_table, xlsx_table
from tests.factories import register

pytestmark = pytest.mark.db_facing


def readable(response: Any) -> str:
    """Everything a file holds, as text: the CSV, or every XML part of the workbook."""
    data = body_of(response)
    if response["Content-Type"].startswith("text/csv"):
        return data.decode("utf-8")
    if response.status_code != 200:
        return data.decode("utf-8")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(archive.read(name).decode("utf-8") for name in archive.namelist())


class Downloader:
    """Downloads every export a person can reach, and keeps what each one held."""

    def __init__(self, world: World, person: str) -> None:
        self.world = world
        self.client = world.client(person)
        self.files: list[tuple[str, str]] = []

    def get(self, path: str, **params: Any) -> str:
        """Both formats of one export; the CSV's text."""
        for suffix in ("csv", "xlsx"):
            response = self.client.get(f"/api/v1/exports/{path}.{suffix}", params)
            self.files.append((f"{path}.{suffix} {params}", readable(response)))
        return self.files[-2][1]

    def walk(self) -> None:
        world = self.world
        ids: set[int] = set()
        for scope in ("visible", "mine", "team", "pool"):
            text = self.get("customers", scope=scope)
            rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
            ids |= {int(row["ID"]) for row in rows}
        self.get("customers", q=world.acme_name)
        for customer_id in sorted(ids | {world.acme, world.delta, world.pooled}):
            self.get(f"customers/{customer_id}/activities")
            self.get(f"customers/{customer_id}/orders")
        self.get("collisions")
        self.get("collisions", customer=world.acme)
        self.get("disputes")
        self.get("disputes", customer=world.acme)

    def leaks(self, secrets: tuple[str, ...]) -> list[tuple[str, str]]:
        return [
            (name, spelling)
            for name, text in self.files
            for secret in secrets
            for spelling in spellings(secret)
            if spelling in text
        ]


@pytest.mark.parametrize("person", ["bob", "dave", "wendy"])
def test_no_export_shows_acmes_contact_details_to_those_who_may_not_see_them(
    world: World, person: str
):
    bobs_dispute(world, "bob")  # a dispute on Acme, which Bob and the managers see
    downloader = Downloader(world, person)
    downloader.walk()
    assert len(downloader.files) > 20
    assert downloader.leaks(world.secrets) == []
    names = "".join(text for _, text in downloader.files)
    # Bob collided with Acme and disputes it: he sees that it exists, not its details.
    assert (world.acme_name in names) is (person == "bob")


def test_the_downloader_would_notice_a_leak(world: World):
    """The walk's own check: Alice, who owns Acme, does get its phone and e-mail."""
    downloader = Downloader(world, "alice")
    downloader.walk()
    assert {spelling for _, spelling in downloader.leaks(world.secrets[:2])} >= set(
        world.secrets[:2]
    )


@pytest.mark.parametrize("person", ["alice", "carol"])
def test_the_owner_and_her_manager_get_acmes_contact_details(world: World, person: str):
    phone, email = world.secrets[:2]
    for suffix, table in (("csv", csv_table), ("xlsx", xlsx_table)):
        response = world.client(person).get(f"/api/v1/exports/customers.{suffix}")
        (acme,) = [row for row in as_dicts(table(response)) if int(row["ID"]) == world.acme]
        assert (acme["Phones"], acme["E-mails"]) == (
            f"'{phone}" if suffix == "csv" else phone,
            email,
        )
        assert acme["Owner"] == "Alice"


def test_a_collaborator_gets_the_customer_in_full_as_in_the_api(world: World, cast: Any):
    collaboration_add(user=cast.alice, customer_id=world.acme, collaborator=cast.bob)
    rows = as_dicts(xlsx_table(world.client("bob").get("/api/v1/exports/customers.xlsx")))
    assert world.secrets[0] in {row["Phones"] for row in rows}
    response = world.client("bob").get(f"/api/v1/exports/customers/{world.acme}/orders.csv")
    assert response.status_code == 200


@pytest.fixture
def hidden_pool() -> Iterator[Any]:
    """The policy hides pooled customers' contact details until a claim."""
    policy = dataclasses.replace(policy_in_force(), pool_contacts_hidden=True)
    targets = ("guishu.api.customers", "guishu.exports.customers")
    patches = [mock.patch(f"{target}.policy_in_force", return_value=policy) for target in targets]
    for patch in patches:
        patch.start()
    yield policy
    for patch in patches:
        patch.stop()


def test_hidden_pool_details_are_masked_exactly_as_the_api_masks_them(
    world: World, cast: Any, hidden_pool: Any
):
    word = unique_word()
    phones = ("+86 755 8600 1234", "+49 30 1234567")
    emails = (f"sales@{word.lower()}.de",)
    websites = (f"www.{word.lower()}.de",)
    pooled = register(
        cast.bob,
        f"{word} Motors GmbH",
        aliases=(f"{word} 电机",),
        phones=phones,
        emails=emails,
        websites=websites,
    )
    assert pool_release(user=cast.bob, customer_id=pooled.pk).accepted
    alice = world.client("alice")
    shown = alice.get(f"/api/v1/customers/{pooled.pk}/").json()["identifiers"]

    def api(kind: str) -> str:
        return "; ".join(item["value"] for item in shown if item["kind"] == kind)

    expected = {
        "Other names": api("alias"),
        "Phones": api("phone"),
        "E-mails": api("email"),
        "Websites": api("website"),
    }
    assert expected["Other names"] == f"{word} 电机"  # other names are never masked
    assert "****" in expected["Phones"] and "***@" in expected["E-mails"]
    for suffix, table in (("csv", csv_table), ("xlsx", xlsx_table)):
        response = alice.get(f"/api/v1/exports/customers.{suffix}", {"scope": "pool"})
        (row,) = [r for r in as_dicts(table(response)) if int(r["ID"]) == pooled.pk]
        assert {key: row[key].lstrip("'") for key in expected} == expected
        text = readable(alice.get(f"/api/v1/exports/customers.{suffix}"))
        for phone in phones:
            assert not {spelling for spelling in spellings(phone) if spelling in text}
        for value in (*emails, *websites):
            assert value not in text
    # The owned customers keep their details: only pooled ones are hidden.
    rows = as_dicts(csv_table(alice.get("/api/v1/exports/customers.csv", {"scope": "mine"})))
    assert f"'{world.secrets[0]}" in {row["Phones"] for row in rows}


def test_collisions_show_what_the_collision_list_shows(world: World):
    for person, customer_id in (("bob", ""), ("alice", str(world.acme))):
        client = world.client(person)
        (listed,) = client.get("/api/v1/collisions/").json()["results"]
        (row,) = as_dicts(csv_table(client.get("/api/v1/exports/collisions.csv")))
        assert row["Customer ID"] == customer_id
        assert row["Reasons"] == "; ".join(listed["reasons"])
        assert row["Trace"] == "; ".join(listed["trace"])
        # What Bob typed is shown to Bob (and those above him), not to Alice.
        assert bool(row["What was typed"]) is (listed["submitted"] is not None)


def test_disputes_show_what_the_dispute_list_shows(world: World):
    dispute_id = bobs_dispute(world, "bob")["dispute_id"]
    for person, seen in (("bob", False), ("carol", True), ("alice", True)):
        rows = as_dicts(xlsx_table(world.client(person).get("/api/v1/exports/disputes.xlsx")))
        assert [(row["ID"], row["Customer ID"]) for row in rows] == [
            (dispute_id, world.acme if seen else None)
        ]
        assert rows[0]["Challenger"] == "Bob" and rows[0]["Reason"] == "I worked it first"
    assert csv_table(world.client("dave").get("/api/v1/exports/disputes.csv"))[1:] == []
