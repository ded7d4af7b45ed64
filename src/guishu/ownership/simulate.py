"""What-if: which customers a candidate policy would reclaim or warn about, compared with the
policy in force, without writing anything.

It runs the sweep itself, dry, twice (under the policies in force, and under them with the
candidate layered in) and compares the two plans, so what it predicts is exactly what the
sweep would then do.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone

from guishu.accounts.models import User
from guishu.ownership.sweep import PlannedAction, ownership_sweep, policy_scopes
from guishu.policies.store import Candidate


@dataclass(frozen=True)
class Change:
    """One customer whose fate differs: newly reclaimed or warned, or no longer."""

    action: str  # "reclaim" or "warn"
    effect: str  # "added" (the candidate would) or "removed" (it no longer would)
    planned: PlannedAction
    team_id: int | None


@dataclass
class Simulation:
    at: datetime
    current: Counter[str] = field(default_factory=Counter)
    candidate: Counter[str] = field(default_factory=Counter)
    changes: list[Change] = field(default_factory=list)

    def by(self, key: str) -> dict[Any, Counter[str]]:
        """Counts of changes per owner ("rep") or per team ("team"), e.g. {"reclaim_added": 3}."""
        groups: dict[Any, Counter[str]] = {}
        for change in self.changes:
            group = change.planned.owner_id if key == "rep" else change.team_id
            groups.setdefault(group, Counter())[f"{change.action}_{change.effect}"] += 1
        return groups


def policy_simulate(
    *, values: dict[str, Any], team_id: int | None = None, on: datetime | None = None
) -> Simulation:
    """Compares the sweep at `on` (now by default) under the policies in force with the sweep
    under the candidate `values` for the company (team_id None) or one team. Writes nothing.
    The caller validates `values` first (guishu.policies.services.policy_errors)."""
    at = on or timezone.now()
    now_plan = ownership_sweep(now=at, dry_run=True, groups=policy_scopes(at)).planned
    candidate = Candidate(team_id=team_id, values=values)
    new_plan = ownership_sweep(now=at, dry_run=True, groups=policy_scopes(at, candidate)).planned
    simulation = Simulation(at=at)
    simulation.current.update(p.action for p in now_plan)
    simulation.candidate.update(p.action for p in new_plan)
    before = {(p.action, p.customer_id): p for p in now_plan}
    after = {(p.action, p.customer_id): p for p in new_plan}
    teams = dict(
        User.objects.filter(pk__in={p.owner_id for p in [*now_plan, *new_plan]}).values_list(
            "pk", "team_id"
        )
    )
    for key in sorted(after.keys() - before.keys(), key=str):
        simulation.changes.append(
            Change(key[0], "added", after[key], teams.get(after[key].owner_id))
        )
    for key in sorted(before.keys() - after.keys(), key=str):
        simulation.changes.append(
            Change(key[0], "removed", before[key], teams.get(before[key].owner_id))
        )
    return simulation
