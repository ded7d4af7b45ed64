"""The reports by name: title, what they answer, the selector and the sheet for downloads.
Web pages and API endpoints look reports up here, so adding one is one entry."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from guishu.exports.writers import Sheet
from guishu.reports import sheets
from guishu.reports.concentration import concentration
from guishu.reports.cost import cost_to_serve
from guishu.reports.params import ReportParams
from guishu.reports.pipeline import pipeline_report
from guishu.reports.pool_health import pool_health
from guishu.reports.rotation import rotation_impact
from guishu.reports.sales import sales_mix


@dataclass(frozen=True)
class ReportKind:
    name: str
    title: Promise
    question: Promise
    selector: Callable[..., Any]
    sheet: Callable[[Any], Sheet]
    money: bool = True  # takes a currency


REPORTS = {
    r.name: r
    for r in (
        ReportKind(
            "sales",
            _("New, existing and incremental sales"),
            _("Who wins new customers, who grows existing ones, by rep and team."),
            sales_mix,
            sheets.sales_sheet,
        ),
        ReportKind(
            "cost-to-serve",
            _("Cost to serve"),
            _("What serving each segment and customer costs by channel, against margin."),
            cost_to_serve,
            sheets.cost_sheet,
        ),
        ReportKind(
            "concentration",
            _("Relationship concentration"),
            _("How much sits with the top reps and with customers only one person talks to."),
            concentration,
            sheets.concentration_sheet,
        ),
        ReportKind(
            "rotation",
            _("Rotation impact"),
            _("Did moved customers keep buying after their rep handed them over?"),
            rotation_impact,
            sheets.rotation_sheet,
        ),
        ReportKind(
            "pipeline",
            _("Pipeline"),
            _("Open opportunities by standard stage, conversion and cycle time."),
            pipeline_report,
            sheets.pipeline_sheet,
        ),
        ReportKind(
            "pool-health",
            _("Conflict and pool health"),
            _("Collisions, disputes, and customers flowing to and from the pool, per month."),
            pool_health,
            sheets.pool_health_sheet,
            money=False,
        ),
    )
}


def report_run(*, kind: ReportKind, viewer: Any, params: ReportParams) -> Any:
    """The report for `viewer` with the request's filters (ValidationError on a team the
    viewer may not look at)."""
    kwargs = params.selector_kwargs(money=kind.money, rotation=kind.name == "rotation")
    return kind.selector(viewer=viewer, **kwargs)
