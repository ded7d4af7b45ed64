"""A customer's contacts (its decision chain), and revealing a masked contact detail."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from guishu.api.common import StrictSerializer, viewer
from guishu.api.customers import visible_customer
from guishu.api.errors import Problem
from guishu.api.matches import matches_body
from guishu.api.registration import ContactFieldsSerializer
from guishu.customers.contacts import ContactResult, contact_add, contact_remove, contact_update
from guishu.customers.inputs import ContactInput
from guishu.customers.masking import mask_value
from guishu.customers.models import Contact, Customer
from guishu.customers.reveal import RevealLimitReached, masked_value_reveal
from guishu.ownership.policies import policy_in_force
from guishu.ownership.selectors import contact_details_hidden

MASKABLE = ("phone", "email", "wechat")
CONTACT_FIELDS = ("name", "title", "chain_role", "stance", "phone", "email", "wechat", "notes")


class ContactSerializer(serializers.ModelSerializer[Contact]):
    class Meta:
        model = Contact
        fields = [
            "id",
            "name",
            "title",
            "chain_role",
            "stance",
            "phone",
            "email",
            "wechat",
            "notes",
        ]


def contact_body(contact: Contact, hidden: bool) -> dict[str, Any]:
    body = dict(ContactSerializer(contact).data)
    if hidden:
        for name in MASKABLE:
            if body[name]:
                body[name] = mask_value(body[name])
    return body


class ContactInputSerializer(ContactFieldsSerializer):
    notes = serializers.CharField(max_length=5000, allow_blank=True, default="")


def _input(data: dict[str, Any]) -> ContactInput:
    data = dict(data)
    data.pop("notes", None)
    return ContactInput(**data)


def _answer(result: ContactResult, notes: str | None, created: bool) -> Response:
    if result.refused:
        raise Problem(
            status_code=status.HTTP_409_CONFLICT,
            code="identity_conflict",
            title=_("These details belong to another rep's customer."),
            detail=_("Nothing was changed; the attempt was recorded as a collision."),
            matches=matches_body(result.conflicts),
        )
    assert result.contact is not None
    if notes is not None and result.contact.notes != notes:
        result.contact.notes = notes  # notes are not identity signals: no check needed
        result.contact.save(update_fields=["notes"])
    return Response(
        contact_body(result.contact, hidden=False),
        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
    )


def _hidden(customer: Customer) -> bool:
    return contact_details_hidden(customer, policy_in_force())


class ContactList(APIView):
    """The customer's contacts; POST adds one (owner or their manager)."""

    @extend_schema(responses=ContactSerializer(many=True))
    def get(self, request: Request, customer_id: int) -> Response:
        customer = visible_customer(request, customer_id)
        hidden = _hidden(customer)
        return Response([contact_body(c, hidden) for c in customer.contacts.order_by("pk")])

    @extend_schema(request=ContactInputSerializer, responses={201: ContactSerializer})
    def post(self, request: Request, customer_id: int) -> Response:
        customer = visible_customer(request, customer_id)
        incoming = ContactInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        result = contact_add(user=viewer(request), customer_id=customer.pk, data=_input(data))
        return _answer(result, data.get("notes", ""), created=True)


def _visible_contact(request: Request, customer_id: int, contact_id: int) -> Contact:
    customer = visible_customer(request, customer_id)
    contact = customer.contacts.filter(pk=contact_id).first()
    if contact is None:
        raise NotFound(_("No such contact."))
    return contact


class ContactDetail(APIView):
    @extend_schema(responses=ContactSerializer)
    def get(self, request: Request, customer_id: int, contact_id: int) -> Response:
        contact = _visible_contact(request, customer_id, contact_id)
        return Response(contact_body(contact, _hidden(contact.customer)))

    @extend_schema(request=ContactInputSerializer, responses=ContactSerializer)
    def patch(self, request: Request, customer_id: int, contact_id: int) -> Response:
        contact = _visible_contact(request, customer_id, contact_id)
        incoming = ContactInputSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        current = {name: getattr(contact, name) for name in CONTACT_FIELDS}
        data = current | dict(incoming.validated_data)
        result = contact_update(user=viewer(request), contact_id=contact.pk, data=_input(data))
        return _answer(result, data["notes"], created=False)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, customer_id: int, contact_id: int) -> Response:
        contact = _visible_contact(request, customer_id, contact_id)
        contact_remove(user=viewer(request), contact_id=contact.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RevealSerializer(StrictSerializer):
    identifier = serializers.IntegerField(required=False)
    contact = serializers.IntegerField(required=False)
    field = serializers.ChoiceField(MASKABLE, required=False)


class RevealedSerializer(serializers.Serializer[Any]):
    value = serializers.CharField()


class Reveal(APIView):
    """Shows one masked value of a pooled customer whose details the policy hides until a
    claim. Each reveal is logged; there is a daily cap (`reveal_limit`, 429)."""

    @extend_schema(request=RevealSerializer, responses=RevealedSerializer)
    def post(self, request: Request, customer_id: int) -> Response:
        customer = visible_customer(request, customer_id)
        incoming = RevealSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            value = masked_value_reveal(
                user=viewer(request),
                customer_id=customer.pk,
                identifier_id=data.get("identifier"),
                contact_id=data.get("contact"),
                field=data.get("field", ""),
            )
        except RevealLimitReached as limit:
            raise Problem(
                status_code=status.HTTP_429_TOO_MANY_REQUESTS,
                code="reveal_limit",
                title=_("Daily reveal limit reached."),
                detail=str(limit),
                retry_at=limit.retry_at.isoformat(),
            ) from None
        return Response({"value": value})
