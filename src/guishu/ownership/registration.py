"""Registration (报备): filing a customer nobody owns yet, or learning who already has it."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from guishu.accounts.models import User
from guishu.customers.identity import customers_sharing_keys, identity_keys_refresh
from guishu.customers.inputs import CustomerInput
from guishu.customers.models import Contact, Customer, Identifier
from guishu.disputes.models import Collision
from guishu.disputes.services import collision_record
from guishu.domain import (
    Decision,
    Level,
    OwnershipState,
    Register,
    Rejection,
    RejectionCode,
    decide,
)
from guishu.matching import identity_keys
from guishu.ownership.engine_io import actor_for, load_state, persist
from guishu.ownership.locking import lock_customer, lock_identity_keys, lock_users
from guishu.ownership.models import OwnershipEvent
from guishu.ownership.policies import policy_in_force

# Matches beyond the strongest few add nothing to the answer and cost a lock each.
MAX_MATCHES_CONSIDERED = 5


@dataclass(frozen=True)
class RegistrationResult:
    """The outcome of a registration.

    Accepted: `customer` is the new customer and `created` is True. Refused: `customer` is the
    existing customer the submission matched (if any), `matched_keys` says why, and a
    collision is recorded when another rep owns it. Never a second customer or owner.
    """

    decision: Decision
    customer: Customer | None
    created: bool = False
    matched_keys: tuple[str, ...] = ()
    collision: Collision | None = None
    events: list[OwnershipEvent] = field(default_factory=list)

    @property
    def rejection(self) -> Rejection | None:
        return self.decision if isinstance(self.decision, Rejection) else None


@transaction.atomic(durable=True)
def customer_register(
    *,
    user: User,
    data: CustomerInput,
    first_contact_at: datetime | None = None,
    details_found_at: datetime | None = None,
    now: datetime | None = None,
) -> RegistrationResult:
    """Registers a new customer for `user`, or reports the existing customer it matches.

    Raises ValidationError for bad input before writing anything. Concurrent registrations
    of the same customer are serialised on its identity keys: exactly one wins, the others
    see the winner's customer and are recorded as collisions.
    """
    now = now or timezone.now()
    data = data.clean()
    keys = identity_keys(data.signals())
    policy = policy_in_force()
    lock_identity_keys(str(key) for key in keys)
    lock_users([user.pk])
    matches = customers_sharing_keys(keys)
    if matches:
        return _refuse_existing(user, data, matches, now)
    state = OwnershipState.unregistered(data.name, Level(data.level))
    command = Register(
        actor=actor_for(user, policy, now),
        first_contact_at=first_contact_at,
        details_found_at=details_found_at,
    )
    decision = decide(state, command, policy, now)
    if isinstance(decision, Rejection):
        return RegistrationResult(decision=decision, customer=None)
    customer = _create_customer(user, data)
    events = persist(
        customer,
        None,
        decision.events,
        first_contact_at=first_contact_at,
        details_found_at=details_found_at,
    )
    return RegistrationResult(decision=decision, customer=customer, created=True, events=events)


def _refuse_existing(
    user: User, data: CustomerInput, matches: dict[int, list[str]], now: datetime
) -> RegistrationResult:
    """Answers with the best existing match: yours, someone else's (a collision), or pooled."""
    policy = policy_in_force()
    best = list(matches)[:MAX_MATCHES_CONSIDERED]
    customers = {customer_id: lock_customer(customer_id) for customer_id in sorted(best)}
    decisions = []
    for customer_id in best:
        state, _ = load_state(customers[customer_id])
        decision = decide(state, Register(actor=actor_for(user, policy, now)), policy, now)
        assert isinstance(decision, Rejection), "an existing customer is never registered again"
        decisions.append((customers[customer_id], tuple(matches[customer_id]), decision))
    # Most telling first: already yours, then another rep's (a collision), then in the pool.
    rank = {RejectionCode.ALREADY_YOURS: 0, RejectionCode.OWNED_BY_OTHER: 1}
    decisions.sort(key=lambda d: rank.get(d[2].code, 2))
    customer, keys, decision = decisions[0]
    collision = None
    if decision.is_collision:
        collision = collision_record(
            customer=customer,
            attempted_by=user,
            rejection=decision,
            action=Collision.Action.REGISTER,
            at=now,
            matched_keys=keys,
            submitted=data.as_json(),
        )
    return RegistrationResult(
        decision=decision, customer=customer, matched_keys=keys, collision=collision
    )


def _create_customer(user: User, data: CustomerInput) -> Customer:
    customer = Customer.objects.create(
        kind=data.kind,
        name=data.name,
        credit_code=data.credit_code,
        country=data.country,
        region=data.region,
        city=data.city,
        address=data.address,
        industry=data.industry,
        source=data.source,
        level=data.level,
        notes=data.notes,
        created_by=user,
    )
    identifiers = [
        Identifier(customer=customer, kind=kind, value=value)
        for kind, values in (
            (Identifier.Kind.ALIAS, data.aliases),
            (Identifier.Kind.PHONE, data.phones),
            (Identifier.Kind.EMAIL, data.emails),
            (Identifier.Kind.WEBSITE, data.websites),
            (Identifier.Kind.WECHAT, data.wechat_ids),
            (Identifier.Kind.WHATSAPP, data.whatsapp_ids),
        )
        for value in values
    ]
    Identifier.objects.bulk_create(identifiers)
    Contact.objects.bulk_create(
        Contact(
            customer=customer,
            name=c.name.strip(),
            title=c.title,
            chain_role=c.chain_role,
            stance=c.stance,
            phone=c.phone,
            email=c.email,
            wechat=c.wechat,
        )
        for c in data.contacts
    )
    identity_keys_refresh(customer)
    return customer
