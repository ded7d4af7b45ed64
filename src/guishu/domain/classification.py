"""Customer classification: potential (A/B/C) and engagement type with its strategy.

Potential ranks customers by what they could buy (DOMAIN.md §7): a yearly purchase potential
(the rep's estimate, or the won orders of the last 12 months when they are more) against
per-industry thresholds, and a large company is at least B even before it buys. A manager or
rep may set the potential by hand instead; a hand-set potential stands until changed.

Engagement type sorts customers by how they move with us: type 1 "earns with you" (let go,
放手: serve, don't smother), type 2 "moves when pushed" (dig in, 死磕), type 3 "won't move"
(give up, 放弃, when the customer lacks the capability to buy more; otherwise dig in). It is
computed from the monthly volume of our products, our share of the customer's purchases and
the customer's margin on our products, with per-industry thresholds (defaults 80k / 50k /
30k).

Every result carries its reasons as trace lines, like the ownership engine's decisions.
"""

from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from guishu.domain.policy import Level, Policy
from guishu.domain.trace import TraceLine
from guishu.domain.trace import gettext_noop as N_


class Engagement(StrEnum):
    """How a customer moves with us."""

    EARNS = "earns"  # type 1: earns with you
    PUSHED = "pushed"  # type 2: moves when pushed
    STUCK = "stuck"  # type 3: won't move

    @property
    def number(self) -> int:
        return {Engagement.EARNS: 1, Engagement.PUSHED: 2, Engagement.STUCK: 3}[self]


class Strategy(StrEnum):
    """What to do with a customer of each engagement type."""

    LET_GO = "let_go"  # 放手
    DIG_IN = "dig_in"  # 死磕
    GIVE_UP = "give_up"  # 放弃


@dataclass(frozen=True)
class ClassificationInputs:
    """What the rules read about one customer. Amounts are in the company currency; `our_share`
    and `margin` are percentages. None means "not known"."""

    industry: str = ""
    employees: int | None = None
    potential_estimate: Decimal | None = None  # yearly purchase potential
    orders_last_12_months: Decimal = Decimal(0)  # won orders: the history
    monthly_volume: Decimal | None = None  # the customer's monthly purchases of our products
    our_share: Decimal | None = None  # our share of the customer's purchases in our line
    margin: Decimal | None = None  # the customer's margin on our products


@dataclass(frozen=True)
class PotentialResult:
    level: Level
    trace: tuple[TraceLine, ...]


@dataclass(frozen=True)
class EngagementResult:
    """The type and strategy, or neither when the monthly volume is not known."""

    engagement: Engagement | None
    strategy: Strategy | None
    trace: tuple[TraceLine, ...]


def _money(amount: Decimal | int) -> str:
    return f"{Decimal(amount):,.0f}"


def _percent(value: Decimal | None) -> str:
    """10.00 -> "10", 12.50 -> "12.5"."""
    return "" if value is None else f"{value.normalize():f}"


def _industry(industry: str) -> str:
    return industry.strip() or "*"


def potential_of(inputs: ClassificationInputs, policy: Policy) -> PotentialResult:
    """Potential by rule: the best level any criterion reaches, each criterion one trace line."""
    a_at = policy.for_industry("potential_a_amount", inputs.industry)
    b_at = policy.for_industry("potential_b_amount", inputs.industry)
    trace: list[TraceLine] = []
    estimate = inputs.potential_estimate
    history = inputs.orders_last_12_months
    if estimate is None and not history:
        amount = None
        trace.append(TraceLine(N_("no purchase potential estimate and no orders in 12 months")))
    elif estimate is not None and estimate >= history:
        amount = estimate
        trace.append(
            TraceLine(
                N_("estimated yearly purchase potential {amount}"), {"amount": _money(amount)}
            )
        )
    else:
        amount = history
        trace.append(
            TraceLine(
                N_("won orders of the last 12 months {amount} (more than the estimate)"),
                {"amount": _money(amount)},
            )
        )
    level = Level.C
    if amount is not None:
        thresholds = {"a": _money(a_at), "b": _money(b_at), "industry": _industry(inputs.industry)}
        if amount >= a_at:
            level = Level.A
            message = N_("reaches {a} (industry {industry}): potential A")
        elif amount >= b_at:
            level = Level.B
            message = N_("reaches {b} but not {a} (industry {industry}): potential B")
        else:
            message = N_("below {b} (industry {industry}): potential C")
        trace.append(TraceLine(message, thresholds))
    large = inputs.employees is not None and inputs.employees >= policy.potential_b_employees
    if large and level is Level.C:
        level = Level.B
        trace.append(
            TraceLine(
                N_("{employees} employees (at least {size}): a large company is at least B"),
                {"employees": str(inputs.employees), "size": str(policy.potential_b_employees)},
            )
        )
    return PotentialResult(level, tuple(trace))


def engagement_of(inputs: ClassificationInputs, policy: Policy) -> EngagementResult:
    """Engagement type and strategy from volume, share and margin (DOMAIN.md §7).

    - type 1 (let go): monthly volume at or above the type-1 threshold and the customer earns
      at least the minimum margin on our products;
    - type 3: volume below the type-3 threshold; give up when even all of the customer's
      purchases (our volume divided by our share) could not reach the type-2 volume, else dig in;
    - type 2 (dig in): everything between, and big buyers who earn too little with us.
    """
    volume = inputs.monthly_volume
    source: tuple[TraceLine, ...] = ()
    if volume is None and inputs.orders_last_12_months > 0:
        # Not entered: a twelfth of what the customer bought from us in the last 12 months.
        volume = (inputs.orders_last_12_months / 12).quantize(Decimal(1))
        inputs = replace(inputs, monthly_volume=volume)
        source = (
            TraceLine(
                N_("monthly volume {volume}: a twelfth of the won orders of the last 12 months"),
                {"volume": _money(volume)},
            ),
        )
    if volume is None:
        return EngagementResult(None, None, (TraceLine(N_("monthly volume not known yet")),))
    result = _engagement(inputs, volume, policy)
    return replace(result, trace=(*source, *result.trace))


def _engagement(inputs: ClassificationInputs, volume: Decimal, policy: Policy) -> EngagementResult:
    industry = inputs.industry
    type1 = policy.for_industry("engagement_type1_volume", industry)
    type2 = policy.for_industry("engagement_type2_volume", industry)
    type3 = policy.for_industry("engagement_type3_volume", industry)
    min_margin = policy.for_industry("engagement_min_margin", industry)
    shown = {
        "volume": _money(volume),
        "type1": _money(type1),
        "type2": _money(type2),
        "type3": _money(type3),
        "industry": _industry(industry),
    }
    if volume >= type1:
        if inputs.margin is not None and inputs.margin >= min_margin:
            line = TraceLine(
                N_(
                    "monthly volume {volume} reaches {type1} (industry {industry}) and the "
                    "customer earns {margin}% on our products (at least {min}%): type 1, "
                    "let go: serve, don't smother"
                ),
                {**shown, "margin": _percent(inputs.margin), "min": str(min_margin)},
            )
            return EngagementResult(Engagement.EARNS, Strategy.LET_GO, (line,))
        if inputs.margin is None:
            line = TraceLine(
                N_(
                    "monthly volume {volume} reaches {type1} (industry {industry}) but the "
                    "customer's margin on our products is not known: type 2, dig in"
                ),
                shown,
            )
        else:
            line = TraceLine(
                N_(
                    "monthly volume {volume} reaches {type1} (industry {industry}) but the "
                    "customer earns only {margin}% on our products (less than {min}%): "
                    "type 2, dig in"
                ),
                {**shown, "margin": _percent(inputs.margin), "min": str(min_margin)},
            )
        return EngagementResult(Engagement.PUSHED, Strategy.DIG_IN, (line,))
    if volume >= type3:
        line = TraceLine(
            N_(
                "monthly volume {volume} is between {type3} and {type1} (industry {industry}): "
                "type 2, dig in to make it type 1"
            ),
            shown,
        )
        return EngagementResult(Engagement.PUSHED, Strategy.DIG_IN, (line,))
    below = TraceLine(
        N_("monthly volume {volume} is below {type3} (industry {industry}): type 3"), shown
    )
    capacity = _capacity(inputs)
    if capacity is None:
        unknown = TraceLine(
            N_("what the customer could buy is not known (no share, no estimate): dig in")
        )
        return EngagementResult(Engagement.STUCK, Strategy.DIG_IN, (below, unknown))
    total, source = capacity
    params = {**shown, "total": _money(total)}
    if total < type2:
        message = (
            N_(
                "all its purchases ({total} a month at our share of {share}%) could not reach "
                "{type2}: it lacks the capability, give up"
            )
            if source == "share"
            else N_(
                "its estimated potential ({total} a month) could not reach {type2}: it lacks "
                "the capability, give up"
            )
        )
        line = TraceLine(message, {**params, "share": _percent(inputs.our_share)})
        return EngagementResult(Engagement.STUCK, Strategy.GIVE_UP, (below, line))
    message = (
        N_("it buys {total} a month in all (our share {share}%), enough to reach {type2}: dig in")
        if source == "share"
        else N_("its estimated potential ({total} a month) can reach {type2}: dig in")
    )
    line = TraceLine(message, {**params, "share": _percent(inputs.our_share)})
    return EngagementResult(Engagement.STUCK, Strategy.DIG_IN, (below, line))


def _capacity(inputs: ClassificationInputs) -> tuple[Decimal, str] | None:
    """What the customer buys in our line in a month, all suppliers together: our volume over
    our share; or, without a share, a twelfth of the yearly potential estimate."""
    volume = inputs.monthly_volume
    assert volume is not None  # nosec B101 # checked by the caller
    if inputs.our_share is not None and inputs.our_share > 0:
        return (volume * 100 / inputs.our_share).quantize(Decimal(1)), "share"
    if inputs.potential_estimate is not None:
        return (inputs.potential_estimate / 12).quantize(Decimal(1)), "estimate"
    return None
