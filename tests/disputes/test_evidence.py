"""The evidence of a dispute, assembled from the records: both parties side by side, refused
touchpoints kept as evidence, nobody else's records, plain words in the reader's language, and
a query count that does not grow with the touchpoints.

The story is DOMAIN.md's case of reps A and B: Alice registered a German buyer a year ago and
sent a catalog once; Bob met the buyer months ago and worked it (his touchpoints mostly refused
at logging, since the customer was Alice's), got the buyer to accept an invitation to the
factory, then tried to register it and collided.
"""

import json
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import override

from guishu.activities.models import Activity
from guishu.activities.services import activity_log
from guishu.customers.inputs import CustomerInput
from guishu.customers.models import Customer
from guishu.disputes.evidence import dispute_evidence, dispute_evidence_text
from guishu.disputes.models import Collision, Dispute
from guishu.domain.trace import day
from guishu.ownership.registration import customer_register

pytestmark = pytest.mark.db_facing

NOW = timezone.now()
SITE = "mueller-industrietechnik.de"

# Bob's months with the buyer: (days ago, kind, channel, minutes, customer started it)
BOB_TOUCHES = (
    (150, "meeting", "in_person", 40, False),
    (141, "chat", "whatsapp", 20, True),
    (127, "quote", "email", 45, False),
    (113, "sample", "other", 20, False),
    (99, "chat", "whatsapp", 15, True),
    (41, "chat", "whatsapp", 10, True),
    (21, "invitation", "email", 5, True),
)
LOGGED_DIRECTLY = 2  # the first two are plain activity rows, the rest refused at logging


def ago(days: int) -> datetime:
    return NOW - timedelta(days=days)


def date(days: int) -> str:
    return day(ago(days), settings.TIME_ZONE)


def alice_registers(cast) -> Customer:  # type: ignore[no-untyped-def]
    result = customer_register(
        user=cast.alice,
        data=CustomerInput(name="Mueller Industrietechnik GmbH", websites=(f"www.{SITE}",)),
        first_contact_at=ago(359),
        now=ago(358),
    )
    assert result.customer is not None
    activity_log(
        user=cast.alice,
        customer_id=result.customer.pk,
        kind="catalog_sent",
        channel="platform",
        occurred_at=ago(357),
        duration_minutes=5,
        now=ago(357),
    )
    return result.customer


def bob_works(cast, customer: Customer, touches=BOB_TOUCHES) -> None:  # type: ignore[no-untyped-def]
    for index, (days, kind, channel, minutes, initiated) in enumerate(touches):
        if index < LOGGED_DIRECTLY:
            # Loaded directly, like older activities the demo plants: no ownership moves.
            Activity.objects.create(
                customer=customer,
                by=cast.bob,
                kind=kind,
                channel=channel,
                occurred_at=ago(days),
                duration_minutes=minutes,
                customer_initiated=initiated,
                outcome=f"{kind} with Klaus",
            )
            continue
        refused = activity_log(
            user=cast.bob,
            customer_id=customer.pk,
            kind=kind,
            channel=channel,
            occurred_at=ago(days),
            duration_minutes=minutes,
            customer_initiated=initiated,
            outcome=f"{kind} with Klaus",
            now=ago(days),
        )
        assert refused.activity is None and refused.ownership.collision is not None


def bob_collides(cast, customer: Customer) -> Collision:  # type: ignore[no-untyped-def]
    result = customer_register(
        user=cast.bob,
        data=CustomerInput(
            name="Mueller Industrial Technology", websites=(f"https://www.{SITE}/en/",)
        ),
        first_contact_at=ago(150),
        now=ago(12),
    )
    assert result.customer == customer and result.collision is not None
    return result.collision


def open_dispute(cast, customer: Customer, collision: Collision, **fields) -> Dispute:  # type: ignore[no-untyped-def]
    return Dispute.objects.create(
        customer=customer,
        collision=collision,
        owner=cast.alice,
        challenger=cast.bob,
        opened_by=cast.bob,
        opened_at=ago(11),
        decision_due_at=ago(11) + timedelta(days=5),
        **fields,
    )


@pytest.fixture
def ab_case(cast) -> Dispute:  # type: ignore[no-untyped-def]
    customer = alice_registers(cast)
    bob_works(cast, customer)
    collision = bob_collides(cast, customer)
    return open_dispute(
        cast,
        customer,
        collision,
        customer_choice=cast.bob,
        customer_answer="Bob invited us; we would like to keep working with him.",
        customer_answered_at=ago(2),
    )


def test_the_a_and_b_case_reads_side_by_side_in_plain_english(ab_case):
    evidence = dispute_evidence(ab_case, now=NOW)

    with override("en"):
        shown = dispute_evidence_text(evidence)
    alice, bob = shown["parties"]
    assert alice["summary"] == [
        f"Alice registered it on {date(358)}",
        f"Alice gave {date(359)} as the first contact",
        f"Alice had one touchpoint: Catalog sent on {date(357)}",
        "Alice reached no milestone",
        f"Alice has had no contact since {date(357)} (357 days)",
    ]
    assert bob["summary"] == [
        f"Bob tried to register it on {date(12)}: refused, kept as evidence",
        f"Bob had 7 touchpoints between {date(150)} and {date(21)}, 4 of them started by the "
        "customer, 155 minutes in all",
        "Bob's touchpoints refused at logging and kept as evidence: 5",
        f"Milestone reached by Bob: Quote, first on {date(127)}",
        f"Milestone reached by Bob: Sample, first on {date(113)}",
        f"Milestone reached by Bob: Invitation accepted, first on {date(21)}",
        f"Bob's latest touchpoint was on {date(21)}",
    ]
    assert shown["comparison"] == [
        f"Alice registered it first, on {date(358)}; Bob's registration on {date(12)} was refused",
        f"Alice was in contact first, on {date(359)}; Bob from {date(150)}",
        f"Bob went furthest: Invitation accepted, first on {date(21)}",
        "Alice reached no milestone",
        "The customer started 0 touchpoints with Alice and 4 with Bob",
        f"The customer last reached out to Bob, on {date(21)}",
        f"The customer said on {date(2)} they prefer Bob",
    ]


def test_the_evidence_is_json_with_the_facts_of_each_party_owner_first(ab_case, cast):
    evidence = dispute_evidence(ab_case, now=NOW)

    assert json.loads(json.dumps(evidence)) == evidence  # stored as a decision's snapshot
    alice, bob = evidence["parties"]
    assert alice["person"] == {"id": cast.alice.pk, "name": "Alice", "team": "East"}
    assert (alice["role"], bob["role"]) == ("owner", "challenger")
    assert alice["registered_at"] == ago(358).isoformat() and not alice["registration_refused"]
    assert alice["owner_since"] == ago(358).isoformat()
    assert alice["first_contact_at"] == ago(359).isoformat()
    assert bob["registered_at"] == ago(12).isoformat() and bob["registration_refused"]
    assert bob["refused_registrations"] == [
        {"at": ago(12).isoformat(), "collision": ab_case.collision_id}
    ]
    assert bob["owner_since"] is None
    assert bob["touch_count"] == 7 and bob["refused_count"] == 5
    assert bob["customer_initiated"] == 4 and bob["total_minutes"] == 155
    assert bob["by_kind"] == {"chat": 3, "meeting": 1, "quote": 1, "sample": 1, "invitation": 1}
    assert bob["by_channel"]["whatsapp"] == 3
    assert bob["milestones"] == {
        "quote": ago(127).isoformat(),
        "sample": ago(113).isoformat(),
        "invitation": ago(21).isoformat(),
    }
    assert [t["at"] for t in bob["touches"]] == sorted(t["at"] for t in bob["touches"])
    first, refused = bob["touches"][0], bob["touches"][-1]
    assert first == {
        "at": ago(150).isoformat(),
        "kind": "meeting",
        "channel": "in_person",
        "customer_initiated": False,
        "duration_minutes": 40,
        "refused": False,
        "by": cast.bob.pk,
        "outcome": "meeting with Klaus",
        "note": "",
        "activity": first["activity"],
    }
    assert refused["refused"] and refused["kind"] == "invitation" and refused["by"] == cast.bob.pk
    assert refused["customer_initiated"] and "collision" in refused
    assert evidence["customer_preference"] == {
        "person_id": cast.bob.pk,
        "name": "Bob",
        "answer": "Bob invited us; we would like to keep working with him.",
        "answered_at": ago(2).isoformat(),
    }
    # It informs; it never decides.
    assert not {"winner", "verdict", "score", "lead", "option"} & set(evidence)


def test_only_the_two_parties_records_count(ab_case, cast):
    Activity.objects.create(
        customer=ab_case.customer, by=cast.carol, kind="factory_visit", occurred_at=ago(5)
    )
    refused = activity_log(
        user=cast.dave, customer_id=ab_case.customer_id, kind="order_intent", occurred_at=ago(4)
    )
    assert refused.ownership.collision is not None

    evidence = dispute_evidence(ab_case, now=NOW)

    everyone = {t["by"] for party in evidence["parties"] for t in party["touches"]}
    assert everyone == {cast.alice.pk, cast.bob.pk}
    assert all(
        not {"factory_visit", "order_intent"} & set(party["milestones"])
        for party in evidence["parties"]
    )


def test_touchpoints_after_the_evidence_was_read_are_not_in_it(ab_case, cast):
    evidence = dispute_evidence(ab_case, now=ago(100))

    _, bob = evidence["parties"]
    assert bob["touch_count"] == 4 and bob["registered_at"] is None
    assert evidence["as_of"] == ago(100).isoformat()


def test_a_first_contact_kept_on_a_refused_registration_is_the_challengers_stated_one(cast):
    customer = alice_registers(cast)
    collision = Collision.objects.create(
        customer=customer,
        attempted_by=cast.bob,
        owner=cast.alice,
        owner_since=ago(358),
        action=Collision.Action.REGISTER,
        at=ago(12),
        submitted={
            "name": "Mueller Industrial Technology",
            "first_contact_at": ago(400).isoformat(),
            "details_found_at": ago(401).isoformat(),
        },
    )
    dispute = open_dispute(cast, customer, collision)

    evidence = dispute_evidence(dispute, now=NOW)

    _, bob = evidence["parties"]
    assert bob["first_contact_at"] == ago(400).isoformat()
    assert bob["details_found_at"] == ago(401).isoformat()
    with override("en"):
        shown = dispute_evidence_text(evidence)
    assert f"Bob gave {date(400)} as the first contact" in shown["parties"][1]["summary"]
    assert (
        f"Bob was in contact first, on {date(400)}; Alice from {date(359)}" in shown["comparison"]
    )
    assert shown["comparison"][-1] == "The customer's preference is not recorded"


def test_fifty_touchpoints_cost_the_same_queries_as_five(cast, django_assert_max_num_queries):
    customer = alice_registers(cast)
    dispute = open_dispute(cast, customer, bob_collides(cast, customer))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            dispute_evidence(Dispute.objects.get(pk=dispute.pk), now=NOW)
        return len(captured) - 1  # the dispute itself is the caller's

    few_touches = tuple((200 - i, "chat", "wechat", 5, i % 2 == 0) for i in range(5))
    bob_works(cast, customer, few_touches)
    few = queries()
    many_touches = tuple((190 - i, "call", "phone", 5, False) for i in range(45))
    bob_works(cast, customer, many_touches)
    many = queries()

    assert many == few
    assert dispute_evidence(dispute, now=NOW)["parties"][1]["touch_count"] == 50
    # The people, the activities, the collisions, the ownership terms and the orders.
    with django_assert_max_num_queries(5):
        dispute_evidence(dispute, now=NOW)
