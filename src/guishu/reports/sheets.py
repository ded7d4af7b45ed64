"""Each report's main table as a sheet for .xlsx (and .csv) downloads (guishu.exports)."""

from collections.abc import Iterator, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from guishu.activities.models import Activity
from guishu.exports.writers import Column, Sheet
from guishu.reports.concentration import Concentration
from guishu.reports.cost import CostToServe
from guishu.reports.pipeline import PipelineReport
from guishu.reports.pool_health import PoolHealth
from guishu.reports.rotation import RotationImpact
from guishu.reports.sales import SalesMix


def _ratio(value: float | None) -> float | None:
    return round(value, 4) if value is not None else None


def sales_sheet(report: SalesMix) -> Sheet:
    def rows() -> Iterator[Sequence[Any]]:
        for kind, group in ((_("Rep"), report.reps), (_("Team"), report.teams)):
            for r in group:
                yield (kind, r.label, r.team, r.new, r.existing, r.incremental, r.total)
        t = report.total
        yield (_("Total"), "", "", t.new, t.existing, t.incremental, t.total)

    return Sheet(
        _("Sales: new, existing, incremental"),
        "sales",
        [
            Column(_("Row"), 8),
            Column(_("Name"), 20),
            Column(_("Team"), 16),
            Column(_("New customers")),
            Column(_("Existing customers")),
            Column(_("Incremental growth")),
            Column(_("Total")),
        ],
        rows(),
    )


def cost_sheet(report: CostToServe) -> Sheet:
    def line(kind: str, r: Any) -> Sequence[Any]:
        touches = [r.touches.get(c, 0) for c in report.channels]
        return (
            kind,
            r.label,
            r.level,
            r.customers,
            *touches,
            r.cost,
            r.revenue,
            r.margin,
            r.after_cost,
        )

    def rows() -> Iterator[Sequence[Any]]:
        for s in report.segments:
            yield line(_("Level"), s)
        yield line(_("Total"), report.total)
        for c in report.top_customers:
            yield line(_("Customer"), c)

    return Sheet(
        _("Cost to serve"),
        "cost-to-serve",
        [
            Column(_("Row"), 10),
            Column(_("Name"), 24),
            Column(_("Level"), 6),
            Column(_("Customers"), 10),
            *(Column(str(Activity.Channel(c).label), 10) for c in report.channels),
            Column(_("Cost to serve")),
            Column(_("Sales")),
            Column(_("Margin")),
            Column(_("Margin after cost")),
        ],
        rows(),
    )


def concentration_sheet(report: Concentration) -> Sheet:
    rows = (
        (r.rank, r.name, r.team, r.revenue, _ratio(r.share), _ratio(r.cumulative))
        for r in report.reps
    )
    return Sheet(
        _("Relationship concentration"),
        "concentration",
        [
            Column(_("Rank"), 6),
            Column(_("Rep"), 20),
            Column(_("Team"), 16),
            Column(_("Sales")),
            Column(_("Share")),
            Column(_("Cumulative share")),
        ],
        rows,
    )


def rotation_sheet(report: RotationImpact) -> Sheet:
    rows = (
        (
            h.executed_at,
            h.rep,
            h.team,
            h.customers,
            h.before,
            h.after,
            _ratio(h.retained),
            _("yes") if h.partial else _("no"),
        )
        for h in [*report.handovers, report.total]
    )
    return Sheet(
        _("Rotation impact"),
        "rotation",
        [
            Column(_("Executed"), 18),
            Column(_("Rep who left"), 20),
            Column(_("Team"), 16),
            Column(_("Customers moved"), 10),
            Column(_("Sales before")),
            Column(_("Sales after")),
            Column(_("Retained")),
            Column(_("Window not over"), 10),
        ],
        rows,
    )


def pipeline_sheet(report: PipelineReport) -> Sheet:
    rows = (
        (
            s.name,
            s.win_probability,
            s.open_count,
            s.open_amount,
            s.weighted,
            s.reached,
            _ratio(conversion),
        )
        for s, conversion in zip(report.stages, report.conversions, strict=True)
    )
    return Sheet(
        _("Pipeline"),
        "pipeline",
        [
            Column(_("Stage"), 20),
            Column(_("Win probability (%)"), 10),
            Column(pgettext("opportunities", "Open"), 8),
            Column(_("Open amount")),
            Column(_("Weighted amount")),
            Column(_("Reached (opened in period)"), 12),
            Column(_("Converted to next")),
        ],
        rows,
    )


def pool_health_sheet(report: PoolHealth) -> Sheet:
    rows = (
        (
            m.month.strftime("%Y-%m") if m.month else _("Total"),
            m.collisions,
            m.disputes,
            m.reclaimed,
            m.released,
            m.claimed,
            m.net_to_pool,
        )
        for m in [*report.months, report.total]
    )
    return Sheet(
        _("Conflict and pool health"),
        "pool-health",
        [
            Column(_("Month"), 10),
            Column(_("Collisions"), 10),
            Column(_("Disputes"), 10),
            Column(_("Reclaimed"), 10),
            Column(_("Released"), 10),
            Column(_("Claimed"), 10),
            Column(_("Net to pool"), 10),
        ],
        rows,
    )
