"""The permission matrix's vocabulary: a row per route and method, with what each person of
the cast gets. Rows live in tests/api/test_permissions.py and, for larger areas, in
modules of their own (tests/api/matrix_*.py) that it gathers."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from tests.api.conftest import PEOPLE, World

ANON = 401


def expect(
    default: int,
    *,
    anonymous: int = ANON,
    **people: int,
) -> dict[str, int]:
    outcome = {person: default for person in PEOPLE}
    outcome["anonymous"] = anonymous
    outcome.update(people)
    return outcome


# Who sees each customer in full (everyone else gets 404).
ACME_SEERS = ("alice", "carol", "diana", "admin")
DELTA_SEERS = ("dave", "wendy", "diana", "admin")


def seers(seen: int, who: tuple[str, ...], hidden: int = 404, **people: int) -> dict[str, int]:
    """`seen` for those who see the customer, 404 for everyone else; `people` overrides."""
    return expect(hidden, **dict.fromkeys(who, seen)) | people


@dataclass(frozen=True)
class Row:
    route: str
    method: str
    expect: Mapping[str, int]
    kwargs: Callable[[World, str], dict[str, Any]] = lambda world, person: {}
    data: Callable[[World, str], dict[str, Any]] = lambda world, person: {}
    query: str = ""
    note: str = ""
    format: str = "json"  # "multipart" for uploads

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.route}{' ' + self.note if self.note else ''}"

    @property
    def changes(self) -> bool:
        return self.method not in ("get", "head", "options")


def on(subject: str) -> Callable[[World, str], dict[str, Any]]:
    return lambda world, person: {"customer_id": getattr(world, subject)}


def fixed(**data: Any) -> Callable[[World, str], dict[str, Any]]:
    return lambda world, person: data
