"""Pairwise comparison of two match profiles: a verdict, a score and the reasons behind it.

Business rules, in the order they decide:

1. Different valid credit codes are two legal entities: DIFFERENT, whatever else they share
   (a group's companies often share a switchboard).
2. A shared strong key (phone, e-mail, company domain, credit code, WeChat ID) is SAME, unless
   the records contradict each other strongly (different company domains, different
   countries): then POSSIBLE, for a person to look at. A strong key shared by too many
   customers (`common_keys`: a business centre's switchboard, an agent's domain) does not
   count; the reason "common_key_ignored" says so.
3. Without a strong key, names decide: names identical once spelling, script, legal form,
   region and industry are normalised are SAME, if nothing speaks against it. A generic
   name ("Global Trading"), a name with nothing showing it is a company's ("王伟", "John
   Smith": many people share one) or a name too many customers share is only POSSIBLE. A
   shared trade name, a pinyin match, a typo-close name is POSSIBLE: a warning the rep
   confirms or disputes. Two-character homophones and a slip in a three-character trade
   name are so common between strangers that they also need a shared city or industry.
4. Negative evidence lowers the score: different company domains, different places for the
   same trade name, different countries, different industries, no phone in common. Enough of
   it turns a name match into DIFFERENT.

`compare(a, b)` and `compare(b, a)` give the same verdict, score and reasons.
"""

import enum
import functools
import itertools
from dataclasses import dataclass

import phonenumbers
from rapidfuzz.distance import OSA, Levenshtein

from guishu.matching import reasons as w
from guishu.matching.blocking import domain_label
from guishu.matching.identity import IdentityKey, KeyKind
from guishu.matching.latin_names import legal_form_countries
from guishu.matching.places import PROVINCE_OF, locate
from guishu.matching.profile import MatchProfile, NameProfile
from guishu.matching.reasons import Reason, pair, reason


class Verdict(enum.StrEnum):
    """SAME is a hard collision (registration refused), POSSIBLE a warning to confirm."""

    SAME = "same"
    POSSIBLE = "possible"
    DIFFERENT = "different"


@dataclass(frozen=True)
class Match:
    """The verdict on a pair of customers, a score in 0..1 and the reasons, strongest first.

    Scores are banded by verdict: SAME 0.8-1, POSSIBLE 0.4-0.79, DIFFERENT 0-0.39.
    """

    verdict: Verdict
    score: float
    reasons: tuple[Reason, ...]


Relation = tuple[float, str, dict[str, str]]  # (weight, reason code, reason params)

_SAME_BY_NAME = 0.6  # a name-equal pair stays SAME down to this total
_POSSIBLE = 0.2
_FUZZY_NAME_CODES = frozenset(
    {"trade_name_equal", "trade_name_pinyin_equal", "name_similar", "trade_name_contained"}
)
_STRONG_CODES = frozenset(
    {"same_credit_code", "same_phone", "same_email", "same_company_domain", "same_wechat"}
)
# What stops a shared strong key from being SAME on its own.
_CONTRADICTIONS = frozenset({"different_company_domain", "different_country"})
# What stops equal names from being SAME: any negative evidence but a missing phone match.
_NAME_CONTRADICTIONS = _CONTRADICTIONS | {
    "phones_in_other_country",
    "different_city",
    "different_legal_form",
    "different_industry",
}


@functools.cache
def _calling_code(e164: str) -> str:
    digits = e164.lstrip("+")
    for length in (1, 2, 3):
        if int(digits[:length] or 0) in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            return digits[:length]
    return digits[:3]


def _shared_keys(
    kind: KeyKind, left: tuple[str, ...], right: tuple[str, ...], common: frozenset[IdentityKey]
) -> tuple[list[str], list[Reason]]:
    """Values both sides have that still count, and a reason for each one that does not."""
    counted: list[str] = []
    ignored: list[Reason] = []
    for value in sorted(set(left) & set(right)):
        key = IdentityKey(kind, value)
        if key in common:
            ignored.append(reason("common_key_ignored", key=str(key)))
        else:
            counted.append(value)
    return counted, ignored


def _strong_evidence(
    a: MatchProfile, b: MatchProfile, common: frozenset[IdentityKey]
) -> list[Reason]:
    found: list[Reason] = []
    if a.credit_code and b.credit_code and a.credit_code != b.credit_code:
        pair_codes = pair(a.credit_code, b.credit_code)
        found.append(reason("different_credit_code", w.DIFFERENT_CREDIT_CODE, **pair_codes))
    codes, ignored = _shared_keys(
        KeyKind.CREDIT_CODE, (a.credit_code or "",), (b.credit_code or "",), common
    )
    found += ignored + [reason("same_credit_code", w.STRONG, code=c) for c in codes if c][:1]
    phones, ignored = _shared_keys(KeyKind.PHONE, a.phones, b.phones, common)
    found += ignored + [reason("same_phone", w.STRONG, phone=phone) for phone in phones[:1]]
    if not phones and not ignored and a.phones and b.phones:
        # Only numbers in one country say anything: a foreign buyer's local number and its
        # Chinese agent's number are not in conflict.
        in_both = {_calling_code(p) for p in a.phones} & {_calling_code(p) for p in b.phones}
        if in_both:
            found.append(reason("different_phone", w.DIFFERENT_PHONE, code=min(in_both)))
    emails, ignored = _shared_keys(KeyKind.EMAIL, a.emails, b.emails, common)
    found += ignored + [reason("same_email", w.STRONG, email=email) for email in emails[:1]]
    domains, ignored = _shared_keys(KeyKind.DOMAIN, a.domains, b.domains, common)
    found += ignored + [reason("same_company_domain", w.STRONG, domain=d) for d in domains[:1]]
    if not domains and not ignored and a.domains and b.domains:
        found.append(_domain_difference(a.domains, b.domains))
    wechats, ignored = _shared_keys(KeyKind.WECHAT, a.wechat_ids, b.wechat_ids, common)
    found += ignored + [reason("same_wechat", w.STRONG, wechat=wechat) for wechat in wechats[:1]]
    return found


def _domain_difference(left: tuple[str, ...], right: tuple[str, ...]) -> Reason:
    """acme.com and acme.com.cn carry one name (most often one company in two countries);
    acme.com and acme-tools.de contradict each other."""
    twins = sorted(
        tuple(sorted((x, y)))
        for x, y in itertools.product(left, right)
        if domain_label(x) == domain_label(y) and len(domain_label(x)) >= 4
    )
    if twins:
        return reason("similar_company_domain", w.SIMILAR_DOMAIN, **pair(*twins[0]))
    return reason("different_company_domain", w.DIFFERENT_DOMAIN, **pair(left[0], right[0]))


def _name_relation(x: NameProfile, y: NameProfile) -> Relation | None:
    """How two single names relate, as (weight, code, params); symmetric in x and y."""
    names = pair(x.text, y.text)
    if x.key == y.key:
        return w.NAME_EQUAL, "name_equal", names
    if x.generic or y.generic:
        return None
    if x.trade == y.trade or (x.script == y.script == "latin" and x.pinyin == y.pinyin):
        return w.TRADE_NAME_EQUAL, "trade_name_equal", {"trade": x.trade, **names}
    if x.pinyin == y.pinyin and len(x.pinyin) >= 4:
        # Two Chinese characters sound like many other pairs (利瑜, 利裕); three rarely do.
        weak = x.script == y.script == "zh" and min(len(x.trade), len(y.trade)) < 3
        weight = w.WEAK_NAME_MATCH if weak else w.PINYIN_EQUAL
        return weight, "trade_name_pinyin_equal", {"pinyin": x.pinyin, **names}
    if x.script == y.script == "zh":
        # One character off in a trade name of three or more (a typo); in two characters
        # one off is half the name, so only the pinyin match above catches those.
        if min(len(x.trade), len(y.trade)) >= 3 and Levenshtein.distance(x.trade, y.trade) <= 1:
            percent = str(round(100 * (1 - 1 / max(len(x.trade), len(y.trade)))))
            weight = w.WEAK_NAME_MATCH if max(len(x.trade), len(y.trade)) < 4 else w.NAME_SIMILAR
            return weight, "name_similar", {"similarity": percent, **names}
        if x.trade in y.trade or y.trade in x.trade:
            return w.NAME_CONTAINED, "trade_name_contained", names
        return None
    # One typing slip (a letter wrong, missing, extra or two swapped) in five letters or more,
    # two in ten or more; a romanised name against pinyin needs one more letter.
    shorter = min(len(x.pinyin), len(y.pinyin)) - (x.script != y.script)
    allowed = 2 if shorter >= 10 else 1 if shorter >= 5 else 0
    if allowed and OSA.distance(x.pinyin, y.pinyin, score_cutoff=allowed) <= allowed:
        similarity = float(OSA.normalized_similarity(x.pinyin, y.pinyin))
        weight = w.NAME_SIMILAR_CLOSE if similarity >= 0.9 else w.NAME_SIMILAR
        percent = str(round(similarity * 100))
        return weight, "name_similar", {"similarity": percent, **names}
    if x.script == y.script == "latin":
        tokens_x, tokens_y = set(x.tokens), set(y.tokens)
        if (tokens_x < tokens_y or tokens_y < tokens_x) and min(len(x.pinyin), len(y.pinyin)) >= 4:
            return w.NAME_CONTAINED, "trade_name_contained", names
    return None


def _best_names(a: MatchProfile, b: MatchProfile) -> tuple[NameProfile, NameProfile, Relation]:
    """The closest pair of names: highest weight, then the alphabetically first pair."""
    found: list[tuple[float, tuple[str, ...], NameProfile, NameProfile, Relation]] = []
    for x, y in itertools.product(a.names, b.names):
        relation = _name_relation(x, y)
        if relation is not None:
            found.append((relation[0], tuple(sorted((x.text, y.text))), x, y, relation))
    if not found:
        raise LookupError("no related names")
    _, _, x, y, relation = min(found, key=lambda item: (-item[0], item[1]))
    return x, y, relation


def _name_evidence(
    a: MatchProfile, b: MatchProfile, common: frozenset[IdentityKey]
) -> list[Reason]:
    try:
        x, y, (weight, code, params) = _best_names(a, b)
    except LookupError:
        return _name_domain_evidence(a, b)
    found: list[Reason] = []
    if code == "name_equal":
        key = IdentityKey(KeyKind.NAME, x.key)
        if x.generic or not (x.marked or y.marked):
            # "Global Trading", or "王伟" with nothing showing it is a company: many share it.
            weight = w.NAME_EQUAL_WEAK
            found.append(reason("generic_name", name=min(x.text, y.text)))
        elif key in common:
            weight = w.NAME_EQUAL_WEAK
            found.append(reason("common_key_ignored", key=str(key)))
    found.append(reason(code, weight, **params))
    for name in sorted({x, y}, key=lambda name: name.text):
        if name.branch:
            found.append(reason("branch_office", name=name.text))
    shared_industry = sorted(set(x.industry) & set(y.industry))
    if code != "name_equal" and _different_industries(x, y):
        between = pair(" ".join(x.industry), " ".join(y.industry))
        found.append(reason("different_industry", w.DIFFERENT_INDUSTRY, **between))
    elif code in _FUZZY_NAME_CODES and shared_industry:
        found.append(reason("same_industry", w.SAME_INDUSTRY, industry=shared_industry[0]))
    if x.script == y.script == "latin":
        countries_x, countries_y = (
            legal_form_countries(x.legal_form),
            legal_form_countries(y.legal_form),
        )
        if countries_x and countries_y and not countries_x & countries_y:
            forms = pair(x.legal_form, y.legal_form)
            found.append(reason("different_legal_form", w.DIFFERENT_LEGAL_FORM, **forms))
    return found


def _different_industries(x: NameProfile, y: NameProfile) -> bool:
    """Both names state a line of business, in one language, and none is shared."""
    industries_x, industries_y = set(x.industry), set(y.industry)
    if x.script != y.script or not industries_x or not industries_y:
        return False
    return not industries_x & industries_y


def _name_domain_evidence(a: MatchProfile, b: MatchProfile) -> list[Reason]:
    """ "BYTEDANCE LTD." and a customer at bytedance.com: a brand name only the domain links."""
    found = sorted(
        (name.text, domain)
        for left, right in ((a, b), (b, a))
        for name in left.names
        for domain in right.domains
        # Six letters or more: "hengda.com" could belong to any of the many 恒达s.
        if len(name.pinyin) >= 6 and name.pinyin == domain_label(domain)
    )
    if not found:
        return []
    name, domain = found[0]
    return [reason("name_matches_domain", w.NAME_MATCHES_DOMAIN, name=name, domain=domain)]


def _place_conflict(a: MatchProfile, b: MatchProfile) -> Reason | None:
    """Different provinces, or different cities, for places we can put on the map; and two
    different city fields for places abroad."""
    if any(name.branch for name in (*a.names, *b.names)):
        return None  # a branch is elsewhere by nature
    known_a = [p for p in a.places if p in PROVINCE_OF]
    known_b = [p for p in b.places if p in PROVINCE_OF]
    for level in ("province", "city"):
        found_a = {getattr(locate(p), level) for p in known_a} - {None}
        found_b = {getattr(locate(p), level) for p in known_b} - {None}
        if found_a and found_b and not found_a & found_b:
            return reason("different_city", w.DIFFERENT_CITY, **pair(min(found_a), min(found_b)))
    abroad = (a.city, b.city)
    if all(abroad) and a.city != b.city and not {a.city, b.city} & PROVINCE_OF.keys():
        return reason("different_city", w.DIFFERENT_CITY, **pair(str(a.city), str(b.city)))
    return None


def _same_city(a: MatchProfile, b: MatchProfile) -> list[Reason]:
    """Both placed in one known city: a little more reason to think two near names are one."""
    cities_a = {locate(p).city for p in a.places} - {None}
    cities_b = {locate(p).city for p in b.places} - {None}
    shared = sorted(str(city) for city in cities_a & cities_b)
    return [reason("same_city", w.SAME_PLACE, city=shared[0])] if shared else []


def _without_weight(item: Reason, code: str) -> Reason:
    return Reason(item.code, item.message, item.params, 0.0) if item.code == code else item


def _calling_codes(profile: MatchProfile) -> frozenset[str]:
    if profile.country:
        code = phonenumbers.country_code_for_region(profile.country)
        return frozenset({str(code)}) if code else frozenset()
    return frozenset(_calling_code(phone) for phone in profile.phones)


def _country_conflict(a: MatchProfile, b: MatchProfile) -> Reason | None:
    """Different countries as recorded; else, for a record without one, its phones' country."""
    if a.country and b.country:
        if a.country == b.country:
            return None
        return reason("different_country", w.DIFFERENT_COUNTRY, **pair(a.country, b.country))
    codes_a, codes_b = _calling_codes(a), _calling_codes(b)
    if codes_a and codes_b and not codes_a & codes_b:
        between = pair("+" + min(codes_a), "+" + min(codes_b))
        return reason("phones_in_other_country", w.PHONES_ABROAD, **between)
    return None


def _score(verdict: Verdict, total: float) -> float:
    def scaled(value: float) -> float:
        return min(1.0, max(0.0, value))

    if verdict is Verdict.SAME:
        score = 0.8 + 0.2 * scaled((total - _SAME_BY_NAME) / 1.4)
    elif verdict is Verdict.POSSIBLE:
        score = 0.4 + 0.39 * scaled((total - _POSSIBLE) / 0.8)
    else:
        score = 0.39 * scaled((total + 1.0) / 1.2)
    return round(score, 4)


def compare(
    a: MatchProfile, b: MatchProfile, *, common_keys: frozenset[IdentityKey] = frozenset()
) -> Match:
    """Judges whether two profiles are one customer; see the module docstring for the rules."""
    found = _strong_evidence(a, b, common_keys)
    names = _name_evidence(a, b, common_keys)
    if any(item.weight > 0 for item in names):
        # acme.com and acme.de say the name again; they add nothing to equal names.
        found = [_without_weight(item, "similar_company_domain") for item in found]
    found += names
    conflict = _place_conflict(a, b)
    if conflict is not None:
        found.append(conflict)
    elif any(item.code in _FUZZY_NAME_CODES for item in found):
        found += _same_city(a, b)
    country = _country_conflict(a, b)
    if country is not None:
        found.append(country)
    found.sort(key=Reason.sort_key)
    # Rounded so that 0.3 - 0.1 is 0.2 whatever the order of the terms.
    total = round(sum(item.weight for item in found), 6)
    codes = {item.code for item in found}
    name_equal = any(item.code == "name_equal" and item.weight == w.NAME_EQUAL for item in found)
    if "different_credit_code" in codes:
        verdict = Verdict.DIFFERENT
    elif codes & _STRONG_CODES:
        verdict = Verdict.POSSIBLE if codes & _CONTRADICTIONS else Verdict.SAME
    elif name_equal and total >= _SAME_BY_NAME and not codes & _NAME_CONTRADICTIONS:
        verdict = Verdict.SAME
    elif total >= _POSSIBLE:
        verdict = Verdict.POSSIBLE
    else:
        verdict = Verdict.DIFFERENT
    if not any(item.weight > 0 for item in found):
        found.append(reason("nothing_in_common"))
    return Match(verdict=verdict, score=_score(verdict, total), reasons=tuple(found))
