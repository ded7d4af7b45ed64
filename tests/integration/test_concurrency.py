"""Real concurrent writers on a real database: 32 threads, each with its own connection,
released together by a barrier, for 20 rounds. Runs on SQLite and again on PostgreSQL in CI."""

import pytest

from guishu.customers.inputs import CustomerInput
from guishu.customers.models import Customer
from guishu.disputes.models import Collision
from guishu.ownership.models import Ownership, OwnershipEvent
from guishu.ownership.registration import customer_register
from guishu.ownership.services import pool_claim, pool_release
from tests.concurrency import run_together
from tests.factories import make_user, register

pytestmark = [pytest.mark.db_facing, pytest.mark.django_db(transaction=True)]

THREADS = 32
ROUNDS = 20


def register_distinct(rep, data):  # type: ignore[no-untyped-def]
    # Each round's customer looks like the last round's ("Round 7 Trading"): it is a
    # different customer by design, so the rep confirms it; inside a round, all 32 submit the
    # same customer, which only one of them can register.
    return customer_register(user=rep, data=data, confirm_distinct=True)


def test_32_reps_registering_one_customer_at_once_leave_exactly_one_owner(allow_flush: None):
    reps = [make_user(f"rep{i}") for i in range(THREADS)]
    for round_no in range(ROUNDS):
        data = CustomerInput(
            name=f"Round {round_no} Trading Co., Ltd.", phones=(f"+86 138 0000 {round_no:04d}",)
        )
        results, errors = run_together(
            [lambda rep=rep, data=data: register_distinct(rep, data) for rep in reps]
        )

        assert errors == [], f"round {round_no}: {errors[:3]}"
        winners = [result for result in results if result.created]
        assert len(winners) == 1, f"round {round_no}: {len(winners)} winners"
        customer = winners[0].customer
        assert Customer.objects.filter(name=data.name).count() == 1
        assert Ownership.objects.filter(customer=customer, ended_at__isnull=True).count() == 1
        losers = [result for result in results if not result.created]
        assert all(result.customer == customer for result in losers)
        assert Collision.objects.filter(customer=customer).count() == THREADS - 1
        assert OwnershipEvent.objects.filter(customer=customer).count() == 1


def test_32_reps_claiming_one_pool_customer_at_once_leave_exactly_one_owner(allow_flush: None):
    reps = [make_user(f"rep{i}") for i in range(THREADS)]
    seller = make_user("seller")
    for round_no in range(ROUNDS):
        customer = register(seller, f"Pool customer {round_no} GmbH")
        assert pool_release(user=seller, customer_id=customer.pk).accepted
        results, errors = run_together(
            [lambda rep=rep, pk=customer.pk: pool_claim(user=rep, customer_id=pk) for rep in reps]
        )

        assert errors == [], f"round {round_no}: {errors[:3]}"
        winners = [result for result in results if result.accepted]
        assert len(winners) == 1, f"round {round_no}: {len(winners)} winners"
        active = Ownership.objects.get(customer=customer, ended_at__isnull=True)
        assert active.owner_id == winners[0].events[0].to_owner_id
        assert Collision.objects.filter(customer=customer).count() == THREADS - 1
        kinds = list(
            OwnershipEvent.objects.filter(customer=customer)
            .order_by("id")
            .values_list("kind", flat=True)
        )
        assert kinds == ["registered", "released", "claimed"]
