"""The ownership policy in force, as the rules engine applies it (read-only for now)."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from guishu.ownership.policies import policy_in_force


class PolicySerializer(serializers.Serializer[Any]):
    protection_days = serializers.IntegerField()
    follow_up_reclaim_days = serializers.DictField(child=serializers.IntegerField())
    no_deal_reclaim_days = serializers.IntegerField()
    reclaim_warning_days = serializers.IntegerField()
    max_held = serializers.IntegerField()
    max_locked = serializers.IntegerField()
    daily_claim_limit = serializers.IntegerField()
    former_owner_cooldown_days = serializers.IntegerField()
    valid_follow_up_kinds = serializers.ListField(child=serializers.CharField())
    pool_contacts_hidden = serializers.BooleanField()
    reveals_per_day = serializers.IntegerField()
    timezone = serializers.CharField()


SCALARS = (
    "protection_days",
    "no_deal_reclaim_days",
    "reclaim_warning_days",
    "max_held",
    "max_locked",
    "daily_claim_limit",
    "former_owner_cooldown_days",
    "pool_contacts_hidden",
    "reveals_per_day",
    "timezone",
)


class PolicyInForce(APIView):
    @extend_schema(responses=PolicySerializer)
    def get(self, request: Request) -> Response:
        policy = policy_in_force()
        body: dict[str, Any] = {name: getattr(policy, name) for name in SCALARS}
        body["follow_up_reclaim_days"] = {
            level.value: days for level, days in policy.follow_up_reclaim_days.items()
        }
        body["valid_follow_up_kinds"] = sorted(policy.valid_follow_up_kinds)
        return Response(PolicySerializer(body).data)
