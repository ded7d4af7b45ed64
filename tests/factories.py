"""Test data builders. Registration goes through the real service, never around it."""

from dataclasses import dataclass
from datetime import datetime
from itertools import count

from guishu.accounts.models import Team, User
from guishu.customers.inputs import CustomerInput
from guishu.customers.models import Customer

_serial = count(1)


def make_user(
    username: str, *, role: str = "rep", team: Team | None = None, display_name: str = ""
) -> User:
    return User.objects.create_user(
        username=username,
        password="pw-for-tests-1",
        role=role,
        team=team,
        display_name=display_name or username,
    )


@dataclass
class Cast:
    """Alice and Bob sell in East; Carol manages East; Dave sells in West; Diana directs."""

    east: Team
    west: Team
    alice: User
    bob: User
    carol: User
    dave: User
    diana: User
    admin: User


def make_cast() -> Cast:
    carol = make_user("carol", role="manager", display_name="Carol")
    east = Team.objects.create(name="East", manager=carol)
    west = Team.objects.create(name="West")
    carol.team = east
    carol.save(update_fields=["team"])
    return Cast(
        east=east,
        west=west,
        alice=make_user("alice", team=east, display_name="Alice"),
        bob=make_user("bob", team=east, display_name="Bob"),
        carol=carol,
        dave=make_user("dave", team=west, display_name="Dave"),
        diana=make_user("diana", role="director", display_name="Diana"),
        admin=make_user("admin", role="admin", display_name="Admin"),
    )


def customer_input(name: str | None = None, **fields: object) -> CustomerInput:
    serial = next(_serial)
    return CustomerInput(name=name or f"Customer {serial} Ltd", **fields)  # type: ignore[arg-type]


def register(
    user: User, name: str | None = None, *, now: datetime | None = None, **fields: object
) -> Customer:
    from guishu.ownership.registration import customer_register

    # Generated names look alike ("Customer 7 Ltd"); they are distinct customers by design.
    result = customer_register(
        user=user, data=customer_input(name, **fields), now=now, confirm_distinct=True
    )
    assert result.created and result.customer is not None, result.decision
    return result.customer
