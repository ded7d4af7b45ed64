"""Exports: the lists you can see, as a .csv or .xlsx download (guishu.exports).

`GET /exports/customers.xlsx` (or `.csv`) and likewise `collisions`, `disputes`, and one
customer's `customers/{id}/activities` and `customers/{id}/orders`. Each export reads its
rows exactly as the API's list does (the list view's own queryset: the same visibility
selectors and the same filters in the query string) and masks them by the same rules, so a
file never shows more than the list would. Another rep's customer answers 404 here too.
"""

from typing import Any

from django.db.models import QuerySet
from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.request import Request
from rest_framework.views import APIView

from guishu.api.collisions import CollisionList
from guishu.api.common import OBJECT_ID, viewer
from guishu.api.customers import ORDERINGS, SCOPES, CustomerList, visible_customer
from guishu.api.disputes import DisputeList
from guishu.api.errors import Problem
from guishu.disputes.models import Collision, Dispute
from guishu.exports.cases import collisions_sheet, disputes_sheet
from guishu.exports.customers import customers_sheet
from guishu.exports.records import activities_sheet, orders_sheet
from guishu.exports.responses import CSV, FORMATS, XLSX, download
from guishu.exports.writers import Sheet, TooManyRows


class ProblemsAsJson(BaseContentNegotiation):
    """The file's type is in its name (`.csv`, `.xlsx`), whatever `Accept` says; the only
    thing left to negotiate is how an error is written, and that is always a JSON problem."""

    def select_parser(self, request: Any, parsers: Any) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(self, request: Any, renderers: Any, format_suffix: Any = None) -> Any:
        return renderers[0], renderers[0].media_type


def listed(view_class: type[APIView], request: Request, **kwargs: Any) -> QuerySet[Any]:
    """Every row the API's list would page through for this request: its queryset, with its
    visibility and its filters (refusing a bad one with the same 400)."""
    view = view_class(request=request, kwargs=kwargs, format_kwarg=None)
    queryset: QuerySet[Any] = view.get_queryset()  # type: ignore[attr-defined]
    return queryset


FORMAT = OpenApiParameter(
    "file_format",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=list(FORMATS),
    description="csv (UTF-8 with BOM, for Excel) or xlsx",
)
FILE = {
    (200, CSV.split(";")[0]): OpenApiResponse(OpenApiTypes.BINARY, description="The list."),
    (200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="The list."),
}


class Export(APIView):
    """A list as a file. Subclasses say which list (`sheet`)."""

    content_negotiation_class = ProblemsAsJson

    def sheet(self, request: Request, **kwargs: Any) -> Sheet:
        raise NotImplementedError

    def respond(self, request: Request, file_format: str, **kwargs: Any) -> HttpResponseBase:
        if file_format not in FORMATS:
            raise NotFound(_("Exports come as .csv or .xlsx."))
        try:
            return download(self.sheet(request, **kwargs), file_format)
        except TooManyRows:
            raise Problem(
                status_code=status.HTTP_400_BAD_REQUEST,
                code="too_many_rows",
                title=_("Too many rows for one .xlsx sheet."),
                detail=_("Export as .csv, or narrow the list with filters."),
            ) from None


class CustomerExport(Export):
    """The customers you may see in full, filtered like `GET /customers/` (`scope`, `q`,
    `level`, `country`, `owner`, `ordering`); contact details masked as the API masks them."""

    @extend_schema(
        operation_id="exports_customers",
        parameters=[
            FORMAT,
            OpenApiParameter("scope", OpenApiTypes.STR, enum=SCOPES, description="default visible"),
            OpenApiParameter("q", OpenApiTypes.STR, description="part of a name or other name"),
            OpenApiParameter("level", OpenApiTypes.STR, enum=["A", "B", "C"]),
            OpenApiParameter("country", OpenApiTypes.STR, description="ISO code, e.g. CN"),
            OpenApiParameter("owner", OBJECT_ID, description="owner's user id"),
            OpenApiParameter("ordering", OpenApiTypes.STR, enum=list(ORDERINGS)),
        ],
        responses=FILE,
    )
    def get(self, request: Request, file_format: str) -> HttpResponseBase:
        return self.respond(request, file_format)

    def sheet(self, request: Request, **kwargs: Any) -> Sheet:
        return customers_sheet(listed(CustomerList, request))


class ActivityExport(Export):
    """One customer's activities, newest first (404 unless you see the customer)."""

    @extend_schema(operation_id="exports_activities", parameters=[FORMAT], responses=FILE)
    def get(self, request: Request, customer_id: int, file_format: str) -> HttpResponseBase:
        return self.respond(request, file_format, customer_id=customer_id)

    def sheet(self, request: Request, **kwargs: Any) -> Sheet:
        return activities_sheet(visible_customer(request, kwargs["customer_id"]))


class OrderExport(Export):
    """One customer's orders with their credits and collected amounts, newest first (404
    unless you see the customer)."""

    @extend_schema(operation_id="exports_orders", parameters=[FORMAT], responses=FILE)
    def get(self, request: Request, customer_id: int, file_format: str) -> HttpResponseBase:
        return self.respond(request, file_format, customer_id=customer_id)

    def sheet(self, request: Request, **kwargs: Any) -> Sheet:
        return orders_sheet(visible_customer(request, kwargs["customer_id"]))


class CollisionExport(Export):
    """The collisions your list shows (`action`, `customer` filter it), newest first, with
    reasons masked where you do not see the customer."""

    @extend_schema(
        operation_id="exports_collisions",
        parameters=[
            FORMAT,
            OpenApiParameter("action", OpenApiTypes.STR, enum=Collision.Action.values),
            OpenApiParameter("customer", OBJECT_ID),
        ],
        responses=FILE,
    )
    def get(self, request: Request, file_format: str) -> HttpResponseBase:
        return self.respond(request, file_format)

    def sheet(self, request: Request, **kwargs: Any) -> Sheet:
        return collisions_sheet(viewer(request), listed(CollisionList, request))


class DisputeExport(Export):
    """The disputes you may see (`status`, `customer`, `waiting=me` filter them), newest
    first."""

    @extend_schema(
        operation_id="exports_disputes",
        parameters=[
            FORMAT,
            OpenApiParameter("status", OpenApiTypes.STR, enum=Dispute.Status.values),
            OpenApiParameter("customer", OBJECT_ID),
            OpenApiParameter("waiting", OpenApiTypes.STR, enum=["me"]),
        ],
        responses=FILE,
    )
    def get(self, request: Request, file_format: str) -> HttpResponseBase:
        return self.respond(request, file_format)

    def sheet(self, request: Request, **kwargs: Any) -> Sheet:
        return disputes_sheet(viewer(request), listed(DisputeList, request))
