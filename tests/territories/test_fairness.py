"""The pick itself, on plain candidates: whose turn it is, and who holds the fewest."""

from datetime import UTC, datetime
from typing import Any

from guishu.territories.fairness import Candidate, Skip, load_balanced_pick, round_robin_pick


def rep(id_: int, **facts: Any) -> Candidate:
    return Candidate(id=id_, name=f"rep{id_}", **facts)


def picked(candidate: Candidate | None) -> int | None:
    return candidate.id if candidate else None


def test_round_robin_starts_with_the_lowest_id_and_follows_the_last_pick():
    reps = [rep(7), rep(3), rep(5)]
    assert picked(round_robin_pick(reps, None)) == 3
    assert picked(round_robin_pick(reps, 3)) == 5
    assert picked(round_robin_pick(reps, 5)) == 7
    assert picked(round_robin_pick(reps, 7)) == 3


def test_round_robin_passes_over_skipped_reps_and_survives_the_last_one_leaving():
    reps = [rep(3), rep(5, skipped=Skip.HOLDING_CAP), rep(7)]
    assert picked(round_robin_pick(reps, 3)) == 7
    # The rep who had the last turn (6) is no longer named: the turn goes to the next id.
    assert picked(round_robin_pick(reps, 6)) == 7
    assert round_robin_pick([rep(3, skipped=Skip.INACTIVE)], None) is None


def test_load_balanced_picks_the_fewest_held_counting_picks_in_flight():
    reps = [rep(1, held=2), rep(2, held=1, pending=2), rep(3, held=2)]
    assert picked(load_balanced_pick(reps)) == 1


def test_load_balanced_ties_go_to_who_waited_longest_never_assigned_first():
    early = datetime(2026, 3, 1, tzinfo=UTC)
    late = datetime(2026, 3, 5, tzinfo=UTC)
    reps = [rep(1, last_assigned_at=late), rep(2, last_assigned_at=early), rep(3)]
    assert picked(load_balanced_pick(reps)) == 3
    assert picked(load_balanced_pick(reps[:2])) == 2
    assert load_balanced_pick([]) is None
