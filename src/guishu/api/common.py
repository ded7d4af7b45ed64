"""Pieces every endpoint shares: strict input, people, and ownership refusals as problems."""

from datetime import UTC, datetime
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers, status
from rest_framework.request import Request

from guishu.accounts.models import User
from guishu.api.errors import Problem
from guishu.domain import Rejection
from guishu.web.trace import translate_trace

# A query parameter naming an object: ids are positive, and the lists refuse anything else.
OBJECT_ID = {"type": "integer", "minimum": 1}


def is_object_id(value: str) -> bool:
    """What OBJECT_ID allows. (`str.isdigit` alone passes "²", which `int` then refuses.)"""
    return value.isascii() and value.isdigit() and int(value) > 0


def viewer(request: Request) -> User:
    """The signed-in user of a request that passed IsAuthenticated."""
    user = request.user
    assert isinstance(user, User)  # nosec B101 # IsAuthenticated ran first; a bug otherwise
    return user


EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


class MomentField(serializers.DateTimeField):
    """A date and time a sales team could mean: 1970 to 2100.

    Outside that range nothing real happened, and very old dates cannot even be written back
    in RFC 3339 (before 1901 the company's zone had a local-mean-time offset with seconds).
    """

    def to_internal_value(self, value: Any) -> datetime:
        moment = super().to_internal_value(value)
        if not EARLIEST <= moment < LATEST:
            raise serializers.ValidationError(_("Give a date between 1970 and 2100."))
        return moment


class StrictSerializer(serializers.Serializer[Any]):
    """Refuses fields it does not declare (and read-only ones), instead of ignoring them.

    Ignoring `owner` or `protected_until` in a request would look like it worked; saying so
    is the clear error a client needs, and proves nothing unknown was written.
    """

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data) - writable)
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("This field cannot be set here.")] for name in unknown}
                )
            not_text = sorted(
                name for name, value in data.items() if _text_field(self.fields.get(name), value)
            )
            if not_text:
                # DRF would quietly turn 42 into "42"; the schema says text, so say so.
                raise serializers.ValidationError(
                    {name: [_("Give text, not a number or a list.")] for name in not_text}
                )
        return super().to_internal_value(data)


def _text_field(field: Any, value: Any) -> bool:
    """Whether `value` is not text where `field` (or each item of a list field) wants text."""
    if isinstance(field, serializers.CharField):
        return value is not None and not isinstance(value, str)
    if isinstance(field, serializers.ListField) and isinstance(field.child, serializers.CharField):
        return isinstance(value, list) and any(not isinstance(item, str) for item in value)
    return False


class StrictModelSerializer(StrictSerializer, serializers.ModelSerializer[Any]):
    pass


class StrictSerializerSchema(OpenApiSerializerExtension):  # type: ignore[no-untyped-call]
    """The schema says what StrictSerializer enforces: a request naming a field the body does
    not declare is refused, so clients and schema-driven tests must not send one."""

    target_class = "guishu.api.common.StrictSerializer"
    match_subclasses = True

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        schema: dict[str, Any] = auto_schema._map_serializer(
            self.target, direction, bypass_extensions=True
        )
        if direction == "request":
            schema["additionalProperties"] = False
        return schema


class PersonSerializer(serializers.Serializer[User]):
    """Someone as colleagues see them: a name, a role and a team, nothing private."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    role = serializers.CharField(read_only=True)
    team = serializers.SerializerMethodField()

    def get_team(self, user: User) -> str | None:
        return user.team.name if user.team else None


def trace_text(lines: Any) -> list[str]:
    """Trace lines (engine lines, stored JSON or matching reasons) in the reader's language."""
    return [translate_trace(line) for line in lines]


def refusal(rejection: Rejection, **extra: Any) -> Problem:
    """An ownership rule said no: 409 with the rule's code, its plain-words trace, and when it
    would allow the request (if ever)."""
    return Problem(
        status_code=status.HTTP_409_CONFLICT,
        code=rejection.code.value,
        title=_("Refused by the ownership rules."),
        detail="; ".join(trace_text(rejection.trace)),
        trace=trace_text(rejection.trace),
        retry_at=rejection.retry_at.isoformat() if rejection.retry_at else None,
        **extra,
    )
