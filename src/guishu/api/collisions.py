"""Collisions (撞单): refused attempts on someone else's customer, kept as evidence.

You see the collisions you caused and those on your customers; managers those of their team
trees; directors all. What the other side typed is shown only to the one who typed it and
those above them; contact details in the reasons are masked unless you see the customer.
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers

from guishu.accounts.models import User
from guishu.accounts.selectors import managed_user_ids
from guishu.api.common import OBJECT_ID, PersonSerializer, is_object_id, trace_text, viewer
from guishu.api.errors import bad_parameter
from guishu.disputes.models import Collision
from guishu.matching import Reason
from guishu.ownership.matches import mask_reason
from guishu.ownership.selectors import customers_visible_to


def _reason(data: dict[str, Any]) -> Reason:
    return Reason(
        code=data.get("code", ""),
        message=data.get("message", ""),
        params=dict(data.get("params", {})),
        weight=float(data.get("weight", 0.0)),
    )


class CollisionSerializer(serializers.ModelSerializer[Collision]):
    customer = serializers.SerializerMethodField()
    attempted_by = PersonSerializer(read_only=True)
    owner = PersonSerializer(read_only=True)
    reasons = serializers.SerializerMethodField()
    trace = serializers.SerializerMethodField()
    submitted = serializers.SerializerMethodField()

    class Meta:
        model = Collision
        fields = [
            "id",
            "customer",
            "action",
            "at",
            "attempted_by",
            "owner",
            "owner_since",
            "reasons",
            "trace",
            "submitted",
        ]

    @extend_schema_field(
        {
            "type": "object",
            "properties": {"id": {"type": "integer", "nullable": True}, "name": {"type": "string"}},
        }
    )
    def get_customer(self, collision: Collision) -> dict[str, Any]:
        visible = collision.customer_id in self.context["visible_ids"]
        return {
            "id": collision.customer_id if visible else None,
            "name": collision.customer.name,
        }

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_reasons(self, collision: Collision) -> list[str]:
        reasons = [_reason(item) for item in collision.reasons]
        if collision.customer_id not in self.context["visible_ids"]:
            reasons = [mask_reason(reason) for reason in reasons]
        return trace_text(reasons)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_trace(self, collision: Collision) -> list[str]:
        return trace_text(collision.trace)

    @extend_schema_field({"type": "object", "nullable": True, "additionalProperties": True})
    def get_submitted(self, collision: Collision) -> dict[str, Any] | None:
        user: User = self.context["user"]
        manages = self.context["manages"]
        typed_by_viewer_side = (
            collision.attempted_by_id == user.pk
            or manages is None
            or (collision.attempted_by_id in manages)
        )
        return dict(collision.submitted) if typed_by_viewer_side else None


class _Visible:
    def collisions(self) -> QuerySet[Collision]:
        user = viewer(self.request)  # type: ignore[attr-defined]
        manages = managed_user_ids(user)
        rows = Collision.objects.select_related("customer", "attempted_by__team", "owner__team")
        if manages is None:
            return rows
        people = {user.pk, *manages}
        return rows.filter(Q(attempted_by_id__in=people) | Q(owner_id__in=people))

    def get_serializer_context(self) -> dict[str, Any]:
        user = viewer(self.request)  # type: ignore[attr-defined]
        context = super().get_serializer_context()  # type: ignore[misc]
        return {
            **context,
            "user": user,
            "manages": managed_user_ids(user),
            "visible_ids": _VisibleIds(user),
        }


class _VisibleIds:
    """`customer_id in visible_ids`, asked per row and answered by one query each."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.cache: dict[int, bool] = {}

    def __contains__(self, customer_id: object) -> bool:
        assert isinstance(customer_id, int)
        if customer_id not in self.cache:
            self.cache[customer_id] = (
                customers_visible_to(self.user).filter(pk=customer_id).exists()
            )
        return self.cache[customer_id]


class CollisionList(_Visible, generics.ListAPIView[Collision]):
    """Collisions you caused or suffered (managers: your teams'; directors: all), newest
    first. Filter by `action` or `customer`."""

    serializer_class = CollisionSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("action", OpenApiTypes.STR, enum=Collision.Action.values),
            OpenApiParameter("customer", OBJECT_ID),
        ]
    )
    def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Collision]:
        rows = self.collisions()
        params = self.request.query_params
        if (action := params.get("action")) is not None:
            if action not in Collision.Action.values:
                raise bad_parameter("action", _("Unknown action."))
            rows = rows.filter(action=action)
        if (customer := params.get("customer")) is not None:
            if not is_object_id(customer):
                raise bad_parameter("customer", _("Give a customer id."))
            rows = rows.filter(customer_id=int(customer))
        return rows.order_by("-at", "-pk")


class CollisionDetail(_Visible, generics.RetrieveAPIView[Collision]):
    serializer_class = CollisionSerializer
    lookup_url_kwarg = "collision_id"

    def get_queryset(self) -> QuerySet[Collision]:
        return self.collisions()
