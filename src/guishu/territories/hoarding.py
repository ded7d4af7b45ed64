"""Anti-hoarding signals: reps who let a customer go and claim it back.

A cycle is a rep's claim of a customer straight after that same rep let it go, with nobody
owning it in between: the rep released it themselves, or the sweep reclaimed it from them,
and then they claimed it from the pool again. Done repeatedly, it parks customers out of
colleagues' reach and restarts the reclaim clocks, the hoarding (囤积) that "no deal, no
monopoly" is meant to end. A release by someone else (a manager) is not the rep's doing and
does not count. Both the letting go and the claim back fall inside the period.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from guishu.accounts.models import User
from guishu.accounts.selectors import managed_user_ids
from guishu.customers.models import Customer
from guishu.domain import EventKind
from guishu.domain.events import GAINING, LOSING
from guishu.ownership.models import OwnershipEvent

CHANGES_OF_HANDS = sorted(kind.value for kind in (*GAINING, *LOSING))
LET_GO = frozenset({EventKind.RELEASED.value, EventKind.RECLAIMED.value})


@dataclass(frozen=True)
class Cycle:
    """One let-go-and-claim-back of a customer by a rep."""

    rep_id: int
    customer_id: int
    let_go: str  # "released" or "reclaimed"
    let_go_at: datetime
    claimed_back_at: datetime


def reps_visible_to(viewer: User | None) -> frozenset[int] | None:
    """Whose cycles `viewer` may see: a rep their own, a manager their team trees' (and
    their own), directors and admins everyone (None); None for the console as well."""
    if viewer is None:
        return None
    manages = managed_user_ids(viewer)
    return None if manages is None else manages | {viewer.pk}


def hoarding_cycles(*, viewer: User | None, since: datetime, until: datetime) -> list[Cycle]:
    """Every cycle completed in [since, until) by a rep `viewer` may see, oldest first.

    One query: the changes of hands in the period of the customers claimed in the period by
    those reps, in each customer's order; a cycle is a claim that directly follows its own
    claimer's letting go.
    """
    reps = reps_visible_to(viewer)
    claims = OwnershipEvent.objects.filter(
        kind=EventKind.CLAIMED.value, at__gte=since, at__lt=until
    )
    if reps is not None:
        claims = claims.filter(to_owner_id__in=reps)
    rows = (
        OwnershipEvent.objects.filter(
            kind__in=CHANGES_OF_HANDS,
            at__gte=since,
            at__lt=until,
            customer_id__in=claims.values("customer_id"),
        )
        .order_by("customer_id", "at", "pk")
        .values_list("customer_id", "kind", "at", "actor_id", "from_owner_id", "to_owner_id")
    )
    cycles = []
    before = None
    for row in rows:
        customer_id, kind, at, _actor, _from, claimer = row
        if (
            before is not None
            and before[0] == customer_id
            and kind == EventKind.CLAIMED.value
            and before[1] in LET_GO
            and before[4] == claimer  # it was let go by the one who claims it back
            and (before[1] == EventKind.RECLAIMED.value or before[3] == claimer)
            and (reps is None or claimer in reps)
        ):
            cycles.append(
                Cycle(
                    rep_id=claimer,
                    customer_id=customer_id,
                    let_go=before[1],
                    let_go_at=before[2],
                    claimed_back_at=at,
                )
            )
        before = row
    return sorted(cycles, key=lambda cycle: (cycle.claimed_back_at, cycle.customer_id))


@dataclass(frozen=True)
class HoardedCustomer:
    id: int
    name: str
    cycles: int


@dataclass(frozen=True)
class HoardingRow:
    """One rep's cycles in the period: how many, on which customers, the latest when."""

    rep: User
    cycles: int
    customers: tuple[HoardedCustomer, ...]
    last_cycle_at: datetime


@dataclass(frozen=True)
class HoardingReport:
    since: datetime
    until: datetime
    rows: list[HoardingRow]


def hoarding_report(
    *, viewer: User | None, days: int = 90, now: datetime | None = None
) -> HoardingReport:
    """Per rep `viewer` may see, the cycles of the last `days` days up to `now`: most cycles
    first. `viewer` None is the console, which sees everyone."""
    if days < 1:
        raise ValueError("days must be at least 1")
    until = now or timezone.now()
    since = until - timedelta(days=days)
    cycles = hoarding_cycles(viewer=viewer, since=since, until=until)
    reps = User.objects.select_related("team").in_bulk({cycle.rep_id for cycle in cycles})
    names = dict(
        Customer.objects.filter(pk__in={cycle.customer_id for cycle in cycles}).values_list(
            "pk", "name"
        )
    )
    rows = []
    for rep_id in {cycle.rep_id for cycle in cycles}:
        own = [cycle for cycle in cycles if cycle.rep_id == rep_id]
        per_customer = Counter(cycle.customer_id for cycle in own)
        customers = sorted(
            (HoardedCustomer(id=pk, name=names[pk], cycles=n) for pk, n in per_customer.items()),
            key=lambda customer: (-customer.cycles, customer.name, customer.id),
        )
        rows.append(
            HoardingRow(
                rep=reps[rep_id],
                cycles=len(own),
                customers=tuple(customers),
                last_cycle_at=max(cycle.claimed_back_at for cycle in own),
            )
        )
    rows.sort(key=lambda row: (-row.cycles, -row.last_cycle_at.timestamp(), row.rep.name))
    return HoardingReport(since=since, until=until, rows=rows)
