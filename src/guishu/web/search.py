"""The customer search box: one query matched the ways reps type a customer.

Business rule: a rep finds a customer by whatever they remember of it, in whatever form:
part of its name or another name, in simplified or traditional characters; its pinyin
("zijie") or pinyin initials ("zjtd" finds 字节跳动); a phone number in any format
("138-0013-8000", "+86 138 0013 8000", the last digits); an e-mail address or its domain.
The matching normalisers (guishu.matching) read the query, and the stored identity keys
(guishu.customers.IdentityKey, the same keys collision detection uses) answer it, so search
and the duplicate check agree on what a phone or a name is.

Search only narrows a queryset the caller already scoped to what the viewer may see.
"""

import functools
import unicodedata

from django.db.models import Exists, OuterRef, Q, QuerySet
from pypinyin import Style, lazy_pinyin

from guishu.customers.models import Customer, Identifier, IdentityKey
from guishu.matching import KeyKind, normalise_email, normalise_phone
from guishu.matching.text import has_han, to_simplified

# Initials are worked out from the names of at most this many customers per search (the
# viewer's own scope, one query); beyond it the other keys still answer.
INITIALS_SCAN_LIMIT = 20_000
MIN_DIGITS = 4


@functools.lru_cache(maxsize=65_536)
def pinyin_initials(name: str) -> str:
    """The first letter of each Chinese syllable in the name, lower case ("字节跳动" → "zjtd");
    letters and digits typed in Latin script are kept as they are."""
    letters = []
    for syllable in lazy_pinyin(to_simplified(name), style=Style.FIRST_LETTER):
        letters.append("".join(ch for ch in syllable.lower() if ch.isalnum()))
    return "".join(letters)


def _keys(kind: KeyKind, **lookup: str) -> Q:
    return Q(Exists(IdentityKey.objects.filter(customer=OuterRef("pk"), kind=kind.value, **lookup)))


def _digits(query: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", query) if ch.isdigit())


def _looks_like_phone(query: str) -> bool:
    digits = _digits(query)
    compact = "".join(query.split())
    return len(digits) >= MIN_DIGITS and len(digits) >= 0.7 * len(compact)


def customer_search(customers: QuerySet[Customer], query: str) -> QuerySet[Customer]:
    """`customers` narrowed to those the query finds (see the module docstring)."""
    query = unicodedata.normalize("NFKC", query).strip()
    if not query:
        return customers
    simplified = to_simplified(query)
    found = Q(name__icontains=query) | Q(name__icontains=simplified)
    aliases = Identifier.objects.filter(customer=OuterRef("pk"), kind=Identifier.Kind.ALIAS)
    found |= Q(Exists(aliases.filter(Q(value__icontains=query) | Q(value__icontains=simplified))))
    if has_han(query):
        # The trade name (字号) of a name typed with its city and legal form, simplified.
        found |= _keys(KeyKind.TRADE_NAME, value__contains=simplified)
    if "@" in query:
        email = normalise_email(query)
        if email:
            found |= _keys(KeyKind.EMAIL, value=email)
        found |= _keys(KeyKind.EMAIL, value__contains=query.lower())
    elif _looks_like_phone(query):
        phone = normalise_phone(query)
        if phone:
            found |= _keys(KeyKind.PHONE, value=phone)
        digits = _digits(query)
        found |= _keys(KeyKind.PHONE, value__contains=digits.lstrip("0") or digits)
    elif query.isascii() and any(ch.isalpha() for ch in query):
        compact = "".join(ch for ch in query.lower() if ch.isalnum())
        if len(compact) >= 2:
            found |= _keys(KeyKind.PINYIN, value__contains=compact)
            found |= _keys(KeyKind.DOMAIN, value__startswith=compact)
            ids = _initials_matches(customers, compact)
            if ids:
                found |= Q(pk__in=ids)
    return customers.filter(found)


def _initials_matches(customers: QuerySet[Customer], letters: str) -> list[int]:
    """Ids of the customers whose Chinese name's pinyin initials contain `letters`."""
    if not letters.isalpha():
        return []
    names = customers.order_by().values_list("pk", "name")[:INITIALS_SCAN_LIMIT]
    return [pk for pk, name in names if has_han(name) and letters in pinyin_initials(name)]
