"""Registration (报备) and the duplicate check before it.

A refusal is 409: `owned_by_other` (a collision, recorded), `already_yours`, `in_pool`, or
`possible_duplicates` (resend with `confirm_distinct: true` once checked).
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from guishu.api import idempotency
from guishu.api.common import MomentField, StrictSerializer, refusal, trace_text, viewer
from guishu.api.customers import (
    CustomerFieldsSerializer,
    CustomerSerializer,
    as_input,
    customer_body,
    visible_customer,
)
from guishu.api.errors import Problem
from guishu.api.matches import MatchSerializer, matches_body
from guishu.customers.inputs import ContactInput
from guishu.customers.models import Contact
from guishu.ownership.matches import customer_precheck
from guishu.ownership.registration import customer_register


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
