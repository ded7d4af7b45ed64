"""The conflict review (冲突复盘) for managers, directors and admins; reps get 403.

`GET /conflict-review/?start=2025-09-01&end=2025-09-30&team=3`: the collisions and disputes
of the days from `start` to `end` (both included, company time), per team and in total: by
action, how disputes ended and how fast, the overdue ones, repeat parties, the rules that
caused the most conflicts, and the violations found. A manager reviews their team trees
(`team` narrows to one of them); directors and admins everyone.
"""

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from guishu.api.common import EARLIEST, LATEST, OBJECT_ID, PersonSerializer, is_object_id, viewer
from guishu.api.errors import bad_parameter
from guishu.disputes.models import Collision, Dispute, Violation
from guishu.disputes.review import (
    ConflictReview,
    Figures,
    conflict_review,
    may_review_conflicts,
)
from guishu.matching.reasons import MESSAGES

MAX_DAYS = 3660
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


# --- output ---------------------------------------------------------------------------------


class ReviewTeamSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ActionCountSerializer(serializers.Serializer[Any]):
    action = serializers.ChoiceField(Collision.Action.choices)
    count = serializers.IntegerField()


class CollisionFiguresSerializer(serializers.Serializer[Any]):
    total = serializers.IntegerField()
    by_action = ActionCountSerializer(many=True)


class OutcomeSerializer(serializers.Serializer[Any]):
    option = serializers.ChoiceField(Dispute.Option.choices)
    settlement = serializers.ChoiceField(Dispute.Settlement.choices)
    count = serializers.IntegerField()


class HoursSerializer(serializers.Serializer[Any]):
    median = serializers.FloatField(allow_null=True)
    mean = serializers.FloatField(allow_null=True)


class DisputeFiguresSerializer(serializers.Serializer[Any]):
    opened = serializers.IntegerField(help_text="Disputes opened in the period.")
    decided = serializers.IntegerField(help_text="Disputes decided in the period.")
    overdue = serializers.IntegerField(
        help_text="Disputes still undecided past their decision date (at the period's end)."
    )
    hours_to_decision = HoursSerializer(
        help_text="From opening to the first decision, for the disputes decided in the period."
    )
    outcomes = OutcomeSerializer(many=True)


class PartySerializer(serializers.Serializer[Any]):
    person = PersonSerializer()
    collisions = serializers.IntegerField()
    disputes = serializers.IntegerField()


class RuleSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(
        [("trace", "trace"), ("reason", "reason")],
        help_text="trace: a line of the refusal; reason: a matching signal behind it.",
    )
    rule = serializers.CharField(help_text="The stable key: the line's template, or the code.")
    text = serializers.CharField(help_text="The rule in the reader's language.")
    collisions = serializers.IntegerField()


class ViolationCountSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(Violation.Kind.choices)
    status = serializers.ChoiceField(Violation.Status.choices)
    count = serializers.IntegerField()


class ViolationFiguresSerializer(serializers.Serializer[Any]):
    by_kind = ViolationCountSerializer(many=True)
    confirmed_points = serializers.IntegerField()


class FiguresSerializer(serializers.Serializer[Any]):
    collisions = CollisionFiguresSerializer()
    disputes = DisputeFiguresSerializer()
    repeat_parties = PartySerializer(many=True)
    rules = RuleSerializer(many=True)
    violations = ViolationFiguresSerializer()


class TeamFiguresSerializer(FiguresSerializer):
    team = ReviewTeamSerializer()


class ConflictReviewSerializer(serializers.Serializer[Any]):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    team = ReviewTeamSerializer(allow_null=True)
    total = FiguresSerializer()
    teams = TeamFiguresSerializer(many=True)


def rule_text(source: str, key: str) -> str:
    """A rule as the reader reads it: the template translated, its names left out."""
    template = key if source == "trace" else MESSAGES.get(key, key)
    return PLACEHOLDER.sub("…", gettext(template)) if template else key


def _figures(figures: Figures) -> dict[str, Any]:
    return {
        "collisions": {
            "total": figures.collisions_total,
            "by_action": [
                {"action": action, "count": figures.collisions.get(action, 0)}
                for action in Collision.Action.values
            ],
        },
        "disputes": {
            "opened": figures.disputes_opened,
            "decided": figures.decided,
            "overdue": figures.overdue,
            "hours_to_decision": {
                "median": figures.hours_to_decision_median,
                "mean": figures.hours_to_decision_mean,
            },
            "outcomes": [
                {"option": option, "settlement": settlement, "count": n}
                for (option, settlement), n in sorted(figures.outcomes.items())
            ],
        },
        "repeat_parties": [
            {"person": party.user, "collisions": party.collisions, "disputes": party.disputes}
            for party in figures.repeat_parties
        ],
        "rules": [
            {"kind": source, "rule": key, "text": rule_text(source, key), "collisions": n}
            for (source, key), n in sorted(
                figures.rules.items(), key=lambda item: (-item[1], item[0])
            )
        ],
        "violations": {
            "by_kind": [
                {"kind": kind, "status": status, "count": n}
                for (kind, status), n in sorted(figures.violations.items())
            ],
            "confirmed_points": figures.confirmed_points,
        },
    }


def review_body(review: ConflictReview) -> dict[str, Any]:
    def ref(team: Any) -> dict[str, Any] | None:
        return {"id": team.pk, "name": team.name} if team is not None else None

    return {
        "start": review.start,
        "end": review.end,
        "team": ref(review.team),
        "total": _figures(review.total),
        "teams": [{"team": ref(team), **_figures(figures)} for team, figures in review.teams],
    }


# --- input ----------------------------------------------------------------------------------


def _day(request: Request, name: str) -> date:
    text = request.query_params.get(name, "")
    try:
        day = date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        day = None
    if day is None or not EARLIEST.date() <= day < LATEST.date():
        raise bad_parameter(name, _("Give a date (YYYY-MM-DD) between 1970 and 2100."))
    return day


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


DAY = {"type": "string", "format": "date"}


class ConflictReviewView(APIView):
    """The conflict review of the days from `start` to `end` (both included, company time),
    per team and in total. Managers review their team trees, directors and admins everyone;
    `team` narrows it to one team and the teams below it."""

    @extend_schema(
        parameters=[
            OpenApiParameter("start", DAY, required=True, description="The first day."),
            OpenApiParameter("end", DAY, required=True, description="The last day, included."),
            OpenApiParameter("team", OBJECT_ID, description="One team (and those below it)."),
        ],
        responses=ConflictReviewSerializer,
    )
    def get(self, request: Request) -> Response:
        if not may_review_conflicts(viewer(request)):
            raise PermissionDenied(_("The conflict review is for managers and directors."))
        start, end = _day(request, "start"), _day(request, "end")
        if end < start or (end - start).days >= MAX_DAYS:
            raise bad_parameter("end", _("Give an end on or after the start, within ten years."))
        team = request.query_params.get("team")
        if team is not None and not is_object_id(team):
            raise bad_parameter("team", _("Give a team id."))
        try:
            review = conflict_review(
                viewer=viewer(request),
                start=_midnight(start),
                end=_midnight(end + timedelta(days=1)),
                team_id=int(team) if team is not None else None,
            )
        except ValidationError as error:
            if "team" in getattr(error, "error_dict", {}):
                raise bad_parameter("team", _("No such team.")) from None
            raise
        return Response(ConflictReviewSerializer(review_body(review)).data)
