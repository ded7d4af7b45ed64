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
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, Max, Min, OuterRef, Q, Sum

from guishu.accounts.models import User
from guishu.activities.models import Activity, Order, OrderCredit
from guishu.customers.models import Contact, Customer
from guishu.ownership.models import Ownership
from guishu.reports.scope import Period, Scope, people_refs, report_scope
from guishu.reports.sql import q, rows_over, table

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


def _rep_shares(scope: Scope, period: Period, currency: str) -> list[RepShare]:
    rows = list(
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
    )
    total = sum((r["revenue"] for r in rows), ZERO)
    people = people_refs({r["user_id"] for r in rows})
    shares, running = [], ZERO
    for rank, row in enumerate(rows, start=1):
        running += row["revenue"]
        person = people[row["user_id"]]
        shares.append(
            RepShare(
                rank,
                person.id,
                person.name,
                person.team,
                row["revenue"],
                float(row["revenue"] / total) if total else 0.0,
                float(running / total) if total else 0.0,
            )
        )
    return shares


def _top(shares: list[RepShare], n: int) -> float | None:
    return shares[min(n, len(shares)) - 1].cumulative if shares else None


def _owned(scope: Scope):  # type: ignore[no-untyped-def]
    return Ownership.objects.filter(scope.q("owner_id"), ended_at__isnull=True)


def _spread(scope: Scope, period: Period) -> list[ContactSpread]:
    """One pass over the period's activities, grouped per customer, joined to the customers
    owned now by someone in scope."""
    activities = Activity.objects.filter(occurred_at__gte=period.start, occurred_at__lt=period.end)
    if scope.people is not None:
        # Only the customers in scope are grouped (the join below would drop the others).
        activities = activities.filter(customer_id__in=_owned(scope).values("customer_id"))
    per_customer = (
        activities.values("customer_id").annotate(lo=Min("by_id"), hi=Max("by_id")).order_by()
    )
    owners, params = scope.sql("o.owner_id")
    found = {
        row[0]: row
        for row in rows_over(
            per_customer,
            "SELECT c.level, COUNT(*), SUM(CASE WHEN x.lo = x.hi THEN 1 ELSE 0 END) "  # noqa: S608  # nosec B608
            f"FROM {{inner}} x INNER JOIN {table(Ownership)} o ON o.customer_id = x.customer_id "
            f"AND o.ended_at IS NULL AND {owners} "
            f"INNER JOIN {table(Customer)} c ON c.id = x.customer_id GROUP BY c.level",
            params,
        )
    }
    return [
        ContactSpread(
            level,
            str(Customer.LevelChoice(level).label),
            found[level][1] if level in found else 0,
            int(found[level][2] or 0) if level in found else 0,
        )
        for level in Customer.LevelChoice.values
    ]


def _key_accounts(scope: Scope) -> tuple[int, int, dict[str, int]]:
    """Key accounts owned in scope, those with any decision-chain contact, and per role those
    with a contact in it: one grouped query over the accounts and their contacts."""
    roles = Contact.ChainRole.values
    per_account = (
        _owned(scope)
        .filter(customer__level=KEY_LEVEL)
        .values("customer_id")
        .annotate(
            **{
                f"r_{role}": Count(
                    "customer__contacts", filter=Q(customer__contacts__chain_role=role)
                )
                for role in roles
            }
        )
        .order_by()
    )
    any_role = " + ".join(f"x.{q('r_' + role)}" for role in roles)
    each = ", ".join(f"SUM(CASE WHEN x.{q('r_' + role)} > 0 THEN 1 ELSE 0 END)" for role in roles)
    row = rows_over(
        per_account,
        f"SELECT COUNT(*), SUM(CASE WHEN {any_role} > 0 THEN 1 ELSE 0 END), {each} "  # noqa: S608  # nosec B608
        "FROM {inner} x",
    )[0]
    return (
        int(row[0] or 0),
        int(row[1] or 0),
        {role: int(n or 0) for role, n in zip(roles, row[2:], strict=True)},
    )


def concentration(
    *, viewer: User, period: Period, team_id: int | None = None, currency: str = "CNY"
) -> Concentration:
    scope = report_scope(viewer, team_id)
    shares = _rep_shares(scope, period, currency)
    key_accounts, with_chain, by_role = _key_accounts(scope)
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
        spread=_spread(scope, period),
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
