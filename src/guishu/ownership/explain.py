"""Answering "why is this customer owned by X?" with the rule trace and the evidence."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from guishu.accounts.models import User
from guishu.customers.models import Customer
from guishu.domain import TraceLine, reclaim_forecast, replay
from guishu.domain.events import GAINING, LOSING
from guishu.domain.forecast import ReclaimForecast, what_would_stop
from guishu.domain.trace import day
from guishu.domain.trace import gettext_noop as N_
from guishu.ownership.engine_io import load_state, to_domain_event
from guishu.ownership.models import Ownership, OwnershipEvent
from guishu.ownership.policies import policy_in_force


@dataclass(frozen=True)
class OwnershipExplanation:
    """The current owner (None: in the pool), why, what protects it, and what could end it."""

    customer: Customer
    owner: User | None
    term: Ownership | None
    trace: tuple[TraceLine, ...]
    evidence: dict[str, str]
    forecast: ReclaimForecast | None
    stoppers: tuple[TraceLine, ...]
    history: list[OwnershipEvent]
    history_agrees: bool


def customer_ownership_explain(
    *, customer: Customer, now: datetime | None = None
) -> OwnershipExplanation:
    """Reads the history and the current term and explains them in plain words.

    `history_agrees` replays every stored event through the engine and checks that it leads
    to the same owner as the current term: the audit trail and the state never disagree.
    """
    now = now or timezone.now()
    history = list(
        OwnershipEvent.objects.filter(customer=customer)
        .select_related("actor", "from_owner", "to_owner")
        .order_by("at", "id")
    )
    state, term = load_state(customer)
    # The customer's clocks follow its owner's team policy.
    policy = policy_in_force(team_id=term.owner.team_id if term else None, at=now)
    replayed = replay(customer.name, (to_domain_event(row) for row in history))
    replayed_owner = replayed.owner.id if replayed.owner else None
    history_agrees = replayed_owner == (term.owner_id if term else None)

    lines: list[TraceLine] = []
    evidence: dict[str, str] = {}
    decisive = next(
        (row for row in reversed(history) if row.kind in GAINING or row.kind in LOSING), None
    )
    if decisive is not None:
        lines.extend(TraceLine.from_json(line) for line in decisive.trace)
        evidence = {key: str(value) for key, value in decisive.evidence.items()}
    tz = policy.timezone
    if term is None:
        lines.insert(
            0,
            TraceLine(
                N_("{customer} is in the pool: eligible reps may claim it"),
                {"customer": customer.name},
            ),
        )
    else:
        if term.protected_until and now < term.protected_until:
            lines.append(
                TraceLine(
                    N_("protected until {until}: no colleague may step in"),
                    {"until": day(term.protected_until, tz)},
                )
            )
        if term.locked_at:
            lines.append(
                TraceLine(
                    N_("locked since {at}: it will not be reclaimed"),
                    {"at": day(term.locked_at, tz)},
                )
            )
        if term.deal_won_at:
            lines.append(
                TraceLine(
                    N_("deal won on {at}: exempt from the no-deal reclaim"),
                    {"at": day(term.deal_won_at, tz)},
                )
            )
        if term.first_contact_at:
            evidence.setdefault("first_contact_at", term.first_contact_at.isoformat())
        if term.details_found_at:
            evidence.setdefault("details_found_at", term.details_found_at.isoformat())
    forecast = reclaim_forecast(state, policy)
    stoppers = what_would_stop(forecast, state, policy) if forecast else ()
    return OwnershipExplanation(
        customer=customer,
        owner=term.owner if term else None,
        term=term,
        trace=tuple(lines),
        evidence=evidence,
        forecast=forecast,
        stoppers=stoppers,
        history=history,
        history_agrees=history_agrees,
    )
