"""What an import does with each row, decided on plain objects: no database."""

from datetime import UTC, datetime, timedelta

from guishu.customers.identity import CandidateMatch
from guishu.customers.inputs import CustomerInput
from guishu.domain import Actor, Person, Policy, RejectionCode, Role
from guishu.imports.parse import CustomerRow
from guishu.imports.plan import Outcome, Planner, Snapshot, Term, summary
from guishu.matching import Match, Verdict

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
ALICE = Person(1, "Alice")
BOB = Person(2, "Bob")
ADMIN = Person(9, "Admin", role=Role.ADMIN)


def row(number: int, name: str, owner: int | None = None) -> CustomerRow:
    return CustomerRow(number, CustomerInput(name=name), owner_id=owner)


def same(customer_id: int) -> CandidateMatch:
    return CandidateMatch(customer_id, Match(Verdict.SAME, 0.9, ()), name="Acme")


def planner(rule: str, importer: Person, *, held: int = 0, **terms: Term | None) -> Planner:
    policy = Policy(max_held=3)
    snapshot = Snapshot(
        terms={int(key.removeprefix("c")): term for key, term in terms.items()},
        names={},
        actors={p.id: Actor(person=p, held=held) for p in (ALICE, BOB)},
        policies={ALICE.id: policy, BOB.id: policy},
    )
    return Planner(rule=rule, importer=importer, snapshot=snapshot, now=NOW)


def owned_by(person: Person) -> Term:
    return Term(person, None, "registered", NOW - timedelta(days=40), None)


def test_another_reps_customer_is_a_collision_and_ones_own_is_skipped():
    plans = planner("importer", BOB, c7=owned_by(ALICE), c8=owned_by(BOB)).plan(
        [row(2, "Acme"), row(3, "Zenith"), row(4, "New Co")],
        [None, None, None],
        {0: [same(7)], 1: [same(8)]},
    )
    assert [p.outcome for p in plans] == [Outcome.COLLISION, Outcome.ALREADY_YOURS, Outcome.NEW]
    assert plans[0].decision.code is RejectionCode.OWNED_BY_OTHER  # type: ignore[union-attr]


def test_of_several_same_matches_ones_own_wins_then_another_reps_then_the_pool():
    plans = planner("importer", BOB, c7=None, c8=owned_by(ALICE), c9=owned_by(BOB)).plan(
        [row(2, "Acme")], [None], {0: [same(7), same(8), same(9)]}
    )
    assert (plans[0].outcome, plans[0].customer_id) == (Outcome.ALREADY_YOURS, 9)


def test_a_repeat_for_another_owner_collides_with_the_first_row():
    plans = planner("owner_column", ADMIN).plan(
        [row(2, "Acme", owner=1), row(3, "Acme", owner=1), row(4, "Acme", owner=2)],
        [None, 0, 0],
        {},
    )
    assert [p.outcome for p in plans] == [Outcome.NEW, Outcome.DUPLICATE, Outcome.COLLISION]
    assert (plans[2].target_position, plans[2].duplicate_of) == (0, 2)
    assert plans[2].decision.owner == ALICE  # type: ignore[union-attr]


def test_the_holding_cap_refuses_the_rows_beyond_it_in_file_order():
    plans = planner("importer", BOB, held=1).plan(
        [row(n, f"Co {n}") for n in range(2, 6)], [None] * 4, {}
    )
    new, refused = Outcome.NEW, Outcome.REFUSED
    assert [p.outcome for p in plans] == [new, new, refused, refused]
    assert summary(plans)["refused"] == 2


def test_a_pool_import_claims_nothing():
    plans = planner("pool", ADMIN, c7=owned_by(ALICE), c8=None).plan(
        [row(2, "Acme"), row(3, "Pooled"), row(4, "New")], [None] * 3, {0: [same(7)], 1: [same(8)]}
    )
    assert [p.outcome for p in plans] == [Outcome.OWNED, Outcome.POOL_MATCH, Outcome.NEW]
    assert all(p.decision is None for p in plans)
