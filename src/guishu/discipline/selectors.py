"""Read-only queries of customer discipline, with the viewer's visibility applied.

A rep sees their own customers, complaints, plan and time; a manager their team trees';
directors and admins everyone's (`guishu.ownership.selectors.customers_of_team`,
`guishu.accounts.selectors.managed_user_ids`).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from guishu.accounts.models import User
from guishu.accounts.selectors import managed_user_ids
from guishu.activities.models import Activity, Order
from guishu.discipline.cadence import contact_facts, with_contacts
from guishu.discipline.models import Complaint, TimeEntry, WeeklyPlan
from guishu.domain import (
    Role,
    cadence_status,
)
from guishu.domain.cadence import ComplaintFacts, Loyalty, complaint_loyalty
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
from guishu.ownership.policies import policy_for
from guishu.ownership.selectors import customers_of_team, reclaim_forecast_of


def plan_candidates(rep: User, now: datetime) -> list[Candidate]:
    """A rep's own customers as the weekly plan weighs them: cadence and reclaim forecast."""
    policy = policy_for(rep, now)
    customers = with_contacts(
        customers_of_team(rep).filter(ownerships__owner=rep, ownerships__ended_at__isnull=True),
        policy.valid_follow_up_kinds,
    )
    candidates = []
    for customer in customers.order_by("pk"):
        facts = contact_facts(customer)
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
