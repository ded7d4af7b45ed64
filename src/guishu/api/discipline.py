"""Customer discipline: classification, cadence, complaints, weekly plans and time.

A rep sees their own customers, complaints, plan and time; a manager their team trees';
directors and admins everyone's. Another rep's customer answers 404, as if it did not exist.
Every figure comes with its reasons as trace lines in the reader's language.
"""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from guishu.accounts.models import User
from guishu.api.common import (
    OBJECT_ID,
    MomentField,
    PersonSerializer,
    StrictSerializer,
    is_object_id,
    trace_text,
    viewer,
)
from guishu.api.errors import Problem, bad_parameter
from guishu.customers.models import Customer
from guishu.discipline.models import (
    Classification,
    ClassificationChange,
    Complaint,
    PlanItem,
    TimeEntry,
    WeeklyPlan,
)
from guishu.discipline.selectors import (
    complaint_loyalty_for,
    complaints_visible_to,
    contact_dues,
    explained,
    people_in_view,
    plan_of,
    plan_progress,
    portfolio_for,
    time_report,
    too_many_to_judge,
)
from guishu.discipline.services import (
    ClassificationInput,
    ComplaintRefused,
    classifiable_customer,
    classification_evaluate,
    classification_set,
    complaint_open,
    complaint_resolve,
    plan_generate,
    time_entry_add,
)
from guishu.domain.planning import week_start_of
from guishu.domain.time_use import TimeAccount, Use
from guishu.ownership.selectors import customers_visible_to

HISTORY = 20
MAX_DAYS = 366


def _date_param(request: Request, name: str, default: date) -> date:
    value = request.query_params.get(name)
    if value is None:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise bad_parameter(name, _("Give a date as YYYY-MM-DD.")) from None


def _id_param(request: Request, name: str) -> int | None:
    value = request.query_params.get(name)
    if value is None:
        return None
    if not is_object_id(value):
        raise bad_parameter(name, _("Give a user id."))
    return int(value)


# Overdue ---------------------------------------------------------------------------------


class OverdueCustomerSerializer(serializers.Serializer[Any]):
    customer = serializers.IntegerField()
    name = serializers.CharField()
    level = serializers.CharField()
    owner = serializers.IntegerField()
    owner_name = serializers.CharField()
    strategy = serializers.CharField(allow_null=True)
    due = serializers.ChoiceField(choices=["cadence", "after_sales"])
    due_at = serializers.DateTimeField()
    days_overdue = serializers.IntegerField()
    reason = serializers.ListField(child=serializers.CharField())


class Overdue(generics.ListAPIView[Any]):
    """Customers overdue for contact as you see them (a rep their own, a manager their
    team's, or one person's of them with `owner`), most overdue first, each with its due date
    and the reason; paginated (every customer is judged, only the page is explained). Above
    GUISHU_LIST_JUDGE_LIMIT customers in view `owner` is required."""

    serializer_class = OverdueCustomerSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("owner", OpenApiTypes.INT, description="Only this person's customers.")
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        now = timezone.now()
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # nosec B101 # the API always paginates
        data = [
            {
                "customer": row.customer_id,
                "name": row.name,
                "level": row.level,
                "owner": row.owner_id,
                "owner_name": row.owner_name,
                "strategy": row.strategy.value if row.strategy else None,
                "due": row.status.due.value,
                "due_at": row.status.due_at,
                "days_overdue": row.status.days_overdue,
                "reason": trace_text(row.reason),
            }
            for row in explained(viewer(request), list(page), now)
        ]
        return self.get_paginated_response(OverdueCustomerSerializer(data, many=True).data)

    def get_queryset(self) -> Any:
        user, now = viewer(self.request), timezone.now()
        owner_id = None
        if (wanted := self.request.query_params.get("owner")) is not None:
            people = people_in_view(user)
            if not wanted.isdigit() or not people.filter(pk=int(wanted)).exists():
                raise bad_parameter("owner", _("Name yourself or someone you oversee."))
            owner_id = int(wanted)
        elif (count := too_many_to_judge(user)) is not None:
            raise bad_parameter(
                "owner",
                _("You oversee %(count)d customers: name whose to judge (owner).")
                % {"count": count},
            )
        return [due for due in contact_dues(user, now, owner_id=owner_id) if due.due_at <= now]


# Portfolio -------------------------------------------------------------------------------


class PortfolioPersonSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    minutes = serializers.DictField(child=serializers.IntegerField())


class PortfolioSerializer(serializers.Serializer[Any]):
    total = serializers.IntegerField()
    by_strategy = serializers.DictField(child=serializers.IntegerField())
    by_level = serializers.DictField(child=serializers.IntegerField())
    grid = serializers.DictField(child=serializers.DictField(child=serializers.IntegerField()))
    days = serializers.IntegerField()
    reps = PortfolioPersonSerializer(many=True)


class Portfolio(APIView):
    """Owned customers you see by engagement strategy (let_go, dig_in, give_up,
    unclassified) and potential, and the minutes the people you see spent with customers of
    each strategy over the last 30 days."""

    @extend_schema(responses=PortfolioSerializer)
    def get(self, request: Request) -> Response:
        days = 30
        portfolio = portfolio_for(viewer(request), days=days)
        data = {
            "total": portfolio.total,
            "by_strategy": dict(portfolio.by_strategy),
            "by_level": dict(portfolio.by_level),
            "grid": {level: dict(counts) for level, counts in portfolio.grid.items()},
            "days": days,
            "reps": [
                {"id": pk, "name": name, "minutes": dict(portfolio.minutes.get(pk, {}))}
                for pk, name in sorted(portfolio.people.items())
            ],
        }
        return Response(PortfolioSerializer(data).data)


# Classification --------------------------------------------------------------------------


class ClassificationChangeSerializer(serializers.Serializer[Any]):
    field = serializers.CharField()
    before = serializers.CharField()
    after = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    reason = serializers.ListField(child=serializers.CharField())
    note = serializers.CharField()
    at = serializers.DateTimeField()
    by = serializers.CharField(allow_null=True)


class ClassificationSerializer(serializers.Serializer[Any]):
    customer = serializers.IntegerField()
    potential = serializers.CharField()
    potential_source = serializers.ChoiceField(choices=["rule", "hand"])
    potential_reason = serializers.ListField(child=serializers.CharField())
    engagement = serializers.CharField(allow_null=True)
    engagement_type = serializers.IntegerField(allow_null=True)
    strategy = serializers.CharField(allow_null=True)
    engagement_reason = serializers.ListField(child=serializers.CharField())
    employees = serializers.IntegerField(allow_null=True)
    potential_estimate = serializers.DecimalField(16, 2, allow_null=True)
    monthly_volume = serializers.DecimalField(16, 2, allow_null=True)
    our_share = serializers.DecimalField(5, 2, allow_null=True)
    margin = serializers.DecimalField(5, 2, allow_null=True)
    note = serializers.CharField()
    evaluated_at = serializers.DateTimeField(allow_null=True)
    history = ClassificationChangeSerializer(many=True)


ENGAGEMENT_TYPES = {"earns": 1, "pushed": 2, "stuck": 3}


def classification_body(customer: Customer, row: Classification | None) -> dict[str, Any]:
    changes = ClassificationChange.objects.filter(customer=customer).select_related("by")
    history = [
        {
            "field": change.field,
            "before": change.before,
            "after": change.after,
            "source": change.source,
            "reason": trace_text(change.reason),
            "note": change.note,
            "at": change.at,
            "by": change.by.name if change.by else None,
        }
        for change in changes.order_by("-at", "-pk")[:HISTORY]
    ]
    body: dict[str, Any] = {
        "customer": customer.pk,
        "potential": customer.level,
        "potential_source": row.potential_source if row else "rule",
        "potential_reason": trace_text(row.potential_reason) if row else [],
        "engagement": (row.engagement or None) if row else None,
        "engagement_type": ENGAGEMENT_TYPES.get(row.engagement) if row else None,
        "strategy": (row.strategy or None) if row else None,
        "engagement_reason": trace_text(row.engagement_reason) if row else [],
        "note": row.note if row else "",
        "evaluated_at": row.evaluated_at if row else None,
        "history": history,
    }
    for name in ("employees", "potential_estimate", "monthly_volume", "our_share", "margin"):
        body[name] = getattr(row, name) if row else None
    return dict(ClassificationSerializer(body).data)


class ClassificationInputSerializer(StrictSerializer):
    employees = serializers.IntegerField(min_value=0, max_value=10_000_000, required=False)
    potential_estimate = serializers.DecimalField(
        16, 2, min_value=Decimal(0), max_value=Decimal("99999999999999"), required=False
    )
    monthly_volume = serializers.DecimalField(
        16, 2, min_value=Decimal(0), max_value=Decimal("99999999999999"), required=False
    )
    our_share = serializers.DecimalField(
        5, 2, min_value=Decimal(0), max_value=Decimal(100), required=False
    )
    margin = serializers.DecimalField(
        5, 2, min_value=Decimal(-100), max_value=Decimal(100), required=False
    )
    clear = serializers.ListField(
        child=serializers.ChoiceField(
            ["employees", "potential_estimate", "monthly_volume", "our_share", "margin"]
        ),
        required=False,
        max_length=5,
        help_text="Inputs to forget.",
    )
    potential = serializers.ChoiceField(
        ["A", "B", "C", "rule"],
        required=False,
        help_text="A, B or C: by hand (give a note); rule: back to the rule.",
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ClassificationView(APIView):
    """A customer's potential and engagement type, with their reasons, inputs and history.
    Its owner, a manager over the owner, directors and admins see and set it; anyone else
    gets 404. PATCH sets inputs and/or the potential by hand (with a note), then evaluates."""

    @extend_schema(responses=ClassificationSerializer)
    def get(self, request: Request, customer_id: int) -> Response:
        customer = classifiable_customer(viewer(request), customer_id)
        row = Classification.objects.filter(customer=customer).first()
        return Response(classification_body(customer, row))

    @extend_schema(request=ClassificationInputSerializer, responses=ClassificationSerializer)
    def patch(self, request: Request, customer_id: int) -> Response:
        user = viewer(request)
        classifiable_customer(user, customer_id)  # 404 first for those who may not see it
        incoming = ClassificationInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        data["clear"] = tuple(data.get("clear", ()))
        row = classification_set(
            user=user, customer_id=customer_id, data=ClassificationInput(**data)
        )
        return Response(classification_body(row.customer, row))


class ClassificationEvaluate(APIView):
    """Evaluates the rules now (a hand-set potential stands) and answers the result."""

    @extend_schema(request=None, responses=ClassificationSerializer)
    def post(self, request: Request, customer_id: int) -> Response:
        row = classification_evaluate(customer_id=customer_id, user=viewer(request))
        return Response(classification_body(row.customer, row))


# Complaints -----------------------------------------------------------------------------

CUSTOMER_REF = {
    "type": "object",
    "properties": {"id": {"type": "integer", "nullable": True}, "name": {"type": "string"}},
}


class ComplaintSerializer(serializers.ModelSerializer[Complaint]):
    customer = serializers.SerializerMethodField()
    handler = PersonSerializer(read_only=True)
    opened_by = PersonSerializer(read_only=True)
    closed_by = PersonSerializer(read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = [
            "id",
            "customer",
            "summary",
            "received_at",
            "handler",
            "deadline",
            "overdue",
            "status",
            "outcome",
            "closed_at",
            "closed_by",
            "opened_by",
        ]

    @extend_schema_field(CUSTOMER_REF)
    def get_customer(self, complaint: Complaint) -> dict[str, Any]:
        """The customer's id only for those who see it in full; its name for everyone."""
        visible = complaint.customer_id in self.context["visible_ids"]
        return {"id": complaint.customer_id if visible else None, "name": complaint.customer.name}

    def get_overdue(self, complaint: Complaint) -> bool:
        """Still open past its deadline."""
        return complaint.status == Complaint.Status.OPEN and complaint.deadline <= timezone.now()


def _visible_ids(user: User, complaints: list[Complaint]) -> frozenset[int]:
    wanted = {complaint.customer_id for complaint in complaints}
    if not wanted:
        return frozenset()
    return frozenset(customers_visible_to(user).filter(pk__in=wanted).values_list("pk", flat=True))


def complaint_body(user: User, complaint: Complaint) -> dict[str, Any]:
    context = {"visible_ids": _visible_ids(user, [complaint])}
    return dict(ComplaintSerializer(complaint, context=context).data)


class ComplaintInputSerializer(StrictSerializer):
    customer = serializers.IntegerField(min_value=1, max_value=2**53)
    summary = serializers.CharField(max_length=500)
    received_at = MomentField(required=False, help_text="When it came in; default now.")
    handler = serializers.IntegerField(
        min_value=1,
        max_value=2**53,
        required=False,
        help_text="Who answers for it: you, the owner or someone you manage (default: the owner).",
    )


class ComplaintList(generics.ListAPIView[Complaint]):
    """Complaints you see (on your customers, or handled by you or your team), newest first;
    filter by `status`. POST records one on a customer you own or oversee."""

    serializer_class = ComplaintSerializer

    @extend_schema(
        parameters=[OpenApiParameter("status", OpenApiTypes.STR, enum=Complaint.Status.values)]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rows = self.paginate_queryset(self.get_queryset())
        assert rows is not None  # nosec B101 # the API always paginates
        context = {"visible_ids": _visible_ids(viewer(request), list(rows))}
        return self.get_paginated_response(
            ComplaintSerializer(rows, many=True, context=context).data
        )

    def get_queryset(self) -> Any:
        rows = complaints_visible_to(viewer(self.request))
        if (wanted := self.request.query_params.get("status")) is not None:
            if wanted not in Complaint.Status.values:
                raise bad_parameter("status", _("Choose open, resolved or unresolved."))
            rows = rows.filter(status=wanted)
        return rows.order_by("-received_at", "-pk")

    @extend_schema(request=ComplaintInputSerializer, responses={201: ComplaintSerializer})
    def post(self, request: Request) -> Response:
        user = viewer(request)
        incoming = ComplaintInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            complaint = complaint_open(
                user=user,
                customer_id=data["customer"],
                summary=data["summary"],
                received_at=data.get("received_at"),
                handler_id=data.get("handler"),
            )
        except Customer.DoesNotExist:
            raise serializers.ValidationError(
                {"customer": [_("Choose a customer you own or oversee.")]}
            ) from None
        return Response(complaint_body(user, complaint), status=status.HTTP_201_CREATED)


class ComplaintDetail(APIView):
    """One complaint you see."""

    @extend_schema(responses=ComplaintSerializer)
    def get(self, request: Request, complaint_id: int) -> Response:
        user = viewer(request)
        return Response(complaint_body(user, complaints_visible_to(user).get(pk=complaint_id)))


class ComplaintResolveInputSerializer(StrictSerializer):
    outcome = serializers.CharField(max_length=5000)
    resolved = serializers.BooleanField(
        default=True, help_text="false closes it unresolved (the customer was not satisfied)."
    )


class ComplaintResolve(APIView):
    """Closes a complaint with its outcome, resolved or not: its handler or someone over
    them. A closed complaint answers 409 `already_closed`."""

    @extend_schema(request=ComplaintResolveInputSerializer, responses=ComplaintSerializer)
    def post(self, request: Request, complaint_id: int) -> Response:
        user = viewer(request)
        complaints_visible_to(user).get(pk=complaint_id)  # 404 unless seen
        incoming = ComplaintResolveInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            complaint = complaint_resolve(
                user=user,
                complaint_id=complaint_id,
                outcome=incoming.validated_data["outcome"],
                resolved=incoming.validated_data["resolved"],
            )
        except ComplaintRefused as refused:
            raise Problem(
                status_code=status.HTTP_409_CONFLICT,
                code=refused.code,
                title=_("Refused."),
                detail=refused.message,
            ) from None
        return Response(complaint_body(user, complaint))


class ComplaintLoyaltyGroupSerializer(serializers.Serializer[Any]):
    complaints = serializers.IntegerField()
    loyal = serializers.IntegerField()
    lost = serializers.IntegerField()
    waiting = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


class ComplaintLoyaltySerializer(serializers.Serializer[Any]):
    resolved = ComplaintLoyaltyGroupSerializer()
    unresolved = ComplaintLoyaltyGroupSerializer()
    reason = serializers.ListField(child=serializers.CharField())


def _group(group: Any) -> dict[str, Any]:
    return {
        "complaints": group.complaints,
        "loyal": group.loyal,
        "lost": group.lost,
        "waiting": group.waiting,
        "rate": group.rate,
    }


class ComplaintLoyalty(APIView):
    """Of the complaints you see, how many customers ordered again within 12 months: resolved
    vs unresolved (the benchmark: about 85% stay when solved well)."""

    @extend_schema(responses=ComplaintLoyaltySerializer)
    def get(self, request: Request) -> Response:
        loyalty = complaint_loyalty_for(viewer(request))
        data = {
            "resolved": _group(loyalty.resolved),
            "unresolved": _group(loyalty.unresolved),
            "reason": trace_text(loyalty.trace),
        }
        return Response(ComplaintLoyaltySerializer(data).data)


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
    week = _date_param(request, "week", this_week)
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
        last = _date_param(request, "to", today)
        first = _date_param(request, "from", last - timedelta(days=27))
        if not timedelta(0) <= last - first < timedelta(days=MAX_DAYS):
            raise bad_parameter("from", _("Give a period of at most a year, from before to."))
        report = time_report(viewer(request), first, last, person_id=_id_param(request, "person"))
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
