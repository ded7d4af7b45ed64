"""Customer identity matching: decides from names, phones, e-mails, web domains, credit codes and
messenger IDs whether two customer records are the same customer. Pure Python, no Django.

Exact keys (`identity_keys`) are what the services store today; the fuzzy layer builds a
`MatchProfile` per customer (`build_profile`), stores it under a few `blocking_keys`, and judges
candidates with `compare`, which gives a `Verdict` with its `Reason`s.
"""

from guishu.matching.blocking import blocking_keys
from guishu.matching.compare import Match, Verdict, compare
from guishu.matching.identity import (
    FREE_MAIL_DOMAINS,
    SHARED_PLATFORM_DOMAINS,
    STRONG_KINDS,
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
from guishu.matching.index import MatchIndex, find_matches
from guishu.matching.profile import (
    CustomerRecord,
    MatchProfile,
    NameProfile,
    build_profile,
    parse_name,
)
from guishu.matching.reasons import Reason

__all__ = [
    "FREE_MAIL_DOMAINS",
    "SHARED_PLATFORM_DOMAINS",
    "STRONG_KINDS",
    "CustomerRecord",
    "IdentityKey",
    "IdentitySignals",
    "KeyKind",
    "Match",
    "MatchIndex",
    "MatchProfile",
    "NameProfile",
    "Reason",
    "Verdict",
    "blocking_keys",
    "build_profile",
    "company_domain_of_email",
    "compare",
    "find_matches",
    "identity_keys",
    "is_valid_credit_code",
    "normalise_credit_code",
    "normalise_email",
    "normalise_name",
    "normalise_phone",
    "normalise_wechat_id",
    "normalise_whatsapp_id",
    "parse_name",
    "registrable_domain",
]
