"""Page permission rows of the reports: everyone signed in gets every report page (holding
only what they may see: tests/reports/ checks the figures by role); an unknown report is
404. See tests/web/test_permissions.py."""

from typing import Any

from guishu.reports.registry import REPORTS
from tests.web.matrix import NOT_FOUND, OK, Row, everyone


def subjects(cast: Any, wendy: Any) -> dict[str, dict[str, Any]]:
    return {
        **{f"report_{name}": {"name": name} for name in REPORTS},
        "report_unknown": {"name": "nonsense"},
    }


ROWS = [
    Row("report-index", everyone(OK)),
    *(Row("report-page", everyone(OK), subject=f"report_{name}") for name in REPORTS),
    Row("report-page", everyone(NOT_FOUND), subject="report_unknown"),
]
