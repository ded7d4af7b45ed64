"""One customer's activities (follow-ups) and orders as sheets.

The caller has already found the customer through `customer_for_viewer`: whoever may see a
customer in full sees all of its activities and orders, as in the API.
"""

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, OuterRef, Prefetch, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from guishu.activities.credits import order_credits
from guishu.activities.models import Collection
from guishu.customers.models import Contact, Customer
from guishu.disputes.collaboration import CENT, OWNER_ROLE
from guishu.disputes.models import Collaboration
from guishu.exports.common import CHUNK, joined, people_names, yes_no
from guishu.exports.writers import Column, Sheet


def activities_sheet(customer: Customer) -> Sheet:
    columns = [
        Column(_("When"), 17),
        Column(_("Type"), 14),
        Column(_("Channel"), 12),
        Column(_("Minutes"), 8),
        Column(_("Outcome"), 30),
        Column(_("Note"), 50),
        Column(_("Customer initiated"), 10),
        Column(_("Contacts"), 20),
        Column(_("By"), 14),
        Column(_("Logged"), 17),
    ]

    def rows() -> Iterator[list[Any]]:
        names = people_names()
        contacts = Contact.objects.order_by("pk").only("pk", "name")
        activities = customer.activities.order_by("-occurred_at", "-pk").prefetch_related(
            Prefetch("contacts", queryset=contacts)
        )
        for activity in activities.iterator(chunk_size=CHUNK):
            yield [
                activity.occurred_at,
                activity.get_kind_display(),
                activity.get_channel_display(),
                activity.duration_minutes,
                activity.outcome,
                activity.note,
                yes_no(activity.customer_initiated),
                joined(contact.name for contact in activity.contacts.all()),
                names.get(activity.by_id, ""),
                activity.created_at,
            ]

    return Sheet(
        name=_("{customer} activities").format(customer=customer.name),
        slug=f"customer-{customer.pk}-activities",
        columns=columns,
        rows=rows(),
    )


def credit_role(role: str) -> str:
    if role == OWNER_ROLE:
        return _("owner")
    return str(Collaboration.Role(role).label) if role in Collaboration.Role.values else role


def _collected() -> Any:
    """The sum of an order's payments, in one correlated subquery."""
    paid = (
        Collection.objects.filter(order=OuterRef("pk"))
        .order_by()
        .values("order")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    money = DecimalField(max_digits=14, decimal_places=2)
    return Coalesce(Subquery(paid, output_field=money), Value(Decimal("0.00")), output_field=money)


def orders_sheet(customer: Customer) -> Sheet:
    """Each order with its credits (who is credited what share and amount, the owner first)
    and what has been collected against it."""
    columns = [
        Column(_("Order number"), 16),
        Column(_("Ordered"), 17),
        Column(_("Amount"), 14),
        Column(_("Currency"), 8),
        Column(_("Status"), 10),
        Column(_("New or existing"), 16),
        Column(_("Credited to"), 14),
        Column(_("Credits"), 48),
        Column(_("Collected"), 14),
    ]

    def rows() -> Iterator[list[Any]]:
        names = people_names()
        orders = (
            customer.orders.order_by("-ordered_at", "-pk")
            .annotate(collected=_collected())
            .prefetch_related("credits")
        )
        for order in orders.iterator(chunk_size=CHUNK):
            credits = [
                _("{person} ({role}) {share}% = {amount}").format(
                    person=names.get(credit.user_id, ""),
                    role=credit_role(credit.role),
                    share=credit.share,
                    amount=credit.amount,
                )
                for credit in order_credits(order)
            ]
            yield [
                order.number,
                order.ordered_at,
                order.amount,
                order.currency,
                order.get_status_display(),
                order.get_customer_status_display(),
                names.get(order.credited_to_id, ""),
                joined(credits),
                Decimal(order.collected).quantize(CENT),
            ]

    return Sheet(
        name=_("{customer} orders").format(customer=customer.name),
        slug=f"customer-{customer.pk}-orders",
        columns=columns,
        rows=rows(),
    )
