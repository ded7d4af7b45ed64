"""Reports for leadership (guishu.reports), as JSON and as .xlsx/.csv downloads.

`GET /reports/` lists them; `GET /reports/{name}/?from=2026-07-01&to=2026-09-30&team=3&currency=CNY`
answers one (rotation also takes `window`, days before and after a handover); and
`GET /reports/{name}.xlsx` (or `.csv`) downloads its main table. Every figure respects
visibility: a rep gets their own, a manager their team trees', directors and admins
everyone's; `team` narrows it to a team the viewer may look at (else 400).
Money is in decimal strings, shares are fractions (0.25 is 25%).
"""

import dataclasses
import inspect
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from guishu.api.common import OBJECT_ID, viewer
from guishu.api.errors import bad_parameter
from guishu.api.exports import FILE, FORMAT, Export
from guishu.exports.writers import Sheet
from guishu.reports.params import ReportParams, report_params
from guishu.reports.registry import REPORTS, ReportKind, report_run
from guishu.reports.scope import Period

DAY = {"type": "string", "format": "date"}
CENT = Decimal("0.01")
NAME = OpenApiParameter(
    "name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(REPORTS), description="The report."
)
FILTERS = [
    OpenApiParameter("from", DAY, description="The first day (default: 89 days ago)."),
    OpenApiParameter("to", DAY, description="The last day, included (default: today)."),
    OpenApiParameter("team", OBJECT_ID, description="One team (and those below it)."),
    OpenApiParameter("currency", OpenApiTypes.STR, description="Three letters, default CNY."),
    OpenApiParameter("window", OpenApiTypes.INT, description="rotation: days before/after."),
]


def plain(value: Any) -> Any:
    """A report's dataclasses as JSON values: their fields and their computed properties;
    money as decimal strings."""
    if isinstance(value, Period):
        return {"start": value.start.isoformat(), "end": value.end.isoformat()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        found = {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        for name, member in inspect.getmembers(type(value)):
            if isinstance(member, property) and not name.startswith("_"):
                found[name] = plain(getattr(value, name))
        return found
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Decimal):
        # Two decimals at least, whichever database summed it ("1000" on SQLite).
        exponent = value.as_tuple().exponent
        return str(value.quantize(CENT) if isinstance(exponent, int) and exponent > -2 else value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _kind(name: str) -> ReportKind:
    kind = REPORTS.get(name)
    if kind is None:
        raise NotFound(_("No such report."))
    return kind


def _params(request: Request) -> ReportParams:
    try:
        return report_params(request.query_params)
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        raise bad_parameter(name, messages[0]) from None


def _report(request: Request, kind: ReportKind) -> Any:
    try:
        return report_run(kind=kind, viewer=viewer(request), params=_params(request))
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        raise bad_parameter(name, messages[0]) from None


class ReportInfoSerializer(serializers.Serializer[Any]):
    name = serializers.ChoiceField(list(REPORTS))
    title = serializers.CharField()
    question = serializers.CharField()
    url = serializers.URLField()


class ReportList(APIView):
    """The reports there are: name, title, the question each answers, and its address."""

    @extend_schema(operation_id="reports_list", responses=ReportInfoSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(
            [
                {
                    "name": kind.name,
                    "title": str(kind.title),
                    "question": str(kind.question),
                    "url": reverse("api-report", kwargs={"name": kind.name}, request=request),
                }
                for kind in REPORTS.values()
            ]
        )


class ReportDetail(APIView):
    """One report for the viewer and the filters (see the module's notes)."""

    @extend_schema(
        operation_id="reports_retrieve", parameters=[NAME, *FILTERS], responses=OpenApiTypes.OBJECT
    )
    def get(self, request: Request, name: str) -> Response:
        kind = _kind(name)
        params = _params(request)
        body = plain(_report(request, kind))
        return Response({"report": kind.name, "filters": params.query(), **body})


class ReportExport(Export):
    """One report's main table as a file."""

    @extend_schema(
        operation_id="reports_export", parameters=[NAME, FORMAT, *FILTERS], responses=FILE
    )
    def get(self, request: Request, name: str, file_format: str) -> HttpResponseBase:
        return self.respond(request, file_format, name=name)

    def sheet(self, request: Request, **kwargs: Any) -> Sheet:
        kind = _kind(kwargs["name"])
        return kind.sheet(_report(request, kind))
