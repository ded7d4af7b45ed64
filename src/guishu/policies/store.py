"""Which policy is in force, for whom, when: the company's latest version in force at that
moment, then each team's overrides from the top of the tree down to the team."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from guishu.accounts.models import Team
from guishu.domain import Policy
from guishu.domain.policy_values import default_values, merged, policy_from
from guishu.policies.models import PolicyVersion


def team_chain(team_id: int | None) -> list[int]:
    """The team and its ancestors, top of the tree first."""
    chain: list[int] = []
    parents = dict(Team.objects.values_list("id", "parent_id")) if team_id else {}
    current = team_id
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return list(reversed(chain))


def version_in_force(team_id: int | None, at: datetime) -> PolicyVersion | None:
    scope = Q(team__isnull=True) if team_id is None else Q(team_id=team_id)
    return (
        PolicyVersion.objects.filter(scope, effective_from__lte=at)
        .order_by("-effective_from", "-number")
        .first()
    )


@dataclass(frozen=True)
class Candidate:
    """Values someone is considering for a scope (the company when `team_id` is None),
    layered over what is in force there, as if they were saved: the what-if simulation."""

    team_id: int | None
    values: dict[str, Any]


def values_in_force(
    *, team_id: int | None = None, at: datetime | None = None, candidate: Candidate | None = None
) -> tuple[dict[str, Any], list[PolicyVersion]]:
    """The merged values and the versions they came from (company first)."""
    at = at or timezone.now()
    layers: list[dict[str, Any]] = [default_values()]
    sources: list[PolicyVersion] = []
    for scope in [None, *team_chain(team_id)]:
        version = version_in_force(scope, at)
        if version is not None:
            layers.append(dict(version.values))
            sources.append(version)
        if candidate is not None and candidate.team_id == scope:
            layers.append(dict(candidate.values))
    return merged(layers), sources


def policy_in_force(*, team_id: int | None = None, at: datetime | None = None) -> Policy:
    """The Policy the rules apply to people of `team_id` (the company's when None) at `at`."""
    values, _ = values_in_force(team_id=team_id, at=at)
    return policy_from(values, settings.TIME_ZONE)


def distinct_team_policies(
    at: datetime, candidate: Candidate | None = None
) -> list[tuple[Policy, list[int] | None]]:
    """Every policy in force at `at` with the teams it applies to; the company's comes first
    with None (everyone not in a team listed after it). Teams without overrides anywhere in
    their chain share the company's, so there are as many entries as distinct overrides."""
    company_values, _ = values_in_force(at=at, candidate=candidate)
    company = policy_from(company_values, settings.TIME_ZONE)
    overridden = set(
        PolicyVersion.objects.filter(team__isnull=False, effective_from__lte=at).values_list(
            "team_id", flat=True
        )
    )
    if candidate is not None and candidate.team_id is not None:
        overridden.add(candidate.team_id)
    if not overridden:
        return [(company, None)]
    parents = dict(Team.objects.values_list("id", "parent_id"))
    groups: dict[str, tuple[Policy, list[int]]] = {}
    for team_id in parents:
        if not set(team_chain(team_id)) & overridden:
            continue
        values, _ = values_in_force(team_id=team_id, at=at, candidate=candidate)
        key = repr(sorted(values.items()))
        policy = groups.get(key, (policy_from(values, settings.TIME_ZONE), []))[0]
        groups.setdefault(key, (policy, []))[1].append(team_id)
    return [(company, None), *groups.values()]
