"""Loading the demo company: plan the year in memory, then write it through the services.

Deterministic: one random.Random(seed) drives everything, and time is anchored at midnight
(company time zone) of `today`, so the same seed on the same date gives the same data, and a
demo loaded today has protection periods and reclaim dates that make sense today.
"""

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from guishu.demo import abcase, companies
from guishu.demo.org import DESK, PEOPLE, REP_A, REP_B, SOUTH, org_create, planned_people
from guishu.demo.plan import Step
from guishu.demo.replay import replay
from guishu.demo.story import Year
from guishu.domain import reclaim_forecast
from guishu.ownership.policies import policy_in_force

DEFAULT_SEED = 2026
DEFAULT_CUSTOMERS = 2000
MUELLER = 0  # the A/B case's customer is planned first, so its identity keys are its own


@dataclass(frozen=True)
class DemoSummary:
    """What was loaded, and the state the present is left in."""

    anchor: datetime
    counts: dict[str, int]
    owned: int
    pooled: int
    protected: int
    locked: int
    due_in_3_days: int
    due_in_7_days: int
    ab_customer: str
    rep_a: str
    rep_b: str


def anchor_of(today: date | None = None) -> datetime:
    """Midnight at the start of `today` (default: the current date) in the company time zone."""
    zone = ZoneInfo(policy_in_force().timezone)
    day = today or timezone.now().astimezone(zone).date()
    return datetime.combine(day, time.min, tzinfo=zone)


def plan_year(*, seed: int, customers: int, end: datetime) -> tuple[Year, list[Step]]:
    """The whole year in memory, refereed by the rules engine; writes nothing."""
    if customers < 20:
        raise ValueError("the demo needs at least 20 customers")
    rng = random.Random(seed)  # nosec B311 # a repeatable demo from its seed, not a secret
    book = companies.KeyBook()
    book.take(companies.keys_of(abcase.MUELLER.data), MUELLER)
    demo = [abcase.MUELLER, *companies.customers(rng, customers - 1, book, first_index=1)]
    people, manages = planned_people()
    year = Year(
        rng=rng,
        policy=policy_in_force(),
        people=people,
        manages=manages,
        customers=demo,
        start=end - timedelta(days=365),
        end=end,
        book=book,
        special=frozenset({MUELLER}),
    )
    for domestic in (True, False):
        year.sellers[domestic] = [
            name for name, person in people.items() if person.can_own and _sells(name, domestic)
        ]
    year.manager.update({True: "sunli", False: "liuyang"})
    year.desk = frozenset(name for name, _, _, team in PEOPLE if team == DESK)
    year.begin()
    abcase.plant(year, MUELLER, REP_A, REP_B)
    return year, year.finish()


def _sells(username: str, domestic: bool) -> bool:
    """South domestic sells to Chinese customers; the export teams to foreign buyers."""
    team = next(team for name, _, _, team in PEOPLE if name == username)
    return team is not None and (team == SOUTH) == domestic


def demo_load(
    *, seed: int = DEFAULT_SEED, customers: int = DEFAULT_CUSTOMERS, today: date | None = None
) -> DemoSummary:
    """Plans the year, then creates the people and replays the year through the services."""
    end = anchor_of(today)
    year, steps = plan_year(seed=seed, customers=customers, end=end)
    org = org_create(year.rng)
    done = replay(steps, year.customers, org.users, year.rng)
    counts: Counter[str] = Counter(done.counts)
    counts["customers"] = len(done.pks)
    counts["domestic"] = sum(1 for c in year.customers if c.domestic)
    states = year.states
    owned = [s for s in states if s.owner is not None]
    due = [f.due_at for s in owned if (f := reclaim_forecast(s, year.policy)) is not None]
    return DemoSummary(
        anchor=end,
        counts=dict(counts),
        owned=len(owned),
        pooled=len(states) - len(owned),
        protected=sum(1 for s in owned if s.is_protected(end)),
        locked=sum(1 for s in owned if s.locked_at is not None),
        due_in_3_days=sum(1 for d in due if d < end + timedelta(days=3)),
        due_in_7_days=sum(1 for d in due if d < end + timedelta(days=7)),
        ab_customer=abcase.NAME,
        rep_a=org[REP_A].name,
        rep_b=org[REP_B].name,
    )
