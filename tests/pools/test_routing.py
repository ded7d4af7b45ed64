"""Routing returning customers to pools by rule, and who is eligible for which pool."""

import pytest

from guishu.pools.models import Pool, PoolPlacement
from guishu.pools.routing import eligible_pool_ids, pool_route
from tests.factories import register

pytestmark = pytest.mark.db_facing


@pytest.fixture
def pools(cast):
    key = Pool.objects.create(name="Key accounts", priority=1, levels=["A"])
    east = Pool.objects.create(name="East pool", priority=2)
    east.from_teams.add(cast.east)
    east.eligible_teams.add(cast.east)
    general = Pool.objects.create(name="General", is_default=True)
    return {"key": key, "east": east, "general": general}


def placed(customer_id: int) -> str | None:
    placement = PoolPlacement.objects.filter(customer_id=customer_id).first()
    return placement.pool.name if placement else None


def test_the_first_matching_pool_by_priority_takes_the_customer(cast, pools):
    key = register(cast.alice, "Grosskunde AG", level="A")
    east = register(cast.alice, "Ostkunde GmbH", level="C")
    west = register(cast.dave, "Westkunde KG", level="C")
    pool_route([(key.pk, cast.alice.pk), (east.pk, cast.alice.pk), (west.pk, cast.dave.pk)])
    assert placed(key.pk) == "Key accounts"  # level A first, whoever owned it
    assert placed(east.pk) == "East pool"  # came from East
    assert placed(west.pk) == "General"  # the default takes the rest
    reasons = dict(PoolPlacement.objects.values_list("customer_id", "reason"))
    assert reasons[key.pk] == "level A" and reasons[west.pk] == "default"


def test_without_a_default_an_unmatched_customer_stays_in_the_open_pool(cast, pools):
    pools["general"].delete()
    customer = register(cast.dave, "Offen Handel GmbH")
    PoolPlacement.objects.create(customer=customer, pool=pools["key"], reason="earlier")
    pool_route([(customer.pk, cast.dave.pk)])
    assert placed(customer.pk) is None


def test_without_pools_nothing_is_placed_and_everyone_is_eligible(cast):
    customer = register(cast.alice, "Ohne Pool GmbH")
    assert pool_route([(customer.pk, cast.alice.pk)]) == []
    assert eligible_pool_ids(cast.alice) is None


def test_eligibility_follows_the_team_tree(cast, wendy, pools):
    assert eligible_pool_ids(cast.alice) == {pools["key"].pk, pools["east"].pk, pools["general"].pk}
    assert eligible_pool_ids(cast.dave) == {pools["key"].pk, pools["general"].pk}
    assert eligible_pool_ids(cast.carol) == {pools["key"].pk, pools["east"].pk, pools["general"].pk}
    assert eligible_pool_ids(wendy) == {pools["key"].pk, pools["general"].pk}
    assert eligible_pool_ids(cast.diana) is None
