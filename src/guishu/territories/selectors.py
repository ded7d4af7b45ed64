"""Read-only questions about territory rules: which rule a customer falls under, who is
eligible under a rule, and whose rules a manager may change."""

from collections.abc import Iterable, Sequence

from django.db.models import Q, QuerySet

from guishu.accounts.models import Team, User
from guishu.accounts.selectors import managed_user_ids
from guishu.customers.models import Customer
from guishu.domain import Role
from guishu.territories.criteria import Criteria
from guishu.territories.models import TerritoryRule


def rules_in_order() -> QuerySet[TerritoryRule]:
    """Every rule, in the order the API lists them: as they are tried."""
    return TerritoryRule.objects.select_related("created_by__team").prefetch_related(
        "reps__team", "teams"
    )


def active_rules() -> list[TerritoryRule]:
    """The active rules as they are tried: lowest priority number first, then oldest."""
    return list(rules_in_order().filter(active=True).order_by("priority", "pk"))


def rule_for(customer: Customer, rules: Sequence[TerritoryRule]) -> TerritoryRule | None:
    """The first of `rules` (already in order) that `customer` meets."""
    return next((rule for rule in rules if Criteria.of(rule).matches(customer)), None)


def teams_below(team_ids: Iterable[int]) -> set[int]:
    """`team_ids` and every team under them, from one read of the tree."""
    children: dict[int | None, list[int]] = {}
    for team_id, parent_id in Team.objects.values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(team_id)
    found: set[int] = set()
    stack = list(team_ids)
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, []))
    return found


def eligible_people(rule: TerritoryRule) -> list[User]:
    """Everyone a rule names, active or not, in id order: the users named, and the reps of
    the teams named and of the teams below them. Whether each may take a customer right now
    (active, may own, under the cap) is for the pick to judge, and to record."""
    team_ids = teams_below(team.pk for team in rule.teams.all())
    named = Q(pk__in=[user.pk for user in rule.reps.all()])
    members = Q(team_id__in=team_ids, role=Role.REP) if team_ids else Q(pk__in=[])
    return list(User.objects.filter(named | members).order_by("pk"))


def covered_team_ids(user: User) -> set[int] | None:
    """The teams whose people `user` oversees: None for everyone (directors and admins)."""
    if user.role in (Role.DIRECTOR, Role.ADMIN):
        return None
    if user.role != Role.MANAGER:
        return set()
    return teams_below(Team.objects.filter(manager=user).values_list("pk", flat=True))


def covers(user: User, *, rep_ids: Iterable[int], team_ids: Iterable[int]) -> bool:
    """Whether every person and team a rule names lies within `user`'s team trees."""
    people, teams = managed_user_ids(user), covered_team_ids(user)
    if people is None or teams is None:
        return True
    return set(rep_ids) <= people and set(team_ids) <= teams


def rule_editable_by(user: User, rule_id: int) -> TerritoryRule | None:
    """The rule if `user` may change it: administrators any rule, a manager one whose
    eligible people all lie in their team trees. Anyone else gets None (the API answers 404
    to a manager and 403 to the roles that write no rules)."""
    rule = rules_in_order().filter(pk=rule_id).first()
    if rule is None or user.role not in (Role.ADMIN, Role.MANAGER):
        return None
    if user.role == Role.ADMIN:
        return rule
    rep_ids = [person.pk for person in rule.reps.all()]
    team_ids = [team.pk for team in rule.teams.all()]
    return rule if covers(user, rep_ids=rep_ids, team_ids=team_ids) else None
