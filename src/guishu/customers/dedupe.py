"""Finding duplicates inside one spreadsheet, with no database: what a manager runs on a file
before importing it (`guishu dedupe INPUT [--out OUTPUT]`)."""

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from guishu.matching import CustomerRecord, MatchIndex, Verdict, build_profile, compare
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


def dedupe(path: Path, out: TextIO) -> DedupeStats:
    """Writes one CSV row for every pair judged `same` or `possible`, each pair once."""
    index = MatchIndex()
    profiles = []
    for record in records_from(path):
        profile = build_profile(record)
        profiles.append(profile)
        index.add(profile)
    position = {id(profile): n for n, profile in enumerate(profiles)}
    common = index.common_keys()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(OUTPUT_HEADER)
    pairs = 0
    for n, profile in enumerate(profiles):
        for other in index.candidates(profile):
            if position[id(other)] <= n:
                continue  # each pair once, in file order
            match = compare(profile, other, common_keys=common)
            if match.verdict is Verdict.DIFFERENT:
                continue
            reasons = "; ".join(str(reason) for reason in match.reasons if reason.weight > 0)
            writer.writerow(
                [profile.id, other.id, match.verdict.value, f"{match.score:.3f}", reasons]
            )
            pairs += 1
    return DedupeStats(rows=len(profiles), pairs=pairs)
