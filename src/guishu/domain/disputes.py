"""The dispute rules (判单): who may open, state, decide, answer for the customer and appeal,
which settlements are valid, when parties agree, and the clocks of a dispute.

Pure like the ownership engine: people, moments and the policy are arguments. A refusal is a
stable code and a plain-words trace line; the services turn it into an error. What a decision
does to ownership is the engine's `Award`; this module only says whether a decision may be
taken and what it means (who leads, who collaborates, with which share).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from guishu.domain.people import Actor, Person, Role
from guishu.domain.policy import Policy
from guishu.domain.trace import TraceLine
from guishu.domain.trace import gettext_noop as N_


class Option(StrEnum):
    OWNER_KEEPS = "owner_keeps"  # the challenger yields
    TO_CHALLENGER = "to_challenger"  # the owner yields
    JOINT = "joint"  # one leads, the other collaborates, credit split
    ASK_CUSTOMER = "ask_customer"  # the customer chooses; the answer is respected


class Stage(StrEnum):
    OPEN = "open"
    ASKING_CUSTOMER = "asking_customer"
    DECIDED = "decided"
    APPEALED = "appealed"
    WITHDRAWN = "withdrawn"


class Settlement(StrEnum):
    AGREEMENT = "agreement"
    MANAGER = "manager"
    CUSTOMER = "customer"
    DIRECTOR = "director"


# A reminder goes to whoever must decide this long before the decision is due.
REMINDER_AHEAD = timedelta(days=1)


@dataclass(frozen=True)
class Refusal:
    code: str
    line: TraceLine


def refuse(code: str, message: str, **params: str) -> Refusal:
    return Refusal(code, TraceLine(message, params))


@dataclass(frozen=True)
class Proposal:
    """A way to settle the dispute, as a party proposes it or a decider decides it.

    `lead` is who owns the customer under a joint settlement (either party) and `share` the
    collaborator's credit share in percent; both are empty for the other options. A
    "no deal by" date (`fallback_on`) hands the customer to the other party if the lead has
    not won a deal by then.
    """

    option: Option
    lead_id: int | None = None
    share: Decimal | None = None
    fallback_on: date | None = None


@dataclass(frozen=True)
class Outcome:
    """What a settled proposal means: who owns, who collaborates on which share, and who
    receives the customer if no deal is won by the fallback date."""

    lead: Person
    collaborator: Person | None
    share: Decimal | None
    fallback_to: Person | None


@dataclass(frozen=True)
class Parties:
    owner: Person  # who owned the customer when the dispute opened
    challenger: Person  # who collided with them

    def ids(self) -> tuple[int, int]:
        return (self.owner.id, self.challenger.id)

    def includes(self, person_id: int) -> bool:
        return person_id in self.ids()

    def other(self, person: Person) -> Person:
        return self.challenger if person.id == self.owner.id else self.owner

    def by_id(self, person_id: int) -> Person | None:
        return {p.id: p for p in (self.owner, self.challenger)}.get(person_id)


@dataclass(frozen=True)
class DisputeFacts:
    """A dispute as the rules see it."""

    parties: Parties
    stage: Stage
    opened_by_id: int
    settlement: Settlement | None = None
    appeal_until: datetime | None = None
    appealed: bool = False


def open_refusal(
    *,
    actor: Actor,
    parties: Parties,
    collision_at: datetime,
    already_disputed: bool,
    policy: Policy,
    now: datetime,
) -> Refusal | None:
    """Either party may contest a collision within the window; a manager over either party
    (or a director) may open one at any time, since spotting a conflict is their job."""
    if already_disputed:
        return refuse("already_disputed", N_("refused: this collision is already disputed"))
    me = actor.person
    if parties.includes(me.id):
        closes = collision_at + policy.dispute_window
        if now > closes:
            return refuse(
                "window_closed",
                N_(
                    "refused: a collision can be contested for {days} days; this one closed on {at}"
                ),
                days=str(policy.dispute_window_days),
                at=_day(closes, policy),
            )
        return None
    if _oversees_either(actor, parties):
        return None
    return refuse(
        "not_permitted",
        N_("refused: only the two parties or a manager over them can open a dispute"),
    )


def proposal_refusal(
    proposal: Proposal, *, parties: Parties, policy: Policy, today: date
) -> Refusal | None:
    """Whether a proposed settlement is valid for these parties under the policy."""
    if proposal.option is Option.JOINT:
        if proposal.lead_id is None or not parties.includes(proposal.lead_id):
            return refuse(
                "lead_required", N_("refused: a joint settlement names which party leads")
            )
        if proposal.share is None:
            return refuse(
                "share_required", N_("refused: a joint settlement names the collaborator's share")
            )
        if proposal.share != proposal.share.quantize(Decimal("0.01")):
            return refuse("share_precision", N_("refused: a share has at most two decimals"))
        if not Decimal(0) < proposal.share <= policy.max_joint_share:
            return refuse(
                "share_over_cap",
                N_("refused: the collaborator's share must be above 0% and at most {cap}%"),
                cap=str(policy.max_joint_share),
            )
    elif proposal.lead_id is not None or proposal.share is not None:
        return refuse("no_split", N_("refused: only a joint settlement names a lead and a share"))
    if proposal.fallback_on is not None:
        if proposal.option is Option.ASK_CUSTOMER:
            return refuse(
                "fallback_with_customer",
                N_('refused: the customer\'s answer is respected; it takes no "no deal by" date'),
            )
        if proposal.fallback_on <= today:
            return refuse(
                "fallback_in_past", N_('refused: the "no deal by" date must be in the future')
            )
    return None


def outcome(proposal: Proposal, parties: Parties) -> Outcome:
    """Who leads and who collaborates under a (valid, non-asking) proposal."""
    match proposal.option:
        case Option.OWNER_KEEPS:
            lead, collaborator = parties.owner, None
        case Option.TO_CHALLENGER:
            lead, collaborator = parties.challenger, None
        case Option.JOINT:
            assert proposal.lead_id is not None
            lead = parties.by_id(proposal.lead_id) or parties.owner
            collaborator = parties.other(lead)
        case _:
            raise ValueError("asking the customer has no outcome until the customer answers")
    fallback_to = parties.other(lead) if proposal.fallback_on is not None else None
    return Outcome(lead, collaborator, proposal.share if collaborator else None, fallback_to)


def statement_refusal(*, actor: Actor, facts: DisputeFacts) -> Refusal | None:
    if not facts.parties.includes(actor.id):
        return refuse("not_a_party", N_("refused: only the two parties write statements"))
    if facts.stage is not Stage.OPEN:
        return _not_open(facts)
    return None


def agreement(first: Proposal | None, second: Proposal | None) -> Proposal | None:
    """The settlement both parties accepted, if they chose the same one (same lead and share
    for a joint one, same "no deal by" date)."""
    if first is None or second is None or first != second:
        return None
    return first


def decide_refusal(*, actor: Actor, facts: DisputeFacts) -> Refusal | None:
    """A manager over both parties decides an open dispute (or one waiting on the customer,
    to change course); a director or admin may too, and always may once it escalated."""
    if facts.parties.includes(actor.id):
        return refuse("party_cannot_decide", N_("refused: a party cannot decide their own dispute"))
    if facts.stage not in (Stage.OPEN, Stage.ASKING_CUSTOMER):
        return _not_open(facts)
    if not all(
        actor.oversees(person) for person in (facts.parties.owner, facts.parties.challenger)
    ):
        return refuse(
            "not_permitted",
            N_("refused: only a manager over both {owner} and {challenger} decides"),
            owner=facts.parties.owner.name,
            challenger=facts.parties.challenger.name,
        )
    return None


def answer_refusal(*, actor: Actor, facts: DisputeFacts, chosen_id: int) -> Refusal | None:
    """The customer's answer is recorded by someone who may decide: not by a party."""
    refusal = decide_refusal(actor=actor, facts=facts)
    if refusal:
        return refusal
    if not facts.parties.includes(chosen_id):
        return refuse(
            "not_a_party", N_("refused: the customer's choice must be one of the two parties")
        )
    return None


def appeal_refusal(*, actor: Actor, facts: DisputeFacts, now: datetime) -> Refusal | None:
    """One appeal, by a party, against a manager's decision, within the appeal window."""
    if not facts.parties.includes(actor.id):
        return refuse("not_a_party", N_("refused: only the two parties can appeal"))
    if facts.appealed or facts.stage is Stage.APPEALED:
        return refuse("already_appealed", N_("refused: a dispute can be appealed once"))
    if facts.stage is not Stage.DECIDED or facts.settlement is not Settlement.MANAGER:
        return refuse("not_appealable", N_("refused: only a manager's decision can be appealed"))
    if facts.appeal_until is None or now >= facts.appeal_until:
        return refuse("appeal_closed", N_("refused: the time to appeal has passed"))
    return None


def appeal_decide_refusal(*, actor: Actor, facts: DisputeFacts) -> Refusal | None:
    if facts.stage is not Stage.APPEALED:
        return refuse("not_appealed", N_("refused: this dispute is not under appeal"))
    if facts.parties.includes(actor.id):
        return refuse("party_cannot_decide", N_("refused: a party cannot decide their own dispute"))
    if actor.person.role not in (Role.DIRECTOR, Role.ADMIN) or not actor.person.active:
        return refuse("not_permitted", N_("refused: a director decides appeals"))
    return None


def withdraw_refusal(*, actor: Actor, facts: DisputeFacts) -> Refusal | None:
    if actor.id != facts.opened_by_id:
        return refuse("not_permitted", N_("refused: only whoever opened a dispute withdraws it"))
    if facts.stage is not Stage.OPEN:
        return _not_open(facts)
    return None


def decision_due(opened_at: datetime, policy: Policy) -> datetime:
    """When the manager must have decided: the policy's days, holidays not counted."""
    return policy.pauses.after(opened_at, policy.dispute_decision_time)


def reminder_due(*, due_at: datetime, reminded: bool, now: datetime) -> bool:
    return not reminded and now >= due_at - REMINDER_AHEAD


def escalation_due(*, due_at: datetime, escalated: bool, now: datetime) -> bool:
    return not escalated and now >= due_at


def appeal_until(decided_at: datetime, policy: Policy) -> datetime | None:
    """Until when a manager's decision may be appealed (None: the policy allows no appeal)."""
    if policy.dispute_appeal_days == 0:
        return None
    return decided_at + policy.appeal_window


def fallback_due(fallback_on: date, *, now: datetime, policy: Policy) -> bool:
    """The "no deal by" date has passed: the whole day counts, in the company's time zone."""
    return now.astimezone(ZoneInfo(policy.timezone)).date() > fallback_on


def _oversees_either(actor: Actor, parties: Parties) -> bool:
    return actor.oversees(parties.owner) or actor.oversees(parties.challenger)


def _not_open(facts: DisputeFacts) -> Refusal:
    if facts.stage is Stage.WITHDRAWN:
        return refuse("not_open", N_("refused: the dispute was withdrawn"))
    if facts.stage is Stage.APPEALED:
        return refuse("not_open", N_("refused: the dispute is with the director on appeal"))
    if facts.stage is Stage.ASKING_CUSTOMER:
        return refuse("not_open", N_("refused: the customer is being asked"))
    return refuse("not_open", N_("refused: the dispute has been settled"))


def _day(moment: datetime, policy: Policy) -> str:
    return moment.astimezone(ZoneInfo(policy.timezone)).date().isoformat()
