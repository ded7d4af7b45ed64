"""The conflict review against a small history whose figures are worked out by hand.

September 2025 (company time). East: Alice, Bob, Eve (reps), Carol (manager). West: Dave
(rep), Wendy (manager). Alice owns Acme, Dave owns Delta. Rule lines: P(ROTECTED) "protected for …",
O(WNED) "owned by … since …", C(LAIMED) "… claimed it from the pool on …".

collisions                                    disputes (opened → decided, hours)
c1 Bob → Acme   register         Sep 3  P     d1 on c1 Alice v Bob   owner_keeps/manager  48
c2 Bob → Acme   follow_up        Sep 5  O C   d4 on c2 Alice v Bob   ask_customer/customer 96
c3 Dave → Acme  claim            Sep 10 P     d2 on c3 Alice v Dave  joint/agreement      24
c4 Alice → Delta contact_overlap Sep 12 -     d3 on c4 Dave v Alice  open, due Sep 18 (overdue)
c6 Bob → Delta  follow_up        Sep 20 O     d5 on c6 Dave v Bob    to_challenger/manager 36
c7 Eve → Acme   claim            Sep 25 P
c5 Bob → Acme   register         Aug 20 P     d6 on c5, in August: outside the period

Reasons: c1 same_phone; c4 same_phone twice and same_email. Violations in September: Bob
worked_other confirmed (2), Bob claim_cycling open (1), Dave evasive_edit dismissed (3),
Alice worked_other confirmed (2); and Bob's confirmed one of August, outside.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guishu.disputes.models import Collision, Dispute, DisputeDecision, Violation
from guishu.disputes.review import conflict_review
from guishu.matching.reasons import MESSAGES
from tests.factories import make_user, register

pytestmark = pytest.mark.db_facing

TZ = ZoneInfo("Asia/Shanghai")
START, END = datetime(2025, 9, 1, tzinfo=TZ), datetime(2025, 10, 1, tzinfo=TZ)
NOW = datetime(2025, 10, 5, tzinfo=TZ)
PROTECTED = "refused: protected for {owner} until {until} by registration on {since}"
OWNED = "refused: owned by {owner} since {since}"
CLAIMED = "{owner} claimed it from the pool on {since}"


def on(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2025, month, day, hour, 0, tzinfo=TZ)


def line(message: str) -> dict[str, object]:
    return {"message": message, "params": {"owner": "Alice", "since": "2025-08-01"}}


def reason(code: str) -> dict[str, object]:
    return {"code": code, "message": MESSAGES[code], "params": {}, "weight": 1.0}


class History:
    def __init__(self, cast, wendy) -> None:  # type: ignore[no-untyped-def]
        self.cast, self.wendy = cast, wendy
        self.eve = make_user("eve", team=cast.east, display_name="Eve")
        self.acme = register(cast.alice, "Acme Review Tools Ltd", now=on(8, 1))
        self.delta = register(cast.dave, "Delta Review Trading Co", now=on(8, 1))

    def collision(self, by, customer, action, at, trace=(), reasons=()):  # type: ignore[no-untyped-def]
        owner = self.cast.alice if customer == self.acme else self.cast.dave
        return Collision.objects.create(
            customer=customer,
            attempted_by=by,
            owner=owner,
            owner_since=on(8, 1),
            action=action,
            at=at,
            trace=[line(message) for message in trace],
            reasons=[reason(code) for code in reasons],
        )

    def dispute(self, collision, owner, challenger, opened, **decided):  # type: ignore[no-untyped-def]
        dispute = Dispute.objects.create(
            customer=collision.customer,
            collision=collision,
            owner=owner,
            challenger=challenger,
            opened_by=challenger,
            opened_at=opened,
            decision_due_at=opened + timedelta(days=5),
        )
        if decided:
            first = decided.pop("first", None)
            DisputeDecision.objects.create(
                dispute=dispute,
                option=first or decided["option"],
                settlement=decided["settlement"] if not first else "manager",
                decided_at=decided["settled_at"] if not first else opened + timedelta(days=1),
            )
            Dispute.objects.filter(pk=dispute.pk).update(status="decided", **decided)
        return dispute

    def violation(self, offender, kind, status, points, at):  # type: ignore[no-untyped-def]
        return Violation.objects.create(
            kind=kind, offender=offender, customer=self.acme, at=at, status=status, points=points
        )


@pytest.fixture
def history(cast, wendy) -> History:  # type: ignore[no-untyped-def]
    h = History(cast, wendy)
    alice, bob, dave = cast.alice, cast.bob, cast.dave
    c1 = h.collision(bob, h.acme, "register", on(9, 3), [PROTECTED], ["same_phone"])
    c2 = h.collision(bob, h.acme, "follow_up", on(9, 5), [OWNED, CLAIMED])
    c3 = h.collision(dave, h.acme, "claim", on(9, 10), [PROTECTED])
    c4 = h.collision(
        alice, h.delta, "contact_overlap", on(9, 12), [], ["same_phone", "same_phone", "same_email"]
    )
    c6 = h.collision(bob, h.delta, "follow_up", on(9, 20), [OWNED])
    h.collision(h.eve, h.acme, "claim", on(9, 25), [PROTECTED])
    c5 = h.collision(bob, h.acme, "register", on(8, 20), [PROTECTED], ["same_phone"])

    h.dispute(
        c1, alice, bob, on(9, 4), option="owner_keeps", settlement="manager", settled_at=on(9, 6)
    )
    h.dispute(
        c2,
        alice,
        bob,
        on(9, 6),
        first="ask_customer",  # the manager asked the customer on Sep 7, who answered Sep 10
        option="ask_customer",
        settlement="customer",
        settled_at=on(9, 10),
    )
    h.dispute(
        c3, alice, dave, on(9, 10), option="joint", settlement="agreement", settled_at=on(9, 11)
    )
    h.dispute(c4, dave, alice, on(9, 13))
    h.dispute(
        c6,
        dave,
        bob,
        on(9, 20),
        option="to_challenger",
        settlement="manager",
        settled_at=on(9, 21, 22),
    )
    h.dispute(
        c5, alice, bob, on(8, 21), option="owner_keeps", settlement="manager", settled_at=on(8, 22)
    )

    h.violation(bob, "worked_other", "confirmed", 2, on(9, 5))
    h.violation(bob, "claim_cycling", "open", 1, on(9, 15))
    h.violation(dave, "evasive_edit", "dismissed", 3, on(9, 16))
    h.violation(alice, "worked_other", "confirmed", 2, on(9, 12))
    h.violation(bob, "worked_other", "confirmed", 2, on(8, 20))
    return h


def review(viewer, team_id=None):  # type: ignore[no-untyped-def]
    return conflict_review(viewer=viewer, start=START, end=END, team_id=team_id, now=NOW)


def names(parties) -> list[tuple[str, int, int]]:  # type: ignore[no-untyped-def]
    return [(party.user.name, party.collisions, party.disputes) for party in parties]


def test_the_directors_total(history):
    total = review(history.cast.diana).total

    assert total.collisions == {"register": 1, "follow_up": 2, "claim": 2, "contact_overlap": 1}
    assert total.collisions_total == 6
    assert total.disputes_opened == 5
    assert total.outcomes == {
        ("owner_keeps", "manager"): 1,
        ("ask_customer", "customer"): 1,
        ("joint", "agreement"): 1,
        ("to_challenger", "manager"): 1,
    }
    assert total.decided == 4
    # 24, 36, 48 and 96 hours: the customer's answer, not the asking, decided d4.
    assert total.hours_to_decision_median == 42.0
    assert total.hours_to_decision_mean == 51.0
    assert total.overdue == 1
    assert names(total.repeat_parties) == [("Alice", 5, 4), ("Bob", 3, 3), ("Dave", 3, 3)]
    assert total.rules == {
        ("trace", PROTECTED): 3,
        ("trace", OWNED): 2,
        ("trace", CLAIMED): 1,
        ("reason", "same_phone"): 2,  # c4's two phones count once
        ("reason", "same_email"): 1,
    }
    assert total.violations == {
        ("worked_other", "confirmed"): 2,
        ("claim_cycling", "open"): 1,
        ("evasive_edit", "dismissed"): 1,
    }
    assert total.confirmed_points == 4


def test_each_team_counts_the_conflicts_its_people_were_party_to(history):
    teams = {team.name: figures for team, figures in review(history.cast.diana).teams}

    east, west = teams["East"], teams["West"]
    assert east.collisions_total == 6 and east.disputes_opened == 5
    assert west.collisions == {"claim": 1, "contact_overlap": 1, "follow_up": 1}
    assert west.disputes_opened == 3
    assert west.outcomes == {("joint", "agreement"): 1, ("to_challenger", "manager"): 1}
    assert (west.hours_to_decision_median, west.hours_to_decision_mean) == (30.0, 30.0)
    assert (east.hours_to_decision_median, east.hours_to_decision_mean) == (42.0, 51.0)
    assert east.overdue == west.overdue == 1
    assert names(east.repeat_parties) == [("Alice", 5, 4), ("Bob", 3, 3)]
    assert names(west.repeat_parties) == [("Dave", 3, 3)]
    assert west.rules == {
        ("trace", PROTECTED): 1,
        ("trace", OWNED): 1,
        ("reason", "same_phone"): 1,
        ("reason", "same_email"): 1,
    }
    assert east.violations == {("worked_other", "confirmed"): 2, ("claim_cycling", "open"): 1}
    assert east.confirmed_points == 4
    assert west.violations == {("evasive_edit", "dismissed"): 1}
    assert west.confirmed_points == 0


def test_a_manager_reviews_their_own_team_tree(history):
    carols = review(history.cast.carol)

    assert [team.name for team, _ in carols.teams] == ["East"]
    assert carols.total.collisions_total == 6  # every one involves someone in East
    assert carols.total.violations == {
        ("worked_other", "confirmed"): 2,
        ("claim_cycling", "open"): 1,
    }

    wendys = review(history.wendy)
    assert [team.name for team, _ in wendys.teams] == ["West"]
    assert wendys.total.collisions == {"claim": 1, "contact_overlap": 1, "follow_up": 1}
    assert wendys.total.disputes_opened == 3 and wendys.total.decided == 2
    assert names(wendys.total.repeat_parties) == [("Dave", 3, 3), ("Alice", 2, 2)]
    assert wendys.total.violations == {("evasive_edit", "dismissed"): 1}


def test_a_director_narrows_the_review_to_one_team(history):
    west = review(history.cast.diana, team_id=history.cast.west.pk)

    assert west.team == history.cast.west
    assert [team.name for team, _ in west.teams] == ["West"]
    assert west.total.collisions_total == 3 and west.total.overdue == 1


def test_reps_are_refused_and_managers_see_only_their_teams(history):
    with pytest.raises(PermissionDenied):
        review(history.cast.bob)
    with pytest.raises(PermissionDenied):
        review(history.wendy, team_id=history.cast.east.pk)
    with pytest.raises(ValidationError):
        review(history.cast.diana, team_id=999_999)


def test_an_empty_period_has_no_figures(history):
    quiet = conflict_review(
        viewer=history.cast.diana, start=on(11, 1), end=on(12, 1), now=NOW
    ).total

    assert quiet.collisions_total == quiet.disputes_opened == quiet.decided == 0
    assert quiet.hours_to_decision_median is None and quiet.hours_to_decision_mean is None
    assert quiet.repeat_parties == [] and quiet.rules == {}


def test_the_review_costs_the_same_queries_for_more_conflicts(history):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            review(history.cast.diana)
        return len(captured)

    before = queries()
    for day in range(1, 29):
        c = history.collision(
            history.cast.bob,
            history.acme,
            "claim",
            on(9, day),
            [PROTECTED, CLAIMED],
            ["same_phone"],
        )
        history.dispute(
            c,
            history.cast.alice,
            history.cast.bob,
            on(9, day),
            option="owner_keeps",
            settlement="manager",
            settled_at=on(9, day, 20),
        )

    assert queries() == before <= 13
