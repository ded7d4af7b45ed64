"""Read-only queries that apply the viewer's visibility. Views, exports and the API read
ownership-bearing data only through these.

A rep sees in full the customers they own and the pool; a manager also sees those owned by
the people in their team trees; directors and admins see everything. Any other customer exists
for the viewer only as "taken, by whom", with contact details masked (see masking.py).
"""

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from guishu.accounts.models import User
from guishu.accounts.selectors import managed_user_ids
from guishu.customers.models import Customer
from guishu.ownership.models import Ownership


def _active_terms() -> QuerySet[Ownership]:
    return Ownership.objects.filter(customer=OuterRef("pk"), ended_at__isnull=True)


def with_owner(customers: QuerySet[Customer]) -> QuerySet[Customer]:
    """Annotates owner_id/owner_since (None when pooled) at a fixed cost of one join-free
    subquery per column, so lists never query per row."""
    terms = _active_terms()
    return customers.annotate(
        owner_id=Subquery(terms.values("owner_id")[:1]),
        owner_since=Subquery(terms.values("started_at")[:1]),
        protected_until=Subquery(terms.values("protected_until")[:1]),
    )


def customers_visible_to(user: User) -> QuerySet[Customer]:
    """Every customer `user` may see in full, with owner annotations."""
    customers = with_owner(Customer.objects.all())
    manages = managed_user_ids(user)
    if manages is None:
        return customers
    in_pool = ~Exists(_active_terms())
    owners = set(manages) | {user.pk}
    owned_by_visible = Exists(_active_terms().filter(owner_id__in=owners))
    return customers.filter(Q(in_pool) | Q(owned_by_visible))


def customers_owned_by(user: User) -> QuerySet[Customer]:
    """The customers `user` owns now ("my customers")."""
    return with_owner(Customer.objects.filter(
        ownerships__owner=user, ownerships__ended_at__isnull=True))


def customers_of_team(user: User) -> QuerySet[Customer]:
    """For a manager: the customers owned by their team trees; for others, their own."""
    manages = managed_user_ids(user)
    if manages is None:
        return with_owner(Customer.objects.filter(ownerships__ended_at__isnull=True))
    owners = set(manages) | {user.pk}
    return with_owner(Customer.objects.filter(
        ownerships__owner_id__in=owners, ownerships__ended_at__isnull=True))


def customer_for_viewer(user: User, customer_id: int) -> Customer | None:
    """The customer if `user` may see it in full, else None (the view answers 404)."""
    return customers_visible_to(user).filter(pk=customer_id).first()
