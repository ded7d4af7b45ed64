"""Locks keep a key customer from being reclaimed, within the owner's lock cap."""

from guishu.domain import (
    EventKind,
    Lock,
    Policy,
    Rejection,
    RejectionCode,
    Transfer,
    Unlock,
    decide,
    render_trace,
)
from tests.domain.conftest import (
    DIRECTOR,
    HAN_MEIMEI,
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
)

# --- Lock -------------------------------------------------------------------------------------


def test_the_owner_locks_a_key_customer() -> None:
    state, decision = accept(claimed(LI_LEI), Lock(actor(LI_LEI, locked=9), owner_locked=9))

    (event,) = decision.events
    assert event.kind is EventKind.LOCKED
    assert (event.actor, event.from_owner, event.to_owner) == (LI_LEI, LI_LEI, LI_LEI)
    assert state.locked_at == NOW
    assert state.owner == LI_LEI
    assert render_trace(decision.trace) == (
        "李雷 locked it on 2026-11-20: it will not be reclaimed while locked"
    )


def test_lock_is_refused_at_the_lock_cap() -> None:
    refusal = refuse(claimed(LI_LEI), Lock(actor(LI_LEI, locked=10), owner_locked=10))

    assert refusal.code is RejectionCode.LOCK_CAP
    assert refusal.retry_at is None
    assert str(refusal) == "refused: 李雷 already has 10 locked customers (the cap is 10)"


def test_the_lock_cap_follows_the_policy() -> None:
    refusal = refuse(
        claimed(LI_LEI), Lock(actor(LI_LEI, locked=2), owner_locked=2), policy=Policy(max_locked=2)
    )

    assert refusal.code is RejectionCode.LOCK_CAP


def test_a_manager_locks_a_customer_of_their_team() -> None:
    state, decision = accept(claimed(LI_LEI), Lock(actor(MANAGER), owner_locked=0))

    assert state.locked_at == NOW
    assert decision.events[0].actor == MANAGER
    assert render_trace(decision.trace).startswith("王经理 locked it on 2026-11-20")


def test_a_managers_own_locks_do_not_count_against_the_owners_cap() -> None:
    # The cap counts the owner's locks, whoever sets them; the manager's own are irrelevant.
    state, _ = accept(claimed(LI_LEI), Lock(actor(MANAGER, locked=10), owner_locked=0))

    assert state.locked_at == NOW


def test_a_manager_cannot_lock_beyond_the_owners_lock_cap() -> None:
    # 李雷 already has his one allowed lock on another customer.
    one_lock = Policy(max_locked=1)

    decision = decide(claimed(LI_LEI), Lock(actor(MANAGER), owner_locked=1), one_lock, NOW)

    # "The cap counts the owner's locks, whoever sets them" (engine._lock, docs/ownership.md).
    assert isinstance(decision, Rejection)
    assert decision.code is RejectionCode.LOCK_CAP


def test_locking_a_locked_customer_is_refused() -> None:
    state, _ = accept(claimed(LI_LEI), Lock(actor(LI_LEI), owner_locked=0))

    refusal = refuse(state, Lock(actor(MANAGER), owner_locked=0), now=NOW + days(1))

    assert refusal.code is RejectionCode.ALREADY_LOCKED
    assert str(refusal) == "Nordlicht GmbH is already locked"


def test_a_rep_cannot_lock_another_reps_customer() -> None:
    refusal = refuse(registered(HAN_MEIMEI), Lock(actor(LI_LEI), owner_locked=0))

    assert refusal.code is RejectionCode.NOT_OWNER
    assert str(refusal) == "refused: only 韩梅梅 or their manager can do this"


def test_a_manager_cannot_lock_a_customer_outside_their_team() -> None:
    refusal = refuse(registered(HAN_MEIMEI), Lock(actor(MANAGER), owner_locked=0))

    assert refusal.code is RejectionCode.NOT_OWNER


def test_a_pool_customer_cannot_be_locked() -> None:
    refusal = refuse(pooled(), Lock(actor(LI_LEI), owner_locked=0))

    assert refusal.code is RejectionCode.IN_POOL
    assert str(refusal) == "Nordlicht GmbH is in the pool"


def test_a_lock_ends_with_the_owners_term() -> None:
    state, _ = accept(claimed(LI_LEI), Lock(actor(LI_LEI), owner_locked=0))

    state, _ = accept(state, Transfer(actor(LI_LEI), to=HAN_MEIMEI, to_held=0))

    assert state.locked_at is None


# --- Unlock -----------------------------------------------------------------------------------


def test_the_owner_unlocks_a_customer() -> None:
    state, _ = accept(claimed(LI_LEI), Lock(actor(LI_LEI), owner_locked=0))

    state, decision = accept(state, Unlock(actor(LI_LEI)), now=NOW + days(3))

    (event,) = decision.events
    assert event.kind is EventKind.UNLOCKED
    assert state.locked_at is None
    assert state.owner == LI_LEI
    assert render_trace(decision.trace) == "李雷 unlocked it on 2026-11-23"


def test_a_manager_or_director_unlocks_a_customer_of_their_reps() -> None:
    state, _ = accept(claimed(LI_LEI), Lock(actor(LI_LEI), owner_locked=0))

    for overseer in (MANAGER, DIRECTOR):
        after, _ = accept(state, Unlock(actor(overseer)))
        assert after.locked_at is None


def test_unlocking_an_unlocked_customer_is_refused() -> None:
    refusal = refuse(claimed(LI_LEI), Unlock(actor(LI_LEI)))

    assert refusal.code is RejectionCode.NOT_LOCKED
    assert str(refusal) == "Nordlicht GmbH is not locked"


def test_a_rep_cannot_unlock_another_reps_customer() -> None:
    state, _ = accept(registered(HAN_MEIMEI), Lock(actor(HAN_MEIMEI), owner_locked=0))

    for outsider in (LI_LEI, MANAGER):
        refusal = refuse(state, Unlock(actor(outsider)))
        assert refusal.code is RejectionCode.NOT_OWNER
        assert str(refusal) == "refused: only 韩梅梅 or their manager can do this"


def test_a_pool_customer_cannot_be_unlocked() -> None:
    refusal = refuse(pooled(), Unlock(actor(DIRECTOR)))

    assert refusal.code is RejectionCode.IN_POOL
