"""The dispute rules on plain objects: who may do what, valid settlements, agreement, clocks."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from guishu.domain import Actor, Person, Policy, Role
from guishu.domain import disputes as rules
from guishu.domain.disputes import DisputeFacts, Option, Parties, Proposal, Settlement, Stage

NOW = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)
A = Person(1, "王磊")
B = Person(2, "陈静")
PARTIES = Parties(owner=A, challenger=B)
MANAGER = Actor(Person(3, "Carol", Role.MANAGER), manages=frozenset({1, 2, 3}))
HALF_MANAGER = Actor(Person(4, "Wendy", Role.MANAGER), manages=frozenset({2, 4}))
DIRECTOR = Actor(Person(5, "Diana", Role.DIRECTOR), manages=None)
OUTSIDER = Actor(Person(6, "Dave"))
POLICY = Policy()
OPEN = DisputeFacts(parties=PARTIES, stage=Stage.OPEN, opened_by_id=B.id)


def as_actor(person: Person) -> Actor:
    return Actor(person)


def codes(refusal: rules.Refusal | None) -> str | None:
    return refusal.code if refusal else None


def opening(actor: Actor, collided: datetime, disputed: bool = False) -> str | None:
    return codes(
        rules.open_refusal(
            actor=actor,
            parties=PARTIES,
            collision_at=collided,
            already_disputed=disputed,
            policy=POLICY,
            now=NOW,
        )
    )


def test_either_party_opens_within_the_window_and_not_after():
    inside = NOW - timedelta(days=POLICY.dispute_window_days)
    assert opening(as_actor(A), inside) is None
    assert opening(as_actor(B), inside) is None
    assert opening(as_actor(B), inside - timedelta(seconds=1)) == "window_closed"


def test_a_manager_over_either_party_opens_at_any_time_and_nobody_else():
    long_ago = NOW - timedelta(days=400)
    assert opening(MANAGER, long_ago) is None
    assert opening(HALF_MANAGER, long_ago) is None
    assert opening(DIRECTOR, long_ago) is None
    assert opening(OUTSIDER, NOW) == "not_permitted"


def test_a_collision_is_disputed_once():
    assert opening(as_actor(B), NOW, disputed=True) == "already_disputed"


TODAY = date(2026, 6, 1)


@pytest.mark.parametrize(
    ("proposal", "code"),
    [
        (Proposal(Option.OWNER_KEEPS), None),
        (Proposal(Option.TO_CHALLENGER, fallback_on=date(2026, 9, 1)), None),
        (Proposal(Option.JOINT, lead_id=B.id, share=Decimal("40")), None),
        (Proposal(Option.JOINT, lead_id=A.id, share=Decimal("50")), None),
        (Proposal(Option.ASK_CUSTOMER), None),
        (Proposal(Option.JOINT, share=Decimal("40")), "lead_required"),
        (Proposal(Option.JOINT, lead_id=99, share=Decimal("40")), "lead_required"),
        (Proposal(Option.JOINT, lead_id=B.id), "share_required"),
        (Proposal(Option.JOINT, lead_id=B.id, share=Decimal("50.01")), "share_over_cap"),
        (Proposal(Option.JOINT, lead_id=B.id, share=Decimal("0")), "share_over_cap"),
        (Proposal(Option.JOINT, lead_id=B.id, share=Decimal("33.333")), "share_precision"),
        (Proposal(Option.OWNER_KEEPS, share=Decimal("10")), "no_split"),
        (Proposal(Option.TO_CHALLENGER, lead_id=B.id), "no_split"),
        (Proposal(Option.ASK_CUSTOMER, fallback_on=date(2026, 9, 1)), "fallback_with_customer"),
        (Proposal(Option.OWNER_KEEPS, fallback_on=TODAY), "fallback_in_past"),
    ],
)
def test_settlements_are_validated(proposal: Proposal, code: str | None):
    refusal = rules.proposal_refusal(proposal, parties=PARTIES, policy=POLICY, today=TODAY)
    assert codes(refusal) == code


def test_the_joint_cap_is_a_policy_value():
    strict = Policy(max_joint_share=30)
    proposal = Proposal(Option.JOINT, lead_id=B.id, share=Decimal("40"))
    refusal = rules.proposal_refusal(proposal, parties=PARTIES, policy=strict, today=TODAY)
    assert codes(refusal) == "share_over_cap"
    assert refusal is not None and refusal.line.params == {"cap": "30"}


def test_outcomes_name_the_lead_the_collaborator_and_the_fallback():
    keeps = rules.outcome(Proposal(Option.OWNER_KEEPS), PARTIES)
    assert (keeps.lead, keeps.collaborator, keeps.share, keeps.fallback_to) == (A, None, None, None)
    joint = rules.outcome(
        Proposal(Option.JOINT, lead_id=B.id, share=Decimal(40), fallback_on=TODAY), PARTIES
    )
    assert (joint.lead, joint.collaborator, joint.share, joint.fallback_to) == (
        B,
        A,
        Decimal(40),
        A,
    )
    goes = rules.outcome(Proposal(Option.TO_CHALLENGER), PARTIES)
    assert goes.lead == B and goes.collaborator is None
    with pytest.raises(ValueError):
        rules.outcome(Proposal(Option.ASK_CUSTOMER), PARTIES)


def test_agreement_needs_the_same_settlement_from_both():
    joint = Proposal(Option.JOINT, lead_id=B.id, share=Decimal("40"))
    assert rules.agreement(joint, Proposal(Option.JOINT, lead_id=B.id, share=Decimal("40.00")))
    assert rules.agreement(joint, None) is None
    assert rules.agreement(joint, replace(joint, share=Decimal("30"))) is None
    assert rules.agreement(joint, replace(joint, lead_id=A.id)) is None
    assert rules.agreement(joint, replace(joint, fallback_on=TODAY)) is None


def test_only_the_parties_state_and_only_while_open():
    assert rules.statement_refusal(actor=as_actor(A), facts=OPEN) is None
    assert codes(rules.statement_refusal(actor=MANAGER, facts=OPEN)) == "not_a_party"
    settled = replace(OPEN, stage=Stage.DECIDED)
    assert codes(rules.statement_refusal(actor=as_actor(A), facts=settled)) == "not_open"


def test_a_manager_over_both_decides_never_a_party_nor_half_a_manager():
    assert rules.decide_refusal(actor=MANAGER, facts=OPEN) is None
    assert rules.decide_refusal(actor=DIRECTOR, facts=OPEN) is None
    assert codes(rules.decide_refusal(actor=HALF_MANAGER, facts=OPEN)) == "not_permitted"
    assert codes(rules.decide_refusal(actor=OUTSIDER, facts=OPEN)) == "not_permitted"
    manager_party = DisputeFacts(
        parties=Parties(owner=MANAGER.person, challenger=B), stage=Stage.OPEN, opened_by_id=2
    )
    assert codes(rules.decide_refusal(actor=MANAGER, facts=manager_party)) == (
        "party_cannot_decide"
    )
    decided = replace(OPEN, stage=Stage.DECIDED, settlement=Settlement.MANAGER)
    assert codes(rules.decide_refusal(actor=MANAGER, facts=decided)) == "not_open"


def test_the_customer_answer_names_a_party():
    asking = replace(OPEN, stage=Stage.ASKING_CUSTOMER)
    assert rules.answer_refusal(actor=MANAGER, facts=asking, chosen_id=B.id) is None
    assert codes(rules.answer_refusal(actor=MANAGER, facts=asking, chosen_id=99)) == "not_a_party"
    assert codes(rules.answer_refusal(actor=as_actor(B), facts=asking, chosen_id=B.id)) == (
        "party_cannot_decide"
    )


def test_one_appeal_of_a_managers_decision_within_the_window():
    until = NOW + timedelta(days=7)
    decided = replace(OPEN, stage=Stage.DECIDED, settlement=Settlement.MANAGER, appeal_until=until)
    assert rules.appeal_refusal(actor=as_actor(A), facts=decided, now=NOW) is None
    assert codes(rules.appeal_refusal(actor=MANAGER, facts=decided, now=NOW)) == "not_a_party"
    assert codes(rules.appeal_refusal(actor=as_actor(A), facts=decided, now=until)) == (
        "appeal_closed"
    )
    agreed = replace(decided, settlement=Settlement.AGREEMENT, appeal_until=None)
    assert codes(rules.appeal_refusal(actor=as_actor(A), facts=agreed, now=NOW)) == (
        "not_appealable"
    )
    chosen = replace(decided, settlement=Settlement.CUSTOMER)
    assert codes(rules.appeal_refusal(actor=as_actor(A), facts=chosen, now=NOW)) == (
        "not_appealable"
    )
    again = replace(decided, appealed=True)
    assert codes(rules.appeal_refusal(actor=as_actor(B), facts=again, now=NOW)) == (
        "already_appealed"
    )


def test_a_director_decides_the_appeal():
    appealed = replace(OPEN, stage=Stage.APPEALED, settlement=Settlement.MANAGER, appealed=True)
    assert rules.appeal_decide_refusal(actor=DIRECTOR, facts=appealed) is None
    assert codes(rules.appeal_decide_refusal(actor=MANAGER, facts=appealed)) == "not_permitted"
    assert codes(rules.appeal_decide_refusal(actor=DIRECTOR, facts=OPEN)) == "not_appealed"


def test_whoever_opened_withdraws_while_open():
    assert rules.withdraw_refusal(actor=as_actor(B), facts=OPEN) is None
    assert codes(rules.withdraw_refusal(actor=as_actor(A), facts=OPEN)) == "not_permitted"


def test_the_clocks():
    due = rules.decision_due(NOW, POLICY)
    assert due == NOW + timedelta(days=POLICY.dispute_decision_days)
    assert not rules.reminder_due(due_at=due, reminded=False, now=due - timedelta(days=2))
    assert rules.reminder_due(due_at=due, reminded=False, now=due - timedelta(hours=23))
    assert not rules.reminder_due(due_at=due, reminded=True, now=due)
    assert not rules.escalation_due(due_at=due, escalated=False, now=due - timedelta(seconds=1))
    assert rules.escalation_due(due_at=due, escalated=False, now=due)
    assert rules.appeal_until(NOW, Policy(dispute_appeal_days=0)) is None
    assert rules.appeal_until(NOW, POLICY) == NOW + timedelta(days=7)


def test_holidays_pause_the_decision_clock():
    from guishu.domain.calendar import Holiday

    policy = Policy(holidays=(Holiday(date(2026, 6, 2), date(2026, 6, 4), "端午"),))
    assert rules.decision_due(NOW, policy) == NOW + timedelta(days=5 + 3)


def test_the_no_deal_date_counts_the_whole_company_day():
    last_day = date(2026, 6, 1)
    # 2026-06-01 23:00 in Shanghai is still the last day.
    assert not rules.fallback_due(
        last_day, now=datetime(2026, 6, 1, 15, 0, tzinfo=UTC), policy=POLICY
    )
    assert rules.fallback_due(last_day, now=datetime(2026, 6, 1, 16, 0, tzinfo=UTC), policy=POLICY)
