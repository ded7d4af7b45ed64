"""A collaborator logs activities on the customer they collaborate on: accepted, no collision,
and the owner's follow-up clock stays where the owner's own follow-ups left it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from guishu.activities.models import Activity
from guishu.activities.services import activity_log
from guishu.disputes.collaboration import collaboration_add, collaboration_end
from guishu.disputes.models import Collision
from guishu.ownership.models import Ownership
from tests.factories import register

pytestmark = pytest.mark.db_facing


def clock(customer_id: int):  # type: ignore[no-untyped-def]
    return Ownership.objects.get(customer_id=customer_id, ended_at__isnull=True).last_follow_up_at


def test_a_collaborators_activity_is_kept_without_a_collision_or_restarting_the_clock(cast):
    now = timezone.now()
    acme = register(cast.alice, "Acme Collaborator Calls Ltd", now=now - timedelta(days=20))
    activity_log(
        user=cast.alice,
        customer_id=acme.pk,
        kind="visit",
        occurred_at=now - timedelta(days=10),
        now=now - timedelta(days=10),
    )
    owners_clock = clock(acme.pk)
    assert owners_clock == now - timedelta(days=10)
    collaboration_add(
        user=cast.alice, customer_id=acme.pk, collaborator=cast.bob, now=now - timedelta(days=5)
    )

    result = activity_log(
        user=cast.bob, customer_id=acme.pk, kind="visit", occurred_at=now, note="demo", now=now
    )

    assert result.ownership.accepted and result.activity is not None
    assert result.activity.by == cast.bob and result.activity.note == "demo"
    assert result.ownership.collision is None and not Collision.objects.exists()
    assert result.ownership.events == []
    assert "as a collaborator" in str(result.ownership.decision.trace[0])
    assert clock(acme.pk) == owners_clock


def test_a_non_collaborator_is_still_refused_and_recorded(cast):
    acme = register(cast.alice, "Acme Outsider Calls Ltd")
    collaboration_add(user=cast.alice, customer_id=acme.pk, collaborator=cast.bob)

    result = activity_log(
        user=cast.dave, customer_id=acme.pk, kind="call", occurred_at=timezone.now()
    )

    assert result.activity is None and result.ownership.collision is not None
    assert not Activity.objects.filter(by=cast.dave).exists()


def test_once_the_collaboration_ends_the_former_collaborator_is_refused(cast):
    acme = register(cast.alice, "Acme Former Collab Ltd")
    added = collaboration_add(user=cast.alice, customer_id=acme.pk, collaborator=cast.bob)
    collaboration_end(user=cast.alice, collaboration_id=added.pk)

    result = activity_log(
        user=cast.bob, customer_id=acme.pk, kind="call", occurred_at=timezone.now()
    )

    assert result.activity is None and result.ownership.collision is not None


def test_a_collaborators_counterpart_still_warns_of_another_reps_buyer(cast):
    acme = register(cast.alice, "Acme Counterpart Collab Ltd")
    daves = register(cast.dave, "Nordwind Optik GmbH", phones=("+49 30 7654321",))
    collaboration_add(user=cast.alice, customer_id=acme.pk, collaborator=cast.bob)

    result = activity_log(
        user=cast.bob,
        customer_id=acme.pk,
        kind="call",
        occurred_at=timezone.now(),
        counterpart=["+49 30 7654321"],
    )

    assert result.activity is not None
    assert [answer.customer_id for answer in result.warnings] == [daves.pk]
    assert Collision.objects.get().action == Collision.Action.CONTACT_OVERLAP
