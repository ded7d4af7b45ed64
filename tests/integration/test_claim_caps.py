"""The claim caps under real concurrency: one rep firing 2K claims at once against a daily cap
of K gets exactly K; a holding cap holds the same way. SQLite and PostgreSQL."""

import pytest

from guishu.ownership.models import Ownership, OwnershipEvent
from guishu.ownership.services import pool_claim, pool_release
from guishu.policies.services import policy_version_save
from tests.concurrency import run_together
from tests.factories import make_user, register

pytestmark = [pytest.mark.db_facing, pytest.mark.django_db(transaction=True)]

K = 6


def pool_of(seller, n: int, prefix: str) -> list[int]:  # type: ignore[no-untyped-def]
    ids = []
    for i in range(n):
        customer = register(seller, f"{prefix} {i} Werkzeuge GmbH")
        assert pool_release(user=seller, customer_id=customer.pk).accepted
        ids.append(customer.pk)
    return ids


def test_2k_parallel_claims_against_a_daily_cap_of_k_give_exactly_k(allow_flush: None):
    admin = make_user("root", role="admin")
    policy_version_save(user=admin, team=None, values={"daily_claim_limit": K})
    rep, seller = make_user("eager"), make_user("seller")
    pooled = pool_of(seller, 2 * K, "Cap")
    results, errors = run_together(
        [lambda pk=pk: pool_claim(user=rep, customer_id=pk) for pk in pooled]
    )
    assert errors == []
    assert sum(result.accepted for result in results) == K
    refusals = {result.rejection.code for result in results if not result.accepted}
    assert refusals == {"daily_claim_cap"}
    assert Ownership.objects.filter(owner=rep, ended_at__isnull=True).count() == K
    assert OwnershipEvent.objects.filter(actor=rep, kind="claimed").count() == K


def test_parallel_claims_never_exceed_the_holding_cap(allow_flush: None):
    admin = make_user("root", role="admin")
    policy_version_save(user=admin, team=None, values={"max_held": K})
    rep, seller = make_user("hoarder"), make_user("seller")
    register(rep, "Already Held Tools Ltd")  # one held before the rush
    pooled = pool_of(seller, 2 * K, "Held")
    results, errors = run_together(
        [lambda pk=pk: pool_claim(user=rep, customer_id=pk) for pk in pooled]
    )
    assert errors == []
    assert sum(result.accepted for result in results) == K - 1
    assert Ownership.objects.filter(owner=rep, ended_at__isnull=True).count() == K


def test_won_customers_can_be_left_out_of_the_holding_cap(allow_flush: None):
    from django.utils import timezone

    from guishu.activities.services import order_record

    admin = make_user("root", role="admin")
    rep, seller = make_user("closer"), make_user("seller")
    won = register(rep, "Won Deal Tools Ltd")
    assert order_record(
        user=rep, customer_id=won.pk, number="SO-1", amount=100, ordered_at=timezone.now()
    ).order
    [pooled] = pool_of(seller, 1, "Next")
    policy_version_save(user=admin, team=None, values={"max_held": 1})
    assert pool_claim(user=rep, customer_id=pooled).rejection.code == "holding_cap"
    policy_version_save(user=admin, team=None, values={"won_excluded_from_holding_cap": True})
    assert pool_claim(user=rep, customer_id=pooled).accepted
