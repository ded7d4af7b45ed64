"""What identifies a data subject in text, and finding and scrubbing it wherever it is.

A contact's phone numbers are matched in any common spelling ("+86 139 1234 5678",
"13912345678", "8613912345678", "139-1234-5678"), e-mails and WeChat ids case-insensitively,
and the contact's name only inside their own customer's records (a name alone, elsewhere,
is likely somebody else's). Every text, e-mail and JSON column of every table is searched:
the database prefilters rows on a short token (the last four digits of each number, the
e-mail, the id, the name), and the exact patterns decide in Python.
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import phonenumbers
from django.apps import apps
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast

from guishu.customers.models import Contact
from guishu.matching.emails import normalise_email
from guishu.matching.phones import normalise_phone

ERASED = "[erased]"
# Apps whose tables are searched: ours, and the task queue (task arguments and results).
SEARCHED_APPS = ("django_tasks_db",)
# Separators people type inside phone numbers.
_SEP = r"[\s\-.()/]*"


@dataclass(frozen=True)
class Subject:
    """The contact's identifying values, normalised, and the patterns that find them."""

    customer_id: int
    phones: tuple[str, ...] = ()  # E.164
    emails: tuple[str, ...] = ()  # lower case
    handles: tuple[str, ...] = ()  # WeChat ids, lower case
    names: tuple[str, ...] = ()
    raw_digits: str = ""  # a phone libphonenumber does not accept, as digits
    patterns: tuple[re.Pattern[str], ...] = field(default=(), compare=False)
    name_patterns: tuple[re.Pattern[str], ...] = field(default=(), compare=False)

    @property
    def tokens(self) -> list[str]:
        """Short strings one of which any mention (but the name) contains: the prefilter."""
        last = {phone[-4:] for phone in self.phones} | ({self.raw_digits[-4:]} - {""})
        return [*last, *self.emails, *self.handles]

    @property
    def name_tokens(self) -> list[str]:
        """The names, and as JSON holds them on SQLite (non-ASCII letters as \\u escapes)."""
        return list(dict.fromkeys([*self.names, *(json.dumps(n)[1:-1] for n in self.names)]))

    @property
    def values(self) -> list[str]:
        """Everything the dump check looks for: E.164, digits, national digits, e-mails."""
        found = [*self.emails, *self.handles]
        for phone in self.phones:
            number = phonenumbers.parse(phone)
            found += [phone, phone.lstrip("+"), str(number.national_number)]
        return found + ([self.raw_digits] if self.raw_digits else [])

    def mentioned_in(self, text: str, *, with_names: bool) -> bool:
        return any(p.search(text) for p in self._patterns(with_names))

    def scrub(self, text: str, *, with_names: bool) -> str:
        for pattern in self._patterns(with_names):
            text = pattern.sub(ERASED, text)
        return text

    def _patterns(self, with_names: bool) -> tuple[re.Pattern[str], ...]:
        return self.patterns + self.name_patterns if with_names else self.patterns


def phone_pattern(e164: str) -> re.Pattern[str]:
    """The number with or without its country code (+86, 0086, 86, a trunk 0), any
    separators between digits, and no digit right before or after."""
    number = phonenumbers.parse(e164)
    national = _SEP.join(str(number.national_number))
    code = _SEP.join(str(number.country_code))
    prefix = rf"(?:(?:\+|00)?{_SEP}{code}{_SEP}(?:\(?0\)?)?{_SEP}|0{_SEP})?"
    return re.compile(rf"(?<!\d){prefix}{national}(?!\d)")


def subject_of(contact: Contact) -> Subject:
    region = contact.customer.country or None
    phone = normalise_phone(contact.phone, region) if contact.phone else None
    digits = "".join(c for c in contact.phone if c.isdigit())
    email = normalise_email(contact.email) if contact.email else None
    raw_email = contact.email.strip().lower()
    emails = tuple(dict.fromkeys(e for e in (email, raw_email) if e))
    handles = (contact.wechat.strip().lower(),) if len(contact.wechat.strip()) >= 3 else ()
    names = (contact.name.strip(),) if len(contact.name.strip()) >= 2 else ()
    patterns = [phone_pattern(phone)] if phone else []
    if not phone and len(digits) >= 5:
        # Not a number libphonenumber accepts; still the digits as typed, in any spacing.
        patterns.append(re.compile(rf"(?<!\d){_SEP.join(digits)}(?!\d)"))
    patterns += [re.compile(re.escape(value), re.IGNORECASE) for value in (*emails, *handles)]
    name_patterns = [re.compile(re.escape(name), re.IGNORECASE) for name in names]
    return Subject(
        customer_id=contact.customer_id,
        phones=(phone,) if phone else (),
        raw_digits=digits if not phone and len(digits) >= 5 else "",
        emails=emails,
        handles=handles,
        names=names,
        patterns=tuple(patterns),
        name_patterns=tuple(name_patterns),
    )


# --- every table's text -----------------------------------------------------------------


TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


@dataclass(frozen=True)
class Column:
    model: type[models.Model]
    field: models.Field[Any, Any]

    @property
    def is_json(self) -> bool:
        return isinstance(self.field, models.JSONField)


def searched_models(exclude: tuple[type[models.Model], ...] = ()) -> Iterator[type[models.Model]]:
    for model in apps.get_models():
        label = model._meta.app_label
        module = model.__module__
        if model in exclude or model._meta.proxy or not model._meta.managed:
            continue
        if module.startswith("guishu.") or label in SEARCHED_APPS:
            yield model


def text_columns(model: type[models.Model]) -> list[Column]:
    return [
        Column(model, f)
        for f in model._meta.concrete_fields
        if isinstance(f, TEXT_FIELDS) and not f.choices and not f.primary_key
    ]


def customer_scope(model: type[models.Model], customer_id: int) -> Q | None:
    """The rows of `model` that belong to the subject's customer, where that means anything."""
    if model._meta.label == "customers.Customer":
        return Q(pk=customer_id)
    names = {f.name for f in model._meta.concrete_fields}
    if "customer" in names:
        return Q(customer_id=customer_id)
    return None


def candidates(model: type[models.Model], subject: Subject) -> Iterator[tuple[Any, dict[str, Any]]]:
    """(pk, {column: value}) of the rows of `model` that may mention the subject."""
    columns = text_columns(model)
    if not columns:
        return
    annotations: dict[str, Any] = {}
    lookups: dict[str, str] = {}
    for column in columns:
        if column.is_json:
            alias = f"_privacy_{column.field.attname}"
            annotations[alias] = Cast(column.field.attname, models.TextField())
            lookups[column.field.attname] = alias
        else:
            lookups[column.field.attname] = column.field.attname
    condition = Q()
    for token in subject.tokens:
        for searched in lookups.values():
            condition |= Q(**{f"{searched}__icontains": token})
    scope = customer_scope(model, subject.customer_id)
    if scope is not None and subject.names:
        named = Q()
        for name in subject.name_tokens:
            for searched in lookups.values():
                named |= Q(**{f"{searched}__icontains": name})
        condition |= scope & named
    if not condition:
        return
    rows = model._default_manager.annotate(**annotations).filter(condition)
    in_scope: set[Any] = set()
    if scope is not None:
        in_scope = set(model._default_manager.filter(scope).values_list("pk", flat=True))
    for row in rows.values("pk", *[c.field.attname for c in columns]).iterator():
        pk = row.pop("pk")
        yield pk, {"_in_scope": pk in in_scope, **row}


def scrub_value(value: Any, subject: Subject, *, with_names: bool) -> Any:
    """`value` (text, or JSON made of dicts, lists and text) with every mention replaced."""
    if isinstance(value, str):
        return subject.scrub(value, with_names=with_names)
    if isinstance(value, list):
        return [scrub_value(item, subject, with_names=with_names) for item in value]
    if isinstance(value, dict):
        return {
            subject.scrub(str(k), with_names=with_names): scrub_value(
                v, subject, with_names=with_names
            )
            for k, v in value.items()
        }
    return value


def mentions(value: Any, subject: Subject, *, with_names: bool) -> bool:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return subject.mentioned_in(text, with_names=with_names)
