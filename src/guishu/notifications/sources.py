"""Who hears of what: the committed rows the fan-out reads, and the notices they make.

| source row | kind | told |
|---|---|---|
| OwnershipEvent claimed | claimed | the former owner (if any) and the claimer's manager |
| OwnershipEvent assigned | assigned | the receiving rep |
| OwnershipEvent transferred | transferred | the giver and the receiver (handovers too) |
| OwnershipEvent reclaimed | reclaimed | the former owner |
| Collision | collision | the owner of the customer |
| ReclaimWarning | reclaim_warning | the owner |
| Violation | violation | the offender (a warning) and their team's manager (to review it) |
| DisputeLog | dispute | the parties, whoever must decide; directors on escalation and appeal |
| OverdueNotice | cadence_overdue | the owner's manager, in the weekly digest (discipline) |

Whoever acted is never told of their own act: a rep handing a customer over is not notified
that they did, the receiver is.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import models

from guishu.accounts.models import User
from guishu.discipline.models import OverdueNotice
from guishu.disputes.models import Collision, DisputeLog, Violation
from guishu.disputes.selectors import deciders, directors
from guishu.domain import EventKind
from guishu.notifications import texts
from guishu.notifications.models import Kind
from guishu.ownership.models import Ownership, OwnershipEvent, ReclaimWarning


@dataclass(frozen=True)
class Notice:
    """One fact, worded once, for the people it concerns."""

    source: str
    kind: Kind
    customer_id: int
    message: str
    params: dict[str, str]
    recipients: tuple[int, ...]


@dataclass(frozen=True)
class Source:
    """A table the fan-out reads by ascending id, and how its rows become notices."""

    name: str
    model: type[models.Model]
    notices: Callable[[Sequence[int]], list[Notice]]


def people(*ids: int | None, leaving_out: int | None = None) -> tuple[int, ...]:
    """The ids in order, once each, without the one who acted."""
    seen: list[int] = []
    for user_id in ids:
        if user_id is not None and user_id != leaving_out and user_id not in seen:
            seen.append(user_id)
    return tuple(seen)


def _name(user: User | None) -> str:
    return user.name if user is not None else ""


NOTIFYING_EVENTS = (
    EventKind.CLAIMED,
    EventKind.ASSIGNED,
    EventKind.TRANSFERRED,
    EventKind.RECLAIMED,
)


def event_notices(ids: Sequence[int]) -> list[Notice]:
    rows = list(
        OwnershipEvent.objects.filter(pk__in=ids, kind__in=NOTIFYING_EVENTS)
        .select_related("customer", "actor__team", "from_owner", "to_owner")
        .order_by("pk")
    )
    formers = _former_owners(row for row in rows if row.kind == EventKind.CLAIMED)
    return [_event_notice(row, formers.get(row.pk)) for row in rows]


def _event_notice(row: OwnershipEvent, former: User | None) -> Notice:
    params = {"customer": row.customer.name, "actor": _name(row.actor)}
    source = f"ownership_event:{row.pk}"
    actor = row.actor_id
    if row.kind == EventKind.CLAIMED:
        manager = row.actor.team.manager_id if row.actor and row.actor.team else None
        if former is not None:
            params["former"] = former.name
        message = texts.CLAIMED_FROM_FORMER if former is not None else texts.CLAIMED
        told = people(former.pk if former else None, manager, leaving_out=actor)
        return Notice(source, Kind.CLAIMED, row.customer_id, message, params, told)
    if row.kind == EventKind.ASSIGNED:
        params["owner"] = _name(row.to_owner)
        told = people(row.to_owner_id, leaving_out=actor)
        return Notice(source, Kind.ASSIGNED, row.customer_id, texts.ASSIGNED, params, told)
    if row.kind == EventKind.TRANSFERRED:
        params |= {"from_owner": _name(row.from_owner), "owner": _name(row.to_owner)}
        by_owner = actor is not None and actor == row.from_owner_id
        message = texts.TRANSFERRED_BY_OWNER if by_owner else texts.TRANSFERRED
        told = people(row.from_owner_id, row.to_owner_id, leaving_out=actor)
        return Notice(source, Kind.TRANSFERRED, row.customer_id, message, params, told)
    params |= {"owner": _name(row.from_owner), "rule": str(row.evidence.get("rule", ""))}
    told = people(row.from_owner_id, leaving_out=actor)
    return Notice(source, Kind.RECLAIMED, row.customer_id, texts.RECLAIMED, params, told)


def _former_owners(claims: Iterable[OwnershipEvent]) -> dict[int, User]:
    """For each claim, whose term on the customer ended last before it: the rep who lost the
    customer to the pool. One query for the whole batch."""
    claims = list(claims)
    if not claims:
        return {}
    ended: dict[int, list[tuple[datetime, User]]] = {}
    terms = Ownership.objects.filter(
        customer_id__in={claim.customer_id for claim in claims}, ended_at__isnull=False
    ).select_related("owner")
    for term in terms:
        assert term.ended_at is not None
        ended.setdefault(term.customer_id, []).append((term.ended_at, term.owner))
    formers = {}
    for claim in claims:
        before = [(at, owner) for at, owner in ended.get(claim.customer_id, []) if at <= claim.at]
        if before:
            formers[claim.pk] = max(before, key=lambda pair: pair[0])[1]
    return formers


def collision_notices(ids: Sequence[int]) -> list[Notice]:
    rows = Collision.objects.filter(pk__in=ids).select_related("customer", "attempted_by", "owner")
    return [
        Notice(
            source=f"collision:{row.pk}",
            kind=Kind.COLLISION,
            customer_id=row.customer_id,
            message=texts.COLLISION,
            params={
                "customer": row.customer.name,
                "owner": row.owner.name,
                "action": row.action,
                "rep": row.attempted_by.name,
            },
            recipients=people(row.owner_id, leaving_out=row.attempted_by_id),
        )
        for row in rows.order_by("pk")
    ]


def warning_notices(ids: Sequence[int]) -> list[Notice]:
    rows = ReclaimWarning.objects.filter(pk__in=ids).select_related("customer", "owner")
    return [
        Notice(
            source=f"reclaim_warning:{row.pk}",
            kind=Kind.RECLAIM_WARNING,
            customer_id=row.customer_id,
            message=texts.RECLAIM_WARNING,
            params={
                "customer": row.customer.name,
                "owner": row.owner.name,
                "date": row.due_at.isoformat(),
                "rule": row.rule,
            },
            recipients=(row.owner_id,),
        )
        for row in rows.order_by("pk")
    ]


def dispute_notices(ids: Sequence[int]) -> list[Notice]:
    rows = DisputeLog.objects.filter(pk__in=ids).select_related(
        "actor", "dispute__customer", "dispute__owner", "dispute__challenger"
    )
    notices = []
    for row in rows.order_by("pk"):
        dispute = row.dispute
        parties = (dispute.owner_id, dispute.challenger_id)
        told: tuple[int | None, ...]
        if row.kind == DisputeLog.Kind.REMINDER:
            told = tuple(deciders(dispute))
        elif row.kind in (DisputeLog.Kind.ESCALATED, DisputeLog.Kind.APPEALED):
            told = (*parties, *deciders(dispute), *directors())
        else:
            told = (*parties, *deciders(dispute))
        params = {
            "customer": dispute.customer.name,
            "owner": dispute.owner.name,
            "challenger": dispute.challenger.name,
            "actor": _name(row.actor),
            **{name: str(value) for name, value in row.params.items()},
        }
        notices.append(
            Notice(
                source=f"dispute_log:{row.pk}",
                kind=Kind.DISPUTE,
                customer_id=dispute.customer_id,
                message=texts.DISPUTE[row.kind],
                params=params,
                recipients=people(*told, leaving_out=row.actor_id),
            )
        )
    return notices


def violation_notices(ids: Sequence[int]) -> list[Notice]:
    rows = Violation.objects.filter(pk__in=ids).select_related("customer", "offender__team")
    return [
        Notice(
            source=f"violation:{row.pk}",
            kind=Kind.VIOLATION,
            customer_id=row.customer_id,
            message=texts.VIOLATION,
            params={
                "customer": row.customer.name,
                "rep": row.offender.name,
                "violation": row.kind,
            },
            recipients=people(
                row.offender_id, row.offender.team.manager_id if row.offender.team else None
            ),
        )
        for row in rows.order_by("pk")
    ]


def overdue_notices(ids: Sequence[int]) -> list[Notice]:
    rows = OverdueNotice.objects.filter(pk__in=ids).select_related("customer", "owner")
    return [
        Notice(
            source=f"overdue_notice:{row.pk}",
            kind=Kind.CADENCE_OVERDUE,
            customer_id=row.customer_id,
            message=texts.CADENCE_OVERDUE,
            params={
                "customer": row.customer.name,
                "owner": row.owner.name,
                "date": row.due_at.isoformat(),
            },
            recipients=(row.manager_id,),
        )
        for row in rows.order_by("pk")
    ]


SOURCES = (
    Source("ownership_event", OwnershipEvent, event_notices),
    Source("collision", Collision, collision_notices),
    Source("reclaim_warning", ReclaimWarning, warning_notices),
    Source("dispute_log", DisputeLog, dispute_notices),
    Source("violation", Violation, violation_notices),
    Source("overdue_notice", OverdueNotice, overdue_notices),
)
