"""What each party to a dispute did for the customer, side by side, in plain words.

A dispute (判单) is settled by the parties' agreement, a manager's judgement or the customer's
own choice: never by a formula. So this module informs and does not decide. It counts each
party's touchpoints (by kind, by channel, how many the customer started, minutes spent), notes
the milestones reached and when (quote, sample, invitation accepted, factory visit, order
intent, won orders), and says it in short sentences; then it sets a few neutral facts side by
side: who registered first, who was in contact first, who got furthest, whom the customer
reaches out to, and whom the customer said they prefer. It returns no verdict, no score and
no winner: the case of reps A and B (DOMAIN.md) is exactly where "first" and "most" disagree,
and weighing them is the people's job.

Touchpoints refused at logging (the customer was the other party's) count like any other: they
are kept as evidence, and marked so.
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import MappingProxyType

from guishu.domain.trace import TraceLine, day
from guishu.domain.trace import gettext_noop as N_

OWNER = "owner"
CHALLENGER = "challenger"

# The milestones a dispute weighs, from the first step towards a deal to the last; a won order
# lies beyond them all. The order only says which comes later, not what anything is worth.
MILESTONES = ("quote", "sample", "invitation", "factory_visit", "order_intent")

# A party whose latest touchpoint is at least this old is said to have had "no contact since".
QUIET_DAYS = 30


@dataclass(frozen=True)
class Touch:
    """One touchpoint by a party: logged, or refused at logging and kept as evidence."""

    at: datetime
    kind: str
    channel: str = "other"
    customer_initiated: bool = False
    duration_minutes: int = 0
    refused: bool = False


@dataclass(frozen=True)
class Party:
    """One side of a dispute, as the records show it.

    `registered_at` is the party's registration (refused ones included, flagged by
    `registration_refused`); `owner_since` is when the term in force at the dispute began;
    `first_contact_at` is the first contact the party stated when registering; `orders` are the
    times of won orders credited to the party.
    """

    person_id: int
    name: str
    role: str
    registered_at: datetime | None = None
    registration_refused: bool = False
    owner_since: datetime | None = None
    first_contact_at: datetime | None = None
    touches: tuple[Touch, ...] = ()
    orders: tuple[datetime, ...] = ()


@dataclass(frozen=True)
class Preference:
    """What the customer said when asked whom they want to deal with (person may be None)."""

    person_id: int | None = None
    name: str = ""
    answer: str = ""
    answered_at: datetime | None = None

    @property
    def recorded(self) -> bool:
        return self.person_id is not None or bool(self.answer.strip())


@dataclass(frozen=True)
class PartyContribution:
    """What one party did: the facts and a short plain-words summary of them."""

    party: Party
    touches: tuple[Touch, ...]  # oldest first
    first_touch_at: datetime | None
    last_touch_at: datetime | None
    earliest_contact_at: datetime | None  # the stated first contact or the first touch
    refused_count: int
    customer_initiated: int
    total_minutes: int
    by_kind: Mapping[str, int]
    by_channel: Mapping[str, int]
    milestones: Mapping[str, datetime]  # first time each was reached, in MILESTONES order
    first_order_at: datetime | None
    summary: tuple[TraceLine, ...] = field(default=())

    @property
    def touch_count(self) -> int:
        return len(self.touches)

    @property
    def order_count(self) -> int:
        return len(self.party.orders)

    @property
    def furthest(self) -> tuple[int, str, datetime] | None:
        """(rank, milestone, first reached): the last milestone reached; a won order ranks
        above them all and is named "order"."""
        if self.first_order_at is not None:
            return (len(MILESTONES), "order", self.first_order_at)
        for rank in reversed(range(len(MILESTONES))):
            kind = MILESTONES[rank]
            if kind in self.milestones:
                return (rank, kind, self.milestones[kind])
        return None


@dataclass(frozen=True)
class Contribution:
    """Both parties side by side (owner first) and the neutral comparison lines. No winner."""

    parties: tuple[PartyContribution, ...]
    comparison: tuple[TraceLine, ...]


def contribution(
    parties: Sequence[Party],
    *,
    as_of: datetime,
    tz: str,
    preference: Preference | None = None,
) -> Contribution:
    """Assembles the two parties' contributions and sets them side by side.

    Pure: `as_of` (when the evidence is read) and `tz` (the company's time zone, for the dates
    in the sentences) are arguments. It informs the people who decide; it never decides.
    """
    if as_of.tzinfo is None:
        raise ValueError("as_of must be timezone-aware")
    if len(parties) != 2 or parties[0].person_id == parties[1].person_id:
        raise ValueError("a dispute has exactly two different parties")
    ordered = sorted(parties, key=lambda p: p.role != OWNER)
    sides = tuple(_party_contribution(p, as_of, tz) for p in ordered)
    return Contribution(parties=sides, comparison=_comparison(sides, preference, tz))


def _party_contribution(party: Party, as_of: datetime, tz: str) -> PartyContribution:
    touches = tuple(sorted(party.touches, key=lambda t: t.at))
    for moment in (party.registered_at, party.owner_since, party.first_contact_at, as_of):
        if moment is not None and moment.tzinfo is None:
            raise ValueError("times must be timezone-aware")
    milestones: dict[str, datetime] = {}
    for touch in touches:
        if touch.at.tzinfo is None:
            raise ValueError("touch times must be timezone-aware")
        if touch.kind in MILESTONES:
            milestones.setdefault(touch.kind, touch.at)
    first = touches[0].at if touches else None
    contacts = [t for t in (party.first_contact_at, first) if t is not None]
    facts = PartyContribution(
        party=party,
        touches=touches,
        first_touch_at=first,
        last_touch_at=touches[-1].at if touches else None,
        earliest_contact_at=min(contacts) if contacts else None,
        refused_count=sum(t.refused for t in touches),
        customer_initiated=sum(t.customer_initiated for t in touches),
        total_minutes=sum(t.duration_minutes for t in touches),
        by_kind=MappingProxyType(dict(Counter(t.kind for t in touches).most_common())),
        by_channel=MappingProxyType(dict(Counter(t.channel for t in touches).most_common())),
        milestones=MappingProxyType({k: milestones[k] for k in MILESTONES if k in milestones}),
        first_order_at=min(party.orders) if party.orders else None,
    )
    return replace(facts, summary=_summary(facts, as_of, tz))


def _line(message: str, **params: object) -> TraceLine:
    return TraceLine(message, {name: str(value) for name, value in params.items()})


def _summary(facts: PartyContribution, as_of: datetime, tz: str) -> tuple[TraceLine, ...]:
    party, rep = facts.party, facts.party.name
    lines = [_standing(party, tz)]
    if party.first_contact_at is not None and (
        facts.first_touch_at is None or party.first_contact_at < facts.first_touch_at
    ):
        lines.append(
            _line(
                N_("{rep} gave {date} as the first contact"),
                rep=rep,
                date=day(party.first_contact_at, tz),
            )
        )
    lines.extend(_touch_lines(facts, tz))
    lines.extend(_milestone_lines(facts, tz))
    if facts.last_touch_at is not None:
        quiet = (as_of - facts.last_touch_at).days
        message = (
            N_("{rep} has had no contact since {date} ({days} days)")
            if quiet >= QUIET_DAYS
            else N_("{rep}'s latest touchpoint was on {date}")
        )
        lines.append(_line(message, rep=rep, date=day(facts.last_touch_at, tz), days=quiet))
    return tuple(lines)


def _standing(party: Party, tz: str) -> TraceLine:
    rep = party.name
    if party.registered_at is not None and party.registration_refused:
        return _line(
            N_("{rep} tried to register it on {date}: refused, kept as evidence"),
            rep=rep,
            date=day(party.registered_at, tz),
        )
    if party.registered_at is not None:
        return _line(
            N_("{rep} registered it on {date}"), rep=rep, date=day(party.registered_at, tz)
        )
    if party.owner_since is not None:
        return _line(
            N_("{rep} has owned it since {date}"), rep=rep, date=day(party.owner_since, tz)
        )
    return _line(N_("{rep} has not registered it"), rep=rep)


def _touch_lines(facts: PartyContribution, tz: str) -> list[TraceLine]:
    rep, touches = facts.party.name, facts.touches
    if not touches:
        return [_line(N_("{rep} has no recorded touchpoint"), rep=rep)]
    if len(touches) == 1:
        only = touches[0]
        message = (
            N_("{rep} had one touchpoint, started by the customer: {kind} on {date}")
            if only.customer_initiated
            else N_("{rep} had one touchpoint: {kind} on {date}")
        )
        lines = [_line(message, rep=rep, kind=only.kind, date=day(only.at, tz))]
    else:
        message = (
            N_(
                "{rep} had {count} touchpoints between {first} and {last}, {initiated} of them "
                "started by the customer, {minutes} minutes in all"
            )
            if facts.customer_initiated
            else N_(
                "{rep} had {count} touchpoints between {first} and {last}, none started by the "
                "customer, {minutes} minutes in all"
            )
        )
        span = _line(
            message,
            rep=rep,
            count=len(touches),
            first=day(touches[0].at, tz),
            last=day(touches[-1].at, tz),
            initiated=facts.customer_initiated,
            minutes=facts.total_minutes,
        )
        lines = [span]
    if facts.refused_count:
        lines.append(
            _line(
                N_("{rep}'s touchpoints refused at logging and kept as evidence: {count}"),
                rep=rep,
                count=facts.refused_count,
            )
        )
    return lines


def _milestone_lines(facts: PartyContribution, tz: str) -> list[TraceLine]:
    rep = facts.party.name
    lines = [
        _line(
            N_("Milestone reached by {rep}: {kind}, first on {date}"),
            rep=rep,
            kind=kind,
            date=day(at, tz),
        )
        for kind, at in facts.milestones.items()
    ]
    if facts.first_order_at is not None:
        lines.append(
            _line(
                N_("Orders won by {rep}: {count}, the first on {date}"),
                rep=rep,
                count=facts.order_count,
                date=day(facts.first_order_at, tz),
            )
        )
    if not lines and facts.touches:
        lines.append(_line(N_("{rep} reached no milestone"), rep=rep))
    return lines


def _comparison(
    sides: tuple[PartyContribution, ...], preference: Preference | None, tz: str
) -> tuple[TraceLine, ...]:
    lines = [_registered_first(sides, tz)]
    contact = _contacted_first(sides, tz)
    if contact is not None:
        lines.append(contact)
    lines.extend(_furthest(sides, tz))
    lines.extend(_reaching_out(sides, tz))
    lines.append(_preference(preference, tz))
    return tuple(lines)


def _registered_first(sides: tuple[PartyContribution, ...], tz: str) -> TraceLine:
    filed = sorted(
        ((s.party.registered_at, s.party) for s in sides if s.party.registered_at is not None),
        key=lambda pair: pair[0],
    )
    if not filed:
        return _line(N_("Neither registered it"))
    if len(filed) == 1:
        ((at, only),) = filed
        message = (
            N_("Only {rep} tried to register it, on {date}, and was refused")
            if only.registration_refused
            else N_("Only {rep} registered it, on {date}")
        )
        return _line(message, rep=only.name, date=day(at, tz))
    (first_at, first), (second_at, second) = filed
    templates = {
        (False, False): N_("{first} registered it first, on {date}; {second} on {second_date}"),
        (False, True): N_(
            "{first} registered it first, on {date}; {second}'s registration on {second_date} "
            "was refused"
        ),
        (True, False): N_(
            "{first} tried to register it first, on {date}, and was refused; {second} "
            "registered it on {second_date}"
        ),
        (True, True): N_(
            "{first} tried to register it first, on {date}; {second} tried on {second_date}; "
            "both were refused"
        ),
    }
    return _line(
        templates[(first.registration_refused, second.registration_refused)],
        first=first.name,
        date=day(first_at, tz),
        second=second.name,
        second_date=day(second_at, tz),
    )


def _contacted_first(sides: tuple[PartyContribution, ...], tz: str) -> TraceLine | None:
    known = sorted(
        ((s.earliest_contact_at, s.party.name) for s in sides if s.earliest_contact_at),
        key=lambda pair: pair[0],
    )
    if not known:
        return None
    if len(known) == 1:
        ((at, only),) = known
        return _line(
            N_("Only {rep} has a recorded contact, from {date}"), rep=only, date=day(at, tz)
        )
    (first_at, first), (second_at, second) = known
    first_day, second_day = day(first_at, tz), day(second_at, tz)
    if first_day == second_day:
        return _line(N_("Both were first in contact on {date}"), date=first_day)
    return _line(
        N_("{first} was in contact first, on {date}; {second} from {second_date}"),
        first=first,
        date=first_day,
        second=second,
        second_date=second_day,
    )


def _furthest(sides: tuple[PartyContribution, ...], tz: str) -> list[TraceLine]:
    reached = [(s.furthest, s.party.name) for s in sides]
    if all(far is None for far, _ in reached):
        return [_line(N_("Neither reached a milestone"))]
    (far_a, name_a), (far_b, name_b) = reached
    if far_a is not None and far_b is not None and far_a[0] == far_b[0]:
        (_, kind, at_a), (_, _, at_b) = far_a, far_b
        if kind == "order":
            return [_line(N_("Both have won orders from the customer"))]
        return [
            _line(
                N_("Both reached {kind}: {first} on {date}, {second} on {second_date}"),
                kind=kind,
                first=name_a,
                date=day(at_a, tz),
                second=name_b,
                second_date=day(at_b, tz),
            )
        ]
    ranked = sorted(reached, key=lambda r: -1 if r[0] is None else r[0][0], reverse=True)
    (lead, lead_name), (other, other_name) = ranked
    assert lead is not None
    lines = [_went_furthest(lead_name, lead[1], lead[2], tz)]
    if other is None:
        lines.append(_line(N_("{rep} reached no milestone"), rep=other_name))
    else:
        lines.append(
            _line(
                N_("{rep} got as far as {kind}, on {date}"),
                rep=other_name,
                kind=other[1],
                date=day(other[2], tz),
            )
        )
    return lines


def _went_furthest(rep: str, kind: str, at: datetime, tz: str) -> TraceLine:
    if kind == "order":
        return _line(N_("{rep} went furthest: a won order, on {date}"), rep=rep, date=day(at, tz))
    return _line(
        N_("{rep} went furthest: {kind}, first on {date}"), rep=rep, kind=kind, date=day(at, tz)
    )


def _reaching_out(sides: tuple[PartyContribution, ...], tz: str) -> list[TraceLine]:
    a, b = sides
    if not a.customer_initiated and not b.customer_initiated:
        return [_line(N_("The customer started no touchpoint with either"))]
    latest = max(
        ((t.at, s.party.name) for s in sides for t in s.touches if t.customer_initiated),
        key=lambda pair: pair[0],
    )
    return [
        _line(
            N_(
                "The customer started {count} touchpoints with {rep} and {other_count} with {other}"
            ),
            count=a.customer_initiated,
            rep=a.party.name,
            other_count=b.customer_initiated,
            other=b.party.name,
        ),
        _line(
            N_("The customer last reached out to {rep}, on {date}"),
            rep=latest[1],
            date=day(latest[0], tz),
        ),
    ]


def _preference(preference: Preference | None, tz: str) -> TraceLine:
    if preference is None or not preference.recorded:
        return _line(N_("The customer's preference is not recorded"))
    when = day(preference.answered_at, tz) if preference.answered_at else None
    if preference.person_id is not None:
        if when:
            return _line(
                N_("The customer said on {date} they prefer {rep}"), date=when, rep=preference.name
            )
        return _line(N_("The customer said they prefer {rep}"), rep=preference.name)
    if when:
        return _line(N_("The customer answered on {date} without naming either"), date=when)
    return _line(N_("The customer answered without naming either"))
