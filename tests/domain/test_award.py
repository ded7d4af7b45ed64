"""A dispute's decision through the ownership engine: upheld for the owner, decided for the
other party (a fresh term with its protection), and still refused for someone who cannot own."""

from guishu.domain import (
    Award,
    Basis,
    EventKind,
    Register,
    Rejection,
    RejectionCode,
    decide,
    render_trace,
    replay,
)
from tests.domain.conftest import (
    CUSTOMER,
    DIRECTOR,
    HAN_MEIMEI,
    LEFT,
    LI_LEI,
    MANAGER,
    NOW,
    POLICY,
    accept,
    actor,
    days,
    pooled,
    refuse,
    registered,
    unregistered,
)


def test_a_decision_for_the_owner_upholds_and_changes_nothing():
    before = registered(LI_LEI, at=NOW - days(300))
    award = Award(actor=MANAGER, to=LI_LEI, dispute_id=7, how="manager")
    state, decision = accept(before, award)

    (event,) = decision.events
    assert event.kind is EventKind.UPHELD
    assert not event.changes_owner
    assert event.evidence == {"dispute": "7", "how": "manager"}
    assert state == before
    assert render_trace(decision.trace) == (
        "dispute #7 left it with 李雷 on 2026-11-20, by the manager's decision"
    )


def _registration():
    decision = decide(unregistered(), Register(actor(LI_LEI)), POLICY, NOW - days(300))
    assert not isinstance(decision, Rejection)
    return decision.events


def test_a_decision_for_the_other_party_starts_their_term_with_protection():
    before = registered(LI_LEI, at=NOW - days(300))
    award = Award(actor=None, to=HAN_MEIMEI, dispute_id=7, how="agreement")
    state, decision = accept(before, award)

    (event,) = decision.events
    assert event.kind is EventKind.DECIDED
    assert (event.actor, event.from_owner, event.to_owner) == (None, LI_LEI, HAN_MEIMEI)
    assert (state.owner, state.basis, state.owner_since) == (HAN_MEIMEI, Basis.DECIDED, NOW)
    assert state.protected_until == NOW + POLICY.protection(state.level)
    assert state.lost_by(LI_LEI.id) == NOW
    assert "as both parties agreed" in render_trace(decision.trace)
    assert replay(CUSTOMER, [*_registration(), event]).owner == HAN_MEIMEI


def test_a_customer_reclaimed_meanwhile_goes_from_the_pool_to_the_lead():
    state, decision = accept(
        pooled(), Award(actor=DIRECTOR, to=HAN_MEIMEI, dispute_id=1, how="director")
    )
    assert decision.events[0].kind is EventKind.DECIDED
    assert state.owner == HAN_MEIMEI


def test_someone_who_cannot_own_is_refused_even_by_a_decision():
    rejection = refuse(
        registered(LI_LEI), Award(actor=MANAGER, to=LEFT, dispute_id=1, how="manager")
    )
    assert rejection.code is RejectionCode.CANNOT_OWN
