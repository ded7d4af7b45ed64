"""Opportunities as the viewer may see them: their own, their team trees' for a manager,
everyone's for directors and admins; and what a customer's records show for the stages."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from guishu.accounts.models import User
from guishu.accounts.selectors import managed_user_ids
from guishu.activities.models import Activity
from guishu.pipeline.models import Opportunity, Stage


def opportunities_visible_to(user: User) -> QuerySet[Opportunity]:
    manages = managed_user_ids(user)
    opportunities = Opportunity.objects.select_related("stage", "owner", "customer")
    if manages is None:
        return opportunities
    return opportunities.filter(owner_id__in=set(manages) | {user.pk})


def activity_kinds_of(customer_id: int) -> set[str]:
    """The activity types the customer's records show (by anyone): what stages require."""
    return set(
        Activity.objects.filter(customer_id=customer_id)
        .values_list("kind", flat=True)
        .distinct()
        .order_by()
    )


@dataclass(frozen=True)
class StageStep:
    """A stage on an opportunity's path: whether it is the current one or already passed,
    and which of its required actions the customer's records do not show yet."""

    stage: Stage
    current: bool
    passed: bool
    required: list[str]
    missing: list[str]


def stage_path(opportunity: Opportunity, stages: list[Stage], done: set[str]) -> list[StageStep]:
    """The stages in use (and the current one, even if retired since), in order."""
    if opportunity.stage_id not in {s.pk for s in stages}:
        stages = sorted([*stages, opportunity.stage], key=lambda s: s.position)
    position = opportunity.stage.position
    return [
        StageStep(
            stage=stage,
            current=stage.pk == opportunity.stage_id,
            passed=stage.position < position,
            required=list(stage.required_kinds or []),
            missing=sorted(set(stage.required_kinds or []) - done),
        )
        for stage in stages
    ]


@dataclass(frozen=True)
class StageTotal:
    """The open opportunities at one stage, in one currency: how many, their amount, and the
    amount weighted by the stage's win probability."""

    stage: Stage
    currency: str
    count: int
    amount: Decimal

    @property
    def weighted(self) -> Decimal:
        return (self.amount * self.stage.win_probability / 100).quantize(Decimal("0.01"))


def open_totals(opportunities: QuerySet[Opportunity]) -> list[StageTotal]:
    """Per stage and currency, in stage order, for the open ones among `opportunities`."""
    rows = (
        opportunities.filter(status=Opportunity.Status.OPEN)
        .values("stage_id", "currency")
        .annotate(count=Count("pk"), amount=Sum("amount"))
        .order_by()
    )
    found = list(rows)
    stages = Stage.objects.in_bulk({row["stage_id"] for row in found})
    totals = [
        StageTotal(stages[row["stage_id"]], row["currency"], row["count"], row["amount"])
        for row in found
    ]
    return sorted(totals, key=lambda t: (t.stage.position, t.currency))
