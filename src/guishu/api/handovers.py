"""Handovers (离职交接): a plan per departing or moving rep, its items, the check, and the
all-or-nothing execution. Each endpoint calls one service of guishu.ownership.handover.

Managers see the plans of the people in their team trees, directors and admins all, reps none
(404, like a plan that does not exist). A refused execution is 409 `handover_refused` with
the reasons per customer and per receiving rep; nothing was handed over.
"""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from guishu.accounts.models import User
from guishu.api import idempotency
from guishu.api.common import (
    EARLIEST,
    LATEST,
    MomentField,
    PersonSerializer,
    StrictSerializer,
    trace_text,
    viewer,
)
from guishu.api.errors import Problem, bad_parameter
from guishu.api.ownership import NoInputSerializer
from guishu.ownership.handover import (
    HandoverRefused,
    handover_cancel,
    handover_check,
    handover_draft,
    handover_execute,
    handover_item_set,
    handovers_visible_to,
)
from guishu.ownership.handover_check import HandoverCheck, ItemRefusal, ReceiverLoad
from guishu.ownership.models import HandoverItem, HandoverPlan

# --- input ----------------------------------------------------------------------------------


class DayField(serializers.DateField):
    """A calendar day between 1970 and 2100 (see MomentField)."""

    def to_internal_value(self, value: Any) -> Any:
        day = super().to_internal_value(value)
        if not EARLIEST.date() <= day < LATEST.date():
            raise serializers.ValidationError(_("Give a date between 1970 and 2100."))
        return day


class PlanInputSerializer(StrictSerializer):
    rep = serializers.IntegerField(min_value=1, help_text="The departing or moving rep.")
    effective_on = DayField(help_text="The company-local day it may be executed from.")
    reason = serializers.CharField(max_length=500, allow_blank=True, default="")
    to = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        help_text="Reassign every customer to this rep by default; without it, to the pool.",
    )


class ItemInputSerializer(StrictSerializer):
    choice = serializers.ChoiceField(HandoverItem.Choice.choices, required=False)
    to = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    collaborate_until = MomentField(
        required=False,
        allow_null=True,
        help_text="keep_as_collaborator: when the old owner's collaboration ends.",
    )


def _person(user_id: int | None, field: str, *, active: bool = True) -> User | None:
    if user_id is None:
        return None
    people = User.objects.filter(is_active=True) if active else User.objects.all()
    user = people.filter(pk=user_id).first()
    if user is None:
        raise serializers.ValidationError({field: [_("No such user.")]})
    return user


# --- output ---------------------------------------------------------------------------------


class CustomerRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ItemSerializer(serializers.ModelSerializer[HandoverItem]):
    customer = CustomerRefSerializer()
    to = PersonSerializer(allow_null=True)
    collaboration_id = serializers.IntegerField(allow_null=True)

    class Meta:
        model = HandoverItem
        fields = ["id", "customer", "choice", "to", "collaborate_until", "collaboration_id"]


class PlanSerializer(serializers.ModelSerializer[HandoverPlan]):
    rep = PersonSerializer()
    created_by = PersonSerializer()
    closed_by = PersonSerializer(allow_null=True)
    summary = serializers.SerializerMethodField()
    notes = serializers.SerializerMethodField()

    class Meta:
        model = HandoverPlan
        fields = [
            "id",
            "rep",
            "status",
            "effective_on",
            "reason",
            "created_by",
            "created_at",
            "closed_at",
            "closed_by",
            "summary",
            "notes",
        ]

    @extend_schema_field({"type": "object", "additionalProperties": True})
    def get_summary(self, plan: HandoverPlan) -> dict[str, Any]:
        return {key: value for key, value in plan.summary.items() if key != "notes"}

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_notes(self, plan: HandoverPlan) -> list[str]:
        """What the execution did, in plain words (empty until executed)."""
        return trace_text(plan.summary.get("notes", []))


class PlanDetailSerializer(PlanSerializer):
    items = serializers.SerializerMethodField()

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "items"]

    @extend_schema_field(ItemSerializer(many=True))
    def get_items(self, plan: HandoverPlan) -> Any:
        items = plan.items.select_related("customer", "to__team").order_by("customer__name", "pk")
        return ItemSerializer(items, many=True).data


class ReceiverSerializer(serializers.Serializer[ReceiverLoad]):
    rep = PersonSerializer()
    held = serializers.IntegerField()
    incoming = serializers.IntegerField()
    cap = serializers.IntegerField()
    locked = serializers.IntegerField()
    incoming_locked = serializers.IntegerField()
    lock_cap = serializers.IntegerField()
    fits = serializers.BooleanField()
    trace = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_trace(self, load: ReceiverLoad) -> list[str]:
        return trace_text(load.trace())


class RefusalSerializer(serializers.Serializer[ItemRefusal]):
    customer = serializers.SerializerMethodField()
    item_id = serializers.IntegerField(allow_null=True)
    code = serializers.CharField()
    trace = serializers.SerializerMethodField()

    @extend_schema_field(CustomerRefSerializer)
    def get_customer(self, refusal: ItemRefusal) -> dict[str, Any]:
        return {"id": refusal.customer_id, "name": refusal.customer_name}

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_trace(self, refusal: ItemRefusal) -> list[str]:
        return trace_text(refusal.trace)


class CheckSerializer(serializers.Serializer[HandoverCheck]):
    ok = serializers.BooleanField(help_text="Nothing stands in the way of the moves.")
    effective = serializers.BooleanField(help_text="The effective day has come.")
    executable_from = serializers.DateTimeField()
    receivers = ReceiverSerializer(many=True)
    refusals = RefusalSerializer(many=True)


def _refused(refused: HandoverRefused) -> Problem:
    return Problem(
        status_code=status.HTTP_409_CONFLICT,
        code=refused.code,
        title=_("The handover cannot do this now."),
        detail=refused.message,
        retry_at=refused.retry_at.isoformat() if refused.retry_at else None,
    )


def _plan(request: Request, plan_id: int) -> HandoverPlan:
    """The plan if the viewer may see it (else DoesNotExist: 404)."""
    return handovers_visible_to(viewer(request)).get(pk=plan_id)


def _no_input(request: Request) -> None:
    NoInputSerializer(data=request.data).is_valid(raise_exception=True)


def _detail(plan: HandoverPlan, status_code: int = status.HTTP_200_OK) -> Response:
    return Response(PlanDetailSerializer(plan).data, status=status_code)


# --- endpoints ------------------------------------------------------------------------------


class HandoverList(generics.ListAPIView[HandoverPlan]):
    """Handover plans you may see, newest first; POST drafts one for a rep in your team
    trees (directors and admins: anyone) with an item per customer the rep owns."""

    serializer_class = PlanSerializer

    @extend_schema(
        parameters=[OpenApiParameter("status", OpenApiTypes.STR, enum=HandoverPlan.Status.values)]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[HandoverPlan]:
        plans = handovers_visible_to(viewer(self.request))
        if (wanted := self.request.query_params.get("status")) is not None:
            if wanted not in HandoverPlan.Status.values:
                raise bad_parameter("status", _("Choose draft, executed or cancelled."))
            plans = plans.filter(status=wanted)
        return plans.order_by("-created_at", "-pk")

    @extend_schema(request=PlanInputSerializer, responses={201: PlanDetailSerializer})
    def post(self, request: Request) -> Response:
        incoming = PlanInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        rep = _person(data["rep"], "rep", active=False)  # a rep who left may be inactive
        assert rep is not None
        try:
            plan = handover_draft(
                user=viewer(request),
                rep=rep,
                effective_on=data["effective_on"],
                reason=data["reason"],
                to=_person(data.get("to"), "to"),
            )
        except HandoverRefused as refused:
            raise _refused(refused) from None
        return _detail(plan, status.HTTP_201_CREATED)


class HandoverDetail(APIView):
    """One plan with its items (one per customer)."""

    @extend_schema(responses=PlanDetailSerializer)
    def get(self, request: Request, plan_id: int) -> Response:
        return _detail(_plan(request, plan_id))


class HandoverItemDetail(APIView):
    """Set one customer's choice on a draft: `reassign` (to a rep), `pool`, or
    `keep_as_collaborator` (to a rep, and the old owner co-sells until `collaborate_until`)."""

    @extend_schema(request=ItemInputSerializer, responses=ItemSerializer)
    def patch(self, request: Request, plan_id: int, item_id: int) -> Response:
        item = _plan(request, plan_id).items.get(pk=item_id)
        incoming = ItemInputSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        choice = data.get("choice", item.choice)
        # Fields that no longer apply to a new choice fall away unless sent.
        to_id = data.get("to", item.to_id)
        until = data.get("collaborate_until", item.collaborate_until)
        if choice == HandoverItem.Choice.POOL and "to" not in data:
            to_id = None
        if choice != HandoverItem.Choice.KEEP_AS_COLLABORATOR and "collaborate_until" not in data:
            until = None
        try:
            item = handover_item_set(
                user=viewer(request),
                plan_id=plan_id,
                item_id=item.pk,
                choice=choice,
                to=_person(to_id, "to"),
                collaborate_until=until,
            )
        except HandoverRefused as refused:
            raise _refused(refused) from None
        item = HandoverItem.objects.select_related("customer", "to__team").get(pk=item.pk)
        return Response(ItemSerializer(item).data)


class HandoverCheckView(APIView):
    """Judge a draft without changing anything: each receiving rep's load against their
    caps, and every per-customer rule."""

    @extend_schema(request=NoInputSerializer, responses=CheckSerializer)
    def post(self, request: Request, plan_id: int) -> Response:
        _plan(request, plan_id)
        _no_input(request)
        try:
            check = handover_check(user=viewer(request), plan_id=plan_id)
        except HandoverRefused as refused:
            raise _refused(refused) from None
        return Response(CheckSerializer(check).data)


class HandoverExecute(APIView):
    """Execute a draft, all or nothing: every customer changes hands, or none does (409
    `handover_refused` with the reasons). Executing an executed plan changes nothing.
    Honours `Idempotency-Key`."""

    @extend_schema(
        request=NoInputSerializer,
        responses=PlanDetailSerializer,
        parameters=[idempotency.PARAMETER],
    )
    def post(self, request: Request, plan_id: int) -> Response:
        return idempotency.idempotent(
            f"handover-execute:{plan_id}", request, lambda: self._execute(request, plan_id)
        )

    def _execute(self, request: Request, plan_id: int) -> Response:
        _plan(request, plan_id)
        _no_input(request)
        try:
            outcome = handover_execute(user=viewer(request), plan_id=plan_id)
        except HandoverRefused as refused:
            raise _refused(refused) from None
        if outcome.check is not None:
            check = outcome.check
            lines = [line for refusal in check.refusals for line in trace_text(refusal.trace)]
            lines += [line for load in check.receivers for line in trace_text(load.trace())]
            raise Problem(
                status_code=status.HTTP_409_CONFLICT,
                code="handover_refused",
                title=_("Refused: nothing was handed over."),
                detail="; ".join(lines[:10]),
                refusals=RefusalSerializer(list(check.refusals), many=True).data,  # type: ignore[arg-type]
                receivers=ReceiverSerializer(list(check.receivers), many=True).data,  # type: ignore[arg-type]
            )
        return _detail(_plan(request, plan_id))


class HandoverCancel(APIView):
    """Cancel a draft (to draft it again, or because the rep stays)."""

    @extend_schema(request=NoInputSerializer, responses=PlanDetailSerializer)
    def post(self, request: Request, plan_id: int) -> Response:
        _plan(request, plan_id)
        _no_input(request)
        try:
            handover_cancel(user=viewer(request), plan_id=plan_id)
        except HandoverRefused as refused:
            raise _refused(refused) from None
        return _detail(_plan(request, plan_id))
