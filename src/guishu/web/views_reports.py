"""The report pages: an index, and one page per report with its filters, charts and tables.

Each page calls the report's selector (guishu.reports) with the viewer and the filters, which
applies visibility. The filter form is a plain GET (the filters stay in the address). The
download link asks the API for the same report as .xlsx.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from guishu.accounts.models import User
from guishu.activities.models import Activity
from guishu.reports.params import ReportParams, report_params
from guishu.reports.registry import REPORTS, report_run
from guishu.reports.scope import default_days, sales_currencies, visible_teams
from guishu.web.charts import chart_spec
from guishu.web.people import signed_in

CHART_ROWS = 20  # bars per chart; the tables list everything


def _n(value: Decimal | float | int | None) -> float:
    return float(value or 0)


def _sales_charts(report: Any) -> list[dict[str, Any]]:
    reps = report.reps[:CHART_ROWS]
    return [
        chart_spec(
            "stacked",
            _("Sales by rep: new and existing customers"),
            [r.label for r in reps],
            [
                (_("New customers"), [_n(r.new) for r in reps]),
                (_("Existing customers"), [_n(r.existing) for r in reps]),
            ],
        ),
        chart_spec(
            "bar",
            _("Incremental growth by team"),
            [r.label for r in report.teams],
            [(_("Incremental growth"), [_n(r.incremental) for r in report.teams])],
            small=True,
        ),
    ]


def _cost_charts(report: Any) -> list[dict[str, Any]]:
    segments = report.segments
    return [
        chart_spec(
            "bar",
            _("Cost to serve and margin by level"),
            [s.label for s in segments],
            [
                (_("Cost to serve"), [_n(s.cost) for s in segments]),
                (_("Margin"), [_n(s.margin) for s in segments]),
            ],
        )
    ]


def _concentration_charts(report: Any) -> list[dict[str, Any]]:
    reps = report.reps[:CHART_ROWS]
    return [
        chart_spec(
            "line",
            _("Cumulative share of sales by the top reps"),
            [str(r.rank) for r in reps],
            [(_("Cumulative share (%)"), [round(r.cumulative * 100, 1) for r in reps])],
        ),
        chart_spec(
            "bar",
            _("Key accounts with each decision-chain role"),
            [c.label for c in report.chain],
            [(_("Key accounts"), [c.accounts for c in report.chain])],
            small=True,
        ),
    ]


def _rotation_charts(report: Any) -> list[dict[str, Any]]:
    rows = report.handovers[:CHART_ROWS]
    return [
        chart_spec(
            "bar",
            _("Sales of the moved customers, before and after"),
            [f"{h.rep} {timezone.localtime(h.executed_at):%Y-%m-%d}" for h in rows],
            [
                (_("Before"), [_n(h.before) for h in rows]),
                (_("After"), [_n(h.after) for h in rows]),
            ],
        )
    ]


def _pipeline_charts(report: Any) -> list[dict[str, Any]]:
    stages = report.stages
    return [
        chart_spec(
            "bar",
            _("Open pipeline by stage"),
            [s.name for s in stages],
            [
                (_("Open amount"), [_n(s.open_amount) for s in stages]),
                (_("Weighted amount"), [_n(s.weighted) for s in stages]),
            ],
        ),
        chart_spec(
            "bar",
            _("Opportunities opened in the period that reached each stage"),
            [s.name for s in stages],
            [(_("Reached"), [s.reached for s in stages])],
            small=True,
        ),
    ]


def _pool_charts(report: Any) -> list[dict[str, Any]]:
    months = report.months
    return [
        chart_spec(
            "line",
            _("Conflicts and pool flows per month"),
            [m.month.strftime("%Y-%m") for m in months],
            [
                (_("Collisions"), [m.collisions for m in months]),
                (_("Disputes"), [m.disputes for m in months]),
                (_("Returned to the pool"), [m.returned for m in months]),
                (_("Claimed"), [m.claimed for m in months]),
            ],
        )
    ]


CHARTS: dict[str, Callable[[Any], list[dict[str, Any]]]] = {
    "sales": _sales_charts,
    "cost-to-serve": _cost_charts,
    "concentration": _concentration_charts,
    "rotation": _rotation_charts,
    "pipeline": _pipeline_charts,
    "pool-health": _pool_charts,
}


@require_safe
def report_index(request: HttpRequest) -> HttpResponse:
    return render(request, "guishu/reports/index.html", {"reports": list(REPORTS.values())})


def _other_currencies(
    kind: Any, user: User, params: ReportParams, report: Any
) -> list[tuple[str, str]]:
    """When the chosen currency has no sales in scope and others do: (currency, link query)."""
    if report is None or not kind.money:
        return []
    found = sales_currencies(user, params.period, params.team_id)
    if not found or params.currency in found:
        return []
    return [(code, urlencode({**params.query(), "currency": code})) for code in found]


@require_safe
def report_page(request: HttpRequest, name: str) -> HttpResponse:
    """One report with the filters in the query string; bad filters are shown, not run."""
    user = signed_in(request)
    kind = REPORTS.get(name)
    if kind is None:
        raise Http404(_("No such report."))
    errors: dict[str, list[str]] = {}
    report = None
    try:
        params = report_params(request.GET)
        report = report_run(kind=kind, viewer=user, params=params)
    except ValidationError as error:
        errors = error.message_dict
        params = ReportParams(*default_days(timezone.localdate()))
    context = {
        "kind": kind,
        "report": report,
        "params": params,
        "errors": [message for messages in errors.values() for message in messages],
        "given": request.GET,
        "teams": visible_teams(user),
        "charts": [
            (f"report-chart-{i}", spec)
            for i, spec in enumerate(CHARTS[name](report) if report is not None else [], 1)
        ],
        "body": f"guishu/reports/_{name.replace('-', '_')}.html",
        "query": urlencode(params.query()),
        "other_currencies": _other_currencies(kind, user, params, report),
        "channel_labels": dict(Activity.Channel.choices),
    }
    return render(request, "guishu/reports/page.html", context)
