"""The parameters of the ownership rules, with the documented defaults."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType

from guishu.domain.calendar import Holiday, Pauses, holiday_span


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
        "invitation",
        "order_intent",
        "complaint",
        "service",
    }
)

# Collaborator roles (协同人 and helpers) and the default credit share each role takes when
# nobody names one: the split templates.
COLLABORATOR_ROLES = ("co_seller", "technical_support", "assistant")
DEFAULT_SPLIT_TEMPLATES = {"co_seller": 30, "technical_support": 10, "assistant": 5}

# Violations the product detects, and the points each earns by default once a manager
# confirms it (0 makes a kind a warning only).
VIOLATION_KINDS = ("worked_other", "evasive_edit", "claim_cycling")
DEFAULT_VIOLATION_POINTS = {"worked_other": 2, "evasive_edit": 3, "claim_cycling": 1}

# Sending a catalog alone does not hold a customer: it is the weakest touch there is (see the
# case of reps A and B in DOMAIN.md), so by default it does not reset the reclaim clock.
DEFAULT_VALID_FOLLOW_UP_KINDS = ACTIVITY_KINDS - {"catalog_sent"}

# Reports: what one touch costs on each activity channel, in hundredths of the company's
# currency (a field visit : a phone call : an e-mail cost 100 : 1 : 0.01 by default, a phone
# call 10.00), and the gross margin (%) of sales to customers of each level.
ACTIVITY_CHANNELS = (
    "in_person",
    "phone",
    "email",
    "wechat",
    "whatsapp",
    "video",
    "platform",
    "other",
)
DEFAULT_CHANNEL_COST_CENTS = {
    "in_person": 100_000,
    "phone": 1_000,
    "email": 10,
    "wechat": 10,
    "whatsapp": 10,
    "video": 1_000,
    "platform": 10,
    "other": 1_000,
}
LEVEL_KEYS = ("A", "B", "C")
DEFAULT_MARGIN_PERCENT = {"A": 25, "B": 25, "C": 25}

# Customer discipline (docs/discipline.md): potential (A/B/C) and engagement-type thresholds
# by industry ("*" is every industry not named; a per-industry value names it), contact
# cadence by level and by engagement strategy, and the planning and time figures.
ANY_INDUSTRY = "*"
DEFAULT_POTENTIAL_A_AMOUNT = {ANY_INDUSTRY: 1_000_000}
DEFAULT_POTENTIAL_B_AMOUNT = {ANY_INDUSTRY: 200_000}
DEFAULT_ENGAGEMENT_TYPE1_VOLUME = {ANY_INDUSTRY: 80_000}
DEFAULT_ENGAGEMENT_TYPE2_VOLUME = {ANY_INDUSTRY: 50_000}
DEFAULT_ENGAGEMENT_TYPE3_VOLUME = {ANY_INDUSTRY: 30_000}
DEFAULT_ENGAGEMENT_MIN_MARGIN = {ANY_INDUSTRY: 10}
ENGAGEMENT_STRATEGIES = ("let_go", "dig_in", "give_up")
DEFAULT_CADENCE_STRATEGY_DAYS = {"let_go": 60, "dig_in": 14, "give_up": 90}


def _per_level(value: "int | Mapping[Level, int]") -> Mapping[Level, int]:
    """One number for every level, or a number per level (every level named)."""
    if isinstance(value, int):
        return MappingProxyType(dict.fromkeys(Level, value))
    missing = set(Level) - set(value)
    if missing:
        raise ValueError(f"a value for every level is needed; missing {sorted(missing)}")
    return MappingProxyType({Level(level): int(days) for level, days in value.items()})


def _default_follow_up_days() -> Mapping[Level, int]:
    return MappingProxyType({Level.A: 15, Level.B: 30, Level.C: 60})


def _default_cadence_days() -> Mapping[Level, int]:
    return MappingProxyType({Level.A: 30, Level.B: 60, Level.C: 90})


def _by_industry(defaults: Mapping[str, int]) -> "Mapping[str, int]":
    return MappingProxyType(dict(defaults))


@dataclass(frozen=True)
class Policy:
    """Ownership rules of a company (or team). Every field has the documented default.

    - protection_days: a registration protects the customer from colleagues and from reclaim
      (by level: one number for all levels, or one per level).
    - follow_up_reclaim_days: with no valid follow-up by the owner for this many days (by level),
      the customer returns to the pool.
    - no_deal_reclaim_days: owned this long without a won deal (by level), it returns to the pool
      ("no deal, no monopoly"); customers the owner has won a deal with are exempt.
    - reclaim_warning_days: the owner is warned this many days before a reclaim.
    - max_held / max_locked: how many customers one rep may own / lock at once;
      won_excluded_from_holding_cap: customers with a won deal do not count towards max_held.
    - daily_claim_limit: claims from the pool per rep per calendar day.
    - former_owner_cooldown_days: a rep who lost a customer may not re-claim it this long.
    - new_in_pool_delay_hours: a customer that just returned to the pool cannot be claimed this
      long, so everyone eligible sees it before the fastest clicker takes it.
    - max_protection_extensions: how many times an owner may extend a protection period.
    - valid_follow_up_kinds: the activity types that restart the follow-up clock.
    - pool_contacts_hidden: pooled customers' contact details are masked until claimed.
    - reveals_per_day: how many masked values one person may reveal per day, each logged.
    - holidays: company-local dates during which every clock (protection, reclaim) pauses.
    - dispute_window_days: a party may contest a collision this long after it happened.
    - dispute_decision_days: a dispute the parties do not settle is decided by their manager
      within this many days of opening; a day before, the manager is reminded; after it, the
      dispute escalates to the directors.
    - dispute_appeal_days: a party may appeal a manager's decision to the director this long.
    - max_joint_share: the largest credit share (percent) a joint decision gives the
      collaborator, so the owner keeps at least the rest (50 means at most 50/50).
    - split_templates: the credit share (percent) a collaborator of each role takes by default.
    - violation_points: points per confirmed violation of each kind (0: a warning only).
    - claim_cycling_count / claim_cycling_days: claiming one customer this many times within
      this many days (releasing it in between) is claim/release cycling.
    - channel_cost_cents: what one touch on each activity channel costs, in hundredths of the
      company's currency (reports: cost to serve; 100 : 1 : 0.01 for visit : phone : e-mail).
    - margin_percent: the gross margin (%) of sales to customers of each level (reports).
    - potential_a_amount / potential_b_amount (by industry): a customer whose yearly purchase
      potential (the estimate, or its won orders of the last 12 months if more) reaches this
      is potential A / B; potential_b_employees: a company this large is at least B.
    - classification_review_days: a classification set by rule is evaluated again this often.
    - engagement_type1_volume / _type2_volume / _type3_volume (by industry): monthly volume of
      our products at or above type 1 ("earns with you"), the least a customer must be able to
      buy in total to be worth digging in, below it type 3 ("won't move");
      engagement_min_margin (by industry): the customer's margin (%) on our products a type 1
      needs.
    - cadence_days (by level) and cadence_strategy_days (by strategy): the longest a customer
      may go without contact (the shorter of the two applies); after_sales_days: a delivery
      or a service is followed up within this many days.
    - complaint_resolution_days: a complaint is resolved within this many days.
    - plan_capacity_per_week / plan_share_percent: contacts a rep can make in a week, and the
      share of them the weekly plan fills (the rest stays free).
    - working_hours_per_week: the working time time accounting measures selling time against.
    """

    protection_days: Mapping[Level, int] = field(default_factory=lambda: _per_level(30))
    follow_up_reclaim_days: Mapping[Level, int] = field(default_factory=_default_follow_up_days)
    no_deal_reclaim_days: Mapping[Level, int] = field(default_factory=lambda: _per_level(90))
    reclaim_warning_days: int = 3
    max_held: int = 200
    won_excluded_from_holding_cap: bool = False
    max_locked: int = 10
    daily_claim_limit: int = 10
    former_owner_cooldown_days: int = 30
    new_in_pool_delay_hours: int = 0
    max_protection_extensions: int = 1
    valid_follow_up_kinds: frozenset[str] = DEFAULT_VALID_FOLLOW_UP_KINDS
    pool_contacts_hidden: bool = False
    reveals_per_day: int = 20
    holidays: tuple[Holiday, ...] = ()
    dispute_window_days: int = 30
    dispute_decision_days: int = 5
    dispute_appeal_days: int = 7
    max_joint_share: int = 50
    split_templates: Mapping[str, int] = field(
        default_factory=lambda: MappingProxyType(dict(DEFAULT_SPLIT_TEMPLATES))
    )
    violation_points: Mapping[str, int] = field(
        default_factory=lambda: MappingProxyType(dict(DEFAULT_VIOLATION_POINTS))
    )
    claim_cycling_count: int = 3
    claim_cycling_days: int = 90
    potential_a_amount: Mapping[str, int] = field(
        default_factory=lambda: _by_industry(DEFAULT_POTENTIAL_A_AMOUNT)
    )
    potential_b_amount: Mapping[str, int] = field(
        default_factory=lambda: _by_industry(DEFAULT_POTENTIAL_B_AMOUNT)
    )
    potential_b_employees: int = 100
    classification_review_days: int = 30
    engagement_type1_volume: Mapping[str, int] = field(
        default_factory=lambda: _by_industry(DEFAULT_ENGAGEMENT_TYPE1_VOLUME)
    )
    engagement_type2_volume: Mapping[str, int] = field(
        default_factory=lambda: _by_industry(DEFAULT_ENGAGEMENT_TYPE2_VOLUME)
    )
    engagement_type3_volume: Mapping[str, int] = field(
        default_factory=lambda: _by_industry(DEFAULT_ENGAGEMENT_TYPE3_VOLUME)
    )
    engagement_min_margin: Mapping[str, int] = field(
        default_factory=lambda: _by_industry(DEFAULT_ENGAGEMENT_MIN_MARGIN)
    )
    cadence_days: Mapping[Level, int] = field(default_factory=_default_cadence_days)
    cadence_strategy_days: Mapping[str, int] = field(
        default_factory=lambda: MappingProxyType(dict(DEFAULT_CADENCE_STRATEGY_DAYS))
    )
    after_sales_days: int = 7
    complaint_resolution_days: int = 7
    plan_capacity_per_week: int = 40
    plan_share_percent: int = 60
    working_hours_per_week: int = 40
    channel_cost_cents: Mapping[str, int] = field(
        default_factory=lambda: MappingProxyType(dict(DEFAULT_CHANNEL_COST_CENTS))
    )
    margin_percent: Mapping[str, int] = field(
        default_factory=lambda: MappingProxyType(dict(DEFAULT_MARGIN_PERCENT))
    )
    timezone: str = "Asia/Shanghai"

    def __post_init__(self) -> None:
        # Accept one number for all levels where a number per level is kept (frozen: set once).
        for name in (
            "protection_days",
            "follow_up_reclaim_days",
            "no_deal_reclaim_days",
            "cadence_days",
        ):
            object.__setattr__(self, name, _per_level(getattr(self, name)))
        object.__setattr__(self, "holidays", tuple(sorted(self.holidays)))
        object.__setattr__(self, "valid_follow_up_kinds", frozenset(self.valid_follow_up_kinds))
        # Named values complete with their defaults, so a stored policy that predates a role or
        # a kind still has a value for it.
        object.__setattr__(
            self,
            "split_templates",
            MappingProxyType({**DEFAULT_SPLIT_TEMPLATES, **self.split_templates}),
        )
        object.__setattr__(
            self,
            "violation_points",
            MappingProxyType({**DEFAULT_VIOLATION_POINTS, **self.violation_points}),
        )
        object.__setattr__(
            self,
            "channel_cost_cents",
            MappingProxyType({**DEFAULT_CHANNEL_COST_CENTS, **self.channel_cost_cents}),
        )
        object.__setattr__(
            self,
            "margin_percent",
            MappingProxyType({**DEFAULT_MARGIN_PERCENT, **self.margin_percent}),
        )
        # Per-industry values always know "*", the value for industries not named.
        for name, defaults in (
            ("potential_a_amount", DEFAULT_POTENTIAL_A_AMOUNT),
            ("potential_b_amount", DEFAULT_POTENTIAL_B_AMOUNT),
            ("engagement_type1_volume", DEFAULT_ENGAGEMENT_TYPE1_VOLUME),
            ("engagement_type2_volume", DEFAULT_ENGAGEMENT_TYPE2_VOLUME),
            ("engagement_type3_volume", DEFAULT_ENGAGEMENT_TYPE3_VOLUME),
            ("engagement_min_margin", DEFAULT_ENGAGEMENT_MIN_MARGIN),
        ):
            object.__setattr__(self, name, MappingProxyType({**defaults, **getattr(self, name)}))
        object.__setattr__(
            self,
            "cadence_strategy_days",
            MappingProxyType({**DEFAULT_CADENCE_STRATEGY_DAYS, **self.cadence_strategy_days}),
        )

    @cached_property
    def pauses(self) -> Pauses:
        """The holidays as the clocks see them."""
        return Pauses.of(self.holidays, self.timezone)

    @cached_property
    def holiday_spans(self) -> tuple[tuple[Holiday, datetime, datetime], ...]:
        """Each holiday with its [start, end) in UTC, computed once per policy."""
        return tuple((h, *holiday_span(h, self.timezone)) for h in self.holidays)

    def protection(self, level: Level) -> timedelta:
        return timedelta(days=self.protection_days[level])

    def follow_up_window(self, level: Level) -> timedelta:
        return timedelta(days=self.follow_up_reclaim_days[level])

    def no_deal_window(self, level: Level) -> timedelta:
        return timedelta(days=self.no_deal_reclaim_days[level])

    @property
    def cooldown(self) -> timedelta:
        return timedelta(days=self.former_owner_cooldown_days)

    @property
    def warning(self) -> timedelta:
        return timedelta(days=self.reclaim_warning_days)

    @property
    def dispute_window(self) -> timedelta:
        return timedelta(days=self.dispute_window_days)

    @property
    def dispute_decision_time(self) -> timedelta:
        return timedelta(days=self.dispute_decision_days)

    @property
    def appeal_window(self) -> timedelta:
        return timedelta(days=self.dispute_appeal_days)

    @property
    def new_in_pool_delay(self) -> timedelta:
        return timedelta(hours=self.new_in_pool_delay_hours)

    def for_industry(self, name: str, industry: str) -> int:
        """A per-industry value for `industry` (matched ignoring case and surrounding spaces),
        or the value for every other industry ("*")."""
        values: Mapping[str, int] = getattr(self, name)
        wanted = industry.strip().casefold()
        for key, value in values.items():
            if key != ANY_INDUSTRY and key.strip().casefold() == wanted:
                return value
        return values[ANY_INDUSTRY]
