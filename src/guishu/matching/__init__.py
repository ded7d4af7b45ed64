"""Customer identity matching: decides from names, phones, e-mails, web domains, credit codes and
messenger IDs whether two customer records are the same customer. Pure Python, no Django."""

from guishu.matching.identity import (
    FREE_MAIL_DOMAINS,
    SHARED_PLATFORM_DOMAINS,
    IdentityKey,
    IdentitySignals,
    KeyKind,
    company_domain_of_email,
    identity_keys,
    is_valid_credit_code,
    normalise_credit_code,
    normalise_email,
    normalise_name,
    normalise_phone,
    normalise_wechat_id,
    normalise_whatsapp_id,
    registrable_domain,
)

__all__ = [
    "FREE_MAIL_DOMAINS",
    "SHARED_PLATFORM_DOMAINS",
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
