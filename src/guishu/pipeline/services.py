"""Opening, advancing and closing opportunities. Each is one transaction that writes the
opportunity and its stage change together.

An opportunity may enter a stage only when the customer's records show every action the stage
requires (activity types, by anyone): the standard stages are a process, not a label. Its
owner moves it, or anyone who oversees the owner; everyone else is refused.
"""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guishu.accounts.models import User
from guishu.accounts.selectors import managed_user_ids
from guishu.activities.models import Activity
from guishu.customers.models import Customer
from guishu.pipeline.models import Opportunity, Stage, StageChange

# The standard stages a company starts with: (zh, en, win probability %, required actions).
DEFAULT_STAGES: tuple[tuple[str, str, int, list[str]], ...] = (
    ("线索", "Lead", 10, []),
    ("需求确认", "Qualified", 20, ["call"]),
    ("报价", "Quoted", 40, ["quote"]),
    ("样品/验厂", "Sample or factory visit", 60, ["sample"]),
    ("谈判", "Negotiation", 80, []),
)


class PipelineRefused(Exception):
    """A pipeline rule said no. `code` is stable for clients; the message is plain words."""

    def __init__(self, code: str, message: str, missing: list[str] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.missing = missing or []


def stages_ensure_default() -> list[Stage]:
    """The stages in use, creating the standard ones when none exist yet."""
    if not Stage.objects.exists():
        Stage.objects.bulk_create(
            Stage(name_zh=zh, name_en=en, position=i, win_probability=p, required_kinds=kinds)
            for i, (zh, en, p, kinds) in enumerate(DEFAULT_STAGES, start=1)
        )
    return list(Stage.objects.filter(active=True).order_by("position"))


def may_work_opportunity(user: User, owner_id: int) -> bool:
    """The owner, or anyone who oversees them (their managers, directors, admins)."""
    manages = managed_user_ids(user)
    return user.pk == owner_id or manages is None or owner_id in manages


def missing_actions(customer_id: int, stage: Stage) -> list[str]:
    """The stage's required activity types the customer's records do not show yet."""
    required = set(stage.required_kinds or [])
    if not required:
        return []
    done = set(
        Activity.objects.filter(customer_id=customer_id, kind__in=required)
        .values_list("kind", flat=True)
        .distinct()
    )
    return sorted(required - done)


def _check_entry(customer_id: int, stage: Stage) -> None:
    if not stage.active:
        raise PipelineRefused("stage_not_in_use", _("That stage is no longer in use."))
    missing = missing_actions(customer_id, stage)
    if missing:
        raise PipelineRefused(
            "required_actions_missing",
            _("The stage needs actions the customer's records do not show yet."),
            missing,
        )


@transaction.atomic(durable=True)
def opportunity_open(
    *,
    user: User,
    customer: Customer,
    title: str,
    amount: Decimal,
    currency: str = "CNY",
    stage: Stage | None = None,
    owner: User | None = None,
    now: datetime | None = None,
) -> Opportunity:
    """`user` opens an opportunity with a customer they may see (the caller checked), owned by
    themselves or, for a manager, by someone they oversee; it starts at `stage` (the first
    stage when None), whose required actions must already exist."""
    now = now or timezone.now()
    owner = owner or user
    if not may_work_opportunity(user, owner.pk):
        raise PermissionDenied(_("You may open opportunities only for yourself or your team."))
    stage = stage or stages_ensure_default()[0]
    _check_entry(customer.pk, stage)
    opportunity = Opportunity.objects.create(
        customer=customer,
        owner=owner,
        title=title,
        amount=amount,
        currency=currency,
        stage=stage,
        opened_at=now,
        created_by=user,
    )
    StageChange.objects.create(opportunity=opportunity, to_stage=stage, at=now, by=user)
    return opportunity


def _locked(opportunity_id: int, user: User) -> Opportunity:
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity_id)
    if not may_work_opportunity(user, opportunity.owner_id):
        raise PermissionDenied(_("Only the owner or their manager moves this opportunity."))
    if opportunity.status != Opportunity.Status.OPEN:
        raise PipelineRefused("closed", _("The opportunity is already closed."))
    return opportunity


@transaction.atomic(durable=True)
def opportunity_advance(
    *, user: User, opportunity_id: int, stage: Stage, now: datetime | None = None
) -> Opportunity:
    """Moves an open opportunity to `stage` (forward or back), refused unless the customer's
    records show the stage's required actions."""
    now = now or timezone.now()
    opportunity = _locked(opportunity_id, user)
    if stage.pk == opportunity.stage_id:
        raise PipelineRefused("same_stage", _("The opportunity is already at that stage."))
    _check_entry(opportunity.customer_id, stage)
    StageChange.objects.create(
        opportunity=opportunity,
        from_stage_id=opportunity.stage_id,
        to_stage=stage,
        at=now,
        by=user,
    )
    opportunity.stage = stage
    opportunity.save(update_fields=["stage"])
    return opportunity


@transaction.atomic(durable=True)
def opportunity_close(
    *,
    user: User,
    opportunity_id: int,
    won: bool,
    reason: str = "",
    now: datetime | None = None,
) -> Opportunity:
    """Closes an open opportunity as won or lost (at its current stage), recorded as a stage
    change so cycle times and win rates can be read from the history."""
    now = now or timezone.now()
    opportunity = _locked(opportunity_id, user)
    status = Opportunity.Status.WON if won else Opportunity.Status.LOST
    StageChange.objects.create(
        opportunity=opportunity,
        from_stage_id=opportunity.stage_id,
        to_stage_id=opportunity.stage_id,
        status=status,
        at=now,
        by=user,
    )
    opportunity.status = status
    opportunity.closed_at = now
    opportunity.lost_reason = "" if won else reason[:300]
    opportunity.save(update_fields=["status", "closed_at", "lost_reason"])
    return opportunity
