"""Other spellings of a demo customer, as a colleague who met it independently might type them:
a different name, and one signal written differently that still gives the same identity key
(a phone in another format, the website with a path, another mailbox at the company domain).
These are what the demo's collisions (撞单) are made of."""

import random

import phonenumbers

from guishu.customers.inputs import CustomerInput
from guishu.demo.companies import DemoCustomer, KeyBook, keys_of
from guishu.matching import registrable_domain


def _typo(rng: random.Random, word: str) -> str:
    """One slip of the keyboard inside a word: a dropped, doubled or swapped letter."""
    if len(word) < 5:
        return word + word[-1]
    i = rng.randint(1, len(word) - 3)
    return rng.choice(
        (
            word[:i] + word[i + 1 :],
            word[:i] + word[i] + word[i:],
            word[:i] + word[i + 1] + word[i] + word[i + 2 :],
        )
    )


def _other_name(rng: random.Random, customer: DemoCustomer) -> str:
    data = customer.data
    if customer.short:  # Chinese: the short name, or the trade name with a workshop suffix
        return rng.choice(
            (
                customer.short,
                f"{data.city}{customer.short}",
                f"{customer.short}厂",
                f"{customer.short}（{data.city}）",
            )
        )
    words = data.name.replace("ü", "u").replace("ö", "o").replace("ä", "a").split()
    first = max(range(len(words)), key=lambda i: len(words[i]) if i < 2 else 0)
    words[first] = _typo(rng, words[first])
    # Colleagues rarely type the legal form the same way, if at all.
    return " ".join(words[:-1] if rng.random() < 0.5 and len(words) > 2 else words)


def _retyped_phone(rng: random.Random, phone: str, country: str) -> str:
    number = phonenumbers.parse(phone, country or "CN")
    formats = [
        phonenumbers.PhoneNumberFormat.NATIONAL,
        phonenumbers.PhoneNumberFormat.E164,
        phonenumbers.PhoneNumberFormat.INTERNATIONAL,
    ]
    for fmt in rng.sample(formats, len(formats)):
        text = phonenumbers.format_number(number, fmt)
        if text != phone:
            return text
    return phone


def _shared_signal(rng: random.Random, data: CustomerInput) -> tuple[str, str] | None:
    """One of the customer's signals, retyped: (the field it goes in, the text)."""
    options: list[tuple[str, str]] = []
    for phone in (*data.phones, *(c.phone for c in data.contacts if c.phone)):
        options.append(("phones", _retyped_phone(rng, phone, data.country)))
    for website in data.websites:
        domain = registrable_domain(website)
        if domain:
            url = rng.choice((f"https://www.{domain}/en/", f"http://{domain}", f"{domain}/contact"))
            options.append(("websites", url))
            mailbox = rng.choice(("export", "hr", "cs", "orders"))
            options.append(("emails", f"{mailbox}@{domain}"))
    for contact in data.contacts:
        if contact.email:
            options.append(("emails", contact.email.capitalize()))
    return rng.choice(options) if options else None


def other_spelling(
    rng: random.Random, customer: DemoCustomer, index: int, book: KeyBook
) -> CustomerInput | None:
    """What a colleague types for `customer`: it shares at least one identity key with it and
    none with any other demo customer, so registering it collides with exactly this one."""
    own = keys_of(customer.data)
    for _ in range(6):
        shared = _shared_signal(rng, customer.data)
        if shared is None:
            return None
        field, text = shared
        data = CustomerInput(
            name=_other_name(rng, customer),
            country=customer.data.country,
            region=customer.data.region,
            city=customer.data.city,
            industry=customer.data.industry,
            source=customer.data.source,
            level=customer.data.level,
            notes="同事独立开发的客户 / Found independently by a colleague",
            phones=(text,) if field == "phones" else (),
            websites=(text,) if field == "websites" else (),
            emails=(text,) if field == "emails" else (),
        )
        keys = keys_of(data)
        if keys & own and all(book.owner.get(key, index) == index for key in keys):
            return data
    return None
