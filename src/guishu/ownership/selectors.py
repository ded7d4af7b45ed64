"""Read-only queries that apply the viewer's visibility. Views, exports and the API read
ownership-bearing data only through these.

A rep sees in full the customers they own or collaborate on (while the collaboration is in
force) and the pool; a manager also sees those owned by the people in their team trees;
directors and admins see everything. Any other customer exists for the viewer only as "taken,
by whom", with contact details masked (see masking.py).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from guishu.accounts.models import User
from guishu.accounts.selectors import managed_user_ids
from guishu.customers.models import Customer
from guishu.disputes.models import Collaboration
from guishu.domain import (
    Level,
    OwnershipState,
    Person,
    Policy,
    ReclaimForecast,
    Role,
    reclaim_forecast,
)
from guishu.ownership.engine_io import actor_for
from guishu.ownership.models import Ownership
from guishu.ownership.policies import policy_for
from guishu.pools.routing import pooled_visible_q


def _active_terms() -> QuerySet[Ownership]:
    return Ownership.objects.filter(customer=OuterRef("pk"), ended_at__isnull=True)


TERM_COLUMNS = {
    "owner_id": "owner_id",
    "owner_since": "started_at",
    "protected_until": "protected_until",
    "last_follow_up_at": "last_follow_up_at",
    "deal_won_at": "deal_won_at",
    "locked_at": "locked_at",
}


def with_owner(customers: QuerySet[Customer]) -> QuerySet[Customer]:
    """Annotates the active term's owner and clocks (None when pooled) as correlated
    subqueries, so a list costs the same number of queries for 5 rows or 50."""
    terms = _active_terms()
    return customers.annotate(
        **{name: Subquery(terms.values(column)[:1]) for name, column in TERM_COLUMNS.items()}
    )


def reclaim_forecast_of(customer: Customer, policy: Policy) -> ReclaimForecast | None:
    """The reclaim forecast of a customer annotated by `with_owner`, with no query."""
    owner_id = getattr(customer, "owner_id", None)
    if owner_id is None:
        return None
    state = OwnershipState(
        customer_name=customer.name,
        level=Level(customer.level),
        owner=Person(id=owner_id, name=""),
        owner_since=customer.owner_since,  # type: ignore[attr-defined]
        protected_until=customer.protected_until,  # type: ignore[attr-defined]
        last_follow_up_at=customer.last_follow_up_at,  # type: ignore[attr-defined]
        deal_won_at=customer.deal_won_at,  # type: ignore[attr-defined]
        locked_at=customer.locked_at,  # type: ignore[attr-defined]
    )
    return reclaim_forecast(state, policy)


def customers_visible_to(user: User, *, now: datetime | None = None) -> QuerySet[Customer]:
    """Every customer `user` may see in full, with owner annotations."""
    customers = with_owner(Customer.objects.all())
    manages = managed_user_ids(user)
    if manages is None:
        return customers
    in_pool = Q(~Exists(_active_terms())) & pooled_visible_q(user)
    owners = set(manages) | {user.pk}
    owned_by_visible = Exists(_active_terms().filter(owner_id__in=owners))
    collaborating = Exists(
        Collaboration.objects.active(now or timezone.now()).filter(
            customer=OuterRef("pk"), user=user
        )
    )
    return customers.filter(Q(in_pool) | Q(owned_by_visible) | Q(collaborating))


def customers_owned_by(user: User) -> QuerySet[Customer]:
    """The customers `user` owns now ("my customers")."""
    return with_owner(
        Customer.objects.filter(ownerships__owner=user, ownerships__ended_at__isnull=True)
    )


def terms_of_team(user: User) -> QuerySet[Ownership]:
    """The current ownership terms of the customers `customers_of_team` gives: their own, a
    manager's team trees', everyone's for directors and admins. Read as plain rows, they
    let a page judge a region's customers without building each one."""
    terms = Ownership.objects.filter(ended_at__isnull=True)
    manages = managed_user_ids(user)
    if manages is None:
        return terms
    return terms.filter(owner_id__in={*manages, user.pk})


def customers_of_team(user: User) -> QuerySet[Customer]:
    """For a manager: the customers owned by their team trees; for others, their own."""
    manages = managed_user_ids(user)
    if manages is None:
        return with_owner(Customer.objects.filter(ownerships__ended_at__isnull=True))
    owners = set(manages) | {user.pk}
    return with_owner(
        Customer.objects.filter(ownerships__owner_id__in=owners, ownerships__ended_at__isnull=True)
    )


def contact_details_hidden(customer: Customer, policy: Policy) -> bool:
    """Whether a customer the viewer may see (from `customers_visible_to`) still has its
    contact details masked: only a pooled one, when the policy hides them until a claim."""
    return getattr(customer, "owner_id", None) is None and policy.pool_contacts_hidden


def customer_for_viewer(
    user: User, customer_id: int, *, now: datetime | None = None
) -> Customer | None:
    """The customer if `user` may see it in full, else None (the view answers 404)."""
    return customers_visible_to(user, now=now).filter(pk=customer_id).first()


# Who may claim from a pool; directors and admins assign instead.
CLAIMING_ROLES = (Role.REP, Role.MANAGER)


@dataclass(frozen=True)
class Allowance:
    """What the viewer may still claim: today's claims against the daily limit, and the
    customers held against the holding cap (their team's policy)."""

    claims_today: int
    daily_limit: int
    held: int
    max_held: int

    @property
    def claims_left(self) -> int:
        return max(self.daily_limit - self.claims_today, 0)

    @property
    def room(self) -> int:
        return max(self.max_held - self.held, 0)


def claim_allowance(user: User, now: datetime) -> Allowance | None:
    """The viewer's allowance, counted the way the claim service counts it (`actor_for`);
    None for those who cannot own customers (directors, admins)."""
    if user.role not in CLAIMING_ROLES:
        return None
    policy = policy_for(user, now)
    actor = actor_for(user, policy, now)
    return Allowance(
        claims_today=actor.claims_today,
        daily_limit=policy.daily_claim_limit,
        held=actor.held,
        max_held=policy.max_held,
    )
