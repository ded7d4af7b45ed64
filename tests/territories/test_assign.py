"""Fair assignment: the rep each rule picks, the reps it skips, and the record of why."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from guishu.domain import RejectionCode
from guishu.ownership.explain import customer_ownership_explain
from guishu.ownership.models import Ownership, OwnershipEvent
from guishu.policies.services import policy_version_save
from guishu.territories import assign
from guishu.territories.assign import LeadStatus, lead_assign
from guishu.territories.models import Assignment
from tests.factories import make_user, register
from tests.territories.conftest import lead, rule

pytestmark = pytest.mark.db_facing


def owner_of(customer_id):
    term = Ownership.objects.filter(customer_id=customer_id, ended_at__isnull=True).first()
    return term.owner.username if term else None


def assigned_to(outcomes):
    return [outcome.rep.username if outcome.rep else None for outcome in outcomes]


def test_round_robin_gives_each_rep_a_turn_in_order_across_batches(cast, erin):
    rule(cast.carol, "East", reps=[erin, cast.bob, cast.alice])
    leads = [lead(cast.carol).pk for _ in range(7)]

    first = lead_assign(user=cast.carol, customer_ids=leads[:4])
    second = lead_assign(user=cast.carol, customer_ids=leads[4:])

    assert assigned_to(first + second) == ["alice", "bob", "erin"] * 2 + ["alice"]
    assert [owner_of(pk) for pk in leads] == assigned_to(first + second)


def test_load_balancing_picks_who_holds_fewest_then_who_waited_longest(cast, erin):
    for _ in range(2):
        register(cast.alice)
    register(erin)
    rule(cast.carol, "East", reps=[cast.alice, cast.bob, erin], method="load_balanced")

    outcomes = lead_assign(user=cast.carol, customer_ids=[lead(cast.carol).pk for _ in range(4)])

    # Held: alice 2, bob 0, erin 1 -> bob. Bob and erin tie at 1; erin has waited longer
    # (never assigned by a rule) -> erin. Bob alone has 1 -> bob. All at 2; only alice has
    # never been assigned by a rule -> alice.
    assert assigned_to(outcomes) == ["bob", "erin", "bob", "alice"]
    loads = {c.name: c.held for c in outcomes[1].candidates}
    assert loads == {"Alice": 2, "Bob": 1, "Erin": 1}


def test_inactive_reps_are_skipped_and_the_skip_is_recorded(cast, erin):
    cast.bob.is_active = False
    cast.bob.save()
    rule(cast.carol, "East", reps=[cast.alice, cast.bob, erin])

    outcomes = lead_assign(user=cast.carol, customer_ids=[lead(cast.carol).pk for _ in range(3)])

    assert assigned_to(outcomes) == ["alice", "erin", "alice"]
    skipped = {c["name"]: c["skipped"] for c in Assignment.objects.first().candidates}  # type: ignore[union-attr]
    assert skipped == {"Alice": None, "Bob": "inactive", "Erin": None}


def test_reps_at_the_holding_cap_are_skipped_and_the_batch_goes_on(cast):
    policy_version_save(user=cast.admin, team=None, values={"max_held": 2})
    register(cast.alice)
    register(cast.alice)
    register(cast.bob)
    rule(cast.carol, "East", reps=[cast.alice, cast.bob])
    leads = [lead(cast.carol).pk for _ in range(3)]

    outcomes = lead_assign(user=cast.carol, customer_ids=leads)

    assert [o.status for o in outcomes] == [
        LeadStatus.ASSIGNED,
        LeadStatus.NO_CANDIDATE,
        LeadStatus.NO_CANDIDATE,
    ]
    assert assigned_to(outcomes) == ["bob", None, None]
    assert owner_of(leads[1]) is None and owner_of(leads[2]) is None
    with translation.override("en"):
        again = lead_assign(user=cast.carol, customer_ids=leads[2:])
    assert "Alice (at the holding cap), Bob (at the holding cap)" in again[0].reason
    assert Assignment.objects.count() == 1


def test_a_refusal_for_the_rep_moves_on_to_the_next_and_is_recorded(cast, monkeypatch):
    # Alice reaches the cap between the pick and the assignment (here: the pick does not
    # look); the ownership rules refuse her, and the customer goes to the next rep.
    policy_version_save(user=cast.admin, team=None, values={"max_held": 1})
    register(cast.alice)
    monkeypatch.setattr(assign._Batch, "at_cap", lambda *args: False)
    rule(cast.carol, "East", reps=[cast.alice, cast.bob])
    customer = lead(cast.carol)

    [outcome] = lead_assign(user=cast.carol, customer_ids=[customer.pk])

    assert outcome.status == LeadStatus.ASSIGNED and owner_of(customer.pk) == "bob"
    refused, assigned = Assignment.objects.order_by("pk")
    assert (refused.rep, refused.status) == (cast.alice, Assignment.Status.REFUSED)
    assert refused.refusal_code == RejectionCode.HOLDING_CAP and refused.refusal_trace
    assert (assigned.rep, assigned.status) == (cast.bob, Assignment.Status.ASSIGNED)


def test_every_assignment_records_why_and_the_ownership_trace_names_the_rule(cast):
    rule(cast.carol, "Zhejiang leads", reps=[cast.alice, cast.bob], regions=["Zhejiang"])
    customer = lead(cast.carol, region="Zhejiang")
    now = timezone.now()

    with translation.override("en"):
        [outcome] = lead_assign(user=cast.carol, customer_ids=[customer.pk], now=now)

    record = Assignment.objects.get()
    event = OwnershipEvent.objects.get(customer=customer)
    assert outcome.assignment == record and outcome.status == LeadStatus.ASSIGNED
    assert (record.customer, record.rep, record.assigned_by) == (customer, cast.alice, cast.carol)
    assert (record.rule_name, record.method, record.at) == ("Zhejiang leads", "round_robin", now)
    assert [c["name"] for c in record.candidates] == ["Alice", "Bob"]
    assert record.candidates[0]["held"] == 0 and record.candidates[0]["skipped"] is None
    assert record.event == event and record.status == Assignment.Status.ASSIGNED
    assert (event.kind, event.actor, event.to_owner) == ("assigned", cast.carol, cast.alice)
    assert record.reason == "assigned by rule Zhejiang leads (round-robin)"
    assert event.evidence == {"reason": record.reason}
    why = customer_ownership_explain(customer=customer)
    assert why.owner == cast.alice and why.evidence["reason"] == record.reason


def test_a_customer_no_rule_matches_stays_in_the_pool_and_is_reported(cast):
    rule(cast.carol, "Zhejiang", reps=[cast.alice], regions=["Zhejiang"])
    customer = lead(cast.carol, name="Lyon Textiles SA", region="Auvergne-Rhône-Alpes")

    with translation.override("en"):
        [outcome] = lead_assign(user=cast.carol, customer_ids=[customer.pk])

    assert outcome.status == LeadStatus.UNMATCHED and outcome.rule is None
    assert outcome.reason == "no territory rule matches Lyon Textiles SA: left in the pool"
    assert owner_of(customer.pk) is None and not Assignment.objects.exists()


def test_customers_outside_the_pool_are_left_as_they_are(cast):
    rule(cast.carol, "East", reps=[cast.bob])
    owned = register(cast.alice)

    outcomes = lead_assign(user=cast.carol, customer_ids=[owned.pk, 987_654, owned.pk])

    assert [o.status for o in outcomes] == [LeadStatus.NOT_IN_POOL] * 2
    assert outcomes[0].reason == outcomes[1].reason  # no telling owned from unknown
    assert owner_of(owned.pk) == "alice" and not Assignment.objects.exists()


def test_a_manager_assigns_only_to_reps_in_their_teams_without_seeing_the_others_loads(cast, wendy):
    register(cast.dave)
    rule(cast.admin, "Everyone", reps=[cast.alice, cast.dave])

    [by_carol] = lead_assign(user=cast.carol, customer_ids=[lead(cast.carol).pk])
    [by_wendy] = lead_assign(user=wendy, customer_ids=[lead(wendy).pk])
    [by_diana] = lead_assign(user=cast.diana, customer_ids=[lead(cast.diana).pk])

    # Wendy's pick was Dave's turn; the director's is Alice's again.
    assert assigned_to([by_carol, by_wendy, by_diana]) == ["alice", "dave", "alice"]
    dave = next(c for c in by_carol.candidates if c.name == "Dave")
    assert (dave.skipped, dave.held) == ("not_managed", 0)
    dave = next(c for c in by_diana.candidates if c.name == "Dave")
    assert (dave.skipped, dave.held) == (None, 2)


def test_a_pick_in_flight_holds_its_customer_until_it_is_abandoned(cast):
    rule(cast.carol, "East", reps=[cast.alice, cast.bob])
    customer = lead(cast.carol)
    crashed = Assignment.objects.create(
        customer=customer,
        rule_name="East",
        method="round_robin",
        rep=cast.bob,
        assigned_by=cast.carol,
        reason="assigned by rule East (round-robin)",
        at=timezone.now(),
    )

    [busy] = lead_assign(user=cast.carol, customer_ids=[customer.pk])
    assert busy.status == LeadStatus.NOT_IN_POOL and owner_of(customer.pk) is None
    # Ten minutes on, the pick is taken for lost in a crash and no longer holds anything.
    Assignment.objects.filter(pk=crashed.pk).update(
        created_at=timezone.now() - assign.ABANDONED_AFTER - timedelta(seconds=1)
    )
    [outcome] = lead_assign(user=cast.carol, customer_ids=[customer.pk])

    assert outcome.status == LeadStatus.ASSIGNED and owner_of(customer.pk) == "alice"
    crashed.refresh_from_db()
    assert crashed.status == Assignment.Status.ABANDONED


def test_managers_named_by_a_rule_may_receive_and_sub_teams_reps_count(cast):
    from guishu.accounts.models import Team

    north = Team.objects.create(name="North", parent=cast.east)
    frank = make_user("frank", team=north)
    rule(cast.carol, "East tree", teams=[cast.east], reps=[cast.carol])

    outcomes = lead_assign(user=cast.carol, customer_ids=[lead(cast.carol).pk for _ in range(4)])

    in_turn = sorted([cast.alice, cast.bob, cast.carol, frank], key=lambda person: person.pk)
    assert assigned_to(outcomes) == [person.username for person in in_turn]
