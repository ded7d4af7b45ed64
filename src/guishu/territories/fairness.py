"""Picking one rep fairly among a rule's candidates, in plain Python.

The service loads the candidates with their loads inside its transaction, under the rule's
lock; these functions only choose, so the choice can be tested on plain objects.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class Skip(StrEnum):
    """Why a candidate was passed over for this pick."""

    INACTIVE = "inactive"
    CANNOT_OWN = "cannot_own"  # directors and admins do not carry customers
    NOT_MANAGED = "not_managed"  # outside the team trees of the one assigning
    HOLDING_CAP = "holding_cap"
    REFUSED = "refused"  # the ownership rules refused this rep a moment ago


@dataclass(frozen=True)
class Candidate:
    """One eligible person as a pick sees them: what they hold now, the picks made for them
    that are still being carried out, and when they were last assigned a customer by a rule."""

    id: int
    name: str
    held: int = 0
    pending: int = 0
    last_assigned_at: datetime | None = None
    skipped: Skip | None = None

    @property
    def load(self) -> int:
        return self.held + self.pending

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "held": self.held,
            "pending": self.pending,
            "last_assigned_at": self.last_assigned_at.isoformat()
            if self.last_assigned_at
            else None,
            "skipped": self.skipped.value if self.skipped else None,
        }


def round_robin_pick(candidates: Sequence[Candidate], after: int | None) -> Candidate | None:
    """The next candidate in turn: the first one not skipped whose id follows `after` (the
    rep who got the rule's previous pick), wrapping around to the lowest id.

    Turns follow ids, not positions in a list, so a rep joining, leaving or being skipped
    shifts nobody else's turn.
    """
    ready = sorted((c for c in candidates if c.skipped is None), key=lambda c: c.id)
    if not ready:
        return None
    if after is not None:
        for candidate in ready:
            if candidate.id > after:
                return candidate
    return ready[0]


def load_balanced_pick(candidates: Sequence[Candidate]) -> Candidate | None:
    """The candidate holding the fewest customers now (picks in flight included); on a tie,
    the one who has waited longest since a rule last assigned them a customer (never first),
    then the lowest id, so the choice is always the same for the same facts."""
    ready = [c for c in candidates if c.skipped is None]
    if not ready:
        return None
    return min(
        ready,
        key=lambda c: (
            c.load,
            c.last_assigned_at is not None,
            c.last_assigned_at.timestamp() if c.last_assigned_at else 0.0,
            c.id,
        ),
    )
