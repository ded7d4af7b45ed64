"""The ownership services against the database: every change leaves an audit event, refusals
change nothing (except recording a collision), and the history replays to the owner."""

from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from guishu.activities.models import Activity, Order
from guishu.activities.services import activity_log, collection_record, order_record
from guishu.disputes.models import Collision
from guishu.domain import Policy, ReclaimRule, RejectionCode
from guishu.ownership.explain import customer_ownership_explain
from guishu.ownership.models import Ownership, OwnershipEvent
from guishu.ownership.services import (
    customer_assign,
    customer_lock,
    customer_reclaim,
    customer_transfer,
    customer_unlock,
    pool_claim,
    pool_release,
)
from tests.factories import register

pytestmark = pytest.mark.db_facing


def owner_of(customer):
    term = Ownership.objects.filter(customer=customer, ended_at__isnull=True).first()
    return term.owner if term else None


def kinds(customer):
    return list(
        OwnershipEvent.objects.filter(customer=customer)
        .order_by("id")
        .values_list("kind", flat=True)
    )


def test_release_then_claim_moves_the_customer_through_the_pool(cast):
    customer = register(cast.alice)
    assert pool_release(user=cast.alice, customer_id=customer.pk, reason="no budget").accepted
    assert owner_of(customer) is None
    assert pool_claim(user=cast.bob, customer_id=customer.pk).accepted
    assert owner_of(customer) == cast.bob
    assert kinds(customer) == ["registered", "released", "claimed"]
    released = OwnershipEvent.objects.get(customer=customer, kind="released")
    assert released.evidence == {"reason": "no budget"}


def test_claiming_an_owned_customer_is_a_collision_and_changes_nothing(cast):
    customer = register(cast.alice)
    result = pool_claim(user=cast.bob, customer_id=customer.pk)
    assert result.rejection is not None and result.rejection.code is RejectionCode.OWNED_BY_OTHER
    assert result.collision is not None and result.collision.action == "claim"
    assert owner_of(customer) == cast.alice and kinds(customer) == ["registered"]


def test_a_former_owner_cannot_reclaim_during_the_cool_down(cast):
    customer = register(cast.alice)
    pool_release(user=cast.alice, customer_id=customer.pk)
    result = pool_claim(user=cast.alice, customer_id=customer.pk)
    assert result.rejection is not None and result.rejection.code is RejectionCode.COOL_DOWN
    later = timezone.now() + timedelta(days=31)
    assert pool_claim(user=cast.alice, customer_id=customer.pk, now=later).accepted


def test_the_daily_claim_cap_counts_todays_claims_in_the_database(cast):
    customers = [register(cast.alice) for _ in range(11)]
    for customer in customers:
        pool_release(user=cast.alice, customer_id=customer.pk)
    results = [pool_claim(user=cast.bob, customer_id=c.pk) for c in customers]
    assert [r.accepted for r in results] == [True] * 10 + [False]
    assert results[-1].rejection.code is RejectionCode.DAILY_CLAIM_CAP
    assert results[-1].rejection.retry_at is not None


def test_a_manager_assigns_from_the_pool_only_within_their_team(cast):
    customer = register(cast.alice)
    pool_release(user=cast.alice, customer_id=customer.pk)
    refused = customer_assign(user=cast.carol, customer_id=customer.pk, to=cast.dave)
    assert refused.rejection is not None and refused.rejection.code is RejectionCode.NOT_PERMITTED
    assert customer_assign(user=cast.carol, customer_id=customer.pk, to=cast.bob).accepted
    assert owner_of(customer) == cast.bob
    event = OwnershipEvent.objects.get(customer=customer, kind="assigned")
    assert (event.actor, event.to_owner) == (cast.carol, cast.bob)


def test_transfer_by_owner_and_by_manager_records_before_and_after(cast):
    customer = register(cast.alice)
    assert customer_transfer(
        user=cast.alice, customer_id=customer.pk, to=cast.bob, reason="Bob speaks German"
    ).accepted
    assert customer_transfer(user=cast.carol, customer_id=customer.pk, to=cast.alice).accepted
    rows = OwnershipEvent.objects.filter(customer=customer, kind="transferred").order_by("id")
    assert [(r.actor, r.from_owner, r.to_owner) for r in rows] == [
        (cast.alice, cast.alice, cast.bob),
        (cast.carol, cast.bob, cast.alice),
    ]
    refused = customer_transfer(user=cast.dave, customer_id=customer.pk, to=cast.dave)
    assert refused.rejection is not None and refused.rejection.code is RejectionCode.NOT_OWNER
    assert owner_of(customer) == cast.alice


def test_a_locked_customer_is_not_reclaimed_and_unlocking_restores_the_rule(cast):
    long_ago = timezone.now() - timedelta(days=200)
    customer = register(cast.alice, now=long_ago)
    assert customer_lock(user=cast.alice, customer_id=customer.pk).accepted
    refused = customer_reclaim(customer_id=customer.pk, rule=ReclaimRule.NO_FOLLOW_UP)
    assert refused.rejection is not None and refused.rejection.code is RejectionCode.LOCKED
    assert customer_unlock(user=cast.alice, customer_id=customer.pk).accepted
    assert customer_reclaim(customer_id=customer.pk, rule=ReclaimRule.NO_FOLLOW_UP).accepted
    assert owner_of(customer) is None
    reclaimed = OwnershipEvent.objects.get(customer=customer, kind="reclaimed")
    assert reclaimed.actor is None and reclaimed.from_owner == cast.alice
    assert reclaimed.evidence["rule"] == "no_follow_up"


def test_reclaiming_twice_is_harmless(cast):
    customer = register(cast.alice, now=timezone.now() - timedelta(days=200))
    assert customer_reclaim(customer_id=customer.pk, rule=ReclaimRule.NO_DEAL).accepted
    again = customer_reclaim(customer_id=customer.pk, rule=ReclaimRule.NO_DEAL)
    assert again.rejection is not None and again.rejection.code is RejectionCode.IN_POOL
    assert kinds(customer) == ["registered", "reclaimed"]


def test_a_fresh_follow_up_stops_a_reclaim_that_was_due(cast):
    now = timezone.now()
    customer = register(cast.alice, now=now - timedelta(days=70))
    activity_log(user=cast.alice, customer_id=customer.pk, kind="call", occurred_at=now, now=now)
    refused = customer_reclaim(customer_id=customer.pk, rule=ReclaimRule.NO_FOLLOW_UP, now=now)
    assert refused.rejection is not None and refused.rejection.code is RejectionCode.NOT_DUE
    assert owner_of(customer) == cast.alice


def test_working_another_reps_customer_is_refused_and_nothing_is_saved(cast):
    customer = register(cast.alice)
    result = activity_log(
        user=cast.dave, customer_id=customer.pk, kind="call", occurred_at=timezone.now()
    )
    assert result.activity is None
    assert result.ownership.collision is not None
    assert not Activity.objects.exists()
    # What Dave typed is not lost: it is kept on the collision, as evidence for a dispute.
    assert result.ownership.collision.submitted["activity"]["kind"] == "call"


def test_a_won_order_is_credited_to_the_owner_and_exempts_from_the_no_deal_reclaim(cast):
    now = timezone.now()
    customer = register(cast.alice, now=now - timedelta(days=100))
    activity_log(user=cast.alice, customer_id=customer.pk, kind="visit", occurred_at=now, now=now)
    result = order_record(
        user=cast.alice,
        customer_id=customer.pk,
        number="SO-1",
        amount=Decimal("12500.50"),
        currency="usd",
        ordered_at=now,
        now=now,
    )
    assert result.order is not None and result.order.credited_to == cast.alice
    assert result.order.currency == "USD"
    collection_record(user=cast.alice, order=result.order, amount=Decimal("5000"), received_at=now)
    refused = customer_reclaim(customer_id=customer.pk, rule=ReclaimRule.NO_DEAL, now=now)
    assert refused.rejection is not None and refused.rejection.code is RejectionCode.NOT_DUE
    with pytest.raises(ValidationError):
        order_record(
            user=cast.alice,
            customer_id=customer.pk,
            number="SO-1",
            amount=Decimal("1"),
            ordered_at=now,
        )
    assert Order.objects.count() == 1


def test_explain_gives_owner_trace_evidence_and_forecast(cast):
    now = timezone.now()
    customer = register(cast.alice, now=now - timedelta(days=2))
    explanation = customer_ownership_explain(customer=customer, now=now)
    assert explanation.owner == cast.alice
    rendered = [str(line) for line in explanation.trace]
    assert rendered[0].startswith("registered by Alice on ")
    assert rendered[1].startswith("protected until ")
    assert "registered_at" in explanation.evidence
    assert explanation.forecast is not None
    assert explanation.history_agrees


def test_explain_a_pool_customer(cast):
    customer = register(cast.alice)
    pool_release(user=cast.alice, customer_id=customer.pk)
    explanation = customer_ownership_explain(customer=customer)
    assert explanation.owner is None and explanation.forecast is None
    assert str(explanation.trace[0]).endswith("is in the pool: eligible reps may claim it")
    assert explanation.history_agrees


def test_ownership_events_cannot_be_updated_or_deleted(cast):
    customer = register(cast.alice)
    event = OwnershipEvent.objects.get(customer=customer)
    with pytest.raises(IntegrityError), transaction.atomic():
        OwnershipEvent.objects.filter(pk=event.pk).update(kind="claimed")
    with pytest.raises(IntegrityError), transaction.atomic():
        OwnershipEvent.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.kind == "registered"


def test_the_database_refuses_a_second_active_owner(cast):
    customer = register(cast.alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ownership.objects.create(
            customer=customer, owner=cast.bob, basis="claimed", started_at=timezone.now()
        )
    assert Collision.objects.count() == 0


def test_the_lock_cap_counts_the_owners_locks_even_when_a_manager_locks(cast, settings):
    customers = [register(cast.alice) for _ in range(3)]
    one_lock = Policy(max_locked=1, timezone=settings.TIME_ZONE)
    with mock.patch("guishu.ownership.execute.policy_in_force", return_value=one_lock):
        assert customer_lock(user=cast.alice, customer_id=customers[0].pk).accepted
        refused = customer_lock(user=cast.carol, customer_id=customers[1].pk)
    assert refused.rejection is not None and refused.rejection.code is RejectionCode.LOCK_CAP
    assert "Alice already has 1 locked customers" in str(refused.rejection)
