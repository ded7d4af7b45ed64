"""Stored identity keys: rebuilt from a customer's signals on every write, and looked up."""

from collections import defaultdict

from guishu.customers.models import Customer, Identifier, IdentityKey
from guishu.matching import IdentityKey as Key
from guishu.matching import IdentitySignals, identity_keys


def signals_of(customer: Customer) -> IdentitySignals:
    """A stored customer's identity signals: its own identifiers and its contacts'."""
    by_kind: dict[str, list[str]] = defaultdict(list)
    for kind, value in customer.identifiers.values_list("kind", "value"):
        by_kind[kind].append(value)
    for phone, email, wechat in customer.contacts.values_list("phone", "email", "wechat"):
        for kind, value in (("phone", phone), ("email", email), ("wechat", wechat)):
            if value:
                by_kind[kind].append(value)
    return IdentitySignals(
        names=(customer.name, *by_kind[Identifier.Kind.ALIAS]),
        phones=tuple(by_kind[Identifier.Kind.PHONE]),
        emails=tuple(by_kind[Identifier.Kind.EMAIL]),
        websites=tuple(by_kind[Identifier.Kind.WEBSITE]),
        wechat_ids=tuple(by_kind[Identifier.Kind.WECHAT]),
        whatsapp_ids=tuple(by_kind[Identifier.Kind.WHATSAPP]),
        credit_code=customer.credit_code or None,
        country=customer.country or None,
    )


def identity_keys_refresh(customer: Customer) -> frozenset[Key]:
    """Replaces the customer's stored keys with those of its current signals."""
    keys = identity_keys(signals_of(customer))
    IdentityKey.objects.filter(customer=customer).delete()
    IdentityKey.objects.bulk_create(
        IdentityKey(customer=customer, kind=key.kind.value, value=key.value) for key in keys
    )
    return keys


def customers_sharing_keys(keys: frozenset[Key]) -> dict[int, list[str]]:
    """Customer id -> the keys (as "kind:value") it shares with `keys`, most shared first."""
    by_kind: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        by_kind[key.kind.value].append(key.value)
    shared: dict[int, list[str]] = defaultdict(list)
    for kind, values in by_kind.items():
        rows = IdentityKey.objects.filter(kind=kind, value__in=values)
        for customer_id, value in rows.values_list("customer_id", "value"):
            shared[customer_id].append(f"{kind}:{value}")
    return dict(sorted(shared.items(), key=lambda item: (-len(item[1]), item[0])))
