"""Fair assignment under real concurrency: threads with their own database connections,
released together, each assigning the same pool customers in its own order.

Runs on SQLite (writers queue on the write lock) and on PostgreSQL (the rule's cursor row is
locked FOR UPDATE): either way every customer goes to exactly one rep, no turn is taken twice,
and the spread is exactly as fair as if one manager had assigned them one by one.
"""

import random
from collections import Counter

import pytest

from guishu.accounts.models import Team
from guishu.ownership.models import Ownership, OwnershipEvent
from guishu.ownership.services import pool_claim
from guishu.territories.assign import LeadStatus, lead_assign
from guishu.territories.models import Assignment, RuleCursor
from tests.concurrency import run_together
from tests.factories import make_user, register
from tests.territories.conftest import lead, rule

pytestmark = [pytest.mark.db_facing, pytest.mark.django_db(transaction=True)]

THREADS = 4
LEADS = 40
BEFORE = (0, 3, 6, 9)  # customers each rep holds before a load-balanced run


def east_with_four_reps():  # type: ignore[no-untyped-def]
    manager = make_user("mona", role="manager")
    east = Team.objects.create(name="East", manager=manager)
    reps = [make_user(f"rep{i}", team=east) for i in range(4)]
    return manager, reps


def shuffled(ids: list[int], seed: int) -> list[int]:
    order = list(ids)
    random.Random(seed).shuffle(order)
    return order


def assign_all_at_once(manager, leads):  # type: ignore[no-untyped-def]
    results, errors = run_together(
        [
            lambda seed=seed: lead_assign(user=manager, customer_ids=shuffled(leads, seed))
            for seed in range(THREADS)
        ]
    )
    assert errors == [], errors[:3]
    return [outcome for outcomes in results for outcome in outcomes]


def owners(leads: list[int]) -> Counter[int]:
    terms = Ownership.objects.filter(customer_id__in=leads, ended_at__isnull=True)
    return Counter(terms.values_list("owner_id", flat=True))


def test_round_robin_across_threads_gives_each_rep_exactly_its_share(allow_flush: None):
    manager, reps = east_with_four_reps()
    rule(manager, "East", teams=[reps[0].team])
    leads = [lead(manager).pk for _ in range(LEADS)]

    outcomes = assign_all_at_once(manager, leads)

    assigned = [o for o in outcomes if o.status == LeadStatus.ASSIGNED]
    assert sorted(o.customer_id for o in assigned) == sorted(leads)  # each exactly once
    assert {o.status for o in outcomes} <= {LeadStatus.ASSIGNED, LeadStatus.NOT_IN_POOL}
    assert owners(leads) == {rep.pk: LEADS // 4 for rep in reps}
    assert Ownership.objects.filter(customer_id__in=leads).count() == LEADS
    assert OwnershipEvent.objects.filter(kind="assigned").count() == LEADS
    records = Assignment.objects.all()
    assert records.count() == LEADS
    assert set(records.values_list("status", flat=True)) == {"assigned"}
    assert RuleCursor.objects.get().turns == LEADS
    # Turns went round in order: every block of four consecutive picks names all four reps.
    picks = list(records.order_by("pk").values_list("rep_id", flat=True))
    for start in range(0, LEADS, 4):
        assert sorted(picks[start : start + 4]) == sorted(rep.pk for rep in reps)


def test_load_balancing_across_threads_evens_out_the_loads(allow_flush: None):
    manager, reps = east_with_four_reps()
    for count, rep in zip(BEFORE, reps, strict=True):
        for _ in range(count):
            register(rep)
    rule(manager, "East", teams=[reps[0].team], method="load_balanced")
    leads = [lead(manager).pk for _ in range(LEADS)]

    outcomes = assign_all_at_once(manager, leads)

    assert sum(o.status == LeadStatus.ASSIGNED for o in outcomes) == LEADS
    # Replayed in the order they were made (picks under one rule are serialised), every pick
    # went to a rep holding the fewest at that moment, counting the picks before it whether
    # or not they had been carried out yet: as fair as one manager assigning one by one.
    loads = {rep.pk: before for rep, before in zip(reps, BEFORE, strict=True)}
    for rep_id in Assignment.objects.order_by("pk").values_list("rep_id", flat=True):
        assert loads[rep_id] == min(loads.values()), loads
        loads[rep_id] += 1
    held = owners([*leads, *Ownership.objects.values_list("customer_id", flat=True)])
    assert held == loads
    assert sorted(loads.values()) == [14, 14, 15, 15]  # 18 held before + 40, over four


def test_assignments_racing_reps_own_claims_neither_deadlock_nor_double_assign(
    allow_flush: None,
):
    manager, reps = east_with_four_reps()
    rule(manager, "East", teams=[reps[0].team], method="load_balanced", regions=["Zhejiang"])
    leads = [lead(manager, region="Zhejiang").pk for _ in range(LEADS)]
    others = [lead(manager, region="Fujian").pk for _ in range(4 * 5)]

    def claim_five(rep, mine):  # type: ignore[no-untyped-def]
        return [pool_claim(user=rep, customer_id=pk).accepted for pk in mine]

    _, errors = run_together(
        [
            lambda seed=seed: lead_assign(user=manager, customer_ids=shuffled(leads, seed))
            for seed in range(THREADS)
        ]
        + [
            lambda rep=rep, i=i: claim_five(rep, others[i * 5 : i * 5 + 5])
            for i, rep in enumerate(reps)
        ]
    )

    assert errors == [], errors[:3]
    # Every lead assigned once, every claim made (the reps are far from their caps): the
    # locks the picks take (the rule's cursor, the reps) and those the claims take (the rep,
    # the customer) never wait on each other in a circle.
    assert Ownership.objects.filter(ended_at__isnull=True).count() == LEADS + len(others)
    assert sum(owners(leads).values()) == LEADS
    assert Assignment.objects.filter(status="assigned").count() == LEADS
