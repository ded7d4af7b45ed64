"""Violations (违规): rules broken, with their evidence, and their review.

A rep sees their own violations, a manager those of their team trees, directors and admins
all; any other answers 404, as if it did not exist. A manager over the offender, a director
or an admin confirms one (its points then count) or dismisses it with a reason; nobody
reviews their own, and a reviewed violation answers 409 `already_reviewed`.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from guishu.accounts.models import User
from guishu.api.common import OBJECT_ID, PersonSerializer, StrictSerializer, is_object_id, viewer
from guishu.api.errors import Problem, bad_parameter
from guishu.disputes.models import Violation
from guishu.disputes.violations import (
    ReviewDecision,
    ViolationRefused,
    may_review,
    violation_review,
    violations_visible_to,
)
from guishu.ownership.selectors import customers_visible_to


def visible_customer_ids(user: User, customer_ids: Iterable[int]) -> frozenset[int]:
    """Which of these customers `user` sees in full: one query for a whole page."""
    wanted = set(customer_ids)
    if not wanted:
        return frozenset()
    return frozenset(customers_visible_to(user).filter(pk__in=wanted).values_list("pk", flat=True))


class ViolationSerializer(serializers.ModelSerializer[Violation]):
    offender = PersonSerializer(read_only=True)
    customer = serializers.SerializerMethodField()
    kind_text = serializers.SerializerMethodField()
    counts = serializers.SerializerMethodField()
    collision = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField()
    reviewed_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Violation
        fields = [
            "id",
            "kind",
            "kind_text",
            "status",
            "offender",
            "customer",
            "at",
            "points",
            "counts",
            "collision",
            "evidence",
            "reviewed_by",
            "reviewed_at",
            "review_note",
        ]

    @extend_schema_field(
        {
            "type": "object",
            "properties": {"id": {"type": "integer", "nullable": True}, "name": {"type": "string"}},
        }
    )
    def get_customer(self, violation: Violation) -> dict[str, Any]:
        """The customer's id only for those who see it in full; its name for everyone."""
        visible = violation.customer_id in self.context["visible_ids"]
        return {"id": violation.customer_id if visible else None, "name": violation.customer.name}

    def get_kind_text(self, violation: Violation) -> str:
        return str(Violation.Kind(violation.kind).label)

    def get_counts(self, violation: Violation) -> bool:
        """Whether its points count: confirmed by a reviewer."""
        return violation.status == Violation.Status.CONFIRMED

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_collision(self, violation: Violation) -> int | None:
        return violation.collision_id

    @extend_schema_field({"type": "object", "additionalProperties": True})
    def get_evidence(self, violation: Violation) -> dict[str, Any]:
        return dict(violation.evidence)


def _body(user: User, violation: Violation) -> dict[str, Any]:
    visible = visible_customer_ids(user, [violation.customer_id])
    return dict(ViolationSerializer(violation, context={"visible_ids": visible}).data)


class ViolationList(generics.ListAPIView[Violation]):
    """Violations you may see, newest first: yours; a manager's team trees'; directors and
    admins all. Filter by `status`, `kind` or `offender`."""

    serializer_class = ViolationSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=Violation.Status.values),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=Violation.Kind.values),
            OpenApiParameter("offender", OBJECT_ID),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rows = self.paginate_queryset(self.get_queryset())
        assert rows is not None  # the API always paginates
        visible = visible_customer_ids(viewer(request), (row.customer_id for row in rows))
        data = ViolationSerializer(rows, many=True, context={"visible_ids": visible}).data
        return self.get_paginated_response(data)

    def get_queryset(self) -> QuerySet[Violation]:
        rows = violations_visible_to(viewer(self.request))
        params = self.request.query_params
        # A parameter given empty is refused like any other value outside its choices.
        if (wanted := params.get("status")) is not None:
            if wanted not in Violation.Status.values:
                raise bad_parameter("status", _("Choose open, confirmed or dismissed."))
            rows = rows.filter(status=wanted)
        if (kind := params.get("kind")) is not None:
            if kind not in Violation.Kind.values:
                raise bad_parameter("kind", _("Unknown kind of violation."))
            rows = rows.filter(kind=kind)
        if (offender := params.get("offender")) is not None:
            if not is_object_id(offender):
                raise bad_parameter("offender", _("Give a user id."))
            rows = rows.filter(offender_id=int(offender))
        return rows.order_by("-at", "-pk")


class ViolationDetail(APIView):
    """One violation with its evidence."""

    @extend_schema(responses=ViolationSerializer)
    def get(self, request: Request, violation_id: int) -> Response:
        user = viewer(request)
        return Response(_body(user, violations_visible_to(user).get(pk=violation_id)))


class ReviewInputSerializer(StrictSerializer):
    decision = serializers.ChoiceField(
        [
            (ReviewDecision.CONFIRM.value, _("confirm")),
            (ReviewDecision.DISMISS.value, _("dismiss")),
        ],
        help_text="confirm: its points count; dismiss: it was not a violation (say why).",
    )
    note = serializers.CharField(
        max_length=2000,
        allow_blank=True,
        default="",
        help_text="Why; required to dismiss.",
    )


class ViolationReview(APIView):
    """Confirm or dismiss a violation (a manager over the offender, a director or an admin).
    Confirmed, its points count; a dismissal needs a `note`. Reviewed once."""

    @extend_schema(request=ReviewInputSerializer, responses=ViolationSerializer)
    def post(self, request: Request, violation_id: int) -> Response:
        user = viewer(request)
        violation = violations_visible_to(user).get(pk=violation_id)  # 404 unless seen
        if not may_review(user, violation.offender_id):
            raise PermissionDenied(_("Only a manager over the offender reviews a violation."))
        incoming = ReviewInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            violation_review(
                user=user, violation_id=violation_id, decision=data["decision"], note=data["note"]
            )
        except ViolationRefused as refused:
            raise Problem(
                status_code=status.HTTP_409_CONFLICT,
                code=refused.code,
                title=_("Refused by the review rules."),
                detail=refused.message,
            ) from None
        return Response(_body(user, violations_visible_to(user).get(pk=violation_id)))
