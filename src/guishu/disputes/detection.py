"""Detecting violations in the actions that reveal them: a refused follow-up or a touchpoint
with another rep's customer's contact details (worked_other), a registration or an edit that
avoids a collision (evasive_edit), a claim that completes a claim/release cycle
(claim_cycling).

The hooks run inside the transaction of the action, after it has done its work, and never
block it: a detection that fails is logged and undone on its own savepoint. The rules that
decide are in guishu.domain.violations; here the facts are read and the rows written.
"""

import logging
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q

from guishu.accounts.models import User
from guishu.accounts.selectors import managed_user_ids
from guishu.customers.identity import MAX_BUCKET, record_of
from guishu.customers.models import Customer, IdentityKey
from guishu.disputes.models import Collaboration, Collision, Violation
from guishu.disputes.violations import violation_record
from guishu.domain import EventKind
from guishu.domain.violations import (
    WORKING_ACTIONS,
    RefusedRegistration,
    ViolationKind,
    claim_cycle,
    evaded_by_edit,
    evaded_registration,
    worked_other,
)
from guishu.matching import (
    STRONG_KINDS,
    CustomerRecord,
    KeyKind,
    MatchProfile,
    Verdict,
    blocking_keys,
    build_profile,
    compare,
)
from guishu.ownership.models import Ownership, OwnershipEvent
from guishu.ownership.policies import policy_in_force

logger = logging.getLogger(__name__)

# The keys that make two customers one on their own (and the whole normalised name): what a
# collision rests on. The fuzzy retrieval keys only find candidates; dropping one hides
# nothing.
EXACT_KINDS = frozenset({KeyKind.NAME, *STRONG_KINDS})
# A rep's refused registrations looked at after a successful one: more are history.
MAX_REFUSALS_CONSIDERED = 20


def _quietly[T](detect: Callable[[], T], what: str, failed: T) -> T:
    """Runs a detection on its own savepoint: if it fails, the failure is logged and undone,
    and the action it watches goes on (a violation is for review; it never blocks work)."""
    try:
        with transaction.atomic():
            return detect()
    except Exception:
        logger.exception("violation detection (%s) failed; the action goes on", what)
        return failed


# --- worked_other ---------------------------------------------------------------------------


def worked_other_detect(*, collision: Collision) -> Violation | None:
    """A follow-up (or a touchpoint with the customer's contact details) on another rep's
    customer by someone who does not collaborate on it. Rests on the collision."""
    if collision.action not in WORKING_ACTIONS:
        return None  # decided without a query: most collisions are registrations and claims
    return _quietly(lambda: _worked_other(collision), "worked_other", None)


def _worked_other(collision: Collision) -> Violation | None:
    collaborating = (
        Collaboration.objects.active(collision.at)
        .filter(customer_id=collision.customer_id, user_id=collision.attempted_by_id)
        .exists()
    )
    manages = managed_user_ids(collision.attempted_by)
    oversees = manages is None or collision.owner_id in manages
    if not worked_other(
        action=collision.action, collaborating=collaborating, oversees_owner=oversees
    ):
        return None
    protected_until = (
        Ownership.objects.filter(
            customer_id=collision.customer_id, owner_id=collision.owner_id, ended_at__isnull=True
        )
        .values_list("protected_until", flat=True)
        .first()
    )
    protected = protected_until is not None and protected_until > collision.at
    evidence = {
        "collision": collision.pk,
        "action": collision.action,
        "customer": collision.customer_id,
        "customer_name": collision.customer.name,
        "owner": collision.owner_id,
        "owner_name": collision.owner.name,
        "owner_since": collision.owner_since.isoformat(),
        "protected": protected,
        "protected_until": protected_until.isoformat() if protected_until and protected else None,
        "attempt": collision.submitted,
    }
    return violation_record(
        kind=ViolationKind.WORKED_OTHER,
        offender=collision.attempted_by,
        customer_id=collision.customer_id,
        at=collision.at,
        evidence=evidence,
        collision=collision,
    )


# --- evasive_edit: a lookalike registered after a refusal -----------------------------------


def exact_keys(profile: MatchProfile) -> frozenset[str]:
    return frozenset(str(key) for key in blocking_keys(profile) if key.kind in EXACT_KINDS)


def _submitted_profile(submitted: Mapping[str, Any]) -> MatchProfile:
    """The profile of a refused registration, from what the rep typed (kept on the
    collision): the same signals `CustomerInput.record` reads."""

    def texts(name: str) -> tuple[str, ...]:
        return tuple(str(value) for value in submitted.get(name) or () if value)

    contacts = [c for c in submitted.get("contacts") or () if isinstance(c, Mapping)]

    def of_contacts(name: str) -> tuple[str, ...]:
        return tuple(str(c[name]) for c in contacts if c.get(name))

    record = CustomerRecord(
        id="refused",
        names=(str(submitted.get("name", "")), *texts("aliases")),
        phones=(*texts("phones"), *of_contacts("phone")),
        emails=(*texts("emails"), *of_contacts("email")),
        websites=texts("websites"),
        wechat_ids=(*texts("wechat_ids"), *of_contacts("wechat")),
        whatsapp_ids=texts("whatsapp_ids"),
        credit_code=submitted.get("credit_code") or None,
        country=submitted.get("country") or None,
        city=submitted.get("city") or None,
        address=submitted.get("address") or None,
    )
    return build_profile(record)


def _names_only(profile: MatchProfile) -> MatchProfile:
    return replace(profile, phones=(), emails=(), domains=(), credit_code=None, wechat_ids=())


def names_resemble(a: MatchProfile, b: MatchProfile) -> bool:
    """Whether two customers' names (with their places) alone would make them a possible
    match: "Acme Tools Ltd" and "Acme Tools Trading Co" do, "Acme" and "Zenith" do not."""
    return compare(_names_only(a), _names_only(b)).verdict is not Verdict.DIFFERENT


def evasive_registration_detect(*, user: User, customer: Customer, now: datetime) -> None:
    """After `user` registered `customer`: was it a lookalike of a registration of theirs
    refused as a collision (within the dispute window, the time they had to contest it
    openly), without the identifiers that made it collide? Rests on that collision, so each
    refusal is evaded at most once."""
    _quietly(lambda: _evasive_registration(user, customer, now), "evasive registration", None)


def _evasive_registration(user: User, customer: Customer, now: datetime) -> Violation | None:
    policy = policy_in_force(team_id=user.team_id, at=now)
    refusals = {
        collision.pk: collision
        for collision in Collision.objects.filter(
            attempted_by=user,
            action=Collision.Action.REGISTER,
            at__gte=now - policy.dispute_window,
            at__lte=now,
        )
        .exclude(customer_id=customer.pk)
        .select_related("customer", "owner")
        .order_by("-at", "-pk")[:MAX_REFUSALS_CONSIDERED]
    }
    if not refusals:
        return None
    registered = build_profile(record_of(customer))
    keys_of: dict[int, set[str]] = defaultdict(set)
    rows = IdentityKey.objects.filter(
        customer_id__in={c.customer_id for c in refusals.values()}, kind__in=EXACT_KINDS
    ).values_list("customer_id", "kind", "value")
    for customer_id, kind, value in rows:
        keys_of[customer_id].add(f"{kind}:{value}")
    attempts = []
    for collision in refusals.values():
        typed = _submitted_profile(collision.submitted)
        attempts.append(
            RefusedRegistration(
                collision_id=collision.pk,
                at=collision.at,
                causing_keys=exact_keys(typed) & keys_of[collision.customer_id],
                name_matches=names_resemble(typed, registered),
            )
        )
    evaded = evaded_registration(
        attempts, registered_keys=exact_keys(registered), now=now, policy=policy
    )
    if evaded is None:
        return None
    refused = refusals[evaded.collision_id]
    evidence = {
        "how": "registration",
        "refused_collision": refused.pk,
        "refused_at": refused.at.isoformat(),
        "refused_name": str(refused.submitted.get("name", "")),
        "collided_customer": refused.customer_id,
        "collided_customer_name": refused.customer.name,
        "collided_owner": refused.owner_id,
        "collided_owner_name": refused.owner.name,
        "left_out": sorted(evaded.causing_keys),
        "registered_name": customer.name,
    }
    return violation_record(
        kind=ViolationKind.EVASIVE_EDIT,
        offender=user,
        customer_id=customer.pk,
        at=now,
        evidence=evidence,
        collision=refused,
    )


# --- evasive_edit: an edit that drops what another rep's customer shares --------------------


def shared_identity_keys(*, customer_id: int, owner_id: int) -> dict[str, frozenset[int]]:
    """The customer's exact identity keys that customers owned by others also have, each
    with those customers' ids. A key more than MAX_BUCKET customers share (a switchboard
    number) tells nobody apart, so it is left out, as matching leaves it out."""
    return _quietly(lambda: _shared_keys(customer_id, owner_id), "shared keys", {})


def _shared_keys(customer_id: int, owner_id: int) -> dict[str, frozenset[int]]:
    mine = list(
        IdentityKey.objects.filter(customer_id=customer_id, kind__in=EXACT_KINDS).values_list(
            "kind", "value"
        )
    )
    if not mine:
        return {}
    same_key = Q()
    for kind, value in mine:
        same_key |= Q(kind=kind, value=value)
    others = IdentityKey.objects.filter(same_key).exclude(customer_id=customer_id)
    common = {
        (row["kind"], row["value"])
        for row in others.values("kind", "value")
        .annotate(n=Count("customer_id"))
        .filter(n__gt=MAX_BUCKET)
    }
    owned_by_another = Ownership.objects.filter(
        customer_id=OuterRef("customer_id"), ended_at__isnull=True
    ).exclude(owner_id=owner_id)
    shared: dict[str, set[int]] = defaultdict(set)
    for kind, value, other_id in others.filter(Exists(owned_by_another)).values_list(
        "kind", "value", "customer_id"
    ):
        if (kind, value) not in common:
            shared[f"{kind}:{value}"].add(other_id)
    return {key: frozenset(ids) for key, ids in shared.items()}


def evasive_edit_detect(
    *,
    user: User,
    customer: Customer,
    owner_id: int,
    shared_before: Mapping[str, frozenset[int]],
    now: datetime,
) -> None:
    """After the owner edited their customer: did the edit drop (or alter) an identifier it
    shared with another rep's customer? `shared_before` is `shared_identity_keys` read
    before the edit. Only the owner's own edits count; a manager's correction does not."""
    if user.pk != owner_id or not shared_before:
        return
    _quietly(lambda: _evasive_edit(user, customer, shared_before, now), "evasive edit", None)


def _evasive_edit(
    user: User, customer: Customer, shared_before: Mapping[str, frozenset[int]], now: datetime
) -> Violation | None:
    after = frozenset(
        f"{kind}:{value}"
        for kind, value in IdentityKey.objects.filter(
            customer_id=customer.pk, kind__in=EXACT_KINDS
        ).values_list("kind", "value")
    )
    dropped = evaded_by_edit(shared_before=shared_before, keys_after=after)
    if not dropped:
        return None
    other_ids = sorted({pk for ids in dropped.values() for pk in ids})
    terms = Ownership.objects.filter(customer_id__in=other_ids, ended_at__isnull=True)
    evidence = {
        "how": "edit",
        "dropped": {key: sorted(ids) for key, ids in sorted(dropped.items())},
        "others": [
            {
                "customer": term.customer_id,
                "customer_name": term.customer.name,
                "owner": term.owner_id,
                "owner_name": term.owner.name,
            }
            for term in terms.select_related("customer", "owner").order_by("customer_id")
        ],
    }
    return violation_record(
        kind=ViolationKind.EVASIVE_EDIT,
        offender=user,
        customer_id=customer.pk,
        at=now,
        evidence=evidence,
    )


# --- claim_cycling --------------------------------------------------------------------------


def claim_cycling_detect(*, user: User, customer_id: int, now: datetime) -> None:
    """After `user` claimed the customer: is it their `claim_cycling_count`-th claim of it
    within `claim_cycling_days`? One violation per cycle: the claims of a recorded cycle are
    not counted again."""
    _quietly(lambda: _claim_cycling(user, customer_id, now), "claim cycling", None)


def _claim_cycling(user: User, customer_id: int, now: datetime) -> Violation | None:
    policy = policy_in_force(team_id=user.team_id, at=now)
    claims = list(
        OwnershipEvent.objects.filter(
            customer_id=customer_id,
            actor=user,
            kind=EventKind.CLAIMED.value,
            at__gte=now - timedelta(days=policy.claim_cycling_days),
            at__lte=now,
        ).values_list("at", flat=True)
    )
    if len(claims) < policy.claim_cycling_count:
        return None  # the common case, decided without another query
    last = (
        Violation.objects.filter(
            kind=ViolationKind.CLAIM_CYCLING.value, offender=user, customer_id=customer_id
        )
        .order_by("-at", "-pk")
        .values_list("evidence", flat=True)
        .first()
    )
    covered = (last or {}).get("claims") or []
    covered_until = datetime.fromisoformat(covered[-1]) if covered else None
    cycle = claim_cycle(claims, now=now, policy=policy, covered_until=covered_until)
    if cycle is None:
        return None
    evidence = {
        "claims": [at.isoformat() for at in cycle],
        "count": policy.claim_cycling_count,
        "days": policy.claim_cycling_days,
    }
    return violation_record(
        kind=ViolationKind.CLAIM_CYCLING,
        offender=user,
        customer_id=customer_id,
        at=now,
        evidence=evidence,
    )
