"""Privacy requests (PIPL / GDPR), for administrators: list them with their due dates, open
one for a contact, download the export (JSON or CSV), erase the contact.

Everyone else gets 403, like the other administrators' endpoints. An erasure needs
`{"confirm": true}`: it cannot be undone.
"""

from typing import Any

from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from guishu.api.common import PersonSerializer, StrictSerializer, viewer
from guishu.api.errors import Problem
from guishu.api.people import IsAdmin
from guishu.privacy.downloads import FORMATS, export_response
from guishu.privacy.models import PrivacyRequest
from guishu.privacy.services import (
    privacy_erase,
    privacy_export,
    privacy_request_open,
    privacy_requests_for,
)

ADMINS = [permissions.IsAuthenticated, IsAdmin]


class PrivacyRequestSerializer(serializers.ModelSerializer[PrivacyRequest]):
    opened_by = PersonSerializer(read_only=True)
    handled_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = PrivacyRequest
        fields = [
            "id",
            "kind",
            "status",
            "contact",
            "customer",
            "subject",
            "received_at",
            "due_on",
            "note",
            "opened_by",
            "handled_by",
            "handled_at",
            "audit",
        ]
        read_only_fields = fields


class OpenInput(StrictSerializer):
    contact = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=PrivacyRequest.Kind.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    received_at = serializers.DateTimeField(required=False)


class ExportInput(StrictSerializer):
    format = serializers.ChoiceField(choices=FORMATS, default="json")


class EraseInput(StrictSerializer):
    confirm = serializers.BooleanField()


def _request_or_404(request_id: int) -> PrivacyRequest:
    found = PrivacyRequest.objects.filter(pk=request_id).first()
    if found is None:
        raise Http404
    return found


class PrivacyRequestList(generics.ListAPIView[PrivacyRequest]):
    """Privacy requests, open ones first and the earliest due first (GET); open one (POST)."""

    permission_classes = ADMINS
    serializer_class = PrivacyRequestSerializer

    def get_queryset(self) -> Any:
        return privacy_requests_for(viewer(self.request))

    @extend_schema(request=OpenInput, responses={201: PrivacyRequestSerializer})
    def post(self, request: Request) -> Response:
        data = OpenInput(data=request.data)
        data.is_valid(raise_exception=True)
        opened = privacy_request_open(
            user=viewer(request),
            contact_id=data.validated_data["contact"],
            kind=data.validated_data["kind"],
            note=data.validated_data.get("note", ""),
            received_at=data.validated_data.get("received_at"),
        )
        return Response(PrivacyRequestSerializer(opened).data, status=status.HTTP_201_CREATED)


class PrivacyRequestDetail(APIView):
    """One privacy request, with its audit."""

    permission_classes = ADMINS

    @extend_schema(responses={200: PrivacyRequestSerializer})
    def get(self, request: Request, request_id: int) -> Response:
        return Response(PrivacyRequestSerializer(_request_or_404(request_id)).data)


class PrivacyExport(APIView):
    """Everything held about the request's contact, as JSON or CSV (`format`), in one file.
    Closes an export request; recorded in the audit either way."""

    permission_classes = ADMINS

    @extend_schema(
        request=ExportInput,
        responses={200: OpenApiResponse(OpenApiTypes.BINARY, description="The export.")},
    )
    def post(self, request: Request, request_id: int) -> HttpResponse:
        data = ExportInput(data=request.data)
        data.is_valid(raise_exception=True)
        _request_or_404(request_id)
        export = privacy_export(user=viewer(request), request_id=request_id)
        return export_response(export, data.validated_data["format"])


class PrivacyErase(APIView):
    """Erases the request's contact everywhere (see docs/privacy.md). Needs `confirm: true`."""

    permission_classes = ADMINS

    @extend_schema(request=EraseInput, responses={200: PrivacyRequestSerializer})
    def post(self, request: Request, request_id: int) -> Response:
        data = EraseInput(data=request.data)
        data.is_valid(raise_exception=True)
        if not data.validated_data["confirm"]:
            raise Problem(
                status_code=status.HTTP_400_BAD_REQUEST,
                code="not_confirmed",
                title=_("Confirm the erasure: it cannot be undone."),
            )
        _request_or_404(request_id)
        erased = privacy_erase(user=viewer(request), request_id=request_id)
        return Response(PrivacyRequestSerializer(erased).data)
