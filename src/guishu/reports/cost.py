"""Cost to serve by channel, per customer and per segment (customer level), against margin.

Every activity by someone in scope in the period costs what one touch on its channel costs
(policy `channel_cost_cents`: field visit : phone : e-mail = 100 : 1 : 0.01 by default).
Margin is the credited sales (won orders, one currency) to the same people times the level's
gross margin (policy `margin_percent`): orders carry no cost of goods, so the margin rate is a
setting, not a fact. What is left after serving is margin minus cost.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from django.db.models import Count, Q, Sum

from guishu.accounts.models import User
from guishu.activities.models import Activity, Order, OrderCredit
from guishu.customers.models import Customer
from guishu.domain.policy import ACTIVITY_CHANNELS, Policy
from guishu.ownership.policies import policy_in_force
from guishu.reports.scope import Period, report_scope
from guishu.reports.sql import added_up, at_once, customer_ranges, q, rows_over, table

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
TOP_CUSTOMERS = 50


@dataclass(frozen=True)
class CostRow:
    """A segment's (level's) or a customer's cost and margin, or the total's."""

    label: str
    level: str
    customers: int
    touches: dict[str, int]
    cost: Decimal
    revenue: Decimal
    margin: Decimal
    customer_id: int | None = None

    @property
    def after_cost(self) -> Decimal:
        return self.margin - self.cost

    @property
    def cost_to_margin(self) -> float | None:
        """Cost as a share of margin (above 1: served at a loss)."""
        return float(self.cost / self.margin) if self.margin else None


@dataclass(frozen=True)
class CostToServe:
    period: Period
    currency: str
    channels: list[str]
    unit_costs: dict[str, Decimal]
    weights: dict[str, Decimal]  # relative to a phone call
    segments: list[CostRow]
    total: CostRow
    top_customers: list[CostRow]


def _touches_by_customer(scope_q: Q, period: Period, low: int, high: int):  # type: ignore[no-untyped-def]
    # Not COUNT(id): the covering index in customer order (docs/reports.md) holds no id.
    counts = {f"n_{c}": Count("customer_id", filter=Q(channel=c)) for c in ACTIVITY_CHANNELS}
    return (
        Activity.objects.filter(
            scope_q,
            customer_id__gte=low,
            customer_id__lte=high,
            occurred_at__gte=period.start,
            occurred_at__lt=period.end,
        )
        .values("customer_id")
        .annotate(**counts)
        .order_by()
    )


def _range_rows(
    scope_q: Q, period: Period, policy: Policy, low: int, high: int
) -> list[tuple[Any, ...]]:
    """One pass over the period's activities of the customers with ids low..high, grouped per
    customer (a CTE both halves read): the levels' sums, and the range's customers that cost
    most. Level rows carry no customer."""
    per_customer = _touches_by_customer(scope_q, period, low, high)
    # The policy's unit costs are whole numbers of cents (validated when saved).
    cost = " + ".join(
        f"p.{q('n_' + c)} * {int(policy.channel_cost_cents[c])}" for c in ACTIVITY_CHANNELS
    )
    sums = ", ".join(f"SUM(x.{q('n_' + c)})" for c in ACTIVITY_CHANNELS)
    each = ", ".join(f"x.{q('n_' + c)}" for c in ACTIVITY_CHANNELS)
    return rows_over(
        per_customer,
        f"WITH x AS (SELECT p.*, c.level, {cost} AS cost_cents FROM {{inner}} p "  # noqa: S608  # nosec B608
        f"INNER JOIN {table(Customer)} c ON c.id = p.customer_id AND c.id BETWEEN %s AND %s) "
        f"SELECT 0, x.level, NULL, COUNT(*), {sums}, SUM(x.cost_cents) FROM x GROUP BY x.level "
        f"UNION ALL SELECT * FROM (SELECT 1, NULL, x.customer_id, 1, {each}, x.cost_cents "
        f"FROM x ORDER BY x.cost_cents DESC, x.customer_id LIMIT {TOP_CUSTOMERS}) t",
        [low, high],
    )


def _money(cents: int | None) -> Decimal:
    return (Decimal(cents or 0) * CENT).quantize(CENT)


def cost_to_serve(
    *, viewer: User, period: Period, team_id: int | None = None, currency: str = "CNY"
) -> CostToServe:
    """Per level and for the customers that cost most: touches per channel, their cost, the
    margin on credited sales, and what is left."""
    scope = report_scope(viewer, team_id)
    policy = policy_in_force()
    credits = OrderCredit.objects.filter(
        scope.q("user_id"),
        order__status=Order.Status.WON,
        order__currency=currency,
        order__ordered_at__gte=period.start,
        order__ordered_at__lt=period.end,
    )

    by_level_revenue = (
        credits.values("order__customer__level")
        .annotate(revenue=Sum("amount"))
        .values_list("order__customer__level", "revenue")
    )
    ranges = customer_ranges()
    # The ranges' activities and the revenue by level, at once where the database allows.
    calls: list[Callable[[], list[tuple[Any, ...]]]] = [
        partial(_range_rows, scope.q("by_id"), period, policy, low, high) for low, high in ranges
    ]
    *parts, revenue_rows = at_once([*calls, lambda: list(by_level_revenue)])
    rows = [row for part in parts for row in part]
    revenue_by_level: dict[str, Decimal] = dict(revenue_rows)
    # Each range's level sums added up; the costliest of every range's costliest.
    totals = added_up((r for r in rows if r[0] == 0), key=1, start=3)
    by_level: list[tuple[Any, ...]] = [(level, *sums) for level, sums in totals.items()]
    top_rows_raw = sorted((r for r in rows if r[0] == 1), key=lambda r: (-r[-1], r[2]))
    top_rows_raw = top_rows_raw[:TOP_CUSTOMERS]
    named = {
        c.pk: c
        for c in Customer.objects.filter(pk__in=[r[2] for r in top_rows_raw]).only(
            "pk", "name", "level"
        )
    }
    top = [
        (r[2], named[r[2]].name, named[r[2]].level, *r[4:]) for r in top_rows_raw if r[2] in named
    ]
    top_ids = [row[0] for row in top]
    revenue_of = {
        row["order__customer_id"]: row["revenue"]
        for row in credits.filter(order__customer_id__in=top_ids)
        .values("order__customer_id")
        .annotate(revenue=Sum("amount"))
    }

    def margin(level: str, revenue: Decimal) -> Decimal:
        rate = Decimal(policy.margin_percent.get(level, 0)) / 100
        return (revenue * rate).quantize(CENT)

    found = {row[0]: row for row in by_level}
    segments = []
    for level in Customer.LevelChoice.values:
        level_row = found.get(level)
        revenue = revenue_by_level.get(level) or ZERO
        touches = dict(zip(ACTIVITY_CHANNELS, level_row[2:-1], strict=True)) if level_row else {}
        segments.append(
            CostRow(
                str(Customer.LevelChoice(level).label),
                level,
                level_row[1] if level_row else 0,
                {c: int(touches.get(c) or 0) for c in ACTIVITY_CHANNELS},
                _money(level_row[-1] if level_row else 0),
                revenue,
                margin(level, revenue),
            )
        )
    total = CostRow(
        "",
        "",
        sum(s.customers for s in segments),
        {c: sum(s.touches[c] for s in segments) for c in ACTIVITY_CHANNELS},
        sum((s.cost for s in segments), ZERO),
        sum((s.revenue for s in segments), ZERO),
        sum((s.margin for s in segments), ZERO),
    )
    top_rows = []
    for row in top:
        revenue = revenue_of.get(row[0]) or ZERO
        top_rows.append(
            CostRow(
                row[1],
                row[2],
                1,
                {c: int(n or 0) for c, n in zip(ACTIVITY_CHANNELS, row[3:-1], strict=True)},
                _money(row[-1]),
                revenue,
                margin(row[2], revenue),
                customer_id=row[0],
            )
        )
    phone = Decimal(policy.channel_cost_cents["phone"]) or Decimal(1)
    return CostToServe(
        period,
        currency,
        list(ACTIVITY_CHANNELS),
        {c: _money(policy.channel_cost_cents[c]) for c in ACTIVITY_CHANNELS},
        {c: Decimal(policy.channel_cost_cents[c]) / phone for c in ACTIVITY_CHANNELS},
        segments,
        total,
        top_rows,
    )
