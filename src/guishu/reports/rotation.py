"""Rotation impact: for handovers executed in the period, the revenue of the customers that
moved, in a window before the handover and the same window after it.

"A test of who holds the relationship: how much sales suffer when the rep rotates away"
(DOMAIN.md §11). Revenue here is every won order of the moved customers (one currency),
whoever it was credited to: the question is whether the customer stayed with the company.
A handover whose after-window has not ended yet is marked partial.

A rep sees the handovers they left or received customers from; a manager those of their team
trees; directors and admins all.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from guishu.accounts.models import User
from guishu.activities.models import Order
from guishu.ownership.models import HandoverItem, HandoverPlan
from guishu.reports.scope import Period, people_refs, report_scope

ZERO = Decimal("0.00")
DEFAULT_WINDOW_DAYS = 180


@dataclass(frozen=True)
class HandoverImpact:
    plan_id: int | None
    rep: str
    team: str
    executed_at: datetime | None
    customers: int
    before: Decimal
    after: Decimal
    partial: bool

    @property
    def retained(self) -> float | None:
        """Revenue after as a share of revenue before (1.0: nothing lost)."""
        return float(self.after / self.before) if self.before else None


@dataclass(frozen=True)
class RotationImpact:
    period: Period
    currency: str
    window_days: int
    handovers: list[HandoverImpact]
    total: HandoverImpact


def rotation_impact(
    *,
    viewer: User,
    period: Period,
    team_id: int | None = None,
    currency: str = "CNY",
    window_days: int = DEFAULT_WINDOW_DAYS,
    now: datetime | None = None,
) -> RotationImpact:
    """One row per executed handover in the period (newest first), and the total; one
    grouped query over the handovers' items and their customers' orders."""
    now = now or timezone.now()
    scope = report_scope(viewer, team_id)
    window = timedelta(days=window_days)
    closed = F("plan__closed_at")
    orders = "customer__orders"
    won = Q(**{f"{orders}__status": Order.Status.WON, f"{orders}__currency": currency})
    before = won & Q(
        **{f"{orders}__ordered_at__gte": closed - window, f"{orders}__ordered_at__lt": closed}
    )
    after = won & Q(
        **{f"{orders}__ordered_at__gte": closed, f"{orders}__ordered_at__lt": closed + window}
    )
    rows = list(
        HandoverItem.objects.filter(
            scope.q("plan__rep_id", "to_id"),
            plan__status=HandoverPlan.Status.EXECUTED,
            plan__closed_at__gte=period.start,
            plan__closed_at__lt=period.end,
        )
        .values("plan_id", "plan__rep_id", "plan__closed_at")
        .annotate(
            customers=Count("customer_id", distinct=True),
            before=Sum(f"{orders}__amount", filter=before),
            after=Sum(f"{orders}__amount", filter=after),
        )
        .order_by("-plan__closed_at", "-plan_id")
    )
    people = people_refs({row["plan__rep_id"] for row in rows})
    handovers = [
        HandoverImpact(
            row["plan_id"],
            people[row["plan__rep_id"]].name,
            people[row["plan__rep_id"]].team,
            row["plan__closed_at"],
            row["customers"],
            row["before"] or ZERO,
            row["after"] or ZERO,
            row["plan__closed_at"] is not None and row["plan__closed_at"] + window > now,
        )
        for row in rows
    ]
    total = HandoverImpact(
        None,
        "",
        "",
        None,
        sum(h.customers for h in handovers),
        sum((h.before for h in handovers), ZERO),
        sum((h.after for h in handovers), ZERO),
        any(h.partial for h in handovers),
    )
    return RotationImpact(period, currency, window_days, handovers, total)
