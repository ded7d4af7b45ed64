"""Erasure: the contact's personal data is gone from every table, from the backup, and from
stored files; the ownership history keeps its structure and replays to the same owners."""

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from guishu.activities.models import Activity
from guishu.customers.contacts import contact_add
from guishu.customers.inputs import ContactInput
from guishu.customers.models import Contact, Customer, Identifier, IdentityKey
from guishu.imports.source import file_path
from guishu.notifications.models import Kind, Notification
from guishu.ops.backup import open_terms, owners_replayed, ownership_history
from guishu.ownership.models import OwnershipEvent
from guishu.privacy.models import PrivacyRequest
from guishu.privacy.services import privacy_erase, privacy_request_open
from guishu.privacy.subject import subject_of
from tests.factories import register
from tests.privacy.conftest import E164, EMAIL, WECHAT, Trail

pytestmark = pytest.mark.db_facing

FORMS = [E164, E164.lstrip("+"), "13924681357", EMAIL.lower(), WECHAT]


def dump_text(out: Path) -> str:
    """The whole database as a backup holds it: the SQLite backup file's bytes, or PostgreSQL's
    plain-text dump."""
    if connection.vendor == "sqlite":
        call_command("backup", output=out)
        return out.read_bytes().decode("latin-1")
    db = connection.settings_dict
    args = ["pg_dump", "--format=plain", f"--dbname={db['NAME']}"]
    args += [f"--host={db['HOST'] or '127.0.0.1'}", f"--port={db['PORT'] or 5432}"]
    args += [f"--username={db['USER']}"] if db.get("USER") else []
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout  # noqa: S603


def found_in(text: str) -> list[str]:
    lowered = text.lower()
    return [form for form in FORMS if form.lower() in lowered]


def erase(cast: Any, trail: Trail) -> PrivacyRequest:
    request = privacy_request_open(user=cast.admin, contact_id=trail.contact.pk, kind="erase")
    return privacy_erase(user=cast.admin, request_id=request.pk)


@pytest.mark.django_db(transaction=True)
def test_after_erasure_a_full_dump_holds_none_of_the_erased_values(
    allow_flush: None, cast: Any, trail: Trail, tmp_path: Path
):
    assert set(found_in(dump_text(tmp_path / "before.sqlite3"))) == set(FORMS)
    events_before = list(
        OwnershipEvent.objects.order_by("pk").values_list(
            "pk", "customer_id", "kind", "at", "actor_id", "from_owner_id", "to_owner_id"
        )
    )
    assert any(
        "13924681357" in str(e.evidence) + str(e.trace) for e in OwnershipEvent.objects.all()
    )

    request = erase(cast, trail)

    assert found_in(dump_text(tmp_path / "after.sqlite3")) == []
    # The events keep their structure, and their history the owners.
    events_after = list(
        OwnershipEvent.objects.order_by("pk").values_list(
            "pk", "customer_id", "kind", "at", "actor_id", "from_owner_id", "to_owner_id"
        )
    )
    assert events_after == events_before
    live = connection.settings_dict
    assert owners_replayed(ownership_history(live)) == open_terms(live)
    assert request.status == "done" and request.handled_by == cast.admin
    [_opened, erased] = request.audit
    assert erased["action"] == "erased" and erased["counts"]["ownership_ownershipevent"] == 1
    assert "13924681357" not in str(request.audit)


@pytest.mark.django_db(transaction=True)
def test_erasure_anonymises_the_contact_and_every_mention(
    allow_flush: None, cast: Any, trail: Trail
):
    erase(cast, trail)
    contact = Contact.objects.get(pk=trail.contact.pk)
    assert (contact.name, contact.phone, contact.email, contact.wechat) == ("[erased]", "", "", "")
    # The customer's own switchboard stays; the contact's number went, with its keys.
    phones = list(
        Identifier.objects.filter(customer=trail.customer).values_list("value", flat=True)
    )
    assert phones == ["+86 21 5555 0101"]
    keys = IdentityKey.objects.filter(customer=trail.customer).values_list("value", flat=True)
    assert not [key for key in keys if "13924681357" in key]
    profile = str(Customer.objects.get(pk=trail.customer.pk).match_profile)
    assert "13924681357" not in profile and "zhang.min" not in profile.lower()
    notes = dict(Activity.objects.values_list("note", "outcome"))
    assert "Called [erased], then wrote to [erased]" in notes
    assert "[erased] will send the drawings" in notes.values()
    # Another contact's notes that name her (the customer's records) lose the name.
    assert Contact.objects.get(pk=trail.other_contact.pk).notes == "[erased]'s boss"
    assert Contact.objects.get(pk=trail.other_contact.pk).phone == "+86 138 0000 1111"
    # The import's stored file that held her number is gone; its samples are scrubbed.
    assert not file_path(trail.job.stored_path).exists()
    job = type(trail.job).objects.get(pk=trail.job.pk)
    assert "13924681357" not in str(job.samples) + str(job.problems)


@pytest.mark.django_db(transaction=True)
def test_the_event_guard_is_back_after_an_erasure(allow_flush: None, cast: Any, trail: Trail):
    erase(cast, trail)
    with pytest.raises(DatabaseError), transaction.atomic():
        OwnershipEvent.objects.update(kind="claimed")


@pytest.mark.django_db(transaction=True)
def test_an_erasure_is_done_once_and_only_by_an_admin(allow_flush: None, cast: Any, trail: Trail):
    for person in (cast.alice, cast.carol, cast.diana):
        with pytest.raises(PermissionDenied):
            privacy_request_open(user=person, contact_id=trail.contact.pk, kind="erase")
    request = privacy_request_open(user=cast.admin, contact_id=trail.contact.pk, kind="erase")
    with pytest.raises(PermissionDenied):
        privacy_erase(user=cast.carol, request_id=request.pk)
    privacy_erase(user=cast.admin, request_id=request.pk)
    with pytest.raises(ValidationError):
        privacy_erase(user=cast.admin, request_id=request.pk)


@pytest.mark.django_db
def test_phone_numbers_are_found_in_any_spelling(cast: Any, trail: Trail):
    subject = subject_of(trail.contact)
    for text in (
        "+86 139 2468 1357",
        "139-2468-1357",
        "(+86) 13924681357",
        "008613924681357",
        "tel:8613924681357;",
    ):
        assert subject.mentioned_in(text, with_names=False), text
    for text in ("1139246813570", "13924681358", "2468 1357"):
        assert not subject.mentioned_in(text, with_names=False), text
    assert (
        re.sub(r"\s", "", subject.scrub("call 139 2468 1357 now", with_names=False))
        == "call[erased]now"
    )


@pytest.mark.django_db(transaction=True)
def test_a_chinese_name_inside_json_and_a_number_no_library_accepts_are_erased(
    allow_flush: None, cast: Any
):
    customer = register(cast.alice, "华东泵业有限公司")
    contact = contact_add(
        user=cast.alice, customer_id=customer.pk, data=ContactInput(name="张敏")
    ).contact
    assert contact is not None
    Contact.objects.filter(pk=contact.pk).update(phone="9 8765 4321 0987 65")
    Notification.objects.create(
        kind=Kind.values[0],
        customer=customer,
        message="{detail}",
        params={"detail": "张敏 called from 9876-5432-1098-765"},
        source="test",
        created_at=timezone.now(),
        recipient=cast.alice,
    )
    request = privacy_request_open(user=cast.admin, contact_id=contact.pk, kind="erase")
    privacy_erase(user=cast.admin, request_id=request.pk)
    assert Notification.objects.get().params == {"detail": "[erased] called from [erased]"}


@pytest.mark.django_db
def test_open_requests_come_first_by_due_date(cast: Any, trail: Trail):
    from datetime import timedelta

    from guishu.privacy.services import privacy_requests_for

    now = timezone.now()
    late = privacy_request_open(
        user=cast.admin, contact_id=trail.contact.pk, kind="export", received_at=now
    )
    early = privacy_request_open(
        user=cast.admin,
        contact_id=trail.contact.pk,
        kind="export",
        received_at=now - timedelta(days=5),
    )
    done = privacy_request_open(
        user=cast.admin,
        contact_id=trail.contact.pk,
        kind="erase",
        received_at=now - timedelta(days=9),
    )
    PrivacyRequest.objects.filter(pk=done.pk).update(status="rejected")
    assert list(privacy_requests_for(cast.admin)) == [early, late, done]
    assert list(privacy_requests_for(cast.carol)) == []
