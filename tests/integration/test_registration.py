"""Registration through the real service and database: exact identity keys, collisions,
validation, and the audit event it writes."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from guishu.customers.inputs import CustomerInput
from guishu.customers.models import Customer, IdentityKey
from guishu.disputes.models import Collision
from guishu.domain import RejectionCode
from guishu.ownership.models import Ownership, OwnershipEvent
from guishu.ownership.registration import customer_register
from guishu.ownership.services import pool_release
from tests.factories import register

pytestmark = pytest.mark.db_facing


def test_registering_a_new_customer_makes_the_rep_its_owner_with_protection(cast):
    now = timezone.now()
    first_contact = now - timedelta(days=3)
    result = customer_register(
        user=cast.alice,
        now=now,
        first_contact_at=first_contact,
        data=CustomerInput(
            name="Acme Corp.",
            phones=("+1 (415) 555-0132",),
            websites=("https://www.acme.com/about",),
        ),
    )

    assert result.created
    term = Ownership.objects.get(customer=result.customer, ended_at__isnull=True)
    assert term.owner == cast.alice
    assert term.protected_until == now + timedelta(days=30)
    assert term.first_contact_at == first_contact
    event = OwnershipEvent.objects.get(customer=result.customer)
    assert (event.kind, event.actor, event.to_owner, event.from_owner) == (
        "registered",
        cast.alice,
        cast.alice,
        None,
    )
    assert event.evidence["first_contact_at"] == first_contact.isoformat()
    assert "registered by Alice" in event.trace[0]["message"].format(**event.trace[0]["params"])
    assert IdentityKey.objects.filter(
        customer=result.customer, kind="phone", value="+14155550132"
    ).exists()


@pytest.mark.parametrize(
    "field,theirs,mine",
    [
        ("phones", "+86 138-0013-8000", "13800138000"),
        ("emails", "li.wei@acme-tools.com", "LI.WEI@acme-tools.com "),
        ("websites", "www.acme-tools.com.cn", "https://acme-tools.com.cn/en/"),
    ],
)
def test_registering_another_reps_customer_under_other_spellings_is_a_collision(
    cast, field, theirs, mine
):
    owned = register(cast.alice, "Acme Tools", **{field: (theirs,)})

    result = customer_register(
        user=cast.bob, data=CustomerInput(name="Totally different name", **{field: (mine,)})
    )

    assert not result.created
    assert result.customer == owned
    assert result.rejection is not None and result.rejection.code is RejectionCode.OWNED_BY_OTHER
    assert "refused: protected for Alice until" in str(result.rejection)
    collision = Collision.objects.get(customer=owned)
    assert (collision.attempted_by, collision.owner, collision.action) == (
        cast.bob,
        cast.alice,
        "register",
    )
    assert collision.submitted["name"] == "Totally different name"
    assert Customer.objects.count() == 1
    assert OwnershipEvent.objects.count() == 1


def test_a_name_differing_only_in_legal_form_and_case_is_the_same_customer(cast):
    owned = register(cast.alice, "Acme Corp.")
    result = customer_register(user=cast.bob, data=CustomerInput(name="ACME Corporation"))
    assert result.customer == owned and result.collision is not None


def test_registering_your_own_customer_again_says_it_is_yours_without_a_collision(cast):
    owned = register(cast.alice, "Acme Corp.")
    result = customer_register(user=cast.alice, data=CustomerInput(name="Acme Corp."))
    assert result.customer == owned
    assert result.rejection is not None and result.rejection.code is RejectionCode.ALREADY_YOURS
    assert not Collision.objects.exists()


def test_registering_a_pool_customer_points_to_the_pool_instead(cast):
    customer = register(cast.alice, "Acme Corp.")
    pool_release(user=cast.alice, customer_id=customer.pk)
    result = customer_register(user=cast.bob, data=CustomerInput(name="Acme Corp"))
    assert result.rejection is not None and result.rejection.code is RejectionCode.IN_POOL
    assert not Collision.objects.exists()


def test_after_protection_the_collision_names_the_owner_and_since_when(cast):
    then = timezone.now() - timedelta(days=45)
    register(cast.alice, "Acme Corp.", now=then)
    result = customer_register(user=cast.bob, data=CustomerInput(name="Acme Corp"))
    assert result.rejection is not None
    assert str(result.rejection).startswith("refused: owned by Alice since ")
    assert result.rejection.owner_since == then


@pytest.mark.parametrize(
    "data,field",
    [
        (CustomerInput(name="  "), "name"),
        (CustomerInput(name="Acme", credit_code="91350100M000100Y42"), "credit_code"),
        (CustomerInput(name="Acme", emails=("not-an-email",)), "emails"),
        (CustomerInput(name="Acme", country="China"), "country"),
        (CustomerInput(name="Acme", level="D"), "level"),
    ],
)
def test_bad_input_gets_a_clear_error_and_changes_nothing(cast, data, field):
    with pytest.raises(ValidationError) as raised:
        customer_register(user=cast.alice, data=data)
    assert field in raised.value.message_dict
    assert not Customer.objects.exists() and not OwnershipEvent.objects.exists()


def test_directors_and_admins_cannot_own_customers(cast):
    result = customer_register(user=cast.diana, data=CustomerInput(name="Acme"))
    assert result.rejection is not None and result.rejection.code is RejectionCode.CANNOT_OWN
    assert not Customer.objects.exists()
