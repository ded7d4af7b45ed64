"""Handover plans: the draft, the check, and the all-or-nothing execution."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guishu.activities.models import Activity
from guishu.activities.services import activity_log, order_record
from guishu.customers.contacts import contact_add
from guishu.customers.inputs import ContactInput
from guishu.disputes.collaboration import collaboration_add
from guishu.disputes.models import Collaboration
from guishu.ownership.handover import (
    HandoverRefused,
    handover_cancel,
    handover_check,
    handover_draft,
    handover_execute,
    handover_item_set,
    handovers_visible_to,
)
from guishu.ownership.models import HandoverItem, HandoverPlan, Ownership, OwnershipEvent
from guishu.ownership.selectors import customer_for_viewer
from guishu.ownership.services import customer_lock, customer_transfer
from guishu.ownership.sweep import ownership_sweep
from guishu.policies.services import policy_version_save
from tests.factories import register
from tests.handover.conftest import draft, item_of, owner_of, soon, today

pytestmark = pytest.mark.db_facing

KEEP = HandoverItem.Choice.KEEP_AS_COLLABORATOR


def test_the_draft_lists_every_customer_the_rep_owns_and_no_other(cast, book):
    register(cast.bob, "Bob's Own Ltd")
    pooled_by_default = draft(cast.carol, cast.alice)
    items = list(pooled_by_default.items.order_by("customer_id"))

    assert [item.customer for item in items] == book.all
    assert {(item.choice, item.to) for item in items} == {(HandoverItem.Choice.POOL, None)}
    handover_cancel(user=cast.carol, plan_id=pooled_by_default.pk)
    to_bob = draft(cast.carol, cast.alice, to=cast.bob)
    assert {(i.choice, i.to) for i in to_bob.items.all()} == {("reassign", cast.bob)}


def test_only_a_manager_over_the_rep_a_director_or_an_admin_plans(cast, book, wendy):
    for planner in (cast.alice, cast.bob, cast.dave, wendy):
        with pytest.raises(PermissionDenied):
            draft(planner, cast.alice)
    with pytest.raises(PermissionDenied):
        draft(cast.carol, cast.carol)  # not one's own handover
    plan = draft(cast.diana, cast.alice)
    with pytest.raises(HandoverRefused) as twice:
        draft(cast.admin, cast.alice)
    assert twice.value.code == "draft_exists"
    assert set(handovers_visible_to(cast.carol)) == {plan}
    assert not handovers_visible_to(wendy).exists()
    assert not handovers_visible_to(cast.alice).exists()
    with pytest.raises(HandoverPlan.DoesNotExist):
        handover_execute(user=wendy, plan_id=plan.pk)


def test_executing_moves_every_customer_with_events_pointing_at_the_plan(cast, book):
    contact_add(user=cast.alice, customer_id=book.first.pk, data=ContactInput(name="Wang Fang"))
    now = timezone.now()
    order_record(
        user=cast.alice,
        customer_id=book.first.pk,
        number="SO-1",
        amount=100,
        ordered_at=now - timedelta(hours=1),
    )
    activity_log(
        user=cast.alice,
        customer_id=book.second.pk,
        kind="call",
        occurred_at=now - timedelta(hours=1),
    )
    assert customer_lock(user=cast.alice, customer_id=book.fourth.pk).accepted
    # Bob already works the first beside Alice; Alice works one of Dave's.
    collaboration_add(user=cast.alice, customer_id=book.first.pk, collaborator=cast.bob)
    delta = register(cast.dave, "Delta Handover Co")
    collaboration_add(user=cast.dave, customer_id=delta.pk, collaborator=cast.alice)
    plan = draft(cast.carol, cast.alice, to=cast.bob)
    handover_item_set(
        user=cast.carol, plan_id=plan.pk, item_id=item_of(plan, book.second).pk, choice="pool"
    )
    until = soon(30)
    handover_item_set(
        user=cast.carol,
        plan_id=plan.pk,
        item_id=item_of(plan, book.third).pk,
        choice=KEEP,
        to=cast.bob,
        collaborate_until=until,
    )

    outcome = handover_execute(user=cast.carol, plan_id=plan.pk)

    assert outcome.executed and outcome.check is None
    assert [owner_of(c) for c in book.all] == [cast.bob, None, cast.bob, cast.bob]
    events = OwnershipEvent.objects.filter(evidence__handover=str(plan.pk))
    assert sorted(events.values_list("kind", flat=True)) == [
        "locked",
        "released",
        "transferred",
        "transferred",
        "transferred",
    ]
    assert all(
        e.actor == cast.carol and e.evidence["reason"] == "leaves the company"
        for e in events.exclude(kind="locked")
    )
    assert Ownership.objects.get(customer=book.fourth, ended_at__isnull=True).locked_at is not None
    # Contacts and orders follow the customer; the activity stays Alice's.
    assert book.first.contacts.count() == 1 and book.first.orders.count() == 1
    assert Activity.objects.get(customer=book.second).by == cast.alice
    # Collaborations: Bob now owns the first; Alice left Delta; Alice stays on the third.
    open_ones = Collaboration.objects.filter(ended_at__isnull=True)
    assert [(c.customer, c.user, c.ends_at) for c in open_ones] == [(book.third, cast.alice, until)]
    plan.refresh_from_db()
    assert plan.status == "executed" and plan.closed_by == cast.carol
    assert item_of(plan, book.third).collaboration == open_ones.get()
    summary = plan.summary
    assert summary["choices"] == {"reassign": 2, "pool": 1, "keep_as_collaborator": 1}
    assert summary["receivers"] == [{"id": cast.bob.pk, "name": "Bob", "customers": 3}]
    assert (summary["contacts"], summary["orders"], summary["activities"]) == (1, 1, 1)
    assert (summary["locks_carried"], summary["collaborations_ended"]) == (1, 2)
    assert summary["events"] == 5 and summary["collaborations_started"] == 1


def test_the_old_owner_kept_as_collaborator_sees_the_customer_until_the_end_date(cast, book):
    plan = draft(cast.carol, cast.alice, to=cast.bob)
    until = soon(10)
    item = item_of(plan, book.first)
    handover_item_set(
        user=cast.carol,
        plan_id=plan.pk,
        item_id=item.pk,
        choice=KEEP,
        to=cast.bob,
        collaborate_until=until,
    )
    assert handover_execute(user=cast.carol, plan_id=plan.pk).executed

    assert customer_for_viewer(cast.alice, book.first.pk, now=until - timedelta(minutes=1))
    assert customer_for_viewer(cast.alice, book.second.pk) is None  # reassigned outright
    assert customer_for_viewer(cast.alice, book.first.pk, now=until) is None
    assert ownership_sweep(now=until).collaborations_ended == 1
    item.refresh_from_db()
    assert item.collaboration is not None
    item.collaboration.refresh_from_db()
    assert item.collaboration.ended_at == until


def test_a_cap_failure_for_one_receiver_changes_nothing_at_all(cast, book):
    policy_version_save(user=cast.admin, team=None, values={"max_held": 3})
    for n in range(2):
        register(cast.bob, f"Bob Holds {n} Ltd")
    assert customer_lock(user=cast.alice, customer_id=book.fourth.pk).accepted
    collaboration_add(user=cast.alice, customer_id=book.first.pk, collaborator=cast.bob)
    # Two of Alice's four go to Dave, two to Bob, who would then hold 4: over the cap of 3.
    plan = draft(cast.diana, cast.alice, to=cast.bob)
    handover_item_set(
        user=cast.diana,
        plan_id=plan.pk,
        item_id=item_of(plan, book.first).pk,
        choice="reassign",
        to=cast.dave,
    )
    handover_item_set(
        user=cast.diana,
        plan_id=plan.pk,
        item_id=item_of(plan, book.second).pk,
        choice=KEEP,
        to=cast.dave,
        collaborate_until=soon(),
    )
    terms = list(Ownership.objects.order_by("pk").values())
    events = OwnershipEvent.objects.count()
    collaborations = list(Collaboration.objects.values())

    check = handover_check(user=cast.diana, plan_id=plan.pk)
    outcome = handover_execute(user=cast.diana, plan_id=plan.pk)

    assert not check.ok and not outcome.executed and outcome.check is not None
    loads = {load.rep: load for load in outcome.check.receivers}
    assert not loads[cast.bob].fits and (loads[cast.bob].held, loads[cast.bob].incoming) == (2, 2)
    assert loads[cast.dave].fits
    assert [r.code for r in outcome.check.refusals] == [r.code for r in check.refusals]
    assert list(Ownership.objects.order_by("pk").values()) == terms
    assert OwnershipEvent.objects.count() == events
    assert list(Collaboration.objects.values()) == collaborations
    plan.refresh_from_db()
    assert plan.status == "draft" and plan.summary == {} and plan.closed_at is None


def test_the_check_reports_every_refusal_together_and_writes_nothing(cast, book):
    policy_version_save(user=cast.admin, team=None, values={"max_held": 3})
    register(cast.dave, "Dave Holds Ltd")
    plan = draft(cast.carol, cast.alice, to=cast.bob)
    # Carol does not manage Dave; a keep-as-collaborator date that is already over.
    handover_item_set(
        user=cast.carol,
        plan_id=plan.pk,
        item_id=item_of(plan, book.first).pk,
        choice="reassign",
        to=cast.dave,
    )
    handover_item_set(
        user=cast.carol,
        plan_id=plan.pk,
        item_id=item_of(plan, book.second).pk,
        choice=KEEP,
        to=cast.bob,
        collaborate_until=soon(1),
    )
    later = soon(2)
    events = OwnershipEvent.objects.count()

    check = handover_check(user=cast.carol, plan_id=plan.pk, now=later)

    codes = {refusal.customer_id: refusal.code for refusal in check.refusals}
    assert codes == {book.first.pk: "not_permitted", book.second.pk: "collaboration_over"}
    bob = next(load for load in check.receivers if load.rep == cast.bob)
    assert (bob.held, bob.incoming, bob.cap, bob.fits) == (0, 3, 3, True)
    assert OwnershipEvent.objects.count() == events


def test_a_customer_that_changed_hands_since_the_draft_refuses_the_plan(cast, book):
    plan = draft(cast.carol, cast.alice, to=cast.bob)
    assert customer_transfer(user=cast.alice, customer_id=book.second.pk, to=cast.dave).accepted
    gained = register(cast.alice, "Alice Came Later Ltd")

    outcome = handover_execute(user=cast.carol, plan_id=plan.pk)

    assert outcome.check is not None and not outcome.executed
    codes = {refusal.customer_id: refusal.code for refusal in outcome.check.refusals}
    assert codes == {book.second.pk: "owner_changed", gained.pk: "not_in_plan"}
    assert [owner_of(c) for c in book.all] == [cast.alice, cast.dave, cast.alice, cast.alice]


def test_executing_twice_does_nothing_the_second_time(cast, book):
    plan = draft(cast.carol, cast.alice, to=cast.bob)
    assert handover_execute(user=cast.carol, plan_id=plan.pk).executed
    events = OwnershipEvent.objects.count()

    again = handover_execute(user=cast.diana, plan_id=plan.pk)

    assert again.already_executed and not again.executed
    assert OwnershipEvent.objects.count() == events
    assert again.plan.closed_by == cast.carol
    with pytest.raises(HandoverRefused) as edit:
        handover_item_set(
            user=cast.carol, plan_id=plan.pk, item_id=item_of(plan, book.first).pk, choice="pool"
        )
    assert edit.value.code == "handover_executed"


def test_a_plan_waits_for_its_effective_day(cast, book):
    plan = handover_draft(
        user=cast.carol, rep=cast.alice, effective_on=today() + timedelta(days=3), to=cast.bob
    )
    with pytest.raises(HandoverRefused) as early:
        handover_execute(user=cast.carol, plan_id=plan.pk)
    assert early.value.code == "not_yet_effective" and early.value.retry_at is not None
    assert handover_check(user=cast.carol, plan_id=plan.pk).ok  # planning ahead is fine
    assert handover_execute(user=cast.carol, plan_id=plan.pk, now=early.value.retry_at).executed


def test_an_item_needs_a_complete_choice(cast, book):
    plan = draft(cast.carol, cast.alice)
    item = item_of(plan, book.first).pk

    def set_item(**fields):  # type: ignore[no-untyped-def]
        return handover_item_set(user=cast.carol, plan_id=plan.pk, item_id=item, **fields)

    for wrong in (
        {"choice": "reassign"},
        {"choice": "reassign", "to": cast.alice},
        {"choice": "reassign", "to": cast.diana},
        {"choice": "pool", "to": cast.bob},
        {"choice": KEEP, "to": cast.bob},
        {"choice": KEEP, "to": cast.bob, "collaborate_until": timezone.now() - timedelta(days=1)},
        {"choice": "reassign", "to": cast.bob, "collaborate_until": soon()},
        {"choice": "hand it to someone"},
    ):
        with pytest.raises(ValidationError):
            set_item(**wrong)
    assert set_item(choice=KEEP, to=cast.bob, collaborate_until=soon()).choice == KEEP
