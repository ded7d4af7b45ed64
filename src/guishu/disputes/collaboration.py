"""Collaborators (协同人): adding and ending them, their credit shares, and the sweep's expiry
of time-boxed ones.

The customer's owner, or a manager over the owner, adds and ends collaborations and sets their
shares. A collaborator sees the customer in full while the collaboration is in force (the
visibility selectors read `Collaboration.objects.active(now)`); ownership does not change.

Each collaboration carries a credit share: the percent of the customer's revenue credited to
the collaborator. The owner is credited the rest, so the collaborators in force never take
more than 100 together. Without a share given, the role's template from the policy of the
owner's team applies. `credit_shares` reads who was credited what at a moment; orders copy it.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from guishu.accounts.models import User
from guishu.accounts.selectors import managed_user_ids
from guishu.customers.models import Customer
from guishu.disputes.models import Collaboration, Dispute
from guishu.ownership.engine_io import active_term
from guishu.ownership.locking import lock_customer
from guishu.ownership.models import Ownership
from guishu.ownership.policies import policy_in_force

OWNER_ROLE = "owner"  # the role an owner is credited under, beside the collaborator roles
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


class CollaborationRefused(Exception):
    """A collaboration rule said no. `code` is stable for clients; the message is plain words."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def may_manage_collaborators(user: User, owner_id: int) -> bool:
    """The owner, or anyone who oversees them (their managers, directors, admins)."""
    manages = managed_user_ids(user)
    return user.pk == owner_id or manages is None or owner_id in manages


@transaction.atomic(durable=True)
def collaboration_add(
    *,
    user: User,
    customer_id: int,
    collaborator: User,
    role: str = Collaboration.Role.CO_SELLER,
    ends_at: datetime | None = None,
    reason: str = "",
    share: Decimal | None = None,
    now: datetime | None = None,
) -> Collaboration:
    """`user` (the owner or a manager over them) adds `collaborator` to an owned customer,
    credited `share` percent (the role's template share when None)."""
    now = now or timezone.now()
    if role not in Collaboration.Role.values:
        raise ValidationError({"role": _("Unknown collaborator role.")})
    if share is not None:
        share = share_checked(share)
    if ends_at is not None and ends_at <= now:
        raise ValidationError({"ends_at": _("The end must be in the future.")})
    # Locked like every change of hands, so the owner read here stays the owner until commit.
    customer = lock_customer(customer_id)
    term = active_term(customer_id)
    if term is None:
        raise CollaborationRefused(
            "in_pool", _("A customer in the pool has no owner to work beside.")
        )
    if not may_manage_collaborators(user, term.owner_id):
        raise PermissionDenied(_("Only the owner or their manager adds collaborators."))
    return collaboration_start(
        customer=customer,
        owner_id=term.owner_id,
        collaborator=collaborator,
        role=role,
        started_at=now,
        ends_at=ends_at,
        created_by=user,
        reason=reason,
        share=share,
    )


def collaboration_start(
    *,
    customer: Customer,
    owner_id: int,
    collaborator: User,
    role: str,
    started_at: datetime,
    ends_at: datetime | None,
    created_by: User,
    reason: str,
    share: Decimal | None = None,
    dispute: Dispute | None = None,
) -> Collaboration:
    """Opens a collaboration inside the caller's transaction, with the customer locked.

    `share` is the collaborator's credit share in percent; None takes the role's template
    from the policy in force for the owner's team. Refused when the collaborations in force
    would then take more than 100 together. `dispute` names the dispute whose joint decision
    started it, if any.
    """
    if collaborator.pk == owner_id:
        raise CollaborationRefused(
            "owner_cannot_collaborate", _("The owner cannot be their own collaborator.")
        )
    if not collaborator.as_person().can_own:
        raise CollaborationRefused(
            "cannot_collaborate",
            _("%(person)s cannot work customers (inactive or not in sales).")
            % {"person": collaborator.name},
        )
    # One that ran out is over even if the sweep has not written it down yet.
    collaborations_expire(now=started_at, among=customer.collaborations.filter(user=collaborator))
    if customer.collaborations.filter(user=collaborator, ended_at__isnull=True).exists():
        raise CollaborationRefused(
            "already_collaborating",
            _("%(person)s already collaborates on this customer.") % {"person": collaborator.name},
        )
    share = template_share(owner_id, role, started_at) if share is None else share_checked(share)
    _check_room(customer.pk, share, now=started_at)
    return Collaboration.objects.create(
        customer=customer,
        user=collaborator,
        role=role,
        started_at=started_at,
        ends_at=ends_at,
        created_by=created_by,
        reason=reason,
        share=share,
        dispute=dispute,
    )


def template_share(owner_id: int, role: str, at: datetime) -> Decimal:
    """The role's default share: the split template of the policy for the owner's team, since
    the owner gives up what the collaborator is credited."""
    team_id = User.objects.filter(pk=owner_id).values_list("team_id", flat=True).first()
    return Decimal(policy_in_force(team_id=team_id, at=at).split_templates.get(role, 0))


def share_checked(share: Decimal | int) -> Decimal:
    """A percent from 0 to 100 in hundredths, or ValidationError({"share": ...})."""
    if isinstance(share, int) and not isinstance(share, bool):
        share = Decimal(share)
    if not isinstance(share, Decimal) or not share.is_finite():
        raise ValidationError({"share": _("Give the share as a number of percent.")})
    if not 0 <= share <= HUNDRED:
        raise ValidationError({"share": _("A share is between 0 and 100 percent.")})
    if share != share.quantize(CENT):
        raise ValidationError({"share": _("A share has at most two decimal places.")})
    return share.quantize(CENT)


def _check_room(
    customer_id: int, share: Decimal, *, now: datetime, excluding: int | None = None
) -> None:
    """Refuses a share that would take the collaborators in force past 100 together: the
    owner is credited the rest, so the shares on a customer total 100. Call with the customer
    locked, so no other change of shares slips in between the sum and the write."""
    others = Collaboration.objects.filter(customer_id=customer_id).active(now)
    if excluding is not None:
        others = others.exclude(pk=excluding)
    total = (others.aggregate(total=Sum("share"))["total"] or Decimal(0)) + share
    total = Decimal(total).quantize(CENT)
    if total > HUNDRED:
        raise CollaborationRefused(
            "shares_over_100",
            _(
                "The collaborators' shares would total %(total)s%%; together they may take at "
                "most 100%%, and the owner is credited the rest."
            )
            % {"total": total},
        )


@transaction.atomic(durable=True)
def collaboration_share_set(
    *, user: User, collaboration_id: int, share: Decimal, now: datetime | None = None
) -> Collaboration:
    """The owner, or a manager over them, changes the credit share of a collaboration in
    force. Orders already recorded keep the shares they were credited by."""
    now = now or timezone.now()
    share = share_checked(share)
    collaboration = _locked_collaboration(collaboration_id)
    if not _may_change(user, collaboration.customer_id):
        raise PermissionDenied(_("Only the owner or their manager sets a collaborator's share."))
    if not Collaboration.objects.filter(pk=collaboration.pk).active(now).exists():
        raise CollaborationRefused("not_active", _("This collaboration has already ended."))
    _check_room(collaboration.customer_id, share, now=now, excluding=collaboration.pk)
    Collaboration.objects.filter(pk=collaboration.pk).update(share=share)
    collaboration.refresh_from_db()
    return collaboration


@transaction.atomic(durable=True)
def collaboration_end(
    *, user: User, collaboration_id: int, now: datetime | None = None
) -> Collaboration:
    """The owner, or a manager over them, ends a collaboration in force."""
    now = now or timezone.now()
    collaboration = _locked_collaboration(collaboration_id)
    if not _may_change(user, collaboration.customer_id):
        raise PermissionDenied(_("Only the owner or their manager ends a collaboration."))
    if not Collaboration.objects.filter(pk=collaboration.pk).active(now).exists():
        raise CollaborationRefused("not_active", _("This collaboration has already ended."))
    collaborations_end(Collaboration.objects.filter(pk=collaboration.pk), at=now, by=user)
    collaboration.refresh_from_db()
    return collaboration


def _locked_collaboration(collaboration_id: int) -> Collaboration:
    """The collaboration, with its customer locked first, as every service locks."""
    customer_id = (
        Collaboration.objects.filter(pk=collaboration_id)
        .values_list("customer_id", flat=True)
        .first()
    )
    if customer_id is None:
        raise Collaboration.DoesNotExist
    lock_customer(customer_id)
    return Collaboration.objects.select_for_update().get(pk=collaboration_id)


def _may_change(user: User, customer_id: int) -> bool:
    """Whether `user` may end or re-share a collaboration on the customer (locked)."""
    term = active_term(customer_id)
    # On a pooled customer nobody is the owner: only those who oversee everyone may.
    if term is None:
        return managed_user_ids(user) is None
    return may_manage_collaborators(user, term.owner_id)


def collaborations_end(rows: QuerySet[Collaboration], *, at: datetime, by: User | None) -> int:
    """Ends the open ones among `rows` at `at`, inside the caller's transaction."""
    return rows.filter(ended_at__isnull=True).update(ended_at=at, ended_by=by)


def collaborations_expire(
    *,
    now: datetime,
    dry_run: bool = False,
    among: QuerySet[Collaboration] | None = None,
) -> int:
    """Writes down the end of every time-boxed collaboration whose end date has come: one
    UPDATE that re-checks the condition on the rows' current values, so running it twice, or
    racing someone who ends one by hand, changes nothing more. `ended_at` is the date it ran
    out, not the sweep's moment. A dry run only counts them."""
    due = (Collaboration.objects.all() if among is None else among).filter(
        ended_at__isnull=True, ends_at__lte=now
    )
    return due.count() if dry_run else due.update(ended_at=F("ends_at"))


def collaborations_on(customer: Customer) -> QuerySet[Collaboration]:
    """A customer's collaborations, newest first, for someone who may see the customer."""
    return customer.collaborations.select_related("user__team", "created_by__team").order_by(
        "-started_at", "-pk"
    )


@dataclass(frozen=True)
class CreditShare:
    """One person's credit share (percent) of a customer's revenue at a moment: the owner's
    (role "owner") or a collaborator's (role as on the collaboration)."""

    user_id: int
    role: str
    share: Decimal


def credit_shares(customer_id: int, at: datetime) -> list[CreditShare]:
    """Who is credited what at `at`: the owner whose term covered it, with 100 less the
    collaborators' shares, then every collaboration in force then (earliest first).

    Empty when nobody owned the customer at `at`. Shares are read as they stand now: a share
    changed since applies to earlier moments too, which is why orders copy the shares when
    they are recorded instead of asking again later. An old moment whose collaborators have
    since been given more than 100 together credits them in order of arrival until 100 is
    reached, so the shares still total 100.
    """
    term = (
        Ownership.objects.filter(customer_id=customer_id, started_at__lte=at)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=at))
        .order_by("-started_at")
        .first()
    )
    if term is None:
        return []
    rows = (
        Collaboration.objects.filter(customer_id=customer_id, started_at__lte=at)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=at))
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at))
        # An owner is not their own collaborator: whatever such a row says, they get the rest.
        .exclude(user_id=term.owner_id)
        .order_by("started_at", "pk")
        .values_list("user_id", "role", "share")
    )
    left = HUNDRED
    collaborators = []
    for user_id, role, share in rows:
        share = min(share, left)
        left -= share
        collaborators.append(CreditShare(user_id=user_id, role=role, share=share))
    return [CreditShare(user_id=term.owner_id, role=OWNER_ROLE, share=left), *collaborators]
