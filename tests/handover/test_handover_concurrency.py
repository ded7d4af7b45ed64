"""A handover racing a change of hands of one of its customers, on real threads and real
transactions: either the handover wins entirely, or it is refused entirely."""

from typing import Any

import pytest

from guishu.ownership.execute import OwnershipResult
from guishu.ownership.handover import HandoverOutcome, handover_cancel, handover_execute
from guishu.ownership.models import HandoverPlan, OwnershipEvent
from guishu.ownership.services import customer_transfer, pool_release
from tests.concurrency import run_together
from tests.factories import make_cast, make_user, register
from tests.handover.conftest import draft, owner_of

pytestmark = [pytest.mark.db_facing, pytest.mark.django_db(transaction=True)]

ROUNDS = 6


def test_a_handover_racing_a_transfer_or_release_wins_entirely_or_not_at_all(allow_flush: None):
    cast = make_cast()
    for round_no in range(ROUNDS):
        rep = make_user(f"leaver{round_no}", team=cast.east)
        customers = [register(rep, f"Race {round_no}-{n} Ltd") for n in range(3)]
        raced = customers[1]
        plan = draft(cast.carol, rep, to=cast.bob)

        def racer(rep: Any = rep, raced: Any = raced, round_no: int = round_no) -> Any:
            if round_no % 2:
                return pool_release(user=rep, customer_id=raced.pk, reason="race")
            return customer_transfer(user=rep, customer_id=raced.pk, to=cast.dave)

        results, errors = run_together(
            [lambda plan=plan: handover_execute(user=cast.carol, plan_id=plan.pk), racer]
        )

        assert errors == [], f"round {round_no}: {errors}"
        plan.refresh_from_db()
        (race,) = [result for result in results if isinstance(result, OwnershipResult)]
        (handover,) = [result for result in results if isinstance(result, HandoverOutcome)]
        handed = OwnershipEvent.objects.filter(evidence__handover=str(plan.pk))
        if plan.status == HandoverPlan.Status.EXECUTED:
            assert handover.executed and not race.accepted, f"round {round_no}: both acted"
            assert [owner_of(c) for c in customers] == [cast.bob] * 3
            assert handed.count() == 3
        else:
            assert race.accepted and handover.check is not None
            assert [r.code for r in handover.check.refusals] == ["owner_changed"]
            expected_raced = None if round_no % 2 else cast.dave
            assert [owner_of(c) for c in customers] == [rep, expected_raced, rep]
            assert not handed.exists()
            handover_cancel(user=cast.carol, plan_id=plan.pk)
