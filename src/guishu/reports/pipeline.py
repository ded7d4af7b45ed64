"""The pipeline by standard stage: what is open at each stage now (and its value weighted by
the stage's win probability), how the opportunities opened in the period converted from stage
to stage, and how long won deals took.

Conversion counts, for the opportunities opened in the period (a cohort), how many ever
entered each stage (the stage-change history), and how many were won or lost. Cycle time runs
from opening to winning, for the opportunities won in the period.
"""

import statistics
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import translation

from guishu.accounts.models import User
from guishu.pipeline.models import Opportunity, Stage, StageChange
from guishu.reports.scope import Period, report_scope

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
DAY_SECONDS = 86_400


@dataclass(frozen=True)
class StageRow:
    stage_id: int
    name: str
    win_probability: int
    open_count: int
    open_amount: Decimal
    reached: int  # of the period's cohort

    @property
    def weighted(self) -> Decimal:
        return (self.open_amount * self.win_probability / HUNDRED).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class PipelineReport:
    period: Period
    currency: str
    stages: list[StageRow]
    opened: int
    won: int
    lost: int
    won_amount: Decimal
    cycle_days_mean: float | None
    cycle_days_median: float | None

    @property
    def win_rate(self) -> float | None:
        closed = self.won + self.lost
        return self.won / closed if closed else None

    @property
    def weighted(self) -> Decimal:
        return sum((s.weighted for s in self.stages), ZERO)

    def conversion(self, index: int) -> float | None:
        """From stage `index` to the next stage (or to won, for the last)."""
        here = self.stages[index].reached
        nxt = self.stages[index + 1].reached if index + 1 < len(self.stages) else self.won
        return nxt / here if here else None

    @property
    def conversions(self) -> list[float | None]:
        return [self.conversion(i) for i in range(len(self.stages))]


def _days(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / DAY_SECONDS


def pipeline_report(
    *, viewer: User, period: Period, team_id: int | None = None, currency: str = "CNY"
) -> PipelineReport:
    scope = report_scope(viewer, team_id)
    mine = Opportunity.objects.filter(scope.q("owner_id"), currency=currency)
    open_by_stage = {
        row["stage_id"]: row
        for row in mine.filter(status=Opportunity.Status.OPEN)
        .values("stage_id")
        .annotate(n=Count("id"), amount=Sum("amount"))
        .order_by()
    }
    cohort = mine.filter(opened_at__gte=period.start, opened_at__lt=period.end)
    reached = {
        row["to_stage_id"]: row["n"]
        for row in StageChange.objects.filter(opportunity__in=cohort.values("id"))
        .values("to_stage_id")
        .annotate(n=Count("opportunity_id", distinct=True))
        .order_by()
    }
    counts = cohort.aggregate(
        opened=Count("id"),
        won=Count("id", filter=Q(status=Opportunity.Status.WON)),
        lost=Count("id", filter=Q(status=Opportunity.Status.LOST)),
    )
    won_in_period = mine.filter(
        status=Opportunity.Status.WON, closed_at__gte=period.start, closed_at__lt=period.end
    )
    won_amount = won_in_period.aggregate(total=Sum("amount"))["total"] or ZERO
    cycles = [_days(o, c) for o, c in won_in_period.values_list("opened_at", "closed_at") if c]
    language = translation.get_language()
    stages = []
    for stage in Stage.objects.order_by("position"):
        row: dict[str, Any] = dict(open_by_stage.get(stage.pk, {}))
        if not stage.active and not row and stage.pk not in reached:
            continue
        stages.append(
            StageRow(
                stage.pk,
                stage.name_in(language),
                stage.win_probability,
                row.get("n", 0),
                row.get("amount") or ZERO,
                reached.get(stage.pk, 0),
            )
        )
    return PipelineReport(
        period=period,
        currency=currency,
        stages=stages,
        opened=counts["opened"],
        won=counts["won"],
        lost=counts["lost"],
        won_amount=won_amount,
        cycle_days_mean=statistics.fmean(cycles) if cycles else None,
        cycle_days_median=statistics.median(cycles) if cycles else None,
    )
