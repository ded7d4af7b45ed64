"""The customer page: profile, the decision chain, the timeline with quick entry, orders and
collections, collaborators and their shares, and why it is owned by whom.

Every read goes through `customer_for_viewer`: another rep's customer answers 404, exactly
like one that does not exist; a pooled customer's contact details are masked while the
policy hides them (as in the API). Logging a follow-up is the activity service's decision.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from guishu.accounts.models import User
from guishu.activities.models import Order
from guishu.activities.services import activity_log
from guishu.customers.models import Contact, Customer
from guishu.disputes.collaboration import collaborations_on
from guishu.ownership.explain import customer_ownership_explain
from guishu.ownership.policies import policy_in_force
from guishu.ownership.selectors import contact_details_hidden, customer_for_viewer
from guishu.pipeline.models import Opportunity
from guishu.pipeline.selectors import opportunities_visible_to
from guishu.web.forms import ActivityForm
from guishu.web.people import signed_in
from guishu.web.trace import translate_trace

RECENT_ACTIVITIES = 20
RECENT_ORDERS = 20


@dataclass(frozen=True)
class ChainGroup:
    """The contacts holding one role in the decision chain (决策链)."""

    label: str
    contacts: list[Contact]


def decision_chain(contacts: Iterable[Contact]) -> list[ChainGroup]:
    """Contacts grouped by their role, decision makers first; those without a role last."""
    by_role: dict[str, list[Contact]] = {}
    for contact in contacts:
        by_role.setdefault(contact.chain_role, []).append(contact)
    order = [*Contact.ChainRole.values, ""]
    labels = dict(Contact.ChainRole.choices) | {"": _("No role recorded")}
    return [ChainGroup(str(labels[role]), by_role[role]) for role in order if role in by_role]


def customer_visible(request: HttpRequest, customer_id: int) -> tuple[User, Customer]:
    user = signed_in(request)
    customer = customer_for_viewer(user, customer_id)
    if customer is None:
        raise Http404(_("No such customer."))
    return user, customer


def _timeline(customer: Customer) -> list[Any]:
    return list(
        customer.activities.select_related("by").prefetch_related("contacts")[:RECENT_ACTIVITIES]
    )


def _new_activity_form() -> ActivityForm:
    now = timezone.localtime().replace(second=0, microsecond=0)
    return ActivityForm(initial={"occurred_at": now.strftime("%Y-%m-%dT%H:%M"), "kind": "call"})


def customer_opportunities(user: User, customer: Customer) -> list[tuple[Opportunity, bool]]:
    """The customer's opportunities, open ones first, newest first, each with whether the
    viewer may open its page (their own, their team's; directors and admins all)."""
    rows = customer.opportunities.select_related("stage", "owner").order_by("-opened_at", "-pk")
    mine = set(
        opportunities_visible_to(user).filter(customer=customer).values_list("pk", flat=True)
    )
    return sorted(
        ((o, o.pk in mine) for o in rows), key=lambda row: row[0].status != Opportunity.Status.OPEN
    )


def _page_context(
    user: User, customer: Customer, form: ActivityForm, refusal: str = ""
) -> dict[str, Any]:
    now = timezone.now()
    why = customer_ownership_explain(customer=customer, now=now)
    masked = contact_details_hidden(customer, policy_in_force())
    orders = list(
        customer.orders.select_related("credited_to")
        .prefetch_related("collections", "credits__user")
        .order_by("-ordered_at", "-pk")[:RECENT_ORDERS]
    )
    won = [order for order in orders if order.status == Order.Status.WON]
    collaborations = list(collaborations_on(customer))
    return {
        "customer": customer,
        "why": why,
        "identifiers": customer.identifiers.order_by("kind", "pk"),
        "chain": decision_chain(customer.contacts.order_by("name", "pk")),
        "activities": _timeline(customer),
        "activity_form": form,
        "refusal": refusal,
        "orders": orders,
        "ordered_total": sum((o.amount for o in won), Decimal(0)),
        "collected_total": sum((c.amount for o in won for c in o.collections.all()), Decimal(0)),
        "currencies": sorted({o.currency for o in won}),
        "collaborations": [c for c in collaborations if c.ended_at is None],
        "opportunities": customer_opportunities(user, customer),
        "past_collaborations": [c for c in collaborations if c.ended_at is not None],
        "masked": masked,
        "now": now,
    }


@require_safe
def customer_detail(request: HttpRequest, customer_id: int) -> HttpResponse:
    """A customer's page; 404 unless the viewer may see it in full."""
    user, customer = customer_visible(request, customer_id)
    return render(
        request,
        "guishu/customers/detail.html",
        _page_context(user, customer, _new_activity_form()),
    )


@require_POST
def customer_activity_log(request: HttpRequest, customer_id: int) -> HttpResponse:
    """Quick entry on the timeline: the activity service logs it (restarting the reclaim
    clock for the owner) or refuses it. htmx gets the timeline back, errors inline; a plain
    form post goes back to the page."""
    user, customer = customer_visible(request, customer_id)
    form = ActivityForm(request.POST)
    refusal = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = activity_log(
                user=user,
                customer_id=customer.pk,
                kind=data["kind"],
                channel=data["channel"],
                occurred_at=data["occurred_at"],
                duration_minutes=data.get("duration_minutes") or 0,
                outcome=data.get("outcome") or "",
                note=data.get("note") or "",
                customer_initiated=data.get("customer_initiated", False),
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            if result.activity is not None:
                if not getattr(request, "htmx", False):
                    return redirect("customer-detail", customer_id=customer.pk)
                return render(
                    request,
                    "guishu/customers/_timeline.html",
                    {
                        "customer": customer,
                        "activities": _timeline(customer),
                        "activity_form": _new_activity_form(),
                        "logged": result.activity,
                    },
                )
            rejection = result.ownership.rejection
            refusal = (
                "; ".join(translate_trace(line) for line in rejection.trace)
                if rejection
                else _("The follow-up was not logged.")
            )
    if getattr(request, "htmx", False):
        return render(
            request,
            "guishu/customers/_timeline.html",
            {
                "customer": customer,
                "activities": _timeline(customer),
                "activity_form": form,
                "refusal": refusal,
            },
        )
    return render(
        request, "guishu/customers/detail.html", _page_context(user, customer, form, refusal)
    )
