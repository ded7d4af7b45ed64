"""Policies as stored: plain JSON values, validated, merged (company, then team overrides) and
turned into a `Policy`. Pure, so the rules for a valid policy are tested without a database.

    {"protection_days": {"A": 45, "B": 30, "C": 30}, "daily_claim_limit": 5,
     "holidays": [{"first": "2027-02-05", "last": "2027-02-11", "name": "春节"}]}

A per-level value may be one number for every level. Unknown names are refused, so a typo
never silently does nothing.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from guishu.domain.calendar import Holiday, spring_festivals
from guishu.domain.policy import (
    ACTIVITY_CHANNELS,
    ACTIVITY_KINDS,
    COLLABORATOR_ROLES,
    ENGAGEMENT_STRATEGIES,
    LEVEL_KEYS,
    VIOLATION_KINDS,
    Level,
    Policy,
)


@dataclass(frozen=True)
class Bounds:
    low: int
    high: int


PER_LEVEL = {
    "cadence_days": Bounds(1, 730),
    "protection_days": Bounds(1, 365),
    "follow_up_reclaim_days": Bounds(1, 730),
    "no_deal_reclaim_days": Bounds(1, 1095),
}
NUMBERS = {
    "potential_b_employees": Bounds(1, 10_000_000),
    "classification_review_days": Bounds(1, 365),
    "after_sales_days": Bounds(1, 90),
    "complaint_resolution_days": Bounds(1, 90),
    "plan_capacity_per_week": Bounds(1, 500),
    "plan_share_percent": Bounds(0, 100),
    "working_hours_per_week": Bounds(1, 84),
    "reclaim_warning_days": Bounds(0, 60),
    "max_held": Bounds(1, 100_000),
    "max_locked": Bounds(0, 10_000),
    "daily_claim_limit": Bounds(0, 1_000),
    "former_owner_cooldown_days": Bounds(0, 365),
    "new_in_pool_delay_hours": Bounds(0, 24 * 30),
    "max_protection_extensions": Bounds(0, 12),
    "reveals_per_day": Bounds(0, 1_000),
    "dispute_window_days": Bounds(0, 365),
    "dispute_decision_days": Bounds(1, 60),
    "dispute_appeal_days": Bounds(0, 60),
    "max_joint_share": Bounds(0, 50),
    "claim_cycling_count": Bounds(2, 50),
    "claim_cycling_days": Bounds(1, 365),
}
# Values named by key: every key known, each a number within the bounds.
KEYED = {
    "cadence_strategy_days": (ENGAGEMENT_STRATEGIES, Bounds(1, 730)),
    "split_templates": (COLLABORATOR_ROLES, Bounds(0, 100)),
    "violation_points": (VIOLATION_KINDS, Bounds(0, 100)),
    "channel_cost_cents": (ACTIVITY_CHANNELS, Bounds(0, 100_000_000)),
    "margin_percent": (LEVEL_KEYS, Bounds(0, 100)),
}
# Values by industry: {"*": n} for every industry, plus any industry by name (discipline).
BY_INDUSTRY = {
    "potential_a_amount": Bounds(0, 1_000_000_000_000),
    "potential_b_amount": Bounds(0, 1_000_000_000_000),
    "engagement_type1_volume": Bounds(0, 1_000_000_000_000),
    "engagement_type2_volume": Bounds(0, 1_000_000_000_000),
    "engagement_type3_volume": Bounds(0, 1_000_000_000_000),
    "engagement_min_margin": Bounds(0, 100),
}
MAX_INDUSTRIES = 100
FLAGS = ("won_excluded_from_holding_cap", "pool_contacts_hidden")
NAMES = frozenset(
    {*PER_LEVEL, *NUMBERS, *KEYED, *BY_INDUSTRY, *FLAGS, "valid_follow_up_kinds", "holidays"}
)

Errors = dict[str, list[str]]


def default_values() -> dict[str, Any]:
    """The company policy before anyone changes it: the documented defaults, with the Spring
    Festival pausing every clock."""
    return as_values(Policy(holidays=spring_festivals()))


def as_values(policy: Policy) -> dict[str, Any]:
    """A Policy as stored values (every editable name)."""
    values: dict[str, Any] = {
        name: {level.value: days for level, days in getattr(policy, name).items()}
        for name in PER_LEVEL
    }
    values.update({name: getattr(policy, name) for name in (*NUMBERS, *FLAGS)})
    values.update({name: dict(getattr(policy, name)) for name in KEYED})
    values.update({name: dict(getattr(policy, name)) for name in BY_INDUSTRY})
    values["valid_follow_up_kinds"] = sorted(policy.valid_follow_up_kinds)
    values["holidays"] = [
        {"first": h.first.isoformat(), "last": h.last.isoformat(), "name": h.name}
        for h in policy.holidays
    ]
    return values


def validate(values: Mapping[str, Any]) -> Errors:
    """Messages (English templates, translated by the caller) per name; empty when valid.

    Messages are gettext-able templates with %(…)s parameters already filled, so this module
    stays free of Django.
    """
    errors: Errors = {}
    for name, value in values.items():
        problem = _problem(name, value)
        if problem:
            errors[name] = [problem]
    return errors


def _problem(name: str, value: Any) -> str | None:
    if name not in NAMES:
        return "unknown_setting"
    if name in PER_LEVEL:
        bounds = PER_LEVEL[name]
        if _is_number(value):
            return (
                None if bounds.low <= value <= bounds.high else f"range:{bounds.low}:{bounds.high}"
            )
        if not isinstance(value, Mapping) or set(value) != {level.value for level in Level}:
            return "per_level"
        if not all(_is_number(v) and bounds.low <= v <= bounds.high for v in value.values()):
            return f"range:{bounds.low}:{bounds.high}"
        return None
    if name in NUMBERS:
        bounds = NUMBERS[name]
        if not _is_number(value) or not bounds.low <= value <= bounds.high:
            return f"range:{bounds.low}:{bounds.high}"
        return None
    if name in KEYED:
        keys, bounds = KEYED[name]
        if not isinstance(value, Mapping) or not set(value) <= set(keys):
            return "keyed:" + ",".join(keys)
        if not all(_is_number(v) and bounds.low <= v <= bounds.high for v in value.values()):
            return f"range:{bounds.low}:{bounds.high}"
        return None
    if name in BY_INDUSTRY:
        return _by_industry_problem(value, BY_INDUSTRY[name])
    if name in FLAGS:
        return None if isinstance(value, bool) else "flag"
    if name == "valid_follow_up_kinds":
        if not isinstance(value, list) or not value or not set(value) <= ACTIVITY_KINDS:
            return "kinds"
        return None
    return _holidays_problem(value)


def _holidays_problem(value: Any) -> str | None:
    if not isinstance(value, list):
        return "holidays"
    for item in value:
        try:
            holiday = _holiday(item)
        except (TypeError, ValueError, KeyError):
            return "holidays"
        if (holiday.last - holiday.first).days > 60:
            return "holiday_too_long"
    return None


def _by_industry_problem(value: Any, bounds: Bounds) -> str | None:
    """{"*": n, "<industry>": n, ...}: industry names of 1-100 characters, numbers in range."""
    if (
        not isinstance(value, Mapping)
        or len(value) > MAX_INDUSTRIES
        or not all(isinstance(k, str) and 0 < len(k.strip()) <= 100 for k in value)
    ):
        return "by_industry"
    if not all(_is_number(v) and bounds.low <= v <= bounds.high for v in value.values()):
        return f"range:{bounds.low}:{bounds.high}"
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _holiday(item: Mapping[str, Any]) -> Holiday:
    return Holiday(
        date.fromisoformat(item["first"]),
        date.fromisoformat(item["last"]),
        str(item.get("name", "")),
    )


def merged(layers: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The company values, then each team's overrides down the tree, later ones winning."""
    values: dict[str, Any] = {}
    for layer in layers:
        for name, value in layer.items():
            # A keyed value overrides key by key: a team changing one role's share keeps
            # the company's shares for the others.
            keyed = name in KEYED or name in BY_INDUSTRY
            if keyed and isinstance(value, Mapping) and isinstance(values.get(name), dict):
                values[name] = {**values[name], **value}
            else:
                values[name] = value
    return values


def policy_from(values: Mapping[str, Any], timezone: str) -> Policy:
    """A Policy from complete, valid values."""
    kwargs: dict[str, Any] = {}
    for name in PER_LEVEL:
        value = values[name]
        kwargs[name] = value if _is_number(value) else {Level(k): v for k, v in value.items()}
    kwargs.update({name: values[name] for name in (*NUMBERS, *FLAGS)})
    kwargs.update({name: dict(values[name]) for name in KEYED})
    kwargs.update({name: dict(values[name]) for name in BY_INDUSTRY})
    kwargs["valid_follow_up_kinds"] = frozenset(values["valid_follow_up_kinds"])
    kwargs["holidays"] = tuple(_holiday(item) for item in values["holidays"])
    return Policy(timezone=timezone, **kwargs)
