"""Relationship concentration: how much revenue the top reps hold, which customers only one
person ever talks to, and how much of key accounts' decision chains (决策链) we know.

"Process over heroes" (DOMAIN.md §11): the more revenue sits with a few reps and the more
customers hear from one person only, the more the company loses when someone leaves.

- Revenue: credited sales (won orders, one currency) in the period, per rep in scope.
- Single contact: customers owned now by someone in scope whose activities in the period
  were all by one person, against those contacted in the period at all.
- Key accounts are level A customers owned now by someone in scope; a role is covered when
  the account has a contact with that decision-chain role.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from django.db.models import Count, Exists, FilteredRelation, Max, Min, OuterRef, Q, Sum

from guishu.accounts.models import User
from guishu.activities.models import Activity, Order, OrderCredit
from guishu.customers.models import Contact, Customer
from guishu.ownership.models import Ownership
from guishu.reports.scope import Period, Scope, people_refs, report_scope
from guishu.reports.sql import added_up, at_once, customer_ranges, q, rows_over, table

ZERO = Decimal("0.00")
TOP_LISTED = 20
KEY_LEVEL = Customer.LevelChoice.A


@dataclass(frozen=True)
class RepShare:
    rank: int
    person_id: int
    name: str
    team: str
    revenue: Decimal
    share: float
    cumulative: float


@dataclass(frozen=True)
class ContactSpread:
    """Per level: owned customers contacted in the period, and those contacted by one person
    only."""

    level: str
    label: str
    contacted: int
    single: int

    @property
    def single_share(self) -> float | None:
        return self.single / self.contacted if self.contacted else None


@dataclass(frozen=True)
class ChainRole:
    role: str
    label: str
    accounts: int
    share: float | None


@dataclass(frozen=True)
class Concentration:
    period: Period
    currency: str
    revenue: Decimal
    reps: list[RepShare]
    top1_share: float | None
    top3_share: float | None
    top_fifth_share: float | None
    spread: list[ContactSpread]
    key_accounts: int
    key_accounts_with_chain: int
    chain: list[ChainRole]
    without_decision_maker: list[tuple[int, str]]


def _revenue_by_rep(scope: Scope, period: Period, currency: str) -> list[tuple[Any, ...]]:
    return list(
        OrderCredit.objects.filter(
            scope.q("user_id"),
            order__status=Order.Status.WON,
            order__currency=currency,
            order__ordered_at__gte=period.start,
            order__ordered_at__lt=period.end,
        )
        .values("user_id")
        .annotate(revenue=Sum("amount"))
        .order_by("-revenue", "user_id")
        .values_list("user_id", "revenue")
    )


def _rep_shares(rows: list[tuple[Any, ...]]) -> list[RepShare]:
    total = sum((revenue for _user, revenue in rows), ZERO)
    people = people_refs({user_id for user_id, _revenue in rows})
    shares, running = [], ZERO
    for rank, (user_id, revenue) in enumerate(rows, start=1):
        running += revenue
        person = people[user_id]
        shares.append(
            RepShare(
                rank,
                person.id,
                person.name,
                person.team,
                revenue,
                float(revenue / total) if total else 0.0,
                float(running / total) if total else 0.0,
            )
        )
    return shares


def _top(shares: list[RepShare], n: int) -> float | None:
    return shares[min(n, len(shares)) - 1].cumulative if shares else None


def _owned(scope: Scope):  # type: ignore[no-untyped-def]
    return Ownership.objects.filter(scope.q("owner_id"), ended_at__isnull=True)


def _spread_in(scope: Scope, period: Period, low: int, high: int) -> list[tuple[Any, ...]]:
    """Per level, for the customers with ids low..high: one pass over the period's activities
    grouped per customer, joined to the customers owned now by someone in scope."""
    activities = Activity.objects.filter(
        customer_id__gte=low,
        customer_id__lte=high,
        occurred_at__gte=period.start,
        occurred_at__lt=period.end,
    )
    if scope.people is not None:
        # Only the customers in scope are grouped (the join below would drop the others).
        activities = activities.filter(customer_id__in=_owned(scope).values("customer_id"))
    per_customer = (
        activities.values("customer_id").annotate(lo=Min("by_id"), hi=Max("by_id")).order_by()
    )
    owners, params = scope.sql("o.owner_id")
    return rows_over(
        per_customer,
        "SELECT c.level, COUNT(*), SUM(CASE WHEN x.lo = x.hi THEN 1 ELSE 0 END) "  # noqa: S608  # nosec B608
        f"FROM {{inner}} x INNER JOIN {table(Ownership)} o ON o.customer_id = x.customer_id "
        f"AND o.ended_at IS NULL AND {owners} AND o.customer_id BETWEEN %s AND %s "
        f"INNER JOIN {table(Customer)} c ON c.id = x.customer_id AND c.id BETWEEN %s AND %s "
        "GROUP BY c.level",
        [*params, low, high, low, high],
    )


def _spread(parts: list[list[tuple[Any, ...]]]) -> list[ContactSpread]:
    """The ranges' figures per level, added up."""
    found = added_up((row for part in parts for row in part), key=0, start=1)
    return [
        ContactSpread(
            level,
            str(Customer.LevelChoice(level).label),
            found[level][0] if level in found else 0,
            found[level][1] if level in found else 0,
        )
        for level in Customer.LevelChoice.values
    ]


def _key_accounts_in(scope: Scope, low: int, high: int) -> list[tuple[Any, ...]]:
    """Key accounts owned in scope among the customers with ids low..high: one grouped query
    over the accounts and their contacts."""
    roles = Contact.ChainRole.values
    # The contacts joined are kept to the range too, so the database reads only theirs.
    contacts = FilteredRelation(
        "customer__contacts",
        condition=Q(customer__contacts__customer_id__gte=low)
        & Q(customer__contacts__customer_id__lte=high),
    )
    per_account = (
        _owned(scope)
        .filter(customer_id__gte=low, customer_id__lte=high, customer__level=KEY_LEVEL)
        .annotate(chain=contacts)
        .values("customer_id")
        .annotate(
            **{
                f"r_{role}": Count("chain__chain_role", filter=Q(chain__chain_role=role))
                for role in roles
            }
        )
        .order_by()
    )
    any_role = " + ".join(f"x.{q('r_' + role)}" for role in roles)
    each = ", ".join(f"SUM(CASE WHEN x.{q('r_' + role)} > 0 THEN 1 ELSE 0 END)" for role in roles)
    return rows_over(
        per_account,
        f"SELECT COUNT(*), SUM(CASE WHEN {any_role} > 0 THEN 1 ELSE 0 END), {each} "  # noqa: S608  # nosec B608
        "FROM {inner} x",
    )


def _key_accounts(parts: list[list[tuple[Any, ...]]]) -> tuple[int, int, dict[str, int]]:
    """Key accounts owned in scope, those with any decision-chain contact, and per role those
    with a contact in it: the ranges' counts added up."""
    roles = Contact.ChainRole.values
    totals = [0] * (2 + len(roles))
    for (row,) in parts:
        totals = [a + int(b or 0) for a, b in zip(totals, row, strict=True)]
    return totals[0], totals[1], dict(zip(roles, totals[2:], strict=True))


def concentration(
    *, viewer: User, period: Period, team_id: int | None = None, currency: str = "CNY"
) -> Concentration:
    scope = report_scope(viewer, team_id)
    ranges = customer_ranges()
    # Every range's spread and key accounts, and the sales by rep, at once where allowed.
    calls: list[Callable[[], list[tuple[Any, ...]]]] = [
        *(partial(_spread_in, scope, period, low, high) for low, high in ranges),
        *(partial(_key_accounts_in, scope, low, high) for low, high in ranges),
        partial(_revenue_by_rep, scope, period, currency),
    ]
    *parts, revenue_rows = at_once(calls)
    shares = _rep_shares(revenue_rows)
    key_accounts, with_chain, by_role = _key_accounts(parts[len(ranges) :])
    decision_maker = Contact.objects.filter(
        customer_id=OuterRef("customer_id"), chain_role=Contact.ChainRole.DECISION_MAKER
    )
    # The first accounts found (by id, so the database stops early), not sorted by name.
    lacking = (
        _owned(scope)
        .filter(customer__level=KEY_LEVEL)
        .exclude(Exists(decision_maker))
        .order_by("customer_id")
        .values_list("customer_id", "customer__name")[:TOP_LISTED]
    )
    fifth = max(1, math.ceil(len(shares) / 5)) if shares else 0
    return Concentration(
        period=period,
        currency=currency,
        revenue=sum((s.revenue for s in shares), ZERO),
        reps=shares,
        top1_share=_top(shares, 1),
        top3_share=_top(shares, 3),
        top_fifth_share=_top(shares, fifth),
        spread=_spread(parts[: len(ranges)]),
        key_accounts=key_accounts,
        key_accounts_with_chain=with_chain,
        chain=[
            ChainRole(
                role,
                str(label),
                by_role.get(role, 0),
                by_role.get(role, 0) / key_accounts if key_accounts else None,
            )
            for role, label in Contact.ChainRole.choices
        ],
        without_decision_maker=list(lacking),
    )
