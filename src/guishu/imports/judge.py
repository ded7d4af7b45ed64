"""Judging every row of a file at once: duplicates inside the file, and the stored customers
each row is the same as (or possibly the same as), by the very rules a registration applies
(guishu.customers.identity.find_stored_matches), but set-based and on every core.

Business rule: a row is a duplicate of an earlier row when the two are judged `same`; the first
occurrence is the one imported. Against the database a row gets the answer a registration of
it would get: the stored customers sharing its blocking keys, ranked by the keys they share,
the best MAX_CANDIDATES compared, `same` and `possible` kept, a key shared by more than
MAX_BUCKET customers ignored as common.

Cost: building a profile takes about half a millisecond and comparing a pair a tenth, so from
PARALLEL_FROM rows on both are done in forked worker processes (as `guishu dedupe` does),
which inherit the rows and the stored data instead of receiving them. The database is read in
a few set-based queries per thousand keys, never per row.
"""

import gc
import json
import multiprocessing as mp
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Model, TextField
from django.db.models.functions import Cast

from guishu.customers.identity import MAX_BUCKET, MAX_CANDIDATES, CandidateMatch, record_of
from guishu.customers.models import Customer, IdentityKey
from guishu.matching import (
    STRONG_KINDS,
    KeyKind,
    MatchProfile,
    Verdict,
    blocking_keys,
    build_profile,
    compare,
)
from guishu.matching import IdentityKey as Key
from guishu.matching.index import RETRIEVAL_WEIGHTS
from guishu.matching.profile import PROFILE_VERSION

# Below this many rows, starting processes costs more than it saves.
PARALLEL_FROM = 5000
# Keys per query: well under SQLite's 32,766 parameters, and few round trips.
KEY_CHUNK = 2000
# The keys that can make two records `same` (a shared strong key, or the whole name): a
# duplicate always shares one, so only rows sharing one are compared for duplicates.
EXACT_KINDS = frozenset({KeyKind.NAME, *STRONG_KINDS})
EXACT = frozenset(kind.value for kind in EXACT_KINDS)
WEIGHTS = {kind.value: weight for kind, weight in RETRIEVAL_WEIGHTS.items()}
_RANK = {Verdict.SAME: 0, Verdict.POSSIBLE: 1}

Progress = Callable[[int], None]


def workers_for(rows: int) -> int:
    cores = os.cpu_count() or 1
    return cores if cores > 1 and rows >= PARALLEL_FROM else 1


def _pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork"))


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a few hundred thousand rows pile up: its
    passes over them cost more than the work itself, and plain rows form no cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parallel_map[T, R](
    work: Callable[[T], R],
    items: Sequence[T],
    *,
    progress: Progress | None = None,
    chunk: int = 500,
) -> list[R]:
    """`work` over `items`, in order, on every core when there are many; `progress` is told
    how many are done after each chunk. `work` must be a module-level function; anything it
    reads from module globals must be set before the call (the workers are forked)."""
    workers = workers_for(len(items))
    done: list[R] = []
    if workers == 1:
        for start in range(0, len(items), chunk):
            done.extend(work(item) for item in items[start : start + chunk])
            if progress:
                progress(len(done))
        return done
    with _pool(workers) as pool:
        for result in pool.map(work, items, chunksize=chunk):
            done.append(result)
            if progress and len(done) % chunk == 0:
                progress(len(done))
    if progress:
        progress(len(done))
    return done


KeyText = tuple[str, str]  # (kind, value): cheap to send between processes, unlike objects


class Profiled:
    """One row's profile and blocking keys, worked out once (in a worker) and kept as plain
    text: a worker sends it back for a few microseconds, where a MatchProfile would cost a
    hundred to unpickle. `text` is the stored profile's JSON without its customer id (see
    `stored_json`); the profile itself is read back from it where a comparison needs it."""

    __slots__ = ("_profile", "keys", "text")

    def __init__(self, text: str, keys: tuple[KeyText, ...]) -> None:
        self.text = text
        self.keys = keys
        self._profile: MatchProfile | None = None

    def __getstate__(self) -> tuple[str, tuple[KeyText, ...]]:
        return self.text, self.keys

    def __setstate__(self, state: tuple[str, tuple[KeyText, ...]]) -> None:
        self.text, self.keys = state
        self._profile = None

    @property
    def profile(self) -> MatchProfile:
        if self._profile is None:
            self._profile = MatchProfile.from_json(json.loads(self.stored_json(0)))
        return self._profile

    def stored_json(self, customer_id: int) -> str:
        """The profile as Customer.match_profile stores it, naming its customer."""
        return f'{{"id": "{customer_id}", {self.text}'


def profiled(profile: MatchProfile) -> Profiled:
    keys = tuple(sorted((key.kind.value, key.value) for key in blocking_keys(profile)))
    data = profile.to_json()
    del data["id"]
    made = Profiled(json.dumps(data, ensure_ascii=False)[1:], keys)
    made._profile = profile
    return made


def as_keys(texts: Iterable[KeyText]) -> frozenset[Key]:
    return frozenset(Key(KeyKind(kind), value) for kind, value in texts)


# --- judging every row at once --------------------------------------------------------------


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


@dataclass
class Judged:
    """For each row, the position of the first occurrence it duplicates (None: it is the
    first, or it has no profile), and each first occurrence's stored matches."""

    first_of: list[int | None]
    matches: dict[int, tuple[CandidateMatch, ...]]
    stored: Stored


def judge_rows(
    rows: Sequence[Profiled | None], *, fuzzy: bool, progress: Progress | None = None
) -> Judged:
    """Duplicates inside the file and matches in the database, in one pass on every core.

    A row duplicates the earliest earlier row judged `same` with it; only rows sharing an
    exact key can be (see EXACT_KINDS), and a key more than MAX_BUCKET rows share is common
    in the file as it is in the database."""
    buckets: dict[KeyText, list[int]] = defaultdict(list)
    for position, row in enumerate(rows):
        if row is not None:
            for key in row.keys:
                if key[0] in EXACT:
                    buckets[key].append(position)
    file_common = {key for key, members in buckets.items() if len(members) > MAX_BUCKET}
    stored = stored_load((key for row in rows if row is not None for key in row.keys), fuzzy=fuzzy)
    worth = [
        position
        for position, row in enumerate(rows)
        if row is not None
        and any(
            key in stored.members
            or (key in buckets and key not in file_common and buckets[key][0] < position)
            for key in row.keys
        )
    ]
    global _ROWS, _BUCKETS, _FILE_COMMON, _STORED, _PARSED
    _ROWS, _BUCKETS, _FILE_COMMON, _STORED, _PARSED = rows, buckets, file_common, stored, {}
    try:
        results = parallel_map(_judge, worth, progress=progress, chunk=250)
    finally:
        _ROWS, _BUCKETS, _FILE_COMMON, _STORED, _PARSED = (), {}, set(), None, {}
    first_of: list[int | None] = [None] * len(rows)
    matches: dict[int, tuple[CandidateMatch, ...]] = {}
    for position, (earlier, found) in zip(worth, results, strict=True):
        if earlier is not None:
            first_of[position] = first_of[earlier] if first_of[earlier] is not None else earlier
        elif found:
            matches[position] = found
    return Judged(first_of=first_of, matches=matches, stored=stored)


def stored_load(keys: Iterable[KeyText], *, fuzzy: bool = True) -> Stored:
    """Reads, in a few queries per KEY_CHUNK keys, what `find_stored_matches` reads one row at
    a time: the customers under each key, a key more than MAX_BUCKET customers share being
    common, and the profiles of the customers under the others.

    Without `fuzzy` only the exact keys are read: the candidates that can be judged `same`
    (the verdict a registration refuses on), not the look-alikes that share only a trade
    name, its pinyin or a typo's letters, which are most of the comparisons and can only be
    `possible`. Exact keys are shared by few customers, so they are read in one query a
    chunk; the fuzzy ones are counted first, so that a trade name thousands share costs an
    index count, not thousands of rows."""
    by_kind: dict[str, set[str]] = defaultdict(set)
    for kind, value in keys:
        if fuzzy or kind in EXACT:
            by_kind[kind].add(value)
    members: dict[KeyText, tuple[int, ...]] = {}
    common: set[KeyText] = set()
    for kind, value_set in by_kind.items():
        values = sorted(value_set)
        for start in range(0, len(values), KEY_CHUNK):
            chunk = values[start : start + KEY_CHUNK]
            found = IdentityKey.objects.filter(kind=kind)
            if kind not in EXACT:
                counted = (
                    found.filter(value__in=chunk)
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
            under: dict[str, list[int]] = defaultdict(list)
            for value, customer_id in _under(kind, chunk):
                under[value].append(customer_id)
            for value, ids in under.items():
                if len(ids) > MAX_BUCKET:
                    common.add((kind, value))
                else:
                    members[(kind, value)] = tuple(ids)
    ids = sorted({customer_id for found_ids in members.values() for customer_id in found_ids})
    profiles, names = stored_profiles(ids)
    return Stored(members=members, common_texts=frozenset(common), profiles=profiles, names=names)


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


# Set before the judging workers fork, so they inherit them instead of receiving them.
_ROWS: Sequence[Profiled | None] = ()
_BUCKETS: dict[KeyText, list[int]] = {}
_FILE_COMMON: set[KeyText] = set()
_STORED: Stored | None = None
_PARSED: dict[int, MatchProfile] = {}


def _stored_profile(customer_id: int) -> MatchProfile:
    profile = _PARSED.get(customer_id)
    if profile is None:
        assert _STORED is not None
        text = _STORED.profiles[customer_id]
        profile = _PARSED[customer_id] = MatchProfile.from_json(json.loads(text))
    return profile


def _judge(position: int) -> tuple[int | None, tuple[CandidateMatch, ...]]:
    """The earlier row that row `position` duplicates, or else the stored customers it is
    the same as or possibly the same as, best first, as find_stored_matches ranks them."""
    row = _ROWS[position]
    stored = _STORED
    assert row is not None and stored is not None
    earlier = sorted(
        {
            other
            for key in row.keys
            if key in _BUCKETS and key not in _FILE_COMMON
            for other in _BUCKETS[key]
            if other < position
        }
    )
    if earlier:
        common = as_keys(_FILE_COMMON & set(row.keys))
        for other in earlier:
            candidate = _ROWS[other]
            assert candidate is not None
            if compare(row.profile, candidate.profile, common_keys=common).verdict is Verdict.SAME:
                return other, ()
    weight: dict[int, float] = defaultdict(float)
    for key in row.keys:
        for customer_id in stored.members.get(key, ()):
            weight[customer_id] += WEIGHTS[key[0]]
    if not weight:
        return None, ()
    common = as_keys(stored.common_texts & set(row.keys))
    best = sorted(weight, key=lambda cid: (-weight[cid], cid))[:MAX_CANDIDATES]
    found = []
    for customer_id in best:
        if customer_id not in stored.profiles:
            continue  # deleted since its keys were read
        match = compare(row.profile, _stored_profile(customer_id), common_keys=common)
        if match.verdict is not Verdict.DIFFERENT:
            found.append(
                CandidateMatch(customer_id=customer_id, match=match, name=stored.names[customer_id])
            )
    found.sort(key=lambda c: (_RANK[c.match.verdict], -c.match.score, c.customer_id))
    return None, tuple(found)
