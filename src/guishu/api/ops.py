"""Operations for administrators: readiness, the workers' heartbeats, and the last day's
slow requests and failed tasks, per route or task and per hour."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from guishu.api.people import IsAdmin
from guishu.ops.report import health_report


class OpsHealth(APIView):
    """Readiness (as /readyz), the workers' heartbeats, and the counts of slow requests and
    failed tasks of the last 24 hours. Administrators only."""

    permission_classes = [permissions.IsAuthenticated, IsAdmin]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        return Response(health_report())
