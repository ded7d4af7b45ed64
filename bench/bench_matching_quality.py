"""Matching quality on labelled data, and matching latency with 100k profiles in memory.

    .venv/bin/python bench/bench_matching_quality.py [--seed 7] [--total 100000]

Every labelled record is checked against an index of all records (labelled and filler) the
way a registration is: retrieval by blocking keys, then `compare` (`find_matches`), so a
retrieval miss counts against recall. A pair counts once however many of its records found
it. Figures, overall and per variant kind:

- same P: of the pairs judged SAME, the share that are truly one company (a wrong SAME
  refuses a legitimate registration);
- same R: of the labelled pairs a reviewer would call "same", the share judged SAME;
- s+p P / s+p R: the same with SAME and POSSIBLE together, recall over every labelled pair
  that is truly one company (including those whose records cannot prove it).

A kind's P counts every judged pair that touches one of the kind's records, including pairs
with filler records. For hard negatives (neg_*) R is "-": their row shows how many of the
labelled look-alike pairs were judged SAME or POSSIBLE, which should be none.

The baseline is what peers do: `name ILIKE '%typed%'` over the stored primary names, every
hit a collision. It runs on the same queries; its column is recall of truly-same pairs.
Quality figures are deterministic for a seed; latencies depend on the machine.
"""

import argparse
import bisect
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Iterable

from matching_data import Dataset, generate

from guishu.matching import (
    MatchIndex,
    MatchProfile,
    Verdict,
    blocking_keys,
    build_profile,
    find_matches,
)

Pair = tuple[str, str]
_RANK = {Verdict.SAME: 2, Verdict.POSSIBLE: 1, Verdict.DIFFERENT: 0}


def _pair(a: str, b: str) -> Pair:
    return (a, b) if a < b else (b, a)


def _ratio(hits: int, total: int) -> str:
    return f"{hits / total:6.3f}" if total else "     -"


def _line(kind: str, label: str, pairs: object, *figures: object) -> str:
    cells = " ".join(f"{figure!s:>6}" for figure in figures[:4])
    last = f"{figures[4]!s:>7}" if len(figures) > 4 else ""
    return f"{kind:36} {label:8} {pairs!s:>5} | {cells} | {last} "


def _percentiles(samples_ns: list[int]) -> str:
    ordered = sorted(samples_ns)
    p50 = ordered[len(ordered) // 2] / 1e6
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] / 1e6
    return f"p50 {p50:6.2f} ms   p99 {p99:6.2f} ms   max {ordered[-1] / 1e6:6.2f} ms"


class Judged:
    """Pairs judged by one matcher, with the strongest verdict either direction gave."""

    def __init__(self) -> None:
        self.verdicts: dict[Pair, Verdict] = {}

    def add(self, a: str, b: str, verdict: Verdict) -> None:
        key = _pair(a, b)
        if _RANK[verdict] > _RANK[self.verdicts.get(key, Verdict.DIFFERENT)]:
            self.verdicts[key] = verdict


def run_matcher(data: Dataset, queries: list[str]) -> tuple[Judged, dict[str, float], list[int]]:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    build_ns: list[int] = []
    profiles: dict[str, MatchProfile] = {}
    for record in data.records:
        before = time.perf_counter_ns()
        profiles[record.id] = build_profile(record)
        build_ns.append(time.perf_counter_ns() - before)
    timings["build"] = time.perf_counter() - started
    started = time.perf_counter()
    index = MatchIndex()
    for profile in profiles.values():
        index.add(profile)
    timings["index"] = time.perf_counter() - started
    keys = [len(blocking_keys(profiles[record_id])) for record_id in queries]
    timings["keys_mean"], timings["keys_max"] = statistics.mean(keys), max(keys)
    timings["common"] = len(index.common_keys())
    judged = Judged()
    latency_ns: list[int] = []
    for record_id in queries:
        profile = profiles[record_id]
        before = time.perf_counter_ns()
        found = find_matches(profile, index)
        latency_ns.append(time.perf_counter_ns() - before)
        for candidate, match in found:
            judged.add(record_id, candidate.id, match.verdict)
    print(
        f"profiles: {len(profiles):,} built in {timings['build']:.1f} s ({_percentiles(build_ns)})"
    )
    return judged, timings, latency_ns


def run_ilike(data: Dataset, queries: list[str]) -> tuple[Judged, list[int]]:
    """`name ILIKE '%q%'`: stored primary names containing the typed one, case-insensitively."""
    names = [record.names[0].lower() if record.names else "" for record in data.records]
    starts: list[int] = []
    offset = 0
    for name in names:
        starts.append(offset)
        offset += len(name) + 1
    haystack = "\n".join(names)
    position_of = {record.id: index for index, record in enumerate(data.records)}
    judged = Judged()
    latency_ns: list[int] = []
    for record_id in queries:
        needle = names[position_of[record_id]]
        before = time.perf_counter_ns()
        hits: list[int] = []
        at = haystack.find(needle) if needle else -1
        while at != -1:
            hits.append(bisect.bisect_right(starts, at) - 1)
            at = haystack.find(needle, at + 1)
        latency_ns.append(time.perf_counter_ns() - before)
        for hit in hits:
            other = data.records[hit].id
            if other != record_id:
                judged.add(record_id, other, Verdict.SAME)
    return judged, latency_ns


def score(data: Dataset, judged: Judged, records: Iterable[str] | None = None) -> dict[str, object]:
    """Counts for the pairs touching ``records`` (all when None)."""
    scope = None if records is None else set(records)
    labelled = {_pair(p.left, p.right): p for p in data.pairs}
    if scope is not None:
        labelled = {key: p for key, p in labelled.items() if p.left in scope or p.right in scope}
    same_pred = sp_pred = same_true = sp_true = 0
    for (a, b), verdict in judged.verdicts.items():
        if scope is not None and a not in scope and b not in scope:
            continue
        truth = data.entity_of[a] == data.entity_of[b]
        sp_pred += 1
        sp_true += truth
        if verdict is Verdict.SAME:
            same_pred += 1
            same_true += truth
    want_same = [key for key, p in labelled.items() if p.label == "same"]
    want_any = [
        key for key, p in labelled.items() if data.entity_of[p.left] == data.entity_of[p.right]
    ]
    negatives = [key for key, p in labelled.items() if p.label == "different"]
    found = judged.verdicts
    return {
        "pairs": len(labelled),
        "same_p": _ratio(same_true, same_pred),
        "same_r": _ratio(sum(found.get(k) is Verdict.SAME for k in want_same), len(want_same)),
        "sp_p": _ratio(sp_true, sp_pred),
        "sp_r": _ratio(sum(k in found for k in want_any), len(want_any)),
        "neg_same": sum(found.get(k) is Verdict.SAME for k in negatives),
        "neg_any": sum(k in found for k in negatives),
        "negatives": len(negatives),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--total", type=int, default=100_000)
    parser.add_argument("--pairs-per-kind", type=int, default=150)
    args = parser.parse_args()
    started = time.perf_counter()
    data = generate(args.seed, pairs_per_kind=args.pairs_per_kind, total=args.total)
    queries = [record.id for record in data.records if data.kind_of[record.id] != "filler"]
    print(
        f"seed {args.seed}: {len(data.records):,} records, {len(data.pairs):,} labelled pairs, "
        f"{len(queries):,} queries (generated in {time.perf_counter() - started:.1f} s)"
    )
    ours, timings, latency = run_matcher(data, queries)
    ilike, ilike_latency = run_ilike(data, queries)
    by_kind: dict[str, list[str]] = defaultdict(list)
    for record_id in queries:
        by_kind[data.kind_of[record_id]].append(record_id)
    label_of = {p.kind: p.label for p in data.pairs}
    header = _line("kind", "label", "pairs", "same P", "same R", "s+p P", "s+p R", "ILIKE R")
    print(f"\n{header}\n{'-' * len(header)}")
    for kind in by_kind:
        row, base = score(data, ours, by_kind[kind]), score(data, ilike, by_kind[kind])
        if label_of[kind] == "different":
            wrong = f"{row['neg_same']}/{row['negatives']}"
            print(
                _line(kind, "diff", row["pairs"], row["same_p"], "", row["sp_p"], "", "")
                + f"judged same {wrong}, same+possible {row['neg_any']}/{row['negatives']};"
                + f" ILIKE hits {base['neg_any']}/{base['negatives']}"
            )
            continue
        values = (row["same_p"], row["same_r"], row["sp_p"], row["sp_r"], base["sp_r"])
        print(_line(kind, label_of[kind], row["pairs"], *values))
    print("-" * len(header))
    for name, judged in (("guishu matching", ours), ("ILIKE '%name%' baseline", ilike)):
        total = score(data, judged)
        values = (total["same_p"], total["same_r"], total["sp_p"], total["sp_r"], "")
        wrong = f"{total['neg_same']}/{total['negatives']}"
        print(_line(name, "all", total["pairs"], *values) + f"false SAME on hard negatives {wrong}")
    print(
        f"\nblocking keys per profile: mean {timings['keys_mean']:.1f}, max "
        f"{timings['keys_max']:.0f}; common keys (> 50 profiles): {timings['common']:.0f}; "
        f"index built in {timings['index']:.1f} s"
    )
    size = f"{len(data.records):,}"
    print(f"matching latency per query, {size} profiles in a MatchIndex: {_percentiles(latency)}")
    print(f"ILIKE scan per query (str.find over {size} names):      {_percentiles(ilike_latency)}")
    print(f"total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
