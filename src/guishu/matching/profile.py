"""Match profiles: a customer record normalised once, to be compared many times.

Business rule: everything that can be worked out from one record alone is worked out when the
record is written (names parsed into place, trade name, pinyin and industry; phones in E.164;
company domains; the credit code checked), and stored with the customer, so that a
registration check only compares ready-made profiles. A profile keeps what each name was as
typed, because reasons quote it to the rep.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from guishu.matching.chinese_names import (
    INDUSTRY_WORDS,
    is_chinese_name,
    parse_chinese_name,
    pinyin_of,
)
from guishu.matching.credit_code import normalise_credit_code
from guishu.matching.domains import SHARED_PLATFORM_DOMAINS, registrable_domain
from guishu.matching.emails import FREE_MAIL_DOMAINS, company_domain_of_email, normalise_email
from guishu.matching.identity import normalise_wechat_id
from guishu.matching.latin_names import parse_latin_name
from guishu.matching.phones import normalise_phone, normalise_whatsapp_id
from guishu.matching.places import PROVINCE_OF, canonical_place

# Bumped when the stored form changes; profiles of another version are rebuilt from records.
PROFILE_VERSION = 1

Script = Literal["zh", "latin"]


@dataclass(frozen=True)
class CustomerRecord:
    """A customer as entered or imported, in any script and format.

    ``names`` lists the primary name first, then aliases. ``country`` is an ISO 3166 alpha-2
    code, used to read phone numbers typed without a country code (China when unknown).
    """

    id: str
    names: tuple[str, ...]
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    websites: tuple[str, ...] = ()
    wechat_ids: tuple[str, ...] = ()
    whatsapp_ids: tuple[str, ...] = ()
    credit_code: str | None = None
    country: str | None = None
    city: str | None = None
    address: str | None = None


@dataclass(frozen=True, slots=True)
class NameProfile:
    """One name, parsed. For Latin names ``trade`` is the distinctive words, space-separated."""

    text: str  # as typed
    script: Script
    key: str  # the exact key: equal keys are one name
    trade: str  # Chinese 字号 (simplified), or the distinctive Latin words
    pinyin: str  # pinyin of the Chinese trade name, or the distinctive Latin words joined
    regions: tuple[str, ...]
    industry: tuple[str, ...]
    legal_form: str
    branch: str  # "" unless the name is a branch office ("上海分公司")

    @property
    def generic(self) -> bool:
        """Whether nothing in the name identifies a company ("Global Trading Ltd", "电子科技")."""
        return not self.trade or (
            self.script == "zh" and (len(self.trade) < 2 or self.trade in INDUSTRY_WORDS)
        )

    @property
    def marked(self) -> bool:
        """Whether the name shows it is a company's: a legal form, an industry or a place.

        "王伟" or "John Smith" could be a person, and many people share a name.
        """
        return bool(self.legal_form or self.industry or self.regions or self.branch)

    @property
    def tokens(self) -> tuple[str, ...]:
        return tuple(self.trade.split()) if self.script == "latin" else ()


def parse_name(text: str) -> NameProfile:
    """Parses a name in any script; see chinese_names and latin_names for the rules."""
    if is_chinese_name(text):
        zh = parse_chinese_name(text)
        return NameProfile(
            text=text,
            script="zh",
            key=zh.key,
            trade=zh.trade,
            pinyin=pinyin_of(zh.trade),
            regions=zh.regions,
            industry=zh.industry,
            legal_form=zh.legal_form,
            branch=zh.branch,
        )
    latin = parse_latin_name(text)
    return NameProfile(
        text=text,
        script="latin",
        key=latin.key,
        trade=" ".join(latin.distinctive),
        pinyin="".join(latin.distinctive),
        regions=latin.regions,
        industry=latin.industry,
        legal_form=latin.legal_form,
        branch="",
    )


@dataclass(frozen=True)
class MatchProfile:
    """Everything matching needs to know about one customer; see the module docstring.

    Tuples are sorted and free of duplicates (names keep their order: primary first), so two
    profiles of the same record are equal and their JSON is stable.
    """

    id: str
    names: tuple[NameProfile, ...] = ()
    phones: tuple[str, ...] = ()  # E.164
    emails: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()  # registrable company domains, from websites and mail
    credit_code: str | None = None
    wechat_ids: tuple[str, ...] = ()
    country: str | None = None
    city: str | None = None  # canonical place
    places: tuple[str, ...] = ()  # every place in the names and the city, canonical

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict, stored with the customer; `from_json` reads it back."""
        return {
            "v": PROFILE_VERSION,
            "id": self.id,
            "names": [
                {
                    "text": name.text,
                    "script": name.script,
                    "key": name.key,
                    "trade": name.trade,
                    "pinyin": name.pinyin,
                    "regions": list(name.regions),
                    "industry": list(name.industry),
                    "legal_form": name.legal_form,
                    "branch": name.branch,
                }
                for name in self.names
            ],
            "phones": list(self.phones),
            "emails": list(self.emails),
            "domains": list(self.domains),
            "credit_code": self.credit_code,
            "wechat_ids": list(self.wechat_ids),
            "country": self.country,
            "city": self.city,
            "places": list(self.places),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "MatchProfile":
        """The profile `to_json` wrote. Raises ValueError for another version: rebuild it."""
        if data.get("v") != PROFILE_VERSION:
            raise ValueError(f"match profile version {data.get('v')!r} is not {PROFILE_VERSION}")
        return cls(
            id=str(data["id"]),
            names=tuple(
                NameProfile(
                    text=str(name["text"]),
                    script="zh" if name["script"] == "zh" else "latin",
                    key=str(name["key"]),
                    trade=str(name["trade"]),
                    pinyin=str(name["pinyin"]),
                    regions=tuple(name["regions"]),
                    industry=tuple(name["industry"]),
                    legal_form=str(name["legal_form"]),
                    branch=str(name["branch"]),
                )
                for name in data["names"]
            ),
            phones=tuple(data["phones"]),
            emails=tuple(data["emails"]),
            domains=tuple(data["domains"]),
            credit_code=data["credit_code"],
            wechat_ids=tuple(data["wechat_ids"]),
            country=data["country"],
            city=data["city"],
            places=tuple(data["places"]),
        )


def _unique(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(sorted({value for value in values if value}))


def _country(raw: str | None) -> str | None:
    code = (raw or "").strip().upper()
    return code if len(code) == 2 and code.isascii() and code.isalpha() else None


def _city(record: CustomerRecord) -> str | None:
    city = canonical_place(record.city)
    if city is None and record.address:
        # Chinese addresses start with province and city ("广东省深圳市南山区…"); other
        # addresses are too free-form to read a city from, so only known places count.
        place = canonical_place(record.address)
        city = place if place in PROVINCE_OF else None
    return city


def _website_domain(website: str) -> str | None:
    domain = registrable_domain(website)
    # A LinkedIn page or a QQ space is not the customer's own site.
    if domain in SHARED_PLATFORM_DOMAINS or domain in FREE_MAIL_DOMAINS:
        return None
    return domain


def build_profile(record: CustomerRecord) -> MatchProfile:
    """Normalises a record once. Never raises: signals that identify nobody are left out."""
    names: dict[str, NameProfile] = {}
    for text in record.names:
        parsed = parse_name(text)
        if parsed.key and parsed.key not in names:
            names[parsed.key] = parsed
    country = _country(record.country)
    city = _city(record)
    places = {place for name in names.values() for place in name.regions}
    if city:
        places.add(city)
    return MatchProfile(
        id=record.id,
        names=tuple(names.values()),
        phones=_unique(
            [normalise_phone(phone, country) for phone in record.phones]
            + [normalise_whatsapp_id(whatsapp, country) for whatsapp in record.whatsapp_ids]
        ),
        emails=_unique(normalise_email(email) for email in record.emails),
        domains=_unique(
            [company_domain_of_email(email) for email in record.emails]
            + [_website_domain(website) for website in record.websites]
        ),
        credit_code=normalise_credit_code(record.credit_code) if record.credit_code else None,
        wechat_ids=_unique(normalise_wechat_id(wechat) for wechat in record.wechat_ids),
        country=country,
        city=city,
        places=tuple(sorted(places)),
    )
