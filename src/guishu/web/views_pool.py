"""The pool (公海) page: the pools the viewer may claim from, the customers waiting in them
(contact details masked while the policy hides them before a claim), and a claim button that
answers in place with the result and the remaining daily allowance and holding room.

Pooled customers are read through `customers_visible_to`, which already keeps out those in
pools the viewer is not eligible for; the claim itself is `pool_claim`, which decides again.
"""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from guishu.accounts.models import User
from guishu.customers.models import Customer, Identifier
from guishu.disputes.review import may_review_conflicts
from guishu.ownership.policies import policy_for
from guishu.ownership.selectors import (
    CLAIMING_ROLES,
    claim_allowance,
    customer_for_viewer,
    customers_visible_to,
)
from guishu.ownership.services import pool_claim
from guishu.pools.models import Pool
from guishu.pools.routing import eligible_pool_ids
from guishu.web.people import signed_in
from guishu.web.trace import translate_trace
from guishu.web.views_manager import receivers_for

PAGE_SIZE = 50
OPEN_POOL = "open"  # the `pool` filter's value for customers placed in no pool
CONTACT_KINDS = (Identifier.Kind.PHONE, Identifier.Kind.EMAIL)


def pooled_for(user: User) -> QuerySet[Customer]:
    """The pooled customers `user` may see (and so claim, within the rules)."""
    return customers_visible_to(user).filter(Q(owner_id__isnull=True))  # with_owner annotation


def _pools(user: User) -> list[Pool]:
    eligible = eligible_pool_ids(user)
    pools = Pool.objects.filter(active=True).order_by("priority", "pk")
    return list(pools if eligible is None else pools.filter(pk__in=eligible))


def _filtered(request: HttpRequest, customers: QuerySet[Customer]) -> QuerySet[Customer]:
    params = request.GET
    if query := params.get("q", "").strip():
        aliases = Identifier.objects.filter(
            customer=OuterRef("pk"), kind=Identifier.Kind.ALIAS, value__icontains=query
        )
        customers = customers.filter(Q(name__icontains=query) | Exists(aliases))
    if (level := params.get("level", "")) in Customer.LevelChoice.values:
        customers = customers.filter(level=level)
    if country := params.get("country", "").strip().upper()[:2]:
        customers = customers.filter(country=country)
    if industry := params.get("industry", "").strip():
        customers = customers.filter(industry__icontains=industry)
    pool = params.get("pool", "")
    if pool == OPEN_POOL:
        customers = customers.filter(pool_placement__isnull=True)
    elif pool.isdigit():
        customers = customers.filter(pool_placement__pool_id=int(pool))
    return customers


@require_safe
def pool_list(request: HttpRequest) -> HttpResponse:
    """The pool: filters, the customers waiting, the viewer's allowance, claim buttons."""
    user = signed_in(request)
    now = timezone.now()
    policy = policy_for(user, now)
    customers = _filtered(request, pooled_for(user)).select_related("pool_placement__pool")
    page = Paginator(
        customers.prefetch_related("identifiers").order_by("name", "pk"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    context = {
        "page": page,
        "rows": [(customer, _contact(customer)) for customer in page],
        "masked": policy.pool_contacts_hidden,
        "pools": _pools(user),
        "open_pool": OPEN_POOL,
        "filters": {
            name: request.GET.get(name, "")
            for name in ("q", "level", "country", "industry", "pool")
        },
        "levels": Customer.LevelChoice.choices,
        "query_string": filters.urlencode(),
        "allowance": claim_allowance(user, now),
        "may_claim": user.role in CLAIMING_ROLES,
        # Managers, directors and admins may also assign a pooled customer to their people.
        "receivers": receivers_for(user) if may_review_conflicts(user) else [],
    }
    return render(request, "guishu/pool/list.html", context)


def _contact(customer: Customer) -> str:
    """The first phone or e-mail on record (the template masks it when the policy says)."""
    for identifier in customer.identifiers.all():
        if identifier.kind in CONTACT_KINDS:
            return identifier.value
    return ""


@require_POST
def pool_claim_page(request: HttpRequest, customer_id: int) -> HttpResponse:
    """Claims a pooled customer. htmx: the result in place, and the allowance refreshed;
    otherwise back to the pool with the result as a message."""
    user = signed_in(request)
    now = timezone.now()
    customer = customer_for_viewer(user, customer_id, now=now)
    if customer is None or getattr(customer, "owner_id", None) is not None:
        if not request.htmx:  # type: ignore[attr-defined]
            raise Http404(_("No such customer in the pool."))
        gone: dict[str, Any] = {
            "gone": True,
            "allowance": claim_allowance(user, now),
            "customer_id": customer_id,
        }
        return render(request, "guishu/pool/_claim_result.html", gone)
    result = pool_claim(user=user, customer_id=customer_id, now=now)
    rejection = result.rejection
    context: dict[str, Any] = {
        "customer": result.customer,
        "accepted": result.accepted,
        "code": rejection.code.value if rejection else "",
        "reasons": [translate_trace(line) for line in rejection.trace] if rejection else [],
        "retry_at": rejection.retry_at if rejection else None,
        "allowance": claim_allowance(user, timezone.now()),
        "customer_id": customer_id,
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "guishu/pool/_claim_result.html", context)
    if result.accepted:
        messages.success(request, _("Claimed %(name)s: it is yours now.") % {"name": customer.name})
        return redirect("customer-detail", customer_id=customer_id)
    messages.error(
        request,
        _("Not claimed: %(reasons)s") % {"reasons": "; ".join(context["reasons"])},
    )
    return redirect("pool-list")
