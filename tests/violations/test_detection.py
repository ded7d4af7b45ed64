"""Violations detected by the actions that reveal them: working another rep's customer,
evading a collision by registration or by edit, and claim/release cycling; and what is not a
violation (a collaborator's work, a first claim, an edit that hides nothing)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from guishu.activities.services import activity_log
from guishu.customers.inputs import CustomerInput
from guishu.customers.services import customer_update
from guishu.disputes.collaboration import collaboration_add
from guishu.disputes.detection import worked_other_detect
from guishu.disputes.models import Collision, Violation
from guishu.ownership.registration import customer_register
from guishu.ownership.services import pool_claim, pool_release
from tests.factories import register

pytestmark = pytest.mark.db_facing

TZ = ZoneInfo("Asia/Shanghai")
PHONE = "+86 138 0013 8000"


def on(month: int, day: int, year: int = 2025) -> datetime:
    return datetime(year, month, day, 10, 0, tzinfo=TZ)


def violations(kind: str) -> list[Violation]:
    return list(Violation.objects.filter(kind=kind).order_by("pk"))


# --- worked_other ---------------------------------------------------------------------------


def test_a_follow_up_on_another_reps_protected_customer_is_a_violation(cast):
    acme = register(cast.alice, "Acme Worked Tools Ltd", now=on(5, 1))

    result = activity_log(
        user=cast.bob,
        customer_id=acme.pk,
        kind="call",
        occurred_at=on(5, 3),
        note="asked about the catalogue",
        now=on(5, 3),
    )

    assert result.activity is None  # refused, as before: the violation only adds a record
    collision = Collision.objects.get(customer=acme, action="follow_up")
    [violation] = violations("worked_other")
    assert violation.offender == cast.bob and violation.customer == acme
    assert violation.collision == collision and violation.status == "open"
    assert violation.points == 2  # the default policy's, counted once confirmed
    evidence = violation.evidence
    assert evidence["owner"] == cast.alice.pk and evidence["owner_name"] == "Alice"
    assert evidence["protected"] is True and evidence["protected_until"]
    assert evidence["attempt"]["activity"]["note"] == "asked about the catalogue"


def test_talking_to_another_reps_customers_contact_is_a_violation(cast):
    acme = register(cast.alice, "Acme Overlap Tools Ltd", phones=(PHONE,))
    own = register(cast.bob, "Bobs Own Trading Co")

    result = activity_log(
        user=cast.bob,
        customer_id=own.pk,
        kind="call",
        occurred_at=on(5, 3),
        counterpart=(PHONE,),
        now=on(5, 3),
    )

    assert result.activity is not None  # his own customer's activity is logged
    [violation] = violations("worked_other")
    assert violation.customer == acme and violation.evidence["action"] == "contact_overlap"


def test_a_collaborators_follow_up_is_not_a_violation(cast):
    acme = register(cast.alice, "Acme Together Tools Ltd")
    collaboration_add(user=cast.alice, customer_id=acme.pk, collaborator=cast.bob)

    activity_log(user=cast.bob, customer_id=acme.pk, kind="call", occurred_at=on(5, 3))

    assert not violations("worked_other")


def test_a_managers_touch_on_their_reps_customer_is_not_a_violation(cast):
    register(cast.alice, "Acme Managed Tools Ltd", phones=(PHONE,))
    own = register(cast.carol, "Carols Own Trading Co")

    activity_log(
        user=cast.carol, customer_id=own.pk, kind="call", occurred_at=on(5, 3), counterpart=(PHONE,)
    )

    assert Collision.objects.filter(action="contact_overlap").exists()  # the early warning
    assert not Violation.objects.exists()


def test_a_refused_registration_or_claim_is_not_working_the_customer(cast):
    acme = register(cast.alice, "Acme Refused Tools Ltd", phones=(PHONE,))
    customer_register(user=cast.bob, data=CustomerInput(name="Acme Refused", phones=(PHONE,)))
    pool_claim(user=cast.dave, customer_id=acme.pk)

    assert Collision.objects.filter(customer=acme).count() == 2
    assert not Violation.objects.exists()


def test_worked_other_is_recorded_once_per_collision(cast):
    acme = register(cast.alice, "Acme Once Tools Ltd")
    activity_log(user=cast.bob, customer_id=acme.pk, kind="call", occurred_at=on(5, 3))
    collision = Collision.objects.get(customer=acme)

    again = worked_other_detect(collision=collision)

    assert again == Violation.objects.get() and Violation.objects.count() == 1


# --- evasive_edit: a lookalike after a refusal ----------------------------------------------


def refused_then(user, name: str, *, at: datetime, **fields):  # type: ignore[no-untyped-def]
    return customer_register(
        user=user, data=CustomerInput(name=name, **fields), confirm_distinct=True, now=at
    )


@pytest.fixture
def refused(cast):  # type: ignore[no-untyped-def]
    """Bob's registration of Alice's 苏州恒达精密机械有限公司 (by its phone) was refused."""
    owned = register(cast.alice, "苏州恒达精密机械有限公司", phones=(PHONE,), now=on(5, 1))
    result = refused_then(cast.bob, "苏州恒达精密机械有限公司", phones=(PHONE,), at=on(5, 10))
    assert result.collision is not None
    return owned, result.collision


def test_a_lookalike_registered_without_the_colliding_phone_is_evasive(cast, refused):
    owned, collision = refused

    lookalike = refused_then(cast.bob, "恒达机械", at=on(5, 12))

    assert lookalike.created  # never blocked
    [violation] = violations("evasive_edit")
    assert violation.offender == cast.bob and violation.customer == lookalike.customer
    assert violation.collision == collision and violation.points == 3
    assert violation.evidence["how"] == "registration"
    assert violation.evidence["collided_customer"] == owned.pk
    # What made it collide (the phone, and the full name) is what the lookalike left out.
    assert "phone:+8613800138000" in violation.evidence["left_out"]


def test_each_refusal_is_evaded_at_most_once(cast, refused):
    refused_then(cast.bob, "恒达机械", at=on(5, 12))
    refused_then(cast.bob, "恒达精密", at=on(5, 13))

    assert len(violations("evasive_edit")) == 1


def test_an_unrelated_registration_after_a_refusal_is_not_evasive(cast, refused):
    assert refused_then(cast.bob, "Zenith Pumps GmbH", at=on(5, 12)).created

    assert not Violation.objects.exists()


def test_another_rep_registering_the_lookalike_is_not_evading_bobs_refusal(cast, refused):
    assert refused_then(cast.dave, "恒达机械", at=on(5, 12)).created

    assert not Violation.objects.exists()


def test_a_lookalike_after_the_dispute_window_is_not_evasive(cast, refused):
    assert refused_then(cast.bob, "恒达机械", at=on(7, 1)).created  # 52 days later

    assert not Violation.objects.exists()


# --- evasive_edit: an edit dropping what another rep's customer shares ---------------------


@pytest.fixture
def sharing(cast):  # type: ignore[no-untyped-def]
    """Alice's Zenith and Bob's Acme share a phone; their web domains say they are not one
    company, so Bob registered Acme as distinct."""
    zenith = register(cast.alice, "Zenith Pumps GmbH", phones=(PHONE,), websites=("zenith.de",))
    acme = register(cast.bob, "Acme Tools Ltd", phones=(PHONE,), websites=("acme-tools.com",))
    return zenith, acme


def edit(user, customer, **fields):  # type: ignore[no-untyped-def]
    data = CustomerInput(name=customer.name, websites=("acme-tools.com",), **fields)
    result = customer_update(user=user, customer_id=customer.pk, data=data)
    assert result.updated
    return result


def test_dropping_the_phone_shared_with_another_reps_customer_is_evasive(cast, sharing):
    zenith, acme = sharing

    edit(cast.bob, acme)

    [violation] = violations("evasive_edit")
    assert violation.offender == cast.bob and violation.customer == acme
    assert violation.collision is None
    assert violation.evidence["dropped"] == {"phone:+8613800138000": [zenith.pk]}
    assert violation.evidence["others"] == [
        {
            "customer": zenith.pk,
            "customer_name": "Zenith Pumps GmbH",
            "owner": cast.alice.pk,
            "owner_name": "Alice",
        }
    ]


def test_altering_the_shared_phone_is_evasive_too(cast, sharing):
    _zenith, acme = sharing

    edit(cast.bob, acme, phones=("+86 138 0013 8001",))

    assert len(violations("evasive_edit")) == 1


def test_an_edit_keeping_the_shared_phone_is_not_evasive(cast, sharing):
    _zenith, acme = sharing

    edit(cast.bob, acme, phones=(PHONE,), notes="prefers e-mail")

    assert not Violation.objects.exists()


def test_an_edit_of_a_customer_sharing_nothing_is_not_evasive(cast):
    own = register(cast.bob, "Acme Alone Ltd", phones=(PHONE,), websites=("acme-tools.com",))

    edit(cast.bob, own)  # the phone goes, but nobody else had it

    assert not Violation.objects.exists()


def test_a_managers_correction_is_not_the_reps_evasion(cast, sharing):
    _zenith, acme = sharing

    edit(cast.carol, acme)

    assert not Violation.objects.exists()


# --- claim_cycling --------------------------------------------------------------------------


@pytest.fixture
def pooled(cast):  # type: ignore[no-untyped-def]
    customer = register(cast.alice, "Cycling Valves Co", now=on(4, 1))
    assert pool_release(user=cast.alice, customer_id=customer.pk, now=on(4, 2)).accepted
    return customer


def claim_and_release(user, customer, claimed: datetime, released: datetime) -> None:  # type: ignore[no-untyped-def]
    assert pool_claim(user=user, customer_id=customer.pk, now=claimed).accepted
    assert pool_release(user=user, customer_id=customer.pk, now=released).accepted


def test_a_first_claim_is_not_cycling(cast, pooled):
    assert pool_claim(user=cast.bob, customer_id=pooled.pk, now=on(5, 1)).accepted

    assert not Violation.objects.exists()


def test_the_third_claim_within_ninety_days_is_cycling(cast, pooled):
    claim_and_release(cast.bob, pooled, on(5, 1), on(5, 2))
    claim_and_release(cast.bob, pooled, on(6, 2), on(6, 3))  # after the 30-day cool-down
    assert not Violation.objects.exists()

    assert pool_claim(user=cast.bob, customer_id=pooled.pk, now=on(7, 4)).accepted

    [violation] = violations("claim_cycling")
    assert violation.offender == cast.bob and violation.customer == pooled
    assert violation.points == 1 and violation.at == on(7, 4)
    claims = [datetime.fromisoformat(at) for at in violation.evidence["claims"]]
    assert claims == [on(5, 1), on(6, 2), on(7, 4)]
    assert (violation.evidence["count"], violation.evidence["days"]) == (3, 90)


def test_one_cycle_is_one_violation(cast, pooled):
    claim_and_release(cast.bob, pooled, on(5, 1), on(5, 2))
    claim_and_release(cast.bob, pooled, on(6, 2), on(6, 3))
    claim_and_release(cast.bob, pooled, on(7, 4), on(7, 5))

    # The fourth claim has three claims in its 90 days, but two belong to the cycle recorded.
    assert pool_claim(user=cast.bob, customer_id=pooled.pk, now=on(8, 6)).accepted

    assert len(violations("claim_cycling")) == 1


def test_claims_spread_beyond_the_window_are_not_cycling(cast, pooled):
    claim_and_release(cast.bob, pooled, on(1, 5, 2026), on(1, 6, 2026))
    claim_and_release(cast.bob, pooled, on(3, 1, 2026), on(3, 2, 2026))

    assert pool_claim(user=cast.bob, customer_id=pooled.pk, now=on(5, 1, 2026)).accepted

    assert not Violation.objects.exists()


def test_claims_by_different_reps_are_changes_of_hands_not_cycling(cast, pooled):
    claim_and_release(cast.bob, pooled, on(5, 1), on(5, 2))
    claim_and_release(cast.alice, pooled, on(5, 10), on(5, 11))

    assert pool_claim(user=cast.dave, customer_id=pooled.pk, now=on(5, 20)).accepted

    assert not Violation.objects.exists()
