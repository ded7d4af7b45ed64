"""Read-only queries about people and teams."""

from guishu.accounts.models import Team, User
from guishu.domain import Role


def team_tree_ids(team: Team) -> set[int]:
    """The ids of `team` and every team below it."""
    children: dict[int | None, list[int]] = {}
    for team_id, parent_id in Team.objects.values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(team_id)
    found, stack = set(), [team.pk]
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, []))
    return found


def managed_user_ids(user: User) -> frozenset[int] | None:
    """Whom `user` oversees: None for everyone (directors, admins), else their team trees."""
    if user.role in (Role.DIRECTOR, Role.ADMIN):
        return None
    if user.role != Role.MANAGER:
        return frozenset()
    team_ids: set[int] = set()
    for team in Team.objects.filter(manager=user):
        team_ids |= team_tree_ids(team)
    members = User.objects.filter(team_id__in=team_ids).values_list("id", flat=True)
    return frozenset(members) | {user.pk}
