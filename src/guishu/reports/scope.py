"""Whose figures a viewer may see, and the period a report covers.

A rep sees their own figures, a manager those of everyone in their team trees (themselves
included), directors and admins everyone's. `team` narrows any of these to one team and the
teams below it, refused when the viewer may not look at that team.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guishu.accounts.models import Team, User
from guishu.accounts.selectors import managed_user_ids, team_tree_ids
from guishu.activities.models import Order, OrderCredit
from guishu.domain import Role


@dataclass(frozen=True)
class Period:
    """[start, end): aware datetimes; the company-local days a viewer chose."""

    start: datetime
    end: datetime

    @property
    def length(self) -> timedelta:
        return self.end - self.start

    def previous(self) -> "Period":
        """The period of the same length just before this one."""
        return Period(self.start - self.length, self.start)


@dataclass(frozen=True)
class Scope:
    """The people whose figures a report counts: None for everyone."""

    people: frozenset[int] | None
    team: Team | None = None

    def q(self, *fields: str) -> Q:
        """Rows where any of `fields` (user ids, e.g. "owner_id") names someone in scope."""
        if self.people is None:
            return Q()
        found = Q(pk__in=[])
        for name in fields:
            found |= Q(**{f"{name}__in": self.people})
        return found

    def sql(self, column: str) -> tuple[str, list[Any]]:
        """The same as a raw SQL condition on `column`, with its parameters."""
        if self.people is None:
            return "1 = 1", []
        if not self.people:
            return "1 = 0", []
        ids = sorted(self.people)
        return f"{column} IN ({', '.join(['%s'] * len(ids))})", ids


def visible_teams(viewer: User) -> list[Team]:
    """The teams a viewer may narrow a report to."""
    if viewer.role in (Role.DIRECTOR, Role.ADMIN):
        return list(Team.objects.order_by("name"))
    ids: set[int] = set()
    if viewer.role == Role.MANAGER:
        for team in Team.objects.filter(manager=viewer):
            ids |= team_tree_ids(team)
    if viewer.team_id is not None:
        ids.add(viewer.team_id)
    return list(Team.objects.filter(pk__in=ids).order_by("name"))


def report_scope(viewer: User, team_id: int | None = None) -> Scope:
    """Whose figures `viewer` sees, narrowed to `team_id` (and the teams below it)."""
    manages = managed_user_ids(viewer)
    people: frozenset[int] | None
    if manages is None:
        people = None
    elif viewer.role == Role.MANAGER:
        people = frozenset(manages) | {viewer.pk}
    else:
        people = frozenset({viewer.pk})
    if team_id is None:
        return Scope(people)
    team = next((t for t in visible_teams(viewer) if t.pk == team_id), None)
    if team is None:
        raise ValidationError({"team": _("No such team.")})
    members = frozenset(
        User.objects.filter(team_id__in=team_tree_ids(team)).values_list("id", flat=True)
    )
    return Scope(members if people is None else people & members, team)


@dataclass(frozen=True)
class PersonRef:
    id: int
    name: str
    team_id: int | None
    team: str


def people_refs(ids: set[int]) -> dict[int, PersonRef]:
    """The people a report names, with their teams now, in one query."""
    rows = User.objects.filter(pk__in=ids).select_related("team")
    return {u.pk: PersonRef(u.pk, u.name, u.team_id, u.team.name if u.team else "") for u in rows}


DEFAULT_DAYS = 90
MAX_DAYS = 3660


def period_of(first: date, last: date) -> Period:
    """The company-local days `first` to `last`, both included."""
    return Period(_midnight(first), _midnight(last + timedelta(days=1)))


def default_days(today: date) -> tuple[date, date]:
    """The last 90 days, today included."""
    return today - timedelta(days=DEFAULT_DAYS - 1), today


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def sales_currencies(viewer: User, period: Period, team_id: int | None = None) -> list[str]:
    """The currencies of the won orders credited to the people in scope in `period`, the most
    sold first: a team that sells in euros should not be shown an empty report in yuan."""
    scope = report_scope(viewer, team_id)
    rows = (
        OrderCredit.objects.filter(
            scope.q("user_id"),
            order__status=Order.Status.WON,
            order__ordered_at__gte=period.start,
            order__ordered_at__lt=period.end,
        )
        .values("order__currency")
        .annotate(n=Count("order_id", distinct=True))
        .order_by("-n", "order__currency")
    )
    return [row["order__currency"] for row in rows]
