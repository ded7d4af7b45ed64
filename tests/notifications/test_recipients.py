"""Who hears of what: each kind of event reaches exactly the people it concerns (never the
one who acted), through the real ownership services and the real sweep, and no notice
carries the contact details of a customer its reader may not see."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import translation
from rest_framework.test import APIClient

from guishu.domain import ReclaimRule
from guishu.notifications import texts
from guishu.notifications.fanout import notifications_fanout
from guishu.notifications.models import Notification
from guishu.notifications.protection import protection_ending_notify
from guishu.ownership.registration import customer_register
from guishu.ownership.services import (
    customer_assign,
    customer_reclaim,
    customer_transfer,
    pool_claim,
    pool_release,
)
from guishu.ownership.sweep import ownership_sweep
from tests.factories import customer_input, register
from tests.notifications.conftest import NOW, deliver, make_channel, told

pytestmark = pytest.mark.db_facing

DAY = timedelta(days=1)


def text_of(notification: Notification) -> str:
    with translation.override("en"):
        return texts.render(notification.message, notification.params)


def released_by_bob(cast):  # type: ignore[no-untyped-def]
    customer = register(cast.bob, "Pumpenwerk Ost GmbH", now=NOW - 5 * DAY)
    assert pool_release(user=cast.bob, customer_id=customer.pk, now=NOW - 2 * DAY).accepted
    return customer


def test_a_claim_tells_the_former_owner_and_the_claimers_manager(cast):
    customer = released_by_bob(cast)
    assert pool_claim(user=cast.alice, customer_id=customer.pk, now=NOW).accepted
    notifications_fanout(now=NOW)
    assert sorted(told()) == [("bob", "claimed"), ("carol", "claimed")]
    assert {text_of(n) for n in Notification.objects.all()} == {
        "Alice claimed Pumpenwerk Ost GmbH from the pool; it was Bob's before"
    }


def test_a_claim_by_a_rep_without_a_manager_tells_only_the_former_owner(cast):
    customer = released_by_bob(cast)
    assert pool_claim(user=cast.dave, customer_id=customer.pk, now=NOW).accepted
    notifications_fanout(now=NOW)
    assert told() == [("bob", "claimed")]


def test_an_assignment_tells_the_receiving_rep_not_the_manager_who_assigned(cast):
    customer = released_by_bob(cast)
    assert customer_assign(
        user=cast.carol, customer_id=customer.pk, to=cast.alice, now=NOW
    ).accepted
    notifications_fanout(now=NOW)
    assert told() == [("alice", "assigned")]
    assert text_of(Notification.objects.get()) == "Carol assigned Pumpenwerk Ost GmbH to Alice"


def test_a_handover_by_a_manager_tells_the_giver_and_the_receiver(cast):
    customer = register(cast.alice, "Shenzhen Hengda Motors", now=NOW - DAY)
    assert customer_transfer(
        user=cast.carol, customer_id=customer.pk, to=cast.bob, now=NOW
    ).accepted
    notifications_fanout(now=NOW)
    assert sorted(told()) == [("alice", "transferred"), ("bob", "transferred")]
    assert {text_of(n) for n in Notification.objects.all()} == {
        "Carol handed Shenzhen Hengda Motors over from Alice to Bob"
    }


def test_a_rep_handing_over_their_own_customer_is_not_told_of_it_the_receiver_is(cast):
    customer = register(cast.alice, "Shenzhen Hengda Motors", now=NOW - DAY)
    assert customer_transfer(
        user=cast.alice, customer_id=customer.pk, to=cast.bob, now=NOW
    ).accepted
    notifications_fanout(now=NOW)
    assert told() == [("bob", "transferred")]
    assert text_of(Notification.objects.get()) == "Alice handed Shenzhen Hengda Motors over to Bob"


def test_a_reclaim_tells_the_former_owner(cast):
    customer = register(cast.alice, "Lagos Agro Ltd", level="A", now=NOW - 40 * DAY)
    assert customer_reclaim(
        customer_id=customer.pk, rule=ReclaimRule.NO_FOLLOW_UP, now=NOW
    ).accepted
    notifications_fanout(now=NOW)
    assert told() == [("alice", "reclaimed")]
    assert text_of(Notification.objects.get()) == (
        "Lagos Agro Ltd was reclaimed from Alice to the pool: no valid follow-up"
    )


def test_the_sweeps_bulk_reclaims_and_warnings_are_told_though_they_send_no_signals(cast):
    register(cast.alice, "Due Trading Co", level="A", now=NOW - 40 * DAY)
    register(cast.bob, "Nearly Due Trading Co", level="C", now=NOW - 58 * DAY)
    report = ownership_sweep(now=NOW)
    assert report.reclaimed_total == 1 and report.warned == 1
    notifications_fanout(now=NOW)
    assert sorted(told()) == [("alice", "reclaimed"), ("bob", "reclaim_warning")]
    warning = Notification.objects.get(kind="reclaim_warning")
    assert text_of(warning) == (
        "Nearly Due Trading Co (Bob) returns to the pool on 2026-11-22 unless it is worked: "
        "no valid follow-up"
    )


def test_a_collision_tells_the_owner_not_the_rep_who_collided(cast):
    register(cast.alice, "Mueller Industrietechnik GmbH", now=NOW - DAY)
    refused = customer_register(
        user=cast.bob, data=customer_input("Mueller Industrietechnik GmbH"), now=NOW
    )
    assert refused.collision is not None
    notifications_fanout(now=NOW)
    assert told() == [("alice", "collision")]
    assert text_of(Notification.objects.get()) == (
        "Collision on Mueller Industrietechnik GmbH (Alice): registration by Bob"
    )


def test_protection_ending_tells_the_owner_days_ahead_once(cast, settings):
    register(cast.alice, "Ends Soon Ltd", now=NOW - 28 * DAY)  # protected for 30 days
    register(cast.alice, "Ends Later Ltd", now=NOW - 20 * DAY)
    assert protection_ending_notify(now=NOW) == 1
    assert protection_ending_notify(now=NOW + timedelta(hours=6)) == 1
    assert told() == [("alice", "protection_ending")]
    assert text_of(Notification.objects.get()) == (
        "Alice's protection of Ends Soon Ltd ends on 2026-11-22"
    )
    settings.GUISHU_NOTIFICATIONS_PROTECTION_DAYS = 11
    protection_ending_notify(now=NOW)
    assert told() == [("alice", "protection_ending")] * 2


def test_nobody_disabled_is_told(cast):
    register(cast.alice, "Mueller Industrietechnik GmbH", now=NOW - DAY)
    cast.alice.is_active = False
    cast.alice.save(update_fields=["is_active"])
    customer_register(user=cast.bob, data=customer_input("Mueller Industrietechnik GmbH"))
    notifications_fanout(now=NOW)
    assert told() == []


# --- masking --------------------------------------------------------------------------------

PHONE, EMAIL = "+86 138 0013 8000", "li.wei@acme-tools.example"
SPELLINGS = ("138 0013 8000", "13800138000", "8000", "li.wei", "acme-tools")


def test_a_former_owner_learns_names_and_owners_never_the_contact_details(cast, webhook_server):
    make_channel(webhook_server, team=cast.east)  # East's group chat: Alice's team
    cast.alice.email = "alice@guishu.example"
    cast.alice.save(update_fields=["email"])
    acme = register(cast.alice, "Acme Tools Ltd", phones=(PHONE,), emails=(EMAIL,), now=NOW)
    # The director moves Acme to Dave (West): Alice may no longer see it in full.
    assert customer_transfer(user=cast.diana, customer_id=acme.pk, to=cast.dave, now=NOW).accepted
    deliver()
    assert sorted(told()) == [("alice", "transferred"), ("dave", "transferred")]

    alice = APIClient()
    alice.force_authenticate(cast.alice)
    inbox = alice.get("/api/v1/notifications/")
    [entry] = inbox.json()["results"]
    assert entry["customer"] == {"id": None, "name": "Acme Tools Ltd"}
    assert entry["text"] == "Diana handed Acme Tools Ltd over from Alice to Dave"
    dave = APIClient()
    dave.force_authenticate(cast.dave)
    assert dave.get("/api/v1/notifications/").json()["results"][0]["customer"]["id"] == acme.pk

    [email] = mail.outbox
    [posted] = webhook_server.received
    for seen in (inbox.content.decode(), email.body, email.subject, str(posted.body)):
        assert "Acme Tools Ltd" in seen or seen == email.subject
        for spelling in SPELLINGS:
            assert spelling not in seen
