"""Routing customers that return to the pool, and who is eligible for which pool.

Without any pool configured everything behaves as one company-wide pool open to all, as
before pools existed: no placement is needed and everyone is eligible.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from guishu.accounts.models import User
from guishu.accounts.selectors import team_tree_ids
from guishu.customers.models import Customer
from guishu.pools.models import Pool, PoolPlacement


@dataclass(frozen=True)
class Rule:
    """A pool's routing criteria, read once per routing batch."""

    pool: Pool
    levels: frozenset[str]
    countries: frozenset[str]
    regions: frozenset[str]
    industries: frozenset[str]
    from_teams: frozenset[int]

    def matches(self, customer: Customer, former_team_id: int | None) -> bool:
        return (
            (not self.levels or customer.level in self.levels)
            and (not self.countries or customer.country in self.countries)
            and (not self.regions or customer.region in self.regions)
            and (not self.industries or customer.industry in self.industries)
            and (not self.from_teams or former_team_id in self.from_teams)
        )

    def reason(self) -> str:
        parts = [
            f"{name} {', '.join(sorted(str(v) for v in values))}"
            for name, values in (
                ("level", self.levels),
                ("country", self.countries),
                ("region", self.regions),
                ("industry", self.industries),
                ("from team", self.from_teams),
            )
            if values
        ]
        return "; ".join(parts) or "default"


def rules() -> list[Rule]:
    pools = (
        Pool.objects.filter(active=True)
        .prefetch_related("from_teams")
        .order_by("is_default", "priority", "pk")
    )
    return [
        Rule(
            pool=pool,
            levels=frozenset(pool.levels),
            countries=frozenset(pool.countries),
            regions=frozenset(pool.regions),
            industries=frozenset(pool.industries),
            from_teams=frozenset(team.pk for team in pool.from_teams.all()),
        )
        for pool in pools
    ]


def pool_route(
    customers: Sequence[tuple[int, int | None]], *, now: datetime | None = None
) -> list[PoolPlacement]:
    """Places each (customer id, former owner id) in the first pool whose rule it meets.

    One query for the rules, one for the customers, one for the former owners' teams, one
    upsert: set-based, for the sweep's batches as for a single release.
    """
    if not customers:
        return []
    now = now or timezone.now()
    table = rules()
    if not table:
        return []  # no pools configured: the single, open pool of old
    by_id = Customer.objects.in_bulk([customer_id for customer_id, _ in customers])
    teams = dict(
        User.objects.filter(pk__in={owner for _, owner in customers if owner}).values_list(
            "pk", "team_id"
        )
    )
    placements, unplaced = [], []
    for customer_id, former_owner in customers:
        customer = by_id[customer_id]
        team = teams.get(former_owner) if former_owner else None
        rule = next((r for r in table if r.matches(customer, team)), None)
        if rule is None:
            unplaced.append(customer_id)  # no default pool and no match: the open pool
            continue
        placements.append(
            PoolPlacement(customer=customer, pool=rule.pool, placed_at=now, reason=rule.reason())
        )
    PoolPlacement.objects.filter(customer_id__in=unplaced).delete()
    PoolPlacement.objects.bulk_create(
        placements,
        update_conflicts=True,
        unique_fields=["customer"],
        update_fields=["pool", "placed_at", "reason"],
    )
    return placements


def eligible_pool_ids(user: User) -> frozenset[int] | None:
    """The pools `user` may see and claim from; None when pools do not restrict them
    (directors and admins see everything; without pools everything is open)."""
    pools = list(Pool.objects.filter(active=True).prefetch_related("eligible_teams"))
    if not pools or user.role in ("director", "admin"):
        return None
    mine: set[int] = set()
    for pool in pools:
        teams = list(pool.eligible_teams.all())
        if not teams:
            mine.add(pool.pk)
            continue
        allowed: set[int] = set()
        for team in teams:
            allowed |= team_tree_ids(team)
        if user.team_id in allowed or _manages_any(user, allowed):
            mine.add(pool.pk)
    return frozenset(mine)


def _manages_any(user: User, team_ids: Iterable[int]) -> bool:
    return user.role == "manager" and user.managed_teams.filter(pk__in=list(team_ids)).exists()


def pooled_visible_q(user: User, prefix: str = "") -> Q:
    """A filter on customers (or `prefix`-ed relations) keeping the pooled ones `user` may
    see: placed in an eligible pool, or placed nowhere (the open pool)."""
    eligible = eligible_pool_ids(user)
    if eligible is None:
        return Q()
    placement = f"{prefix}pool_placement"
    return Q(**{f"{placement}__isnull": True}) | Q(**{f"{placement}__pool_id__in": eligible})


def pool_of(customer_id: int) -> Pool | None:
    placement = PoolPlacement.objects.filter(customer_id=customer_id).select_related("pool").first()
    return placement.pool if placement else None
