"""Conflict and pool health per month: collisions, disputes opened, customers returning to
the pool (reclaimed by the sweep, released by their owner) and customers claimed from it.

A collision or dispute counts when someone in scope is a party (the one who collided or
challenged, or the owner); a reclaim or release when someone in scope lost the customer; a
claim when someone in scope took it. Months are company-local calendar months.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from guishu.accounts.models import User
from guishu.customers.models import Customer
from guishu.disputes.models import Collision, Dispute
from guishu.domain import EventKind
from guishu.ownership.models import Ownership, OwnershipEvent
from guishu.reports.scope import Period, report_scope

MAX_MONTHS = 240
FLOWS = ("collisions", "disputes", "reclaimed", "released", "claimed")


@dataclass(frozen=True)
class MonthFlows:
    month: date | None  # None for the total
    collisions: int = 0
    disputes: int = 0
    reclaimed: int = 0
    released: int = 0
    claimed: int = 0

    @property
    def returned(self) -> int:
        return self.reclaimed + self.released

    @property
    def net_to_pool(self) -> int:
        """Customers the pool gained (positive) or lost (negative) through these flows."""
        return self.returned - self.claimed


@dataclass(frozen=True)
class PoolHealth:
    period: Period
    months: list[MonthFlows]
    total: MonthFlows
    pool_size: int


def _monthly(queryset, field: str, by: str | None = None):  # type: ignore[no-untyped-def]
    """Counts per company-local month (and per `by`, when given: keys are (by, month))."""
    zone = timezone.get_current_timezone()
    groups = ("month", by) if by else ("month",)
    rows = (
        queryset.annotate(month=TruncMonth(field, tzinfo=zone))
        .values(*groups)
        .annotate(n=Count("*"))
        .order_by()
    )
    found: dict[Any, int] = {}
    for row in rows:
        month = row["month"]
        day = month.date() if hasattr(month, "date") else month
        key = (row[by], day) if by else day
        found[key] = found.get(key, 0) + row["n"]
    return found


def _months(period: Period) -> list[date]:
    """The company-local months the period touches (at most 20 years of them)."""
    zone = timezone.get_current_timezone()
    current = period.start.astimezone(zone).date().replace(day=1)
    last = (period.end - timedelta(microseconds=1)).astimezone(zone).date()
    months: list[date] = []
    while current <= last and len(months) < MAX_MONTHS:
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def pool_health(*, viewer: User, period: Period, team_id: int | None = None) -> PoolHealth:
    scope = report_scope(viewer, team_id)
    between = {"at__gte": period.start, "at__lt": period.end}
    counts: dict[str, dict[date, int]] = {
        "collisions": _monthly(
            Collision.objects.filter(scope.q("attempted_by_id", "owner_id"), **between), "at"
        ),
        "disputes": _monthly(
            Dispute.objects.filter(
                scope.q("owner_id", "challenger_id"),
                opened_at__gte=period.start,
                opened_at__lt=period.end,
            ),
            "opened_at",
        ),
    }
    # The pool's flows in one pass over the period's events, by kind and month.
    flows = {
        EventKind.RECLAIMED.value: "reclaimed",
        EventKind.RELEASED.value: "released",
        EventKind.CLAIMED.value: "claimed",
    }
    events = OwnershipEvent.objects.filter(
        (
            Q(kind__in=[EventKind.RECLAIMED.value, EventKind.RELEASED.value])
            & scope.q("from_owner_id")
        )
        | (Q(kind=EventKind.CLAIMED.value) & scope.q("to_owner_id")),
        **between,
    )
    for (kind, month), n in _monthly(events, "at", "kind").items():
        counts.setdefault(flows[kind], {})[month] = n
    by_month: dict[date, dict[str, int]] = defaultdict(dict)
    for flow, months in counts.items():
        for month, n in months.items():
            by_month[month][flow] = n
    month_list = sorted(set(_months(period)) | set(by_month))
    rows = [MonthFlows(month, **by_month.get(month, {})) for month in month_list]
    total = MonthFlows(None, **{flow: sum(getattr(r, flow) for r in rows) for flow in FLOWS})
    # One owner at most per customer (a database constraint): the pool is everyone else.
    owned = Ownership.objects.filter(ended_at__isnull=True).count()
    pool_size = Customer.objects.count() - owned
    return PoolHealth(period, rows, total, pool_size)
