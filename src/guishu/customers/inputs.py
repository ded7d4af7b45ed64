"""What a user submits about a customer, validated before anything is written."""

from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from guishu.domain import Level
from guishu.matching import (
    CustomerRecord,
    IdentitySignals,
    is_valid_credit_code,
    normalise_credit_code,
)


@dataclass(frozen=True)
class ContactInput:
    name: str
    title: str = ""
    chain_role: str = ""
    stance: str = "unknown"
    phone: str = ""
    email: str = ""
    wechat: str = ""


@dataclass(frozen=True)
class CustomerInput:
    """A customer as entered: the primary name and every identity signal, in any script."""

    name: str
    kind: str = "company"
    aliases: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    websites: tuple[str, ...] = ()
    wechat_ids: tuple[str, ...] = ()
    whatsapp_ids: tuple[str, ...] = ()
    credit_code: str = ""
    country: str = ""
    region: str = ""
    city: str = ""
    address: str = ""
    industry: str = ""
    source: str = ""
    level: str = Level.C.value
    notes: str = ""
    contacts: tuple[ContactInput, ...] = field(default_factory=tuple)

    def clean(self) -> "CustomerInput":
        """The input with whitespace trimmed and the credit code normalised; raises
        ValidationError (field -> messages) when anything is wrong, before any write."""
        errors: dict[str, list[str]] = {}
        name = self.name.strip()
        if not name:
            errors.setdefault("name", []).append(_("A customer needs a name."))
        if self.kind not in ("company", "person"):
            errors.setdefault("kind", []).append(_("Kind must be company or person."))
        if self.level not in {level.value for level in Level}:
            errors.setdefault("level", []).append(_("Level must be A, B or C."))
        country = self.country.strip().upper()
        if country and (len(country) != 2 or not country.isalpha()):
            errors.setdefault("country", []).append(
                _("Country must be a two-letter ISO code such as CN or DE.")
            )
        credit_code = ""
        if self.credit_code.strip():
            if not is_valid_credit_code(self.credit_code):
                errors.setdefault("credit_code", []).append(
                    _("This is not a valid unified social credit code (统一社会信用代码).")
                )
            else:
                credit_code = normalise_credit_code(self.credit_code) or ""
        for email in [*self.emails, *(c.email for c in self.contacts if c.email)]:
            try:
                validate_email(email.strip())
            except ValidationError:
                errors.setdefault("emails", []).append(
                    _("“%(email)s” is not a valid email address.") % {"email": email}
                )
        for contact in self.contacts:
            if not contact.name.strip():
                errors.setdefault("contacts", []).append(_("Every contact needs a name."))
        if errors:
            raise ValidationError(errors)

        def strip_all(values: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(dict.fromkeys(v.strip() for v in values if v.strip()))

        return CustomerInput(
            name=name,
            kind=self.kind,
            aliases=strip_all(self.aliases),
            phones=strip_all(self.phones),
            emails=strip_all(self.emails),
            websites=strip_all(self.websites),
            wechat_ids=strip_all(self.wechat_ids),
            whatsapp_ids=strip_all(self.whatsapp_ids),
            credit_code=credit_code,
            country=country,
            region=self.region.strip(),
            city=self.city.strip(),
            address=self.address.strip(),
            industry=self.industry.strip(),
            source=self.source.strip(),
            level=self.level,
            notes=self.notes.strip(),
            contacts=self.contacts,
        )

    def signals(self) -> IdentitySignals:
        return IdentitySignals(
            names=(self.name, *self.aliases),
            phones=(*self.phones, *(c.phone for c in self.contacts if c.phone)),
            emails=(*self.emails, *(c.email for c in self.contacts if c.email)),
            websites=self.websites,
            wechat_ids=(*self.wechat_ids, *(c.wechat for c in self.contacts if c.wechat)),
            whatsapp_ids=self.whatsapp_ids,
            credit_code=self.credit_code or None,
            country=self.country or None,
        )

    def record(self, record_id: str = "new") -> CustomerRecord:
        """The input as matching reads it (contacts' details included)."""
        signals = self.signals()
        return CustomerRecord(
            id=record_id,
            names=signals.names,
            phones=signals.phones,
            emails=signals.emails,
            websites=signals.websites,
            wechat_ids=signals.wechat_ids,
            whatsapp_ids=signals.whatsapp_ids,
            credit_code=signals.credit_code,
            country=signals.country,
            city=self.city or None,
            address=self.address or None,
        )

    def as_json(self) -> dict[str, Any]:
        """Everything entered, kept on a collision record so nothing typed is lost."""
        return asdict(self)
