"""Privacy requests (PIPL / GDPR): open one, export what is held about the contact, erase it.

Who: administrators only. A data-subject request reaches the company through its privacy
contact, not through a sales rep, and an erasure reaches into every team's records; the
admin who handles it is recorded on the request, with each action in its audit.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Case, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from guishu.accounts.models import User
from guishu.customers.models import Contact, Customer, Identifier, IdentityKey
from guishu.domain import Role
from guishu.ownership.models import OwnershipEvent
from guishu.privacy.models import PrivacyRequest
from guishu.privacy.subject import (
    ERASED,
    Subject,
    candidates,
    mentions,
    scrub_value,
    searched_models,
    subject_of,
    text_columns,
)


def may_handle_privacy(user: User) -> bool:
    return user.is_active and user.role == Role.ADMIN


def _require(user: User) -> None:
    if not may_handle_privacy(user):
        raise PermissionDenied(_("Only administrators handle privacy requests."))


def privacy_requests_for(user: User) -> QuerySet[PrivacyRequest]:
    """Open requests first, the earliest due first; nothing for anyone but admins."""
    if not may_handle_privacy(user):
        return PrivacyRequest.objects.none()
    still_open = Case(When(status=PrivacyRequest.Status.OPEN, then=Value(0)), default=Value(1))
    return PrivacyRequest.objects.select_related("opened_by", "handled_by").order_by(
        still_open, "due_on", "pk"
    )


def _entry(action: str, user: User, now: datetime, **details: Any) -> dict[str, Any]:
    return {"at": now.isoformat(), "by": user.pk, "action": action, **details}


@transaction.atomic(durable=True)
def privacy_request_open(
    *,
    user: User,
    contact_id: int,
    kind: str,
    note: str = "",
    received_at: datetime | None = None,
    now: datetime | None = None,
) -> PrivacyRequest:
    """Records a contact's request to export or erase their data, due GUISHU_PRIVACY_DUE_DAYS
    (PIPL: 15) after it was received."""
    _require(user)
    now = now or timezone.now()
    received_at = received_at or now
    if kind not in PrivacyRequest.Kind.values:
        raise ValidationError({"kind": _("Choose export or erasure.")})
    contact = Contact.objects.filter(pk=contact_id).first()
    if contact is None:
        raise ValidationError({"contact": _("No such contact.")})
    due = timezone.localdate(received_at) + timedelta(days=settings.GUISHU_PRIVACY_DUE_DAYS)
    request = PrivacyRequest.objects.create(
        contact=contact,
        customer_id=contact.customer_id,
        subject=f"contact {contact.pk} of customer {contact.customer_id}",
        kind=kind,
        received_at=received_at,
        due_on=due,
        note=note,
        opened_by=user,
    )
    request.audit = [_entry("opened", user, now)]
    request.save(update_fields=["audit"])
    return request


def _open_request(user: User, request_id: int) -> PrivacyRequest:
    _require(user)
    request = PrivacyRequest.objects.select_for_update().filter(pk=request_id).first()
    if request is None:
        raise PrivacyRequest.DoesNotExist
    return request


# --- export ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Export:
    """Everything held about the contact: the contact, the customer's identifiers that are
    the contact's, the activities the contact took part in, and every other row (any table)
    that mentions the contact's phone, e-mail, WeChat id, or (in the customer's records) name."""

    request: PrivacyRequest
    data: dict[str, Any]

    def rows(self) -> list[dict[str, str]]:
        """Flat rows (section, table, id, field, value): the CSV form."""
        flat: list[dict[str, str]] = []
        for item in self.data["records"]:
            for name, value in item["fields"].items():
                shown = value if isinstance(value, str) else _json_text(value)
                flat.append(
                    {"table": item["table"], "id": str(item["id"]), "field": name, "value": shown}
                )
        return flat


def _json_text(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, default=str)


@transaction.atomic(durable=True)
def privacy_export(*, user: User, request_id: int, now: datetime | None = None) -> Export:
    """What the company holds about the request's contact. Closes an export request; on an
    erasure request (before the erasure) it is only recorded in the audit."""
    now = now or timezone.now()
    request = _open_request(user, request_id)
    contact = request.contact
    if request.kind == PrivacyRequest.Kind.ERASE and request.status == PrivacyRequest.Status.DONE:
        raise ValidationError(_("The contact has been erased: nothing is left to export."))
    if contact is None:
        raise ValidationError(_("The contact of this request no longer exists."))
    subject = subject_of(contact)
    records = _records_about(contact, subject)
    data = {
        "request": {
            "id": request.pk,
            "kind": request.kind,
            "received_at": request.received_at.isoformat(),
            "due_on": request.due_on.isoformat(),
        },
        "exported_at": now.isoformat(),
        "contact": {
            "id": contact.pk,
            "customer": contact.customer_id,
            "name": contact.name,
            "title": contact.title,
            "phone": contact.phone,
            "email": contact.email,
            "wechat": contact.wechat,
            "chain_role": contact.chain_role,
            "stance": contact.stance,
            "notes": contact.notes,
        },
        "activities": [
            {
                "id": activity.pk,
                "kind": activity.kind,
                "occurred_at": activity.occurred_at.isoformat(),
                "outcome": activity.outcome,
                "note": activity.note,
            }
            for activity in contact.activities.order_by("occurred_at", "pk")
        ],
        "records": records,
    }
    request.audit = [*request.audit, _entry("exported", user, now, records=len(records))]
    fields = ["audit"]
    if request.kind == PrivacyRequest.Kind.EXPORT and request.status == "open":
        request.status = PrivacyRequest.Status.DONE
        request.handled_by, request.handled_at = user, now
        fields += ["status", "handled_by", "handled_at"]
    request.save(update_fields=fields)
    return Export(request=request, data=data)


def _records_about(contact: Contact, subject: Subject) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    skip = (PrivacyRequest, IdentityKey)
    for model in searched_models(exclude=skip):
        for pk, row in candidates(model, subject):
            if model is Contact and pk == contact.pk:
                continue  # the contact itself is the export's first part
            in_scope = row.pop("_in_scope")
            hits = {
                name: value
                for name, value in row.items()
                if value not in (None, "", [], {}) and mentions(value, subject, with_names=in_scope)
            }
            if hits and not (model is Customer and set(hits) == {"match_profile"}):
                hits.pop("match_profile", None)
                found.append({"table": model._meta.db_table, "id": pk, "fields": hits})
    return found


# --- erasure --------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def privacy_erase(*, user: User, request_id: int, now: datetime | None = None) -> PrivacyRequest:
    """Anonymises the request's contact everywhere, in one transaction.

    The contact row keeps its place (and its activities their links) with every personal
    field replaced; the customer's identifiers that are the contact's phone, e-mail or WeChat
    id are deleted and its identity keys and match profile rebuilt without them; every other
    mention in any table (activity notes and outcomes, notifications, import samples and
    problems, collisions, dispute texts, task arguments, ...) is replaced by "[erased]";
    ownership events keep their structure (kind, time, people) and have only mentions inside
    their trace and evidence text redacted, the append-only guard lifted for exactly that
    within this transaction. Stored import files that mention the contact are deleted once
    the transaction commits. The audit records counts per table, never the values.
    """
    now = now or timezone.now()
    request = _open_request(user, request_id)
    if request.kind != PrivacyRequest.Kind.ERASE:
        raise ValidationError(_("This is not an erasure request."))
    if request.status != PrivacyRequest.Status.OPEN or request.contact is None:
        raise ValidationError(_("This request has been handled already."))
    contact = request.contact
    subject = subject_of(contact)
    if connection.vendor == "sqlite":
        # Freed space is zeroed, so the erased text does not linger in the file's free pages.
        connection.cursor().execute("PRAGMA secure_delete = ON")
    counts: dict[str, int] = {}
    touched = {contact.customer_id}
    _anonymise_contact(contact)
    counts["customers_contact"] = 1
    removed = _remove_identifiers(subject, touched)
    if removed:
        counts["customers_identifier"] = removed
    for table, n in _scrub_everywhere(subject, touched).items():
        counts[table] = counts.get(table, 0) + n
    from guishu.customers.identity import identity_refresh

    for customer in Customer.objects.filter(pk__in=touched):
        identity_refresh(customer)
    files = _import_files_mentioning(subject)
    if files:
        counts["import_files"] = len(files)
        transaction.on_commit(lambda: _delete_files(files))
    # Last, so the events' table is locked (PostgreSQL) for as short a time as possible.
    redacted = _redact_events(subject)
    if redacted:
        counts["ownership_ownershipevent"] = redacted
    if connection.vendor == "sqlite":
        transaction.on_commit(_checkpoint)
    request.status = PrivacyRequest.Status.DONE
    request.handled_by, request.handled_at = user, now
    request.note = subject.scrub(request.note, with_names=True)
    request.audit = [*request.audit, _entry("erased", user, now, counts=counts)]
    request.save(update_fields=["status", "handled_by", "handled_at", "note", "audit"])
    return request


def _anonymise_contact(contact: Contact) -> None:
    Contact.objects.filter(pk=contact.pk).update(
        name=ERASED, title="", phone="", email="", wechat="", notes=""
    )


def _remove_identifiers(subject: Subject, touched: set[int]) -> int:
    """Deletes every identifier (of any customer) that is one of the subject's values, and
    blanks the same values on other contacts (the same person entered twice)."""
    kinds = (
        Identifier.Kind.PHONE,
        Identifier.Kind.EMAIL,
        Identifier.Kind.WECHAT,
        Identifier.Kind.WHATSAPP,
    )
    doomed = []
    for pk, customer_id, value in (
        Identifier.objects.filter(kind__in=kinds)
        .values_list("pk", "customer_id", "value")
        .iterator()
    ):
        if subject.mentioned_in(value, with_names=False):
            doomed.append(pk)
            touched.add(customer_id)
    # A person customer's other names may be the contact's own.
    aliases = Identifier.objects.filter(
        customer_id=subject.customer_id, kind=Identifier.Kind.ALIAS
    ).values_list("pk", "value")
    doomed += [pk for pk, value in aliases if subject.mentioned_in(value, with_names=True)]
    Identifier.objects.filter(pk__in=doomed).delete()
    return len(doomed)


def _scrub_everywhere(subject: Subject, touched: set[int]) -> dict[str, int]:
    counts: dict[str, int] = {}
    skip = (OwnershipEvent, IdentityKey, Identifier)
    for model in searched_models(exclude=skip):
        columns = {c.field.attname for c in text_columns(model)}
        changed_rows = 0
        for pk, row in list(candidates(model, subject)):
            in_scope = row.pop("_in_scope")
            changes = {}
            for name, value in row.items():
                if name not in columns or value in (None, ""):
                    continue
                new = scrub_value(value, subject, with_names=in_scope)
                if new != value:
                    changes[name] = new
            if changes:
                model._default_manager.filter(pk=pk).update(**changes)
                changed_rows += 1
                if model is Customer:
                    touched.add(pk)
                elif model is Contact:
                    touched.add(Contact.objects.get(pk=pk).customer_id)
        if changed_rows:
            counts[model._meta.db_table] = changed_rows
    return counts


def _redact_events(subject: Subject) -> int:
    """Redacts mentions inside ownership events' trace and evidence. Their structure (who,
    when, which kind, from and to whom) is never touched. The append-only triggers are
    lifted for these UPDATEs only, inside the erasure's transaction: on PostgreSQL the DROP
    TRIGGER holds the table's lock until commit, so no other writer ever sees it unguarded,
    and on SQLite the one writer is this transaction."""
    from guishu.ownership.db_guards import install_event_guards, remove_event_guards

    changes: dict[int, dict[str, Any]] = {}
    scoped = OwnershipEvent.objects.filter(customer_id=subject.customer_id)
    rows = list(candidates(OwnershipEvent, subject)) + [
        (pk, {"_in_scope": True, "trace": trace, "evidence": evidence})
        for pk, trace, evidence in scoped.values_list("pk", "trace", "evidence")
    ]
    for pk, row in rows:
        in_scope = row.pop("_in_scope")
        for name in ("trace", "evidence"):
            value = row.get(name)
            new = scrub_value(value, subject, with_names=in_scope)
            if new != value:
                changes.setdefault(pk, {})[name] = new
    if not changes:
        return 0
    remove_event_guards(connection)
    for pk, fields in changes.items():
        OwnershipEvent.objects.filter(pk=pk).update(**fields)
    install_event_guards(connection)
    return len(changes)


def _import_files_mentioning(subject: Subject) -> list[str]:
    from guishu.imports.models import ImportJob
    from guishu.imports.source import file_path, sheet_of
    from guishu.tabular import TableError

    found = []
    jobs = ImportJob.objects.exclude(stored_path="").values_list("stored_path", "file_name")
    for stored_path, file_name in dict(jobs).items():
        path = file_path(stored_path)
        if not path.is_file():
            continue
        try:
            sheet = sheet_of(path.read_bytes(), filename=file_name)
            text = "\n".join(
                [
                    " ".join(sheet.headers),
                    *(" ".join([*row.cells, *row.overflow]) for row in sheet.rows),
                ]
            )
        except (TableError, ValueError, AttributeError):
            text = path.read_bytes().decode("utf-8", "replace")
        if subject.mentioned_in(text, with_names=False):
            found.append(str(path))
    return found


def _delete_files(paths: list[str]) -> None:
    from pathlib import Path

    for path in paths:
        Path(path).unlink(missing_ok=True)


def _checkpoint() -> None:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
