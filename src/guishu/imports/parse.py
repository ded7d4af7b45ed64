"""From a spreadsheet row to what the services take, or to the reasons it cannot be read.

Cells are read by guishu.tabular (guishu.tabular.headers.parse_row: the mapping, the value
formats); here the values become a CustomerInput, a ContactInput or an activity, checked as
the services check them. Plain functions of the row, the mapping and a few lookups made
beforehand, so that they run in worker processes too. Every problem names the row as the
spreadsheet numbers it, the column by its header, the value and the reason.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from guishu.customers.inputs import ContactInput, CustomerInput
from guishu.tabular import Row, column_letter
from guishu.tabular.headers import HeaderMapping, ParsedRow, ValueContext, parse_row

# The widths of the columns the values end up in.
MAX_CHARS = {
    "name": 200,
    "aliases": 200,
    "phones": 50,
    "emails": 200,
    "websites": 200,
    "wechat": 100,
    "whatsapp": 50,
    "region": 100,
    "city": 100,
    "address": 300,
    "industry": 100,
    "source": 100,
    "contact_name": 100,
    "contact_title": 100,
    "title": 100,
    "outcome": 300,
    "customer": 200,
    "owner": 150,
    "by": 150,
}
CONTACT_NAME_CHARS = 100


@dataclass(frozen=True)
class Problem:
    """Why one row (or one cell of it) cannot be imported."""

    row: int
    column: str
    value: str
    reason: str

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason}


@dataclass(frozen=True)
class CustomerRow:
    number: int
    data: CustomerInput
    owner_id: int | None = None


@dataclass(frozen=True)
class CustomerRef:
    """How a contact or activity row names its customer: by number, credit code or name."""

    customer_id: int | None
    credit_code: str
    name: str

    def __str__(self) -> str:
        return self.name or self.credit_code or str(self.customer_id or "")


@dataclass(frozen=True)
class ContactRow:
    number: int
    customer: CustomerRef
    data: ContactInput
    notes: str = ""


@dataclass(frozen=True)
class ActivityRow:
    number: int
    customer: CustomerRef
    by_id: int | None
    kind: str
    channel: str
    occurred_at: datetime
    duration_minutes: int = 0
    outcome: str = ""
    note: str = ""
    customer_initiated: bool = False
    contact_names: tuple[str, ...] = ()

    def entered(self) -> dict[str, Any]:
        """As activity_log keeps what was entered on a collision."""
        return {
            "kind": self.kind,
            "channel": self.channel,
            "occurred_at": self.occurred_at.isoformat(),
            "duration_minutes": self.duration_minutes,
            "outcome": self.outcome,
            "note": self.note,
            "customer_initiated": self.customer_initiated,
            "contact_ids": [],
        }


Parsed = CustomerRow | ContactRow | ActivityRow


class RowReader:
    """Reads the rows of one file with one mapping. `people` maps a folded user name, display
    name or e-mail to a user id (None when several people answer to it), for owner and "by"
    columns; `owners_from_column`: the owner column decides who owns each customer."""

    def __init__(
        self,
        mapping: HeaderMapping,
        *,
        people: Mapping[str, int | None] | None = None,
        owners_from_column: bool = False,
    ) -> None:
        self.mapping = mapping
        self.kind = mapping.kind
        self.context = ValueContext(tz=ZoneInfo(settings.TIME_ZONE))
        self.people = people or {}
        self.owners_from_column = owners_from_column
        self.headers: dict[str, str] = {}
        for index, name in enumerate(mapping.fields):
            if name is not None and name not in self.headers:
                self.headers[name] = mapping.headers[index] or column_letter(index)

    def read(self, row: Row) -> tuple[Parsed | None, list[Problem]]:
        parsed = parse_row(row, self.mapping, self.context)
        problems = [
            Problem(
                issue.row,
                issue.header or (issue.field and self.headers.get(issue.field, "")) or "",
                issue.value,
                issue.reason,
            )
            for issue in parsed.issues
        ]
        problems.extend(self._too_long(parsed))
        read: Parsed | None
        if self.kind == "customers":
            read = self._customer(parsed, problems)
        elif self.kind == "contacts":
            read = self._contact(parsed, problems)
        else:
            read = self._activity(parsed, problems)
        return (None if problems else read), problems

    def _problem(self, parsed: ParsedRow, field: str, value: str, reason: str) -> Problem:
        return Problem(parsed.number, self.headers.get(field, ""), value, reason)

    def _too_long(self, parsed: ParsedRow) -> list[Problem]:
        found = []
        for field, value in parsed.values.items():
            limit = MAX_CHARS.get(field)
            for text in value if isinstance(value, list) else [value]:
                if limit and isinstance(text, str) and len(text) > limit:
                    reason = _("Longer than %(limit)s characters.") % {"limit": limit}
                    found.append(self._problem(parsed, field, text[:50] + "…", reason))
        return found

    def _text(self, parsed: ParsedRow, field: str) -> str:
        value = parsed.values.get(field)
        return value if isinstance(value, str) else ""

    def _list(self, parsed: ParsedRow, field: str) -> tuple[str, ...]:
        return tuple(parsed.values.get(field) or ())

    def person(self, parsed: ParsedRow, field: str, problems: list[Problem]) -> int | None:
        """The user an owner or "by" cell names, or a problem saying why there is none."""
        text = self._text(parsed, field)
        if not text:
            return None
        key = text.strip().casefold()
        if key not in self.people:
            problems.append(self._problem(parsed, field, text, _("Nobody by this name.")))
            return None
        found = self.people[key]
        if found is None:
            reason = _("Several people answer to this name; use their user name.")
            problems.append(self._problem(parsed, field, text, reason))
        return found

    # --- customers ------------------------------------------------------------------------

    def _customer(self, parsed: ParsedRow, problems: list[Problem]) -> CustomerRow | None:
        contacts: tuple[ContactInput, ...] = ()
        if self._text(parsed, "contact_name"):
            contacts = (
                ContactInput(
                    name=self._text(parsed, "contact_name"),
                    title=self._text(parsed, "contact_title"),
                ),
            )
        data = CustomerInput(
            name=self._text(parsed, "name"),
            kind=self._text(parsed, "kind") or "company",
            aliases=self._list(parsed, "aliases"),
            phones=self._list(parsed, "phones"),
            emails=self._list(parsed, "emails"),
            websites=self._list(parsed, "websites"),
            wechat_ids=self._list(parsed, "wechat"),
            whatsapp_ids=self._list(parsed, "whatsapp"),
            credit_code=self._text(parsed, "credit_code"),
            country=self._text(parsed, "country"),
            region=self._text(parsed, "region"),
            city=self._text(parsed, "city"),
            address=self._text(parsed, "address"),
            industry=self._text(parsed, "industry"),
            source=self._text(parsed, "source"),
            level=self._text(parsed, "level") or "C",
            notes=self._text(parsed, "notes"),
            contacts=contacts,
        )
        try:
            data = data.clean()
        except ValidationError as error:
            told = {problem.column for problem in problems}  # once per cell is enough
            problems.extend(p for p in self._explain(parsed, error) if p.column not in told)
        owner_id = None
        if self.owners_from_column:
            owner_id = self.person(parsed, "owner", problems)
            if owner_id is None and not self._text(parsed, "owner"):
                problems.append(self._problem(parsed, "owner", "", _("The owner is missing.")))
        return CustomerRow(parsed.number, data, owner_id=owner_id)

    def _explain(self, parsed: ParsedRow, error: ValidationError) -> list[Problem]:
        """CustomerInput's messages, each placed in the column it is about."""
        columns = {"contacts": "contact_name", "emails": "emails"}
        found: list[Problem] = []
        for field, messages in error.message_dict.items():
            column = columns.get(field, field)
            value = parsed.values.get(column, "")
            text = ", ".join(value) if isinstance(value, list) else str(value)
            found.extend(self._problem(parsed, column, text, message) for message in messages)
        return found

    # --- contacts and activities ----------------------------------------------------------

    def _reference(self, parsed: ParsedRow, problems: list[Problem]) -> CustomerRef:
        text = self._text(parsed, "customer_id")
        customer_id = None
        if text:
            try:
                customer_id = int(text.strip().lstrip("#"))
            except ValueError:
                problems.append(
                    self._problem(parsed, "customer_id", text, _("Not a customer number."))
                )
        return CustomerRef(
            customer_id=customer_id,
            credit_code=self._text(parsed, "credit_code"),
            name=self._text(parsed, "customer"),
        )

    def _contact(self, parsed: ParsedRow, problems: list[Problem]) -> ContactRow:
        ref = self._reference(parsed, problems)
        name = self._text(parsed, "name")
        if len(name) > CONTACT_NAME_CHARS:
            reason = _("Longer than %(limit)s characters.") % {"limit": CONTACT_NAME_CHARS}
            problems.append(self._problem(parsed, "name", name[:50] + "…", reason))
        phones, emails, wechat = (
            self._list(parsed, "phones"),
            self._list(parsed, "emails"),
            self._list(parsed, "wechat"),
        )
        email = emails[0] if emails else ""
        if email:
            try:
                validate_email(email)
            except ValidationError:
                reason = _("“%(email)s” is not a valid email address.") % {"email": email}
                problems.append(self._problem(parsed, "emails", email, reason))
        # A contact has one phone, e-mail and WeChat ID; the others are kept in the notes.
        extra = [*phones[1:], *emails[1:], *wechat[1:], *self._list(parsed, "whatsapp")]
        notes = "\n".join(part for part in (self._text(parsed, "notes"), " ".join(extra)) if part)
        data = ContactInput(
            name=name,
            title=self._text(parsed, "title"),
            chain_role=self._text(parsed, "chain_role"),
            stance=self._text(parsed, "stance") or "unknown",
            phone=phones[0] if phones else "",
            email=email,
            wechat=wechat[0] if wechat else "",
        )
        return ContactRow(parsed.number, ref, data, notes=notes)

    def _activity(self, parsed: ParsedRow, problems: list[Problem]) -> ActivityRow | None:
        ref = self._reference(parsed, problems)
        by_id = self.person(parsed, "by", problems)
        when = parsed.values.get("when")
        kind = self._text(parsed, "kind")
        if not isinstance(when, datetime) or not kind:
            return None
        duration = parsed.values.get("duration") or 0
        return ActivityRow(
            number=parsed.number,
            customer=ref,
            by_id=by_id,
            kind=kind,
            channel=self._text(parsed, "channel") or "other",
            occurred_at=when,
            duration_minutes=int(duration),
            outcome=self._text(parsed, "outcome"),
            note=self._text(parsed, "note"),
            customer_initiated=bool(parsed.values.get("customer_initiated")),
            contact_names=self._list(parsed, "contacts"),
        )
