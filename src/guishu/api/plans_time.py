"""Weekly visit and call plans and time accounting (guishu.discipline, docs/discipline.md): a
rep's own, a manager's team trees', everyone's for directors and admins.
"""

from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from guishu.accounts.models import User
from guishu.api.common import (
    OBJECT_ID,
    StrictSerializer,
    trace_text,
    viewer,
)
from guishu.api.discipline import MAX_DAYS, date_param, id_param
from guishu.api.errors import bad_parameter
from guishu.discipline.models import (
    PlanItem,
    TimeEntry,
    WeeklyPlan,
)
from guishu.discipline.selectors import (
    people_in_view,
    plan_of,
    plan_progress,
    time_report,
)
from guishu.discipline.services import (
    plan_generate,
    time_entry_add,
)
from guishu.domain.planning import week_start_of
from guishu.domain.time_use import TimeAccount, Use

# Plans ---------------------------------------------------------------------------------


class WeeklyPlanItemSerializer(serializers.Serializer[Any]):
    customer = serializers.IntegerField()
    name = serializers.CharField()
    on = serializers.DateField()
    channel = serializers.ChoiceField(choices=PlanItem.Channel.values)
    why = serializers.CharField()
    done = serializers.BooleanField()
    reason = serializers.ListField(child=serializers.CharField())


class WeeklyPlanSerializer(serializers.Serializer[Any]):
    rep = serializers.IntegerField()
    week = serializers.DateField()
    capacity = serializers.IntegerField()
    planned_slots = serializers.IntegerField()
    left_out = serializers.IntegerField()
    generated_at = serializers.DateTimeField()
    reason = serializers.ListField(child=serializers.CharField())
    items = WeeklyPlanItemSerializer(many=True)
    done = serializers.IntegerField()
    missed = serializers.IntegerField()
    unplanned = serializers.IntegerField()
    completion = serializers.FloatField(allow_null=True)


def plan_body(plan: WeeklyPlan) -> dict[str, Any]:
    progress = plan_progress(plan)
    items = [
        {
            "customer": item.customer_id,
            "name": item.customer.name,
            "on": item.on,
            "channel": item.channel,
            "why": PlanItem.Why(item.why).name.lower(),
            "done": item.customer_id in progress.done_ids,
            "reason": trace_text(item.trace),
        }
        for item in plan.items.select_related("customer")
    ]
    data = {
        "rep": plan.rep_id,
        "week": plan.week_start,
        "capacity": plan.capacity,
        "planned_slots": plan.planned_slots,
        "left_out": plan.left_out,
        "generated_at": plan.generated_at,
        "reason": trace_text(plan.trace),
        "items": items,
        "done": progress.done,
        "missed": progress.missed,
        "unplanned": progress.unplanned,
        "completion": progress.completion,
    }
    return dict(WeeklyPlanSerializer(data).data)


def _monday(request: Request) -> date:
    this_week = week_start_of(timezone.now(), timezone.get_current_timezone_name())
    week = date_param(request, "week", this_week)
    return week - timedelta(days=week.weekday())


class PlanView(APIView):
    """A rep's weekly plan with plan vs actual: yours, or one of a rep you oversee; `week` is
    any day of the week (default this week). 404 when there is none or you may not see it."""

    @extend_schema(
        parameters=[OpenApiParameter("week", OpenApiTypes.DATE)],
        responses=WeeklyPlanSerializer,
    )
    def get(self, request: Request, rep_id: int) -> Response:
        plan = plan_of(viewer(request), rep_id, _monday(request))
        if plan is None:
            raise WeeklyPlan.DoesNotExist
        return Response(plan_body(plan))


class WeeklyPlanGenerateInput(StrictSerializer):
    week = serializers.DateField(required=False, help_text="A Monday; default this week.")


class PlanGenerate(APIView):
    """Generates (again) a rep's weekly plan: about 60% of their capacity from cadence,
    classification and reclaim forecasts. Yours, or one of a rep you oversee (else 404)."""

    @extend_schema(request=WeeklyPlanGenerateInput, responses={201: WeeklyPlanSerializer})
    def post(self, request: Request, rep_id: int) -> Response:
        user = viewer(request)
        if not people_in_view(user).filter(pk=rep_id).exists():
            raise User.DoesNotExist
        incoming = WeeklyPlanGenerateInput(data=request.data)
        incoming.is_valid(raise_exception=True)
        plan = plan_generate(
            user=user, rep_id=rep_id, week_start=incoming.validated_data.get("week")
        )
        return Response(plan_body(plan), status=status.HTTP_201_CREATED)


# Time ----------------------------------------------------------------------------------


class TimeEntrySerializer(serializers.ModelSerializer[TimeEntry]):
    class Meta:
        model = TimeEntry
        fields = ["id", "on", "use", "minutes", "note", "created_at"]


class TimeEntryInputSerializer(StrictSerializer):
    on = serializers.DateField()
    use = serializers.ChoiceField(choices=TimeEntry.Use.choices)
    minutes = serializers.IntegerField(min_value=1, max_value=1440)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class TimeEntryList(generics.ListAPIView[TimeEntry]):
    """Your own time entries, newest day first. POST adds one (travel, admin, internal
    meetings...; activities with customers count on their own)."""

    serializer_class = TimeEntrySerializer

    def get_queryset(self) -> Any:
        return TimeEntry.objects.filter(person=viewer(self.request)).order_by("-on", "-pk")

    @extend_schema(request=TimeEntryInputSerializer, responses={201: TimeEntrySerializer})
    def post(self, request: Request) -> Response:
        incoming = TimeEntryInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        entry = time_entry_add(user=viewer(request), **incoming.validated_data)
        return Response(TimeEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class TimeAccountSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    available_minutes = serializers.IntegerField()
    minutes = serializers.DictField(child=serializers.IntegerField())
    selling_percent = serializers.FloatField()
    unaccounted_minutes = serializers.IntegerField()
    reason = serializers.ListField(child=serializers.CharField())


class TimeAccountingSerializer(serializers.Serializer[Any]):
    first = serializers.DateField()
    last = serializers.DateField()
    working_days = serializers.IntegerField()
    benchmark = serializers.DictField(child=serializers.IntegerField())
    people = TimeAccountSerializer(many=True)
    team = TimeAccountSerializer()


def account_body(person_id: int | None, name: str, account: TimeAccount) -> dict[str, Any]:
    return {
        "id": person_id,
        "name": name,
        "available_minutes": account.available,
        "minutes": {use.value: account.minutes.get(use, 0) for use in Use},
        "selling_percent": account.selling_share,
        "unaccounted_minutes": account.unaccounted,
        "reason": trace_text(account.trace),
    }


class TimeAccounting(APIView):
    """Where time went, from `from` to `to` (company days; default the last 4 weeks), for
    you, or the people you oversee (`person` for one): selling vs service, admin, travel,
    internal meetings, against the 12% -> 22% benchmark."""

    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE),
            OpenApiParameter("to", OpenApiTypes.DATE),
            OpenApiParameter("person", OBJECT_ID),
        ],
        responses=TimeAccountingSerializer,
    )
    def get(self, request: Request) -> Response:
        from guishu.domain.time_use import TARGET_SELLING_PERCENT, TYPICAL_SELLING_PERCENT

        today = timezone.localdate()
        last = date_param(request, "to", today)
        first = date_param(request, "from", last - timedelta(days=27))
        if not timedelta(0) <= last - first < timedelta(days=MAX_DAYS):
            raise bad_parameter("from", _("Give a period of at most a year, from before to."))
        report = time_report(viewer(request), first, last, person_id=id_param(request, "person"))
        data = {
            "first": first,
            "last": last,
            "working_days": report.days,
            "benchmark": {"typical": TYPICAL_SELLING_PERCENT, "target": TARGET_SELLING_PERCENT},
            "people": [
                account_body(pk, report.people[pk], account)
                for pk, account in report.accounts.items()
            ],
            "team": account_body(None, str(_("Everyone shown")), report.team),
        }
        return Response(TimeAccountingSerializer(data).data)
