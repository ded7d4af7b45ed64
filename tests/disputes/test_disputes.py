"""Disputes end to end through the services, on a real database: the case of reps A and B,
agreement without a manager, asking the customer, escalation, one appeal, decisions that
take effect once (also under two deciders at the same instant), and the "no deal by" date.

Alice plays rep A (registered the customer a year ago, sent a catalog); Bob plays rep B
(met the buyer months ago and worked it up to a factory visit); Carol manages both; Diana
directs.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from guishu.activities.models import OrderCredit
from guishu.activities.services import activity_log, order_record
from guishu.disputes.disputes import (
    DisputeRefused,
    dispute_answer,
    dispute_appeal,
    dispute_appeal_decide,
    dispute_decide,
    dispute_open,
    dispute_state,
    dispute_withdraw,
)
from guishu.disputes.models import Collaboration, Dispute, DisputeDecision, DisputeLog
from guishu.disputes.sweep import disputes_sweep
from guishu.domain.disputes import Option, Proposal
from guishu.notifications.fanout import notifications_fanout
from guishu.notifications.models import Notification
from guishu.ownership.models import Ownership, OwnershipEvent
from guishu.ownership.registration import customer_register
from tests.concurrency import run_together
from tests.factories import customer_input, register

pytestmark = pytest.mark.db_facing

DOMAIN = "mueller-antriebe.de"


def owner_of(customer_id: int) -> int | None:
    term = Ownership.objects.filter(customer_id=customer_id, ended_at__isnull=True).first()
    return term.owner_id if term else None


def a_and_b(cast, now):  # type: ignore[no-untyped-def]
    """A registered the buyer a year ago and sent a catalog; B worked it for months (each
    touch refused and kept as evidence) and then collided registering it. Returns the
    customer and B's registration collision."""
    year_ago = now - timedelta(days=365)
    customer = register(
        cast.alice, "Müller Antriebstechnik GmbH", now=year_ago, websites=(f"www.{DOMAIN}",)
    )
    activity_log(
        user=cast.alice,
        customer_id=customer.pk,
        kind="catalog_sent",
        channel="platform",
        occurred_at=year_ago + timedelta(days=1),
        now=year_ago + timedelta(days=1),
    )
    touches = [
        ("chat", "whatsapp", True, 150),
        ("chat", "whatsapp", True, 120),
        ("quote", "email", False, 90),
        ("sample", "email", True, 60),
        ("invitation", "whatsapp", True, 40),
    ]
    for kind, channel, initiated, days_ago in touches:
        when = now - timedelta(days=days_ago)
        activity_log(
            user=cast.bob,
            customer_id=customer.pk,
            kind=kind,
            channel=channel,
            customer_initiated=initiated,
            occurred_at=when,
            now=when,
        )
    refused = customer_register(
        user=cast.bob,
        data=customer_input("Mueller Drive Technology", websites=(f"https://{DOMAIN}/en",)),
        first_contact_at=now - timedelta(days=160),
        now=now - timedelta(days=2),
    )
    assert refused.collision is not None
    return customer, refused.collision


@pytest.fixture
def now():  # type: ignore[no-untyped-def]
    return timezone.now()


def test_the_case_of_a_and_b_end_to_end(cast, now):  # type: ignore[no-untyped-def]
    customer, collision = a_and_b(cast, now)
    assert owner_of(customer.pk) == cast.alice.pk

    dispute = dispute_open(
        user=cast.bob, collision_id=collision.pk, reason="I brought the visit about", now=now
    )
    assert (dispute.owner, dispute.challenger, dispute.status) == (cast.alice, cast.bob, "open")
    dispute_state(
        user=cast.alice,
        dispute_id=dispute.pk,
        text="I registered it first, through our platform.",
        proposal=Proposal(Option.OWNER_KEEPS),
        now=now,
    )
    dispute_state(
        user=cast.bob,
        dispute_id=dispute.pk,
        text="Five months of work; the buyer visits because of it.",
        proposal=Proposal(Option.TO_CHALLENGER),
        now=now,
    )
    assert Dispute.objects.get(pk=dispute.pk).status == "open"  # no agreement

    fallback_on = timezone.localdate(now) + timedelta(days=90)
    joint = Proposal(
        Option.JOINT, lead_id=cast.bob.pk, share=Decimal("40"), fallback_on=fallback_on
    )
    result = dispute_decide(
        user=cast.carol,
        dispute_id=dispute.pk,
        proposal=joint,
        rationale="B made the visit happen; A found the buyer first: B leads, A shares 40%.",
        now=now + timedelta(hours=1),
    )
    dispute = result.dispute
    assert (dispute.status, dispute.settlement, dispute.lead) == ("decided", "manager", cast.bob)
    assert dispute.appeal_until == now + timedelta(hours=1, days=7)

    # Ownership moved through the engine, with an event that names the dispute.
    assert owner_of(customer.pk) == cast.bob.pk
    event = OwnershipEvent.objects.filter(customer=customer).latest("pk")
    assert (event.kind, event.from_owner, event.to_owner, event.actor) == (
        "decided",
        cast.alice,
        cast.bob,
        cast.carol,
    )
    assert event.evidence == {"dispute": str(dispute.pk), "how": "manager"}
    # A works beside B on 40%, set by this dispute.
    share = Collaboration.objects.active(now + timedelta(hours=2)).get(customer=customer)
    assert (share.user, share.share, share.dispute) == (cast.alice, Decimal("40.00"), dispute)
    # The decision keeps the evidence as it stood, both parties side by side.
    decision = DisputeDecision.objects.get(dispute=dispute)
    assert [p["role"] for p in decision.evidence["parties"]] == ["owner", "challenger"]

    # An order is credited 60/40 by the shares in force on its date.
    placed = order_record(
        user=cast.bob,
        customer_id=customer.pk,
        number="PO-2026-001",
        amount=Decimal("10000.00"),
        currency="EUR",
        ordered_at=now + timedelta(days=10),
        now=now + timedelta(days=10),
    )
    assert placed.order is not None
    credits = {
        c.user_id: (c.share, c.amount) for c in OrderCredit.objects.filter(order=placed.order)
    }
    assert credits == {
        cast.bob.pk: (Decimal("60.00"), Decimal("6000.00")),
        cast.alice.pk: (Decimal("40.00"), Decimal("4000.00")),
    }
    # A deal was won before the "no deal by" date, so the date changes nothing.
    report = disputes_sweep(now=now + timedelta(days=95))
    assert (report.fallbacks_applied, report.fallbacks_lapsed) == (0, 1)
    assert owner_of(customer.pk) == cast.bob.pk


def test_no_deal_by_the_date_and_the_customer_goes_to_the_other_party(cast, now):  # type: ignore[no-untyped-def]
    customer, collision = a_and_b(cast, now)
    dispute = dispute_open(user=cast.bob, collision_id=collision.pk, now=now)
    fallback_on = timezone.localdate(now) + timedelta(days=60)
    joint = Proposal(
        Option.JOINT, lead_id=cast.bob.pk, share=Decimal("40"), fallback_on=fallback_on
    )
    dispute_decide(user=cast.carol, dispute_id=dispute.pk, proposal=joint, rationale="r", now=now)
    assert owner_of(customer.pk) == cast.bob.pk

    assert disputes_sweep(now=now + timedelta(days=60)).fallbacks_applied == 0  # not yet
    report = disputes_sweep(now=now + timedelta(days=62))
    assert report.fallbacks_applied == 1
    assert owner_of(customer.pk) == cast.alice.pk
    event = OwnershipEvent.objects.filter(customer=customer).latest("pk")
    assert (event.kind, event.actor, event.evidence["how"]) == ("decided", None, "fallback")
    # The joint split belonged to B's lead; it ended with it.
    assert not Collaboration.objects.active(now + timedelta(days=63)).filter(customer=customer)
    assert disputes_sweep(now=now + timedelta(days=63)).fallbacks_applied == 0  # once


def test_agreement_applies_without_a_manager(cast, now):  # type: ignore[no-untyped-def]
    customer, collision = a_and_b(cast, now)
    dispute = dispute_open(user=cast.alice, collision_id=collision.pk, now=now)
    joint = Proposal(Option.JOINT, lead_id=cast.bob.pk, share=Decimal("40"))
    dispute_state(user=cast.alice, dispute_id=dispute.pk, text="Fine.", proposal=joint, now=now)
    assert owner_of(customer.pk) == cast.alice.pk  # one side is not an agreement
    result = dispute_state(
        user=cast.bob,
        dispute_id=dispute.pk,
        text="Agreed.",
        proposal=Proposal(Option.JOINT, lead_id=cast.bob.pk, share=Decimal("40.00")),
        now=now,
    )
    assert (result.dispute.status, result.dispute.settlement) == ("decided", "agreement")
    assert result.dispute.appeal_until is None
    assert owner_of(customer.pk) == cast.bob.pk
    assert OwnershipEvent.objects.filter(customer=customer).latest("pk").evidence["how"] == (
        "agreement"
    )
    with pytest.raises(DisputeRefused) as refused:
        dispute_appeal(user=cast.alice, dispute_id=dispute.pk, reason="changed my mind", now=now)
    assert refused.value.code == "not_appealable"


def test_asking_the_customer_and_respecting_the_answer(cast, now):  # type: ignore[no-untyped-def]
    customer, collision = a_and_b(cast, now)
    dispute = dispute_open(user=cast.bob, collision_id=collision.pk, now=now)
    result = dispute_decide(
        user=cast.carol,
        dispute_id=dispute.pk,
        proposal=Proposal(Option.ASK_CUSTOMER),
        rationale="Both have a case; the buyer chooses.",
        now=now,
    )
    assert result.dispute.status == "asking_customer"
    assert owner_of(customer.pk) == cast.alice.pk
    with pytest.raises(DisputeRefused):  # a party does not record the answer
        dispute_answer(user=cast.bob, dispute_id=dispute.pk, chosen=cast.bob, now=now)
    result = dispute_answer(
        user=cast.carol,
        dispute_id=dispute.pk,
        chosen=cast.bob,
        answer="Klaus wants to keep working with 陈静.",
        now=now,
    )
    assert (result.dispute.status, result.dispute.settlement) == ("decided", "customer")
    assert owner_of(customer.pk) == cast.bob.pk


def test_escalation_reminds_then_escalates_to_the_director(cast, now):  # type: ignore[no-untyped-def]
    _customer, collision = a_and_b(cast, now)
    dispute = dispute_open(user=cast.bob, collision_id=collision.pk, now=now)
    due = dispute.decision_due_at
    assert due == now + timedelta(days=5)

    assert disputes_sweep(now=due - timedelta(days=2)).reminded == 0
    assert disputes_sweep(now=due - timedelta(hours=12)).reminded == 1
    assert disputes_sweep(now=due - timedelta(hours=11)).reminded == 0  # once
    report = disputes_sweep(now=due + timedelta(minutes=1))
    assert report.escalated == 1
    assert disputes_sweep(now=due + timedelta(days=1)).escalated == 0  # once
    kinds = list(DisputeLog.objects.filter(dispute=dispute).values_list("kind", flat=True))
    assert kinds == ["opened", "reminder", "escalated"]

    notifications_fanout(now=due + timedelta(minutes=2))
    told = set(
        Notification.objects.filter(kind="dispute", message__contains="escalated").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"alice", "bob", "carol", "diana"}
    reminded = Notification.objects.filter(kind="dispute", message__contains="due on")
    assert set(reminded.values_list("recipient__username", flat=True)) == {"carol"}

    # The director decides it now; there is no appeal from a director.
    result = dispute_decide(
        user=cast.diana,
        dispute_id=dispute.pk,
        proposal=Proposal(Option.OWNER_KEEPS),
        rationale="Registered first; B's work is credited in the review.",
        now=due + timedelta(days=1),
    )
    assert (result.dispute.settlement, result.dispute.appeal_until) == ("director", None)
    upheld = OwnershipEvent.objects.filter(customer=dispute.customer).latest("pk")
    assert (upheld.kind, upheld.to_owner) == ("upheld", cast.alice)


def test_one_appeal_to_the_director_who_may_replace_the_decision(cast, now):  # type: ignore[no-untyped-def]
    customer, collision = a_and_b(cast, now)
    dispute = dispute_open(user=cast.bob, collision_id=collision.pk, now=now)
    joint = Proposal(Option.JOINT, lead_id=cast.bob.pk, share=Decimal("50"))
    dispute_decide(user=cast.carol, dispute_id=dispute.pk, proposal=joint, rationale="r", now=now)
    assert owner_of(customer.pk) == cast.bob.pk

    with pytest.raises(DisputeRefused) as refused:
        dispute_appeal_decide(
            user=cast.diana,
            dispute_id=dispute.pk,
            proposal=Proposal(Option.OWNER_KEEPS),
            rationale="x",
            now=now,
        )
    assert refused.value.code == "not_appealed"
    dispute_appeal(user=cast.alice, dispute_id=dispute.pk, reason="50% is too much", now=now)
    with pytest.raises(DisputeRefused) as refused:
        dispute_appeal_decide(
            user=cast.carol,
            dispute_id=dispute.pk,
            proposal=Proposal(Option.OWNER_KEEPS),
            rationale="x",
            now=now,
        )
    assert refused.value.code == "not_permitted"

    later = now + timedelta(days=2)
    result = dispute_appeal_decide(
        user=cast.diana,
        dispute_id=dispute.pk,
        proposal=Proposal(Option.JOINT, lead_id=cast.alice.pk, share=Decimal("30")),
        rationale="A leads; B keeps 30% for the visit.",
        now=later,
    )
    assert (result.dispute.status, result.dispute.settlement) == ("decided", "director")
    assert owner_of(customer.pk) == cast.alice.pk
    open_shares = Collaboration.objects.active(later + timedelta(minutes=1)).filter(
        customer=customer
    )
    assert [(c.user, c.share) for c in open_shares] == [(cast.bob, Decimal("30.00"))]
    assert DisputeDecision.objects.filter(dispute=dispute).count() == 2
    with pytest.raises(DisputeRefused) as refused:
        dispute_appeal(user=cast.bob, dispute_id=dispute.pk, reason="again", now=later)
    assert refused.value.code in ("already_appealed", "not_appealable")


def test_a_decision_submitted_twice_takes_effect_once(cast, now):  # type: ignore[no-untyped-def]
    customer, collision = a_and_b(cast, now)
    dispute = dispute_open(user=cast.bob, collision_id=collision.pk, now=now)
    decision = Proposal(Option.TO_CHALLENGER)
    first = dispute_decide(
        user=cast.carol, dispute_id=dispute.pk, proposal=decision, rationale="r", now=now
    )
    events = OwnershipEvent.objects.filter(customer=customer).count()
    again = dispute_decide(
        user=cast.carol, dispute_id=dispute.pk, proposal=decision, rationale="r", now=now
    )
    assert (first.replayed, again.replayed) == (False, True)
    assert OwnershipEvent.objects.filter(customer=customer).count() == events
    assert DisputeDecision.objects.filter(dispute=dispute).count() == 1
    with pytest.raises(DisputeRefused) as refused:
        dispute_decide(
            user=cast.carol,
            dispute_id=dispute.pk,
            proposal=Proposal(Option.OWNER_KEEPS),
            rationale="r",
            now=now,
        )
    assert refused.value.code == "not_open"


def test_bad_decisions_change_nothing(cast, now):  # type: ignore[no-untyped-def]
    customer, collision = a_and_b(cast, now)
    dispute = dispute_open(user=cast.bob, collision_id=collision.pk, now=now)
    attempts = [
        (cast.alice, Proposal(Option.OWNER_KEEPS), "r", "party_cannot_decide"),
        (cast.dave, Proposal(Option.OWNER_KEEPS), "r", "not_permitted"),
        (cast.carol, Proposal(Option.OWNER_KEEPS), "  ", "rationale_required"),
        (
            cast.carol,
            Proposal(Option.JOINT, lead_id=cast.bob.pk, share=Decimal("60")),
            "r",
            "share_over_cap",
        ),
    ]
    for user, proposal, rationale, code in attempts:
        with pytest.raises(DisputeRefused) as refused:
            dispute_decide(
                user=user, dispute_id=dispute.pk, proposal=proposal, rationale=rationale, now=now
            )
        assert refused.value.code == code
    assert owner_of(customer.pk) == cast.alice.pk
    assert not DisputeDecision.objects.exists()
    assert Dispute.objects.get(pk=dispute.pk).status == "open"


def test_who_may_open_and_withdraw(cast, now):  # type: ignore[no-untyped-def]
    _customer, collision = a_and_b(cast, now)
    with pytest.raises(DisputeRefused) as refused:
        dispute_open(user=cast.dave, collision_id=collision.pk, now=now)
    assert refused.value.code == "not_permitted"
    with pytest.raises(DisputeRefused) as refused:
        dispute_open(
            user=cast.bob, collision_id=collision.pk, now=collision.at + timedelta(days=31)
        )
    assert refused.value.code == "window_closed"
    dispute = dispute_open(user=cast.bob, collision_id=collision.pk, now=now)
    with pytest.raises(DisputeRefused) as refused:
        dispute_open(user=cast.carol, collision_id=collision.pk, now=now)
    assert refused.value.code == "already_disputed"
    with pytest.raises(DisputeRefused):
        dispute_withdraw(user=cast.alice, dispute_id=dispute.pk, now=now)
    assert dispute_withdraw(user=cast.bob, dispute_id=dispute.pk, now=now).status == "withdrawn"


@pytest.mark.django_db(transaction=True)
def test_two_deciders_at_once_one_decision_takes_effect(allow_flush, cast):  # type: ignore[no-untyped-def]
    now = timezone.now()
    customer, collision = a_and_b(cast, now)
    dispute = dispute_open(user=cast.bob, collision_id=collision.pk, now=now)

    def decide(user, option):  # type: ignore[no-untyped-def]
        return lambda: dispute_decide(
            user=user, dispute_id=dispute.pk, proposal=Proposal(option), rationale="r", now=now
        )

    results, errors = run_together(
        [decide(cast.carol, Option.TO_CHALLENGER), decide(cast.diana, Option.OWNER_KEEPS)]
    )
    assert len(results) == 1, errors
    assert len(errors) == 1 and isinstance(errors[0], DisputeRefused)
    assert errors[0].code == "not_open"
    assert DisputeDecision.objects.filter(dispute=dispute).count() == 1
    settled = Dispute.objects.get(pk=dispute.pk)
    expected = cast.bob.pk if settled.option == Option.TO_CHALLENGER else cast.alice.pk
    assert owner_of(customer.pk) == expected
    assert (
        OwnershipEvent.objects.filter(customer=customer, kind__in=["decided", "upheld"]).count()
        == 1
    )


def test_the_command_lists_waiting_disputes_and_runs_the_sweep(cast, now):  # type: ignore[no-untyped-def]
    from io import StringIO

    from django.core.management import call_command
    from django.utils.translation import override

    _customer, collision = a_and_b(cast, now)
    dispute_open(user=cast.bob, collision_id=collision.pk, now=now - timedelta(days=6))
    listed, swept = StringIO(), StringIO()
    with override("en"):
        call_command("disputes", "list", stdout=listed)
        call_command("disputes", "sweep", stdout=swept)
    assert "Alice v Bob" in listed.getvalue() and "(overdue)" in listed.getvalue()
    assert "escalated: 1" in swept.getvalue()
