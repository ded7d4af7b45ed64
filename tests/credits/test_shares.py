"""Collaborators' credit shares: validation, the role templates, who may change them, and the
shares in force at a moment."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guishu.disputes.collaboration import (
    CollaborationRefused,
    CreditShare,
    collaboration_add,
    collaboration_end,
    collaboration_share_set,
    credit_shares,
)
from guishu.disputes.models import Collaboration
from guishu.ownership.services import customer_transfer
from guishu.policies.services import policy_version_save
from tests.factories import make_user, register

pytestmark = pytest.mark.db_facing


def test_a_collaborator_takes_the_share_given(cast):
    acme = register(cast.alice, "Acme Share Given Ltd")
    added = collaboration_add(
        user=cast.alice, customer_id=acme.pk, collaborator=cast.bob, share=Decimal("40")
    )
    assert added.share == Decimal("40.00")
    assert added.dispute is None


def test_the_role_template_applies_when_no_share_is_given(cast):
    acme = register(cast.alice, "Acme Templates Ltd")
    erin = make_user("erin", team=cast.east)
    frank = make_user("frank", team=cast.east)
    roles = {cast.bob: "co_seller", erin: "technical_support", frank: "assistant"}
    shares = {
        role: collaboration_add(
            user=cast.alice, customer_id=acme.pk, collaborator=person, role=role
        ).share
        for person, role in roles.items()
    }
    assert shares == {"co_seller": 30, "technical_support": 10, "assistant": 5}


def test_the_template_is_the_owners_team_policy(cast):
    policy_version_save(
        user=cast.admin, team=cast.east, values={"split_templates": {"co_seller": 20}}
    )
    east_customer = register(cast.alice, "Acme East Template Ltd")
    west_customer = register(cast.dave, "Delta West Template Ltd")

    # Dave (West) is added to East's customer, Bob (East) to West's: the owner's team decides.
    on_east = collaboration_add(
        user=cast.alice, customer_id=east_customer.pk, collaborator=cast.dave
    )
    on_west = collaboration_add(user=cast.dave, customer_id=west_customer.pk, collaborator=cast.bob)
    assert on_east.share == 20
    assert on_west.share == 30  # the company's default


@pytest.mark.parametrize(
    ("share", "message"),
    [
        (Decimal("-1"), "between 0 and 100"),
        (Decimal("100.01"), "between 0 and 100"),
        (Decimal("12.345"), "two decimal places"),
        (Decimal("NaN"), "number of percent"),
    ],
)
def test_a_share_outside_0_to_100_or_finer_than_cents_is_refused(cast, share, message):
    acme = register(cast.alice)
    with pytest.raises(ValidationError) as raised:
        collaboration_add(user=cast.alice, customer_id=acme.pk, collaborator=cast.bob, share=share)
    assert message in raised.value.message_dict["share"][0]
    assert not Collaboration.objects.filter(customer=acme).exists()


def test_shares_over_100_together_are_refused_and_nothing_is_written(cast):
    acme = register(cast.alice, "Acme Over Hundred Ltd")
    erin = make_user("erin", team=cast.east)
    collaboration_add(
        user=cast.alice, customer_id=acme.pk, collaborator=cast.bob, share=Decimal("60")
    )
    with pytest.raises(CollaborationRefused) as raised:
        collaboration_add(
            user=cast.alice, customer_id=acme.pk, collaborator=erin, share=Decimal("40.01")
        )
    assert raised.value.code == "shares_over_100"
    assert "100.01%" in raised.value.message
    assert not Collaboration.objects.filter(customer=acme, user=erin).exists()
    # Exactly 100 is allowed: the owner is then credited nothing.
    collaboration_add(user=cast.alice, customer_id=acme.pk, collaborator=erin, share=Decimal("40"))


def test_an_ended_collaboration_leaves_room_for_another(cast):
    now = timezone.now()
    acme = register(cast.alice, "Acme Room Ltd", now=now - timedelta(days=10))
    erin = make_user("erin", team=cast.east)
    boxed = collaboration_add(
        user=cast.alice,
        customer_id=acme.pk,
        collaborator=cast.bob,
        share=Decimal("70"),
        ends_at=now - timedelta(days=1),
        now=now - timedelta(days=5),
    )
    # Ran out yesterday, not yet written down by the sweep: its share is free all the same.
    added = collaboration_add(
        user=cast.alice, customer_id=acme.pk, collaborator=erin, share=Decimal("70"), now=now
    )
    assert added.share == 70
    boxed.refresh_from_db()
    assert boxed.ended_at is None


def test_the_owner_or_a_manager_over_them_changes_a_share(cast):
    acme = register(cast.alice, "Acme Change Share Ltd")
    added = collaboration_add(user=cast.alice, customer_id=acme.pk, collaborator=cast.bob)

    assert collaboration_share_set(
        user=cast.alice, collaboration_id=added.pk, share=Decimal("45.5")
    ).share == Decimal("45.50")
    assert collaboration_share_set(
        user=cast.carol, collaboration_id=added.pk, share=Decimal("10")
    ).share == Decimal("10")


def test_nobody_else_changes_a_share_not_even_the_collaborator(cast, wendy):
    acme = register(cast.alice, "Acme Share Rights Ltd")
    added = collaboration_add(user=cast.alice, customer_id=acme.pk, collaborator=cast.bob)
    for outsider in (cast.bob, cast.dave, wendy):
        with pytest.raises(PermissionDenied):
            collaboration_share_set(user=outsider, collaboration_id=added.pk, share=Decimal("50"))
    added.refresh_from_db()
    assert added.share == 30


def test_a_share_change_is_refused_over_100_or_once_ended(cast):
    acme = register(cast.alice, "Acme Share Checks Ltd")
    erin = make_user("erin", team=cast.east)
    bob = collaboration_add(
        user=cast.alice, customer_id=acme.pk, collaborator=cast.bob, share=Decimal("50")
    )
    collaboration_add(user=cast.alice, customer_id=acme.pk, collaborator=erin, share=Decimal("40"))

    with pytest.raises(CollaborationRefused) as raised:
        collaboration_share_set(user=cast.alice, collaboration_id=bob.pk, share=Decimal("60.5"))
    assert raised.value.code == "shares_over_100"
    # Its own share does not count twice: 60 + 40 is exactly 100.
    collaboration_share_set(user=cast.alice, collaboration_id=bob.pk, share=Decimal("60"))
    with pytest.raises(ValidationError):
        collaboration_share_set(user=cast.alice, collaboration_id=bob.pk, share=Decimal("0.001"))

    collaboration_end(user=cast.alice, collaboration_id=bob.pk)
    with pytest.raises(CollaborationRefused) as raised:
        collaboration_share_set(user=cast.alice, collaboration_id=bob.pk, share=Decimal("10"))
    assert raised.value.code == "not_active"


def test_credit_shares_name_the_owner_with_the_rest_and_the_collaborators_in_force(cast):
    now = timezone.now()
    acme = register(cast.alice, "Acme Shares In Force Ltd", now=now - timedelta(days=30))
    erin = make_user("erin", team=cast.east)
    collaboration_add(
        user=cast.alice,
        customer_id=acme.pk,
        collaborator=cast.bob,
        share=Decimal("40"),
        now=now - timedelta(days=20),
    )
    collaboration_add(
        user=cast.alice,
        customer_id=acme.pk,
        collaborator=erin,
        role="assistant",
        ends_at=now - timedelta(days=5),
        now=now - timedelta(days=10),
    )

    owner, bob, erin_row = credit_shares(acme.pk, now - timedelta(days=7))
    assert owner == CreditShare(user_id=cast.alice.pk, role="owner", share=Decimal("55"))
    assert bob == CreditShare(user_id=cast.bob.pk, role="co_seller", share=Decimal("40"))
    assert erin_row == CreditShare(user_id=erin.pk, role="assistant", share=Decimal("5"))
    # Erin's time-boxed collaboration ran out five days ago; before Bob joined, Alice alone.
    assert [s.user_id for s in credit_shares(acme.pk, now)] == [cast.alice.pk, cast.bob.pk]
    assert credit_shares(acme.pk, now - timedelta(days=25)) == [
        CreditShare(user_id=cast.alice.pk, role="owner", share=Decimal(100))
    ]
    assert credit_shares(acme.pk, now - timedelta(days=31)) == []  # nobody owned it yet


def test_credit_shares_follow_the_owner_whose_term_covered_the_moment(cast):
    now = timezone.now()
    acme = register(cast.alice, "Acme Changed Hands Ltd", now=now - timedelta(days=30))
    assert customer_transfer(
        user=cast.carol, customer_id=acme.pk, to=cast.bob, now=now - timedelta(days=10)
    ).accepted
    assert credit_shares(acme.pk, now - timedelta(days=20))[0].user_id == cast.alice.pk
    assert credit_shares(acme.pk, now)[0].user_id == cast.bob.pk
