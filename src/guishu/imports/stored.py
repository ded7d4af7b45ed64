"""What the database holds for the keys of a file's rows, read set-based: the customers under
each key, the keys too common to tell customers apart, and those customers' stored profiles.

The same questions `guishu.customers.identity.find_stored_matches` asks for one customer, for
a hundred thousand rows at once: a few queries per KEY_CHUNK keys, or one scan of a kind of
key when the database holds not many more of it than the file asks about. Never a query per
row.
"""

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Model, TextField
from django.db.models.functions import Cast

from guishu.customers.identity import MAX_BUCKET, record_of
from guishu.customers.models import Customer, IdentityKey
from guishu.matching import STRONG_KINDS, KeyKind, build_profile
from guishu.matching import IdentityKey as Key
from guishu.matching.profile import PROFILE_VERSION

# Keys per query: well under SQLite's 32,766 parameters, and few round trips.
KEY_CHUNK = 2000
# The keys that can make two records `same` (a shared strong key, or the whole name): a
# duplicate always shares one, so only rows sharing one are compared for duplicates.
EXACT_KINDS = frozenset({KeyKind.NAME, *STRONG_KINDS})
EXACT = frozenset(kind.value for kind in EXACT_KINDS)

KeyText = tuple[str, str]  # (kind, value): cheap to send between processes, unlike objects


def as_keys(texts: Iterable[KeyText]) -> frozenset[Key]:
    return frozenset(Key(KeyKind(kind), value) for kind, value in texts)


@dataclass
class Stored:
    """What the database holds for a set of keys: the customers under each key that is not
    common, the common keys, and the stored profiles (JSON text) and names of those
    customers."""

    members: dict[KeyText, tuple[int, ...]]
    common_texts: frozenset[KeyText]
    profiles: dict[int, str]
    names: dict[int, str]

    @property
    def common(self) -> frozenset[Key]:
        return as_keys(self.common_texts)


def stored_load(keys: Iterable[KeyText], *, fuzzy: bool = True) -> Stored:
    """Reads what `find_stored_matches` reads one row at a time: the customers under each
    key, a key more than MAX_BUCKET customers share being common, and the profiles of the
    customers under the others.

    Without `fuzzy` only the exact keys are read: the candidates that can be judged `same`
    (the verdict a registration refuses on), not the look-alikes that share only a trade
    name, its pinyin or a typo's letters, which are most of the comparisons and can only be
    `possible`.

    A kind of key the database holds not many more of than the file asks about is read whole
    (one scan); otherwise the file's keys are looked up, a few queries per KEY_CHUNK keys
    (exact keys at once; fuzzy ones counted first, so that a trade name thousands share costs
    an index count, not thousands of rows)."""
    by_kind: dict[str, set[str]] = defaultdict(set)
    for kind, value in keys:
        if fuzzy or kind in EXACT:
            by_kind[kind].add(value)
    members: dict[KeyText, tuple[int, ...]] = {}
    common: set[KeyText] = set()
    stored = dict(
        IdentityKey.objects.filter(kind__in=list(by_kind))
        .values("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    for kind, value_set in by_kind.items():
        if stored.get(kind, 0) <= WHOLE_KIND_FACTOR * len(value_set):
            under = _whole_kind(kind, value_set)
        else:
            under = _looked_up(kind, sorted(value_set), common)
        for value, ids in under.items():
            if len(ids) > MAX_BUCKET:
                common.add((kind, value))
            else:
                members[(kind, value)] = tuple(ids)
    ids = sorted({customer_id for found_ids in members.values() for customer_id in found_ids})
    profiles, names = stored_profiles(ids)
    return Stored(members=members, common_texts=frozenset(common), profiles=profiles, names=names)


# Read a kind of key whole when the database holds at most this many times as many of it as
# the file asks about: one scan costs less than that many lookups.
WHOLE_KIND_FACTOR = 4


def _whole_kind(kind: str, wanted: set[str]) -> dict[str, list[int]]:
    under: dict[str, list[int]] = defaultdict(list)
    rows = IdentityKey.objects.filter(kind=kind).values_list("value", "customer_id")
    for value, customer_id in rows.iterator(chunk_size=20_000):
        if value in wanted:
            under[value].append(customer_id)
    return under


def _looked_up(kind: str, values: list[str], common: set[KeyText]) -> dict[str, list[int]]:
    under: dict[str, list[int]] = defaultdict(list)
    for start in range(0, len(values), KEY_CHUNK):
        chunk = values[start : start + KEY_CHUNK]
        if kind not in EXACT:
            counted = (
                IdentityKey.objects.filter(kind=kind, value__in=chunk)
                .values("value")
                .annotate(n=Count("id"))
                .values_list("value", "n")
            )
            chunk = []
            for value, count in counted:
                if count > MAX_BUCKET:
                    common.add((kind, value))
                else:
                    chunk.append(value)
        for value, customer_id in _under(kind, chunk):
            under[value].append(customer_id)
    return under


def _under(kind: str, values: list[str]) -> Iterable[tuple[str, int]]:
    """(value, customer id) for the keys of `kind` with these values. On PostgreSQL the values
    travel as one array joined to the index, which plans once and probes the index per value
    however long the list; SQLite takes them as an IN list."""
    if not values:
        return []
    if connection.vendor != "postgresql":
        found = IdentityKey.objects.filter(kind=kind, value__in=values)
        return found.values_list("value", "customer_id")
    table = connection.ops.quote_name(IdentityKey._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT k.value, k.customer_id FROM unnest(%s::text[]) AS v(value) "  # noqa: S608
            f"JOIN {table} k ON k.kind = %s AND k.value = v.value",  # nosec B608 - our table
            [values, kind],
        )
        rows: list[tuple[str, int]] = cursor.fetchall()
    return rows


def statistics_refresh(models: Iterable[type[Model]], *, changed_share: float = 0.2) -> None:
    """PostgreSQL plans the lookups from its statistics of the tables; after an import has
    added a large share of their rows (or before one, when autovacuum has not caught up) they
    are refreshed, or a plan made for an empty table scans a full one per lookup."""
    if connection.vendor != "postgresql":
        return
    tables = {model._meta.db_table: model for model in models}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_live_tup, n_mod_since_analyze FROM pg_stat_user_tables "
            "WHERE relname = ANY(%s)",
            [list(tables)],
        )
        stale = [
            name
            for name, live, changed in cursor.fetchall()
            if changed > changed_share * max(live, 1000)
        ]
        for name in stale:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(name)}")


def stored_profiles(ids: Sequence[int]) -> tuple[dict[int, str], dict[int, str]]:
    """The stored profiles (as JSON text, read where they are compared) and names of `ids`;
    a profile an older version wrote is rebuilt in memory from the customer's rows (nothing
    is written)."""
    profiles: dict[int, str] = {}
    names: dict[int, str] = {}
    stale = []
    for start in range(0, len(ids), KEY_CHUNK):
        rows = (
            Customer.objects.filter(pk__in=ids[start : start + KEY_CHUNK])
            .annotate(text=Cast("match_profile", TextField()))
            .values_list("pk", "name", "match_profile__v", "text")
        )
        for customer_id, name, version, text in rows:
            names[customer_id] = name
            if str(version) == str(PROFILE_VERSION):
                profiles[customer_id] = text
            else:
                stale.append(customer_id)
    for customer in Customer.objects.filter(pk__in=stale):
        profile = build_profile(record_of(customer)).to_json()
        profiles[customer.pk] = json.dumps(profile, ensure_ascii=False)
    return profiles, names
