"""A contact with a trail: Zhang Min at Alice's customer, her phone and e-mail in the
customer's identifiers, in activity notes (spelt differently), in an inbox entry, in an
import's stored file and samples, in a collision Bob caused, and in the reason of an
ownership transfer (an append-only event)."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from guishu.activities.models import Activity
from guishu.customers.contacts import contact_add
from guishu.customers.inputs import ContactInput
from guishu.customers.models import Contact, Customer
from guishu.imports.models import ImportJob
from guishu.imports.services import import_upload
from guishu.notifications.models import Kind, Notification
from guishu.ownership.registration import customer_register
from guishu.ownership.services import customer_transfer
from tests.factories import customer_input, register

PHONE = "+86 139 2468 1357"
E164 = "+8613924681357"
EMAIL = "Zhang.Min@Nordwind-Pumpen.example.com"
WECHAT = "zhangmin_nw88"


@dataclass
class Trail:
    customer: Customer
    contact: Contact
    other_contact: Contact
    job: ImportJob


def make_trail(cast: Any) -> Trail:
    customer = register(
        cast.alice, "Nordwind Pumpen Trading Co", phones=("+86 21 5555 0101", PHONE)
    )
    contact = contact_add(
        user=cast.alice,
        customer_id=customer.pk,
        data=ContactInput(name="Zhang Min", phone=PHONE, email=EMAIL, wechat=WECHAT),
    ).contact
    other = contact_add(
        user=cast.alice,
        customer_id=customer.pk,
        data=ContactInput(name="Li Lei", phone="+86 138 0000 1111"),
    ).contact
    assert contact is not None and other is not None
    Contact.objects.filter(pk=other.pk).update(notes="Zhang Min's boss")
    now = timezone.now()
    visit = Activity.objects.create(
        customer=customer,
        by=cast.alice,
        kind="call",
        occurred_at=now - timedelta(days=2),
        outcome="Zhang Min will send the drawings",
        note="Called 139-2468-1357, then wrote to ZHANG.MIN@nordwind-pumpen.example.com",
    )
    visit.contacts.add(contact)
    Activity.objects.create(
        customer=customer,
        by=cast.alice,
        kind="email",
        occurred_at=now - timedelta(days=1),
        note="Li Lei says the budget is approved",
    )
    Notification.objects.create(
        kind=Kind.values[0],
        customer=customer,
        message="{customer}: {detail}",
        params={"customer": customer.name, "detail": f"reach {E164}"},
        source="test",
        created_at=now,
        recipient=cast.alice,
    )
    csv = f"客户名称,电话,邮箱\nNordwind Pumpen,{PHONE},{EMAIL}\n".encode()
    job = import_upload(user=cast.alice, kind="customers", filename="nw.csv", data=csv)  # type: ignore[arg-type]
    ImportJob.objects.filter(pk=job.pk).update(
        samples={"collision": [{"row": 2, "phone": PHONE, "email": EMAIL}]},
        problems=[{"row": 2, "cell": "B2", "value": "8613924681357", "reason": "collision"}],
    )
    refused = customer_register(
        user=cast.bob, data=customer_input("Nordwind Pumpen", phones=("13924681357",))
    )
    assert refused.collision is not None
    customer_transfer(
        user=cast.alice,
        customer_id=customer.pk,
        to=cast.bob,
        reason="Zhang Min (13924681357) asked for a Mandarin speaker",
    )
    job.refresh_from_db()
    return Trail(customer=customer, contact=contact, other_contact=other, job=job)


@pytest.fixture
def trail(cast: Any) -> Trail:
    return make_trail(cast)
