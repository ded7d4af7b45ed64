"""Disputes (判单): opening one on a collision, the parties' statements, agreement, the
manager's decision, asking the customer, one appeal to the director, and withdrawing.

Each service is one transaction that locks, in the order every service uses, the people
whose customers may move, then the customer, then the dispute row; the rules in
guishu.domain.disputes decide whether the step is allowed; a decision changes ownership
through the ownership engine (`Award`), whose events name the dispute. A decision submitted
twice takes effect once: the second finds the dispute settled and, if it asked for the same
thing, answers with the decision already in force.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from guishu.accounts.models import User
from guishu.accounts.selectors import managed_user_ids
from guishu.disputes.collaboration import collaboration_start, collaborations_end
from guishu.disputes.evidence import dispute_evidence
from guishu.disputes.models import (
    Collaboration,
    Collision,
    Dispute,
    DisputeDecision,
    DisputeLog,
    DisputeStatement,
)
from guishu.domain import Actor, Award, Person, Policy, Role
from guishu.domain import disputes as rules
from guishu.domain.disputes import Option, Parties, Proposal, Refusal, Settlement, Stage
from guishu.domain.trace import TraceLine
from guishu.domain.trace import gettext_noop as N_
from guishu.ownership.execute import execute
from guishu.ownership.locking import lock_customer, lock_users
from guishu.ownership.policies import policy_in_force


class DisputeRefused(Exception):
    """A dispute rule (or the ownership rules under a decision) said no."""

    def __init__(self, code: str, lines: tuple[TraceLine, ...]) -> None:
        super().__init__("; ".join(str(line) for line in lines))
        self.code = code
        self.lines = lines

    @classmethod
    def of(cls, refusal: Refusal) -> "DisputeRefused":
        return cls(refusal.code, (refusal.line,))


@dataclass(frozen=True)
class DecisionResult:
    dispute: Dispute
    replayed: bool = False  # the same decision was already in force: nothing happened again


def actor_of(user: User) -> Actor:
    """The user as the dispute rules see them (one query for their team trees)."""
    return Actor(person=user.as_person(), manages=managed_user_ids(user))


def parties_of(dispute: Dispute) -> Parties:
    return Parties(owner=dispute.owner.as_person(), challenger=dispute.challenger.as_person())


def facts_of(dispute: Dispute) -> rules.DisputeFacts:
    return rules.DisputeFacts(
        parties=parties_of(dispute),
        stage=Stage(dispute.status),
        opened_by_id=dispute.opened_by_id,
        settlement=Settlement(dispute.settlement) if dispute.settlement else None,
        appeal_until=dispute.appeal_until,
        appealed=dispute.appealed_at is not None,
    )


def dispute_policy(dispute: Dispute, at: datetime) -> Policy:
    """The customer's home rules: the policy of the team of the owner when it opened."""
    return policy_in_force(team_id=dispute.owner.team_id, at=at)


def locked_dispute(dispute_id: int, *also: User) -> Dispute:
    """Locks the parties (and `also`), the customer, then the dispute; returns it fresh."""
    row = Dispute.objects.filter(pk=dispute_id).values("owner_id", "challenger_id", "customer_id")
    found = row.first()
    if found is None:
        raise Dispute.DoesNotExist
    lock_users([found["owner_id"], found["challenger_id"], *(user.pk for user in also)])
    lock_customer(found["customer_id"])
    return (
        Dispute.objects.select_for_update(of=("self",))
        .select_related("owner__team", "challenger__team", "customer", "collision")
        .get(pk=dispute_id)
    )


def log_entry(dispute: Dispute, kind: str, at: datetime, actor: User | None, **params: str) -> None:
    DisputeLog.objects.create(dispute=dispute, kind=kind, at=at, actor=actor, params=params)


@transaction.atomic(durable=True)
def dispute_open(
    *, user: User, collision_id: int, reason: str = "", now: datetime | None = None
) -> Dispute:
    """A party contests a collision (or a manager over either party opens one on it)."""
    now = now or timezone.now()
    collision = Collision.objects.select_related("owner", "attempted_by").get(pk=collision_id)
    lock_users([collision.owner_id, collision.attempted_by_id])
    lock_customer(collision.customer_id)
    parties = Parties(
        owner=collision.owner.as_person(), challenger=collision.attempted_by.as_person()
    )
    policy = policy_in_force(team_id=collision.owner.team_id, at=now)
    refusal = rules.open_refusal(
        actor=actor_of(user),
        parties=parties,
        collision_at=collision.at,
        already_disputed=Dispute.objects.filter(collision=collision).exists(),
        policy=policy,
        now=now,
    )
    if refusal:
        raise DisputeRefused.of(refusal)
    dispute = Dispute.objects.create(
        customer_id=collision.customer_id,
        collision=collision,
        owner=collision.owner,
        challenger=collision.attempted_by,
        opened_by=user,
        opened_at=now,
        reason=reason.strip(),
        decision_due_at=rules.decision_due(now, policy),
    )
    log_entry(dispute, DisputeLog.Kind.OPENED, now, user)
    return dispute


@transaction.atomic(durable=True)
def dispute_state(
    *,
    user: User,
    dispute_id: int,
    text: str,
    proposal: Proposal | None = None,
    now: datetime | None = None,
) -> DecisionResult:
    """A party writes (or revises) their statement and, optionally, the settlement they
    accept. When both parties accept the same one, it applies at once, without a manager."""
    now = now or timezone.now()
    dispute = locked_dispute(dispute_id)
    refusal = rules.statement_refusal(actor=actor_of(user), facts=facts_of(dispute))
    if refusal:
        raise DisputeRefused.of(refusal)
    if not text.strip():
        raise DisputeRefused("statement_required", (TraceLine(STATEMENT_REQUIRED),))
    parties = parties_of(dispute)
    if proposal is not None:
        _check(proposal, dispute, parties, now)
    statement, _created = DisputeStatement.objects.update_or_create(
        dispute=dispute,
        party=user,
        defaults={
            "text": text.strip(),
            "option": proposal.option.value if proposal else "",
            "lead_id": proposal.lead_id if proposal else None,
            "collaborator_share": proposal.share if proposal else None,
            "fallback_on": proposal.fallback_on if proposal else None,
            "updated_at": now,
        },
        create_defaults={
            "text": text.strip(),
            "option": proposal.option.value if proposal else "",
            "lead_id": proposal.lead_id if proposal else None,
            "collaborator_share": proposal.share if proposal else None,
            "fallback_on": proposal.fallback_on if proposal else None,
            "submitted_at": now,
            "updated_at": now,
        },
    )
    log_entry(dispute, DisputeLog.Kind.STATEMENT, now, user, option=statement.option)
    proposals = {row.party_id: proposal_of(row) for row in dispute.statements.all()}
    agreed = rules.agreement(proposals.get(dispute.owner_id), proposals.get(dispute.challenger_id))
    if agreed is not None:
        _settle(dispute, agreed, Settlement.AGREEMENT, by=user, rationale="", now=now)
    return DecisionResult(dispute)


STATEMENT_REQUIRED = N_("refused: a statement needs some words")


def proposal_of(statement: DisputeStatement) -> Proposal | None:
    if not statement.option:
        return None
    return Proposal(
        option=Option(statement.option),
        lead_id=statement.lead_id,
        share=statement.collaborator_share,
        fallback_on=statement.fallback_on,
    )


@transaction.atomic(durable=True)
def dispute_decide(
    *,
    user: User,
    dispute_id: int,
    proposal: Proposal,
    rationale: str,
    now: datetime | None = None,
) -> DecisionResult:
    """The manager over both parties (or a director) decides, with a written rationale."""
    return _decision(user, dispute_id, proposal, rationale, now or timezone.now(), False)


@transaction.atomic(durable=True)
def dispute_appeal_decide(
    *,
    user: User,
    dispute_id: int,
    proposal: Proposal,
    rationale: str,
    now: datetime | None = None,
) -> DecisionResult:
    """The director upholds the decision (the same proposal) or replaces it; final."""
    return _decision(user, dispute_id, proposal, rationale, now or timezone.now(), True)


def _decision(
    user: User,
    dispute_id: int,
    proposal: Proposal,
    rationale: str,
    now: datetime,
    on_appeal: bool,
) -> DecisionResult:
    dispute = locked_dispute(dispute_id, user)
    replay = _replayed(dispute, proposal, on_appeal=on_appeal, by=user)
    if replay:
        return replay
    facts, actor = facts_of(dispute), actor_of(user)
    refusal = (
        rules.appeal_decide_refusal(actor=actor, facts=facts)
        if on_appeal
        else rules.decide_refusal(actor=actor, facts=facts)
    )
    if refusal:
        raise DisputeRefused.of(refusal)
    if not rationale.strip():
        raise DisputeRefused("rationale_required", (TraceLine(RATIONALE_REQUIRED),))
    if on_appeal and proposal.option is Option.ASK_CUSTOMER:
        raise DisputeRefused("final_on_appeal", (TraceLine(FINAL_ON_APPEAL),))
    _check(proposal, dispute, parties_of(dispute), now)
    # A director's decision is final: there is nobody above to appeal to.
    overseer = user.role in (Role.DIRECTOR, Role.ADMIN)
    settlement = Settlement.DIRECTOR if on_appeal or overseer else Settlement.MANAGER
    _settle(
        dispute,
        proposal,
        settlement,
        by=user,
        rationale=rationale.strip(),
        now=now,
        on_appeal=on_appeal,
    )
    return DecisionResult(dispute)


RATIONALE_REQUIRED = N_("refused: a decision needs a written rationale")


def _replayed(
    dispute: Dispute, proposal: Proposal, *, on_appeal: bool, by: User
) -> DecisionResult | None:
    """The same decision by the same person again (a double click, a retried request): it
    took effect once already, so answer with it instead of refusing."""
    decision = dispute.decisions.filter(on_appeal=on_appeal).first()
    if decision is None or decision.decided_by_id != by.pk:
        return None
    taken = Proposal(
        option=Option(decision.option),
        lead_id=decision.lead_id if decision.option == Option.JOINT else None,
        share=decision.collaborator_share,
        fallback_on=decision.fallback_on,
    )
    return DecisionResult(dispute, replayed=True) if taken == proposal else None


def _check(proposal: Proposal, dispute: Dispute, parties: Parties, now: datetime) -> None:
    policy = dispute_policy(dispute, now)
    today = timezone.localdate(now)
    refusal = rules.proposal_refusal(proposal, parties=parties, policy=policy, today=today)
    if refusal:
        raise DisputeRefused.of(refusal)


def _settle(
    dispute: Dispute,
    proposal: Proposal,
    settlement: Settlement,
    *,
    by: User | None,
    rationale: str,
    now: datetime,
    on_appeal: bool = False,
) -> None:
    """Records the decision and, unless it asks the customer, applies it."""
    DisputeDecision.objects.create(
        dispute=dispute,
        option=proposal.option.value,
        lead_id=proposal.lead_id,
        collaborator_share=proposal.share,
        fallback_on=proposal.fallback_on,
        settlement=settlement.value,
        decided_by=by,
        decided_at=now,
        rationale=rationale,
        on_appeal=on_appeal,
        evidence=dispute_evidence(dispute, now=now),
    )
    dispute.option = proposal.option.value
    dispute.rationale = rationale
    dispute.settled_by = by
    dispute.settled_at = now
    if proposal.option is Option.ASK_CUSTOMER:
        dispute.status = Stage.ASKING_CUSTOMER.value
        dispute.settlement = settlement.value
        dispute.save()
        log_entry(dispute, DisputeLog.Kind.ASKING, now, by)
        return
    outcome = rules.outcome(proposal, parties_of(dispute))
    enact_outcome(
        dispute,
        outcome.lead,
        outcome.collaborator,
        outcome.share,
        how=settlement.value,
        by=by,
        now=now,
    )
    dispute.status = Stage.DECIDED.value
    dispute.settlement = settlement.value
    dispute.lead_id = outcome.lead.id
    dispute.collaborator_share = outcome.share
    dispute.fallback_on = proposal.fallback_on
    dispute.fallback_applied_at = None
    policy = dispute_policy(dispute, now)
    manager_decided = settlement is Settlement.MANAGER and not on_appeal
    dispute.appeal_until = rules.appeal_until(now, policy) if manager_decided else None
    dispute.save()
    kind = {
        Settlement.AGREEMENT: DisputeLog.Kind.AGREED,
        Settlement.CUSTOMER: DisputeLog.Kind.ANSWERED,
    }.get(settlement, DisputeLog.Kind.APPEAL_DECIDED if on_appeal else DisputeLog.Kind.DECIDED)
    log_entry(dispute, kind, now, by, option=proposal.option.value, lead=outcome.lead.name)


def enact_outcome(
    dispute: Dispute,
    lead: Person,
    collaborator: Person | None,
    share: Decimal | None,
    *,
    how: str,
    by: User | None,
    now: datetime,
) -> None:
    """Puts the customer with `lead` (through the engine) and, for a joint settlement, opens
    the collaborator's share. Whatever an earlier decision of this dispute set up (its
    collaboration) ends first, so a changed decision on appeal replaces it cleanly."""
    customer_id = dispute.customer_id
    replaced = Collaboration.objects.filter(customer_id=customer_id, dispute=dispute)
    collaborations_end(replaced, at=now, by=by)
    # The lead is about to own it, and the collaborator gets the share this decision sets:
    # any collaboration either of them had on it is superseded.
    superseded = [lead.id, *([collaborator.id] if collaborator else [])]
    collaborations_end(
        Collaboration.objects.filter(customer_id=customer_id, user_id__in=superseded),
        at=now,
        by=by,
    )
    result = execute(
        customer_id=customer_id,
        lock=[],
        build=lambda state, policy: Award(
            actor=by.as_person() if by else None, to=lead, dispute_id=dispute.pk, how=how
        ),
        now=now,
    )
    rejection = result.rejection
    if rejection is not None:
        raise DisputeRefused(rejection.code.value, rejection.trace)
    if collaborator is not None:
        collaboration_start(
            customer=result.customer,
            owner_id=lead.id,
            collaborator=User.objects.get(pk=collaborator.id),
            role=Collaboration.Role.CO_SELLER,
            started_at=now,
            ends_at=None,
            created_by=by or User.objects.get(pk=lead.id),
            reason=f"dispute #{dispute.pk}",
            share=share,
            dispute=dispute,
        )


@transaction.atomic(durable=True)
def dispute_answer(
    *,
    user: User,
    dispute_id: int,
    chosen: User,
    answer: str = "",
    now: datetime | None = None,
) -> DecisionResult:
    """Records whom the customer wants to deal with. While the dispute is open it is
    evidence; when the settlement was to ask the customer, the answer applies."""
    now = now or timezone.now()
    dispute = locked_dispute(dispute_id, user)
    refusal = rules.answer_refusal(
        actor=actor_of(user), facts=facts_of(dispute), chosen_id=chosen.pk
    )
    if refusal:
        raise DisputeRefused.of(refusal)
    dispute.customer_choice = chosen
    dispute.customer_answer = answer.strip()
    dispute.customer_answered_at = now
    dispute.save(update_fields=["customer_choice", "customer_answer", "customer_answered_at"])
    if dispute.status != Stage.ASKING_CUSTOMER:
        log_entry(dispute, DisputeLog.Kind.ANSWERED, now, user, chosen=chosen.name)
        return DecisionResult(dispute)
    parties = parties_of(dispute)
    lead = parties.by_id(chosen.pk)
    assert lead is not None
    enact_outcome(dispute, lead, None, None, how=Settlement.CUSTOMER.value, by=user, now=now)
    dispute.status = Stage.DECIDED.value
    dispute.settlement = Settlement.CUSTOMER.value
    dispute.lead_id = lead.id
    dispute.settled_by = user
    dispute.settled_at = now
    dispute.appeal_until = None  # the customer's choice is respected, not appealed
    dispute.save()
    log_entry(dispute, DisputeLog.Kind.ANSWERED, now, user, chosen=chosen.name)
    return DecisionResult(dispute)


@transaction.atomic(durable=True)
def dispute_appeal(
    *, user: User, dispute_id: int, reason: str, now: datetime | None = None
) -> Dispute:
    """A party appeals a manager's decision to the director, once. The decision stays in
    force until the director decides."""
    now = now or timezone.now()
    dispute = locked_dispute(dispute_id)
    refusal = rules.appeal_refusal(actor=actor_of(user), facts=facts_of(dispute), now=now)
    if refusal:
        raise DisputeRefused.of(refusal)
    if not reason.strip():
        raise DisputeRefused("reason_required", (TraceLine(REASON_REQUIRED),))
    dispute.status = Stage.APPEALED.value
    dispute.appealed_by = user
    dispute.appealed_at = now
    dispute.appeal_reason = reason.strip()
    dispute.save()
    log_entry(dispute, DisputeLog.Kind.APPEALED, now, user)
    return dispute


REASON_REQUIRED = N_("refused: an appeal needs a reason")


FINAL_ON_APPEAL = N_("refused: an appeal is decided by the director, not handed to the customer")


@transaction.atomic(durable=True)
def dispute_withdraw(*, user: User, dispute_id: int, now: datetime | None = None) -> Dispute:
    now = now or timezone.now()
    dispute = locked_dispute(dispute_id)
    refusal = rules.withdraw_refusal(actor=actor_of(user), facts=facts_of(dispute))
    if refusal:
        raise DisputeRefused.of(refusal)
    dispute.status = Stage.WITHDRAWN.value
    dispute.save(update_fields=["status"])
    log_entry(dispute, DisputeLog.Kind.WITHDRAWN, now, user)
    return dispute


def actions_for(actor: Actor, facts: rules.DisputeFacts, now: datetime | None = None) -> list[str]:
    """The steps `actor` may take on the dispute now, for the pages and the API to offer."""
    now = now or timezone.now()
    checks = {
        "state": rules.statement_refusal(actor=actor, facts=facts),
        "decide": rules.decide_refusal(actor=actor, facts=facts),
        "appeal": rules.appeal_refusal(actor=actor, facts=facts, now=now),
        "decide_appeal": rules.appeal_decide_refusal(actor=actor, facts=facts),
        "withdraw": rules.withdraw_refusal(actor=actor, facts=facts),
    }
    return [name for name, refusal in checks.items() if refusal is None]
