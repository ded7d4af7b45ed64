"""Cost to serve by channel, per customer and per segment (customer level), against margin.

Every activity by someone in scope in the period costs what one touch on its channel costs
(policy `channel_cost_cents`: field visit : phone : e-mail = 100 : 1 : 0.01 by default).
Margin is the credited sales (won orders, one currency) to the same people times the level's
gross margin (policy `margin_percent`): orders carry no cost of goods, so the margin rate is a
setting, not a fact. What is left after serving is margin minus cost.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When

from guishu.accounts.models import User
from guishu.activities.models import Activity, Order, OrderCredit
from guishu.customers.models import Customer
from guishu.domain.policy import ACTIVITY_CHANNELS, Policy
from guishu.ownership.policies import policy_in_force
from guishu.reports.scope import Period, report_scope
from guishu.reports.sql import q, rows_over, table

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


def _touches_by_customer(scope_q: Q, period: Period, policy: Policy):  # type: ignore[no-untyped-def]
    cost = Case(
        *(When(channel=c, then=Value(policy.channel_cost_cents[c])) for c in ACTIVITY_CHANNELS),
        default=Value(0),
        output_field=IntegerField(),
    )
    # Not COUNT(id): the covering index on occurred_at (docs/reports.md) holds no id.
    counts = {f"n_{c}": Count("customer_id", filter=Q(channel=c)) for c in ACTIVITY_CHANNELS}
    return (
        Activity.objects.filter(scope_q, occurred_at__gte=period.start, occurred_at__lt=period.end)
        .values("customer_id")
        .annotate(**counts, cost_cents=Sum(cost))
        .order_by()
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
    per_customer = _touches_by_customer(scope.q("by_id"), period, policy)
    sums = ", ".join(f"SUM(x.{q('n_' + c)})" for c in ACTIVITY_CHANNELS)
    each = ", ".join(f"x.{q('n_' + c)}" for c in ACTIVITY_CHANNELS)
    customers = table(Customer)
    # One pass over the period's activities (a CTE both halves read): the levels' sums, and
    # the customers that cost most. Level rows carry no customer.
    rows = rows_over(
        per_customer,
        f"WITH x AS {{inner}} "  # noqa: S608  # nosec B608
        f"SELECT 0, c.level, NULL, COUNT(*), {sums}, SUM(x.cost_cents) "
        f"FROM x INNER JOIN {customers} c ON c.id = x.customer_id GROUP BY c.level "
        f"UNION ALL SELECT * FROM (SELECT 1, NULL, x.customer_id, 1, {each}, x.cost_cents "
        f"FROM x ORDER BY x.cost_cents DESC, x.customer_id LIMIT {TOP_CUSTOMERS}) t",
    )
    by_level = [(r[1], r[3], *r[4:]) for r in rows if r[0] == 0]
    top_rows_raw = sorted((r for r in rows if r[0] == 1), key=lambda r: (-r[-1], r[2]))
    named = {
        c.pk: c
        for c in Customer.objects.filter(pk__in=[r[2] for r in top_rows_raw]).only(
            "pk", "name", "level"
        )
    }
    top = [
        (r[2], named[r[2]].name, named[r[2]].level, *r[4:]) for r in top_rows_raw if r[2] in named
    ]
    credits = OrderCredit.objects.filter(
        scope.q("user_id"),
        order__status=Order.Status.WON,
        order__currency=currency,
        order__ordered_at__gte=period.start,
        order__ordered_at__lt=period.end,
    )
    revenue_by_level = {
        row["order__customer__level"]: row["revenue"]
        for row in credits.values("order__customer__level").annotate(revenue=Sum("amount"))
    }
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
        row = found.get(level)
        revenue = revenue_by_level.get(level) or ZERO
        touches = dict(zip(ACTIVITY_CHANNELS, row[2:-1], strict=True)) if row else {}
        segments.append(
            CostRow(
                str(Customer.LevelChoice(level).label),
                level,
                row[1] if row else 0,
                {c: int(touches.get(c) or 0) for c in ACTIVITY_CHANNELS},
                _money(row[-1] if row else 0),
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
