"""Registration (报备): filing a customer nobody owns yet, or learning who already has it."""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from guishu.accounts.models import User
from guishu.customers.identity import CandidateMatch, find_stored_matches, identity_refresh
from guishu.customers.inputs import CustomerInput
from guishu.customers.models import Contact, Customer, Identifier
from guishu.customers.services import IDENTIFIER_FIELDS
from guishu.disputes.detection import evasive_registration_detect
from guishu.disputes.models import Collision
from guishu.disputes.services import collision_record
from guishu.domain import (
    Accepted,
    Decision,
    Level,
    OwnershipState,
    Register,
    Rejection,
    RejectionCode,
    decide,
)
from guishu.matching import KeyKind, MatchProfile, Verdict, blocking_keys, build_profile
from guishu.ownership.engine_io import actor_for, load_state, persist
from guishu.ownership.locking import lock_customer, lock_identity_keys, lock_users
from guishu.ownership.matches import MatchAnswer, match_answers
from guishu.ownership.models import OwnershipEvent
from guishu.ownership.policies import policy_in_force

# Matches beyond the strongest few add nothing to the answer and cost a lock each.
MAX_MATCHES_CONSIDERED = 5


@dataclass(frozen=True)
class RegistrationResult:
    """The outcome of a registration.

    Accepted: `customer` is the new customer and `created` is True. Refused (`decision` is a
    Rejection): `customer` is the existing customer judged the same, a collision is recorded
    when another rep owns it, and `matches` says why, masked for the viewer. Held for
    confirmation (`decision` is None): only possible duplicates were found; nothing was
    written, and the rep may register again with `confirm_distinct=True`.
    """

    decision: Decision | None
    customer: Customer | None
    created: bool = False
    matches: tuple[MatchAnswer, ...] = ()
    collision: Collision | None = None
    events: list[OwnershipEvent] = field(default_factory=list)

    @property
    def rejection(self) -> Rejection | None:
        return self.decision if isinstance(self.decision, Rejection) else None

    @property
    def needs_confirmation(self) -> bool:
        return self.decision is None


@transaction.atomic(durable=True)
def customer_register(
    *,
    user: User,
    data: CustomerInput,
    first_contact_at: datetime | None = None,
    details_found_at: datetime | None = None,
    confirm_distinct: bool = False,
    now: datetime | None = None,
) -> RegistrationResult:
    """Registers a new customer for `user`, or reports the existing customer it matches.

    A `same` verdict refuses (a collision when another rep owns it); `possible` verdicts hold
    the registration until the rep confirms it is a different customer (`confirm_distinct`),
    which is kept as evidence on the registration event. Raises ValidationError for bad input
    before writing anything. Concurrent registrations of one customer are serialised on its
    exact keys: exactly one wins, the others find the winner and are recorded as collisions.
    """
    now = now or timezone.now()
    data = data.clean()
    profile = build_profile(data.record())
    policy = policy_in_force(team_id=user.team_id, at=now)
    lock_identity_keys(str(key) for key in blocking_keys(profile) if key.kind in LOCKED_KINDS)
    lock_users([user.pk])
    found = find_stored_matches(profile)
    same = [candidate for candidate in found if candidate.match.verdict is Verdict.SAME]
    if same:
        told = {"first_contact_at": first_contact_at, "details_found_at": details_found_at}
        return _refuse_existing(user, data, profile, same, now, told)
    if found and not confirm_distinct:
        return RegistrationResult(
            decision=None, customer=None, matches=match_answers(user, profile, found)
        )
    state = OwnershipState.unregistered(data.name, Level(data.level))
    command = Register(
        actor=actor_for(user, policy, now),
        first_contact_at=first_contact_at,
        details_found_at=details_found_at,
    )
    decision = decide(state, command, policy, now)
    if isinstance(decision, Rejection):
        return RegistrationResult(decision=decision, customer=None)
    if found:
        event = decision.events[0]
        evidence = {
            **event.evidence,
            "confirmed_distinct_from": ",".join(str(candidate.customer_id) for candidate in found),
        }
        decision = Accepted(events=(replace(event, evidence=evidence),))
    customer = _create_customer(user, data)
    events = persist(
        customer,
        None,
        decision.events,
        first_contact_at=first_contact_at,
        details_found_at=details_found_at,
    )
    # A lookalike of a registration of this rep's refused as a collision, without the details
    # that collided, is recorded for a manager's review (evasive_edit); it never blocks this one.
    evasive_registration_detect(user=user, customer=customer, now=now)
    return RegistrationResult(decision=decision, customer=customer, created=True, events=events)


# A registration race is decided on the keys that make a `same` verdict on their own (and the
# whole normalised name), not on the fuzzy hints, which would only add lock round trips.
LOCKED_KINDS = frozenset(
    {
        KeyKind.NAME,
        KeyKind.PHONE,
        KeyKind.EMAIL,
        KeyKind.DOMAIN,
        KeyKind.CREDIT_CODE,
        KeyKind.WECHAT,
    }
)


def _refuse_existing(
    user: User,
    data: CustomerInput,
    profile: MatchProfile,
    same: list[CandidateMatch],
    now: datetime,
    told: Mapping[str, datetime | None],
) -> RegistrationResult:
    """Answers with the best `same` match: yours, someone else's (a collision), or pooled."""
    policy = policy_in_force(team_id=user.team_id, at=now)
    best = same[:MAX_MATCHES_CONSIDERED]
    customers = {
        c.customer_id: lock_customer(c.customer_id)
        for c in sorted(best, key=lambda c: c.customer_id)
    }
    decisions = []
    for candidate in best:
        state, _ = load_state(customers[candidate.customer_id])
        decision = decide(state, Register(actor=actor_for(user, policy, now)), policy, now)
        assert isinstance(decision, Rejection), "an existing customer is never registered again"
        decisions.append((candidate, decision))
    # Most telling first: already yours, then another rep's (a collision), then in the pool.
    rank = {RejectionCode.ALREADY_YOURS: 0, RejectionCode.OWNED_BY_OTHER: 1}
    decisions.sort(key=lambda d: rank.get(d[1].code, 2))
    candidate, decision = decisions[0]
    customer = customers[candidate.customer_id]
    collision = None
    if decision.is_collision:
        collision = collision_record(
            customer=customer,
            attempted_by=user,
            rejection=decision,
            action=Collision.Action.REGISTER,
            at=now,
            reasons=candidate.match.reasons,
            # What the rep said about the contact is kept with the form: a dispute weighs it.
            submitted={
                **data.as_json(),
                **{name: moment.isoformat() for name, moment in told.items() if moment},
            },
        )
    return RegistrationResult(
        decision=decision,
        customer=customer,
        collision=collision,
        matches=match_answers(user, profile, [c for c, _ in decisions]),
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
        for kind, attribute in IDENTIFIER_FIELDS
        for value in getattr(data, attribute)
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
    identity_refresh(customer)
    return customer
