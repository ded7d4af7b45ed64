"""The minimal pages: the customer list and the customer detail with its "why" panel.

Views parse the request, call one selector (or the explain service), and render. Every read of
a customer goes through a selector that applies the viewer's visibility.
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from guishu.accounts.models import User
from guishu.customers.models import Customer
from guishu.domain import ReclaimForecast, Role
from guishu.ownership.explain import customer_ownership_explain
from guishu.ownership.policies import PoliciesByTeam, policy_in_force
from guishu.ownership.selectors import (
    contact_details_hidden,
    customer_for_viewer,
    customers_of_team,
    reclaim_forecast_of,
)

PAGE_SIZE = 50
RECENT_ACTIVITIES = 20


@dataclass(frozen=True)
class CustomerRow:
    """One line of the list: the customer (with its owner annotations) and its owner."""

    customer: Customer
    owner: User | None
    forecast: ReclaimForecast | None


def _owner_id(customer: Customer) -> int | None:
    """The owner the selector annotated (`with_owner`); None for a pooled customer."""
    owner_id: int | None = customer.owner_id  # type: ignore[attr-defined]
    return owner_id


def _list_heading(user: User) -> str:
    if user.role == Role.MANAGER:
        return _("My team's customers")
    if user.role in (Role.DIRECTOR, Role.ADMIN):
        return _("All owned customers")
    return _("My customers")


@require_safe
def customer_list(request: HttpRequest) -> HttpResponse:
    """A rep's own customers, a manager's team trees' customers, everyone's for directors."""
    user = request.user
    assert isinstance(user, User)  # LoginRequiredMiddleware keeps anonymous users out
    query = request.GET.get("q", "").strip()
    customers = customers_of_team(user)
    if query:
        customers = customers.filter(name__icontains=query)
    page = Paginator(customers.order_by("name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    # One query for the owners of the whole page, whatever its length.
    owners = User.objects.in_bulk({_owner_id(c) for c in page} - {None})
    policies = PoliciesByTeam()
    rows = []
    for customer in page:
        owner = owners.get(_owner_id(customer))
        policy = policies.of(owner.team_id if owner else None)
        rows.append(CustomerRow(customer, owner, reclaim_forecast_of(customer, policy)))
    return render(
        request,
        "guishu/customers/list.html",
        {
            "heading": _list_heading(user),
            "query": query,
            "page": page,
            "rows": rows,
            "now": timezone.now(),
        },
    )


@require_safe
def customer_detail(request: HttpRequest, customer_id: int) -> HttpResponse:
    """A customer's profile and why it is owned by whom; 404 unless the viewer may see it in
    full, so another rep's customer is indistinguishable from one that does not exist."""
    user = request.user
    assert isinstance(user, User)
    customer = customer_for_viewer(user, customer_id)
    if customer is None:
        raise Http404(_("No such customer."))
    now = timezone.now()
    why = customer_ownership_explain(customer=customer, now=now)
    masked = contact_details_hidden(customer, policy_in_force())
    return render(
        request,
        "guishu/customers/detail.html",
        {
            "customer": customer,
            "why": why,
            "identifiers": customer.identifiers.order_by("kind", "pk"),
            "contacts": customer.contacts.order_by("pk"),
            "activities": customer.activities.select_related("by")[:RECENT_ACTIVITIES],
            "masked": masked,
            "now": now,
        },
    )
