"""Collaborators: who may add and end them, and what they see while in force."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from guishu.customers.identity import find_stored_matches
from guishu.disputes.collaboration import (
    CollaborationRefused,
    collaboration_add,
    collaboration_end,
    collaborations_expire,
)
from guishu.disputes.models import Collaboration
from guishu.matching import build_profile
from guishu.ownership.matches import match_answers
from guishu.ownership.selectors import customer_for_viewer, customers_visible_to
from guishu.ownership.services import pool_release
from guishu.ownership.sweep import ownership_sweep
from tests.factories import customer_input, register

pytestmark = pytest.mark.db_facing


def test_a_collaborator_sees_the_customer_in_full_while_in_force(cast):
    acme = register(cast.alice, "Acme Collab Tools Ltd")
    assert customer_for_viewer(cast.bob, acme.pk) is None
    collaboration_add(user=cast.alice, customer_id=acme.pk, collaborator=cast.bob)

    assert customer_for_viewer(cast.bob, acme.pk) == acme
    assert acme in customers_visible_to(cast.bob)
    assert customer_for_viewer(cast.dave, acme.pk) is None


def test_a_time_boxed_collaboration_ends_by_itself_and_the_sweep_writes_it_down(cast):
    acme = register(cast.alice, "Acme Boxed Tools Ltd")
    ends_at = timezone.now() + timedelta(days=7)
    collaboration = collaboration_add(
        user=cast.carol, customer_id=acme.pk, collaborator=cast.bob, ends_at=ends_at
    )
    before, after = ends_at - timedelta(seconds=1), ends_at

    assert customer_for_viewer(cast.bob, acme.pk, now=before) == acme
    assert customer_for_viewer(cast.bob, acme.pk, now=after) is None  # before any sweep

    report = ownership_sweep(now=after, dry_run=True)
    assert report.collaborations_ended == 1
    collaboration.refresh_from_db()
    assert collaboration.ended_at is None  # a dry run writes nothing
    assert ownership_sweep(now=after).collaborations_ended == 1
    collaboration.refresh_from_db()
    assert collaboration.ended_at == ends_at  # when it ran out, not when the sweep ran
    assert collaborations_expire(now=after) == 0  # twice is harmless


def test_a_collaborators_lookup_is_not_masked(cast):
    acme = register(cast.alice, "Acme Lookup Tools Ltd", phones=("+86 138 1234 5678",))
    profile = build_profile(customer_input("Acme Lookup Tools Ltd").record())

    def answer(user):  # type: ignore[no-untyped-def]
        (found,) = match_answers(user, profile, find_stored_matches(profile))
        return found

    assert not answer(cast.bob).visible
    collaboration_add(user=cast.alice, customer_id=acme.pk, collaborator=cast.bob)
    assert answer(cast.bob).visible and answer(cast.bob).customer_id == acme.pk


def test_only_the_owner_or_a_manager_over_them_adds_and_ends(cast, wendy):
    acme = register(cast.alice, "Acme Rights Tools Ltd")
    for outsider in (cast.bob, cast.dave, wendy):
        with pytest.raises(PermissionDenied):
            collaboration_add(user=outsider, customer_id=acme.pk, collaborator=cast.bob)
    added = collaboration_add(user=cast.carol, customer_id=acme.pk, collaborator=cast.bob)
    with pytest.raises(PermissionDenied):
        collaboration_end(user=cast.bob, collaboration_id=added.pk)  # not even the collaborator

    ended = collaboration_end(user=cast.alice, collaboration_id=added.pk)
    assert ended.ended_at is not None and ended.ended_by == cast.alice
    assert customer_for_viewer(cast.bob, acme.pk) is None
    with pytest.raises(CollaborationRefused) as again:
        collaboration_end(user=cast.alice, collaboration_id=added.pk)
    assert again.value.code == "not_active"


def test_the_owner_is_not_their_own_collaborator_and_one_is_open_per_person(cast):
    acme = register(cast.alice, "Acme Rules Tools Ltd")
    with pytest.raises(CollaborationRefused) as own:
        collaboration_add(user=cast.alice, customer_id=acme.pk, collaborator=cast.alice)
    assert own.value.code == "owner_cannot_collaborate"
    with pytest.raises(CollaborationRefused) as director:
        collaboration_add(user=cast.alice, customer_id=acme.pk, collaborator=cast.diana)
    assert director.value.code == "cannot_collaborate"

    collaboration_add(user=cast.alice, customer_id=acme.pk, collaborator=cast.bob)
    with pytest.raises(CollaborationRefused) as twice:
        collaboration_add(user=cast.alice, customer_id=acme.pk, collaborator=cast.bob)
    assert twice.value.code == "already_collaborating"
    # The database has the last word, should a race slip past the service.
    with pytest.raises(IntegrityError), transaction.atomic():
        Collaboration.objects.create(
            customer=acme, user=cast.bob, started_at=timezone.now(), created_by=cast.alice
        )


def test_a_run_out_collaboration_does_not_block_a_new_one(cast):
    acme = register(cast.alice, "Acme Again Tools Ltd")
    now = timezone.now()
    collaboration_add(
        user=cast.alice,
        customer_id=acme.pk,
        collaborator=cast.bob,
        ends_at=now + timedelta(days=1),
        now=now,
    )
    later = now + timedelta(days=2)  # the first ran out; no sweep has written it down
    collaboration_add(user=cast.alice, customer_id=acme.pk, collaborator=cast.bob, now=later)
    rows = Collaboration.objects.filter(customer=acme, user=cast.bob).order_by("pk")
    assert [row.ended_at for row in rows] == [now + timedelta(days=1), None]


def test_a_pooled_customer_has_no_owner_to_work_beside(cast):
    pooled = register(cast.bob, "Pool Collab GmbH")
    assert pool_release(user=cast.bob, customer_id=pooled.pk).accepted
    with pytest.raises(CollaborationRefused) as refused:
        collaboration_add(user=cast.diana, customer_id=pooled.pk, collaborator=cast.alice)
    assert refused.value.code == "in_pool"
