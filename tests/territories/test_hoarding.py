"""Anti-hoarding signals on a hand-built history: who let a customer go and claimed it back.

The history (2025, company time), built through the ownership services with fixed dates:
- Alice registers X, releases it, claims it back; releases it again and claims it back.
- Bob registers Y, the sweep reclaims it from him, he claims it back.
- Bob releases Z and Dave claims it; the sweep reclaims U from Bob and Dave claims it: changes
  of hands, no cycles.
- Carol (their manager) releases Alice's W and Alice claims it back: not Alice's doing.
- Dave (West) releases V and claims it back; later he releases it and Alice claims it.
"""

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import translation

from guishu.domain import ReclaimRule
from guishu.ownership.services import customer_reclaim, pool_claim, pool_release
from guishu.territories.hoarding import hoarding_cycles, hoarding_report
from tests.factories import register

pytestmark = pytest.mark.db_facing

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2025, 10, 1, 9, 0, tzinfo=TZ)


def on(month: int, day: int) -> datetime:
    return datetime(2025, month, day, 10, 0, tzinfo=TZ)


def let_go_and_claim_back(by, claimer, customer, released_on, claimed_on):  # type: ignore[no-untyped-def]
    assert pool_release(user=by, customer_id=customer.pk, now=released_on).accepted
    assert pool_claim(user=claimer, customer_id=customer.pk, now=claimed_on).accepted


@pytest.fixture
def history(cast, wendy):  # type: ignore[no-untyped-def]
    x = register(cast.alice, "Xiamen Valves Co", now=on(5, 1))
    let_go_and_claim_back(cast.alice, cast.alice, x, on(5, 10), on(6, 15))
    let_go_and_claim_back(cast.alice, cast.alice, x, on(7, 1), on(8, 5))

    y = register(cast.bob, "Yantai Pumps Co", now=on(5, 1))
    reclaimed = customer_reclaim(customer_id=y.pk, rule=ReclaimRule.NO_FOLLOW_UP, now=on(8, 15))
    assert reclaimed.accepted, reclaimed.decision
    assert pool_claim(user=cast.bob, customer_id=y.pk, now=on(9, 20)).accepted

    z = register(cast.bob, "Zibo Ceramics Co", now=on(5, 2))
    let_go_and_claim_back(cast.bob, cast.dave, z, on(5, 20), on(5, 25))
    u = register(cast.bob, "Urumqi Cotton Co", now=on(5, 2))
    assert customer_reclaim(customer_id=u.pk, rule=ReclaimRule.NO_FOLLOW_UP, now=on(8, 16)).accepted
    assert pool_claim(user=cast.dave, customer_id=u.pk, now=on(8, 20)).accepted

    w = register(cast.alice, "Wuxi Motors Co", now=on(5, 3))
    let_go_and_claim_back(cast.carol, cast.alice, w, on(5, 21), on(6, 25))

    v = register(cast.dave, "Valencia Tiles SL", now=on(5, 5))
    let_go_and_claim_back(cast.dave, cast.dave, v, on(5, 6), on(6, 10))
    let_go_and_claim_back(cast.dave, cast.alice, v, on(6, 20), on(6, 26))
    return {"x": x, "y": y, "v": v}


def summary(report):  # type: ignore[no-untyped-def]
    return [
        (
            row.rep.username,
            row.cycles,
            [(c.name, c.cycles) for c in row.customers],
            row.last_cycle_at.astimezone(TZ).date().isoformat(),
        )
        for row in report.rows
    ]


def test_cycles_are_a_reps_own_letting_go_then_claiming_back(cast, history):
    cycles = hoarding_cycles(viewer=None, since=on(4, 1), until=NOW)

    assert [(c.rep_id, c.customer_id, c.let_go) for c in cycles] == [
        (cast.dave.pk, history["v"].pk, "released"),
        (cast.alice.pk, history["x"].pk, "released"),
        (cast.alice.pk, history["x"].pk, "released"),
        (cast.bob.pk, history["y"].pk, "reclaimed"),
    ]
    assert (cycles[0].let_go_at, cycles[0].claimed_back_at) == (on(5, 6), on(6, 10))


def test_the_report_counts_cycles_per_rep_most_first(cast, history):
    report = hoarding_report(viewer=None, days=180, now=NOW)

    assert summary(report) == [
        ("alice", 2, [("Xiamen Valves Co", 2)], "2025-08-05"),
        ("bob", 1, [("Yantai Pumps Co", 1)], "2025-09-20"),
        ("dave", 1, [("Valencia Tiles SL", 1)], "2025-06-10"),
    ]
    assert (report.since, report.until) == (on(4, 4).replace(hour=9), NOW)


def test_only_cycles_let_go_and_claimed_back_inside_the_period_count(cast, history):
    # 90 days back from 1 October is 3 July: Alice's second release (1 July) is outside.
    assert summary(hoarding_report(viewer=None, days=90, now=NOW)) == [
        ("bob", 1, [("Yantai Pumps Co", 1)], "2025-09-20")
    ]
    assert hoarding_report(viewer=None, days=10, now=NOW).rows == []


def test_a_rep_sees_their_own_a_manager_their_teams_a_director_everyone(cast, wendy, history):
    def reps(viewer):  # type: ignore[no-untyped-def]
        return [row.rep.username for row in hoarding_report(viewer=viewer, days=180, now=NOW).rows]

    assert reps(cast.alice) == ["alice"]
    assert reps(cast.bob) == ["bob"]
    assert reps(cast.carol) == ["alice", "bob"]
    assert reps(wendy) == ["dave"]
    assert reps(cast.diana) == reps(cast.admin) == ["alice", "bob", "dave"]


def test_the_command_prints_the_report(cast, history):
    out = StringIO()
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        call_command("hoarding", "--days", "180", stdout=out)

    assert out.getvalue().splitlines() == [
        "Claim, release and re-claim cycles in the last 180 days (2025-04-04 to 2025-10-01):",
        "Alice: 2 cycles, last on 2025-08-05: Xiamen Valves Co (2)",
        "Bob: 1 cycle, last on 2025-09-20: Yantai Pumps Co (1)",
        "Dave: 1 cycle, last on 2025-06-10: Valencia Tiles SL (1)",
    ]
    out = StringIO()
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        call_command("hoarding", "--days", "5", stdout=out)
    assert out.getvalue().splitlines()[1:] == ["None found."]
