"""The conflict review (冲突复盘): how often people collided and disputed in a period, per team
and in total, how disputes ended and how fast, who keeps coming back, which rules caused the
most conflicts, and the violations found.

For managers (their team trees), directors and admins (everyone); reps are refused.

A collision or dispute belongs to the teams of both its parties (the one who collided or
challenged, and the owner), once to a team both are in; the total counts it once, so the
teams' figures may add up to more than the total. Teams are people's teams now, not when
it happened. A violation belongs to the offender's team.

Every figure is aggregated by the database, grouped by the parties' teams; the number of
queries is fixed whatever the number of collisions, disputes or violations.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from guishu.accounts.models import Team, User
from guishu.disputes.models import Collision, Dispute, DisputeDecision, Violation
from guishu.domain import Role

TOTAL = 0  # the key of the total among team ids (which are positive)
IN_FORCE = (Dispute.Status.DECIDED, Dispute.Status.APPEALED)
UNDECIDED = (Dispute.Status.OPEN, Dispute.Status.ASKING_CUSTOMER)


@dataclass(frozen=True)
class Party:
    """Someone in two or more collisions, or two or more disputes, in the period."""

    user: User
    collisions: int
    disputes: int


@dataclass
class Figures:
    """One team's figures for the period, or the total's.

    `outcomes` counts the disputes decided in the period by (option, settlement);
    `hours_to_decision_*` run from opening to the first decision (the customer's answer when
    the customer was asked). `rules` counts collisions by the rule lines of their refusal
    ("trace", the English template) and by the matching reasons behind them ("reason", the
    code). `violations` counts by (kind, status); only confirmed ones carry points.
    """

    collisions: dict[str, int] = field(default_factory=dict)
    disputes_opened: int = 0
    outcomes: dict[tuple[str, str], int] = field(default_factory=dict)
    hours_to_decision_median: float | None = None
    hours_to_decision_mean: float | None = None
    overdue: int = 0
    repeat_parties: list[Party] = field(default_factory=list)
    rules: dict[tuple[str, str], int] = field(default_factory=dict)
    violations: dict[tuple[str, str], int] = field(default_factory=dict)
    confirmed_points: int = 0

    @property
    def collisions_total(self) -> int:
        return sum(self.collisions.values())

    @property
    def decided(self) -> int:
        return sum(self.outcomes.values())


@dataclass(frozen=True)
class ConflictReview:
    start: datetime
    end: datetime
    team: Team | None
    total: Figures
    teams: list[tuple[Team, Figures]]


@dataclass(frozen=True)
class _Scope:
    """Whose conflicts the viewer reviews: the members of `team_ids` (None: everyone), and
    `people` besides (a manager reviews their own conflicts too)."""

    team_ids: frozenset[int] | None
    people: frozenset[int]

    def involving(self, *fields: str) -> Q:
        """Rows where one of `fields` (user foreign keys) names someone in scope."""
        if self.team_ids is None:
            return Q()
        found = Q()
        for name in fields:
            found |= Q(**{f"{name}__team_id__in": self.team_ids})
            found |= Q(**{f"{name}_id__in": self.people})
        return found


def _trees(teams: list[Team]) -> dict[int, frozenset[int]]:
    """Each team's id with the ids of its whole tree (itself and every team below it)."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for team in teams:
        children[team.parent_id].append(team.pk)
    trees = {}
    for team in teams:
        found, stack = set(), [team.pk]
        while stack:
            current = stack.pop()
            if current not in found:
                found.add(current)
                stack.extend(children.get(current, []))
        trees[team.pk] = frozenset(found)
    return trees


def may_review_conflicts(user: User) -> bool:
    return user.role in (Role.MANAGER, Role.DIRECTOR, Role.ADMIN)


def _scope(viewer: User, teams: list[Team], team_id: int | None) -> _Scope:
    if not may_review_conflicts(viewer):
        raise PermissionDenied(_("The conflict review is for managers and directors."))
    trees = _trees(teams)
    if team_id is not None and team_id not in trees:
        raise ValidationError({"team": [_("No such team.")]})
    if viewer.role != Role.MANAGER:
        return _Scope(team_ids=None if team_id is None else trees[team_id], people=frozenset())
    managed = frozenset(
        pk for team in teams if team.manager_id == viewer.pk for pk in trees[team.pk]
    )
    if team_id is None:
        return _Scope(team_ids=managed, people=frozenset({viewer.pk}))
    if team_id not in managed:
        raise PermissionDenied(_("You review only the teams you manage."))
    return _Scope(team_ids=trees[team_id], people=frozenset())


def conflict_review(
    *,
    viewer: User,
    start: datetime,
    end: datetime,
    team_id: int | None = None,
    now: datetime | None = None,
) -> ConflictReview:
    """The review of [start, end) for `viewer`, optionally narrowed to one team's tree.

    Raises PermissionDenied for reps (and for a manager naming a team they do not manage),
    ValidationError for an unknown team or an empty period.
    """
    if end <= start:
        raise ValidationError({"end": [_("The end must come after the start.")]})
    now = now or timezone.now()
    teams = list(Team.objects.all())
    scope = _scope(viewer, teams, team_id)
    shown = sorted(
        (team for team in teams if scope.team_ids is None or team.pk in scope.team_ids),
        key=lambda team: (team.name, team.pk),
    )
    figures: dict[int, Figures] = {TOTAL: Figures(), **{team.pk: Figures() for team in shown}}
    spread = _Spreader(figures)

    collisions = Collision.objects.filter(at__gte=start, at__lt=end).filter(
        scope.involving("attempted_by", "owner")
    )
    _collision_figures(collisions, spread)
    disputes = Dispute.objects.filter(scope.involving("owner", "challenger"))
    _dispute_figures(disputes, start=start, end=end, now=now, spread=spread)
    violations = Violation.objects.filter(at__gte=start, at__lt=end).filter(
        scope.involving("offender")
    )
    _violation_figures(violations, figures)
    _repeat_parties(collisions, disputes.filter(opened_at__gte=start, opened_at__lt=end), figures)
    team = next((team for team in teams if team.pk == team_id), None)
    return ConflictReview(
        start=start,
        end=end,
        team=team,
        total=figures[TOTAL],
        teams=[(team, figures[team.pk]) for team in shown],
    )


class _Spreader:
    """Adds a figure of rows grouped by the two parties' teams to the total once, and to
    each party's team shown (once when both are in one team)."""

    def __init__(self, figures: dict[int, Figures]) -> None:
        self.figures = figures

    def targets(self, team_a: int | None, team_b: int | None) -> Iterable[Figures]:
        yield self.figures[TOTAL]
        for team in {team_a, team_b} - {None}:
            if team in self.figures:
                yield self.figures[team]


def _collision_figures(collisions: QuerySet[Collision], spread: _Spreader) -> None:
    by_action = collisions.values_list("action", "attempted_by__team_id", "owner__team_id")
    for action, team_a, team_b, n in by_action.annotate(n=Count("pk")).order_by():
        for figures in spread.targets(team_a, team_b):
            figures.collisions[action] = figures.collisions.get(action, 0) + n
    for source, team_a, team_b, key, n in _rule_rows(collisions):
        if key:
            for figures in spread.targets(team_a, team_b):
                figures.rules[(source, key)] = figures.rules.get((source, key), 0) + n


def _rule_rows(collisions: QuerySet[Collision]) -> list[tuple[Any, ...]]:
    """(source, team a, team b, rule, collisions) for each rule line of the refusals'
    traces and each matching reason: the JSON arrays are unnested by the database."""
    base, params = collisions.values("pk").query.sql_with_params()
    if connection.vendor == "postgresql":

        def elements(column: str) -> str:
            return (
                f"CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(c.{column}) "
                f"= 'array' THEN c.{column} ELSE '[]'::jsonb END) AS j(value)"
            )

        def member(name: str) -> str:
            return f"j.value ->> '{name}'"
    else:

        def elements(column: str) -> str:
            return f"CROSS JOIN json_each(c.{column}) AS j"

        def member(name: str) -> str:
            return f"json_extract(j.value, '$.{name}')"

    table, users = Collision._meta.db_table, User._meta.db_table
    part = (
        "SELECT '{source}', a.team_id, o.team_id, {member}, COUNT(DISTINCT c.id) "  # noqa: S608 - our names
        f"FROM {table} c LEFT JOIN {users} a ON a.id = c.attempted_by_id "  # nosec B608 # table names and Django-compiled SQL, no user text
        f"LEFT JOIN {users} o ON o.id = c.owner_id "
        "{elements} WHERE c.id IN ({base}) GROUP BY 2, 3, 4"
    )
    sql = " UNION ALL ".join(
        part.format(source=source, member=member(name), elements=elements(column), base=base)
        for source, column, name in (("trace", "trace", "message"), ("reason", "reasons", "code"))
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *params])
        return list(cursor.fetchall())


def _dispute_figures(
    disputes: QuerySet[Dispute], *, start: datetime, end: datetime, now: datetime, spread: _Spreader
) -> None:
    teams = ("owner__team_id", "challenger__team_id")
    opened = disputes.filter(opened_at__gte=start, opened_at__lt=end)
    for team_a, team_b, n in opened.values_list(*teams).annotate(n=Count("pk")).order_by():
        for figures in spread.targets(team_a, team_b):
            figures.disputes_opened += n
    decided = disputes.filter(status__in=IN_FORCE, settled_at__gte=start, settled_at__lt=end)
    outcomes = decided.values_list("option", "settlement", *teams).annotate(n=Count("pk"))
    for option, settlement, team_a, team_b, n in outcomes.order_by():
        for figures in spread.targets(team_a, team_b):
            figures.outcomes[(option, settlement)] = (
                figures.outcomes.get((option, settlement), 0) + n
            )
    cutoff = min(end, now)
    overdue = disputes.filter(status__in=UNDECIDED, opened_at__lt=end, decision_due_at__lt=cutoff)
    for team_a, team_b, n in overdue.values_list(*teams).annotate(n=Count("pk")).order_by():
        for figures in spread.targets(team_a, team_b):
            figures.overdue += n
    for team, median, mean in _decision_hours(decided):
        if team in spread.figures:
            spread.figures[team].hours_to_decision_median = round(float(median), 2)
            spread.figures[team].hours_to_decision_mean = round(float(mean), 2)


def _decision_hours(decided: QuerySet[Dispute]) -> list[tuple[int, float, float]]:
    """(team, median, mean) hours from opening to decision, per party team and for the total
    (TOTAL): the median by window functions, in the database."""
    base, params = decided.values("pk").query.sql_with_params()
    disputes, users = Dispute._meta.db_table, User._meta.db_table
    decisions = DisputeDecision._meta.db_table
    # The first decision, unless it only asked the customer: then their answer decided.
    moment = (
        f"COALESCE((SELECT MIN(dd.decided_at) FROM {decisions} dd WHERE dd.dispute_id = x.id "  # noqa: S608 - our names
        f"AND NOT dd.on_appeal AND dd.option <> '{Dispute.Option.ASK_CUSTOMER.value}'), "  # nosec B608 # table names and Django-compiled SQL, no user text
        "x.settled_at)"
    )
    if connection.vendor == "postgresql":
        hours = f"EXTRACT(EPOCH FROM ({moment} - x.opened_at)) / 3600.0"
    else:
        hours = f"(julianday({moment}) - julianday(x.opened_at)) * 24.0"
    sql = (
        f"WITH d AS (SELECT a.team_id AS ta, b.team_id AS tb, {hours} AS hours "  # noqa: S608 - our names
        f"FROM {disputes} x LEFT JOIN {users} a ON a.id = x.owner_id "  # nosec B608 # table names and Django-compiled SQL, no user text
        f"LEFT JOIN {users} b ON b.id = x.challenger_id WHERE x.id IN ({base})), "
        "parties AS ("
        "SELECT ta AS team, hours FROM d WHERE ta IS NOT NULL "
        "UNION ALL SELECT tb, hours FROM d WHERE tb IS NOT NULL AND (ta IS NULL OR tb <> ta) "
        f"UNION ALL SELECT {TOTAL}, hours FROM d), "
        "ranked AS (SELECT team, hours, "
        "ROW_NUMBER() OVER (PARTITION BY team ORDER BY hours) AS rn, "
        "COUNT(*) OVER (PARTITION BY team) AS n FROM parties) "
        "SELECT team, AVG(CASE WHEN rn IN ((n + 1) / 2, (n + 2) / 2) THEN hours END), "
        "AVG(hours) FROM ranked GROUP BY team"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _violation_figures(violations: QuerySet[Violation], figures: dict[int, Figures]) -> None:
    rows = violations.values_list("kind", "status", "offender__team_id").annotate(
        n=Count("pk"), points=Sum("points")
    )
    for kind, status, team, n, points in rows.order_by():
        for target in _of_team(figures, team):
            target.violations[(kind, status)] = target.violations.get((kind, status), 0) + n
            if status == Violation.Status.CONFIRMED:
                target.confirmed_points += points or 0


def _repeat_parties(
    collisions: QuerySet[Collision], disputes: QuerySet[Dispute], figures: dict[int, Figures]
) -> None:
    """People in two or more collisions, or two or more disputes, of the period, in the
    total and in their own team's figures; most involved first."""
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for rows, role, index in (
        (collisions, "attempted_by_id", 0),
        (collisions, "owner_id", 0),
        (disputes, "owner_id", 1),
        (disputes, "challenger_id", 1),
    ):
        for person, n in rows.values_list(role).annotate(n=Count("pk")).order_by():
            counts[person][index] += n
    repeat = {pk: n for pk, n in counts.items() if n[0] >= 2 or n[1] >= 2}
    people = User.objects.select_related("team").in_bulk(repeat)
    parties = sorted(
        (Party(user=people[pk], collisions=n[0], disputes=n[1]) for pk, n in repeat.items()),
        key=lambda p: (-(p.collisions + p.disputes), p.user.name, p.user.pk),
    )
    for party in parties:
        for target in _of_team(figures, party.user.team_id):
            target.repeat_parties.append(party)


def _of_team(figures: dict[int, Figures], team_id: int | None) -> list[Figures]:
    """The total's figures, and the team's if it is shown."""
    found = [figures[TOTAL]]
    if team_id is not None and team_id in figures:
        found.append(figures[team_id])
    return found
