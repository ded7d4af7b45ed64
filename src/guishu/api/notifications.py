"""Notifications: your inbox (everyone), and the group-chat channels and the deliveries'
fate (administrators).

An inbox entry reads in your language and names the customer; its id is given only while
you may see the customer in full (a former owner gets the name alone, like in a lookup).
Another person's notification answers 404. A channel's webhook address and signing secret
are credentials: accepted, never returned (`url_hint` shows which bot it is).
"""

from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, generics, permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from guishu.accounts.models import Team
from guishu.api.common import StrictModelSerializer, viewer
from guishu.api.errors import bad_parameter
from guishu.api.people import IsAdmin
from guishu.notifications import texts
from guishu.notifications.models import Channel, DeliveryAttempt, Digest, Kind, Notification
from guishu.notifications.selectors import deliveries_for_admins, inbox_of
from guishu.notifications.webhooks import url_problem
from guishu.ownership.selectors import customers_visible_to

ADMINS = [permissions.IsAuthenticated, IsAdmin]
CUSTOMER_REF = {
    "type": "object",
    "properties": {"id": {"type": "integer", "nullable": True}, "name": {"type": "string"}},
    "required": ["id", "name"],
}


# --- the inbox ------------------------------------------------------------------------------


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    text = serializers.SerializerMethodField()
    customer = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "customer", "created_at", "read_at"]

    def get_text(self, notification: Notification) -> str:
        return texts.render(notification.message, notification.params)

    @extend_schema_field(CUSTOMER_REF)
    def get_customer(self, notification: Notification) -> dict[str, Any]:
        visible = notification.customer_id in self.context["visible_ids"]
        return {
            "id": notification.customer_id if visible else None,
            "name": str(notification.params.get("customer", "")),
        }


def _rendered(request: Request, rows: list[Notification], many: bool) -> Any:
    """Serialized with the ids of the customers the reader may see now: one query a page."""
    ids = {row.customer_id for row in rows}
    visible = set(
        customers_visible_to(viewer(request)).filter(pk__in=ids).values_list("pk", flat=True)
    )
    context = {"request": request, "visible_ids": visible}
    return NotificationSerializer(rows if many else rows[0], many=many, context=context).data


class NotificationList(generics.ListAPIView[Notification]):
    """Your notifications, newest first; `unread=true` for those you have not read."""

    serializer_class = NotificationSerializer

    @extend_schema(
        parameters=[OpenApiParameter("unread", OpenApiTypes.STR, enum=["true", "false"])]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Notification]:
        unread = self.request.query_params.get("unread", "false")
        if unread not in ("true", "false"):
            raise bad_parameter("unread", _("Choose true or false."))
        return inbox_of(viewer(self.request), unread=unread == "true")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # pagination is always on
        return self.get_paginated_response(_rendered(request, list(page), many=True))


class NotificationRead(APIView):
    """Marks one of your notifications read (again: nothing changes)."""

    @extend_schema(request=None, responses=NotificationSerializer)
    def post(self, request: Request, notification_id: int) -> Response:
        notification = inbox_of(viewer(request)).filter(pk=notification_id).first()
        if notification is None:
            raise exceptions.NotFound()
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
        return Response(_rendered(request, [notification], many=False))


class ReadAllSerializer(serializers.Serializer[Any]):
    marked = serializers.IntegerField(help_text="How many were unread.")


class NotificationsReadAll(APIView):
    """Marks all your unread notifications read."""

    @extend_schema(request=None, responses=ReadAllSerializer)
    def post(self, request: Request) -> Response:
        marked = inbox_of(viewer(request), unread=True).update(read_at=timezone.now())
        return Response({"marked": marked})


# --- channels (administrators) --------------------------------------------------------------


class ChannelSerializer(StrictModelSerializer):
    url = serializers.CharField(
        write_only=True, max_length=500, help_text="The bot's webhook address (never shown)."
    )
    secret = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="DingTalk's 加签 or Feishu's 签名校验 secret (never shown); empty: none.",
    )
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), allow_null=True, required=False
    )
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=Kind.choices),
        required=False,
        max_length=len(Kind.choices),
        help_text="What the channel receives; empty: everything.",
    )
    url_hint = serializers.SerializerMethodField()
    signed = serializers.SerializerMethodField()

    class Meta:
        model = Channel
        fields = [
            "id",
            "name",
            "platform",
            "url",
            "secret",
            "team",
            "kinds",
            "language",
            "is_active",
            "url_hint",
            "signed",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]

    def get_url_hint(self, channel: Channel) -> str:
        """Which bot it is, without its key: the host and the last four characters."""
        host = channel.url.split("/")[2] if channel.url.count("/") >= 2 else ""
        return f"https://{host}/…{channel.url[-4:]}"

    def get_signed(self, channel: Channel) -> bool:
        return bool(channel.secret)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        current = self.instance
        platform = attrs.get("platform", current.platform if current else "")
        url = attrs.get("url", current.url if current else "")
        if "platform" in attrs or "url" in attrs:
            problem = url_problem(platform, url)
            if problem:
                raise serializers.ValidationError({"url": [problem]})
        secret = attrs.get("secret", current.secret if current else "")
        if platform == Channel.Platform.WECOM and secret:
            raise serializers.ValidationError(
                {"secret": [_("WeCom group bots are not signed: leave the secret empty.")]}
            )
        if "kinds" in attrs:
            attrs["kinds"] = sorted(set(attrs["kinds"]))
        return attrs


class ChannelList(generics.ListCreateAPIView[Channel]):
    """Group-chat channels: a company-wide one has no team; a team's also hears of its
    sub-teams. Administrators only."""

    permission_classes = ADMINS
    serializer_class = ChannelSerializer
    queryset = Channel.objects.order_by("name", "pk")


class ChannelDetail(generics.RetrieveUpdateDestroyAPIView[Channel]):
    permission_classes = ADMINS
    serializer_class = ChannelSerializer
    queryset = Channel.objects.all()
    lookup_url_kwarg = "channel_id"
    http_method_names = ["get", "patch", "delete", "head", "options"]


# --- deliveries (administrators) ------------------------------------------------------------


class AttemptSerializer(serializers.ModelSerializer[DeliveryAttempt]):
    class Meta:
        model = DeliveryAttempt
        fields = ["attempted_at", "outcome", "http_status", "error", "next_retry_at"]


class DeliverySerializer(serializers.ModelSerializer[Digest]):
    destination = serializers.SerializerMethodField()
    items = serializers.IntegerField(read_only=True, help_text="Notices in the message.")
    attempt_log = AttemptSerializer(many=True, read_only=True)

    class Meta:
        model = Digest
        fields = [
            "id",
            "destination",
            "status",
            "items",
            "attempts",
            "created_at",
            "next_attempt_at",
            "sent_at",
            "last_error",
            "attempt_log",
        ]

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "kind": {"type": "string", "enum": ["channel", "email"]},
                "id": {"type": "integer"},
                "name": {"type": "string"},
            },
            "required": ["kind", "id", "name"],
        }
    )
    def get_destination(self, digest: Digest) -> dict[str, Any]:
        if digest.channel is not None:
            return {"kind": "channel", "id": digest.channel.pk, "name": digest.channel.name}
        assert digest.user is not None
        return {"kind": "email", "id": digest.user.pk, "name": digest.user.name}


class DeliveryList(generics.ListAPIView[Digest]):
    """Every message sent or to be sent (a digest to a channel or someone's e-mail) with its
    attempts: failed for good first, then those waiting to be retried, then the rest.
    Administrators only; filter by `status`."""

    permission_classes = ADMINS
    serializer_class = DeliverySerializer

    @extend_schema(
        parameters=[OpenApiParameter("status", OpenApiTypes.STR, enum=Digest.Status.values)]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Digest]:
        rows = deliveries_for_admins().annotate(items=Count("deliveries"))
        if (status := self.request.query_params.get("status")) is not None:
            if status not in Digest.Status.values:
                raise bad_parameter("status", _("Unknown status."))
            rows = rows.filter(status=status)
        return rows
