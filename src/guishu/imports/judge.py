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
import itertools
import json
import multiprocessing as mp
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from guishu.customers.identity import MAX_BUCKET, MAX_CANDIDATES, CandidateMatch
from guishu.imports.stored import EXACT, KeyText, Stored, as_keys, stored_load
from guishu.matching import (
    MatchProfile,
    Verdict,
    blocking_keys,
    compare,
)
from guishu.matching.index import RETRIEVAL_WEIGHTS

# Below this many rows, starting processes costs more than it saves.
PARALLEL_FROM = 5000
WEIGHTS = {kind.value: weight for kind, weight in RETRIEVAL_WEIGHTS.items()}
_RANK = {Verdict.SAME: 0, Verdict.POSSIBLE: 1}
# Look-alikes compared per row (the customers sharing only fuzzy keys), best-ranked first.
MAX_LOOKALIKES = 10

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
    return _in_pool(work, items, workers, progress, chunk)


def stream_map[T, R](
    work: Callable[[T], R],
    items: Iterable[T],
    *,
    progress: Progress | None = None,
    chunk: int = 500,
) -> list[R]:
    """As parallel_map, for items still being produced (the rows of a file being read): the
    workers start on the first chunks while the rest are read, so reading a workbook, which
    takes one core a while, overlaps the work on the others."""
    iterator = iter(items)
    head = list(itertools.islice(iterator, PARALLEL_FROM))
    workers = workers_for(len(head))
    if workers == 1:
        return parallel_map(work, head, progress=progress, chunk=chunk)
    return _in_pool(work, itertools.chain(head, iterator), workers, progress, chunk)


def _in_pool[T, R](
    work: Callable[[T], R],
    items: Iterable[T],
    workers: int,
    progress: Progress | None,
    chunk: int,
) -> list[R]:
    done: list[R] = []
    pool = _pool(workers)
    try:
        for result in pool.map(work, items, chunksize=chunk):
            done.append(result)
            if progress and len(done) % chunk == 0:
                progress(len(done))
    except BaseException:
        # A file that breaks a limit on row 100,001: stop the workers now, not after the
        # 100,000 rows already handed to them.
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    if progress:
        progress(len(done))
    return done


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


# --- judging every row at once --------------------------------------------------------------


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
    exact: set[int] = set()
    for key in row.keys:
        for customer_id in stored.members.get(key, ()):
            weight[customer_id] += WEIGHTS[key[0]]
            if key[0] in EXACT:
                exact.add(customer_id)
    if not weight:
        return None, ()
    common = as_keys(stored.common_texts & set(row.keys))
    ranked = sorted(weight, key=lambda cid: (-weight[cid], cid))[:MAX_CANDIDATES]
    # Every customer that could be `same` (it shares an exact key), and the likeliest of the
    # look-alikes: the tail of fifty only ever adds `possible` noise to a file's report.
    lookalikes = [cid for cid in ranked if cid not in exact][:MAX_LOOKALIKES]
    best = sorted(exact | set(lookalikes), key=lambda cid: (-weight[cid], cid))
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
