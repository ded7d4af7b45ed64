"""The customer list as a sheet, masked exactly as the API masks it for the viewer.

Only customers the viewer may see in full are listed at all (`customers_visible_to`): another
rep's customer is not in the file, just as it is not in the API's list. Of those, a pooled
customer's phones, e-mails, websites and messenger IDs are masked while the policy hides
pooled contact details until a claim (`pool_contacts_hidden`); its other names never are.
That is the decision `contact_details_hidden` makes for the API's customer page, with the
same `mask_value`.
"""

from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from guishu.customers.masking import mask_value
from guishu.customers.models import Customer, Identifier
from guishu.domain import Policy
from guishu.exports.common import CHUNK, joined, people_names, yes_no
from guishu.exports.writers import Column, Sheet
from guishu.ownership.policies import policy_in_force
from guishu.ownership.selectors import contact_details_hidden

# The identifier kinds with a column each, in the order of the columns.
KINDS = (
    Identifier.Kind.ALIAS,
    Identifier.Kind.PHONE,
    Identifier.Kind.EMAIL,
    Identifier.Kind.WEBSITE,
    Identifier.Kind.WECHAT,
    Identifier.Kind.WHATSAPP,
)


def shown_value(identifier: Identifier, hidden: bool) -> str:
    """An identifier as the API shows it: masked when the customer's contact details are
    hidden from the viewer, except other names, which identify without reaching anyone."""
    masked = hidden and identifier.kind != Identifier.Kind.ALIAS
    return mask_value(identifier.value) if masked else identifier.value


def customer_columns() -> list[Column]:
    return [
        Column(_("ID"), 8),
        Column(_("Name"), 32),
        Column(_("Other names"), 28),
        Column(_("Kind"), 10),
        Column(_("Level"), 6),
        Column(_("Country"), 8),
        Column(_("Region"), 14),
        Column(_("City"), 14),
        Column(_("Industry"), 16),
        Column(_("Source"), 14),
        Column(_("In the pool"), 10),
        Column(_("Owner"), 16),
        Column(_("Owner since"), 17),
        Column(_("Protected until"), 17),
        Column(_("Phones"), 24),
        Column(_("E-mails"), 28),
        Column(_("Websites"), 22),
        Column(_("WeChat"), 16),
        Column(_("WhatsApp"), 18),
        Column(_("Created"), 17),
    ]


def _rows(customers: QuerySet[Customer], policy: Policy) -> Iterator[list[Any]]:
    names = people_names()
    identifiers = Identifier.objects.order_by("kind", "pk")
    listed = customers.prefetch_related(Prefetch("identifiers", queryset=identifiers))
    for customer in listed.iterator(chunk_size=CHUNK):
        hidden = contact_details_hidden(customer, policy)
        values: dict[str, list[str]] = {kind: [] for kind in KINDS}
        for identifier in customer.identifiers.all():
            values.setdefault(identifier.kind, []).append(shown_value(identifier, hidden))
        owner_id = getattr(customer, "owner_id", None)
        yield [
            customer.pk,
            customer.name,
            joined(values[Identifier.Kind.ALIAS]),
            customer.get_kind_display(),
            customer.level,
            customer.country,
            customer.region,
            customer.city,
            customer.industry,
            customer.source,
            yes_no(owner_id is None),
            names.get(owner_id, "") if owner_id else "",
            getattr(customer, "owner_since", None),
            getattr(customer, "protected_until", None),
            *(joined(values[kind]) for kind in KINDS[1:]),
            customer.created_at,
        ]


def customers_sheet(customers: QuerySet[Customer]) -> Sheet:
    """`customers` must come from `customers_visible_to(viewer)` (annotated with the owner),
    filtered and ordered as the viewer's list is; the rows are read as they are written."""
    return Sheet(
        name=_("Customers"),
        slug="customers",
        columns=customer_columns(),
        rows=_rows(customers, policy_in_force()),
    )
