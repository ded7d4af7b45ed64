"""Importing contacts: the rules of contact_add, row by row, in one transaction.

A contact goes to a customer the importer may edit (its owner, or a manager over the owner;
not a pooled customer, nor one they only collaborate on). A contact already on the customer
(same name, phone and e-mail) or repeated in the file is skipped. A contact whose phone,
e-mail or WeChat ID would make the customer the same as another rep's customer is refused
and recorded as a collision, as contact_add does; nothing else about it changes.
"""

from collections import defaultdict
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

from guishu.accounts.models import User
from guishu.accounts.selectors import managed_user_ids
from guishu.customers.identity import identity_refresh, record_of
from guishu.customers.models import Contact, Customer
from guishu.customers.services import other_reps_same
from guishu.disputes.models import Collision
from guishu.disputes.services import overlap_record
from guishu.imports.records import RecordFile, customers_find
from guishu.matching import build_profile
from guishu.ownership.models import Ownership


class Outcome(StrEnum):
    NEW = "new"
    DUPLICATE = "duplicate_in_file"
    ALREADY = "already_recorded"
    COLLISION = "collision"
    INVALID = "invalid"


@dataclass
class ContactPlan:
    outcomes: dict[int, Outcome]
    clashes: dict[int, list[tuple[Any, Ownership]]]  # position -> (match, other's term)
    owners: dict[int, int]  # customer id -> owner id


def contact_key(customer_id: int, name: str, phone: str, email: str) -> tuple[int, str, str, str]:
    return customer_id, name.strip().casefold(), phone.strip(), email.strip().casefold()


def customers_lock(batch: RecordFile, user: User) -> None:
    """Locks the customers the rows name, in id order, as contact_add locks its customer."""
    customers_find(batch, user, visible_only=True)
    ids = sorted(set(batch.customer_of.values()))
    for start in range(0, len(ids), 1000):
        list(
            Customer.objects.select_for_update()
            .filter(pk__in=ids[start : start + 1000])
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def contacts_plan(batch: RecordFile, user: User, *, located: bool = False) -> ContactPlan:
    """What each row becomes, as of now. The commit calls it under its locks (`located`: the
    customers were found already, when they were locked)."""
    if not located:
        customers_find(batch, user, visible_only=True)
    ids = sorted(set(batch.customer_of.values()))
    owners = dict(
        Ownership.objects.filter(customer_id__in=ids, ended_at__isnull=True).values_list(
            "customer_id", "owner_id"
        )
    )
    manages = managed_user_ids(user)
    existing = {
        contact_key(*values)
        for values in Contact.objects.filter(customer_id__in=ids).values_list(
            "customer_id", "name", "phone", "email"
        )
    }
    outcomes: dict[int, Outcome] = {}
    seen: set[tuple[int, str, str, str]] = set()
    fresh: dict[int, list[int]] = defaultdict(list)  # customer -> positions
    for position, row in enumerate(batch.rows):
        if row is None:
            outcomes[position] = Outcome.INVALID
            continue
        customer_id = batch.customer_of[position]
        owner = owners.get(customer_id)
        if owner is None or not (owner == user.pk or manages is None or owner in manages):
            batch.invalid(
                position,
                "customer",
                str(row.customer),
                _("Only the customer's owner or their manager can add its contacts."),
            )
            outcomes[position] = Outcome.INVALID
            continue
        data = row.data  # type: ignore[union-attr]
        key = contact_key(customer_id, data.name, data.phone, data.email)
        if key in existing:
            outcomes[position] = Outcome.ALREADY
        elif key in seen:
            outcomes[position] = Outcome.DUPLICATE
        else:
            seen.add(key)
            outcomes[position] = Outcome.NEW
            fresh[customer_id].append(position)
    clashes: dict[int, list[tuple[Any, Ownership]]] = {}
    customers = Customer.objects.in_bulk(list(fresh))
    for customer_id, positions in fresh.items():
        per_row = _clashes(batch, customers[customer_id], owners[customer_id], positions)
        for position, clash in per_row.items():
            clashes[position] = clash
            outcomes[position] = Outcome.COLLISION
    return ContactPlan(outcomes=outcomes, clashes=clashes, owners=owners)


def _clashes(
    batch: RecordFile, customer: Customer, owner_id: int, positions: list[int]
) -> dict[int, list[tuple[Any, Ownership]]]:
    """The new contacts that would make the customer the same as another rep's customer.
    One check for the customer with all its new contacts; each contact alone only if that
    one finds a clash."""
    details = [p for p in positions if _signals(batch, p)]
    if not details:
        return {}
    record = record_of(customer)

    def with_contacts(chosen: list[int]) -> Any:
        rows = [batch.rows[p].data for p in chosen]  # type: ignore[union-attr]
        extended = replace(
            record,
            phones=(*record.phones, *(c.phone for c in rows if c.phone)),
            emails=(*record.emails, *(c.email for c in rows if c.email)),
            wechat_ids=(*record.wechat_ids, *(c.wechat for c in rows if c.wechat)),
        )
        return other_reps_same(build_profile(extended), customer.pk, owner_id)

    if not with_contacts(details):
        return {}
    found = {}
    for position in details:
        clash = with_contacts([position])
        if clash:
            found[position] = clash
    return found


def _signals(batch: RecordFile, position: int) -> bool:
    data = batch.rows[position].data  # type: ignore[union-attr]
    return bool(data.phone or data.email or data.wechat)


def contacts_write(batch: RecordFile, plan: ContactPlan, user: User, now: datetime) -> int:
    """Adds the new contacts, records the clashes, and rebuilds the identity keys of the
    customers that got contacts. Returns how many contacts were added."""
    added: dict[int, list[Contact]] = defaultdict(list)
    for position, outcome in plan.outcomes.items():
        row = batch.rows[position]
        if outcome is Outcome.NEW and row is not None:
            customer_id = batch.customer_of[position]
            added[customer_id].append(
                Contact(customer_id=customer_id, notes=row.notes, **asdict(row.data))  # type: ignore[union-attr]
            )
        elif outcome is Outcome.COLLISION and row is not None:
            for clash, other in plan.clashes[position]:
                overlap_record(
                    customer=other.customer,
                    attempted_by=user,
                    owner_id=other.owner_id,
                    owner_since=other.started_at,
                    action=Collision.Action.EDIT,
                    at=now,
                    reasons=clash.match.reasons,
                    submitted={
                        "contact_of": batch.customer_of[position],
                        **asdict(row.data),  # type: ignore[union-attr]
                        "import_row": batch.numbers[position],
                    },
                )
    contacts = [contact for found in added.values() for contact in found]
    Contact.objects.bulk_create(contacts, batch_size=1000)
    for customer in Customer.objects.filter(pk__in=sorted(added)).order_by("pk"):
        identity_refresh(customer)
    return len(contacts)
