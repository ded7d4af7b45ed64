"""The dispute pages (判单): the inbox, opening a dispute on a collision, and the dispute page
with both parties' evidence side by side, the statements, the decisions and the steps the
viewer may take now.

Disputes are read through `disputes_visible_to` (the parties, managers over them, directors
and admins; anyone else gets 404, exactly like a dispute that does not exist). Each step is
offered only when `actions_for` allows it, and the service decides again when it is taken.
Free text in the evidence (touchpoint notes and outcomes) may hold the customer's details, so
only those who see the customer in full read it.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from guishu.accounts.models import User
from guishu.accounts.selectors import managed_user_ids
from guishu.activities.models import Activity
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
from guishu.disputes.models import Collision, Dispute, DisputeLog
from guishu.disputes.selectors import disputes_visible_to
from guishu.domain import Actor, Role, TraceLine
from guishu.notifications.texts import DISPUTE
from guishu.notifications.texts import render as render_notice
from guishu.ownership.policies import policy_in_force
from guishu.ownership.selectors import customers_visible_to
from guishu.web.forms_work import AnswerForm, AppealForm, DecisionForm, OpenForm, StatementForm
from guishu.web.people import signed_in
from guishu.web.trace import translate_trace

PAGE_SIZE = 50
COLLISIONS_SHOWN = 20
LIVE = (Dispute.Status.OPEN, Dispute.Status.ASKING_CUSTOMER, Dispute.Status.APPEALED)
TABS = ("waiting", "mine", "decided", "all")


def waits_on(actor: Actor, dispute: Dispute) -> bool:
    """Whether the dispute waits on `actor`: their statement (not yet given), their decision
    (a director's only once it escalated), or the director's on appeal."""
    actions = actions_for(actor, facts_of(dispute))
    if "state" in actions:
        return not any(s.party_id == actor.id for s in dispute.statements.all())
    if "decide" in actions:
        overseer = actor.person.role in (Role.DIRECTOR, Role.ADMIN)
        return not overseer or dispute.escalated_at is not None
    return "decide_appeal" in actions


def collisions_visible_to(user: User) -> QuerySet[Collision]:
    """The collisions `user` caused or suffered; a manager's team trees'; all for directors."""
    rows = Collision.objects.select_related("customer", "attempted_by", "owner")
    manages = managed_user_ids(user)
    if manages is None:
        return rows
    people = {user.pk, *manages}
    return rows.filter(Q(attempted_by_id__in=people) | Q(owner_id__in=people))


def contestable(user: User, now: datetime) -> list[Collision]:
    """Recent collisions of the viewer's without a dispute yet: the parties may contest them
    within the policy's window (managers at any time, but recent ones are what they look at)."""
    window = timedelta(days=policy_in_force(team_id=user.team_id, at=now).dispute_window_days)
    disputed = Dispute.objects.filter(collision=OuterRef("pk"))
    rows = collisions_visible_to(user).filter(at__gte=now - window).filter(~Exists(disputed))
    return list(rows.order_by("-at", "-pk")[:COLLISIONS_SHOWN])


def _visible_ids(user: User, customer_ids: set[int]) -> set[int]:
    return set(customers_visible_to(user).filter(pk__in=customer_ids).values_list("pk", flat=True))


@require_safe
def dispute_inbox(request: HttpRequest) -> HttpResponse:
    """Disputes waiting for me, mine, decided, or all I may see; and collisions to contest."""
    user = signed_in(request)
    now = timezone.now()
    tab = request.GET.get("tab", "waiting")
    if tab not in TABS:
        tab = "waiting"
    rows = disputes_visible_to(user)
    if tab == "waiting":
        actor = actor_of(user)
        live = rows.filter(status__in=LIVE).prefetch_related("statements")
        rows = rows.filter(pk__in=[d.pk for d in live if waits_on(actor, d)])
    elif tab == "mine":
        rows = rows.filter(Q(owner=user) | Q(challenger=user) | Q(opened_by=user))
    elif tab == "decided":
        rows = rows.filter(status=Dispute.Status.DECIDED)
    page = Paginator(rows.order_by("-opened_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    collisions = contestable(user, now)
    visible = _visible_ids(
        user, {d.customer_id for d in page} | {c.customer_id for c in collisions}
    )
    context = {
        "tab": tab,
        "tabs": [
            ("waiting", _("Waiting for me")),
            ("mine", _("Mine")),
            ("decided", _("Decided")),
            ("all", _("All")),
        ],
        "page": page,
        "collisions": collisions,
        "visible": visible,
        "now": now,
    }
    return render(request, "guishu/disputes/inbox.html", context)


@require_POST
def dispute_open_page(request: HttpRequest, collision_id: int) -> HttpResponse:
    """Opens a dispute on a collision the viewer sees (a party, or a manager over them)."""
    user = signed_in(request)
    collision = collisions_visible_to(user).filter(pk=collision_id).first()
    if collision is None:
        raise Http404(_("No such collision."))
    form = OpenForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        dispute = dispute_open(user=user, collision_id=collision.pk, reason=reason)
    except DisputeRefused as refused:
        messages.error(request, _refusal_text(refused))
        return redirect("dispute-inbox")
    messages.success(request, _("The dispute is open: both parties can now state their side."))
    return redirect("dispute-detail", dispute_id=dispute.pk)


def _refusal_text(refused: DisputeRefused) -> str:
    return "; ".join(translate_trace(line) for line in refused.lines)


def _dispute(user: User, dispute_id: int) -> Dispute:
    dispute = disputes_visible_to(user).filter(pk=dispute_id).first()
    if dispute is None:
        raise Http404(_("No such dispute."))
    return dispute


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _side(party: dict[str, Any], shown: bool) -> dict[str, Any]:
    """One party's evidence ready for the page: times as datetimes, codes as words; free text
    only for those who see the customer."""
    kinds, channels = dict(Activity.Kind.choices), dict(Activity.Channel.choices)
    touches = [
        {
            **touch,
            "at": _moment(touch["at"]),
            "kind_label": kinds.get(touch["kind"], touch["kind"]),
            "channel_label": channels.get(touch["channel"], touch["channel"]),
            "note": touch["note"] if shown else "",
            "outcome": touch["outcome"] if shown else "",
        }
        for touch in party["touches"]
    ]
    return {
        **party,
        "touches": list(reversed(touches)),  # newest first
        "registered": _moment(party["registered_at"]),
        "owner_since_at": _moment(party["owner_since"]),
        "first_contact": _moment(party["first_contact_at"]),
        "details_found": _moment(party["details_found_at"]),
        "milestone_list": [
            (kinds.get(kind, kind), _moment(at)) for kind, at in party["milestones"].items()
        ],
        "order_list": [{**order, "at": _moment(order["at"])} for order in party["orders"]],
    }


def _log_text(row: DisputeLog, dispute: Dispute) -> str:
    params = {
        "customer": dispute.customer.name,
        "owner": dispute.owner.name,
        "challenger": dispute.challenger.name,
        "actor": row.actor.name if row.actor else "",
        **{name: str(value) for name, value in row.params.items()},
    }
    return render_notice(DISPUTE[row.kind], params) if row.kind in DISPUTE else row.kind


@require_safe
def dispute_detail(request: HttpRequest, dispute_id: int) -> HttpResponse:
    """One dispute: parties, evidence side by side, statements, decisions, history, and the
    forms for the steps the viewer may take now."""
    user = signed_in(request)
    dispute = _dispute(user, dispute_id)
    now = timezone.now()
    shown = bool(_visible_ids(user, {dispute.customer_id}))
    evidence = dispute_evidence_text(dispute_evidence(dispute, now=now))
    actions = actions_for(actor_of(user), facts_of(dispute), now)
    policy = policy_in_force(team_id=dispute.owner.team_id, at=now)
    statements = dispute.statements.select_related("party", "lead").order_by("submitted_at", "pk")
    mine = next((s for s in statements if s.party_id == user.pk), None)
    log = dispute.log.select_related("actor").order_by("pk")
    context = {
        "dispute": dispute,
        "shown": shown,
        "sides": [_side(party, shown) for party in evidence["parties"]],
        "comparison": evidence["comparison"],
        "preference": evidence["customer_preference"],
        "statements": statements,
        "decisions": dispute.decisions.select_related("decided_by", "lead").order_by(
            "decided_at", "pk"
        ),
        "log": [(row, _log_text(row, dispute)) for row in log],
        "actions": actions,
        "parties": [dispute.owner, dispute.challenger],
        "options": Dispute.Option.choices,
        "max_share": policy.max_joint_share,
        "my_statement": mine,
        "is_party": user.pk in dispute.party_ids(),
        "now": now,
    }
    return render(request, "guishu/disputes/detail.html", context)


def _step(
    request: HttpRequest,
    dispute_id: int,
    form_class: type[forms.Form],
    act: Callable[[User, Any], object],
    done: str,
) -> HttpResponse:
    """One step on a dispute the viewer sees: parse, call the service, say how it went."""
    user = signed_in(request)
    _dispute(user, dispute_id)
    form = form_class(request.POST)
    if not form.is_valid():
        for field, problems in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for problem in problems:
                messages.error(request, f"{label}: {problem}" if label else str(problem))
        return redirect("dispute-detail", dispute_id=dispute_id)
    try:
        act(user, form)
    except DisputeRefused as refused:
        messages.error(request, _refusal_text(refused))
    else:
        messages.success(request, done)
    return redirect("dispute-detail", dispute_id=dispute_id)


@require_POST
def dispute_state_page(request: HttpRequest, dispute_id: int) -> HttpResponse:
    return _step(
        request,
        dispute_id,
        StatementForm,
        lambda user, form: dispute_state(
            user=user,
            dispute_id=dispute_id,
            text=form.cleaned_data["text"],
            proposal=form.proposal_or_none(),
        ),
        _("Your statement is saved."),
    )


@require_POST
def dispute_decide_page(request: HttpRequest, dispute_id: int) -> HttpResponse:
    return _step(
        request,
        dispute_id,
        DecisionForm,
        lambda user, form: dispute_decide(
            user=user,
            dispute_id=dispute_id,
            proposal=form.proposal(),
            rationale=form.cleaned_data["rationale"],
        ),
        _("The decision is recorded."),
    )


@require_POST
def dispute_appeal_decide_page(request: HttpRequest, dispute_id: int) -> HttpResponse:
    return _step(
        request,
        dispute_id,
        DecisionForm,
        lambda user, form: dispute_appeal_decide(
            user=user,
            dispute_id=dispute_id,
            proposal=form.proposal(),
            rationale=form.cleaned_data["rationale"],
        ),
        _("The decision on the appeal is recorded; it is final."),
    )


@require_POST
def dispute_answer_page(request: HttpRequest, dispute_id: int) -> HttpResponse:
    def answer(user: User, form: Any) -> object:
        dispute = _dispute(user, dispute_id)
        chosen = {p.pk: p for p in (dispute.owner, dispute.challenger)}.get(
            form.cleaned_data["chosen"]
        )
        if chosen is None:
            line = TraceLine("refused: the customer's choice must be one of the two parties")
            raise DisputeRefused("not_a_party", (line,))
        return dispute_answer(
            user=user, dispute_id=dispute_id, chosen=chosen, answer=form.cleaned_data["answer"]
        )

    return _step(request, dispute_id, AnswerForm, answer, _("The customer's answer is recorded."))


@require_POST
def dispute_appeal_page(request: HttpRequest, dispute_id: int) -> HttpResponse:
    return _step(
        request,
        dispute_id,
        AppealForm,
        lambda user, form: dispute_appeal(
            user=user, dispute_id=dispute_id, reason=form.cleaned_data["reason"]
        ),
        _("Your appeal goes to the director; the decision stays in force until then."),
    )


@require_POST
def dispute_withdraw_page(request: HttpRequest, dispute_id: int) -> HttpResponse:
    return _step(
        request,
        dispute_id,
        forms.Form,
        lambda user, form: dispute_withdraw(user=user, dispute_id=dispute_id),
        _("The dispute is withdrawn."),
    )
