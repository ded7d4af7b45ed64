"""Customers: the list a user may see, one customer in full, profile edits, and lookups.

Reads go through the ownership selectors, which apply visibility: another rep's customer
answers 404 exactly like one that does not exist. Ownership is never written here.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from guishu.accounts.models import User
from guishu.api.common import (
    OBJECT_ID,
    PersonSerializer,
    StrictSerializer,
    is_object_id,
    viewer,
)
from guishu.api.errors import Problem, bad_parameter
from guishu.api.matches import matches_body
from guishu.customers.inputs import CustomerInput
from guishu.customers.masking import mask_value
from guishu.customers.models import Customer, Identifier
from guishu.customers.services import IDENTIFIER_FIELDS, PROFILE_FIELDS, customer_update
from guishu.ownership.policies import PoliciesByTeam, policy_in_force
from guishu.ownership.selectors import (
    contact_details_hidden,
    customer_for_viewer,
    customers_visible_to,
    reclaim_forecast_of,
)
from guishu.web.trace import reclaim_rule

ORDERINGS = {
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
    "created_at": ("created_at", "pk"),
    "-created_at": ("-created_at", "-pk"),
    "protected_until": ("protected_until", "pk"),
    "-protected_until": ("-protected_until", "-pk"),
}
SCOPES = ("visible", "mine", "team", "pool")


def visible_customer(request: Request, customer_id: int) -> Customer:
    """The customer if the viewer may see it in full; otherwise 404, as if it did not exist."""
    customer = customer_for_viewer(viewer(request), customer_id)
    if customer is None:
        raise NotFound(_("No such customer."))
    return customer


# --- output ---------------------------------------------------------------------------------


class ReclaimSerializer(serializers.Serializer[Any]):
    rule = serializers.CharField(help_text="no_follow_up or no_deal")
    rule_text = serializers.CharField()
    due_at = serializers.DateTimeField()
    warn_at = serializers.DateTimeField()


class CustomerSummarySerializer(serializers.Serializer[Customer]):
    """A customer in a list: who they are and who holds them; no contact details."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    level = serializers.CharField()
    country = serializers.CharField()
    region = serializers.CharField()
    city = serializers.CharField()
    industry = serializers.CharField()
    in_pool = serializers.SerializerMethodField()
    owner = serializers.SerializerMethodField()
    owner_since = serializers.DateTimeField(allow_null=True)
    protected_until = serializers.DateTimeField(allow_null=True)
    reclaim = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_in_pool(self, customer: Customer) -> bool:
        return getattr(customer, "owner_id", None) is None

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_owner(self, customer: Customer) -> dict[str, Any] | None:
        owner = self.context["owners"].get(getattr(customer, "owner_id", None))
        return PersonSerializer(owner).data if owner else None

    @extend_schema_field(ReclaimSerializer(allow_null=True))
    def get_reclaim(self, customer: Customer) -> dict[str, Any] | None:
        owner = self.context["owners"].get(getattr(customer, "owner_id", None))
        policies: PoliciesByTeam = self.context["policies"]
        forecast = reclaim_forecast_of(customer, policies.of(owner.team_id if owner else None))
        if forecast is None:
            return None
        return {
            "rule": forecast.rule.value,
            "rule_text": reclaim_rule(forecast.rule),
            "due_at": forecast.due_at,
            "warn_at": forecast.warn_at,
        }


def owners_of(customers: Any) -> dict[int, User]:
    """The owners of a page of customers annotated by `with_owner`, in one query."""
    ids = {getattr(c, "owner_id", None) for c in customers} - {None}
    return User.objects.select_related("team").in_bulk(ids)


class IdentifierItemSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    value = serializers.CharField()
    masked = serializers.BooleanField(help_text="True when the value is masked; see reveal.")


class CustomerSerializer(CustomerSummarySerializer):
    """One customer in full. Contact details are masked only on a pooled customer when the
    policy hides them before a claim (`contact_details_masked`)."""

    credit_code = serializers.CharField()
    address = serializers.CharField()
    # A field named like Field.source, which the stubs type as the attribute.
    source = serializers.CharField()  # type: ignore[assignment]
    notes = serializers.CharField()
    contact_details_masked = serializers.SerializerMethodField()
    identifiers = serializers.SerializerMethodField()

    def get_contact_details_masked(self, customer: Customer) -> bool:
        return contact_details_hidden(customer, self.context["policy"])

    @extend_schema_field(IdentifierItemSerializer(many=True))
    def get_identifiers(self, customer: Customer) -> list[dict[str, Any]]:
        hidden = contact_details_hidden(customer, self.context["policy"])
        items = []
        for item in customer.identifiers.order_by("kind", "pk"):
            masked = hidden and item.kind != Identifier.Kind.ALIAS
            value = mask_value(item.value) if masked else item.value
            items.append({"id": item.pk, "kind": item.kind, "value": value, "masked": masked})
        return items


def customer_body(customer: Customer) -> dict[str, Any]:
    context = {
        "owners": owners_of([customer]),
        "policy": policy_in_force(),
        "policies": PoliciesByTeam(),
    }
    return dict(CustomerSerializer(customer, context=context).data)


# --- input ----------------------------------------------------------------------------------


class CustomerFieldsSerializer(StrictSerializer):
    """The profile and identity signals a user may write; ownership is not among them."""

    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(Customer.Kind.choices, default=Customer.Kind.COMPANY)
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=200), max_length=50, default=list
    )
    phones = serializers.ListField(
        child=serializers.CharField(max_length=50), max_length=50, default=list
    )
    emails = serializers.ListField(
        child=serializers.CharField(max_length=200), max_length=50, default=list
    )
    websites = serializers.ListField(
        child=serializers.CharField(max_length=200), max_length=50, default=list
    )
    wechat_ids = serializers.ListField(
        child=serializers.CharField(max_length=100), max_length=50, default=list
    )
    whatsapp_ids = serializers.ListField(
        child=serializers.CharField(max_length=50), max_length=50, default=list
    )
    credit_code = serializers.CharField(max_length=30, allow_blank=True, default="")
    country = serializers.CharField(max_length=2, allow_blank=True, default="")
    region = serializers.CharField(max_length=100, allow_blank=True, default="")
    city = serializers.CharField(max_length=100, allow_blank=True, default="")
    address = serializers.CharField(max_length=300, allow_blank=True, default="")
    industry = serializers.CharField(max_length=100, allow_blank=True, default="")
    source = serializers.CharField(max_length=100, allow_blank=True, default="")  # type: ignore[assignment]
    level = serializers.ChoiceField(Customer.LevelChoice.choices, default=Customer.LevelChoice.C)
    notes = serializers.CharField(max_length=5000, allow_blank=True, default="")


def input_of(customer: Customer) -> dict[str, Any]:
    """A stored customer as CustomerInput keywords, so a PATCH can change a few of them."""
    values: dict[str, Any] = {name: getattr(customer, name) for name in PROFILE_FIELDS}
    for kind, attribute in IDENTIFIER_FIELDS:
        values[attribute] = tuple(
            customer.identifiers.filter(kind=kind).order_by("pk").values_list("value", flat=True)
        )
    return values


def as_input(values: dict[str, Any], contacts: tuple[Any, ...] = ()) -> CustomerInput:
    fields: dict[str, Any] = {name: values[name] for name in PROFILE_FIELDS if name in values}
    for _kind, attribute in IDENTIFIER_FIELDS:
        fields[attribute] = tuple(values.get(attribute, ()))
    return CustomerInput(**fields, contacts=contacts)


# --- endpoints ------------------------------------------------------------------------------


class CustomerList(generics.ListAPIView[Customer]):
    """Customers you may see in full: yours, your teams' (managers), all (directors, admins),
    and the pool. Filter by `scope`, `q` (name or other name), `level`, `country`, `owner`."""

    serializer_class = CustomerSummarySerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("scope", OpenApiTypes.STR, enum=SCOPES, description="default visible"),
            OpenApiParameter("q", OpenApiTypes.STR, description="part of a name or other name"),
            OpenApiParameter("level", OpenApiTypes.STR, enum=["A", "B", "C"]),
            OpenApiParameter("country", OpenApiTypes.STR, description="ISO code, e.g. CN"),
            OpenApiParameter("owner", OBJECT_ID, description="owner's user id"),
            OpenApiParameter("ordering", OpenApiTypes.STR, enum=list(ORDERINGS)),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Customer]:
        user = viewer(self.request)
        params = self.request.query_params
        customers = customers_visible_to(user)
        scope = params.get("scope", "visible")
        if scope not in SCOPES:
            raise bad_parameter("scope", _("Choose visible, mine, team or pool."))
        if scope == "mine":
            customers = customers.filter(Q(owner_id=user.pk))  # annotated by with_owner
        elif scope == "team":
            customers = customers.filter(Q(owner_id__isnull=False))
        elif scope == "pool":
            customers = customers.filter(Q(owner_id__isnull=True))
        if query := params.get("q", "").strip():
            aliases = Identifier.objects.filter(
                customer=OuterRef("pk"), kind=Identifier.Kind.ALIAS, value__icontains=query
            )
            customers = customers.filter(Q(name__icontains=query) | Exists(aliases))
        if (level := params.get("level")) is not None:
            if level not in ("A", "B", "C"):
                raise bad_parameter("level", _("Choose A, B or C."))
            customers = customers.filter(level=level)
        if country := params.get("country"):
            customers = customers.filter(country=country.upper())
        if (owner := params.get("owner")) is not None:
            if not is_object_id(owner):
                raise bad_parameter("owner", _("Give a user id."))
            customers = customers.filter(Q(owner_id=int(owner)))
        ordering = params.get("ordering", "name")
        if ordering not in ORDERINGS:
            raise bad_parameter("ordering", _("Unknown ordering."))
        return customers.order_by(*ORDERINGS[ordering])

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        return {**context, "policy": policy_in_force(), "policies": PoliciesByTeam()}

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # pagination is always on
        context = self.get_serializer_context() | {"owners": owners_of(page)}
        rows = CustomerSummarySerializer(page, many=True, context=context).data  # type: ignore[arg-type]
        return self.get_paginated_response(rows)


class CustomerPatchSerializer(CustomerFieldsSerializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, partial=True, **kwargs)


class CustomerDetail(APIView):
    """One customer in full, if you may see it; PATCH edits its profile and identity signals
    (owner or their manager). Ownership fields cannot be written here."""

    @extend_schema(responses=CustomerSerializer)
    def get(self, request: Request, customer_id: int) -> Response:
        return Response(customer_body(visible_customer(request, customer_id)))

    @extend_schema(request=CustomerFieldsSerializer, responses=CustomerSerializer)
    def patch(self, request: Request, customer_id: int) -> Response:
        customer = visible_customer(request, customer_id)
        incoming = CustomerPatchSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = input_of(customer) | dict(incoming.validated_data)
        try:
            result = customer_update(
                user=viewer(request), customer_id=customer.pk, data=as_input(values)
            )
        except PermissionDenied as refused:
            raise Problem(
                status_code=status.HTTP_403_FORBIDDEN,
                code="not_editable",
                title=_("You cannot edit this customer."),
                detail=str(refused),
            ) from None
        if not result.updated:
            raise Problem(
                status_code=status.HTTP_409_CONFLICT,
                code="identity_conflict",
                title=_("These details belong to another rep's customer."),
                detail=_("Nothing was changed; the attempt was recorded as a collision."),
                matches=matches_body(result.conflicts),
            )
        return Response(customer_body(visible_customer(request, customer.pk)))
