"""Who sees which customer in full: the selectors every page, export and API read through."""

import pytest

from guishu.ownership.selectors import (
    customer_for_viewer,
    customers_of_team,
    customers_owned_by,
    customers_visible_to,
)
from guishu.ownership.services import pool_release
from tests.factories import make_user, register

pytestmark = pytest.mark.db_facing


@pytest.fixture
def book(cast):
    """Alice's and Dave's customers, and one in the pool."""
    alices = register(cast.alice, "Alice's customer")
    daves = register(cast.dave, "Dave's customer")
    pooled = register(cast.bob, "Pooled customer")
    pool_release(user=cast.bob, customer_id=pooled.pk)
    return {"alice": alices, "dave": daves, "pool": pooled}


@pytest.mark.parametrize(
    "viewer,visible",
    [
        ("alice", {"alice", "pool"}),
        ("bob", {"pool"}),
        ("dave", {"dave", "pool"}),
        ("carol", {"alice", "pool"}),  # manages East (Alice, Bob), not West
        ("diana", {"alice", "dave", "pool"}),  # the director sees everything
        ("admin", {"alice", "dave", "pool"}),
    ],
)
def test_each_role_sees_in_full_only_what_it_may(cast, book, viewer, visible):
    user = getattr(cast, viewer)
    seen = set(customers_visible_to(user).values_list("pk", flat=True))
    assert seen == {book[name].pk for name in visible}
    for name, customer in book.items():
        assert (customer_for_viewer(user, customer.pk) is not None) == (name in visible)


def test_a_manager_sees_the_whole_team_tree(cast, book):
    sub_team = cast.east.children.create(name="East / Key accounts")
    erin = make_user("erin", team=sub_team)
    erins = register(erin, "Erin's customer")
    assert customer_for_viewer(cast.carol, erins.pk) is not None
    assert erins in customers_of_team(cast.carol)
    assert customer_for_viewer(cast.alice, erins.pk) is None


def test_my_customers_are_the_ones_i_own_now_with_owner_annotations(cast, book):
    mine = list(customers_owned_by(cast.alice))
    assert mine == [book["alice"]]
    assert mine[0].owner_id == cast.alice.pk and mine[0].protected_until is not None
