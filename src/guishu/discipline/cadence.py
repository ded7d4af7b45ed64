"""Contact cadence as the viewer sees it: the customers they see as owned, when each is next
due a contact, and why. A rep sees their own customers; a manager their team trees'; directors
and admins everyone's (`guishu.ownership.selectors.customers_of_team`, `terms_of_team`).

Two depths: `contact_dues` judges every customer from a few grouped queries (no reasons), and
`cadence_for` / `explained` build the full rows with reasons for the few a page shows.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.db.models import Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from guishu.accounts.models import User
from guishu.activities.models import Activity, Order
from guishu.customers.models import Customer
from guishu.discipline.models import Classification
from guishu.domain import (
    CadenceStatus,
    ContactFacts,
    Level,
    Strategy,
    TraceLine,
    cadence_status,
)
from guishu.domain.cadence import contact_due_at
from guishu.ownership.policies import PoliciesByTeam
from guishu.ownership.selectors import customers_of_team, terms_of_team

SERVICE = "service"


@dataclass(frozen=True)
class CadenceRow:
    """One owned customer with its next contact due and why (`status.trace`)."""

    customer_id: int
    name: str
    level: str
    owner_id: int
    owner_name: str
    strategy: Strategy | None
    status: CadenceStatus

    @property
    def reason(self) -> tuple[TraceLine, ...]:
        return self.status.trace

    @property
    def customer(self) -> "CustomerRef":
        """The customer as a list links it (`pk`, `name`), for the home page's slot."""
        return CustomerRef(self.customer_id, self.name)

    @property
    def why(self) -> str:
        """The reason in the active language, one sentence after another."""
        from guishu.web.trace import translate_trace

        return "; ".join(translate_trace(line) for line in self.reason)


class CustomerRef(NamedTuple):
    pk: int
    name: str


def _latest(rows: QuerySet[Activity], column: str = "occurred_at") -> Subquery:
    return Subquery(rows.order_by(f"-{column}").values(column)[:1])


def with_contacts(customers: QuerySet[Customer], kinds: Iterable[str]) -> QuerySet[Customer]:
    """Annotates the latest contact of `kinds`, the latest non-service contact, the latest
    service, the latest won order and the engagement strategy: correlated subqueries, so a
    list costs the same queries for 5 rows or 500."""
    kinds = sorted(kinds)
    mine = Activity.objects.filter(customer=OuterRef("pk"))
    return customers.annotate(
        last_contact_at=_latest(mine.filter(kind__in=kinds)),
        followed_up_at=_latest(mine.filter(kind__in=kinds).exclude(kind=SERVICE)),
        last_service_at=_latest(mine.filter(kind=SERVICE)),
        last_order_at=Subquery(
            Order.objects.filter(customer=OuterRef("pk"), status=Order.Status.WON)
            .order_by("-ordered_at")
            .values("ordered_at")[:1]
        ),
        strategy_code=Subquery(
            Classification.objects.filter(customer=OuterRef("pk")).values("strategy")[:1]
        ),
    )


def contact_facts(customer: Customer) -> ContactFacts:
    c = customer
    after = [m for m in (c.last_service_at, c.last_order_at) if m is not None]  # type: ignore[attr-defined]
    strategy = c.strategy_code or None  # type: ignore[attr-defined]
    return ContactFacts(
        level=Level(c.level),
        since=c.owner_since,  # type: ignore[attr-defined]
        strategy=Strategy(strategy) if strategy else None,
        last_contact_at=c.last_contact_at,  # type: ignore[attr-defined]
        after_sales_at=max(after) if after else None,
        followed_up_at=c.followed_up_at,  # type: ignore[attr-defined]
    )


def cadence_for(
    user: User,
    now: datetime | None = None,
    *,
    owner_id: int | None = None,
    customer_ids: Iterable[int] | None = None,
) -> list[CadenceRow]:
    """The customers `user` sees as owned (their own; a manager's team trees'; everyone's
    for directors and admins), or those of them named in `customer_ids`, each with its next
    contact due and why, earliest first."""
    now = now or timezone.now()
    policies = PoliciesByTeam(now)
    customers = customers_of_team(user)
    if owner_id is not None:
        customers = customers.filter(
            ownerships__owner_id=owner_id, ownerships__ended_at__isnull=True
        )
    if customer_ids is not None:
        customers = customers.filter(pk__in=list(customer_ids))
    customers = with_contacts(customers, policies.company.valid_follow_up_kinds)
    rows = list(customers.order_by("pk"))
    owners = User.objects.in_bulk({c.owner_id for c in rows})  # type: ignore[attr-defined]
    found = []
    for customer in rows:
        owner = owners[customer.owner_id]  # type: ignore[attr-defined]
        facts = contact_facts(customer)
        status = cadence_status(facts, policies.of(owner.team_id), now)
        found.append(
            CadenceRow(
                customer.pk,
                customer.name,
                customer.level,
                owner.pk,
                owner.name,
                facts.strategy,
                status,
            )
        )
    found.sort(key=lambda row: (row.status.due_at, row.customer_id))
    return found


class ContactDue(NamedTuple):
    """When one owned customer is next due a contact (no reasons: `cadence_for` gives them).
    A tuple, so sorting a hundred thousand of them compares in C."""

    due_at: datetime
    customer_id: int


def too_many_to_judge(user: User) -> int | None:
    """How many customers `user` sees as owned when that is more than the lists judge one by
    one (`GUISHU_LIST_JUDGE_LIMIT`), else None."""
    count = terms_of_team(user).count()
    return count if count > int(settings.GUISHU_LIST_JUDGE_LIMIT) else None


def contact_dues(
    user: User, now: datetime | None = None, *, owner_id: int | None = None
) -> list[ContactDue]:
    """The customers `user` sees as owned, each with when its next contact is due, earliest
    first. The same rule as `cadence_for` (`contact_due_at`), judged from a few grouped
    queries read as plain tuples: a manager's hundred thousand customers cost a second or two
    where building each one's reasons cost a minute. Explain only the rows a page shows."""
    now = now or timezone.now()
    policies = PoliciesByTeam(now)
    kinds = sorted(policies.company.valid_follow_up_kinds)
    terms = terms_of_team(user)
    if owner_id is not None:
        terms = terms.filter(owner_id=owner_id)
    owned = terms.values_list("customer_id", "owner__team_id", "started_at", "customer__level")
    ids = terms.values("customer_id")
    counted = Q(kind__in=kinds)
    contacts = {
        row[0]: row[1:]
        for row in Activity.objects.filter(customer_id__in=ids)
        .values("customer_id")
        .annotate(
            last=Max("occurred_at", filter=counted),
            followed=Max("occurred_at", filter=counted & ~Q(kind=SERVICE)),
            service=Max("occurred_at", filter=Q(kind=SERVICE)),
        )
        .order_by()
        .values_list("customer_id", "last", "followed", "service")
    }
    orders = dict(
        Order.objects.filter(customer_id__in=ids, status=Order.Status.WON)
        .values("customer_id")
        .annotate(at=Max("ordered_at"))
        .order_by()
        .values_list("customer_id", "at")
    )
    strategies = dict(
        Classification.objects.filter(customer_id__in=ids)
        .exclude(strategy="")
        .values_list("customer_id", "strategy")
    )
    nothing = (None, None, None)
    dues = []
    for customer_id, team_id, since, level in owned:
        last, followed, service = contacts.get(customer_id, nothing)
        after = [at for at in (service, orders.get(customer_id)) if at is not None]
        strategy = strategies.get(customer_id)
        facts = ContactFacts(
            level=Level(level),
            since=since,
            strategy=Strategy(strategy) if strategy else None,
            last_contact_at=last,
            after_sales_at=max(after) if after else None,
            followed_up_at=followed,
        )
        dues.append(ContactDue(contact_due_at(facts, policies.of(team_id)), customer_id))
    dues.sort()
    return dues


def overdue_dues(user: User, now: datetime, *, owner_id: int | None = None) -> list[ContactDue]:
    """The customers of `contact_dues` whose contact is due by `now`, most overdue first."""
    return [due for due in contact_dues(user, now, owner_id=owner_id) if due.due_at <= now]


def explained(user: User, dues: list[ContactDue], now: datetime) -> list[CadenceRow]:
    """The full rows, with reasons, of the given customers, in the order given."""
    rows = {
        row.customer_id: row
        for row in cadence_for(user, now, customer_ids=[d.customer_id for d in dues])
    }
    return [rows[d.customer_id] for d in dues if d.customer_id in rows]


@dataclass(frozen=True)
class OverduePage:
    """How many customers are overdue, and a page of them (most overdue first, explained)."""

    total: int
    rows: list[CadenceRow]


def overdue_page(
    user: User, now: datetime | None = None, *, offset: int = 0, limit: int = 50
) -> OverduePage:
    now = now or timezone.now()
    overdue = overdue_dues(user, now)
    return OverduePage(len(overdue), explained(user, overdue[offset : offset + limit], now))


def overdue_for(user: User, now: datetime | None = None) -> list[CadenceRow]:
    """The customers whose contact is overdue, as `user` sees them (a rep their own, a
    manager their team's), most overdue first. Each row has `due_at`, `days_overdue` and the
    reason as trace lines in `status`; the weekly digest and the API list them all."""
    now = now or timezone.now()
    return explained(user, overdue_dues(user, now), now)
