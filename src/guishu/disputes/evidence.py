"""The evidence of a dispute, assembled from the records and shown side by side.

For each party (the owner when the dispute opened, then the challenger): registration and
first-contact times, every touchpoint (who, when, channel, whether the customer started it),
the milestones reached, won orders, and a short plain-words summary; then a few neutral
comparisons and the customer's stated preference. Touchpoints a party typed but the rules
refused (the customer was someone else's) are kept on collision records and count here too,
marked as refused. Only the two parties' own records count.

It informs whoever settles the dispute and never decides (guishu.domain.contribution). The
result is plain JSON, stored as the snapshot a decision rested on, so trace lines are kept as
templates with parameters and rendered in the reader's language only when read.
"""

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from guishu.accounts.models import User
from guishu.activities.models import Activity, Order
from guishu.disputes.models import Collision, Dispute
from guishu.domain.contribution import (
    CHALLENGER,
    OWNER,
    Party,
    PartyContribution,
    Preference,
    Touch,
    contribution,
)
from guishu.ownership.models import Ownership
from guishu.web.trace import translate_trace

ACTIVITY_FIELDS = (
    "id",
    "by_id",
    "kind",
    "channel",
    "occurred_at",
    "duration_minutes",
    "customer_initiated",
    "outcome",
    "note",
)


def dispute_evidence(dispute: Dispute, *, now: datetime | None = None) -> dict[str, Any]:
    """Both parties' evidence side by side, owner first, as JSON; a fixed number of queries
    however many touchpoints there are.

    Shape: {"dispute", "as_of", "parties": [party, party], "comparison": [trace line],
    "customer_preference": {"person_id", "name", "answer", "answered_at"}}; each party has
    "person" {id, name, team}, "role", the registration facts, the counts, "milestones"
    {kind: first reached}, "orders", "touches" and "summary" [trace line]. Trace lines are
    {"message", "params"}; times are ISO 8601. Read by `dispute_evidence_text` for display.
    """
    now = now or timezone.now()
    ids = {OWNER: dispute.owner_id, CHALLENGER: dispute.challenger_id}
    party_ids = list(ids.values())
    people = {
        user.pk: user
        for user in User.objects.filter(
            pk__in=[*party_ids, *filter(None, [dispute.customer_choice_id])]
        ).select_related("team")
    }
    touches: dict[int, list[tuple[Touch, dict[str, Any]]]] = {pk: [] for pk in party_ids}
    for row in (
        Activity.objects.filter(
            customer_id=dispute.customer_id, by_id__in=party_ids, occurred_at__lte=now
        )
        .order_by("occurred_at", "pk")
        .values(*ACTIVITY_FIELDS)
    ):
        touches[row["by_id"]].append(_logged(row))
    refused_registrations: dict[int, list[Collision]] = {pk: [] for pk in party_ids}
    for collision in Collision.objects.filter(
        customer_id=dispute.customer_id,
        attempted_by_id__in=party_ids,
        action__in=[Collision.Action.REGISTER, Collision.Action.FOLLOW_UP],
        at__lte=now,
    ).order_by("at", "pk"):
        if collision.action == Collision.Action.REGISTER:
            refused_registrations[collision.attempted_by_id].append(collision)
        elif (touch := _refused(collision)) is not None:
            touches[collision.attempted_by_id].append(touch)
    terms = list(
        Ownership.objects.filter(
            customer_id=dispute.customer_id, owner_id__in=party_ids, started_at__lte=now
        ).order_by("started_at", "pk")
    )
    orders = list(
        Order.objects.filter(
            customer_id=dispute.customer_id,
            credited_to_id__in=party_ids,
            status=Order.Status.WON,
            ordered_at__lte=now,
        ).order_by("ordered_at", "pk")
    )

    parties, extra = [], {}
    for role, pk in ids.items():
        party, facts = _party(
            dispute,
            role,
            people[pk],
            touches=[touch for touch, _ in touches[pk]],
            terms=[term for term in terms if term.owner_id == pk],
            refused=refused_registrations[pk],
            orders=[order for order in orders if order.credited_to_id == pk],
        )
        parties.append(party)
        in_order = sorted(touches[pk], key=lambda pair: pair[0].at)
        extra[pk] = facts | {"touches": [shown for _, shown in in_order]}
    chosen = people.get(dispute.customer_choice_id) if dispute.customer_choice_id else None
    preference = Preference(
        person_id=dispute.customer_choice_id,
        name=chosen.name if chosen else "",
        answer=dispute.customer_answer,
        answered_at=dispute.customer_answered_at,
    )
    result = contribution(parties, as_of=now, tz=settings.TIME_ZONE, preference=preference)
    return {
        "dispute": dispute.pk,
        "as_of": now.isoformat(),
        "parties": [
            _party_json(side, people[side.party.person_id], extra[side.party.person_id])
            for side in result.parties
        ],
        "comparison": [line.as_json() for line in result.comparison],
        "customer_preference": {
            "person_id": dispute.customer_choice_id,
            "name": preference.name,
            "answer": dispute.customer_answer,
            "answered_at": _iso(dispute.customer_answered_at),
        },
    }


def dispute_evidence_text(evidence: Mapping[str, Any]) -> dict[str, Any]:
    """The same evidence with every trace line rendered in the active language, for the API
    and the pages; a stored snapshot reads in whichever language its reader uses."""
    return {
        **evidence,
        "parties": [
            {**party, "summary": [translate_trace(line) for line in party.get("summary", [])]}
            for party in evidence.get("parties", [])
        ],
        "comparison": [translate_trace(line) for line in evidence.get("comparison", [])],
    }


def _logged(row: Mapping[str, Any]) -> tuple[Touch, dict[str, Any]]:
    touch = Touch(
        at=row["occurred_at"],
        kind=row["kind"],
        channel=row["channel"],
        customer_initiated=row["customer_initiated"],
        duration_minutes=row["duration_minutes"],
    )
    return touch, _touch_json(
        touch, by=row["by_id"], outcome=row["outcome"], note=row["note"], activity=row["id"]
    )


def _refused(collision: Collision) -> tuple[Touch, dict[str, Any]] | None:
    """The touchpoint a refused follow-up carried; None when nothing was typed (a refused
    order, for instance, keeps no activity)."""
    entered = (collision.submitted or {}).get("activity")
    if not isinstance(entered, Mapping) or not entered.get("kind"):
        return None
    touch = Touch(
        at=_moment(entered.get("occurred_at")) or collision.at,
        kind=str(entered["kind"]),
        channel=str(entered.get("channel") or Activity.Channel.OTHER),
        customer_initiated=bool(entered.get("customer_initiated")),
        duration_minutes=int(entered.get("duration_minutes") or 0),
        refused=True,
    )
    return touch, _touch_json(
        touch,
        by=collision.attempted_by_id,
        outcome=str(entered.get("outcome") or ""),
        note=str(entered.get("note") or ""),
        collision=collision.pk,
    )


def _touch_json(touch: Touch, *, by: int, outcome: str, note: str, **source: int) -> dict[str, Any]:
    return {
        "at": touch.at.isoformat(),
        "kind": touch.kind,
        "channel": touch.channel,
        "customer_initiated": touch.customer_initiated,
        "duration_minutes": touch.duration_minutes,
        "refused": touch.refused,
        "by": by,
        "outcome": outcome,
        "note": note,
        # Where it is kept: {"activity": id} or, refused, {"collision": id}.
        **source,
    }


def _party(
    dispute: Dispute,
    role: str,
    user: User,
    *,
    touches: list[Touch],
    terms: list[Ownership],
    refused: list[Collision],
    orders: list[Order],
) -> tuple[Party, dict[str, Any]]:
    """The party as the contribution rules read it, and the facts only the JSON shows.

    A registration that stood comes before a refused one; the stated first contact is the
    earliest the party gave, on a term or on a refused registration's form.
    """
    registered = [
        term.started_at for term in terms if term.basis == Ownership.BasisChoice.REGISTERED
    ]
    refused_at = [collision.at for collision in refused]
    forms = [collision.submitted or {} for collision in refused]
    in_force = [
        term
        for term in terms
        if term.started_at <= dispute.opened_at
        and (term.ended_at is None or term.ended_at > dispute.opened_at)
    ]
    first_contact = _earliest(
        [term.first_contact_at for term in terms]
        + [_moment(form.get("first_contact_at")) for form in forms]
    )
    details_found = _earliest(
        [term.details_found_at for term in terms]
        + [_moment(form.get("details_found_at")) for form in forms]
    )
    party = Party(
        person_id=user.pk,
        name=user.name,
        role=role,
        registered_at=min(registered or refused_at, default=None),
        registration_refused=not registered and bool(refused_at),
        owner_since=in_force[-1].started_at if in_force else None,
        first_contact_at=first_contact,
        touches=tuple(touches),
        orders=tuple(order.ordered_at for order in orders),
    )
    facts = {
        "details_found_at": _iso(details_found),
        "refused_registrations": [
            {"at": _iso(collision.at), "collision": collision.pk} for collision in refused
        ],
        "orders": [
            {
                "id": order.pk,
                "number": order.number,
                "at": _iso(order.ordered_at),
                "amount": str(order.amount),
                "currency": order.currency,
            }
            for order in orders
        ],
    }
    return party, facts


def _party_json(side: PartyContribution, user: User, facts: Mapping[str, Any]) -> dict[str, Any]:
    party = side.party
    return {
        "person": {"id": user.pk, "name": user.name, "team": user.team.name if user.team else None},
        "role": party.role,
        "registered_at": _iso(party.registered_at),
        "registration_refused": party.registration_refused,
        "owner_since": _iso(party.owner_since),
        "first_contact_at": _iso(party.first_contact_at),
        "details_found_at": facts["details_found_at"],
        "refused_registrations": facts["refused_registrations"],
        "first_touch_at": _iso(side.first_touch_at),
        "last_touch_at": _iso(side.last_touch_at),
        "touch_count": side.touch_count,
        "refused_count": side.refused_count,
        "customer_initiated": side.customer_initiated,
        "total_minutes": side.total_minutes,
        "by_kind": dict(side.by_kind),
        "by_channel": dict(side.by_channel),
        "milestones": {kind: at.isoformat() for kind, at in side.milestones.items()},
        "orders": facts["orders"],
        "touches": facts["touches"],
        "summary": [line.as_json() for line in side.summary],
    }


def _moment(value: object) -> datetime | None:
    """An ISO time from a stored form, in UTC like the database's times; None when absent or
    unreadable (it is evidence, not input, so a bad value is skipped rather than fatal)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo is not None else None


def _earliest(moments: Iterable[datetime | None]) -> datetime | None:
    return min((m for m in moments if m is not None), default=None)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None
