"""Fixtures for territories: leads imported into the pool, rules written through the service,
and more reps for East (Alice and Bob's team, which Carol manages)."""

from itertools import count
from typing import Any

import pytest

from guishu.accounts.models import User
from guishu.customers.models import Customer
from guishu.territories.models import TerritoryRule
from guishu.territories.rules import territory_rule_create
from tests.factories import make_user

_serial = count(1)


def lead(by: User, name: str | None = None, **fields: Any) -> Customer:
    """A lead imported into the pool: a customer nobody owns yet."""
    return Customer.objects.create(
        name=name or f"Lead {next(_serial)} Trading Co", created_by=by, **fields
    )


def rule(by: User, name: str, **data: Any) -> TerritoryRule:
    """A rule written by `by`; `reps` and `teams` may be given as people and teams."""
    for key in ("reps", "teams"):
        if key in data:
            data[key] = [getattr(item, "pk", item) for item in data[key]]
    return territory_rule_create(user=by, data={"name": name, **data})


@pytest.fixture
def erin(cast: Any) -> User:
    """A third rep in East."""
    return make_user("erin", team=cast.east, display_name="Erin")
