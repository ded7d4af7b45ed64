"""Territory rules, fair assignment from the pool by those rules, and the anti-hoarding report.

Everyone signed in reads the rules. Administrators write any rule; a manager writes rules
whose eligible people all lie in their team trees, and another manager's rule answers 404 to
them, as if it did not exist. Managers, directors and administrators assign pool customers by
the rules (`POST /territories/assign/`), each customer answered with what happened and why.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from guishu.accounts.models import Team, User
from guishu.api import idempotency
from guishu.api.common import PersonSerializer, StrictSerializer, trace_text, viewer
from guishu.api.errors import bad_parameter
from guishu.customers.models import Customer
from guishu.domain import Role
from guishu.ownership.selectors import customers_visible_to
from guishu.territories.assign import LeadOutcome, LeadStatus, lead_assign
from guishu.territories.hoarding import hoarding_report
from guishu.territories.models import Method, TerritoryRule
from guishu.territories.rules import (
    may_write_rules,
    territory_rule_create,
    territory_rule_delete,
    territory_rule_update,
)
from guishu.territories.selectors import rule_editable_by, rules_in_order
from guishu.territories.words import skip_label

# Ids fit a signed 64-bit column; a larger number names nothing and must not reach the database.
MAX_ID = 2**63 - 1
MAX_DAYS = 3650


# JSON types as the schema states them: DRF would read 5 as the text "5", "5" and 5.0 as the
# number 5, and "yes" as true; a client sending the wrong type has a bug to hear about.


class TextField(serializers.CharField):
    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class WholeNumberField(serializers.IntegerField):
    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class FlagField(serializers.BooleanField):
    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


# --- rules ----------------------------------------------------------------------------------


class TeamRefSerializer(serializers.Serializer[Team]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class TerritoryRuleSerializer(serializers.Serializer[TerritoryRule]):
    """A rule as everyone reads it."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    priority = serializers.IntegerField(help_text="Lower numbers are tried first.")
    active = serializers.BooleanField()
    method = serializers.ChoiceField(Method.choices)
    regions = serializers.ListField(child=serializers.CharField())
    countries = serializers.ListField(child=serializers.CharField())
    industries = serializers.ListField(child=serializers.CharField())
    kinds = serializers.ListField(child=serializers.CharField())
    sources = serializers.ListField(child=serializers.CharField())
    levels = serializers.ListField(child=serializers.CharField())
    reps = PersonSerializer(many=True)
    teams = TeamRefSerializer(many=True)
    created_by = PersonSerializer()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


def _texts(max_length: int) -> serializers.ListField:
    return serializers.ListField(
        child=TextField(max_length=max_length), max_length=200, default=list
    )


def _ids() -> serializers.ListField:
    return serializers.ListField(
        child=WholeNumberField(min_value=1, max_value=MAX_ID), max_length=500, default=list
    )


class TerritoryRuleInputSerializer(StrictSerializer):
    """A rule as it is written. Empty criteria mean "any"; `reps` and `teams` are ids, and at
    least one of them must be given."""

    name = TextField(max_length=100)
    priority = WholeNumberField(min_value=0, max_value=1_000_000, default=100)
    active = FlagField(default=True)
    method = serializers.ChoiceField(Method.choices, default=Method.ROUND_ROBIN)
    regions = _texts(100)
    countries = serializers.ListField(
        child=serializers.RegexField(r"^[A-Za-z]{2}$", help_text="ISO 3166 code, e.g. CN"),
        max_length=250,
        default=list,
    )
    industries = _texts(100)
    kinds = serializers.ListField(
        child=serializers.ChoiceField(Customer.Kind.choices), max_length=10, default=list
    )
    sources = _texts(100)
    # A pattern, not an enum: the customers' own `level` enum already names these values.
    levels = serializers.ListField(
        child=serializers.RegexField(r"^[ABC]$", help_text="A, B or C"), max_length=10, default=list
    )
    reps = _ids()
    teams = _ids()


class TerritoryRulePatchSerializer(TerritoryRuleInputSerializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, partial=True, **kwargs)


def _rule_body(rule: TerritoryRule) -> dict[str, Any]:
    return dict(TerritoryRuleSerializer(rule).data)


def _writer(request: Request) -> User:
    """The signed-in user, if their role writes rules: administrators and managers."""
    user = viewer(request)
    if not may_write_rules(user):
        raise PermissionDenied(_("Only administrators and managers write territory rules."))
    return user


class TerritoryList(generics.ListAPIView[TerritoryRule]):
    """The territory rules in the order they are tried (lowest priority number first); the
    first active rule a customer matches decides. Administrators and managers create rules
    (a manager naming only people and teams in their own team trees)."""

    serializer_class = TerritoryRuleSerializer

    def get_queryset(self) -> QuerySet[TerritoryRule]:
        return rules_in_order().order_by("priority", "pk")

    @extend_schema(request=TerritoryRuleInputSerializer, responses={201: TerritoryRuleSerializer})
    def post(self, request: Request) -> Response:
        user = _writer(request)
        incoming = TerritoryRuleInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        rule = territory_rule_create(user=user, data=incoming.validated_data)
        return Response(_rule_body(rule), status=status.HTTP_201_CREATED)


class TerritoryDetail(APIView):
    """One rule. PATCH changes some of its values (its round-robin turn is kept); DELETE
    removes it (assignments made under it keep its name and their reasons)."""

    @extend_schema(responses=TerritoryRuleSerializer)
    def get(self, request: Request, rule_id: int) -> Response:
        rule = rules_in_order().filter(pk=rule_id).first()
        if rule is None:
            raise NotFound(_("No such territory rule."))
        return Response(_rule_body(rule))

    @extend_schema(request=TerritoryRuleInputSerializer, responses=TerritoryRuleSerializer)
    def patch(self, request: Request, rule_id: int) -> Response:
        user = self._editor(request, rule_id)
        incoming = TerritoryRulePatchSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        rule = territory_rule_update(user=user, rule_id=rule_id, changes=incoming.validated_data)
        return Response(_rule_body(rule))

    @extend_schema(responses={204: None})
    def delete(self, request: Request, rule_id: int) -> Response:
        territory_rule_delete(user=self._editor(request, rule_id), rule_id=rule_id)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _editor(self, request: Request, rule_id: int) -> User:
        user = _writer(request)
        if rule_editable_by(user, rule_id) is None:
            raise NotFound(_("No such territory rule."))
        return user


# --- assignment -----------------------------------------------------------------------------


class AssignInputSerializer(StrictSerializer):
    customers = serializers.ListField(
        child=WholeNumberField(min_value=1, max_value=MAX_ID),
        min_length=1,
        max_length=200,
        help_text="Ids of pool customers to assign by the territory rules, in this order.",
    )


class RuleRefSerializer(serializers.Serializer[TerritoryRule]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CandidateSerializer(serializers.Serializer[Any]):
    """A rep the rule named, as the pick saw them."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    held = serializers.IntegerField(help_text="Customers held at the pick.")
    pending = serializers.IntegerField(help_text="Picks for them still being carried out.")
    skipped = serializers.CharField(
        allow_null=True, help_text="Why passed over: inactive, holding_cap, … (null: eligible)."
    )
    skipped_text = serializers.CharField()


class LeadOutcomeSerializer(serializers.Serializer[Any]):
    customer = serializers.IntegerField(help_text="The customer's id, as sent.")
    status = serializers.ChoiceField([status.value for status in LeadStatus])
    reason = serializers.CharField(help_text="Why, in plain words.")
    rule = RuleRefSerializer(allow_null=True)
    method = serializers.CharField(allow_null=True)
    rep = PersonSerializer(allow_null=True)
    assignment = serializers.IntegerField(allow_null=True)
    event = serializers.IntegerField(allow_null=True, help_text="The ownership event written.")
    candidates = CandidateSerializer(many=True)
    trace = serializers.ListField(child=serializers.CharField())


class AssignResultSerializer(serializers.Serializer[Any]):
    results = LeadOutcomeSerializer(many=True)
    assigned = serializers.IntegerField()
    left_in_pool = serializers.IntegerField(
        help_text="Pool customers no rule matched or nobody could take; still in the pool."
    )


def _outcome_body(outcome: LeadOutcome) -> dict[str, Any]:
    assignment = outcome.assignment
    return {
        "customer": outcome.customer_id,
        "status": outcome.status.value,
        "reason": outcome.reason,
        "rule": {"id": outcome.rule.pk, "name": outcome.rule.name} if outcome.rule else None,
        "method": outcome.rule.method if outcome.rule else None,
        "rep": outcome.rep,
        "assignment": assignment.pk if assignment else None,
        "event": assignment.event_id if assignment else None,
        "candidates": [
            {
                "id": candidate.id,
                "name": candidate.name,
                "held": candidate.held,
                "pending": candidate.pending,
                "skipped": candidate.skipped.value if candidate.skipped else None,
                "skipped_text": skip_label(candidate.skipped),
            }
            for candidate in outcome.candidates
        ],
        "trace": trace_text(outcome.trace),
    }


class TerritoryAssign(APIView):
    """Assign pool customers by the territory rules (managers, directors, administrators):
    each goes to a rep picked fairly (round-robin or load-balanced) under the first rule it
    matches, among the reps you oversee. Every customer is answered: assigned (to whom, under
    which rule, why), or left as it is and why. Honours `Idempotency-Key`."""

    @extend_schema(
        request=AssignInputSerializer,
        responses=AssignResultSerializer,
        parameters=[idempotency.PARAMETER],
    )
    def post(self, request: Request) -> Response:
        user = viewer(request)
        if user.role not in (Role.MANAGER, Role.DIRECTOR, Role.ADMIN):
            raise PermissionDenied(_("Only managers, directors and administrators assign."))
        return idempotency.idempotent("territory-assign", request, lambda: self._assign(request))

    def _assign(self, request: Request) -> Response:
        incoming = AssignInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        outcomes = lead_assign(
            user=viewer(request), customer_ids=incoming.validated_data["customers"]
        )
        body = {
            "results": [_outcome_body(outcome) for outcome in outcomes],
            "assigned": sum(o.status == LeadStatus.ASSIGNED for o in outcomes),
            "left_in_pool": sum(
                o.status in (LeadStatus.UNMATCHED, LeadStatus.NO_CANDIDATE) for o in outcomes
            ),
        }
        return Response(AssignResultSerializer(body).data)


# --- anti-hoarding --------------------------------------------------------------------------


class HoardedCustomerSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(
        allow_null=True, help_text="Null when the customer is not yours to see in full."
    )
    name = serializers.CharField()
    cycles = serializers.IntegerField()


class HoardingRowSerializer(serializers.Serializer[Any]):
    rep = PersonSerializer()
    cycles = serializers.IntegerField()
    customers = HoardedCustomerSerializer(many=True)
    last_cycle_at = serializers.DateTimeField()


class HoardingReportSerializer(serializers.Serializer[Any]):
    days = serializers.IntegerField()
    since = serializers.DateTimeField()
    until = serializers.DateTimeField()
    rows = HoardingRowSerializer(many=True)


class HoardingReport(APIView):
    """Anti-hoarding signals: per rep, how often they let a customer go (released it, or let
    the sweep reclaim it) and claimed it back, in the last `days` days (90 by default), and
    on which customers. A rep sees their own, a manager their team trees', directors and
    administrators everyone's."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "days",
                {"type": "integer", "minimum": 1, "maximum": MAX_DAYS},
                description="The period up to now, in days (default 90).",
            )
        ],
        responses=HoardingReportSerializer,
    )
    def get(self, request: Request) -> Response:
        user = viewer(request)
        text = request.query_params.get("days", "90")
        if not (text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_DAYS):
            raise bad_parameter("days", _("Give a whole number of days from 1 to 3650."))
        report = hoarding_report(viewer=user, days=int(text))
        ids = {customer.id for row in report.rows for customer in row.customers}
        visible = set(customers_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
        body = {
            "days": int(text),
            "since": report.since,
            "until": report.until,
            "rows": [
                {
                    "rep": row.rep,
                    "cycles": row.cycles,
                    "customers": [
                        {
                            "id": customer.id if customer.id in visible else None,
                            "name": customer.name,
                            "cycles": customer.cycles,
                        }
                        for customer in row.customers
                    ],
                    "last_cycle_at": row.last_cycle_at,
                }
                for row in report.rows
            ],
        }
        return Response(HoardingReportSerializer(body).data)
