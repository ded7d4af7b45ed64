"""`guishu demo` on a small company: deterministic, consistent with its own audit trail, the
case of reps A and B in place, and loaded only once with --if-empty."""

from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from guishu.accounts.models import User
from guishu.activities.models import Activity, Order
from guishu.customers.models import Customer
from guishu.demo import DEMO_PASSWORD
from guishu.demo.load import anchor_of
from guishu.disputes.evidence import dispute_evidence
from guishu.disputes.models import Collision, Dispute
from guishu.ownership.explain import customer_ownership_explain
from guishu.ownership.models import Ownership, OwnershipEvent

pytestmark = pytest.mark.db_facing

TODAY = date(2026, 3, 16)
SMALL = ["--customers", "120", "--today", TODAY.isoformat()]
MUELLER = "Mueller Industrietechnik GmbH"


def load(*args: str) -> str:
    out = StringIO()
    call_command("demo", *SMALL, *args, stdout=out)
    return out.getvalue()


def fingerprint() -> dict[str, object]:
    """What two loads must agree on: names, owners, and how much of everything happened."""
    owners = dict(
        Ownership.objects.filter(ended_at__isnull=True).values_list(
            "customer__name", "owner__username"
        )
    )
    return {
        "customers": list(Customer.objects.order_by("pk").values_list("name", flat=True)),
        "owners": owners,
        "events": Counter(OwnershipEvent.objects.values_list("kind", flat=True)),
        "activities": Activity.objects.count(),
        "orders": sorted(Order.objects.values_list("number", "amount", "currency")),
        "collisions": Collision.objects.count(),
    }


def _empty_database() -> None:
    """A fresh database mid-test: the append-only triggers refuse the flush's DELETE, so they
    are lifted for it and put back, as the allow_flush fixture does after the test."""
    from guishu.ownership.db_guards import install_event_guards, remove_event_guards

    remove_event_guards(connection)
    call_command("flush", interactive=False, verbosity=0)
    install_event_guards(connection)


@pytest.mark.django_db(transaction=True)
def test_two_loads_with_the_same_seed_and_date_give_the_same_company(allow_flush):
    load()
    first = fingerprint()
    _empty_database()
    load()

    assert fingerprint() == first
    assert len(first["customers"]) == 120  # type: ignore[arg-type]


def test_every_owned_customer_replays_to_its_owner_and_none_is_overdue(db):
    load()
    anchor = anchor_of(TODAY)
    pooled = protected = 0
    for customer in Customer.objects.all():
        explained = customer_ownership_explain(customer=customer, now=anchor)
        assert explained.history_agrees, customer.name
        if explained.owner is None:
            pooled += 1
            continue
        # The sweep runs through the year: nothing owned is left past its reclaim date.
        assert explained.forecast is None or explained.forecast.due_at > anchor, customer.name
        term = explained.term
        assert term is not None
        protected += term.protected_until is not None and term.protected_until > anchor
    assert pooled > 0 and protected > 0
    assert OwnershipEvent.objects.filter(kind="reclaimed").exists()
    assert OwnershipEvent.objects.filter(kind="claimed").exists()
    assert Collision.objects.filter(action="register").count() > 1


def test_the_case_of_reps_a_and_b_is_ready_to_be_disputed(db):
    output = load()
    customer = Customer.objects.get(name=MUELLER)
    a, b = User.objects.get(username="wanglei"), User.objects.get(username="chenjing")

    explained = customer_ownership_explain(customer=customer, now=anchor_of(TODAY))
    assert explained.owner == a and explained.history_agrees
    assert explained.term is not None and explained.term.locked_at is not None
    # A: one catalog through the platform a year ago, nothing else.
    assert list(customer.activities.filter(by=a).values_list("kind", "channel")) == [
        ("catalog_sent", "platform")
    ]
    # B: months of work, much of it started by the buyer, with a quote and samples.
    b_work = customer.activities.filter(by=b)
    assert b_work.count() >= 12
    assert b_work.filter(customer_initiated=True).count() >= 3
    assert {"quote", "sample"} <= set(b_work.values_list("kind", flat=True))
    assert b_work.filter(outcome__icontains="visit the factory").exists()
    collision = Collision.objects.get(customer=customer)
    assert (collision.attempted_by, collision.owner, collision.action) == (b, a, "register")
    assert collision.submitted["name"] != MUELLER
    assert any(r["code"] == "same_company_domain" for r in collision.reasons)
    assert MUELLER in output and "王磊" in output and "陈静" in output
    # B contested it at once: the dispute waits for the manager, evidence side by side.
    dispute = Dispute.objects.get(collision=collision)
    assert (dispute.status, dispute.owner, dispute.challenger) == ("open", a, b)
    a_side, b_side = dispute_evidence(dispute, now=anchor_of(TODAY))["parties"]
    assert set(a_side["milestones"]) == set()
    assert {"quote", "sample", "invitation"} <= set(b_side["milestones"])


def test_if_empty_loads_nothing_the_second_time_and_prints_the_logins(db):
    load("--if-empty")
    counts = fingerprint()

    output = load("--if-empty")

    assert fingerprint() == counts
    assert DEMO_PASSWORD in output
    assert User.objects.get(username="lilei").check_password(DEMO_PASSWORD)
    assert "wanglei" in output and "zhaojianguo" in output and "admin" in output
    with pytest.raises(CommandError):
        load()
