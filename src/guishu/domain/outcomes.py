"""What the engine answers: accepted events, or a typed rejection with its reason."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from guishu.domain.events import OwnershipEvent
from guishu.domain.people import Person
from guishu.domain.trace import TraceLine, render_trace


class RejectionCode(StrEnum):
    OWNED_BY_OTHER = "owned_by_other"  # a collision (撞单)
    ALREADY_YOURS = "already_yours"
    IN_POOL = "in_pool"
    NOT_IN_POOL = "not_in_pool"
    NOT_OWNER = "not_owner"
    NOT_PERMITTED = "not_permitted"
    CANNOT_OWN = "cannot_own"
    SAME_OWNER = "same_owner"
    HOLDING_CAP = "holding_cap"
    LOCK_CAP = "lock_cap"
    DAILY_CLAIM_CAP = "daily_claim_cap"
    COOL_DOWN = "cool_down"
    ALREADY_LOCKED = "already_locked"
    NOT_LOCKED = "not_locked"
    PROTECTED = "protected"
    LOCKED = "locked"
    NOT_DUE = "not_due"
    NEW_IN_POOL = "new_in_pool"
    NOT_ELIGIBLE = "not_eligible"
    EXTENSIONS_USED = "extensions_used"


@dataclass(frozen=True)
class Accepted:
    """The command is allowed. `events` may be empty (a touch that changes no clock); then
    `notes` still says, in plain words, why nothing changed."""

    events: tuple[OwnershipEvent, ...]
    notes: tuple[TraceLine, ...] = ()

    @property
    def trace(self) -> tuple[TraceLine, ...]:
        return (*(line for event in self.events for line in event.trace), *self.notes)


@dataclass(frozen=True)
class Rejection:
    """A refusal: which rule, in plain words, and when the request could succeed (if ever).

    `owner`/`owner_since` name who holds the customer when that is the reason (a collision).
    """

    code: RejectionCode
    trace: tuple[TraceLine, ...]
    retry_at: datetime | None = None
    owner: Person | None = None
    owner_since: datetime | None = None

    @property
    def is_collision(self) -> bool:
        return self.code is RejectionCode.OWNED_BY_OTHER

    def __str__(self) -> str:
        return render_trace(self.trace)


Decision = Accepted | Rejection
