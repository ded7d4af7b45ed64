"""A customer's collaborators (协同人, technical support, assistant): who works it beside its
owner, and their credit shares. Whoever may see the customer sees the list; its owner, or a
manager over them, adds and ends collaborations and sets their shares. A collaborator sees the
customer in full while in force.
"""

from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from guishu.accounts.models import User
from guishu.api.common import MomentField, PersonSerializer, StrictSerializer, viewer
from guishu.api.customers import visible_customer
from guishu.api.errors import Problem
from guishu.disputes.collaboration import (
    CollaborationRefused,
    collaboration_add,
    collaboration_end,
    collaboration_share_set,
    collaborations_on,
)
from guishu.disputes.models import Collaboration


class CollaborationSerializer(serializers.ModelSerializer[Collaboration]):
    user = PersonSerializer()
    created_by = PersonSerializer()
    ended_by = PersonSerializer(allow_null=True)
    active = serializers.SerializerMethodField()
    share = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        read_only=True,
        help_text="Percent of the customer's revenue credited to the collaborator.",
    )
    dispute = serializers.PrimaryKeyRelatedField[Any](
        read_only=True, help_text="The dispute whose joint decision started it, if any."
    )

    class Meta:
        model = Collaboration
        fields = [
            "id",
            "user",
            "role",
            "started_at",
            "ends_at",
            "ended_at",
            "ended_by",
            "created_by",
            "reason",
            "share",
            "dispute",
            "active",
        ]

    def get_active(self, collaboration: Collaboration) -> bool:
        """In force now (a time-boxed one ends by itself at `ends_at`)."""
        ends_at = collaboration.ends_at
        return collaboration.ended_at is None and (ends_at is None or ends_at > timezone.now())


class CollaborationInputSerializer(StrictSerializer):
    user = serializers.IntegerField(min_value=1, help_text="The colleague who collaborates.")
    role = serializers.ChoiceField(Collaboration.Role.choices, default=Collaboration.Role.CO_SELLER)
    ends_at = MomentField(
        required=False, allow_null=True, help_text="Time-boxed: it ends by itself then."
    )
    reason = serializers.CharField(max_length=500, allow_blank=True, default="")
    share = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        required=False,
        allow_null=True,
        help_text="Credit share in percent; omitted or null: the role's template share.",
    )


class ShareInputSerializer(StrictSerializer):
    share = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        help_text="Credit share in percent. Orders already recorded keep their shares.",
    )


def _refused(refused: CollaborationRefused) -> Problem:
    return Problem(
        status_code=status.HTTP_409_CONFLICT,
        code=refused.code,
        title=_("Refused by the collaboration rules."),
        detail=refused.message,
    )


class CollaboratorList(APIView):
    """The customer's collaborations, in force or ended, newest first; POST adds one."""

    @extend_schema(responses=CollaborationSerializer(many=True))
    def get(self, request: Request, customer_id: int) -> Response:
        customer = visible_customer(request, customer_id)
        rows = CollaborationSerializer(collaborations_on(customer), many=True)
        return Response(rows.data)

    @extend_schema(request=CollaborationInputSerializer, responses={201: CollaborationSerializer})
    def post(self, request: Request, customer_id: int) -> Response:
        customer = visible_customer(request, customer_id)
        incoming = CollaborationInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data: dict[str, Any] = dict(incoming.validated_data)
        collaborator = User.objects.filter(pk=data["user"]).first()
        if collaborator is None:
            raise serializers.ValidationError({"user": [_("No such user.")]})
        try:
            collaboration = collaboration_add(
                user=viewer(request),
                customer_id=customer.pk,
                collaborator=collaborator,
                role=data["role"],
                ends_at=data.get("ends_at"),
                reason=data["reason"],
                share=data.get("share"),
            )
        except CollaborationRefused as refused:
            raise _refused(refused) from None
        row = collaborations_on(customer).get(pk=collaboration.pk)
        return Response(CollaborationSerializer(row).data, status=status.HTTP_201_CREATED)


class CollaboratorDetail(APIView):
    @extend_schema(request=ShareInputSerializer, responses={200: CollaborationSerializer})
    def patch(self, request: Request, customer_id: int, collaboration_id: int) -> Response:
        """Set the credit share of a collaboration in force (its customer's owner, or a
        manager over them); the collaborators in force may take at most 100 together."""
        customer = visible_customer(request, customer_id)
        if not customer.collaborations.active(timezone.now()).filter(pk=collaboration_id).exists():
            raise NotFound(_("No such collaboration in force."))
        incoming = ShareInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            collaboration_share_set(
                user=viewer(request),
                collaboration_id=collaboration_id,
                share=incoming.validated_data["share"],
            )
        except CollaborationRefused as refused:
            raise _refused(refused) from None
        row = collaborations_on(customer).get(pk=collaboration_id)
        return Response(CollaborationSerializer(row).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, customer_id: int, collaboration_id: int) -> Response:
        """End a collaboration in force (its customer's owner, or a manager over them)."""
        customer = visible_customer(request, customer_id)
        found = customer.collaborations.active(timezone.now()).filter(pk=collaboration_id)
        if not found.exists():
            raise NotFound(_("No such collaboration in force."))
        try:
            collaboration_end(user=viewer(request), collaboration_id=collaboration_id)
        except CollaborationRefused as refused:
            raise _refused(refused) from None
        return Response(status=status.HTTP_204_NO_CONTENT)
