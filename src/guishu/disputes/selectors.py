"""Who sees which dispute, and who must act on one.

The parties see their dispute; a manager sees the disputes of anyone in their team trees;
directors and admins see all. Seeing a dispute shows both parties' names and evidence of
their work on the customer, never the customer's contact details (the customer page and
its masking stay the way to those).
"""

from django.db.models import Q, QuerySet

from guishu.accounts.models import Team, User
from guishu.accounts.selectors import managed_user_ids, team_tree_ids
from guishu.disputes.models import Dispute
from guishu.domain import Role


def disputes_visible_to(user: User) -> QuerySet[Dispute]:
    disputes = Dispute.objects.select_related(
        "customer",
        "owner__team",
        "challenger__team",
        "opened_by__team",
        "lead__team",
        "settled_by__team",
        "customer_choice__team",
    )
    manages = managed_user_ids(user)
    if manages is None:
        return disputes
    mine = Q(owner=user) | Q(challenger=user)
    if manages:
        mine |= Q(owner_id__in=manages) | Q(challenger_id__in=manages)
    return disputes.filter(mine)


def deciders(dispute: Dispute) -> list[int]:
    """Who is asked to decide: the manager of the nearest team, going up from the owner's,
    whose tree holds both parties; the directors when no team does."""
    parties = {dispute.owner_id, dispute.challenger_id}
    teams = {team.pk: team for team in Team.objects.all()}
    current = teams.get(dispute.owner.team_id) if dispute.owner.team_id else None
    seen: set[int] = set()
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        if current.manager_id and current.manager_id not in parties:
            members = set(
                User.objects.filter(team_id__in=team_tree_ids(current)).values_list("pk", flat=True)
            )
            if parties <= members | {current.manager_id}:
                return [current.manager_id]
        current = teams.get(current.parent_id) if current.parent_id else None
    return directors()


def directors() -> list[int]:
    return list(
        User.objects.filter(role=Role.DIRECTOR, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
