"""Pools at work: released and reclaimed customers are routed, only eligible reps see and
claim them, and a manager may still assign from any pool."""

from datetime import timedelta

import pytest
from django.utils import timezone

from guishu.ownership.selectors import customer_for_viewer, customers_visible_to
from guishu.ownership.services import (
    customer_assign,
    customer_protection_extend,
    pool_claim,
    pool_release,
)
from guishu.ownership.sweep import ownership_sweep
from guishu.pools.models import Pool, PoolPlacement
from tests.factories import register

pytestmark = pytest.mark.db_facing


@pytest.fixture
def east_only(cast):
    pool = Pool.objects.create(name="East pool", priority=1)
    pool.from_teams.add(cast.east)
    pool.eligible_teams.add(cast.east)
    Pool.objects.create(name="General", is_default=True)
    return pool


def test_a_released_customer_goes_to_its_pool_and_only_eligible_reps_claim_it(cast, east_only):
    customer = register(cast.bob, "Ostsee Armaturen GmbH")
    assert pool_release(user=cast.bob, customer_id=customer.pk).accepted
    assert PoolPlacement.objects.get(customer=customer).pool == east_only
    # Dave (West) does not see it and may not claim it; Alice (East) may.
    assert customer_for_viewer(cast.dave, customer.pk) is None
    assert customer.pk not in set(customers_visible_to(cast.dave).values_list("pk", flat=True))
    refused = pool_claim(user=cast.dave, customer_id=customer.pk)
    assert refused.rejection is not None and refused.rejection.code == "not_eligible"
    assert customer_for_viewer(cast.alice, customer.pk) is not None
    assert pool_claim(user=cast.alice, customer_id=customer.pk).accepted


def test_a_manager_may_assign_from_a_pool_the_rep_could_not_claim_from(cast, wendy, east_only):
    customer = register(cast.bob, "Ostwerk Pumpen AG")
    assert pool_release(user=cast.bob, customer_id=customer.pk).accepted
    assert customer_assign(user=cast.diana, customer_id=customer.pk, to=cast.dave).accepted


def test_the_sweep_routes_what_it_reclaims(cast, east_only):
    now = timezone.now()
    east = register(cast.alice, "Alte Ostkunde GmbH", now=now - timedelta(days=120))
    west = register(cast.dave, "Alte Westkunde GmbH", now=now - timedelta(days=120))
    report = ownership_sweep(now=now)
    assert report.reclaimed_total == 2
    pools = dict(PoolPlacement.objects.values_list("customer_id", "pool__name"))
    assert pools == {east.pk: "East pool", west.pk: "General"}


def test_an_owner_extends_the_protection_once(cast):
    customer = register(cast.alice, "Verlaengert Handel GmbH")
    first = customer_protection_extend(user=cast.alice, customer_id=customer.pk)
    assert first.accepted and first.events[0].kind == "extended"
    second = customer_protection_extend(user=cast.alice, customer_id=customer.pk)
    assert second.rejection is not None and second.rejection.code == "extensions_used"


def test_the_duplicate_check_masks_a_customer_in_a_pool_one_may_not_see(cast, east_only):
    from guishu.customers.inputs import CustomerInput
    from guishu.ownership.matches import customer_precheck

    customer = register(cast.bob, "Ostsee Dichtungen GmbH", phones=("+49 381 555 0199",))
    assert pool_release(user=cast.bob, customer_id=customer.pk).accepted
    [answer] = customer_precheck(user=cast.dave, data=CustomerInput(name="Ostsee Dichtungen GmbH"))
    assert not answer.visible
    [answer] = customer_precheck(user=cast.alice, data=CustomerInput(name="Ostsee Dichtungen GmbH"))
    assert answer.visible
