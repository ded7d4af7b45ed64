"""A user's personal API tokens: create (the key is shown once), list, revoke."""

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from guishu.api.common import LATEST, StrictModelSerializer, viewer
from guishu.api.models import ApiToken

MAX_ACTIVE_TOKENS = 20


class TokenSerializer(StrictModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at"]
        read_only_fields = ["id", "prefix", "created_at", "last_used_at", "revoked_at"]

    def validate_expires_at(self, value: datetime | None) -> datetime | None:
        if value is not None and value <= timezone.now():
            raise serializers.ValidationError(_("The expiry must be in the future."))
        if value is not None and value >= LATEST:
            raise serializers.ValidationError(_("Give a date between 1970 and 2100."))
        return value


class NewTokenSerializer(TokenSerializer):
    key = serializers.CharField(
        read_only=True, help_text="The token itself. It is shown only in this response."
    )

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "key"]


class TokenList(generics.ListCreateAPIView[ApiToken]):
    """Your tokens, newest first; revoked ones stay listed with their revocation time."""

    serializer_class = TokenSerializer

    def get_queryset(self) -> QuerySet[ApiToken]:
        return ApiToken.objects.filter(user=viewer(self.request))

    @extend_schema(request=TokenSerializer, responses={201: NewTokenSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = TokenSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        active = ApiToken.objects.filter(user=viewer(request), revoked_at__isnull=True).count()
        if active >= MAX_ACTIVE_TOKENS:
            raise serializers.ValidationError(
                {"name": [_("Revoke a token first: at most %d may be active.") % MAX_ACTIVE_TOKENS]}
            )
        token, key = ApiToken.issue(
            user=viewer(request),
            name=incoming.validated_data["name"],
            expires_at=incoming.validated_data.get("expires_at"),
        )
        body = NewTokenSerializer(token).data | {"key": key}
        return Response(body, status=status.HTTP_201_CREATED)


class TokenDetail(generics.RetrieveDestroyAPIView[ApiToken]):
    """One of your tokens; DELETE revokes it (it stays listed, unusable)."""

    serializer_class = TokenSerializer

    def get_queryset(self) -> QuerySet[ApiToken]:
        return ApiToken.objects.filter(user=viewer(self.request))

    def perform_destroy(self, instance: ApiToken) -> None:
        if instance.revoked_at is None:
            instance.revoked_at = timezone.now()
            instance.save(update_fields=["revoked_at"])
