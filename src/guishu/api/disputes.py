"""Disputes (判单): open one on a collision, state your side, decide, record the customer's
answer, appeal, withdraw. Each endpoint calls one service of guishu.disputes.disputes.

The parties see their dispute, managers those of their team trees, directors and admins all;
anyone else gets 404, exactly like a dispute that does not exist. A step the rules refuse is
409 with the rule's code (`not_permitted`, `window_closed`, `share_over_cap`, ...) and its
plain-words reason. The evidence shows both parties' work side by side; it never holds the
customer's contact details.
"""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from guishu.accounts.models import User
from guishu.api import idempotency
from guishu.api.common import OBJECT_ID, PersonSerializer, StrictSerializer, trace_text, viewer
from guishu.api.errors import Problem, bad_parameter
from guishu.api.handovers import DayField
from guishu.api.ownership import NoInputSerializer
from guishu.disputes.disputes import (
    DisputeRefused,
    actions_for,
    actor_of,
    dispute_answer,
    dispute_appeal,
    dispute_appeal_decide,
    dispute_decide,
    dispute_open,
    dispute_state,
    dispute_withdraw,
    facts_of,
)
from guishu.disputes.evidence import dispute_evidence, dispute_evidence_text
from guishu.disputes.models import Collision, Dispute, DisputeDecision, DisputeLog
from guishu.disputes.selectors import disputes_visible_to
from guishu.domain import Actor, Role
from guishu.domain.disputes import Option, Proposal
from guishu.notifications.texts import DISPUTE, render
from guishu.ownership.selectors import customers_visible_to

# --- input ----------------------------------------------------------------------------------


class ProposalFields(StrictSerializer):
    option = serializers.ChoiceField(Dispute.Option.choices, help_text="How to settle it.")
    lead = serializers.IntegerField(
        min_value=1, required=False, help_text="Joint only: the party who owns it."
    )
    share = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        required=False,
        help_text="Joint only: the collaborator's credit share, in percent.",
    )
    fallback_on = DayField(
        required=False,
        help_text='"No deal by" date: without a won deal by then, the other party gets it.',
    )

    def proposal(self) -> Proposal:
        data = self.validated_data
        return Proposal(
            option=Option(data["option"]),
            lead_id=data.get("lead"),
            share=data.get("share"),
            fallback_on=data.get("fallback_on"),
        )


class OpenSerializer(StrictSerializer):
    collision = serializers.IntegerField(min_value=1, help_text="The collision contested.")
    reason = serializers.CharField(max_length=4000, required=False, default="", allow_blank=True)


class StatementSerializer(ProposalFields):
    text = serializers.CharField(max_length=4000, help_text="Your side, in your words.")
    option = serializers.ChoiceField(
        Dispute.Option.choices, required=False, help_text="The settlement you accept (optional)."
    )

    def proposal_or_none(self) -> Proposal | None:
        return self.proposal() if "option" in self.validated_data else None


class DecisionSerializer(ProposalFields):
    rationale = serializers.CharField(max_length=4000, help_text="Why, in plain words.")


class AnswerSerializer(StrictSerializer):
    chosen = serializers.IntegerField(min_value=1, help_text="The party the customer chose.")
    answer = serializers.CharField(max_length=4000, required=False, default="", allow_blank=True)


class AppealSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=4000)


# --- output ---------------------------------------------------------------------------------


class DisputeCustomerSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(allow_null=True, help_text="Empty unless you see it.")
    name = serializers.CharField()


class StatementOutSerializer(serializers.Serializer[Any]):
    party = PersonSerializer()
    text = serializers.CharField()
    option = serializers.CharField(allow_blank=True)
    lead = serializers.IntegerField(source="lead_id", allow_null=True)
    share = serializers.DecimalField(
        source="collaborator_share", max_digits=5, decimal_places=2, allow_null=True
    )
    fallback_on = serializers.DateField(allow_null=True)
    submitted_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class DecisionOutSerializer(serializers.ModelSerializer[DisputeDecision]):
    decided_by = PersonSerializer(allow_null=True)
    share = serializers.DecimalField(
        source="collaborator_share", max_digits=5, decimal_places=2, allow_null=True
    )

    class Meta:
        model = DisputeDecision
        fields = [
            "option",
            "lead",
            "share",
            "fallback_on",
            "settlement",
            "decided_by",
            "decided_at",
            "rationale",
            "on_appeal",
        ]


class LogSerializer(serializers.ModelSerializer[DisputeLog]):
    actor = PersonSerializer(allow_null=True)
    text = serializers.SerializerMethodField()

    class Meta:
        model = DisputeLog
        fields = ["kind", "at", "actor", "text"]

    def get_text(self, row: DisputeLog) -> str:
        dispute = row.dispute
        params = {
            "customer": dispute.customer.name,
            "owner": dispute.owner.name,
            "challenger": dispute.challenger.name,
            "actor": row.actor.name if row.actor else "",
            **{name: str(value) for name, value in row.params.items()},
        }
        return render(DISPUTE[row.kind], params)


class DisputeSerializer(serializers.ModelSerializer[Dispute]):
    customer = serializers.SerializerMethodField()
    owner = PersonSerializer()
    challenger = PersonSerializer()
    opened_by = PersonSerializer()
    lead = PersonSerializer(allow_null=True)
    settled_by = PersonSerializer(allow_null=True)
    customer_choice = PersonSerializer(allow_null=True)
    share = serializers.DecimalField(
        source="collaborator_share", max_digits=5, decimal_places=2, allow_null=True
    )
    escalated = serializers.SerializerMethodField()

    class Meta:
        model = Dispute
        fields = [
            "id",
            "customer",
            "collision",
            "owner",
            "challenger",
            "opened_by",
            "opened_at",
            "reason",
            "status",
            "decision_due_at",
            "escalated",
            "option",
            "lead",
            "share",
            "fallback_on",
            "fallback_applied_at",
            "settlement",
            "settled_by",
            "settled_at",
            "rationale",
            "appeal_until",
            "appealed_at",
            "appeal_reason",
            "customer_choice",
            "customer_answer",
            "customer_answered_at",
        ]

    @extend_schema_field(DisputeCustomerSerializer)
    def get_customer(self, dispute: Dispute) -> dict[str, Any]:
        visible: set[int] = self.context.get("visible_ids", set())
        shown = dispute.customer_id in visible
        return {"id": dispute.customer_id if shown else None, "name": dispute.customer.name}

    def get_escalated(self, dispute: Dispute) -> bool:
        return dispute.escalated_at is not None


class DisputeDetailSerializer(DisputeSerializer):
    statements = serializers.SerializerMethodField()
    decisions = serializers.SerializerMethodField()
    log = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta(DisputeSerializer.Meta):
        fields = [
            *DisputeSerializer.Meta.fields,
            "statements",
            "decisions",
            "log",
            "evidence",
            "actions",
        ]

    @extend_schema_field(StatementOutSerializer(many=True))
    def get_statements(self, dispute: Dispute) -> Any:
        rows = dispute.statements.select_related("party__team").order_by("submitted_at", "pk")
        return StatementOutSerializer(rows, many=True).data

    @extend_schema_field(DecisionOutSerializer(many=True))
    def get_decisions(self, dispute: Dispute) -> Any:
        rows = dispute.decisions.select_related("decided_by__team").order_by("decided_at", "pk")
        return DecisionOutSerializer(rows, many=True).data

    @extend_schema_field(LogSerializer(many=True))
    def get_log(self, dispute: Dispute) -> Any:
        rows = dispute.log.select_related(
            "actor__team", "dispute__customer", "dispute__owner", "dispute__challenger"
        ).order_by("pk")
        return LogSerializer(rows, many=True).data

    @extend_schema_field({"type": "object", "additionalProperties": True})
    def get_evidence(self, dispute: Dispute) -> dict[str, Any]:
        evidence = dispute_evidence_text(dispute_evidence(dispute))
        if dispute.customer_id not in self.context.get("visible_ids", set()):
            # Free text may hold the customer's details: only those who see it read it.
            for party in evidence["parties"]:
                for touch in party["touches"]:
                    touch["note"] = touch["outcome"] = ""
        return evidence

    @extend_schema_field(
        serializers.ListField(
            child=serializers.ChoiceField(
                ["state", "decide", "appeal", "decide_appeal", "withdraw"]
            )
        )
    )
    def get_actions(self, dispute: Dispute) -> list[str]:
        return actions_for(actor_of(self.context["user"]), facts_of(dispute))


# --- endpoints ------------------------------------------------------------------------------


def _refused(refused: DisputeRefused) -> Problem:
    lines = trace_text(refused.lines)
    return Problem(
        status_code=status.HTTP_409_CONFLICT,
        code=refused.code,
        title=_("Refused by the dispute rules."),
        detail="; ".join(lines),
        trace=lines,
    )


def _visible(request: Request, dispute_id: int) -> Dispute:
    """The dispute if the viewer may see it (else DoesNotExist: 404)."""
    return disputes_visible_to(viewer(request)).get(pk=dispute_id)


def _context(request: Request, disputes: list[Dispute]) -> dict[str, Any]:
    user = viewer(request)
    ids = {dispute.customer_id for dispute in disputes}
    visible = set(customers_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    return {"user": user, "visible_ids": visible, "request": request}


def _detail(request: Request, dispute_id: int, code: int = status.HTTP_200_OK) -> Response:
    dispute = _visible(request, dispute_id)
    context = _context(request, [dispute])
    return Response(DisputeDetailSerializer(dispute, context=context).data, status=code)


def _party(user_id: int, field: str) -> User:
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise bad_parameter(field, _("No such person."))
    return user


class DisputeList(generics.ListAPIView[Dispute]):
    """Disputes you may see, newest first. Filter by `status`, `customer`, or `waiting=me`
    (those waiting on you: your statement, your decision, or the director's on appeal).
    POST opens one on a collision: a party within the policy's window, or a manager over
    either party at any time."""

    serializer_class = DisputeSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=Dispute.Status.values),
            OpenApiParameter("customer", OBJECT_ID),
            OpenApiParameter("waiting", OpenApiTypes.STR, enum=["me"]),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Dispute]:
        rows = disputes_visible_to(viewer(self.request))
        params = self.request.query_params
        if (wanted := params.get("status")) is not None:
            if wanted not in Dispute.Status.values:
                raise bad_parameter("status", _("Unknown status."))
            rows = rows.filter(status=wanted)
        if (customer := params.get("customer")) is not None:
            if not customer.isdigit() or int(customer) < 1:
                raise bad_parameter("customer", _("Give a customer id."))
            rows = rows.filter(customer_id=int(customer))
        if (waiting := params.get("waiting")) is not None:
            if waiting != "me":
                raise bad_parameter("waiting", _("The only value is me."))
            actor = actor_of(viewer(self.request))
            live = rows.exclude(status__in=[Dispute.Status.WITHDRAWN, Dispute.Status.DECIDED])
            ids = [d.pk for d in live.prefetch_related("statements") if _waits_on(actor, d)]
            rows = rows.filter(pk__in=ids)
        return rows.order_by("-opened_at", "-pk")

    def get_serializer_context(self) -> dict[str, Any]:
        page = getattr(self, "_page_rows", None)
        return {**super().get_serializer_context(), **_context(self.request, page or [])}

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        self._page_rows = list(page) if page is not None else list(queryset)
        return page

    @extend_schema(
        request=OpenSerializer,
        responses={201: DisputeDetailSerializer},
        parameters=[idempotency.PARAMETER],
    )
    def post(self, request: Request) -> Response:
        return idempotency.idempotent("dispute-open", request, lambda: self._open(request))

    def _open(self, request: Request) -> Response:
        incoming = OpenSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        user = viewer(request)
        collision = Collision.objects.filter(pk=data["collision"]).first()
        if collision is None or not _collision_visible(user, collision):
            raise bad_parameter("collision", _("No such collision."))
        try:
            dispute = dispute_open(user=user, collision_id=collision.pk, reason=data["reason"])
        except DisputeRefused as refused:
            raise _refused(refused) from None
        return _detail(request, dispute.pk, status.HTTP_201_CREATED)


def _waits_on(actor: Actor, dispute: Dispute) -> bool:
    """Whether the dispute waits on `actor`: their statement (not yet given), their
    decision (a director's only once it escalated), or the director's on appeal."""
    actions = actions_for(actor, facts_of(dispute))
    if "state" in actions:
        return not any(s.party_id == actor.id for s in dispute.statements.all())
    if "decide" in actions:
        overseer = actor.person.role in (Role.DIRECTOR, Role.ADMIN)
        return not overseer or dispute.escalated_at is not None
    return "decide_appeal" in actions


def _collision_visible(user: User, collision: Collision) -> bool:
    from guishu.accounts.selectors import managed_user_ids

    manages = managed_user_ids(user)
    if manages is None:
        return True
    people = {user.pk, *manages}
    return collision.attempted_by_id in people or collision.owner_id in people


class DisputeDetail(APIView):
    """One dispute: both parties, statements, the decisions, its history, the evidence side
    by side (with a plain-words contribution summary that informs and never decides), and
    the steps you may take on it now."""

    @extend_schema(responses=DisputeDetailSerializer)
    def get(self, request: Request, dispute_id: int) -> Response:
        return _detail(request, dispute_id)


def _act(
    request: Request,
    dispute_id: int,
    incoming_class: type[StrictSerializer],
    act: Callable[[User, Any], object],
) -> Response:
    """One step on a dispute the viewer sees: parse, call the service, answer the dispute."""
    _visible(request, dispute_id)
    incoming = incoming_class(data=request.data)
    incoming.is_valid(raise_exception=True)
    try:
        act(viewer(request), incoming)
    except DisputeRefused as refused:
        raise _refused(refused) from None
    return _detail(request, dispute_id)


class DisputeStatementView(APIView):
    """A party's statement, and optionally the settlement they accept. If both parties
    accept the same one, it applies at once without a manager."""

    @extend_schema(request=StatementSerializer, responses=DisputeDetailSerializer)
    def post(self, request: Request, dispute_id: int) -> Response:
        return _act(
            request,
            dispute_id,
            StatementSerializer,
            lambda user, incoming: dispute_state(
                user=user,
                dispute_id=dispute_id,
                text=incoming.validated_data["text"],
                proposal=incoming.proposal_or_none(),
            ),
        )


class DisputeDecide(APIView):
    """The manager over both parties decides, with a rationale. The same decision sent
    again answers 200 and changes nothing. Honours `Idempotency-Key`."""

    service = staticmethod(dispute_decide)
    endpoint = "dispute-decide"

    @extend_schema(
        request=DecisionSerializer,
        responses=DisputeDetailSerializer,
        parameters=[idempotency.PARAMETER],
    )
    def post(self, request: Request, dispute_id: int) -> Response:
        def decide(user: User, incoming: Any) -> object:
            return self.service(
                user=user,
                dispute_id=dispute_id,
                proposal=incoming.proposal(),
                rationale=incoming.validated_data["rationale"],
            )

        return idempotency.idempotent(
            f"{self.endpoint}:{dispute_id}",
            request,
            lambda: _act(request, dispute_id, DecisionSerializer, decide),
        )


class DisputeAppealDecide(DisputeDecide):
    """The director upholds the decision (send the same settlement) or replaces it; final.
    Honours `Idempotency-Key`."""

    service = staticmethod(dispute_appeal_decide)
    endpoint = "dispute-appeal-decide"


class DisputeAnswer(APIView):
    """Record whom the customer wants to deal with (a manager over both parties). Evidence
    while the dispute is open; the settlement itself when it was to ask the customer."""

    @extend_schema(request=AnswerSerializer, responses=DisputeDetailSerializer)
    def post(self, request: Request, dispute_id: int) -> Response:
        return _act(
            request,
            dispute_id,
            AnswerSerializer,
            lambda user, incoming: dispute_answer(
                user=user,
                dispute_id=dispute_id,
                chosen=_party(incoming.validated_data["chosen"], "chosen"),
                answer=incoming.validated_data["answer"],
            ),
        )


class DisputeAppeal(APIView):
    """A party appeals a manager's decision to the director, once, within the window."""

    @extend_schema(request=AppealSerializer, responses=DisputeDetailSerializer)
    def post(self, request: Request, dispute_id: int) -> Response:
        return _act(
            request,
            dispute_id,
            AppealSerializer,
            lambda user, incoming: dispute_appeal(
                user=user, dispute_id=dispute_id, reason=incoming.validated_data["reason"]
            ),
        )


class DisputeWithdraw(APIView):
    """Whoever opened an open dispute withdraws it."""

    @extend_schema(request=NoInputSerializer, responses=DisputeDetailSerializer)
    def post(self, request: Request, dispute_id: int) -> Response:
        return _act(
            request,
            dispute_id,
            NoInputSerializer,
            lambda user, incoming: dispute_withdraw(user=user, dispute_id=dispute_id),
        )
