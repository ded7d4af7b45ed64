"""Customer discipline: overdue contacts, the portfolio by strategy, and classification.
Complaints are in guishu.api.complaints, weekly plans and time in guishu.api.plans_time.

A rep sees their own customers, complaints, plan and time; a manager their team trees';
directors and admins everyone's. Another rep's customer answers 404, as if it did not exist.
Every figure comes with its reasons as trace lines in the reader's language.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from guishu.api.common import (
    StrictSerializer,
    is_object_id,
    trace_text,
    viewer,
)
from guishu.api.errors import bad_parameter
from guishu.customers.models import Customer
from guishu.discipline.cadence import explained, overdue_dues, too_many_to_judge
from guishu.discipline.models import (
    Classification,
    ClassificationChange,
)
from guishu.discipline.selectors import people_in_view, portfolio_for
from guishu.discipline.services import (
    ClassificationInput,
    classifiable_customer,
    classification_evaluate,
    classification_set,
)

HISTORY = 20
MAX_DAYS = 366


def date_param(request: Request, name: str, default: date) -> date:
    value = request.query_params.get(name)
    if value is None:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise bad_parameter(name, _("Give a date as YYYY-MM-DD.")) from None


def id_param(request: Request, name: str) -> int | None:
    value = request.query_params.get(name)
    if value is None:
        return None
    if not is_object_id(value):
        raise bad_parameter(name, _("Give a user id."))
    return int(value)


# Overdue ---------------------------------------------------------------------------------


class OverdueCustomerSerializer(serializers.Serializer[Any]):
    customer = serializers.IntegerField()
    name = serializers.CharField()
    level = serializers.CharField()
    owner = serializers.IntegerField()
    owner_name = serializers.CharField()
    strategy = serializers.CharField(allow_null=True)
    due = serializers.ChoiceField(choices=["cadence", "after_sales"])
    due_at = serializers.DateTimeField()
    days_overdue = serializers.IntegerField()
    reason = serializers.ListField(child=serializers.CharField())


class Overdue(generics.ListAPIView[Any]):
    """Customers overdue for contact as you see them (a rep their own, a manager their
    team's, or one person's of them with `owner`), most overdue first, each with its due date
    and the reason; paginated (every customer is judged, only the page is explained). Above
    GUISHU_LIST_JUDGE_LIMIT customers in view `owner` is required."""

    serializer_class = OverdueCustomerSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("owner", OpenApiTypes.INT, description="Only this person's customers.")
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        now = timezone.now()
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # nosec B101 # the API always paginates
        data = [
            {
                "customer": row.customer_id,
                "name": row.name,
                "level": row.level,
                "owner": row.owner_id,
                "owner_name": row.owner_name,
                "strategy": row.strategy.value if row.strategy else None,
                "due": row.status.due.value,
                "due_at": row.status.due_at,
                "days_overdue": row.status.days_overdue,
                "reason": trace_text(row.reason),
            }
            for row in explained(viewer(request), list(page), now)
        ]
        return self.get_paginated_response(OverdueCustomerSerializer(data, many=True).data)

    def get_queryset(self) -> Any:
        user, now = viewer(self.request), timezone.now()
        owner_id = None
        if (wanted := self.request.query_params.get("owner")) is not None:
            people = people_in_view(user)
            if not wanted.isdigit() or not people.filter(pk=int(wanted)).exists():
                raise bad_parameter("owner", _("Name yourself or someone you oversee."))
            owner_id = int(wanted)
        elif (count := too_many_to_judge(user)) is not None:
            raise bad_parameter(
                "owner",
                _("You oversee %(count)d customers: name whose to judge (owner).")
                % {"count": count},
            )
        return overdue_dues(user, now, owner_id=owner_id)


# Portfolio -------------------------------------------------------------------------------


class PortfolioPersonSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    minutes = serializers.DictField(child=serializers.IntegerField())


class PortfolioSerializer(serializers.Serializer[Any]):
    total = serializers.IntegerField()
    by_strategy = serializers.DictField(child=serializers.IntegerField())
    by_level = serializers.DictField(child=serializers.IntegerField())
    grid = serializers.DictField(child=serializers.DictField(child=serializers.IntegerField()))
    days = serializers.IntegerField()
    reps = PortfolioPersonSerializer(many=True)


class Portfolio(APIView):
    """Owned customers you see by engagement strategy (let_go, dig_in, give_up,
    unclassified) and potential, and the minutes the people you see spent with customers of
    each strategy over the last 30 days."""

    @extend_schema(responses=PortfolioSerializer)
    def get(self, request: Request) -> Response:
        days = 30
        portfolio = portfolio_for(viewer(request), days=days)
        data = {
            "total": portfolio.total,
            "by_strategy": dict(portfolio.by_strategy),
            "by_level": dict(portfolio.by_level),
            "grid": {level: dict(counts) for level, counts in portfolio.grid.items()},
            "days": days,
            "reps": [
                {"id": pk, "name": name, "minutes": dict(portfolio.minutes.get(pk, {}))}
                for pk, name in sorted(portfolio.people.items())
            ],
        }
        return Response(PortfolioSerializer(data).data)


# Classification --------------------------------------------------------------------------


class ClassificationChangeSerializer(serializers.Serializer[Any]):
    field = serializers.CharField()
    before = serializers.CharField()
    after = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    reason = serializers.ListField(child=serializers.CharField())
    note = serializers.CharField()
    at = serializers.DateTimeField()
    by = serializers.CharField(allow_null=True)


class ClassificationSerializer(serializers.Serializer[Any]):
    customer = serializers.IntegerField()
    potential = serializers.CharField()
    potential_source = serializers.ChoiceField(choices=["rule", "hand"])
    potential_reason = serializers.ListField(child=serializers.CharField())
    engagement = serializers.CharField(allow_null=True)
    engagement_type = serializers.IntegerField(allow_null=True)
    strategy = serializers.CharField(allow_null=True)
    engagement_reason = serializers.ListField(child=serializers.CharField())
    employees = serializers.IntegerField(allow_null=True)
    potential_estimate = serializers.DecimalField(16, 2, allow_null=True)
    monthly_volume = serializers.DecimalField(16, 2, allow_null=True)
    our_share = serializers.DecimalField(5, 2, allow_null=True)
    margin = serializers.DecimalField(5, 2, allow_null=True)
    note = serializers.CharField()
    evaluated_at = serializers.DateTimeField(allow_null=True)
    history = ClassificationChangeSerializer(many=True)


ENGAGEMENT_TYPES = {"earns": 1, "pushed": 2, "stuck": 3}


def classification_body(customer: Customer, row: Classification | None) -> dict[str, Any]:
    changes = ClassificationChange.objects.filter(customer=customer).select_related("by")
    history = [
        {
            "field": change.field,
            "before": change.before,
            "after": change.after,
            "source": change.source,
            "reason": trace_text(change.reason),
            "note": change.note,
            "at": change.at,
            "by": change.by.name if change.by else None,
        }
        for change in changes.order_by("-at", "-pk")[:HISTORY]
    ]
    body: dict[str, Any] = {
        "customer": customer.pk,
        "potential": customer.level,
        "potential_source": row.potential_source if row else "rule",
        "potential_reason": trace_text(row.potential_reason) if row else [],
        "engagement": (row.engagement or None) if row else None,
        "engagement_type": ENGAGEMENT_TYPES.get(row.engagement) if row else None,
        "strategy": (row.strategy or None) if row else None,
        "engagement_reason": trace_text(row.engagement_reason) if row else [],
        "note": row.note if row else "",
        "evaluated_at": row.evaluated_at if row else None,
        "history": history,
    }
    for name in ("employees", "potential_estimate", "monthly_volume", "our_share", "margin"):
        body[name] = getattr(row, name) if row else None
    return dict(ClassificationSerializer(body).data)


class ClassificationInputSerializer(StrictSerializer):
    employees = serializers.IntegerField(min_value=0, max_value=10_000_000, required=False)
    potential_estimate = serializers.DecimalField(
        16, 2, min_value=Decimal(0), max_value=Decimal("99999999999999"), required=False
    )
    monthly_volume = serializers.DecimalField(
        16, 2, min_value=Decimal(0), max_value=Decimal("99999999999999"), required=False
    )
    our_share = serializers.DecimalField(
        5, 2, min_value=Decimal(0), max_value=Decimal(100), required=False
    )
    margin = serializers.DecimalField(
        5, 2, min_value=Decimal(-100), max_value=Decimal(100), required=False
    )
    clear = serializers.ListField(
        child=serializers.ChoiceField(
            ["employees", "potential_estimate", "monthly_volume", "our_share", "margin"]
        ),
        required=False,
        max_length=5,
        help_text="Inputs to forget.",
    )
    potential = serializers.ChoiceField(
        ["A", "B", "C", "rule"],
        required=False,
        help_text="A, B or C: by hand (give a note); rule: back to the rule.",
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ClassificationView(APIView):
    """A customer's potential and engagement type, with their reasons, inputs and history.
    Its owner, a manager over the owner, directors and admins see and set it; anyone else
    gets 404. PATCH sets inputs and/or the potential by hand (with a note), then evaluates."""

    @extend_schema(responses=ClassificationSerializer)
    def get(self, request: Request, customer_id: int) -> Response:
        customer = classifiable_customer(viewer(request), customer_id)
        row = Classification.objects.filter(customer=customer).first()
        return Response(classification_body(customer, row))

    @extend_schema(request=ClassificationInputSerializer, responses=ClassificationSerializer)
    def patch(self, request: Request, customer_id: int) -> Response:
        user = viewer(request)
        classifiable_customer(user, customer_id)  # 404 first for those who may not see it
        incoming = ClassificationInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        data["clear"] = tuple(data.get("clear", ()))
        row = classification_set(
            user=user, customer_id=customer_id, data=ClassificationInput(**data)
        )
        return Response(classification_body(row.customer, row))


class ClassificationEvaluate(APIView):
    """Evaluates the rules now (a hand-set potential stands) and answers the result."""

    @extend_schema(request=None, responses=ClassificationSerializer)
    def post(self, request: Request, customer_id: int) -> Response:
        row = classification_evaluate(customer_id=customer_id, user=viewer(request))
        return Response(classification_body(row.customer, row))
