"""Who already has a customer like this one: match answers, and the search-box lookup.

Another rep's customer answers only "exists, owned by X", with no id and the contact details
in its reasons masked (the masking itself is guishu.ownership.matches').
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from guishu.accounts.models import User
from guishu.api.common import PersonSerializer, trace_text, viewer
from guishu.api.errors import bad_parameter
from guishu.customers.inputs import CustomerInput
from guishu.ownership.matches import MatchAnswer, customer_precheck


class MatchSerializer(serializers.Serializer[MatchAnswer]):
    """An existing customer that matches: visible ones by id; any other only as "exists,
    owned by X", with the contact details in its reasons masked."""

    customer_id = serializers.SerializerMethodField()
    name = serializers.CharField()
    verdict = serializers.SerializerMethodField()
    score = serializers.FloatField()
    status = serializers.SerializerMethodField()
    owner = serializers.SerializerMethodField()
    reasons = serializers.SerializerMethodField()

    def get_customer_id(self, answer: MatchAnswer) -> int | None:
        return answer.customer_id if answer.visible else None

    def get_verdict(self, answer: MatchAnswer) -> str:
        return answer.verdict.value

    def get_status(self, answer: MatchAnswer) -> str:
        return trace_text([answer.status])[0]

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_owner(self, answer: MatchAnswer) -> dict[str, Any] | None:
        owner = self.context.get("owners", {}).get(answer.owner_id)
        return PersonSerializer(owner).data if owner else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_reasons(self, answer: MatchAnswer) -> list[str]:
        return trace_text(answer.reasons)


def matches_body(answers: tuple[MatchAnswer, ...]) -> list[dict[str, Any]]:
    ids = {answer.owner_id for answer in answers} - {None}
    owners = User.objects.select_related("team").in_bulk(ids)
    rows = MatchSerializer(list(answers), many=True, context={"owners": owners})  # type: ignore[arg-type]
    return list(rows.data)


class LookupSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField(help_text="what the query was read as: name, phone, email…")
    matches = MatchSerializer(many=True)


class Lookup(APIView):
    """Search suggestions: who already has a customer with this name, phone, e-mail or
    website. Another rep's customer answers only "exists, owned by X", masked."""

    @extend_schema(
        parameters=[OpenApiParameter("q", OpenApiTypes.STR, required=True)],
        responses=LookupSerializer,
    )
    def get(self, request: Request) -> Response:
        query = request.query_params.get("q", "").strip()
        if not query or len(query) > 200:
            raise bad_parameter("q", _("Type 1 to 200 characters."))
        kind, data = read_query(query)
        answers = customer_precheck(user=viewer(request), data=data)
        return Response({"kind": kind, "matches": matches_body(answers)})


def read_query(query: str) -> tuple[str, CustomerInput]:
    """What a search box query most likely is, as the check's input."""
    digits = sum(ch.isdigit() for ch in query)
    if "@" in query:
        return "email", CustomerInput(name="", emails=(query,))
    if digits >= 7 and digits >= len(query.replace(" ", "")) * 0.7:
        return "phone", CustomerInput(name="", phones=(query,))
    if "." in query and " " not in query and not any("\u4e00" <= ch <= "\u9fff" for ch in query):
        return "website", CustomerInput(name="", websites=(query,))
    return "name", CustomerInput(name=query)
