"""Editing a customer's profile and identity signals; the stored match keys follow every edit.

Ownership is not edited here (only the ownership services change it). An edit that would give
the customer an identity signal of another rep's customer (their phone, their domain) is
refused and recorded as a collision, as a registration would be.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guishu.accounts.models import User
from guishu.accounts.selectors import managed_user_ids
from guishu.customers.identity import CandidateMatch, find_stored_matches, identity_refresh
from guishu.customers.inputs import CustomerInput
from guishu.customers.models import Customer, Identifier
from guishu.disputes.detection import evasive_edit_detect, shared_identity_keys
from guishu.disputes.models import Collision
from guishu.disputes.services import overlap_record
from guishu.matching import MatchProfile, Verdict, build_profile
from guishu.ownership.locking import lock_customer
from guishu.ownership.matches import MatchAnswer, match_answers
from guishu.ownership.models import Ownership

IDENTIFIER_FIELDS = (
    (Identifier.Kind.ALIAS, "aliases"),
    (Identifier.Kind.PHONE, "phones"),
    (Identifier.Kind.EMAIL, "emails"),
    (Identifier.Kind.WEBSITE, "websites"),
    (Identifier.Kind.WECHAT, "wechat_ids"),
    (Identifier.Kind.WHATSAPP, "whatsapp_ids"),
)


@dataclass(frozen=True)
class UpdateResult:
    customer: Customer
    updated: bool
    conflicts: tuple[MatchAnswer, ...] = ()


PROFILE_FIELDS = (
    "kind",
    "name",
    "credit_code",
    "country",
    "region",
    "city",
    "address",
    "industry",
    "source",
    "level",
    "notes",
)


def locked_for_edit(user: User, customer_id: int) -> tuple[Customer, Ownership]:
    """Locks the customer for an edit by its owner or a manager over them, or refuses."""
    customer = lock_customer(customer_id)
    term = Ownership.objects.filter(customer=customer, ended_at__isnull=True).first()
    manages = managed_user_ids(user)
    if term is None or not (
        term.owner_id == user.pk or manages is None or term.owner_id in manages
    ):
        raise PermissionDenied(_("Only the owner or their manager can edit this customer."))
    return customer, term


def other_reps_same(
    profile: MatchProfile, customer_id: int, owner_id: int
) -> list[tuple[CandidateMatch, Ownership]]:
    """Customers of other reps that `profile` (customer `customer_id`, as it would stand)
    matches as `same`, with their owners' terms: what an edit must not create."""
    same = [
        c
        for c in find_stored_matches(profile, exclude_id=customer_id)
        if c.match.verdict is Verdict.SAME
    ]
    others = {
        t.customer_id: t
        for t in Ownership.objects.filter(
            customer_id__in=[c.customer_id for c in same], ended_at__isnull=True
        )
        .exclude(owner_id=owner_id)
        .select_related("customer")
    }
    return [(c, others[c.customer_id]) for c in same if c.customer_id in others]


@transaction.atomic(durable=True)
def customer_update(
    *, user: User, customer_id: int, data: CustomerInput, now: datetime | None = None
) -> UpdateResult:
    """Replaces the profile and identity signals of a customer the user owns or manages."""
    now = now or timezone.now()
    data = data.clean()
    customer, term = locked_for_edit(user, customer_id)
    profile = build_profile(data.record(str(customer.pk)))
    conflicts = other_reps_same(profile, customer.pk, term.owner_id)
    if conflicts:
        for clash, other in conflicts:
            overlap_record(
                customer=other.customer,
                attempted_by=user,
                owner_id=other.owner_id,
                owner_since=other.started_at,
                action=Collision.Action.EDIT,
                at=now,
                reasons=clash.match.reasons,
                submitted={"edit_of": customer.pk, **data.as_json()},
            )
        answers = match_answers(user, profile, [clash for clash, _other in conflicts])
        return UpdateResult(customer=customer, updated=False, conflicts=answers)
    # Violations (evasive_edit): what the owner's customer shares with other reps' customers,
    # read before the edit, so an edit that drops it is recorded for review. Never blocks.
    shared_before = (
        shared_identity_keys(customer_id=customer.pk, owner_id=term.owner_id)
        if user.pk == term.owner_id
        else {}
    )
    for field in PROFILE_FIELDS:
        setattr(customer, field, getattr(data, field))
    customer.save()
    customer.identifiers.all().delete()
    Identifier.objects.bulk_create(
        Identifier(customer=customer, kind=kind, value=value)
        for kind, attribute in IDENTIFIER_FIELDS
        for value in getattr(data, attribute)
    )
    identity_refresh(customer)
    evasive_edit_detect(
        user=user, customer=customer, owner_id=term.owner_id, shared_before=shared_before, now=now
    )
    return UpdateResult(customer=customer, updated=True)
