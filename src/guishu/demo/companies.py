"""Demo customers: domestic Chinese companies (and a few sole traders) and foreign buyers,
with contacts in the decision chain and identity signals that no other demo customer shares.

Uniqueness is checked against the real identity keys (guishu.matching), so a demo customer
collides with another only where the story plants a collision.
"""

import random
from dataclasses import dataclass, replace

from guishu.customers.inputs import ContactInput, CustomerInput
from guishu.demo import names
from guishu.demo.foreign import COUNTRIES, DOMESTIC_SOURCES, FOREIGN_SOURCES, Country
from guishu.demo.foreign import FREE_MAIL as FOREIGN_FREE_MAIL
from guishu.demo.signals import chinese_name, credit_code, mobile, slug, valid_phone
from guishu.matching import IdentityKey, KeyKind, blocking_keys, build_profile

WEIGHTS = [country.weight for country in COUNTRIES]
STANCES = ("supporter", "supporter", "neutral", "neutral", "neutral", "opponent", "unknown")


@dataclass(frozen=True)
class DemoCustomer:
    """A customer as a rep would enter it, with the facts the story needs about it."""

    data: CustomerInput
    domestic: bool
    currency: str
    size: str  # small, mid or large: drives contacts, order sizes and the level
    short: str = ""  # what colleagues call a Chinese company: 恒达精密


class KeyBook:
    """Which demo customer holds each identity key, so that no two share one by accident."""

    def __init__(self) -> None:
        self.owner: dict[IdentityKey, int] = {}

    def free(self, keys: frozenset[IdentityKey]) -> bool:
        return bool(keys) and not any(key in self.owner for key in keys)

    def take(self, keys: frozenset[IdentityKey], index: int) -> None:
        for key in keys:
            self.owner[key] = index


def keys_of(data: CustomerInput) -> frozenset[IdentityKey]:
    """The keys that make a `same` verdict on their own: strong keys and the folded name.

    Two demo companies sharing one would be one customer to collision detection.
    """
    return frozenset(
        key
        for key in blocking_keys(build_profile(data.record()))
        if key.kind.is_strong or key.kind is KeyKind.NAME
    )


def domestic(rng: random.Random) -> DemoCustomer:
    province, city, division, area, _city_py, city_en = rng.choice(names.CITIES)
    brand, brand_py = rng.choice(names.BRANDS)
    trade, trade_py, trade_en, industry = rng.choice(names.TRADES)
    size = rng.choices(("small", "mid", "large"), (45, 42, 13))[0]
    if size == "small" and rng.random() < 0.08:
        return _domestic_person(rng, province, city)
    legal = "股份有限公司" if size == "large" and rng.random() < 0.5 else "有限公司"
    name = f"{city}{brand}{trade}{legal}"
    local = valid_phone(rng, f"+86 {area} {'XNNNNNN' if area == '592' else 'XNNNNNNN'}")
    local = local.rpartition(" ")[2]  # Xiamen (0592) still has seven-digit numbers
    landline = rng.choice(
        (f"0{area}-{local}", f"+86 {area} {local}", f"(0{area}) {local[:4]} {local[4:]}")
    )
    data = CustomerInput(
        name=name,
        country="CN",
        region=province,
        city=city,
        # Municipalities (上海, 北京, 天津) are provinces of their own: no 省 before them.
        address=("" if province == city else f"{province}省")
        + f"{city}市{rng.choice(names.ROADS)}{rng.randint(1, 888)}号",
        industry=names.INDUSTRY[industry],
        source=_weighted(rng, DOMESTIC_SOURCES),
        level=_level(rng, size),
        credit_code=credit_code(rng, division) if rng.random() < 0.9 else "",
        phones=(landline,),
    )
    if size == "small":
        mailbox = rng.choice(names.FREE_MAIL)
        local = (
            str(rng.randint(10**8, 10**10))
            if mailbox.startswith("qq")
            else (names.joined(brand_py) + str(rng.randint(10, 99)))
        )
        contact = _domestic_contact(rng, f"{local}@{mailbox}", "")
        return DemoCustomer(
            replace(data, contacts=(contact,)), True, "CNY", size, brand + trade[:2]
        )
    domain = _domestic_domain(rng, brand_py, trade_py)
    english = f"{city_en} {names.joined(brand_py).capitalize()} {trade_en} Co., Ltd."
    contacts = tuple(_domestic_contact(rng, "", domain) for _ in range(2 if size == "mid" else 3))
    data = replace(
        data,
        websites=(rng.choice((f"www.{domain}", f"http://www.{domain}", domain)),),
        emails=(f"{rng.choice(('sales', 'info', 'admin', 'service'))}@{domain}",),
        aliases=(english,) if rng.random() < 0.5 else (),
        contacts=contacts,
    )
    return DemoCustomer(data, True, "CNY", size, brand + trade[:2])


def _domestic_person(rng: random.Random, province: str, city: str) -> DemoCustomer:
    """A sole trader: a person, reached on a mobile and WeChat."""
    number = mobile(rng)
    data = CustomerInput(
        name=chinese_name(rng),
        kind="person",
        country="CN",
        region=province,
        city=city,
        industry=names.INDUSTRY["trading"],
        source=_weighted(rng, DOMESTIC_SOURCES),
        level="C",
        phones=(number,),
        wechat_ids=(f"wx{number.replace(' ', '')[-8:]}{rng.randint(1, 9)}",),
        notes="个体经营，多在微信下单 / Sole trader, orders over WeChat",
    )
    return DemoCustomer(data, True, "CNY", "small")


def _domestic_domain(rng: random.Random, brand_py: str, trade_py: str) -> str:
    tld = rng.choice(("com.cn", "com.cn", "com", "cn"))
    style = rng.random()
    if style < 0.45:
        stem = names.initials(brand_py) + names.initials(" ".join(trade_py.split()[:2]))
    elif style < 0.8:
        stem = names.joined(brand_py) + rng.choice(("", "-group", "tech", str(rng.randint(6, 99))))
    else:
        stem = names.joined(brand_py) + names.initials(trade_py)
    return f"{stem}.{tld}"


def _domestic_contact(rng: random.Random, email: str, domain: str) -> ContactInput:
    title, role = rng.choice(names.DOMESTIC_TITLES)
    number = mobile(rng)
    if domain and not email and rng.random() < 0.5:
        mailbox = rng.choice(("cg", "purchase", "tech", "gm", "fin"))
        email = f"{mailbox}{rng.randint(1, 99):02d}@{domain}"
    wechat = number.replace(" ", "") if rng.random() < 0.5 else ""
    return ContactInput(
        name=chinese_name(rng),
        title=title,
        chain_role=role,
        stance=rng.choice(STANCES),
        phone=number,
        email=email,
        wechat=wechat,
    )


def foreign(rng: random.Random, country: Country) -> DemoCustomer:
    region, city, pattern = rng.choice(country.cities)
    surname, other = rng.sample(country.surnames, 2)
    place = rng.choice(country.places) if country.places else surname
    word, industry = rng.choice(country.words)
    form = rng.choice(country.forms)
    template = rng.choice(country.patterns)
    parts = {"s": surname, "s2": other, "p": place, "w": word, "f": form}
    name = template.format(**{k: v.split("|")[0] for k, v in parts.items()})
    aliases: tuple[str, ...] = ()
    if "|" in form:  # Japanese firms also go by their name in kanji: 高橋精機株式会社
        aliases = (surname.split("|")[1] + word.split("|")[1] + form.split("|")[1],)
    size = rng.choices(("small", "mid", "large"), (30, 48, 22))[0]
    data = CustomerInput(
        name=name,
        aliases=aliases,
        country=country.code,
        region=region,
        city=city,
        industry=names.INDUSTRY[industry],
        source=_weighted(rng, FOREIGN_SOURCES),
        level=_level(rng, size),
    )
    lead = "p" if "{p}" in template else "s"
    stem = slug(parts[lead].split("|")[0])
    domain = f"{stem}{rng.choice(('', '-'))}{slug(word.split('|')[0])[:14]}.{country.tld}"
    if size == "small":
        contact = _foreign_contact(rng, country, "")
        return DemoCustomer(
            replace(data, contacts=(contact,), whatsapp_ids=_whatsapp(contact.phone)),
            False,
            country.currency,
            size,
        )
    contacts = tuple(
        _foreign_contact(rng, country, domain)
        for _ in range(1 if size == "mid" else rng.choice((2, 3)))
    )
    data = replace(
        data,
        phones=(valid_phone(rng, pattern),),
        contacts=contacts,
        websites=(rng.choice((f"www.{domain}", f"https://www.{domain}", f"https://{domain}/")),),
        emails=(f"{rng.choice(('info', 'sales', 'purchasing', 'office'))}@{domain}",),
        whatsapp_ids=_whatsapp(contacts[0].phone) if rng.random() < 0.3 else (),
    )
    return DemoCustomer(data, False, country.currency, size)


def _foreign_contact(rng: random.Random, country: Country, domain: str) -> ContactInput:
    first = rng.choice(country.first_names)
    last = rng.choice(country.surnames).split("|")[0]
    title, role = rng.choice(country.titles)
    if domain:
        email = f"{slug(first)}.{slug(last)}@{domain}"
    else:
        email = f"{slug(first)}.{slug(last)}{rng.randint(1, 99)}@{rng.choice(FOREIGN_FREE_MAIL)}"
    phone = valid_phone(rng, rng.choice(country.mobile.split(" | "))) if country.mobile else ""
    return ContactInput(
        name=f"{first} {last}",
        title=title,
        chain_role=role,
        stance=rng.choice(STANCES),
        phone=phone,
        email=email,
    )


def _whatsapp(phone: str) -> tuple[str, ...]:
    return ("".join(ch for ch in phone if ch.isdigit()),) if phone else ()


def _level(rng: random.Random, size: str) -> str:
    weights = {"small": (4, 26, 70), "mid": (12, 48, 40), "large": (45, 40, 15)}[size]
    return rng.choices(("A", "B", "C"), weights)[0]


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([label for label, _ in table], [weight for _, weight in table])[0]


def customers(
    rng: random.Random, count: int, book: KeyBook, *, first_index: int = 0
) -> list[DemoCustomer]:
    """`count` customers, about 45% domestic, none sharing an identity key with another."""
    made: list[DemoCustomer] = []
    while len(made) < count:
        for attempt in range(400):
            # Retries keep the drawn kind and country, so the mix stays as weighted, until a
            # country's names run out (a very large demo); then another is drawn.
            if attempt % 40 == 0:
                country = None if rng.random() < 0.45 else rng.choices(COUNTRIES, WEIGHTS)[0]
            candidate = domestic(rng) if country is None else foreign(rng, country)
            keys = keys_of(candidate.data)
            if book.free(keys):
                book.take(keys, first_index + len(made))
                made.append(candidate)
                break
        else:
            raise RuntimeError("the name tables are too small for this many customers")
    return made
