"""The sales pipeline (guishu.pipeline): the standard stages, a customer's opportunities, and
moving or closing one.

`GET /pipeline/stages/`; `GET|POST /customers/{id}/opportunities/` (404 unless you see the
customer in full); `POST /opportunities/{id}/advance/ {"stage": 3}` and
`POST /opportunities/{id}/close/ {"won": true}` (404 unless the opportunity is yours or your
team's). A stage whose required actions the customer's records do not show yet is refused
with 409 `required_actions_missing`, naming them in `missing`.
"""

from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from guishu.api.common import PersonSerializer, StrictSerializer, viewer
from guishu.api.customers import visible_customer
from guishu.api.errors import Problem
from guishu.pipeline.models import Opportunity, Stage
from guishu.pipeline.selectors import opportunities_visible_to
from guishu.pipeline.services import (
    PipelineRefused,
    opportunity_advance,
    opportunity_close,
    opportunity_open,
    stages_ensure_default,
)


class StageSerializer(serializers.ModelSerializer[Stage]):
    name = serializers.SerializerMethodField()

    class Meta:
        model = Stage
        fields = ["id", "name", "name_zh", "name_en", "position", "win_probability"]
        read_only_fields = fields

    def get_name(self, stage: Stage) -> str:
        return stage.name_in(translation.get_language())


class StageWithActionsSerializer(StageSerializer):
    required_kinds = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta(StageSerializer.Meta):
        fields = [*StageSerializer.Meta.fields, "required_kinds"]
        read_only_fields = fields


class OpportunitySerializer(serializers.ModelSerializer[Opportunity]):
    owner = PersonSerializer()
    stage = StageSerializer()

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "customer",
            "owner",
            "title",
            "amount",
            "currency",
            "stage",
            "status",
            "opened_at",
            "closed_at",
            "lost_reason",
        ]
        read_only_fields = fields


class OpportunityInputSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0"))
    currency = serializers.RegexField(r"^[A-Z]{3}$", default="CNY")


class AdvanceInputSerializer(StrictSerializer):
    stage = serializers.IntegerField(min_value=1)


class CloseInputSerializer(StrictSerializer):
    won = serializers.BooleanField()
    reason = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


def _refused(refused: PipelineRefused) -> Problem:
    extra = {"missing": refused.missing} if refused.missing else {}
    return Problem(
        status_code=status.HTTP_409_CONFLICT,
        code=refused.code,
        title=_("Refused by the pipeline rules."),
        detail=refused.message,
        **extra,
    )


def _visible(request: Request, opportunity_id: int) -> Opportunity:
    opportunity = opportunities_visible_to(viewer(request)).filter(pk=opportunity_id).first()
    if opportunity is None:
        raise NotFound(_("No such opportunity."))
    return opportunity


class StageList(APIView):
    """The stages in use, in order, with their win probability and required actions."""

    @extend_schema(responses=StageWithActionsSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(StageWithActionsSerializer(stages_ensure_default(), many=True).data)


class CustomerOpportunities(APIView):
    """A customer's opportunities, newest first; POST opens one at the first stage."""

    @extend_schema(responses=OpportunitySerializer(many=True))
    def get(self, request: Request, customer_id: int) -> Response:
        customer = visible_customer(request, customer_id)
        rows = Opportunity.objects.filter(customer=customer).select_related("owner__team", "stage")
        return Response(OpportunitySerializer(rows.order_by("-opened_at", "-pk"), many=True).data)

    @extend_schema(request=OpportunityInputSerializer, responses={201: OpportunitySerializer})
    def post(self, request: Request, customer_id: int) -> Response:
        customer = visible_customer(request, customer_id)
        incoming = OpportunityInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data: dict[str, Any] = dict(incoming.validated_data)
        try:
            opportunity = opportunity_open(user=viewer(request), customer=customer, **data)
        except PipelineRefused as refused:
            raise _refused(refused) from None
        return Response(OpportunitySerializer(opportunity).data, status=status.HTTP_201_CREATED)


class OpportunityAdvance(APIView):
    """Moves an open opportunity to another stage."""

    @extend_schema(request=AdvanceInputSerializer, responses=OpportunitySerializer)
    def post(self, request: Request, opportunity_id: int) -> Response:
        opportunity = _visible(request, opportunity_id)
        incoming = AdvanceInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        stage = Stage.objects.filter(pk=incoming.validated_data["stage"]).first()
        if stage is None:
            raise serializers.ValidationError({"stage": [_("No such stage.")]})
        try:
            moved = opportunity_advance(
                user=viewer(request), opportunity_id=opportunity.pk, stage=stage
            )
        except PipelineRefused as refused:
            raise _refused(refused) from None
        return Response(OpportunitySerializer(moved).data)


class OpportunityClose(APIView):
    """Closes an open opportunity as won or lost."""

    @extend_schema(request=CloseInputSerializer, responses=OpportunitySerializer)
    def post(self, request: Request, opportunity_id: int) -> Response:
        opportunity = _visible(request, opportunity_id)
        incoming = CloseInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            closed = opportunity_close(
                user=viewer(request),
                opportunity_id=opportunity.pk,
                won=incoming.validated_data["won"],
                reason=incoming.validated_data["reason"],
            )
        except PipelineRefused as refused:
            raise _refused(refused) from None
        return Response(OpportunitySerializer(closed).data)
