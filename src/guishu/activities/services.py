"""Logging follow-ups and recording orders and collections.

A follow-up by the owner restarts the reclaim clock; a won order exempts the customer from the
no-deal reclaim. Both go through the ownership engine, so working another rep's customer is
refused and recorded as a collision instead of silently succeeding. A collaborator's activity
on the customer they collaborate on is accepted, but restarts no clock. Orders are credited to
the owner and the collaborators by the shares in force on their date (guishu.activities.credits).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from guishu.accounts.models import User
from guishu.accounts.selectors import managed_user_ids
from guishu.activities.credits import customer_status_at, order_credits_write, order_shares
from guishu.activities.models import Activity, Collection, Order
from guishu.customers.identity import find_stored_matches
from guishu.disputes.models import Collision
from guishu.disputes.services import overlap_record
from guishu.domain import Accepted, FollowUp, OwnershipState, Policy, TraceLine, WinDeal
from guishu.domain.trace import day
from guishu.matching import CustomerRecord, Verdict, build_profile
from guishu.ownership.engine_io import active_term, actor_for
from guishu.ownership.execute import OwnershipResult, execute
from guishu.ownership.locking import lock_customer, lock_users
from guishu.ownership.matches import MatchAnswer, match_answers
from guishu.ownership.models import Ownership
from guishu.ownership.policies import policy_for


@dataclass(frozen=True)
class ActivityResult:
    """The logged activity (None when refused), and early warnings: other reps' customers
    whose contact details the person talked to has (each also recorded as a collision)."""

    ownership: OwnershipResult
    activity: Activity | None
    warnings: tuple[MatchAnswer, ...] = ()


@transaction.atomic(durable=True)
def activity_log(
    *,
    user: User,
    customer_id: int,
    kind: str,
    occurred_at: datetime,
    channel: str = Activity.Channel.OTHER,
    duration_minutes: int = 0,
    outcome: str = "",
    note: str = "",
    customer_initiated: bool = False,
    contact_ids: Iterable[int] = (),
    counterpart: Iterable[str] = (),
    now: datetime | None = None,
) -> ActivityResult:
    """Logs a touchpoint; refused (and recorded as a collision) on another rep's customer,
    unless the user collaborates on it (see `_as_collaborator`).

    `counterpart` holds the phone numbers, e-mails or WeChat IDs of the person talked to. If
    they belong to another rep's customer, the activity is still logged (the customer is the
    rep's own) but an early warning is recorded: two reps may be working one buyer.
    """
    now = now or timezone.now()
    if kind not in Activity.Kind.values:
        raise ValidationError({"kind": _("Unknown activity type.")})
    if channel not in Activity.Channel.values:
        raise ValidationError({"channel": _("Unknown channel.")})
    if occurred_at > now:
        raise ValidationError({"occurred_at": _("A follow-up cannot be in the future.")})

    def build(state: OwnershipState, policy: Policy) -> FollowUp:
        return FollowUp(actor=actor_for(user, policy, now), kind=kind, at=occurred_at)

    contacts = list(contact_ids)
    entered: dict[str, object] = {
        "kind": kind,
        "channel": channel,
        "occurred_at": occurred_at.isoformat(),
        "duration_minutes": duration_minutes,
        "outcome": outcome,
        "note": note,
        "customer_initiated": customer_initiated,
        "contact_ids": contacts,
    }
    result = _as_collaborator(user, customer_id, kind, occurred_at, now) or execute(
        customer_id=customer_id,
        lock=[user],
        build=build,
        now=now,
        attempted_by=user,
        collision_action="follow_up",
        submitted={"activity": entered},
    )
    if not result.accepted:
        # Refused on another rep's customer: what was typed is kept on the collision record,
        # where it serves as evidence if the rep disputes the ownership.
        return ActivityResult(ownership=result, activity=None)
    activity = Activity.objects.create(
        customer_id=customer_id,
        by=user,
        kind=kind,
        channel=channel,
        occurred_at=occurred_at,
        duration_minutes=duration_minutes,
        outcome=outcome,
        note=note,
        customer_initiated=customer_initiated,
    )
    if contacts:
        activity.contacts.set(result.customer.contacts.filter(pk__in=contacts))
    warnings = _counterpart_overlaps(user, result.customer.pk, tuple(counterpart), entered, now)
    return ActivityResult(ownership=result, activity=activity, warnings=warnings)


def _as_collaborator(
    user: User, customer_id: int, kind: str, occurred_at: datetime, now: datetime
) -> OwnershipResult | None:
    """Accepts the activity of someone collaborating on the customer at `now`, who is not its
    owner; None for everyone else, whom the ownership engine judges as before.

    A collaborator works the customer beside its owner by agreement, so their touchpoint is
    no collision. It does not restart the owner's follow-up clock: the reclaim rules hold the
    owner to following up themselves, and a collaborator's calls must not keep a customer
    its owner neglects out of the pool.
    """
    # The same order as every service (people, then the customer), so the collaboration and
    # the owner read here stand until commit.
    lock_users([user.pk])
    customer = lock_customer(customer_id)
    term = active_term(customer_id)
    if term is None or term.owner_id == user.pk:
        return None
    if not customer.collaborations.filter(user=user).active(now).exists():
        return None
    params = {
        "rep": user.name,
        "kind": kind,
        "at": day(min(occurred_at, now), policy_for(user, now).timezone),
    }
    note = TraceLine(
        N_(
            "{rep} logged {kind} on {at} as a collaborator: only the owner's own follow-ups "
            "restart the follow-up clock"
        ),
        params,
    )
    return OwnershipResult(customer=customer, decision=Accepted(events=(), notes=(note,)))


def _counterpart_overlaps(
    user: User,
    customer_id: int,
    details: tuple[str, ...],
    entered: dict[str, object],
    now: datetime,
) -> tuple[MatchAnswer, ...]:
    details = tuple(d.strip() for d in details if d.strip())
    if not details:
        return ()
    record = CustomerRecord(
        id="counterpart",
        names=(),
        emails=tuple(d for d in details if "@" in d),
        phones=tuple(d for d in details if "@" not in d and _looks_like_phone(d)),
        wechat_ids=tuple(d for d in details if "@" not in d and not _looks_like_phone(d)),
    )
    profile = build_profile(record)
    found = [
        c
        for c in find_stored_matches(profile, exclude_id=customer_id)
        if c.match.verdict is Verdict.SAME
    ]
    answers = tuple(
        a
        for a in match_answers(user, profile, found)
        if a.owner_id is not None and a.owner_id != user.pk
    )
    terms = {
        t.customer_id: t
        for t in Ownership.objects.filter(
            customer_id__in=[a.customer_id for a in answers], ended_at__isnull=True
        )
    }
    by_id = {c.customer_id: c for c in found}
    for answer in answers:
        term = terms[answer.customer_id]
        overlap_record(
            customer=term.customer,
            attempted_by=user,
            owner_id=term.owner_id,
            owner_since=term.started_at,
            action=Collision.Action.CONTACT_OVERLAP,
            at=now,
            reasons=by_id[answer.customer_id].match.reasons,
            submitted={
                "activity": entered,
                "on_customer": customer_id,
                "counterpart": list(details),
            },
        )
    return answers


def _looks_like_phone(text: str) -> bool:
    digits = sum(ch.isdigit() for ch in text)
    return digits >= 7 and digits >= len(text.replace(" ", "")) * 0.6


@dataclass(frozen=True)
class OrderResult:
    ownership: OwnershipResult
    order: Order | None


@transaction.atomic(durable=True)
def order_record(
    *,
    user: User,
    customer_id: int,
    number: str,
    amount: Decimal,
    currency: str = "CNY",
    ordered_at: datetime,
    now: datetime | None = None,
) -> OrderResult:
    """Records a won order, credited to the owner and the collaborators by the shares in
    force on `ordered_at` (see guishu.activities.credits): a snapshot written with the order
    and never recomputed, so later changes of shares or hands leave it as it was.

    The order is flagged "existing" when the customer already has a won order dated before
    it, else "new". The flag is fixed here: an older order recorded afterwards does not
    change it.
    """
    now = now or timezone.now()
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be positive.")})
    if not number.strip():
        raise ValidationError({"number": _("An order needs a number.")})
    if len(currency) != 3 or not currency.isalpha():
        raise ValidationError({"currency": _("Currency must be a three-letter code.")})
    if Order.objects.filter(customer_id=customer_id, number=number.strip()).exists():
        raise ValidationError({"number": _("This customer already has an order with this number.")})

    def build(state: OwnershipState, policy: Policy) -> WinDeal:
        return WinDeal(actor=actor_for(user, policy, now), at=ordered_at)

    result = execute(
        customer_id=customer_id,
        lock=[user],
        build=build,
        now=now,
        attempted_by=user,
        collision_action="follow_up",
    )
    if not result.accepted:
        return OrderResult(ownership=result, order=None)
    owner_id = result.customer.ownerships.get(ended_at__isnull=True).owner_id
    # Read with the customer locked (execute took the lock), so no change of shares or hands
    # slips in between the shares read and the credits written.
    shares = order_shares(customer_id, ordered_at, owner_id)
    order = Order.objects.create(
        customer_id=customer_id,
        number=number.strip(),
        amount=amount,
        currency=currency.upper(),
        ordered_at=ordered_at,
        credited_to_id=shares[0].user_id,  # the owner credited, first of the shares
        recorded_by=user,
        customer_status=customer_status_at(customer_id, ordered_at),
    )
    order_credits_write(order, shares)
    return OrderResult(ownership=result, order=order)


@transaction.atomic(durable=True)
def collection_record(
    *, user: User, order: Order, amount: Decimal, received_at: datetime
) -> Collection:
    """Records a payment received against an order (same currency as the order), by the
    customer's owner or a manager over them."""
    term = Ownership.objects.filter(customer_id=order.customer_id, ended_at__isnull=True).first()
    manages = managed_user_ids(user)
    if term is None or not (
        term.owner_id == user.pk or manages is None or term.owner_id in manages
    ):
        raise PermissionDenied(_("Only the customer's owner or their manager records payments."))
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be positive.")})
    return Collection.objects.create(
        order=order,
        amount=amount,
        currency=order.currency,
        received_at=received_at,
        recorded_by=user,
    )
