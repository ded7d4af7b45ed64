"""Sales from new customers, from existing customers, and incremental growth, by rep and team.

Money is the credited amount (guishu.activities OrderCredit: the owner's and collaborators'
shares of each won order), in one currency at a time. An order's customer is "new" when the
customer had no earlier won order (fixed when the order was recorded), else "existing".
Incremental growth is the change in sales from existing customers against the period of the
same length just before: what a rep grew, not what they kept.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from guishu.accounts.models import User
from guishu.activities.models import Order, OrderCredit
from guishu.reports.scope import Period, people_refs, report_scope

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class SalesRow:
    """One rep's figures (or a team's, or the total: `person_id` None)."""

    label: str
    person_id: int | None
    team: str
    new: Decimal
    existing: Decimal
    previous_existing: Decimal

    @property
    def total(self) -> Decimal:
        return self.new + self.existing

    @property
    def incremental(self) -> Decimal:
        return self.existing - self.previous_existing

    @property
    def new_share(self) -> float | None:
        return float(self.new / self.total) if self.total else None


@dataclass(frozen=True)
class SalesMix:
    period: Period
    currency: str
    reps: list[SalesRow]
    teams: list[SalesRow]
    total: SalesRow


def _summed(label: str, team: str, rows: list[SalesRow]) -> SalesRow:
    return SalesRow(
        label,
        None,
        team,
        sum((r.new for r in rows), ZERO),
        sum((r.existing for r in rows), ZERO),
        sum((r.previous_existing for r in rows), ZERO),
    )


def sales_mix(
    *, viewer: User, period: Period, team_id: int | None = None, currency: str = "CNY"
) -> SalesMix:
    """New, existing and incremental sales per rep in scope, rolled up per team (the reps'
    teams now) and in total; one grouped query."""
    scope = report_scope(viewer, team_id)
    previous = period.previous()
    in_period = Q(order__ordered_at__gte=period.start, order__ordered_at__lt=period.end)
    before = Q(order__ordered_at__gte=previous.start, order__ordered_at__lt=previous.end)
    new = Q(order__customer_status=Order.CustomerStatus.NEW)
    existing = Q(order__customer_status=Order.CustomerStatus.EXISTING)
    grouped = (
        OrderCredit.objects.filter(
            scope.q("user_id"),
            order__status=Order.Status.WON,
            order__currency=currency,
            order__ordered_at__gte=previous.start,
            order__ordered_at__lt=period.end,
        )
        .values("user_id")
        .annotate(
            new=Sum("amount", filter=in_period & new),
            existing=Sum("amount", filter=in_period & existing),
            previous_existing=Sum("amount", filter=before & existing),
        )
        .order_by()
    )
    figures = {row["user_id"]: row for row in grouped}
    people = people_refs(set(figures))
    reps = []
    for user_id, row in figures.items():
        person = people[user_id]
        reps.append(
            SalesRow(
                person.name,
                user_id,
                person.team,
                row["new"] or ZERO,
                row["existing"] or ZERO,
                row["previous_existing"] or ZERO,
            )
        )
    reps.sort(key=lambda r: (-r.total, r.label))
    by_team: dict[str, list[SalesRow]] = {}
    for rep in reps:
        by_team.setdefault(rep.team, []).append(rep)
    teams = sorted(
        (_summed(name or "—", name, rows) for name, rows in by_team.items()),
        key=lambda r: (-r.total, r.label),
    )
    return SalesMix(period, currency, reps, teams, _summed("", "", reps))
