"""Adding, editing and removing a customer's contacts; the match keys follow every change.

Contacts' phones, e-mails and WeChat IDs are identity signals of the customer, so a change is
checked like a profile edit: giving a customer a contact detail of another rep's customer is
refused and recorded as a collision, and nothing else changes.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guishu.accounts.models import User
from guishu.customers.identity import (
    CandidateMatch,
    identity_refresh,
    record_of,
)
from guishu.customers.inputs import ContactInput
from guishu.customers.models import Contact, Customer
from guishu.customers.services import locked_for_edit, other_reps_same
from guishu.disputes.models import Collision
from guishu.disputes.services import overlap_record
from guishu.matching import build_profile
from guishu.ownership.matches import MatchAnswer, match_answers
from guishu.ownership.models import Ownership

CONTACT_FIELDS = tuple(field.name for field in fields(ContactInput))


@dataclass(frozen=True)
class ContactResult:
    """`contact` is the saved contact (None when refused or removed); `conflicts` say which
    other rep's customer the new details belong to."""

    customer: Customer
    contact: Contact | None
    conflicts: tuple[MatchAnswer, ...] = ()

    @property
    def refused(self) -> bool:
        return bool(self.conflicts)


def clean_contact(data: ContactInput) -> ContactInput:
    errors: dict[str, list[str]] = {}
    if not data.name.strip():
        errors["name"] = [_("Every contact needs a name.")]
    if data.chain_role and data.chain_role not in Contact.ChainRole.values:
        errors["chain_role"] = [_("Unknown decision-chain role.")]
    if data.stance not in Contact.Stance.values:
        errors["stance"] = [_("Unknown stance.")]
    if data.email.strip():
        try:
            validate_email(data.email.strip())
        except ValidationError:
            errors["email"] = [
                _("“%(email)s” is not a valid email address.") % {"email": data.email}
            ]
    if errors:
        raise ValidationError(errors)
    return ContactInput(**{name: getattr(data, name).strip() for name in CONTACT_FIELDS})


def _clashes(customer: Customer, term: Ownership) -> list[tuple[CandidateMatch, Ownership]]:
    """Other reps' customers that the customer, as it now stands, matches as `same`."""
    return other_reps_same(build_profile(record_of(customer)), customer.pk, term.owner_id)


def _change(
    *,
    user: User,
    customer_id: int,
    change: Callable[[Customer], Contact | None],
    submitted: dict[str, Any],
    now: datetime | None,
) -> ContactResult:
    """Applies `change` in a savepoint, and keeps it only if it clashes with nobody."""
    now = now or timezone.now()
    customer, term = locked_for_edit(user, customer_id)
    savepoint = transaction.savepoint_create()
    contact = change(customer)
    clashes = _clashes(customer, term)
    if not clashes:
        transaction.savepoint_commit(savepoint)
        identity_refresh(customer)
        return ContactResult(customer=customer, contact=contact)
    profile = build_profile(record_of(customer))
    transaction.savepoint_rollback(savepoint)
    for clash, other in clashes:
        overlap_record(
            customer=other.customer,
            attempted_by=user,
            owner_id=other.owner_id,
            owner_since=other.started_at,
            action=Collision.Action.EDIT,
            at=now,
            reasons=clash.match.reasons,
            submitted={"contact_of": customer.pk, **submitted},
        )
    answers = match_answers(user, profile, [clash for clash, _ in clashes])
    return ContactResult(customer=customer, contact=None, conflicts=answers)


@transaction.atomic(durable=True)
def contact_add(
    *, user: User, customer_id: int, data: ContactInput, now: datetime | None = None
) -> ContactResult:
    data = clean_contact(data)

    def add(customer: Customer) -> Contact:
        return Contact.objects.create(customer=customer, **asdict(data))

    return _change(user=user, customer_id=customer_id, change=add, submitted=asdict(data), now=now)


@transaction.atomic(durable=True)
def contact_update(
    *, user: User, contact_id: int, data: ContactInput, now: datetime | None = None
) -> ContactResult:
    data = clean_contact(data)
    customer_id = _customer_of(contact_id)

    def update(customer: Customer) -> Contact:
        contact = Contact.objects.get(pk=contact_id, customer=customer)
        for name, value in asdict(data).items():
            setattr(contact, name, value)
        contact.save()
        return contact

    return _change(
        user=user, customer_id=customer_id, change=update, submitted=asdict(data), now=now
    )


@transaction.atomic(durable=True)
def contact_remove(*, user: User, contact_id: int, now: datetime | None = None) -> ContactResult:
    """Removing details never makes a customer match anyone new, so it is never refused."""
    customer_id = _customer_of(contact_id)

    def remove(customer: Customer) -> None:
        Contact.objects.filter(pk=contact_id, customer=customer).delete()

    return _change(user=user, customer_id=customer_id, change=remove, submitted={}, now=now)


def _customer_of(contact_id: int) -> int:
    customer_id = (
        Contact.objects.filter(pk=contact_id).values_list("customer_id", flat=True).first()
    )
    if customer_id is None:
        raise Contact.DoesNotExist(_("No such contact."))
    return customer_id
