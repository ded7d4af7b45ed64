"""Handover (离职交接): every customer of a departing or moving rep changes hands at once.

A manager over the rep, a director or an admin drafts a plan with one item per customer the
rep owns, chooses per customer (reassign to a named rep, return to the pool, or reassign and
keep the old owner as a co-seller until a date), checks it, and executes it: all or nothing,
in one transaction, through the same ownership services and rules as a single transfer or
release. Contacts and orders belong to the customer and follow it; activities stay credited
to whoever did them; a lock goes with its customer; the rep's own collaborations end.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from guishu.accounts.models import User
from guishu.accounts.selectors import managed_user_ids
from guishu.domain import Role
from guishu.ownership.handover_check import (
    HandoverCheck,
    ItemRefusal,
    executable_from,
    handover_judge,
)
from guishu.ownership.handover_run import HandoverRefusedAll, lock_customers, run_plan
from guishu.ownership.locking import lock_users
from guishu.ownership.models import HandoverItem, HandoverPlan, Ownership

OWNING_ROLES = (Role.REP, Role.MANAGER)


class HandoverRefused(Exception):
    """The plan as a whole cannot do this now. `code` is stable for clients; `retry_at` says
    when it would be allowed, if waiting helps."""

    def __init__(self, code: str, message: str, retry_at: datetime | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry_at = retry_at


@dataclass(frozen=True)
class HandoverOutcome:
    """What `handover_execute` did: executed now, found executed already, or refused (then
    `check` holds the reasons and nothing changed)."""

    plan: HandoverPlan
    executed: bool
    already_executed: bool = False
    check: HandoverCheck | None = None


def handovers_visible_to(user: User) -> QuerySet[HandoverPlan]:
    """Plans for the people in a manager's team trees (not their own); all for directors and
    admins; none for reps."""
    plans = HandoverPlan.objects.select_related("rep__team", "created_by__team", "closed_by__team")
    manages = managed_user_ids(user)
    if manages is None:
        return plans
    return plans.filter(rep_id__in=manages - {user.pk})


@transaction.atomic(durable=True)
def handover_draft(
    *,
    user: User,
    rep: User,
    effective_on: date,
    reason: str = "",
    to: User | None = None,
    now: datetime | None = None,
) -> HandoverPlan:
    """Drafts the plan with an item for every customer `rep` owns: reassigned to `to` when
    given, otherwise returned to the pool. Items stay editable until execution."""
    now = now or timezone.now()
    manages = managed_user_ids(user)
    if rep.pk == user.pk or not (manages is None or rep.pk in manages):
        raise PermissionDenied(_("You can plan handovers only for people in your team trees."))
    if rep.role not in OWNING_ROLES:
        raise ValidationError({"rep": [_("Only reps and managers hold customers.")]})
    if to is not None:
        _check_receiver(rep, to, "to")
    if HandoverPlan.objects.filter(rep=rep, status=HandoverPlan.Status.DRAFT).exists():
        raise _draft_exists(rep)
    try:
        with transaction.atomic():
            plan = HandoverPlan.objects.create(
                rep=rep, effective_on=effective_on, reason=reason, created_by=user, created_at=now
            )
    except IntegrityError:  # another draft for the rep committed in between
        raise _draft_exists(rep) from None
    owned = Ownership.objects.filter(owner=rep, ended_at__isnull=True).order_by("customer_id")
    choice = HandoverItem.Choice.REASSIGN if to is not None else HandoverItem.Choice.POOL
    HandoverItem.objects.bulk_create(
        HandoverItem(plan=plan, customer_id=customer_id, choice=choice, to=to)
        for customer_id in owned.values_list("customer_id", flat=True)
    )
    return plan


@transaction.atomic(durable=True)
def handover_item_set(
    *,
    user: User,
    plan_id: int,
    item_id: int,
    choice: str,
    to: User | None = None,
    collaborate_until: datetime | None = None,
    now: datetime | None = None,
) -> HandoverItem:
    """Sets one customer's choice on a draft. The rules that depend on the moment (caps,
    who manages whom) are judged by `handover_check` and again at execution."""
    now = now or timezone.now()
    plan = _locked_draft(user, plan_id)
    item = plan.items.select_related("customer").get(pk=item_id)
    if choice not in HandoverItem.Choice.values:
        raise ValidationError({"choice": [_("Unknown choice.")]})
    if choice == HandoverItem.Choice.POOL:
        if to is not None or collaborate_until is not None:
            raise ValidationError(
                {"choice": [_("A customer returned to the pool goes to nobody.")]}
            )
    else:
        if to is None:
            raise ValidationError({"to": [_("Name the rep who receives the customer.")]})
        _check_receiver(plan.rep, to, "to")
    keeps = choice == HandoverItem.Choice.KEEP_AS_COLLABORATOR
    if keeps and (collaborate_until is None or collaborate_until <= now):
        raise ValidationError(
            {"collaborate_until": [_("Give the date the old owner's collaboration ends.")]}
        )
    if not keeps and collaborate_until is not None:
        raise ValidationError(
            {"collaborate_until": [_("Only an old owner kept as collaborator has an end date.")]}
        )
    item.choice, item.to, item.collaborate_until = choice, to, collaborate_until
    item.save(update_fields=["choice", "to", "collaborate_until"])
    return item


def handover_check(*, user: User, plan_id: int, now: datetime | None = None) -> HandoverCheck:
    """Judges a draft without writing anything: each receiving rep's holding (and lock)
    count plus what the plan gives them against their caps, and every per-customer rule."""
    now = now or timezone.now()
    plan = _visible(user, plan_id)
    if plan.status != HandoverPlan.Status.DRAFT:
        raise _closed(plan)
    return handover_judge(plan=plan, items=_items(plan), user=user, now=now)


def handover_execute(*, user: User, plan_id: int, now: datetime | None = None) -> HandoverOutcome:
    """Executes a draft, all or nothing, in one durable transaction (see handover_run.py).

    If any customer is refused, everything the attempt did is rolled back and the outcome
    carries the refusals. A plan already executed is left as it is (`already_executed`)."""
    now = now or timezone.now()
    try:
        return _execute(user=user, plan_id=plan_id, now=now)
    except HandoverRefusedAll as refused:
        return HandoverOutcome(plan=refused.check.plan, executed=False, check=refused.check)


@transaction.atomic(durable=True)
def _execute(*, user: User, plan_id: int, now: datetime) -> HandoverOutcome:
    plan = _locked(user, plan_id)  # two executions queue here; the second finds it done
    if plan.status == HandoverPlan.Status.EXECUTED:
        return HandoverOutcome(plan=plan, executed=False, already_executed=True)
    if plan.status != HandoverPlan.Status.DRAFT:
        raise _closed(plan)
    if now < executable_from(plan):
        raise HandoverRefused(
            "not_yet_effective",
            _("The handover takes effect on %(day)s.") % {"day": plan.effective_on.isoformat()},
            retry_at=executable_from(plan),
        )
    items = _items(plan)
    # The services' lock order: the people whose counts are checked, then the customers.
    lock_users([user.pk, plan.rep_id, *(item.to_id for item in items if item.to_id)])
    lock_customers(item.customer_id for item in items)
    check = handover_judge(plan=plan, items=items, user=user, now=now)
    if not check.ok:
        raise HandoverRefusedAll(check)
    plan.summary = run_plan(plan=plan, items=items, check=check, user=user, now=now)
    plan.status = HandoverPlan.Status.EXECUTED
    plan.closed_at, plan.closed_by = now, user
    plan.save(update_fields=["summary", "status", "closed_at", "closed_by"])
    return HandoverOutcome(plan=plan, executed=True)


@transaction.atomic(durable=True)
def handover_cancel(*, user: User, plan_id: int, now: datetime | None = None) -> HandoverPlan:
    """Cancels a draft (to draft again, or because the rep stays)."""
    plan = _locked_draft(user, plan_id)
    plan.status = HandoverPlan.Status.CANCELLED
    plan.closed_at, plan.closed_by = now or timezone.now(), user
    plan.save(update_fields=["status", "closed_at", "closed_by"])
    return plan


# --- helpers ----------------------------------------------------------------------------------


def _visible(user: User, plan_id: int) -> HandoverPlan:
    return handovers_visible_to(user).get(pk=plan_id)


def _locked(user: User, plan_id: int) -> HandoverPlan:
    """The plan, row-locked, if `user` may act on it (else DoesNotExist: a 404)."""
    _visible(user, plan_id)
    return HandoverPlan.objects.select_for_update().select_related("rep").get(pk=plan_id)


def _locked_draft(user: User, plan_id: int) -> HandoverPlan:
    plan = _locked(user, plan_id)
    if plan.status != HandoverPlan.Status.DRAFT:
        raise _closed(plan)
    return plan


def _items(plan: HandoverPlan) -> list[HandoverItem]:
    return list(plan.items.select_related("customer", "to").order_by("customer_id"))


def _check_receiver(rep: User, to: User, field: str) -> None:
    if to.pk == rep.pk:
        raise ValidationError({field: [_("The customer cannot go back to the rep handing over.")]})
    if not to.is_active or to.role not in OWNING_ROLES:
        raise ValidationError({field: [_("Only active reps and managers can receive customers.")]})


def _draft_exists(rep: User) -> HandoverRefused:
    return HandoverRefused(
        "draft_exists",
        _("%(rep)s already has a draft handover: edit or cancel it.") % {"rep": rep.name},
    )


def _closed(plan: HandoverPlan) -> HandoverRefused:
    if plan.status == HandoverPlan.Status.EXECUTED:
        return HandoverRefused("handover_executed", _("This handover was executed."))
    return HandoverRefused("handover_cancelled", _("This handover was cancelled."))


__all__ = ["HandoverCheck", "HandoverRefused", "ItemRefusal"]
