"""The parameters of the ownership rules, with the documented defaults."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from types import MappingProxyType


class Level(StrEnum):
    """Customer potential: A is the most valuable and is worked most often."""

    A = "A"
    B = "B"
    C = "C"


class ReclaimRule(StrEnum):
    NO_FOLLOW_UP = "no_follow_up"
    NO_DEAL = "no_deal"


ACTIVITY_KINDS = frozenset(
    {
        "visit",
        "call",
        "email",
        "chat",
        "meeting",
        "catalog_sent",
        "quote",
        "sample",
        "factory_visit",
        "complaint",
        "service",
    }
)

# Sending a catalog alone does not hold a customer: it is the weakest touch there is (see the
# case of reps A and B in DOMAIN.md), so by default it does not reset the reclaim clock.
DEFAULT_VALID_FOLLOW_UP_KINDS = ACTIVITY_KINDS - {"catalog_sent"}


def _default_follow_up_days() -> Mapping[Level, int]:
    return MappingProxyType({Level.A: 15, Level.B: 30, Level.C: 60})


@dataclass(frozen=True)
class Policy:
    """Ownership rules of a company (or team). Every field has the documented default.

    - protection_days: a registration protects the customer from colleagues and from reclaim.
    - follow_up_reclaim_days: with no valid follow-up by the owner for this many days (by level),
      the customer returns to the pool.
    - no_deal_reclaim_days: owned this long without a won deal, it returns to the pool
      ("no deal, no monopoly"); customers the owner has won a deal with are exempt.
    - reclaim_warning_days: the owner is warned this many days before a reclaim.
    - max_held / max_locked: how many customers one rep may own / lock at once.
    - daily_claim_limit: claims from the pool per rep per calendar day.
    - former_owner_cooldown_days: a rep who lost a customer may not re-claim it this long.
    - pool_contacts_hidden: pooled customers' contact details are masked until claimed.
    - reveals_per_day: how many masked values one person may reveal per day, each logged.
    """

    protection_days: int = 30
    follow_up_reclaim_days: Mapping[Level, int] = field(default_factory=_default_follow_up_days)
    no_deal_reclaim_days: int = 90
    reclaim_warning_days: int = 3
    max_held: int = 200
    max_locked: int = 10
    daily_claim_limit: int = 10
    former_owner_cooldown_days: int = 30
    valid_follow_up_kinds: frozenset[str] = DEFAULT_VALID_FOLLOW_UP_KINDS
    pool_contacts_hidden: bool = False
    reveals_per_day: int = 20
    timezone: str = "Asia/Shanghai"

    @property
    def protection(self) -> timedelta:
        return timedelta(days=self.protection_days)

    def follow_up_window(self, level: Level) -> timedelta:
        return timedelta(days=self.follow_up_reclaim_days[level])

    @property
    def no_deal_window(self) -> timedelta:
        return timedelta(days=self.no_deal_reclaim_days)

    @property
    def cooldown(self) -> timedelta:
        return timedelta(days=self.former_owner_cooldown_days)

    @property
    def warning(self) -> timedelta:
        return timedelta(days=self.reclaim_warning_days)
