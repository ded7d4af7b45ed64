"""Policies: the one in force (for a team, at a date), its versions, changes, and what-if."""

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from guishu.accounts.models import Team, User
from guishu.accounts.selectors import managed_user_ids
from guishu.api.common import MomentField, PersonSerializer, StrictSerializer, viewer
from guishu.api.errors import Problem, bad_parameter
from guishu.domain import Role
from guishu.ownership.simulate import policy_simulate
from guishu.policies.models import PolicyVersion
from guishu.policies.services import may_edit, policy_errors, policy_version_save
from guishu.policies.store import values_in_force


class VersionSerializer(serializers.ModelSerializer[PolicyVersion]):
    created_by = PersonSerializer(read_only=True)
    team = serializers.PrimaryKeyRelatedField[Team](read_only=True, allow_null=True)

    class Meta:
        model = PolicyVersion
        fields = [
            "id",
            "team",
            "number",
            "effective_from",
            "values",
            "note",
            "created_by",
            "created_at",
        ]


class InForceSerializer(serializers.Serializer[Any]):
    team = serializers.IntegerField(allow_null=True)
    at = serializers.DateTimeField()
    values = serializers.DictField(help_text="Every setting, as stored.")
    versions = VersionSerializer(many=True, help_text="Where they come from: company first.")


def _team(value: Any, parameter: str = "team") -> Team | None:
    if value in (None, ""):
        return None
    team = Team.objects.filter(pk=value).first() if str(value).isdigit() else None
    if team is None:
        raise bad_parameter(parameter, _("No such team."))
    return team


class PolicyInForce(APIView):
    """The policy in force for a team (`team`, default the company's) at a moment (`at`,
    default now), with the versions it is made of."""

    @extend_schema(
        parameters=[
            OpenApiParameter("team", OpenApiTypes.INT),
            OpenApiParameter("at", OpenApiTypes.DATETIME),
        ],
        responses=InForceSerializer,
    )
    def get(self, request: Request) -> Response:
        team = _team(request.query_params.get("team"))
        at = timezone.now()
        if raw := request.query_params.get("at"):
            try:
                at = MomentField().to_internal_value(raw)
            except serializers.ValidationError:
                raise bad_parameter("at", _("Give a date and time.")) from None
        values, versions = values_in_force(team_id=team.pk if team else None, at=at)
        body = {"team": team.pk if team else None, "at": at, "values": values, "versions": versions}
        return Response(InForceSerializer(body).data)


class NewVersionSerializer(StrictSerializer):
    team = serializers.IntegerField(required=False, allow_null=True, default=None)
    values = serializers.DictField(help_text='The settings to change, e.g. {"max_held": 150}.')
    effective_from = MomentField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=2000, allow_blank=True, default="")


class PolicyVersionList(generics.ListAPIView[PolicyVersion]):
    """Every version of every policy, newest first (`team` to filter); POST saves a change
    (admins: any policy; managers: their teams')."""

    serializer_class = VersionSerializer

    @extend_schema(parameters=[OpenApiParameter("team", OpenApiTypes.INT)])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        rows = PolicyVersion.objects.select_related("created_by__team").order_by(
            "-created_at", "-pk"
        )
        if "team" in self.request.query_params:
            team = _team(self.request.query_params["team"])
            rows = rows.filter(team=team) if team else rows.filter(team__isnull=True)
        return rows

    @extend_schema(request=NewVersionSerializer, responses={201: VersionSerializer})
    def post(self, request: Request) -> Response:
        incoming = NewVersionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        version = policy_version_save(
            user=viewer(request),
            team=_team(data["team"]),
            values=dict(data["values"]),
            effective_from=data["effective_from"],
            note=data["note"],
        )
        return Response(VersionSerializer(version).data, status=status.HTTP_201_CREATED)


class SimulateSerializer(StrictSerializer):
    team = serializers.IntegerField(required=False, allow_null=True, default=None)
    values = serializers.DictField()
    on = MomentField(required=False, allow_null=True, default=None)


class ChangeSerializer(serializers.Serializer[Any]):
    action = serializers.CharField(help_text="reclaim or warn")
    effect = serializers.CharField(help_text="added (the candidate would) or removed")
    customer_id = serializers.IntegerField()
    customer_name = serializers.CharField()
    owner = PersonSerializer()
    team = serializers.IntegerField(allow_null=True)
    rule = serializers.CharField()
    due_at = serializers.DateTimeField()


class SimulationSerializer(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    current = serializers.DictField(child=serializers.IntegerField())
    candidate = serializers.DictField(child=serializers.IntegerField())
    changes = ChangeSerializer(many=True)


class PolicySimulate(APIView):
    """What a candidate change would reclaim or warn about, compared with the policy in force,
    at `on` (default now). Writes nothing. Managers see their teams' customers, directors and
    admins everyone's; reps may not simulate."""

    @extend_schema(request=SimulateSerializer, responses=SimulationSerializer)
    def post(self, request: Request) -> Response:
        user = viewer(request)
        if user.role == Role.REP:
            raise Problem(
                status_code=status.HTTP_403_FORBIDDEN,
                code="permission_denied",
                title=_("Permission denied."),
                detail=_("Only managers, directors and admins simulate policies."),
            )
        incoming = SimulateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        team = _team(data["team"])
        if user.role == Role.MANAGER and not may_edit(user, team):
            raise Problem(
                status_code=status.HTTP_403_FORBIDDEN,
                code="permission_denied",
                title=_("Permission denied."),
                detail=_("Managers simulate their own teams' policies."),
            )
        values = dict(data["values"])
        errors = policy_errors(values)
        if errors:
            raise serializers.ValidationError({"values": errors})
        on: datetime | None = data["on"]
        simulation = policy_simulate(values=values, team_id=team.pk if team else None, on=on)
        manages = managed_user_ids(user)
        changes = [
            c for c in simulation.changes if manages is None or c.planned.owner_id in manages
        ]
        owners = User.objects.select_related("team").in_bulk({c.planned.owner_id for c in changes})
        body = {
            "at": simulation.at,
            "current": dict(simulation.current),
            "candidate": dict(simulation.candidate),
            "changes": [
                {
                    "action": c.action,
                    "effect": c.effect,
                    "customer_id": c.planned.customer_id,
                    "customer_name": c.planned.customer_name,
                    "owner": owners[c.planned.owner_id],
                    "team": c.team_id,
                    "rule": c.planned.rule.value,
                    "due_at": c.planned.due_at,
                }
                for c in changes
            ],
        }
        return Response(SimulationSerializer(body).data)
