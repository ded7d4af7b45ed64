"""Reasons: the signals behind a verdict, each a translatable sentence and a signed weight.

Business rule: every verdict lists the signals behind it, so a rep who is refused sees why
("same phone number +8613800138000") and a manager can judge a dispute. Messages are English
templates marked with `N_`; the web layer translates the template and fills in the params,
so the matching core never translates anything itself.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


def N_(message: str) -> str:
    """Marks a template for translation without translating it (the core has no catalogue)."""
    return message


# Weights: a strong key alone is enough for "same"; names alone rarely are. Negative weights
# are evidence that two records are different companies.
STRONG = 1.0
NAME_EQUAL = 0.8
NAME_EQUAL_WEAK = 0.45  # a generic name, or one shared by too many customers
TRADE_NAME_EQUAL = 0.45
PINYIN_EQUAL = 0.3
# Two-character homophones, one character off in three: so common between unrelated companies
# that they need a shared city or industry besides to be worth a warning.
WEAK_NAME_MATCH = 0.15
NAME_SIMILAR = 0.3
SAME_PLACE = 0.1
SAME_INDUSTRY = 0.1
NAME_SIMILAR_CLOSE = 0.35
NAME_CONTAINED = 0.2
NAME_MATCHES_DOMAIN = 0.3
SIMILAR_DOMAIN = 0.3
DIFFERENT_CREDIT_CODE = -1.5
DIFFERENT_DOMAIN = -0.5
DIFFERENT_COUNTRY = -0.5
PHONES_ABROAD = -0.3
DIFFERENT_LEGAL_FORM = -0.4
DIFFERENT_CITY = -0.4
DIFFERENT_INDUSTRY = -0.3
DIFFERENT_PHONE = -0.1

MESSAGES: Mapping[str, str] = {
    "same_credit_code": N_("same credit code {code}"),
    "same_phone": N_("same phone number {phone}"),
    "same_email": N_("same e-mail address {email}"),
    "same_company_domain": N_("same company domain {domain}"),
    "same_wechat": N_("same WeChat ID {wechat}"),
    "common_key_ignored": N_("{key} is shared by too many customers to tell them apart"),
    "name_equal": N_("the same name once spelling, script and legal form are set aside: "
                     "{left} / {right}"),
    "generic_name": N_("{name} is a generic name that many companies could have"),
    "trade_name_equal": N_("same trade name {trade}: {left} / {right}"),
    "trade_name_pinyin_equal": N_("the trade names sound the same ({pinyin}): {left} / {right}"),
    "name_similar": N_("similar names ({similarity}% alike): {left} / {right}"),
    "trade_name_contained": N_("one name contains the other: {left} / {right}"),
    "name_matches_domain": N_("the name {name} matches the company domain {domain}"),
    "similar_company_domain": N_("the company domains {left} and {right} carry the same name"),
    "branch_office": N_("{name} is a branch office"),
    "same_city": N_("both in {city}"),
    "same_industry": N_("both in the same line of business: {industry}"),
    "different_credit_code": N_("different credit codes {left} and {right}: two legal entities"),
    "different_company_domain": N_("different company domains {left} and {right}"),
    "different_country": N_("different countries {left} and {right}"),
    "phones_in_other_country": N_("phone numbers in different countries: {left} and {right}"),
    "different_legal_form": N_("legal forms of different countries: {left} / {right}"),
    "different_city": N_("registered in different places: {left} and {right}"),
    "different_industry": N_("different lines of business: {left} / {right}"),
    "different_phone": N_("no phone number in common, though both have numbers in +{code}"),
    "nothing_in_common": N_("no name, phone, e-mail, domain or code in common"),
}  # fmt: skip


@dataclass(frozen=True)
class Reason:
    """One signal behind a verdict: a stable code, a template, its params and a weight."""

    code: str
    message: str
    params: Mapping[str, str] = field(default_factory=dict)
    weight: float = 0.0

    def __str__(self) -> str:
        return self.message.format(**self.params)

    def sort_key(self) -> tuple[float, str, tuple[tuple[str, str], ...]]:
        """Strongest first; ties in a fixed order, so both directions of a comparison agree."""
        return (-abs(self.weight), self.code, tuple(sorted(self.params.items())))

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "params": dict(self.params),
            "weight": self.weight,
        }


def reason(code: str, weight: float = 0.0, /, **params: str) -> Reason:
    return Reason(code=code, message=MESSAGES[code], params=params, weight=weight)


def pair(left: str, right: str) -> dict[str, str]:
    """The two sides' values in a fixed order, so that reasons do not depend on argument order."""
    first, second = sorted((left, right))
    return {"left": first, "right": second}
