"""You, your colleagues, and (for admins) managing users and teams."""

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import generics, permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from guishu.accounts.models import Team, User
from guishu.accounts.selectors import managed_user_ids
from guishu.api.common import StrictModelSerializer, viewer
from guishu.domain import Role


class IsAdmin(permissions.BasePermission):
    """Configuration and users are the administrators' (role admin)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return isinstance(user, User) and user.role == Role.ADMIN


class ReadOrAdmin(permissions.BasePermission):
    """Anyone signed in reads; only administrators write."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return IsAdmin().has_permission(request, view)


class MeSerializer(serializers.ModelSerializer[User]):
    # Directors and administrators belong to no team.
    team: serializers.StringRelatedField[Team] = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = User
        fields = ["id", "username", "name", "display_name", "email", "role", "team", "language"]


class Me(APIView):
    """Who you are signed in as."""

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(viewer(request)).data)


class UserSerializer(StrictModelSerializer):
    """A user as administrators manage them. `password` is write-only and validated."""

    password = serializers.CharField(
        write_only=True, required=False, style={"input_type": "password"}
    )

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "display_name",
            "email",
            "role",
            "team",
            "language",
            "is_active",
            "password",
            "last_login",
            "date_joined",
        ]
        read_only_fields = ["id", "last_login", "date_joined"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        password = attrs.get("password")
        if password:
            candidate = self.instance or User(**{k: v for k, v in attrs.items() if k != "password"})
            try:
                validate_password(password, candidate)
            except DjangoValidationError as weak:
                raise serializers.ValidationError({"password": list(weak.messages)}) from None
        elif self.instance is None:
            raise serializers.ValidationError({"password": [_("A new user needs a password.")]})
        return attrs

    def create(self, validated_data: dict[str, Any]) -> User:
        password = validated_data.pop("password")
        user = User(**validated_data)
        user.set_password(password)
        user.save()
        return user

    def update(self, instance: User, validated_data: dict[str, Any]) -> User:
        password = validated_data.pop("password", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        if password:
            instance.set_password(password)
        instance.save()
        return instance


class ColleagueSerializer(serializers.ModelSerializer[User]):
    team: serializers.StringRelatedField[Team] = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = User
        fields = ["id", "name", "role", "team", "is_active"]


class UserList(generics.ListCreateAPIView[User]):
    """Colleagues: a rep sees their own team, a manager their team trees, directors and
    admins everyone. Administrators create users here."""

    permission_classes = [permissions.IsAuthenticated, ReadOrAdmin]

    # Administrators read users in full, everyone else reads colleagues: the list is either.
    @extend_schema(
        responses=PolymorphicProxySerializer(
            component_name="UserOrColleague",
            serializers=[UserSerializer, ColleagueSerializer],
            resource_type_field_name=None,
            many=True,
        )
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_serializer_class(self) -> type[serializers.BaseSerializer[User]]:
        if getattr(self, "swagger_fake_view", False):  # creating users is the admin's
            return UserSerializer
        user = viewer(self.request)
        return UserSerializer if user.role == Role.ADMIN else ColleagueSerializer

    def get_queryset(self) -> QuerySet[User]:
        if getattr(self, "swagger_fake_view", False):
            return User.objects.none()
        user = viewer(self.request)
        users = User.objects.select_related("team").order_by("username", "pk")
        manages = managed_user_ids(user)
        if manages is None:
            return users
        if user.role == Role.MANAGER:
            return users.filter(pk__in=manages)
        return users.filter(team_id=user.team_id) if user.team_id else users.filter(pk=user.pk)


class UserDetail(generics.RetrieveUpdateAPIView[User]):
    """Administrators change a user's role, team, language or password, or disable them
    (`is_active: false`), which ends their sessions and revokes their tokens."""

    permission_classes = [permissions.IsAuthenticated, IsAdmin]
    serializer_class = UserSerializer
    queryset = User.objects.select_related("team")
    lookup_url_kwarg = "user_id"
    http_method_names = ["get", "patch", "head", "options"]


class TeamSerializer(StrictModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name", "parent", "manager"]


class TeamList(generics.ListCreateAPIView[Team]):
    """The teams; administrators create them."""

    permission_classes = [permissions.IsAuthenticated, ReadOrAdmin]
    serializer_class = TeamSerializer
    queryset = Team.objects.order_by("name", "pk")


class TeamDetail(generics.RetrieveUpdateAPIView[Team]):
    permission_classes = [permissions.IsAuthenticated, ReadOrAdmin]
    serializer_class = TeamSerializer
    queryset = Team.objects.all()
    lookup_url_kwarg = "team_id"
    http_method_names = ["get", "patch", "head", "options"]
