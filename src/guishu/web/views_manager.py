"""The manager console: the team's customers and reps, reassigning a customer, and the
conflict review with conflicts over time (the handover wizard is in views_handover).

For managers (their team trees), directors and admins (everyone); reps get 404, like a page
that is not theirs to see. Customers are read through `customers_of_team` and
`customer_for_viewer`; every change of hands is one ownership service.
"""

import re
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from guishu.accounts.models import Team, User
from guishu.accounts.selectors import managed_user_ids, team_tree_ids
from guishu.activities.models import Activity
from guishu.customers.models import Customer
from guishu.disputes.models import Dispute
from guishu.disputes.review import Figures, conflict_review, may_review_conflicts
from guishu.disputes.selectors import disputes_visible_to
from guishu.domain import Role
from guishu.matching.reasons import MESSAGES
from guishu.ownership.policies import PoliciesByTeam
from guishu.ownership.selectors import (
    customer_for_viewer,
    customers_of_team,
    reclaim_forecast_of,
)
from guishu.ownership.services import customer_assign, customer_transfer
from guishu.web.charts import chart_spec
from guishu.web.forms_work import ReassignForm
from guishu.web.people import signed_in
from guishu.web.trace import translate_trace
from guishu.web.views_disputes import collisions_visible_to

PAGE_SIZE = 50
OWNING_ROLES = (Role.REP, Role.MANAGER)
RECENT_DAYS = 30
OWNER = "owner_id"  # the owner annotation of the selectors (`with_owner`)
REVIEW_WEEKS = 12
MAX_REVIEW_DAYS = 366
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def manager(request: HttpRequest) -> User:
    """The signed-in manager, director or admin; 404 for reps."""
    user = signed_in(request)
    if not may_review_conflicts(user):
        raise Http404(_("The manager console is for managers and directors."))
    return user


def team_people(user: User) -> QuerySet[User]:
    """The people who hold customers and answer to `user`: their team trees' reps and
    managers (themselves included), or everyone's for directors and admins."""
    people = User.objects.filter(role__in=OWNING_ROLES).select_related("team")
    manages = managed_user_ids(user)
    if manages is not None:
        people = people.filter(pk__in=manages)
    return people.order_by("team__name", "display_name", "username", "pk")


def receivers_for(user: User) -> list[User]:
    """Who may receive a customer from `user`: active people of theirs who hold customers."""
    return list(team_people(user).filter(is_active=True))


def receiver_of(user: User, user_id: int | None) -> User | None:
    if user_id is None:
        return None
    return team_people(user).filter(pk=user_id, is_active=True).first()


@require_safe
def manager_console(request: HttpRequest) -> HttpResponse:
    """The team's reps (holding, cap, recent activity) and customers (filters, reassign)."""
    user = manager(request)
    now = timezone.now()
    people = list(team_people(user))
    policies = PoliciesByTeam(now)
    team_customers = customers_of_team(user)
    held = dict(team_customers.order_by().values_list(OWNER).annotate(n=Count("pk", distinct=True)))
    since = now - timedelta(days=RECENT_DAYS)
    recent: dict[int, dict[str, Any]] = {
        row["by_id"]: dict(row)
        for row in Activity.objects.filter(by_id__in=[p.pk for p in people], occurred_at__gte=since)
        .values("by_id")
        .annotate(n=Count("pk"), last=Max("occurred_at"))
        .order_by()
    }
    reps = [
        {
            "person": person,
            "held": held.get(person.pk, 0),
            "cap": policies.of(person.team_id).max_held,
            "recent": recent.get(person.pk, {}).get("n", 0),
            "last": recent.get(person.pk, {}).get("last"),
        }
        for person in people
    ]
    customers = _filtered(request, team_customers)
    page = Paginator(customers.order_by("name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    owners = {p.pk: p for p in people} | User.objects.in_bulk(
        {c.owner_id for c in page} - {p.pk for p in people}  # type: ignore[attr-defined]
    )
    rows = []
    for customer in page:
        owner = owners.get(customer.owner_id)  # type: ignore[attr-defined]
        forecast = reclaim_forecast_of(customer, policies.of(owner.team_id if owner else None))
        rows.append({"customer": customer, "owner": owner, "forecast": forecast})
    filters = request.GET.copy()
    filters.pop("page", None)
    context = {
        "reps": reps,
        "recent_days": RECENT_DAYS,
        "page": page,
        "rows": rows,
        "receivers": [p for p in people if p.is_active],
        "filters": {name: request.GET.get(name, "") for name in ("q", "owner", "level", "due")},
        "levels": Customer.LevelChoice.choices,
        "query_string": filters.urlencode(),
        "now": now,
    }
    return render(request, "guishu/manager/console.html", context)


def _filtered(request: HttpRequest, customers: QuerySet[Customer]) -> QuerySet[Customer]:
    params = request.GET
    if query := params.get("q", "").strip():
        customers = customers.filter(name__icontains=query)
    if (owner := params.get("owner", "")).isdigit():
        customers = customers.filter(Q(owner_id=int(owner)))
    if (level := params.get("level", "")) in Customer.LevelChoice.values:
        customers = customers.filter(level=level)
    return customers


@require_POST
def manager_reassign(request: HttpRequest, customer_id: int) -> HttpResponse:
    """Reassigns a customer of the team to another rep (a pooled one is assigned), with a
    reason; the ownership rules decide and the refusal is shown in their words."""
    user = manager(request)
    customer = customer_for_viewer(user, customer_id)
    if customer is None:
        raise Http404(_("No such customer."))
    # Back where the form was: the console, or the pool (a pooled customer assigned).
    back = "pool-list" if request.POST.get("back") == "pool" else "manager-console"
    form = ReassignForm(request.POST)
    to = receiver_of(user, form.cleaned_data["to"]) if form.is_valid() else None
    if to is None:
        messages.error(request, _("Choose a rep of your teams to receive the customer."))
        return redirect(back)
    service = customer_assign if getattr(customer, "owner_id", None) is None else customer_transfer
    result = service(user=user, customer_id=customer.pk, to=to, reason=form.cleaned_data["reason"])
    if result.rejection is not None:
        reasons = "; ".join(translate_trace(line) for line in result.rejection.trace)
        messages.error(request, _("Not reassigned: %(reasons)s") % {"reasons": reasons})
    else:
        messages.success(
            request,
            _("%(customer)s now belongs to %(rep)s.") % {"customer": customer.name, "rep": to.name},
        )
    return redirect(back)


# --- the conflict review ---------------------------------------------------------------------


def _day(text: str, default: date) -> date:
    try:
        return date.fromisoformat(text) if text else default
    except ValueError:
        return default


def rule_text(source: str, key: str) -> str:
    """A rule as the reader reads it: the template translated, its names left out."""
    template = key if source == "trace" else MESSAGES.get(key, key)
    return PLACEHOLDER.sub("…", gettext(template)) if template else key


def weekly(user: User, start: datetime, end: datetime, team_ids: set[int] | None) -> dict[str, Any]:
    """Collisions and disputes opened per week (company weeks, Monday first) in [start,
    end), among those the viewer sees, narrowed to a team tree when one is chosen."""
    tz = ZoneInfo(settings.TIME_ZONE)
    collisions = collisions_visible_to(user).filter(at__gte=start, at__lt=end)
    disputes = disputes_visible_to(user).filter(opened_at__gte=start, opened_at__lt=end)
    if team_ids is not None:
        collisions = collisions.filter(
            Q(attempted_by__team_id__in=team_ids) | Q(owner__team_id__in=team_ids)
        )
        disputes = disputes.filter(
            Q(owner__team_id__in=team_ids) | Q(challenger__team_id__in=team_ids)
        )

    def counts(rows: QuerySet[Any], field: str) -> dict[date, int]:
        grouped = (
            rows.order_by()
            .annotate(week=TruncWeek(field, tzinfo=tz))
            .values("week")
            .annotate(n=Count("pk"))
        )
        return {_as_date(row["week"]): row["n"] for row in grouped}

    by_collisions, by_disputes = counts(collisions, "at"), counts(disputes, "opened_at")
    first = start.astimezone(tz).date()
    monday = first - timedelta(days=first.weekday())
    weeks = []
    while datetime.combine(monday, time.min, tzinfo=tz) < end:
        weeks.append(monday)
        monday += timedelta(days=7)
    return chart_spec(
        "bar",
        _("Conflicts over time (per week)"),
        [week.isoformat() for week in weeks],
        [
            (_("Collisions"), [by_collisions.get(week, 0) for week in weeks]),
            (_("Disputes opened"), [by_disputes.get(week, 0) for week in weeks]),
        ],
    )


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _figures(figures: Figures) -> dict[str, Any]:
    options, settlements = dict(Dispute.Option.choices), dict(Dispute.Settlement.choices)
    return {
        "figures": figures,
        "outcomes": sorted(
            (
                (options.get(option, option), settlements.get(how, how), n)
                for (option, how), n in figures.outcomes.items()
            ),
            key=lambda row: -row[2],
        ),
        "rules": [
            (rule_text(source, key), n)
            for (source, key), n in sorted(figures.rules.items(), key=lambda kv: -kv[1])[:10]
        ],
    }


def review_teams(user: User) -> list[Team]:
    """The teams `user` may narrow the review to: those in the trees they manage; all for
    directors and admins."""
    teams = Team.objects.order_by("name", "pk")
    if user.role != Role.MANAGER:
        return list(teams)
    ids: set[int] = set()
    for team in teams.filter(manager=user):
        ids |= team_tree_ids(team)
    return list(teams.filter(pk__in=ids))


@require_safe
def manager_review(request: HttpRequest) -> HttpResponse:
    """The conflict review of a period (default: the last twelve weeks), per team and in
    total, with collisions and disputes per week."""
    user = manager(request)
    now = timezone.now()
    today = timezone.localdate(now)
    start_day = _day(
        request.GET.get("start", ""), today - timedelta(weeks=REVIEW_WEEKS) + timedelta(days=1)
    )
    end_day = _day(request.GET.get("end", ""), today)
    if end_day < start_day or (end_day - start_day).days > MAX_REVIEW_DAYS:
        messages.error(request, _("Choose a period of at most a year, the end after the start."))
        start_day, end_day = today - timedelta(weeks=REVIEW_WEEKS) + timedelta(days=1), today
    tz = ZoneInfo(settings.TIME_ZONE)
    start = datetime.combine(start_day, time.min, tzinfo=tz)
    end = datetime.combine(end_day + timedelta(days=1), time.min, tzinfo=tz)
    team_text = request.GET.get("team", "")
    team_id = int(team_text) if team_text.isdigit() else None
    try:
        review = conflict_review(viewer=user, start=start, end=end, team_id=team_id, now=now)
    except (PermissionDenied, ValidationError):
        messages.error(request, _("You review only the teams you manage."))
        team_id = None
        review = conflict_review(viewer=user, start=start, end=end, now=now)
    team = Team.objects.filter(pk=team_id).first() if team_id else None
    context = {
        "review": review,
        "total": _figures(review.total),
        "teams": [(team, _figures(figures)) for team, figures in review.teams],
        "chart": weekly(user, start, end, team_tree_ids(team) if team else None),
        "start": start_day,
        "end": end_day,
        "team_id": team_id,
        "team_choices": review_teams(user),
    }
    return render(request, "guishu/manager/review.html", context)


# --- the handover wizard -------------------------------------------------------------------
