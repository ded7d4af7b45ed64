"""Registration (报备) and every change of hands: claim, release, transfer, assign, lock,
unlock; and "why is this customer owned by X?". Each endpoint calls one ownership service.

A refusal by the rules is 409 with the rule's code (`holding_cap`, `cool_down`, …), the
reasons in plain words and, where it applies, when the request would be allowed.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from guishu.accounts.models import User
from guishu.api import idempotency
from guishu.api.common import (
    PersonSerializer,
    StrictSerializer,
    refusal,
    trace_text,
    viewer,
)
from guishu.api.customers import (
    CustomerSummarySerializer,
    owners_of,
    visible_customer,
)
from guishu.customers.models import Customer
from guishu.ownership import services
from guishu.ownership.execute import OwnershipResult
from guishu.ownership.explain import customer_ownership_explain
from guishu.ownership.models import OwnershipEvent
from guishu.ownership.policies import PoliciesByTeam, policy_in_force
from guishu.ownership.selectors import with_owner
from guishu.web.trace import evidence_rows

F = TypeVar("F", bound=Callable[..., Any])


# --- changes of hands -----------------------------------------------------------------------


class ReasonSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=500, allow_blank=True, default="")


class ToUserSerializer(ReasonSerializer):
    to = serializers.IntegerField(help_text="The receiving rep's user id.")


class OwnershipChangeSerializer(serializers.Serializer[Any]):
    customer = CustomerSummarySerializer()
    trace = serializers.ListField(child=serializers.CharField())


def _colleague(user_id: int) -> User:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise serializers.ValidationError({"to": [_("No such active user.")]})
    return user


def _answer(request: Request, result: OwnershipResult) -> Response:
    if result.rejection is not None:
        extra = {"collision_id": result.collision.pk} if result.collision else {}
        raise refusal(result.rejection, **extra)
    # A summary, not the full customer: after a transfer the one who gave it away no longer
    # sees its contact details.
    customer = with_owner(Customer.objects.filter(pk=result.customer.pk)).get()
    context = {
        "owners": owners_of([customer]),
        "policy": policy_in_force(),
        "policies": PoliciesByTeam(),
    }
    body = {
        "customer": CustomerSummarySerializer(customer, context=context).data,
        "trace": trace_text(result.decision.trace),
    }
    return Response(body)


class _ChangeView(APIView):
    """One change of hands on a customer you may see; subclasses name the service."""

    input_serializer: type[serializers.Serializer[Any]] = ReasonSerializer
    endpoint = ""
    idempotent = False

    def act(self, request: Request, customer_id: int, data: dict[str, Any]) -> OwnershipResult:
        raise NotImplementedError

    def post(self, request: Request, customer_id: int) -> Response:
        def run() -> Response:
            visible_customer(request, customer_id)
            incoming = self.input_serializer(data=request.data)
            incoming.is_valid(raise_exception=True)
            return _answer(request, self.act(request, customer_id, dict(incoming.validated_data)))

        if self.idempotent:
            return idempotency.idempotent(f"{self.endpoint}:{customer_id}", request, run)
        return run()


def _schema(
    serializer: type[serializers.Serializer[Any]], idempotent: bool = False
) -> Callable[[F], F]:
    return extend_schema(
        request=serializer,
        responses=OwnershipChangeSerializer,
        parameters=[idempotency.PARAMETER] if idempotent else None,
    )


class Claim(_ChangeView):
    """Claim a pool customer, within your holding cap, daily claim cap and cool-down."""

    endpoint = "claim"
    idempotent = True

    @_schema(ReasonSerializer, idempotent=True)
    def post(self, request: Request, customer_id: int) -> Response:
        return super().post(request, customer_id)

    def act(self, request: Request, customer_id: int, data: dict[str, Any]) -> OwnershipResult:
        return services.pool_claim(user=viewer(request), customer_id=customer_id)


class Release(_ChangeView):
    """Return a customer to the pool (its owner, or a manager over them)."""

    endpoint = "release"

    @_schema(ReasonSerializer)
    def post(self, request: Request, customer_id: int) -> Response:
        return super().post(request, customer_id)

    def act(self, request: Request, customer_id: int, data: dict[str, Any]) -> OwnershipResult:
        return services.pool_release(
            user=viewer(request), customer_id=customer_id, reason=data["reason"]
        )


class Transfer(_ChangeView):
    """Hand a customer to another rep (its owner), or reassign it (a manager over both)."""

    endpoint = "transfer"
    input_serializer = ToUserSerializer
    idempotent = True

    @_schema(ToUserSerializer, idempotent=True)
    def post(self, request: Request, customer_id: int) -> Response:
        return super().post(request, customer_id)

    def act(self, request: Request, customer_id: int, data: dict[str, Any]) -> OwnershipResult:
        return services.customer_transfer(
            user=viewer(request),
            customer_id=customer_id,
            to=_colleague(data["to"]),
            reason=data["reason"],
        )


class Assign(_ChangeView):
    """Assign a pool customer to a rep in your team tree (managers)."""

    endpoint = "assign"
    input_serializer = ToUserSerializer
    idempotent = True

    @_schema(ToUserSerializer, idempotent=True)
    def post(self, request: Request, customer_id: int) -> Response:
        return super().post(request, customer_id)

    def act(self, request: Request, customer_id: int, data: dict[str, Any]) -> OwnershipResult:
        return services.customer_assign(
            user=viewer(request),
            customer_id=customer_id,
            to=_colleague(data["to"]),
            reason=data["reason"],
        )


class NoInputSerializer(StrictSerializer):
    pass


class Lock(_ChangeView):
    """Lock a key customer against reclaim, within the owner's lock cap."""

    endpoint = "lock"
    input_serializer = NoInputSerializer

    @_schema(NoInputSerializer)
    def post(self, request: Request, customer_id: int) -> Response:
        return super().post(request, customer_id)

    def act(self, request: Request, customer_id: int, data: dict[str, Any]) -> OwnershipResult:
        return services.customer_lock(user=viewer(request), customer_id=customer_id)


class ExtendProtection(_ChangeView):
    """Extend the protection by another period (the owner or a manager over them), as many
    times per term as the policy allows (`extensions_used` once spent)."""

    endpoint = "extend"
    input_serializer = NoInputSerializer

    @_schema(NoInputSerializer)
    def post(self, request: Request, customer_id: int) -> Response:
        return super().post(request, customer_id)

    def act(self, request: Request, customer_id: int, data: dict[str, Any]) -> OwnershipResult:
        return services.customer_protection_extend(user=viewer(request), customer_id=customer_id)


class Unlock(_ChangeView):
    endpoint = "unlock"
    input_serializer = NoInputSerializer

    @_schema(NoInputSerializer)
    def post(self, request: Request, customer_id: int) -> Response:
        return super().post(request, customer_id)

    def act(self, request: Request, customer_id: int, data: dict[str, Any]) -> OwnershipResult:
        return services.customer_unlock(user=viewer(request), customer_id=customer_id)


# --- why ------------------------------------------------------------------------------------


class EventSerializer(serializers.Serializer[OwnershipEvent]):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    at = serializers.DateTimeField()
    actor = PersonSerializer(allow_null=True)
    from_owner = PersonSerializer(allow_null=True)
    to_owner = PersonSerializer(allow_null=True)
    protected_until = serializers.DateTimeField(allow_null=True)
    trace = serializers.SerializerMethodField()

    def get_trace(self, event: OwnershipEvent) -> list[str]:
        return trace_text(event.trace)


class EvidenceSerializer(serializers.Serializer[Any]):
    label = serializers.CharField()  # type: ignore[assignment]  # Field.label, per the stubs
    value = serializers.CharField()


class ExplanationSerializer(serializers.Serializer[Any]):
    owner = PersonSerializer(allow_null=True)
    trace = serializers.ListField(child=serializers.CharField())
    evidence = EvidenceSerializer(many=True)
    reclaim_due_at = serializers.DateTimeField(allow_null=True)
    reclaim_rule = serializers.CharField(allow_null=True)
    reclaim_trace = serializers.ListField(child=serializers.CharField())
    reclaim_stoppers = serializers.ListField(
        child=serializers.CharField(), help_text="What would keep the customer past the due date."
    )
    history = EventSerializer(many=True)
    history_agrees = serializers.BooleanField(
        help_text="Replaying the history leads to the current owner (it always should)."
    )


class OwnershipExplain(APIView):
    """Why the customer is owned by whom: the rules, the evidence, the reclaim forecast, and
    every ownership event."""

    @extend_schema(responses=ExplanationSerializer)
    def get(self, request: Request, customer_id: int) -> Response:
        why = customer_ownership_explain(customer=visible_customer(request, customer_id))
        forecast = why.forecast
        body = {
            "owner": why.owner,
            "trace": trace_text(why.trace),
            "evidence": [{"label": k, "value": v} for k, v in evidence_rows(why.evidence)],
            "reclaim_due_at": forecast.due_at if forecast else None,
            "reclaim_rule": forecast.rule.value if forecast else None,
            "reclaim_trace": trace_text(forecast.trace) if forecast else [],
            "reclaim_stoppers": trace_text(why.stoppers),
            "history": why.history,
            "history_agrees": why.history_agrees,
        }
        return Response(ExplanationSerializer(body).data)
