"""Read-only queries of customer discipline, with the viewer's visibility applied.

A rep sees their own customers, complaints, plan and time; a manager their team trees';
directors and admins everyone's (`guishu.ownership.selectors.customers_of_team`,
`guishu.accounts.selectors.managed_user_ids`).
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from guishu.accounts.models import User
from guishu.accounts.selectors import managed_user_ids
from guishu.activities.models import Activity, Order
from guishu.customers.models import Customer
from guishu.discipline.models import Classification, Complaint, TimeEntry, WeeklyPlan
from guishu.domain import (
    CadenceStatus,
    ContactFacts,
    Level,
    Role,
    Strategy,
    TraceLine,
    cadence_status,
)
from guishu.domain.cadence import ComplaintFacts, Loyalty, complaint_loyalty, contact_due_at
from guishu.domain.planning import Candidate, PlanVsActual, plan_vs_actual, week_bounds
from guishu.domain.time_use import (
    ActivityTime,
    ManualTime,
    TimeAccount,
    Use,
    team_account,
    time_accounts,
    working_days,
)
from guishu.ownership.models import Ownership
from guishu.ownership.policies import PoliciesByTeam, policy_for
from guishu.ownership.selectors import customers_of_team, reclaim_forecast_of

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


def _facts(customer: Customer) -> ContactFacts:
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
        facts = _facts(customer)
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


def owned_in_view(user: User) -> QuerySet[Ownership]:
    """The current terms of the customers `user` sees as owned (their own; a manager's team
    trees'; everyone's for directors and admins)."""
    terms = Ownership.objects.filter(ended_at__isnull=True)
    manages = managed_user_ids(user)
    if manages is not None:
        terms = terms.filter(owner_id__in={*manages, user.pk})
    return terms


def too_many_to_judge(user: User) -> int | None:
    """How many customers `user` sees as owned when that is more than the lists judge one by
    one (`GUISHU_LIST_JUDGE_LIMIT`), else None."""
    limit = int(settings.GUISHU_LIST_JUDGE_LIMIT)
    count = owned_in_view(user)[: limit + 1].count()
    return owned_in_view(user).count() if count > limit else None


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
    terms = owned_in_view(user)
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
    overdue = [due for due in contact_dues(user, now) if due.due_at <= now]
    return OverduePage(len(overdue), explained(user, overdue[offset : offset + limit], now))


def overdue_for(user: User, now: datetime | None = None) -> list[CadenceRow]:
    """The customers whose contact is overdue, as `user` sees them (a rep their own, a
    manager their team's), most overdue first. Each row has `due_at`, `days_overdue` and the
    reason as trace lines in `status`; the weekly digest and the API list them all."""
    now = now or timezone.now()
    overdue = [due for due in contact_dues(user, now) if due.due_at <= now]
    return explained(user, overdue, now)


def plan_candidates(rep: User, now: datetime) -> list[Candidate]:
    """A rep's own customers as the weekly plan weighs them: cadence and reclaim forecast."""
    policy = policy_for(rep, now)
    customers = with_contacts(
        customers_of_team(rep).filter(ownerships__owner=rep, ownerships__ended_at__isnull=True),
        policy.valid_follow_up_kinds,
    )
    candidates = []
    for customer in customers.order_by("pk"):
        facts = _facts(customer)
        forecast = reclaim_forecast_of(customer, policy)
        candidates.append(
            Candidate(
                customer.pk,
                facts.level,
                facts.strategy,
                cadence_status(facts, policy, now),
                forecast.due_at if forecast else None,
            )
        )
    return candidates


# People in view ------------------------------------------------------------------------


def people_in_view(user: User) -> QuerySet[User]:
    """Whose plans and time `user` sees: themselves, and a manager's team trees (directors
    and admins: every rep and manager)."""
    managed = managed_user_ids(user)
    people = User.objects.filter(is_active=True)
    if managed is None:
        return people.filter(Q(role__in=(Role.REP, Role.MANAGER)) | Q(pk=user.pk))
    return people.filter(pk__in={*managed, user.pk})


# Portfolio -----------------------------------------------------------------------------


@dataclass
class Portfolio:
    """Customers by engagement strategy and potential, and reps' selling time per strategy."""

    by_strategy: Counter[str] = field(default_factory=Counter)
    by_level: Counter[str] = field(default_factory=Counter)
    grid: dict[str, Counter[str]] = field(default_factory=dict)  # level -> strategy -> count
    minutes: dict[int, Counter[str]] = field(default_factory=dict)  # rep -> strategy -> minutes
    people: dict[int, str] = field(default_factory=dict)
    total: int = 0


UNCLASSIFIED = "unclassified"


def portfolio_for(user: User, now: datetime | None = None, *, days: int = 30) -> Portfolio:
    """The portfolio `user` sees: owned customers by strategy and level, and the minutes the
    reps in view spent with customers of each strategy over the last `days` days."""
    from guishu.domain.time_use import TYPICAL_MINUTES

    now = now or timezone.now()
    portfolio = Portfolio()
    counts = (
        customers_of_team(user)
        .values("level", "classification__strategy")
        .annotate(n=Count("pk", distinct=True))
    )
    for row in counts:
        strategy = row["classification__strategy"] or UNCLASSIFIED
        portfolio.by_strategy[strategy] += row["n"]
        portfolio.by_level[row["level"]] += row["n"]
        portfolio.grid.setdefault(row["level"], Counter())[strategy] += row["n"]
        portfolio.total += row["n"]
    people = people_in_view(user)
    portfolio.people = {person.pk: person.name for person in people}
    activities = Activity.objects.filter(
        by__in=people, occurred_at__gt=now - timedelta(days=days), occurred_at__lte=now
    ).values_list("by_id", "customer__classification__strategy", "kind", "duration_minutes")
    for person, strategy, kind, minutes in activities.iterator():
        spent = minutes or TYPICAL_MINUTES.get(kind, 10)
        portfolio.minutes.setdefault(person, Counter())[strategy or UNCLASSIFIED] += spent
    return portfolio


# Complaints ----------------------------------------------------------------------------


def complaints_visible_to(user: User) -> QuerySet[Complaint]:
    """Complaints on customers `user` sees as owned, or handled by someone in view."""
    rows = Complaint.objects.select_related("customer", "handler", "opened_by", "closed_by")
    managed = managed_user_ids(user)
    if managed is None:
        return rows
    owned = customers_of_team(user).values("pk")
    return rows.filter(Q(customer__in=owned) | Q(handler_id__in={*managed, user.pk}))


def complaint_loyalty_for(user: User, now: datetime | None = None) -> Loyalty:
    """Repeat orders within 12 months after the complaints `user` sees, resolved vs not."""
    now = now or timezone.now()
    complaints = list(complaints_visible_to(user))
    facts = [
        ComplaintFacts(
            c.customer_id,
            c.received_at,
            resolved=c.status == Complaint.Status.RESOLVED,
            closed_at=c.closed_at,
        )
        for c in complaints
    ]
    orders: dict[int, list[datetime]] = defaultdict(list)
    rows = Order.objects.filter(
        customer_id__in={c.customer_id for c in complaints}, status=Order.Status.WON
    ).values_list("customer_id", "ordered_at")
    for customer_id, at in rows:
        orders[customer_id].append(at)
    return complaint_loyalty(facts, orders, now)


# Plans ---------------------------------------------------------------------------------


def plan_of(user: User, rep_id: int, week_start: date) -> WeeklyPlan | None:
    """A rep's plan for a week, if `user` may see it (the rep, or someone over them)."""
    if not people_in_view(user).filter(pk=rep_id).exists():
        raise WeeklyPlan.DoesNotExist
    return (
        WeeklyPlan.objects.filter(rep_id=rep_id, week_start=week_start)
        .prefetch_related("items__customer")
        .first()
    )


def plan_progress(plan: WeeklyPlan) -> PlanVsActual:
    """Plan vs actual: the rep's contacts with each customer during the plan's week."""
    begins, ends = week_bounds(plan.week_start, timezone.get_current_timezone_name())
    contacts = dict(
        Activity.objects.filter(by_id=plan.rep_id, occurred_at__gte=begins, occurred_at__lt=ends)
        .values("customer_id")
        .annotate(n=Count("pk"))
        .values_list("customer_id", "n")
    )
    return plan_vs_actual([item.customer_id for item in plan.items.all()], contacts)


# Time ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeReport:
    first: date
    last: date
    days: int
    people: dict[int, str]
    accounts: dict[int, TimeAccount]
    team: TimeAccount


def time_report(user: User, first: date, last: date, *, person_id: int | None = None) -> TimeReport:
    """Time accounting for the people `user` sees (one of them with `person_id`), from the
    activities they logged and the time they entered, over company-local days first..last."""
    policy = policy_for(user)
    people = people_in_view(user)
    if person_id is not None:
        people = people.filter(pk=person_id)
    names = {person.pk: person.name for person in people.order_by("pk")}
    zone = timezone.get_current_timezone()
    begins = datetime(first.year, first.month, first.day, tzinfo=zone)
    ends = datetime(last.year, last.month, last.day, tzinfo=zone) + timedelta(days=1)
    activities = [
        ActivityTime(person, kind, minutes)
        for person, kind, minutes in Activity.objects.filter(
            by_id__in=names, occurred_at__gte=begins, occurred_at__lt=ends
        ).values_list("by_id", "kind", "duration_minutes")
    ]
    manual = [
        ManualTime(person, Use(use), minutes)
        for person, use, minutes in TimeEntry.objects.filter(
            person_id__in=names, on__gte=first, on__lte=last
        ).values_list("person_id", "use", "minutes")
    ]
    days = working_days(first, last, policy)
    accounts = time_accounts(activities, manual, people=names, days=days, policy=policy)
    return TimeReport(first, last, days, names, accounts, team_account(accounts.values()))
