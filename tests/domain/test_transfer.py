"""Transfers: the owner hands a customer over, or a manager over both reps reassigns it."""

import pytest

from guishu.domain import (
    AssignFromPool,
    Basis,
    Claim,
    EventKind,
    FollowUp,
    Lock,
    OwnershipState,
    Person,
    Register,
    RejectionCode,
    Transfer,
    WinDeal,
    render_trace,
)
from tests.domain.conftest import (
    DIRECTOR,
    HAN_MEIMEI,
    LEFT,
    LI_LEI,
    MANAGER,
    NOW,
    accept,
    actor,
    claimed,
    days,
    pooled,
    refuse,
    registered,
    transferred,
)


def test_the_owner_transfers_a_customer_to_a_colleague() -> None:
    command = Transfer(actor(LI_LEI), to=HAN_MEIMEI, to_held=5, reason="she speaks German")
    state, decision = accept(registered(LI_LEI, at=NOW - days(3)), command)

    (event,) = decision.events
    assert event.kind is EventKind.TRANSFERRED
    assert (event.actor, event.from_owner, event.to_owner) == (LI_LEI, LI_LEI, HAN_MEIMEI)
    assert event.evidence == {"reason": "she speaks German"}
    assert (state.owner, state.basis, state.owner_since) == (HAN_MEIMEI, Basis.TRANSFERRED, NOW)
    assert state.lost_by(LI_LEI.id) == NOW
    assert render_trace(decision.trace) == "李雷 transferred it from 李雷 to 韩梅梅 on 2026-11-20"


def test_a_transfer_starts_a_new_term_without_protection_lock_or_deal() -> None:
    state = registered(LI_LEI, at=NOW - days(3))
    state, _ = accept(state, FollowUp(actor(LI_LEI), kind="visit", at=NOW - days(1)))
    state, _ = accept(state, WinDeal(actor(LI_LEI), at=NOW - days(1)))
    state, _ = accept(state, Lock(actor(LI_LEI), owner_locked=0))

    state, _ = accept(state, Transfer(actor(LI_LEI), to=HAN_MEIMEI, to_held=0))

    # Protection, the lock and the deal belonged to 李雷's term, not to the customer.
    assert state.protected_until is None
    assert state.locked_at is None
    assert state.deal_won_at is None
    assert state.last_follow_up_at is None


def test_the_owner_may_hand_over_to_a_rep_nobody_they_manage() -> None:
    # Handing over one's own customer needs no authority over the receiver.
    state, _ = accept(registered(HAN_MEIMEI), Transfer(actor(HAN_MEIMEI), to=LI_LEI, to_held=0))

    assert state.owner == LI_LEI


def test_a_manager_may_take_over_a_customer_of_their_team() -> None:
    state, decision = accept(registered(LI_LEI), Transfer(actor(MANAGER), to=MANAGER, to_held=0))

    assert state.owner == MANAGER
    assert render_trace(decision.trace) == "王经理 transferred it from 李雷 to 王经理 on 2026-11-20"


def test_a_manager_cannot_transfer_a_customer_of_a_rep_outside_their_team() -> None:
    refusal = refuse(registered(HAN_MEIMEI), Transfer(actor(MANAGER), to=LI_LEI, to_held=0))

    assert refusal.code is RejectionCode.NOT_OWNER
    assert str(refusal) == "refused: only 韩梅梅 or their manager can transfer it"


def test_a_manager_cannot_transfer_to_a_rep_outside_their_team() -> None:
    refusal = refuse(registered(LI_LEI), Transfer(actor(MANAGER), to=HAN_MEIMEI, to_held=0))

    assert refusal.code is RejectionCode.NOT_PERMITTED
    assert str(refusal) == "refused: 王经理 does not manage 韩梅梅"


def test_a_rep_cannot_transfer_another_reps_customer() -> None:
    refusal = refuse(registered(LI_LEI), Transfer(actor(HAN_MEIMEI), to=HAN_MEIMEI, to_held=0))

    assert refusal.code is RejectionCode.NOT_OWNER
    assert str(refusal) == "refused: only 李雷 or their manager can transfer it"


def test_a_director_transfers_any_customer_to_any_rep() -> None:
    state, decision = accept(
        registered(HAN_MEIMEI), Transfer(actor(DIRECTOR), to=LI_LEI, to_held=0)
    )

    assert state.owner == LI_LEI
    assert decision.events[0].actor == DIRECTOR


def test_a_manager_may_transfer_during_the_owners_protection() -> None:
    # Protection keeps colleagues out; it does not tie the hands of the owner's manager.
    state = registered(LI_LEI)

    state, _ = accept(state, Transfer(actor(MANAGER), to=MANAGER, to_held=0), now=NOW + days(1))

    assert state.owner == MANAGER


def test_transferring_to_the_current_owner_is_refused() -> None:
    refusal = refuse(registered(LI_LEI), Transfer(actor(MANAGER), to=LI_LEI, to_held=0))

    assert refusal.code is RejectionCode.SAME_OWNER
    assert str(refusal) == "李雷 already owns Nordlicht GmbH"


def test_transfer_is_refused_at_the_receivers_holding_cap() -> None:
    refusal = refuse(registered(LI_LEI), Transfer(actor(LI_LEI), to=HAN_MEIMEI, to_held=200))

    assert refusal.code is RejectionCode.HOLDING_CAP
    assert str(refusal) == "refused: 韩梅梅 already holds 200 customers (the cap is 200)"
    accept(registered(LI_LEI), Transfer(actor(LI_LEI), to=HAN_MEIMEI, to_held=199))


def test_the_holding_cap_counts_the_receiver_not_the_giver() -> None:
    state, _ = accept(
        registered(LI_LEI), Transfer(actor(LI_LEI, held=200), to=HAN_MEIMEI, to_held=0)
    )

    assert state.owner == HAN_MEIMEI


@pytest.mark.parametrize("person", [DIRECTOR, LEFT], ids=["director", "left"])
def test_a_customer_cannot_be_transferred_to_someone_who_cannot_own(person: Person) -> None:
    refusal = refuse(registered(LI_LEI), Transfer(actor(LI_LEI), to=person, to_held=0))

    assert refusal.code is RejectionCode.CANNOT_OWN


def test_a_pool_customer_is_assigned_not_transferred() -> None:
    refusal = refuse(pooled(), Transfer(actor(DIRECTOR), to=LI_LEI, to_held=0))

    assert refusal.code is RejectionCode.IN_POOL
    assert str(refusal) == "refused: Nordlicht GmbH is in the pool; assign it instead"


def _assigned() -> OwnershipState:
    state, _ = accept(pooled(), AssignFromPool(actor(DIRECTOR), to=HAN_MEIMEI, to_held=0))
    return state


@pytest.mark.parametrize(
    ("state", "how"),
    [
        (claimed(HAN_MEIMEI), "韩梅梅 claimed it from the pool on 2026-11-20"),
        (_assigned(), "a manager assigned it to 韩梅梅 on 2026-11-20"),
        (transferred(HAN_MEIMEI), "it was transferred to 韩梅梅 on 2026-11-20"),
    ],
    ids=["claimed", "assigned", "transferred"],
)
def test_a_collision_says_how_the_owner_came_to_own_the_customer(
    state: OwnershipState, how: str
) -> None:
    refusal = refuse(state, Claim(actor(LI_LEI)), now=NOW + days(1))

    assert refusal.code is RejectionCode.OWNED_BY_OTHER
    assert str(refusal) == f"refused: owned by 韩梅梅 since 2026-11-20; {how}"


def test_a_registration_collision_after_a_transfer_names_the_new_owner() -> None:
    refusal = refuse(transferred(LI_LEI), Register(actor(HAN_MEIMEI)))

    assert refusal.owner == LI_LEI
    assert str(refusal) == (
        "refused: owned by 李雷 since 2026-11-20; it was transferred to 李雷 on 2026-11-20"
    )


def test_a_deactivated_manager_can_no_longer_act_over_their_team() -> None:
    gone = Person(MANAGER.id, MANAGER.name, MANAGER.role, active=False)

    refusal = refuse(registered(LI_LEI), Transfer(actor(gone), to=HAN_MEIMEI, to_held=0))

    assert refusal.code is RejectionCode.NOT_OWNER


def test_a_managers_refusal_for_a_rep_outside_their_team_does_not_reveal_that_reps_counts() -> None:
    refusal = refuse(registered(LI_LEI), Transfer(actor(MANAGER), to=HAN_MEIMEI, to_held=10_000))

    assert refusal.code is RejectionCode.NOT_PERMITTED
