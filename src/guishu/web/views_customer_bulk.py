"""Bulk actions on the customer list: release to the pool, transfer to a rep.

Business rule: a bulk action is many single actions, each through its own service call (its
own transaction, its own audit event), so one refused customer never undoes the others and
the summary says exactly which were done and why any were not. The ticked ids are read
through the viewer's list selector, so a forged id is simply not there. Nothing happens
before the person confirms the list of customers and the action.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guishu.accounts.models import User
from guishu.customers.models import Customer
from guishu.ownership.execute import OwnershipResult
from guishu.ownership.selectors import customers_of_team
from guishu.ownership.services import customer_transfer, pool_release
from guishu.web.forms import BulkForm
from guishu.web.people import signed_in
from guishu.web.trace import translate_trace
from guishu.web.views import owner_choices

MAX_BULK = 200


@dataclass(frozen=True)
class BulkOutcome:
    customer: Customer
    done: bool
    why: str


def _ticked(user: User, raw: list[str]) -> list[Customer]:
    ids = [int(value) for value in raw if value.isdigit()][:MAX_BULK]
    return list(customers_of_team(user).filter(pk__in=ids).order_by("name", "pk"))


def _run(user: User, form: BulkForm, customers: list[Customer]) -> list[BulkOutcome]:
    data = form.cleaned_data
    to = User.objects.filter(pk=data["to"]).first() if data.get("to") else None
    outcomes = []
    for customer in customers:
        result: OwnershipResult
        if data["action"] == "transfer" and to is not None:
            result = customer_transfer(
                user=user, customer_id=customer.pk, to=to, reason=data.get("reason") or ""
            )
        else:
            result = pool_release(
                user=user, customer_id=customer.pk, reason=data.get("reason") or ""
            )
        why = ""
        if result.rejection is not None:
            why = "; ".join(translate_trace(line) for line in result.rejection.trace)
        outcomes.append(BulkOutcome(customer, result.accepted, why))
    return outcomes


@require_POST
def customer_bulk(request: HttpRequest) -> HttpResponse:
    """First POST: the confirmation (the customers and the action). With `confirm`: do it,
    one customer at a time, and show what was done and what was refused."""
    user = signed_in(request)
    customers = _ticked(user, request.POST.getlist("ids"))
    if not customers:
        messages.error(request, _("Tick at least one customer first."))
        return redirect("customer-list")
    people = owner_choices(user) or []
    form = BulkForm(request.POST, people=people)
    context: dict[str, object] = {"form": form, "customers": customers}
    if form.is_valid():
        context["action_label"] = dict(BulkForm.ACTIONS)[form.cleaned_data["action"]]
        context["to"] = dict(people).get(form.cleaned_data.get("to") or 0, "")
        if form.cleaned_data["confirm"]:
            outcomes = _run(user, form, customers)
            context.update(
                outcomes=outcomes,
                done=sum(1 for o in outcomes if o.done),
                refused=sum(1 for o in outcomes if not o.done),
                at=timezone.now(),
            )
    return render(request, "guishu/customers/bulk.html", context)
