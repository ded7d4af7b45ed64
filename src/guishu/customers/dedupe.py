"""Finding duplicates inside one spreadsheet, with no database: what a manager runs on a file
before importing it (`guishu dedupe INPUT [--out OUTPUT]`)."""

import csv
import multiprocessing as mp
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from guishu.matching import (
    CustomerRecord,
    MatchIndex,
    MatchProfile,
    Verdict,
    build_profile,
    compare,
)
from guishu.tabular import country_code, map_columns, read_table

HEADERS = {
    "id": ["id", "编号"],
    "name": ["name", "company", "客户名称", "公司名称"],
    "contact": ["contact", "联系人"],
    "phone": ["phone", "mobile", "tel", "电话", "手机"],
    "email": ["email", "邮箱"],
    "website": ["website", "网址"],
    "address": ["address", "地址"],
    "city": ["city", "城市"],
    "country": ["country", "国家"],
}
OUTPUT_HEADER = ["left_id", "right_id", "verdict", "score", "reasons"]


@dataclass(frozen=True)
class DedupeStats:
    rows: int
    pairs: int


def records_from(path: Path) -> Iterator[CustomerRecord]:
    """One record per data row; rows without an id column are numbered from 1."""
    table = read_table(path)
    columns = map_columns(table.headers, HEADERS)
    for number, row in enumerate(table.rows, start=1):
        name = columns.first(row, "name")
        contact = columns.first(row, "contact")
        yield CustomerRecord(
            id=columns.first(row, "id") or str(number),
            names=tuple(n for n in (name,) if n) or tuple(c for c in (contact,) if c),
            phones=tuple(columns.values(row, "phone")),
            emails=tuple(columns.values(row, "email")),
            websites=tuple(columns.values(row, "website")),
            country=country_code(columns.first(row, "country")),
            city=columns.first(row, "city") or None,
            address=columns.first(row, "address") or None,
        )


def dedupe(path: Path, out: TextIO, *, workers: int | None = None) -> DedupeStats:
    """Writes one CSV row for every pair judged `same` or `possible`, each pair once, in the
    order of the left row in the file.

    Large files use every core: profiles are built, and pairs judged, in forked worker
    processes that share the finished index (matching is pure Python and CPU-bound).
    """
    records = list(records_from(path))
    workers = workers or os.cpu_count() or 1
    parallel = workers > 1 and len(records) >= PARALLEL_FROM
    if parallel:
        with _pool(workers) as pool:
            profiles = list(pool.map(build_profile, records, chunksize=500))
    else:
        profiles = [build_profile(record) for record in records]
    global _INDEX, _PROFILES, _POSITION
    _PROFILES = profiles
    _POSITION = {id(profile): n for n, profile in enumerate(profiles)}
    _INDEX = MatchIndex()
    for profile in profiles:
        _INDEX.add(profile)
    spans = _spans(len(profiles), workers * 8 if parallel else 1)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(OUTPUT_HEADER)
    pairs = 0
    if parallel:
        with _pool(workers) as pool:
            results = pool.map(_judge_span, spans)
            for rows in results:
                writer.writerows(rows)
                pairs += len(rows)
    else:
        for span in spans:
            rows = _judge_span(span)
            writer.writerows(rows)
            pairs += len(rows)
    _INDEX, _PROFILES, _POSITION = None, [], {}
    return DedupeStats(rows=len(profiles), pairs=pairs)


# Below this many rows, starting processes costs more than it saves.
PARALLEL_FROM = 5000
# Set by `dedupe` before the workers fork, so they inherit the index instead of receiving it.
_INDEX: MatchIndex | None = None
_PROFILES: list[MatchProfile] = []
_POSITION: dict[int, int] = {}


def _pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork"))


def _spans(total: int, parts: int) -> list[tuple[int, int]]:
    size = max(1, -(-total // parts))
    return [(start, min(total, start + size)) for start in range(0, total, size)]


def _judge_span(span: tuple[int, int]) -> list[list[str]]:
    """The output rows for left rows start..end, each paired only with later rows."""
    index = _INDEX
    assert index is not None
    position = _POSITION
    common = index.common_keys()
    rows = []
    for n in range(*span):
        profile = _PROFILES[n]
        for other in index.candidates(profile):
            if position[id(other)] <= n:
                continue  # each pair once, in file order
            match = compare(profile, other, common_keys=common)
            if match.verdict is Verdict.DIFFERENT:
                continue
            reasons = "; ".join(str(reason) for reason in match.reasons if reason.weight > 0)
            rows.append([profile.id, other.id, match.verdict.value, f"{match.score:.3f}", reasons])
    return rows
