"""Exact identity keys: the facts that make two customer records the same customer.

Business rule: two records that share any exact identity key (a name spelled the same once
normalised, a phone number, an e-mail address, a company web or mail domain, a credit code, a
WeChat ID) are treated as the same customer, and registering or claiming the second one is a
collision (撞单). Each signal is normalised first, so that a number typed with or without
"+86" or a name with or without "Co., Ltd" gives the same key. Signals that cannot identify
anyone (an invalid number, a free-mail domain, a name that is only a legal form) give no key
rather than an error, because customer records are full of half-typed data.
"""

import enum
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from guishu.matching.credit_code import is_valid_credit_code, normalise_credit_code
from guishu.matching.domains import SHARED_PLATFORM_DOMAINS, registrable_domain
from guishu.matching.emails import FREE_MAIL_DOMAINS, company_domain_of_email, normalise_email
from guishu.matching.names import normalise_name
from guishu.matching.phones import normalise_phone, normalise_whatsapp_id

__all__ = [
    "FREE_MAIL_DOMAINS",
    "SHARED_PLATFORM_DOMAINS",
    "STRONG_KINDS",
    "IdentityKey",
    "IdentitySignals",
    "KeyKind",
    "company_domain_of_email",
    "identity_keys",
    "is_valid_credit_code",
    "normalise_credit_code",
    "normalise_email",
    "normalise_name",
    "normalise_phone",
    "normalise_wechat_id",
    "normalise_whatsapp_id",
    "registrable_domain",
]


class KeyKind(enum.StrEnum):
    """What kind of fact an identity key records.

    Strong kinds identify a customer on their own: one phone number, mailbox, company domain,
    credit code or WeChat ID belongs to one company (unless too many customers share it, see
    `compare`). The other kinds are retrieval hints: they find candidates worth comparing,
    and only the comparison decides. Values fit the 16 characters of the stored column.
    """

    NAME = "name"  # the whole name, normalised
    PHONE = "phone"
    EMAIL = "email"
    DOMAIN = "domain"
    CREDIT_CODE = "credit_code"
    WECHAT = "wechat"
    TRADE_NAME = "trade_name"  # a Chinese trade name (字号), simplified
    PINYIN = "pinyin"  # the pinyin of a trade name, or a Latin name's distinctive words joined
    NAME_TOKEN = "name_token"  # noqa: S105 - one distinctive Latin word  # nosec B105
    NAME_GRAM = "name_gram"  # two adjacent characters of a Chinese trade name
    NAME_TYPO = "name_typo"  # a Latin name's only distinctive word with one letter deleted

    @property
    def is_strong(self) -> bool:
        """Whether a shared key of this kind makes two customers one on its own."""
        return self in STRONG_KINDS


STRONG_KINDS: frozenset[KeyKind] = frozenset(
    {KeyKind.PHONE, KeyKind.EMAIL, KeyKind.DOMAIN, KeyKind.CREDIT_CODE, KeyKind.WECHAT}
)


@dataclass(frozen=True, order=True, slots=True)
class IdentityKey:
    """One normalised identity fact; equal keys on two customers mean one customer."""

    kind: KeyKind
    value: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


@dataclass(frozen=True, slots=True)
class IdentitySignals:
    """Everything known about who a customer is, as typed by people or imported.

    ``names`` lists the primary name first, then aliases, in any script. ``country`` is the
    customer's ISO 3166 alpha-2 country, used to read phone numbers typed without a country
    code; when it is unknown they are read as Chinese.
    """

    names: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    websites: tuple[str, ...] = ()
    wechat_ids: tuple[str, ...] = ()
    whatsapp_ids: tuple[str, ...] = ()  # WhatsApp IDs are phone numbers, so they give PHONE keys
    credit_code: str | None = None
    country: str | None = None


def normalise_wechat_id(raw: str) -> str | None:
    """A WeChat ID trimmed and case-folded, or None when nothing is left.

    WeChat IDs are not case-sensitive, and full-width letters from a Chinese input method are
    read as their ASCII forms.
    """
    text = unicodedata.normalize("NFKC", raw).strip().casefold()
    return text or None


def _keys(signals: IdentitySignals) -> Iterator[tuple[KeyKind, str | None]]:
    for name in signals.names:
        yield KeyKind.NAME, normalise_name(name)
    for phone in signals.phones:
        yield KeyKind.PHONE, normalise_phone(phone, signals.country)
    for whatsapp_id in signals.whatsapp_ids:
        yield KeyKind.PHONE, normalise_whatsapp_id(whatsapp_id, signals.country)
    for email in signals.emails:
        yield KeyKind.EMAIL, normalise_email(email)
        yield KeyKind.DOMAIN, company_domain_of_email(email)
    for website in signals.websites:
        domain = registrable_domain(website)
        # A LinkedIn page or a QQ space is not the customer's own site; see SHARED_PLATFORM_DOMAINS.
        if domain in SHARED_PLATFORM_DOMAINS or domain in FREE_MAIL_DOMAINS:
            continue
        yield KeyKind.DOMAIN, domain
    for wechat_id in signals.wechat_ids:
        yield KeyKind.WECHAT, normalise_wechat_id(wechat_id)
    if signals.credit_code:
        yield KeyKind.CREDIT_CODE, normalise_credit_code(signals.credit_code)


def identity_keys(signals: IdentitySignals) -> frozenset[IdentityKey]:
    """All exact identity keys of a customer; signals that identify nobody give no key.

    These are the exact kinds only; `blocking_keys` adds the fuzzy retrieval keys.

    Never raises on any text: a half-typed phone number must not stop a registration.
    """
    return frozenset(IdentityKey(kind, value) for kind, value in _keys(signals) if value)
