"""What happens with a customer: activities (follow-ups), orders and collections.

Logging an activity or an order on a customer is a follow-up in the ownership rules: the
owner's clock resets; anyone else is refused (409) and the attempt is kept as a collision,
except a collaborator's activity, which is accepted without restarting the owner's clock.
Orders and collections show their credits: who is credited what share and amount, as copied
from the shares in force on the order's date.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from guishu.activities.credits import collection_credits, order_credits
from guishu.activities.models import Activity, Collection, Order, OrderCredit
from guishu.activities.services import activity_log, collection_record, order_record
from guishu.api import idempotency
from guishu.api.common import (
    MomentField,
    PersonSerializer,
    StrictSerializer,
    refusal,
    trace_text,
    viewer,
)
from guishu.api.customers import visible_customer
from guishu.api.matches import MatchSerializer, matches_body
from guishu.customers.models import Contact
from guishu.ownership.execute import OwnershipResult
from guishu.ownership.selectors import customers_visible_to


def refuse_if_rejected(result: OwnershipResult) -> None:
    """A follow-up or deal on someone else's customer: 409, naming the collision recorded."""
    if result.rejection is not None:
        collision = result.collision
        raise refusal(result.rejection, **({"collision_id": collision.pk} if collision else {}))


class ActivitySerializer(serializers.ModelSerializer[Activity]):
    by = PersonSerializer(read_only=True)
    contacts = serializers.PrimaryKeyRelatedField[Contact](many=True, read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "kind",
            "channel",
            "occurred_at",
            "duration_minutes",
            "outcome",
            "note",
            "customer_initiated",
            "contacts",
            "by",
            "created_at",
        ]


class ActivityInputSerializer(StrictSerializer):
    kind = serializers.ChoiceField(Activity.Kind.choices)
    channel = serializers.ChoiceField(Activity.Channel.choices, default=Activity.Channel.OTHER)
    occurred_at = MomentField()
    duration_minutes = serializers.IntegerField(min_value=0, max_value=24 * 60, default=0)
    outcome = serializers.CharField(max_length=300, allow_blank=True, default="")
    note = serializers.CharField(max_length=10000, allow_blank=True, default="")
    customer_initiated = serializers.BooleanField(default=False)
    contacts = serializers.ListField(child=serializers.IntegerField(), max_length=50, default=list)
    counterpart = serializers.ListField(
        child=serializers.CharField(max_length=200),
        max_length=20,
        default=list,
        help_text="Phones, e-mails or WeChat IDs of the person talked to, checked against "
        "other reps' customers.",
    )


class LoggedActivitySerializer(serializers.Serializer[Any]):
    activity = ActivitySerializer()
    trace = serializers.ListField(child=serializers.CharField())
    warnings = MatchSerializer(many=True)


class ActivityList(generics.ListAPIView[Activity]):
    """The customer's activities, newest first; POST logs one (a follow-up)."""

    serializer_class = ActivitySerializer

    def get_queryset(self) -> QuerySet[Activity]:
        customer = visible_customer(self.request, self.kwargs["customer_id"])
        return customer.activities.select_related("by__team").prefetch_related("contacts")

    @extend_schema(request=ActivityInputSerializer, responses={201: LoggedActivitySerializer})
    def post(self, request: Request, customer_id: int) -> Response:
        customer = visible_customer(request, customer_id)
        incoming = ActivityInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        result = activity_log(
            user=viewer(request),
            customer_id=customer.pk,
            kind=data["kind"],
            occurred_at=data["occurred_at"],
            channel=data["channel"],
            duration_minutes=data["duration_minutes"],
            outcome=data["outcome"],
            note=data["note"],
            customer_initiated=data["customer_initiated"],
            contact_ids=data["contacts"],
            counterpart=data["counterpart"],
        )
        refuse_if_rejected(result.ownership)
        assert result.activity is not None
        body = {
            "activity": ActivitySerializer(result.activity).data,
            "trace": trace_text(result.ownership.decision.trace),
            "warnings": matches_body(result.warnings),
        }
        return Response(body, status=status.HTTP_201_CREATED)


class CreditSerializer(serializers.Serializer[Any]):
    """Who is credited: a person, as owner or in their collaborator role, by a share."""

    user = PersonSerializer(read_only=True)
    role = serializers.CharField(
        read_only=True, help_text='"owner", or the collaborator\'s role (co_seller, ...).'
    )
    share = serializers.DecimalField(
        max_digits=5, decimal_places=2, read_only=True, help_text="Percent credited."
    )
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)


class OrderSerializer(serializers.ModelSerializer[Order]):
    credited_to = PersonSerializer(read_only=True)
    credits = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "amount",
            "currency",
            "ordered_at",
            "status",
            "credited_to",
            "customer_status",
            "credits",
        ]

    @extend_schema_field(CreditSerializer(many=True))
    def get_credits(self, order: Order) -> Any:
        """The owner first, then the collaborators; the amounts sum to the order's."""
        return CreditSerializer(order_credits(order), many=True).data


def credits_with_people() -> QuerySet[OrderCredit]:
    """Prefetched for lists: credits and their people in one query, however many orders."""
    return OrderCredit.objects.select_related("user__team")


class OrderInputSerializer(StrictSerializer):
    number = serializers.CharField(max_length=50)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    currency = serializers.CharField(min_length=3, max_length=3, default="CNY")
    ordered_at = MomentField()


class OrderList(generics.ListAPIView[Order]):
    """The customer's orders, newest first; POST records a won order (a deal), credited to
    the owner and the collaborators by the shares in force on its date. Honours
    `Idempotency-Key`."""

    serializer_class = OrderSerializer

    def get_queryset(self) -> QuerySet[Order]:
        customer = visible_customer(self.request, self.kwargs["customer_id"])
        return (
            customer.orders.select_related("credited_to__team")
            .prefetch_related(Prefetch("credits", credits_with_people()))
            .order_by("-ordered_at", "-pk")
        )

    @extend_schema(
        request=OrderInputSerializer,
        responses={201: OrderSerializer},
        parameters=[idempotency.PARAMETER],
    )
    def post(self, request: Request, customer_id: int) -> Response:
        return idempotency.idempotent(
            f"order:{customer_id}", request, lambda: self._record(request, customer_id)
        )

    def _record(self, request: Request, customer_id: int) -> Response:
        customer = visible_customer(request, customer_id)
        incoming = OrderInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        result = order_record(
            user=viewer(request),
            customer_id=customer.pk,
            number=data["number"],
            amount=data["amount"],
            currency=data["currency"],
            ordered_at=data["ordered_at"],
        )
        refuse_if_rejected(result.ownership)
        assert result.order is not None
        return Response(OrderSerializer(result.order).data, status=status.HTTP_201_CREATED)


class CollectionSerializer(serializers.ModelSerializer[Collection]):
    credits = serializers.SerializerMethodField()

    class Meta:
        model = Collection
        fields = ["id", "order", "amount", "currency", "received_at", "credits"]

    @extend_schema_field(CreditSerializer(many=True))
    def get_credits(self, collection: Collection) -> Any:
        """The payment split by its order's credited shares; the amounts sum to the payment."""
        order = collection.order
        people = {c.user_id: c.user for c in order.credits.all()}
        if order.credited_to_id not in people:  # an order without credits: its owner's
            people[order.credited_to_id] = order.credited_to
        rows = [
            {"user": people[c.user_id], "role": c.role, "share": c.share, "amount": c.amount}
            for c in collection_credits(collection)
        ]
        return CreditSerializer(rows, many=True).data


class CollectionInputSerializer(StrictSerializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    received_at = MomentField()


def visible_order(request: Request, order_id: int) -> Order:
    order = (
        Order.objects.filter(pk=order_id, customer__in=customers_visible_to(viewer(request)))
        .select_related("customer")
        .first()
    )
    if order is None:
        raise NotFound(_("No such order."))
    return order


class CollectionList(generics.ListAPIView[Collection]):
    """Payments received against an order; POST records one (the owner or their manager)."""

    serializer_class = CollectionSerializer

    def get_queryset(self) -> QuerySet[Collection]:
        order = visible_order(self.request, self.kwargs["order_id"])
        # Every payment reads its order's credits: fetched once, not once per payment.
        return (
            order.collections.select_related("order__credited_to__team")
            .prefetch_related(Prefetch("order__credits", credits_with_people()))
            .order_by("-received_at", "-pk")
        )

    @extend_schema(request=CollectionInputSerializer, responses={201: CollectionSerializer})
    def post(self, request: Request, order_id: int) -> Response:
        order = visible_order(request, order_id)
        incoming = CollectionInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        received_at: datetime = incoming.validated_data["received_at"]
        collection = collection_record(
            user=viewer(request),
            order=order,
            amount=incoming.validated_data["amount"],
            received_at=received_at,
        )
        return Response(CollectionSerializer(collection).data, status=status.HTTP_201_CREATED)
