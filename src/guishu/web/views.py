"""The customer list: search, filters, sort, saved views and bulk actions.

Views parse the request, call selectors (or one service per customer for a bulk action), and
render. Every read of a customer goes through a selector that applies the viewer's
visibility; the filters only narrow what the selector already allows.
"""

from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from guishu.accounts.models import User
from guishu.accounts.selectors import managed_user_ids
from guishu.customers.models import Customer
from guishu.domain import ReclaimForecast, Role
from guishu.ownership.policies import PoliciesByTeam
from guishu.ownership.selectors import (
    customers_of_team,
    customers_visible_to,
    reclaim_forecast_of,
)
from guishu.web.forms import CustomerFilterForm, SavedViewForm
from guishu.web.models import SavedView
from guishu.web.people import signed_in
from guishu.web.search import customer_search

PAGE_SIZE = 50


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


def owner_choices(user: User) -> list[tuple[int, str]] | None:
    """Whom the viewer may filter the list by: the people a manager oversees, everyone
    for directors and admins; None for a rep (their list is their own)."""
    manages = managed_user_ids(user)
    if manages is not None and not manages:
        return None
    people = User.objects.filter(is_active=True, role=Role.REP).order_by("display_name", "pk")
    if manages is not None:
        people = people.filter(pk__in=manages)
    return [(person.pk, person.name) for person in people]


def filtered_customers(user: User, filters: dict[str, Any], now: datetime) -> QuerySet[Customer]:
    """The customers the list shows for these filters, ordered; only ever a narrowing of
    the viewer's selectors."""
    scope = filters.get("scope")
    if scope == "pool":
        customers = customers_visible_to(user, now=now).filter(Q(owner_id__isnull=True))
    elif scope == "visible":
        customers = customers_visible_to(user, now=now)
    else:
        customers = customers_of_team(user)
    status = filters.get("status")
    if status == "protected":
        customers = customers.filter(Q(protected_until__gt=now))
    elif status == "unprotected":
        customers = customers.filter(
            Q(owner_id__isnull=False)
            & (Q(protected_until__isnull=True) | Q(protected_until__lte=now))
        )
    elif status == "won":
        customers = customers.filter(Q(deal_won_at__isnull=False))
    elif status == "locked":
        customers = customers.filter(Q(locked_at__isnull=False))
    if level := filters.get("level"):
        customers = customers.filter(level=level)
    if owner := filters.get("owner"):
        customers = customers.filter(Q(owner_id=owner))
    if ending := filters.get("ending"):
        until = now + timedelta(days=int(ending))
        customers = customers.filter(Q(protected_until__gt=now) & Q(protected_until__lte=until))
    if query := filters.get("q"):
        customers = customer_search(customers, str(query))
    ordering = CustomerFilterForm.ORDERINGS.get(str(filters.get("sort") or "name"))
    return customers.order_by(*(ordering or ("name", "pk")))


def _export_url(user: User, filters: dict[str, Any], file_format: str) -> str:
    """The same list as a file, through the export endpoints (they mask like the API)."""
    scope = filters.get("scope") or ("mine" if user.role == Role.REP else "team")
    params = {"scope": scope}
    for name in ("q", "level", "owner"):
        if filters.get(name):
            params[name] = str(filters[name])
    url = reverse("api-export-customers", kwargs={"file_format": file_format})
    return f"{url}?{urlencode(params)}"


def _params(filters: dict[str, Any]) -> str:
    """The filters as a query string (without the page), for links and saved views."""
    return urlencode({name: value for name, value in filters.items() if value not in ("", None)})


@require_safe
def customer_list(request: HttpRequest) -> HttpResponse:
    """A rep's own customers, a manager's team trees' customers, everyone's for directors;
    the pool or everything visible on request. htmx asks for the table alone."""
    user = signed_in(request)
    now = timezone.now()
    owners_offered = owner_choices(user)
    form = CustomerFilterForm(request.GET, owners=owners_offered)
    filters = form.values()
    customers = filtered_customers(user, filters, now)
    page = Paginator(customers, PAGE_SIZE).get_page(request.GET.get("page"))
    # One query for the owners of the whole page, whatever its length.
    owners = User.objects.in_bulk({_owner_id(c) for c in page} - {None})
    policies = PoliciesByTeam()
    rows = []
    for customer in page:
        owner = owners.get(_owner_id(customer))
        policy = policies.of(owner.team_id if owner else None)
        rows.append(CustomerRow(customer, owner, reclaim_forecast_of(customer, policy)))
    params = _params(filters)
    context = {
        "heading": _list_heading(user),
        "form": form,
        "query": filters.get("q") or "",
        "params": params,
        "page": page,
        "rows": rows,
        "now": now,
        "may_transfer": owners_offered is not None,
        "export_xlsx": _export_url(user, filters, "xlsx"),
        "export_csv": _export_url(user, filters, "csv"),
    }
    if getattr(request, "htmx", False):
        return render(request, "guishu/customers/_table.html", context)
    context["saved_views"] = list(user.saved_views.all())
    context["save_form"] = SavedViewForm(initial={"params": params})
    return render(request, "guishu/customers/list.html", context)


@require_POST
def saved_view_create(request: HttpRequest) -> HttpResponse:
    """Saves the list's current filters under a name (the same name replaces the old view)."""
    user = signed_in(request)
    form = SavedViewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the view a name of at most 60 characters."))
        return redirect("customer-list")
    # Only the filters the list knows are kept, checked like any query string.
    parsed = CustomerFilterForm(QueryDict(form.cleaned_data["params"]), owners=owner_choices(user))
    params = {k: v for k, v in parsed.values().items() if v not in ("", None)}
    name = form.cleaned_data["name"].strip()
    with suppress(IntegrityError):  # two saves of one name at once: the other one won
        SavedView.objects.update_or_create(user=user, name=name, defaults={"params": params})
    messages.success(request, _("Saved the view “%(name)s”.") % {"name": name})
    return redirect(f"{reverse('customer-list')}?{urlencode(params)}")


@require_POST
def saved_view_delete(request: HttpRequest, view_id: int) -> HttpResponse:
    """Deletes one of the viewer's own saved views (anyone else's answers 404)."""
    view = get_object_or_404(SavedView, pk=view_id, user=request.user)
    view.delete()
    messages.success(request, _("Deleted the view “%(name)s”.") % {"name": view.name})
    return redirect("customer-list")
