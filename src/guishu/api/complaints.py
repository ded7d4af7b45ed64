"""Complaints (投诉) from receipt to resolution, and the loyalty of customers who complained
(guishu.discipline, docs/discipline.md): those on your customers or handled by you or your
team; another's answer 404, as if they did not exist.
"""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from guishu.accounts.models import User
from guishu.api.common import (
    MomentField,
    PersonSerializer,
    StrictSerializer,
    trace_text,
    viewer,
)
from guishu.api.errors import Problem, bad_parameter
from guishu.customers.models import Customer
from guishu.discipline.models import (
    Complaint,
)
from guishu.discipline.selectors import (
    complaint_loyalty_for,
    complaints_visible_to,
)
from guishu.discipline.services import (
    ComplaintRefused,
    complaint_open,
    complaint_resolve,
)
from guishu.ownership.selectors import customers_visible_to

# Complaints -----------------------------------------------------------------------------

CUSTOMER_REF = {
    "type": "object",
    "properties": {"id": {"type": "integer", "nullable": True}, "name": {"type": "string"}},
}


class ComplaintSerializer(serializers.ModelSerializer[Complaint]):
    customer = serializers.SerializerMethodField()
    handler = PersonSerializer(read_only=True)
    opened_by = PersonSerializer(read_only=True)
    closed_by = PersonSerializer(read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = [
            "id",
            "customer",
            "summary",
            "received_at",
            "handler",
            "deadline",
            "overdue",
            "status",
            "outcome",
            "closed_at",
            "closed_by",
            "opened_by",
        ]

    @extend_schema_field(CUSTOMER_REF)
    def get_customer(self, complaint: Complaint) -> dict[str, Any]:
        """The customer's id only for those who see it in full; its name for everyone."""
        visible = complaint.customer_id in self.context["visible_ids"]
        return {"id": complaint.customer_id if visible else None, "name": complaint.customer.name}

    def get_overdue(self, complaint: Complaint) -> bool:
        """Still open past its deadline."""
        return complaint.status == Complaint.Status.OPEN and complaint.deadline <= timezone.now()


def _visible_ids(user: User, complaints: list[Complaint]) -> frozenset[int]:
    wanted = {complaint.customer_id for complaint in complaints}
    if not wanted:
        return frozenset()
    return frozenset(customers_visible_to(user).filter(pk__in=wanted).values_list("pk", flat=True))


def complaint_body(user: User, complaint: Complaint) -> dict[str, Any]:
    context = {"visible_ids": _visible_ids(user, [complaint])}
    return dict(ComplaintSerializer(complaint, context=context).data)


class ComplaintInputSerializer(StrictSerializer):
    customer = serializers.IntegerField(min_value=1, max_value=2**53)
    summary = serializers.CharField(max_length=500)
    received_at = MomentField(required=False, help_text="When it came in; default now.")
    handler = serializers.IntegerField(
        min_value=1,
        max_value=2**53,
        required=False,
        help_text="Who answers for it: you, the owner or someone you manage (default: the owner).",
    )


class ComplaintList(generics.ListAPIView[Complaint]):
    """Complaints you see (on your customers, or handled by you or your team), newest first;
    filter by `status`. POST records one on a customer you own or oversee."""

    serializer_class = ComplaintSerializer

    @extend_schema(
        parameters=[OpenApiParameter("status", OpenApiTypes.STR, enum=Complaint.Status.values)]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rows = self.paginate_queryset(self.get_queryset())
        assert rows is not None  # nosec B101 # the API always paginates
        context = {"visible_ids": _visible_ids(viewer(request), list(rows))}
        return self.get_paginated_response(
            ComplaintSerializer(rows, many=True, context=context).data
        )

    def get_queryset(self) -> Any:
        rows = complaints_visible_to(viewer(self.request))
        if (wanted := self.request.query_params.get("status")) is not None:
            if wanted not in Complaint.Status.values:
                raise bad_parameter("status", _("Choose open, resolved or unresolved."))
            rows = rows.filter(status=wanted)
        return rows.order_by("-received_at", "-pk")

    @extend_schema(request=ComplaintInputSerializer, responses={201: ComplaintSerializer})
    def post(self, request: Request) -> Response:
        user = viewer(request)
        incoming = ComplaintInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            complaint = complaint_open(
                user=user,
                customer_id=data["customer"],
                summary=data["summary"],
                received_at=data.get("received_at"),
                handler_id=data.get("handler"),
            )
        except Customer.DoesNotExist:
            raise serializers.ValidationError(
                {"customer": [_("Choose a customer you own or oversee.")]}
            ) from None
        return Response(complaint_body(user, complaint), status=status.HTTP_201_CREATED)


class ComplaintDetail(APIView):
    """One complaint you see."""

    @extend_schema(responses=ComplaintSerializer)
    def get(self, request: Request, complaint_id: int) -> Response:
        user = viewer(request)
        return Response(complaint_body(user, complaints_visible_to(user).get(pk=complaint_id)))


class ComplaintResolveInputSerializer(StrictSerializer):
    outcome = serializers.CharField(max_length=5000)
    resolved = serializers.BooleanField(
        default=True, help_text="false closes it unresolved (the customer was not satisfied)."
    )


class ComplaintResolve(APIView):
    """Closes a complaint with its outcome, resolved or not: its handler or someone over
    them. A closed complaint answers 409 `already_closed`."""

    @extend_schema(request=ComplaintResolveInputSerializer, responses=ComplaintSerializer)
    def post(self, request: Request, complaint_id: int) -> Response:
        user = viewer(request)
        complaints_visible_to(user).get(pk=complaint_id)  # 404 unless seen
        incoming = ComplaintResolveInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            complaint = complaint_resolve(
                user=user,
                complaint_id=complaint_id,
                outcome=incoming.validated_data["outcome"],
                resolved=incoming.validated_data["resolved"],
            )
        except ComplaintRefused as refused:
            raise Problem(
                status_code=status.HTTP_409_CONFLICT,
                code=refused.code,
                title=_("Refused."),
                detail=refused.message,
            ) from None
        return Response(complaint_body(user, complaint))


class ComplaintLoyaltyGroupSerializer(serializers.Serializer[Any]):
    complaints = serializers.IntegerField()
    loyal = serializers.IntegerField()
    lost = serializers.IntegerField()
    waiting = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


class ComplaintLoyaltySerializer(serializers.Serializer[Any]):
    resolved = ComplaintLoyaltyGroupSerializer()
    unresolved = ComplaintLoyaltyGroupSerializer()
    reason = serializers.ListField(child=serializers.CharField())


def _group(group: Any) -> dict[str, Any]:
    return {
        "complaints": group.complaints,
        "loyal": group.loyal,
        "lost": group.lost,
        "waiting": group.waiting,
        "rate": group.rate,
    }


class ComplaintLoyalty(APIView):
    """Of the complaints you see, how many customers ordered again within 12 months: resolved
    vs unresolved (the benchmark: about 85% stay when solved well)."""

    @extend_schema(responses=ComplaintLoyaltySerializer)
    def get(self, request: Request) -> Response:
        loyalty = complaint_loyalty_for(viewer(request))
        data = {
            "resolved": _group(loyalty.resolved),
            "unresolved": _group(loyalty.unresolved),
            "reason": trace_text(loyalty.trace),
        }
        return Response(ComplaintLoyaltySerializer(data).data)
