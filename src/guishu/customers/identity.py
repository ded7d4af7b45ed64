"""Stored match profiles and identity keys, rebuilt on every customer write, and the
database-backed candidate search that collision detection runs on every registration check.

Business rule (as in guishu.matching.index, applied to stored keys): candidates are the
customers that share blocking keys with the one being checked, most shared first; a key that
more than MAX_BUCKET customers share is common (a switchboard number, an agent's domain, a
trade name half the country uses), finds nobody in particular, and stops counting as strong
evidence.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import connection

from guishu.customers.models import Customer, Identifier, IdentityKey
from guishu.matching import (
    CustomerRecord,
    Match,
    MatchProfile,
    Verdict,
    blocking_keys,
    build_profile,
    compare,
)
from guishu.matching import IdentityKey as Key
from guishu.matching.index import RETRIEVAL_WEIGHTS

MAX_BUCKET = 50
MAX_CANDIDATES = 50


def record_of(customer: Customer) -> CustomerRecord:
    """A stored customer as matching reads it: its identifiers and its contacts' details."""
    by_kind: dict[str, list[str]] = defaultdict(list)
    for kind, value in customer.identifiers.values_list("kind", "value"):
        by_kind[kind].append(value)
    for phone, email, wechat in customer.contacts.values_list("phone", "email", "wechat"):
        for kind, value in (("phone", phone), ("email", email), ("wechat", wechat)):
            if value:
                by_kind[kind].append(value)
    return CustomerRecord(
        id=str(customer.pk),
        names=(customer.name, *by_kind[Identifier.Kind.ALIAS]),
        phones=tuple(by_kind[Identifier.Kind.PHONE]),
        emails=tuple(by_kind[Identifier.Kind.EMAIL]),
        websites=tuple(by_kind[Identifier.Kind.WEBSITE]),
        wechat_ids=tuple(by_kind[Identifier.Kind.WECHAT]),
        whatsapp_ids=tuple(by_kind[Identifier.Kind.WHATSAPP]),
        credit_code=customer.credit_code or None,
        country=customer.country or None,
        city=customer.city or None,
        address=customer.address or None,
    )


def identity_refresh(customer: Customer) -> MatchProfile:
    """Rebuilds the customer's stored profile and keys from its current signals.

    Called by every service that writes a customer's identity (registration, edits, imports),
    inside its transaction, so the stored keys are never stale.
    """
    profile = build_profile(record_of(customer))
    Customer.objects.filter(pk=customer.pk).update(match_profile=profile.to_json())
    customer.match_profile = profile.to_json()
    IdentityKey.objects.filter(customer=customer).delete()
    IdentityKey.objects.bulk_create(
        IdentityKey(customer=customer, kind=key.kind.value, value=key.value)
        for key in blocking_keys(profile)
    )
    return profile


def stored_profile(customer_id: int, data: dict[str, object]) -> MatchProfile:
    """The stored profile; rebuilt from the customer when it was written by an older version."""
    try:
        return MatchProfile.from_json(data)
    except (ValueError, KeyError, TypeError):
        return identity_refresh(Customer.objects.get(pk=customer_id))


@dataclass(frozen=True)
class CandidateMatch:
    """A stored customer judged the same as, or possibly the same as, the one checked."""

    customer_id: int
    match: Match
    name: str = ""


def find_stored_matches(
    profile: MatchProfile, *, exclude_id: int | None = None, limit: int = MAX_CANDIDATES
) -> list[CandidateMatch]:
    """Stored customers judged SAME or POSSIBLE against `profile`, SAME first, then by score.

    Two queries whatever the database size: the keys' members (each capped at MAX_BUCKET+1,
    so a common key costs no more than a rare one) and the profiles of the best candidates.
    """
    keys = sorted(blocking_keys(profile))
    members = _key_members(keys)
    common = frozenset(key for key, ids in members.items() if len(ids) > MAX_BUCKET)
    weight: dict[int, float] = defaultdict(float)
    for key, ids in members.items():
        if key in common:
            continue
        for customer_id in ids:
            if customer_id != exclude_id:
                weight[customer_id] += RETRIEVAL_WEIGHTS[key.kind]
    best = sorted(weight, key=lambda cid: (-weight[cid], cid))[:limit]
    rows = Customer.objects.filter(pk__in=best).values_list("pk", "name", "match_profile")
    found = []
    for customer_id, name, data in rows:
        match = compare(profile, stored_profile(customer_id, data), common_keys=common)
        if match.verdict is not Verdict.DIFFERENT:
            found.append(CandidateMatch(customer_id=customer_id, match=match, name=name))
    rank = {Verdict.SAME: 0, Verdict.POSSIBLE: 1}
    found.sort(key=lambda c: (rank[c.match.verdict], -c.match.score, c.customer_id))
    return found


def _key_members(keys: list[Key]) -> dict[Key, list[int]]:
    """Customer ids per key, at most MAX_BUCKET + 1 each, in one round trip."""
    if not keys:
        return {}
    table = IdentityKey._meta.db_table
    part = (
        f"SELECT * FROM (SELECT kind, value, customer_id FROM {table} "  # noqa: S608 - names are ours
        "WHERE kind = %s AND value = %s LIMIT %s) AS k{n}"  # nosec B608 # names are ours
    )
    sql = " UNION ALL ".join(part.format(n=n) for n in range(len(keys)))
    params: list[str | int] = []
    for key in keys:
        params += [key.kind.value, key.value, MAX_BUCKET + 1]
    members: dict[Key, list[int]] = {key: [] for key in keys}
    by_text = {(key.kind.value, key.value): key for key in keys}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, value, customer_id in cursor.fetchall():
            members[by_text[(kind, value)]].append(customer_id)
    return members
