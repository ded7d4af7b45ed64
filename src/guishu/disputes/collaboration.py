"""Collaborators (协同人): adding and ending them, and the sweep's expiry of time-boxed ones.

The customer's owner, or a manager over the owner, adds and ends collaborations. A
collaborator sees the customer in full while the collaboration is in force (the visibility
selectors read `Collaboration.objects.active(now)`); ownership does not change.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from guishu.accounts.models import User
from guishu.accounts.selectors import managed_user_ids
from guishu.customers.models import Customer
from guishu.disputes.models import Collaboration
from guishu.ownership.engine_io import active_term
from guishu.ownership.locking import lock_customer


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
    now: datetime | None = None,
) -> Collaboration:
    """`user` (the owner or a manager over them) adds `collaborator` to an owned customer."""
    now = now or timezone.now()
    if role not in Collaboration.Role.values:
        raise ValidationError({"role": _("Unknown collaborator role.")})
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
) -> Collaboration:
    """Opens a collaboration inside the caller's transaction, with the customer locked."""
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
    return Collaboration.objects.create(
        customer=customer,
        user=collaborator,
        role=role,
        started_at=started_at,
        ends_at=ends_at,
        created_by=created_by,
        reason=reason,
    )


@transaction.atomic(durable=True)
def collaboration_end(
    *, user: User, collaboration_id: int, now: datetime | None = None
) -> Collaboration:
    """The owner, or a manager over them, ends a collaboration in force."""
    now = now or timezone.now()
    customer_id = (
        Collaboration.objects.filter(pk=collaboration_id)
        .values_list("customer_id", flat=True)
        .first()
    )
    if customer_id is None:
        raise Collaboration.DoesNotExist
    lock_customer(customer_id)  # the customer first, as every service does
    collaboration = Collaboration.objects.select_for_update().get(pk=collaboration_id)
    term = active_term(customer_id)
    # On a pooled customer nobody is the owner: only those who oversee everyone may end it.
    allowed = (
        may_manage_collaborators(user, term.owner_id)
        if term is not None
        else managed_user_ids(user) is None
    )
    if not allowed:
        raise PermissionDenied(_("Only the owner or their manager ends a collaboration."))
    if not Collaboration.objects.filter(pk=collaboration.pk).active(now).exists():
        raise CollaborationRefused("not_active", _("This collaboration has already ended."))
    collaborations_end(Collaboration.objects.filter(pk=collaboration.pk), at=now, by=user)
    collaboration.refresh_from_db()
    return collaboration


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
