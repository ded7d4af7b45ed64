"""Which Policy is in force: the stored, versioned policies of guishu.policies (the company's,
then a team's overrides), with the documented defaults until anyone changes them."""

from datetime import datetime

from django.utils import timezone

from guishu.accounts.models import User
from guishu.domain import Policy
from guishu.policies import store


def policy_in_force(*, team_id: int | None = None, at: datetime | None = None) -> Policy:
    return store.policy_in_force(team_id=team_id, at=at)


def policy_for(user: User | None, at: datetime | None = None) -> Policy:
    """The policy that applies to `user`'s decisions: their team's (the company's without one).

    A person's own caps (holding, claims per day) follow their team; a customer's clocks follow
    its owner's team.
    """
    return policy_in_force(team_id=user.team_id if user else None, at=at)


class PoliciesByTeam:
    """Every policy in force at one moment, looked up by team without further queries: for
    lists that forecast many customers of many owners at once."""

    def __init__(self, at: datetime | None = None) -> None:
        groups = store.distinct_team_policies(at or timezone.now())
        self.company = groups[0][0]
        self.teams = {team: policy for policy, teams in groups[1:] for team in teams or ()}

    def of(self, team_id: int | None) -> Policy:
        return self.teams.get(team_id, self.company) if team_id is not None else self.company
