"""The page permission matrix's vocabulary, shared by tests/web/test_permissions.py and the
rows kept in modules of their own (tests/web/matrix_*.py, each with a ROWS list and, when its
URLs name things of their own, a `subjects(cast, wendy)` returning {subject: URL kwargs})."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

PEOPLE = ("anonymous", "alice", "bob", "dave", "carol", "wendy", "diana", "admin")

OK = 200
NOT_FOUND = 404
TO_LOGIN = "302 to login?next="  # LoginRequiredMiddleware sends anonymous visitors to log in


def to(url_name: str) -> str:
    return f"302 to {url_name}"


def everyone(expected: Any, *, anonymous: Any = TO_LOGIN) -> dict[str, Any]:
    return {person: anonymous if person == "anonymous" else expected for person in PEOPLE}


def only_alice(expected: Any) -> dict[str, Any]:
    """`expected` for Alice, 404 for everyone else signed in."""
    return {**everyone(NOT_FOUND), "alice": expected}


@dataclass(frozen=True)
class Row:
    """One route, requested one way, and what each person gets."""

    route: str
    expect: Mapping[str, Any]
    method: str = "get"
    # What the URL names: a customer "acme" (Alice's), "delta" (Dave's), "pooled", "missing";
    # "alices_job"; or a subject a matrix module's `subjects` builds.
    subject: str | None = None
    data: Mapping[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        subject = f" ({self.subject})" if self.subject else ""
        return f"{self.method.upper()} {self.route}{subject}"
