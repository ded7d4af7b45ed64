"""Violation detection rules on plain values: cycling, evasion, working another's customer."""

from dataclasses import replace
from datetime import timedelta

from guishu.domain import Policy
from guishu.domain.violations import (
    RefusedRegistration,
    ViolationKind,
    claim_cycle,
    evaded_by_edit,
    evaded_registration,
    violation_points,
    worked_other,
)
from tests.domain.conftest import NOW, POLICY, days

PHONE = "phone:+8613800138000"
NAME = "name:acme tools"


# --- points ---------------------------------------------------------------------------------


def test_each_kind_earns_the_policys_points():
    assert violation_points(POLICY, ViolationKind.WORKED_OTHER) == 2
    assert violation_points(POLICY, ViolationKind.EVASIVE_EDIT) == 3
    assert violation_points(POLICY, ViolationKind.CLAIM_CYCLING) == 1


def test_a_kind_set_to_zero_points_is_a_warning_only():
    policy = Policy(violation_points={"claim_cycling": 0})
    assert violation_points(policy, ViolationKind.CLAIM_CYCLING) == 0
    assert violation_points(policy, ViolationKind.WORKED_OTHER) == 2  # the rest keep defaults


# --- worked_other ---------------------------------------------------------------------------


def test_a_follow_up_on_another_reps_customer_is_working_it():
    assert worked_other(action="follow_up", collaborating=False)
    assert worked_other(action="contact_overlap", collaborating=False)


def test_a_collaborators_follow_up_is_their_job():
    assert not worked_other(action="follow_up", collaborating=True)
    assert not worked_other(action="contact_overlap", collaborating=True)


def test_a_managers_touch_on_a_customer_of_someone_they_oversee_is_allowed():
    assert not worked_other(action="contact_overlap", collaborating=False, oversees_owner=True)


def test_trying_to_register_or_claim_is_not_working_the_customer():
    for action in ("register", "claim", "edit"):
        assert not worked_other(action=action, collaborating=False)


# --- claim_cycling --------------------------------------------------------------------------


def test_a_first_claim_is_no_cycle():
    assert claim_cycle([NOW], now=NOW, policy=POLICY) is None


def test_two_claims_are_not_yet_a_cycle_of_three():
    assert claim_cycle([NOW - days(40), NOW], now=NOW, policy=POLICY) is None


def test_three_claims_within_ninety_days_are_a_cycle():
    claims = [NOW, NOW - days(80), NOW - days(40)]
    assert claim_cycle(claims, now=NOW, policy=POLICY) == (NOW - days(80), NOW - days(40), NOW)


def test_claims_older_than_the_window_do_not_count():
    claims = [NOW - days(91), NOW - days(40), NOW]
    assert claim_cycle(claims, now=NOW, policy=POLICY) is None


def test_the_window_is_inclusive_of_its_first_day():
    claims = [NOW - days(90), NOW - days(40), NOW]
    assert claim_cycle(claims, now=NOW, policy=POLICY) is not None


def test_claims_of_a_recorded_cycle_are_not_counted_again():
    recorded = [NOW - days(80), NOW - days(60), NOW - days(40)]
    claims = [*recorded, NOW]
    assert claim_cycle(claims, now=NOW, policy=POLICY, covered_until=recorded[-1]) is None


def test_a_second_cycle_needs_as_many_fresh_claims():
    recorded = [NOW - days(85), NOW - days(80), NOW - days(75)]
    fresh = [NOW - days(20), NOW - days(10), NOW]
    cycle = claim_cycle([*recorded, *fresh], now=NOW, policy=POLICY, covered_until=recorded[-1])
    assert cycle == tuple(fresh)


def test_the_policy_sets_the_count_and_the_window():
    policy = Policy(claim_cycling_count=2, claim_cycling_days=10)
    assert claim_cycle([NOW - days(9), NOW], now=NOW, policy=policy) is not None
    assert claim_cycle([NOW - days(11), NOW], now=NOW, policy=policy) is None


def test_claims_after_now_are_ignored():
    claims = [NOW - days(2), NOW - days(1), NOW + timedelta(minutes=1)]
    assert claim_cycle(claims, now=NOW, policy=POLICY) is None


# --- evasive_edit: a lookalike registered after a refusal -----------------------------------

REFUSED = RefusedRegistration(
    collision_id=7,
    at=NOW - days(3),
    causing_keys=frozenset({PHONE}),
    name_matches=True,
)


def test_a_lookalike_without_the_colliding_phone_evades_the_refusal():
    found = evaded_registration(
        [REFUSED], registered_keys=frozenset({"name:acme tools trading"}), now=NOW, policy=POLICY
    )
    assert found == REFUSED


def test_a_registration_keeping_the_colliding_identifier_evades_nothing():
    # It could only have been registered as a different customer, knowingly: no evasion.
    kept = frozenset({PHONE, "name:acme tools trading"})
    assert evaded_registration([REFUSED], registered_keys=kept, now=NOW, policy=POLICY) is None


def test_an_unrelated_name_evades_nothing():
    other = replace(REFUSED, name_matches=False)
    assert evaded_registration([other], registered_keys=frozenset(), now=NOW, policy=POLICY) is None


def test_a_refusal_older_than_the_dispute_window_is_history():
    old = replace(REFUSED, at=NOW - POLICY.dispute_window - timedelta(seconds=1))
    assert evaded_registration([old], registered_keys=frozenset(), now=NOW, policy=POLICY) is None


def test_a_refusal_with_no_known_cause_cannot_be_evaded():
    unknown = replace(REFUSED, causing_keys=frozenset())
    found = evaded_registration([unknown], registered_keys=frozenset(), now=NOW, policy=POLICY)
    assert found is None


def test_a_changed_name_evades_a_refusal_caused_by_the_name():
    by_name = replace(REFUSED, causing_keys=frozenset({NAME}))
    found = evaded_registration(
        [by_name], registered_keys=frozenset({"name:acme tool co"}), now=NOW, policy=POLICY
    )
    assert found == by_name


def test_the_latest_evaded_refusal_is_named():
    earlier = replace(REFUSED, collision_id=5, at=NOW - days(10))
    found = evaded_registration(
        [earlier, REFUSED], registered_keys=frozenset(), now=NOW, policy=POLICY
    )
    assert found is not None and found.collision_id == REFUSED.collision_id


# --- evasive_edit: an edit dropping a shared identifier -------------------------------------


def test_dropping_an_identifier_shared_with_another_reps_customer_is_evasive():
    shared = {PHONE: frozenset({42})}
    assert evaded_by_edit(shared_before=shared, keys_after=frozenset({NAME})) == shared


def test_keeping_the_shared_identifier_is_not():
    shared = {PHONE: frozenset({42})}
    assert evaded_by_edit(shared_before=shared, keys_after=frozenset({PHONE, NAME})) == {}


def test_an_edit_of_a_customer_sharing_nothing_is_never_evasive():
    assert evaded_by_edit(shared_before={}, keys_after=frozenset()) == {}
