"""Registration (报备) and every change of hands: claim, release, transfer, assign, lock,
unlock; and "why is this customer owned by X?". Each endpoint calls one ownership service.

A refusal by the rules is 409 with the rule's code (`holding_cap`, `cool_down`, …), the
reasons in plain words and, where it applies, when the request would be allowed.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from guishu.accounts.models import User
from guishu.api import idempotency
from guishu.api.common import (
    MomentField,
    PersonSerializer,
    StrictSerializer,
    refusal,
    trace_text,
    viewer,
)
from guishu.api.customers import (
    CustomerFieldsSerializer,
    CustomerSerializer,
    CustomerSummarySerializer,
    MatchSerializer,
    as_input,
    customer_body,
    matches_body,
    owners_of,
    visible_customer,
)
from guishu.api.errors import Problem
from guishu.customers.inputs import ContactInput
from guishu.customers.models import Contact, Customer
from guishu.ownership import services
from guishu.ownership.execute import OwnershipResult
from guishu.ownership.explain import customer_ownership_explain
from guishu.ownership.matches import customer_precheck
from guishu.ownership.models import OwnershipEvent
from guishu.ownership.policies import PoliciesByTeam, policy_in_force
from guishu.ownership.registration import customer_register
from guishu.ownership.selectors import with_owner
from guishu.web.trace import evidence_rows

# --- registration ---------------------------------------------------------------------------


class ContactFieldsSerializer(StrictSerializer):
    name = serializers.CharField(max_length=100)
    title = serializers.CharField(max_length=100, allow_blank=True, default="")
    chain_role = serializers.ChoiceField(Contact.ChainRole.choices, allow_blank=True, default="")
    stance = serializers.ChoiceField(Contact.Stance.choices, default=Contact.Stance.UNKNOWN)
    phone = serializers.CharField(max_length=50, allow_blank=True, default="")
    email = serializers.CharField(max_length=254, allow_blank=True, default="")
    wechat = serializers.CharField(max_length=100, allow_blank=True, default="")


class RegistrationSerializer(CustomerFieldsSerializer):
    contacts = ContactFieldsSerializer(many=True, default=list)
    first_contact_at = MomentField(required=False, allow_null=True)
    details_found_at = MomentField(required=False, allow_null=True)
    confirm_distinct = serializers.BooleanField(
        default=False,
        help_text="Send true after checking that the possible duplicates are other customers.",
    )


class PrecheckSerializer(CustomerFieldsSerializer):
    """The check as you type: every field optional, partial input welcome."""

    name = serializers.CharField(max_length=200, allow_blank=True, default="")
    contacts = ContactFieldsSerializer(many=True, default=list)


class RegisteredSerializer(serializers.Serializer[Any]):
    customer = CustomerSerializer()
    protected_until = serializers.DateTimeField(allow_null=True)
    trace = serializers.ListField(child=serializers.CharField())


def _registration_input(data: dict[str, Any]) -> Any:
    contacts = tuple(ContactInput(**contact) for contact in data.pop("contacts", []))
    return as_input(data, contacts)


class Precheck(APIView):
    """The duplicate check before registering: writes nothing."""

    @extend_schema(request=PrecheckSerializer, responses=MatchSerializer(many=True))
    def post(self, request: Request) -> Response:
        incoming = PrecheckSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        answers = customer_precheck(
            user=viewer(request), data=_registration_input(dict(incoming.validated_data))
        )
        return Response(matches_body(answers))


class Registration(APIView):
    """Registers a customer for you (201), or answers 409: `owned_by_other` (a collision,
    recorded), `already_yours`, `in_pool`, or `possible_duplicates` (resend with
    `confirm_distinct: true` once you have checked). Honours `Idempotency-Key`."""

    @extend_schema(
        request=RegistrationSerializer,
        responses={201: RegisteredSerializer},
        parameters=[idempotency.PARAMETER],
    )
    def post(self, request: Request) -> Response:
        return idempotency.idempotent("register", request, lambda: self._register(request))

    def _register(self, request: Request) -> Response:
        incoming = RegistrationSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        first_contact_at = data.pop("first_contact_at", None)
        details_found_at = data.pop("details_found_at", None)
        confirm_distinct = data.pop("confirm_distinct")
        result = customer_register(
            user=viewer(request),
            data=_registration_input(data),
            first_contact_at=first_contact_at,
            details_found_at=details_found_at,
            confirm_distinct=confirm_distinct,
        )
        if result.needs_confirmation:
            raise Problem(
                status_code=status.HTTP_409_CONFLICT,
                code="possible_duplicates",
                title=_("This may be a customer we already have."),
                detail=_(
                    "Check the matches; if none is this customer, send again with "
                    "confirm_distinct set to true."
                ),
                matches=matches_body(result.matches),
            )
        if result.rejection is not None:
            extra: dict[str, Any] = {"matches": matches_body(result.matches)}
            if result.collision is not None:
                extra["collision_id"] = result.collision.pk
            raise refusal(result.rejection, **extra)
        assert result.customer is not None and result.decision is not None
        protected_until = result.events[0].protected_until if result.events else None
        body = {
            "customer": customer_body(visible_customer(request, result.customer.pk)),
            "protected_until": serializers.DateTimeField().to_representation(protected_until)
            if protected_until
            else None,
            "trace": trace_text(result.decision.trace),
        }
        return Response(body, status=status.HTTP_201_CREATED)


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
