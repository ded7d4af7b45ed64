"""The home page ("what needs me today"), the language switch and logging in.

Home gathers, for the person signed in: customers about to be reclaimed (the next 7 days, from
the reclaim forecast), protection ending, follow-ups due, customers overdue by contact cadence,
collisions and disputes waiting for them (for managers: to decide), and the latest
notifications, each linking to the customer when the viewer may open it. A rep sees their own
customers, a manager their team trees', directors and admins everyone's: the same selectors as
the customer list. The customers' dates and the overdue contacts come in two requests the page
makes once it has shown (`home_dates`, `home_overdue`): a large region's seconds of judging do
not hold up the rest.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.i18n import set_language

from guishu.accounts.models import User
from guishu.accounts.selectors import managed_user_ids
from guishu.customers.models import Customer
from guishu.discipline.cadence import overdue_page, too_many_to_judge
from guishu.disputes.disputes import actions_for, actor_of, facts_of
from guishu.disputes.models import Collision, Dispute
from guishu.disputes.selectors import disputes_visible_to
from guishu.domain import (
    Level,
    OwnershipState,
    Person,
    Policy,
    ReclaimForecast,
    ReclaimRule,
    Role,
)
from guishu.domain.forecast import due_by_rule, reclaim_dates, reclaim_due, reclaim_forecast
from guishu.notifications.selectors import inbox_of
from guishu.notifications.texts import render as notice_text
from guishu.ownership.policies import PoliciesByTeam
from guishu.ownership.selectors import customers_visible_to, terms_of_team
from guishu.web.charts import chart_spec
from guishu.web.people import signed_in

HORIZON = timedelta(days=7)
FORECAST_WEEKS = 8
SECTION_ROWS = 10
RECENT_COLLISIONS = timedelta(days=30)


@dataclass(frozen=True)
class Due:
    """A customer with a date that needs the viewer, and the owner's name."""

    customer: Customer
    owner: User | None
    at: datetime
    forecast: ReclaimForecast | None = None


class _Dated(NamedTuple):
    """A customer's date as judged, and the term it was judged from, before anything is read
    to show it."""

    at: datetime
    customer_id: int
    owner_id: int
    team_id: int | None
    state: OwnershipState


def _shown(
    dated: list[_Dated], policies: PoliciesByTeam, explain: Callable[..., Any] | None
) -> list[Due]:
    """The first rows of a section, earliest first, with their customers, owners and (for
    the reclaim sections) the engine's forecast with its reasons."""
    first = sorted(dated, key=lambda d: (d.at, d.customer_id))[:SECTION_ROWS]
    customers = Customer.objects.only("pk", "name").in_bulk([d.customer_id for d in first])
    owners = User.objects.in_bulk({d.owner_id for d in first})
    return [
        Due(
            customers[d.customer_id],
            owners.get(d.owner_id),
            d.at,
            explain(d.state, policies.of(d.team_id)) if explain else None,
        )
        for d in first
        if d.customer_id in customers
    ]


def _follow_up_forecast(state: OwnershipState, policy: Policy) -> ReclaimForecast | None:
    return due_by_rule(state, policy).get(ReclaimRule.NO_FOLLOW_UP)


def _customer_dates(user: User, now: datetime) -> dict[str, Any]:
    """Reclaims due, protection ending and follow-ups due among the customers the viewer
    answers for, with the weekly reclaim forecast for the chart. The terms are read as plain
    tuples and dated by the engine without reasons (`reclaim_due`); only the rows shown are
    read in full and explained."""
    policies = PoliciesByTeam(now)
    # Locked customers are never reclaimed: nothing to date.
    rows = (
        terms_of_team(user)
        .filter(locked_at__isnull=True)
        .values_list(
            "customer_id",
            "customer__level",
            "owner_id",
            "owner__team_id",
            "started_at",
            "protected_until",
            "last_follow_up_at",
            "deal_won_at",
        )
    )
    reclaims: list[_Dated] = []
    follow_ups: list[_Dated] = []
    ending: list[_Dated] = []
    weeks = [0] * FORECAST_WEEKS
    week_length = timedelta(days=7)
    for customer_id, level, owner_id, team_id, since, protected, followed, won in rows:
        policy = policies.of(team_id)
        state = OwnershipState(
            customer_name="",
            level=Level(level),
            owner=Person(id=owner_id, name=""),
            owner_since=since,
            protected_until=protected,
            last_follow_up_at=followed,
            deal_won_at=won,
            locked_at=None,
        )
        due = reclaim_due(state, policy)
        if due is not None:
            # Overdue ones (the nightly sweep has not run yet) count in the first week.
            week = max(0, (due[1] - now) // week_length)
            if week < FORECAST_WEEKS:
                weeks[week] += 1
            if due[1] - now <= HORIZON:
                reclaims.append(_Dated(due[1], customer_id, owner_id, team_id, state))
                continue
        if protected and now < protected <= now + HORIZON:
            ending.append(_Dated(protected, customer_id, owner_id, team_id, state))
        follow_up = reclaim_dates(state, policy).get(ReclaimRule.NO_FOLLOW_UP)
        if follow_up is not None and follow_up - policy.warning <= now:
            follow_ups.append(_Dated(follow_up, customer_id, owner_id, team_id, state))
    labels = [_("week %(number)d") % {"number": number} for number in range(1, FORECAST_WEEKS + 1)]
    chart = chart_spec(
        "bar",
        _("Reclaims due, by week from today"),
        labels,
        [(_("customers"), weeks)],
        small=True,
    )
    return {
        "reclaims": _shown(reclaims, policies, reclaim_forecast),
        "reclaims_total": len(reclaims),
        "follow_ups": _shown(follow_ups, policies, _follow_up_forecast),
        "follow_ups_total": len(follow_ups),
        "ending": _shown(ending, policies, None),
        "ending_total": len(ending),
        "forecast_chart": chart,
        "forecast_total": sum(weeks),
    }


def _waits_on(user: User, disputes: Iterable[Dispute], now: datetime) -> list[Dispute]:
    """The disputes waiting on `user`: their statement, their decision (a director's once it
    escalated), or the director's decision on an appeal."""
    actor = actor_of(user)
    overseer = user.role in (Role.DIRECTOR, Role.ADMIN)
    waiting = []
    for dispute in disputes:
        actions = actions_for(actor, facts_of(dispute), now)
        if "state" in actions:
            if not any(s.party_id == user.pk for s in dispute.statements.all()):
                waiting.append(dispute)
        elif "decide" in actions:
            if not overseer or dispute.escalated_at is not None:
                waiting.append(dispute)
        elif "decide_appeal" in actions:
            waiting.append(dispute)
    return waiting


def _conflicts(user: User, now: datetime) -> dict[str, Any]:
    live = (
        disputes_visible_to(user)
        .exclude(status__in=[Dispute.Status.WITHDRAWN, Dispute.Status.DECIDED])
        .prefetch_related("statements")
        .order_by("decision_due_at", "pk")
    )
    disputes = _waits_on(user, live, now)
    manages = managed_user_ids(user)
    collisions = Collision.objects.select_related("customer", "attempted_by", "owner").filter(
        at__gte=now - RECENT_COLLISIONS, dispute__isnull=True
    )
    if manages is not None:
        people = {user.pk, *manages}
        collisions = collisions.filter(Q(attempted_by_id__in=people) | Q(owner_id__in=people))
    recent = list(collisions.order_by("-at", "-pk")[:SECTION_ROWS])
    return {
        "disputes": disputes,
        "collisions": recent,
        "conflict_count": len(disputes) + len(recent),
    }


def _visible_ids(user: User, ids: set[int]) -> set[int]:
    """Which of these customers the viewer may open (one query)."""
    if not ids:
        return set()
    return set(customers_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """What needs me today."""
    user = signed_in(request)
    now = timezone.now()
    context: dict[str, Any] = {"now": now}
    context.update(_conflicts(user, now))
    notices = list(inbox_of(user).select_related("customer")[:SECTION_ROWS])
    context["notices"] = [
        (notice, notice_text(notice.message, notice.params)) for notice in notices
    ]
    context["unread"] = inbox_of(user, unread=True).count()
    linked = {c.customer_id for c in context["collisions"]} | {n.customer_id for n in notices}
    context["linkable"] = _visible_ids(user, linked)
    context["manager"] = user.role != Role.REP
    return render(request, "guishu/home.html", context)


@require_safe
def home_dates(request: HttpRequest) -> HttpResponse:
    """The home page's reclaims due, protection ending, follow-ups due and reclaim forecast.
    The page asks for them once it has shown: dating a region's every customer takes
    seconds, and the rest of the page should not wait."""
    user = signed_in(request)
    context: dict[str, Any] = {"horizon_days": HORIZON.days, "manager": user.role != Role.REP}
    if (count := too_many_to_judge(user)) is not None:
        context["too_many"] = count
    else:
        context.update(_customer_dates(user, timezone.now()))
    return render(request, "guishu/home/_dates.html", context)


@require_safe
def home_overdue(request: HttpRequest) -> HttpResponse:
    """The home page's customers past their contact cadence (guishu.discipline), most
    overdue first, and how many in all. The page asks for it once it has shown: judging a
    region's every customer takes seconds, and the rest of the page should not wait."""
    user = signed_in(request)
    if (count := too_many_to_judge(user)) is not None:
        context: dict[str, Any] = {"too_many": count}
    else:
        overdue = overdue_page(user, timezone.now(), limit=SECTION_ROWS)
        context = {"overdue_by_cadence": overdue.rows, "overdue_total": overdue.total}
    return render(request, "guishu/home/_overdue_by_cadence.html", context)


def _remember_language(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]
    )


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """The header's language switch: Django's `set_language` (the cookie for this browser),
    and for someone signed in their setting too, so every browser they log in from and
    their e-mails follow it."""
    response = set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if (
        isinstance(user, User)
        and language in dict(settings.LANGUAGES)
        and translation.check_for_language(language)
        and user.language != language
    ):
        user.language = language
        user.save(update_fields=["language"])
    return response


class LoginView(auth_views.LoginView):
    """Logging in; a person with a language setting gets it in this browser too."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        language = form.get_user().language
        if language in dict(settings.LANGUAGES):
            _remember_language(response, language)
        return response
