"""Stored policies: versions, team overrides down the tree, history, validation, who may edit."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guishu.accounts.models import Team
from guishu.domain import Level
from guishu.ownership.policies import policy_for, policy_in_force
from guishu.ownership.services import pool_claim, pool_release
from guishu.policies.models import PolicyVersion
from guishu.policies.services import policy_version_save
from tests.factories import make_user, register

pytestmark = pytest.mark.db_facing


def test_the_defaults_pause_for_the_spring_festival(db):
    policy = policy_in_force()
    assert policy.protection_days[Level.A] == 30
    assert any(h.name == "Spring Festival 2027" for h in policy.holidays)


def test_each_change_is_a_new_version_and_history_is_kept(cast):
    now = timezone.now()
    first = policy_version_save(user=cast.admin, team=None, values={"daily_claim_limit": 5})
    second = policy_version_save(
        user=cast.admin,
        team=None,
        values={"protection_days": {"A": 60, "B": 30, "C": 20}},
        note="key accounts need longer",
    )
    assert (first.number, second.number) == (1, 2)
    # A company version is complete: the second keeps the first's claim limit.
    assert second.values["daily_claim_limit"] == 5
    policy = policy_in_force()
    assert policy.daily_claim_limit == 5 and policy.protection_days[Level.A] == 60
    before = policy_in_force(at=now - timedelta(days=1))
    assert before.daily_claim_limit == 10 and before.protection_days[Level.A] == 30
    with pytest.raises(ValueError, match="never edited"):
        second.note = "changed"
        second.save()
    with pytest.raises(ValueError, match="never deleted"):
        first.delete()


def test_an_announced_change_takes_effect_later(cast):
    later = timezone.now() + timedelta(days=7)
    policy_version_save(user=cast.admin, team=None, values={"max_held": 50}, effective_from=later)
    assert policy_in_force().max_held == 200
    assert policy_in_force(at=later + timedelta(seconds=1)).max_held == 50


def test_team_overrides_apply_down_the_tree(cast):
    north = Team.objects.create(name="East North", parent=cast.east)
    erin = make_user("erin", team=north)
    policy_version_save(user=cast.admin, team=None, values={"daily_claim_limit": 8})
    policy_version_save(user=cast.carol, team=cast.east, values={"daily_claim_limit": 3})
    policy_version_save(user=cast.admin, team=north, values={"max_held": 40})
    assert policy_for(erin).daily_claim_limit == 3 and policy_for(erin).max_held == 40
    assert policy_for(cast.alice).daily_claim_limit == 3 and policy_for(cast.alice).max_held == 200
    assert policy_for(cast.dave).daily_claim_limit == 8
    assert policy_for(cast.diana).daily_claim_limit == 8  # no team: the company's


def test_the_rules_apply_the_actors_team_policy(cast):
    policy_version_save(user=cast.carol, team=cast.east, values={"daily_claim_limit": 1})
    pooled = []
    for n in range(2):
        customer = register(cast.bob, f"Pooltest {n} Ltd")
        assert pool_release(user=cast.bob, customer_id=customer.pk).accepted
        pooled.append(customer)
    assert pool_claim(user=cast.alice, customer_id=pooled[0].pk).accepted
    second = pool_claim(user=cast.alice, customer_id=pooled[1].pk)
    assert second.rejection is not None and second.rejection.code == "daily_claim_cap"
    # Dave (West) is not limited by East's override.
    assert pool_claim(user=cast.dave, customer_id=pooled[1].pk).accepted


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"daily_claim_limit": -1}, "daily_claim_limit"),
        ({"daily_claim_limit": "5"}, "daily_claim_limit"),
        ({"protection_days": {"A": 10}}, "protection_days"),
        ({"no_such_setting": 1}, "no_such_setting"),
        ({"valid_follow_up_kinds": ["telepathy"]}, "valid_follow_up_kinds"),
        ({"holidays": [{"first": "2027-02-10", "last": "2027-02-01"}]}, "holidays"),
        ({"pool_contacts_hidden": "yes"}, "pool_contacts_hidden"),
        ({}, "values"),
    ],
)
def test_invalid_values_are_refused_and_nothing_is_saved(cast, values, field):
    with pytest.raises(ValidationError) as refused:
        policy_version_save(user=cast.admin, team=None, values=values)
    assert field in refused.value.message_dict
    assert not PolicyVersion.objects.exists()


def test_a_policy_cannot_take_effect_in_the_past(cast):
    with pytest.raises(ValidationError) as refused:
        policy_version_save(
            user=cast.admin,
            team=None,
            values={"max_held": 10},
            effective_from=timezone.now() - timedelta(days=1),
        )
    assert "effective_from" in refused.value.message_dict


def test_who_may_change_which_policy(cast, wendy):
    for person in (cast.alice, cast.diana, cast.carol):
        with pytest.raises(PermissionDenied):
            policy_version_save(user=person, team=None, values={"max_held": 10})
    with pytest.raises(PermissionDenied):
        policy_version_save(user=wendy, team=cast.east, values={"max_held": 10})
    assert policy_version_save(user=wendy, team=cast.west, values={"max_held": 10}).number == 1
