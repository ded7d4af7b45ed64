"""Collision detection through the services: each verdict path, the masked answer, the
pre-check as a rep types, and keys shared by too many customers."""

import io

import pytest

from guishu.customers.identity import MAX_BUCKET, identity_refresh
from guishu.customers.inputs import CustomerInput
from guishu.customers.models import Customer, Identifier
from guishu.disputes.models import Collision
from guishu.domain import RejectionCode
from guishu.matching import Verdict
from guishu.ownership.matches import customer_precheck
from guishu.ownership.models import OwnershipEvent
from guishu.ownership.registration import customer_register
from guishu.ownership.services import pool_release
from tests.factories import make_user, register

pytestmark = pytest.mark.db_facing


def status(answer) -> str:
    return str(answer.status)


def test_a_traditional_script_variant_of_another_reps_customer_is_refused_as_the_same(cast):
    owned = register(cast.alice, "北京字节跳动科技有限公司", phones=("010-5825 6688",))

    result = customer_register(
        user=cast.bob, data=CustomerInput(name="字節跳動(北京)科技", phones=("+86 10 58256688",))
    )

    assert not result.created and result.customer == owned
    assert result.rejection is not None and result.rejection.code is RejectionCode.OWNED_BY_OTHER
    answer = result.matches[0]
    assert answer.verdict is Verdict.SAME and answer.customer_id == owned.pk
    assert status(answer).startswith("exists — owned by Alice (East) since ")
    assert ", protected until " in status(answer)
    collision = Collision.objects.get(customer=owned)
    assert {"same_phone"} <= {reason["code"] for reason in collision.reasons}
    assert Customer.objects.count() == 1


def test_a_possible_duplicate_holds_the_registration_until_the_rep_confirms(cast):
    owned = register(cast.alice, "苏州恒达精密机械有限公司")

    held = customer_register(user=cast.bob, data=CustomerInput(name="恒达机械"))

    assert held.needs_confirmation and not held.created
    assert [answer.verdict for answer in held.matches] == [Verdict.POSSIBLE]
    assert Customer.objects.count() == 1 and not Collision.objects.exists()

    confirmed = customer_register(
        user=cast.bob, data=CustomerInput(name="恒达机械"), confirm_distinct=True
    )

    assert confirmed.created
    event = OwnershipEvent.objects.get(customer=confirmed.customer)
    assert event.evidence["confirmed_distinct_from"] == str(owned.pk)


def test_the_answer_never_shows_another_reps_contact_details(cast):
    register(
        cast.alice,
        "Acme Tools",
        phones=("+86 138 0013 8000",),
        emails=("li.wei@acme-tools.com",),
        websites=("https://acme-tools.com",),
    )

    result = customer_register(
        user=cast.dave, data=CustomerInput(name="Acme Tools", emails=("sales@acme-tools.com",))
    )

    answer = result.matches[0]
    assert not answer.visible
    rendered = " ".join(str(reason) for reason in answer.reasons)
    assert "138" not in rendered and "li.wei" not in rendered
    assert "acme-tools.com" in rendered  # the domain Dave typed himself


def test_the_precheck_works_on_partial_input_and_writes_nothing(cast):
    owned = register(cast.alice, "Nordlicht Optik GmbH", phones=("+49 30 1234567",))

    assert customer_precheck(user=cast.bob, data=CustomerInput(name="")) == ()
    by_phone = customer_precheck(
        user=cast.bob, data=CustomerInput(name="", phones=("030 1234567",), country="DE")
    )
    half_typed = customer_precheck(
        user=cast.bob, data=CustomerInput(name="Nordlicht Optik", emails=("info@nordl",))
    )

    assert by_phone[0].customer_id == owned.pk and by_phone[0].verdict is Verdict.SAME
    assert half_typed and half_typed[0].customer_id == owned.pk
    assert not Collision.objects.exists() and Customer.objects.count() == 1


def test_a_pool_customer_is_answered_as_in_the_pool(cast):
    customer = register(cast.alice, "Acme Corp.", phones=("+1 415 555 0132",))
    pool_release(user=cast.alice, customer_id=customer.pk)

    answers = customer_precheck(
        user=cast.bob, data=CustomerInput(name="ACME Corporation", phones=("+1 (415) 555-0132",))
    )

    assert status(answers[0]) == "in the pool" and answers[0].visible


def test_your_own_customer_is_answered_as_yours(cast):
    register(cast.alice, "Acme Corp.")
    answers = customer_precheck(user=cast.alice, data=CustomerInput(name="ACME Corporation"))
    assert status(answers[0]).startswith("yours since ")


def test_a_switchboard_number_shared_by_many_customers_stops_counting_as_strong(cast):
    reps = [make_user(f"rep{i}") for i in range(3)]
    switchboard = ("+86 21 6888 0000",)
    names = [
        "东方明珠",
        "浦江宏远",
        "金桥瑞丰",
        "张江云图",
        "外滩恒信",
        "陆家嘴博雅",
        "虹桥星辰",
        "徐汇华茂",
        "静安嘉禾",
        "长宁佳和",
    ]
    for i in range(MAX_BUCKET + 1):
        customer = register(reps[i % 3], f"上海{names[i % 10]}{i}号贸易有限公司")
        # Registration would refuse the shared number; imports and edits bring it in.
        Identifier.objects.create(customer=customer, kind="phone", value=switchboard[0])
        identity_refresh(customer)

    answers = customer_precheck(
        user=cast.bob, data=CustomerInput(name="杭州完全不同电子有限公司", phones=switchboard)
    )

    assert all(answer.verdict is not Verdict.SAME for answer in answers)


def test_logging_a_call_with_another_reps_buyer_warns_early_and_keeps_the_activity(cast):
    from django.utils import timezone

    from guishu.activities.services import activity_log

    alices = register(cast.alice, "Nordlicht Optik GmbH", phones=("+49 30 1234567",))
    bobs = register(cast.bob, "Nordlicht Trading")

    result = activity_log(
        user=cast.bob,
        customer_id=bobs.pk,
        kind="call",
        occurred_at=timezone.now(),
        counterpart=["+49 30 1234567"],
    )

    assert result.activity is not None
    assert [answer.customer_id for answer in result.warnings] == [alices.pk]
    warning = Collision.objects.get(action="contact_overlap")
    assert (warning.customer, warning.attempted_by, warning.owner) == (alices, cast.bob, cast.alice)
    assert warning.submitted["counterpart"] == ["+49 30 1234567"]


def test_an_edit_keeps_the_stored_keys_current(cast):
    from guishu.customers.services import customer_update

    customer = register(cast.alice, "Acme Corp.", phones=("+1 415 555 0132",))
    customer_update(
        user=cast.alice,
        customer_id=customer.pk,
        data=CustomerInput(name="Acme Corp.", phones=("+1 415 555 0199",)),
    )

    old = customer_precheck(
        user=cast.bob, data=CustomerInput(name="", phones=("4155550132",), country="US")
    )
    new = customer_precheck(
        user=cast.bob, data=CustomerInput(name="", phones=("4155550199",), country="US")
    )
    assert old == () and new[0].customer_id == customer.pk


def test_an_edit_taking_another_reps_phone_is_refused_and_recorded(cast):
    from django.core.exceptions import PermissionDenied

    from guishu.customers.services import customer_update

    alices = register(cast.alice, "Acme Corp.", phones=("+1 415 555 0132",))
    bobs = register(cast.bob, "Zenith Works")

    result = customer_update(
        user=cast.bob,
        customer_id=bobs.pk,
        data=CustomerInput(name="Zenith Works", phones=("(415) 555-0132",), country="US"),
    )

    assert not result.updated and result.conflicts[0].customer_id == alices.pk
    assert Collision.objects.get(action="edit").customer == alices
    bobs.refresh_from_db()
    assert not bobs.identifiers.exists()
    with pytest.raises(PermissionDenied):
        customer_update(user=cast.dave, customer_id=bobs.pk, data=CustomerInput(name="X"))


def test_reindex_rebuilds_profiles_written_by_an_older_version(cast):
    from django.core.management import call_command

    customer = register(cast.alice, "Acme Corp.", phones=("+1 415 555 0132",))
    Customer.objects.filter(pk=customer.pk).update(match_profile={"v": 0})
    customer.identity_keys.all().delete()

    call_command("reindex", stdout=io.StringIO())

    customer.refresh_from_db()
    assert customer.match_profile["v"] != 0 and customer.identity_keys.exists()
    answers = customer_precheck(user=cast.bob, data=CustomerInput(name="ACME Corporation"))
    assert answers[0].customer_id == customer.pk


def test_an_ended_protection_is_not_announced(cast):
    from datetime import timedelta

    from django.utils import timezone

    register(cast.alice, "Acme Corp.", now=timezone.now() - timedelta(days=60))
    answers = customer_precheck(user=cast.bob, data=CustomerInput(name="ACME Corporation"))
    assert "protected" not in status(answers[0])


def test_a_manager_sees_their_teams_match_in_full_and_another_teams_masked(cast):
    register(cast.alice, "Acme Tools", phones=("+86 138 0013 8000",))
    register(cast.dave, "Zenith Works", phones=("+86 139 0013 9000",))

    east = customer_precheck(user=cast.carol, data=CustomerInput(name="Acme Tools"))
    west = customer_precheck(user=cast.carol, data=CustomerInput(name="Zenith Works"))

    assert east[0].visible and not west[0].visible
