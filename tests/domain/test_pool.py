"""The pool (公海): releasing to it, claiming from it within the caps, assigning from it."""

from datetime import UTC, datetime

import pytest

from guishu.domain import (
    AssignFromPool,
    Basis,
    Claim,
    EventKind,
    Person,
    Reclaim,
    ReclaimRule,
    RejectionCode,
    Release,
    render_trace,
)
from tests.domain.conftest import (
    DIRECTOR,
    HAN_MEIMEI,
    LEFT,
    LI_LEI,
    MANAGER,
    NOW,
    SHANGHAI,
    accept,
    actor,
    claimed,
    days,
    pooled,
    refuse,
    registered,
)

# --- Release ----------------------------------------------------------------------------------


def test_the_owner_releases_a_customer_to_the_pool() -> None:
    state, decision = accept(registered(LI_LEI), Release(actor(LI_LEI), reason="no budget"))

    (event,) = decision.events
    assert event.kind is EventKind.RELEASED
    assert (event.from_owner, event.to_owner) == (LI_LEI, None)
    assert event.evidence == {"reason": "no budget"}
    assert state.in_pool
    assert state.pooled_at == NOW
    assert (state.basis, state.protected_until) == (None, None)
    assert state.lost_by(LI_LEI.id) == NOW
    assert render_trace(decision.trace) == "李雷 released it to the pool on 2026-11-20"


def test_a_manager_releases_a_customer_of_a_rep_in_their_team() -> None:
    state, decision = accept(registered(LI_LEI), Release(actor(MANAGER)))

    assert state.in_pool
    assert decision.events[0].actor == MANAGER
    assert render_trace(decision.trace) == "王经理 released it to the pool on 2026-11-20"


def test_a_rep_cannot_release_another_reps_customer() -> None:
    refusal = refuse(registered(LI_LEI), Release(actor(HAN_MEIMEI)))

    assert refusal.code is RejectionCode.NOT_OWNER
    assert str(refusal) == "refused: only 李雷 or their manager can release it"


def test_a_manager_cannot_release_a_customer_of_a_rep_outside_their_team() -> None:
    refusal = refuse(registered(HAN_MEIMEI), Release(actor(MANAGER)))

    assert refusal.code is RejectionCode.NOT_OWNER
    assert str(refusal) == "refused: only 韩梅梅 or their manager can release it"


def test_releasing_a_pool_customer_is_refused() -> None:
    refusal = refuse(pooled(), Release(actor(DIRECTOR)))

    assert refusal.code is RejectionCode.IN_POOL
    assert str(refusal) == "Nordlicht GmbH is already in the pool"


# --- Claim ------------------------------------------------------------------------------------


def test_a_rep_claims_a_pool_customer_without_protection() -> None:
    state, decision = accept(pooled(at=NOW - days(2)), Claim(actor(LI_LEI)))

    (event,) = decision.events
    assert event.kind is EventKind.CLAIMED
    assert (event.from_owner, event.to_owner) == (None, LI_LEI)
    assert (state.owner, state.basis, state.owner_since) == (LI_LEI, Basis.CLAIMED, NOW)
    # Protection rewards the first filing; a customer taken from the pool earns none.
    assert state.protected_until is None
    assert state.pooled_at is None
    assert render_trace(decision.trace) == "李雷 claimed it from the pool on 2026-11-20"


def test_claiming_a_customer_someone_owns_is_refused_as_a_collision() -> None:
    refusal = refuse(claimed(HAN_MEIMEI), Claim(actor(LI_LEI)), now=NOW + days(1))

    assert refusal.code is RejectionCode.OWNED_BY_OTHER
    assert (refusal.owner, refusal.owner_since) == (HAN_MEIMEI, NOW)
    assert str(refusal) == (
        "refused: owned by 韩梅梅 since 2026-11-20; 韩梅梅 claimed it from the pool on 2026-11-20"
    )


def test_claiming_your_own_customer_is_refused_as_already_yours() -> None:
    refusal = refuse(claimed(LI_LEI), Claim(actor(LI_LEI)))

    assert refusal.code is RejectionCode.ALREADY_YOURS
    assert str(refusal) == "Nordlicht GmbH is already yours"


def test_claim_is_refused_at_the_holding_cap() -> None:
    refusal = refuse(pooled(), Claim(actor(LI_LEI, held=200)))

    assert refusal.code is RejectionCode.HOLDING_CAP
    assert refusal.retry_at is None
    assert str(refusal) == "refused: 李雷 already holds 200 customers (the cap is 200)"
    accept(pooled(), Claim(actor(LI_LEI, held=199)))


def test_claim_is_refused_when_the_daily_cap_is_reached_and_says_when_it_reopens() -> None:
    refusal = refuse(pooled(), Claim(actor(LI_LEI, claims_today=10)))

    assert refusal.code is RejectionCode.DAILY_CLAIM_CAP
    assert refusal.retry_at == datetime(2026, 11, 21, tzinfo=SHANGHAI)
    assert str(refusal) == (
        "refused: 李雷 has claimed 10 customers today (the daily cap is 10); "
        "claiming opens again on 2026-11-21"
    )
    accept(pooled(), Claim(actor(LI_LEI, claims_today=9)))


def test_the_daily_cap_reopens_at_midnight_in_the_company_time_zone() -> None:
    # 17:00 UTC on the 20th is 01:00 on the 21st in Shanghai: the next day there is the 22nd.
    after_midnight_in_shanghai = datetime(2026, 11, 20, 17, 0, tzinfo=UTC)

    refusal = refuse(
        pooled(), Claim(actor(LI_LEI, claims_today=10)), now=after_midnight_in_shanghai
    )

    assert refusal.retry_at == datetime(2026, 11, 21, 16, 0, tzinfo=UTC)
    assert str(refusal).endswith("claiming opens again on 2026-11-22")


def test_a_former_owner_may_not_claim_during_the_cool_down() -> None:
    refusal = refuse(
        pooled(former=HAN_MEIMEI, at=NOW), Claim(actor(HAN_MEIMEI)), now=NOW + days(29)
    )

    assert refusal.code is RejectionCode.COOL_DOWN
    assert refusal.retry_at == NOW + days(30)
    assert str(refusal) == (
        "refused: 韩梅梅 lost this customer on 2026-11-20; a former owner may claim it again "
        "after 30 days, on 2026-12-20"
    )


def test_a_daily_cap_refusal_of_a_former_owner_says_when_the_cool_down_ends() -> None:
    refusal = refuse(
        pooled(former=HAN_MEIMEI, at=NOW), Claim(actor(HAN_MEIMEI, claims_today=10)), now=NOW
    )

    # retry_at is "when the request could succeed" (Rejection): not before the cool-down ends.
    assert refusal.retry_at == NOW + days(30)


def test_a_former_owner_may_reclaim_after_the_cool_down() -> None:
    state, _ = accept(
        pooled(former=HAN_MEIMEI, at=NOW), Claim(actor(HAN_MEIMEI)), now=NOW + days(30)
    )

    assert state.owner == HAN_MEIMEI


def test_the_cool_down_binds_only_the_former_owner() -> None:
    state, _ = accept(pooled(former=HAN_MEIMEI, at=NOW), Claim(actor(LI_LEI)))

    assert state.owner == LI_LEI


def test_an_owner_who_lost_the_customer_to_a_reclaim_is_in_cool_down_too() -> None:
    lost_at = NOW + days(90)
    state, _ = accept(claimed(LI_LEI), Reclaim(ReclaimRule.NO_DEAL), now=lost_at)

    refusal = refuse(state, Claim(actor(LI_LEI)), now=lost_at + days(1))

    assert refusal.code is RejectionCode.COOL_DOWN
    assert refusal.retry_at == lost_at + days(30)


def test_the_cool_down_runs_from_the_latest_loss() -> None:
    # 韩梅梅 lost it 40 days ago (cool-down over), won it back, and lost it again today.
    state = pooled(former=HAN_MEIMEI, at=NOW - days(40))
    state, _ = accept(state, Claim(actor(HAN_MEIMEI)), now=NOW - days(5))
    state, _ = accept(state, Release(actor(HAN_MEIMEI)), now=NOW)

    refusal = refuse(state, Claim(actor(HAN_MEIMEI)), now=NOW + days(1))

    assert refusal.retry_at == NOW + days(30)


@pytest.mark.parametrize("person", [DIRECTOR, LEFT], ids=["director", "left"])
def test_directors_and_people_who_left_cannot_claim(person: Person) -> None:
    refusal = refuse(pooled(), Claim(actor(person)))

    assert refusal.code is RejectionCode.CANNOT_OWN


# --- AssignFromPool ---------------------------------------------------------------------------


def test_a_manager_assigns_a_pool_customer_to_a_rep_in_their_team() -> None:
    command = AssignFromPool(actor(MANAGER), to=LI_LEI, to_held=3, reason="speaks German")
    state, decision = accept(pooled(), command)

    (event,) = decision.events
    assert event.kind is EventKind.ASSIGNED
    assert (event.actor, event.from_owner, event.to_owner) == (MANAGER, None, LI_LEI)
    assert event.evidence == {"reason": "speaks German"}
    assert (state.owner, state.basis, state.protected_until) == (LI_LEI, Basis.ASSIGNED, None)
    assert render_trace(decision.trace) == "王经理 assigned it from the pool to 李雷 on 2026-11-20"


def test_a_manager_may_assign_a_pool_customer_to_themselves() -> None:
    state, _ = accept(pooled(), AssignFromPool(actor(MANAGER), to=MANAGER, to_held=0))

    assert state.owner == MANAGER


def test_a_manager_cannot_assign_to_a_rep_outside_their_team() -> None:
    refusal = refuse(pooled(), AssignFromPool(actor(MANAGER), to=HAN_MEIMEI, to_held=0))

    assert refusal.code is RejectionCode.NOT_PERMITTED
    assert str(refusal) == "refused: 王经理 does not manage 韩梅梅"


def test_a_rep_cannot_assign_a_pool_customer() -> None:
    refusal = refuse(pooled(), AssignFromPool(actor(LI_LEI), to=LI_LEI, to_held=0))

    assert refusal.code is RejectionCode.NOT_PERMITTED
    assert str(refusal) == "refused: 李雷 does not manage 李雷"


def test_a_director_assigns_to_any_rep() -> None:
    state, _ = accept(pooled(), AssignFromPool(actor(DIRECTOR), to=HAN_MEIMEI, to_held=0))

    assert state.owner == HAN_MEIMEI


def test_assign_is_refused_at_the_receivers_holding_cap() -> None:
    refusal = refuse(pooled(), AssignFromPool(actor(MANAGER), to=LI_LEI, to_held=200))

    assert refusal.code is RejectionCode.HOLDING_CAP
    assert str(refusal) == "refused: 李雷 already holds 200 customers (the cap is 200)"


@pytest.mark.parametrize(
    ("person", "words"),
    [
        (DIRECTOR, "refused: 张总 cannot own customers (inactive or not in sales)"),
        (LEFT, "refused: 赵离职 cannot own customers (inactive or not in sales)"),
    ],
)
def test_a_customer_cannot_be_assigned_to_someone_who_cannot_own(
    person: Person, words: str
) -> None:
    refusal = refuse(pooled(), AssignFromPool(actor(DIRECTOR), to=person, to_held=0))

    assert refusal.code is RejectionCode.CANNOT_OWN
    assert str(refusal) == words


def test_an_owned_customer_is_transferred_not_assigned() -> None:
    refusal = refuse(registered(HAN_MEIMEI), AssignFromPool(actor(DIRECTOR), to=LI_LEI, to_held=0))

    assert refusal.code is RejectionCode.NOT_IN_POOL
    assert str(refusal) == "refused: Nordlicht GmbH is owned by 韩梅梅; transfer it instead"


def test_a_manager_may_assign_a_customer_back_to_its_former_owner_during_the_cool_down() -> None:
    # The policy words the cool-down as a limit on claiming again ("may not re-claim it");
    # a manager's assignment is not a claim.
    state = pooled(former=LI_LEI, at=NOW)

    state, _ = accept(state, AssignFromPool(actor(MANAGER), to=LI_LEI, to_held=0))

    assert state.owner == LI_LEI
