"""Importing customers: preview and commit of a 100k-row file against 100k stored customers, on
a scratch SQLite database (or a scratch database on the PostgreSQL server DATABASE_URL names).

    .venv/bin/python bench/bench_import.py [ROWS] [--xlsx]
    DATABASE_URL=postgres://root@127.0.0.1:5432/test .venv/bin/python bench/bench_import.py

Rep A's list of ROWS customers (the labelled data of bench/matching_data.py: Chinese and
foreign companies, with their variants and look-alikes) is imported first; that import is
timed too. Rep B's file then holds ROWS rows: a fifth are A's customers (collisions), a tenth
repeat B's own rows with their phones typed another way (duplicates inside the file), the rest
are new. The commit runs the full checks (it judges every row again, under its own locks):
nothing is reused from the preview.
"""

import csv
import itertools
import random
import sys
import tempfile
import time
from pathlib import Path

from matching_data import generate
from scratch import use_scratch_database

from guishu.matching import CustomerRecord

HEADER = ["客户名称", "电话", "邮箱", "网址", "微信", "统一社会信用代码", "城市", "国家"]


def row_of(record: CustomerRecord, *, retyped: bool = False) -> list[str]:
    phones = list(record.phones[:2])
    if retyped:
        # The same numbers typed another way: spaces and dashes gone, or added.
        phones = [p.replace(" ", "") if " " in p else p.replace("+86", "+86 ") for p in phones]
    return [
        record.names[0],
        "; ".join(phones),
        (record.emails or ("",))[0],
        (record.websites or ("",))[0],
        (record.wechat_ids or ("",))[0],
        record.credit_code or "",
        record.city or "",
        record.country or "",
    ]


def write_xlsx(path: Path, rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path.read_bytes()


def write_csv(path: Path, rows: list[list[str]]) -> bytes:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path.read_bytes()


def main() -> None:
    numbers = [arg for arg in sys.argv[1:] if arg.isdigit()]
    size = int(numbers[0]) if numbers else 100_000
    xlsx = "--xlsx" in sys.argv
    write, suffix = (write_xlsx, "xlsx") if xlsx else (write_csv, "csv")
    database = use_scratch_database()
    from guishu.accounts.models import User
    from guishu.imports.services import import_commit, import_preview, import_upload
    from guishu.policies.services import policy_version_save

    admin = User.objects.create_user("bench-admin", role="admin")
    alice = User.objects.create_user("alice", role="rep", display_name="Alice")
    bob = User.objects.create_user("bob", role="rep", display_name="Bob")
    # Each rep holds a whole list: the default cap (200 customers) would refuse most rows.
    policy_version_save(user=admin, team=None, values={"max_held": 100_000})

    started = time.perf_counter()
    data = generate(7, total=int(size * 1.9))
    records = data.records
    print(f"data: {len(records):,} records generated in {time.perf_counter() - started:.0f} s")
    rng = random.Random(11)
    existing = records[:size]
    fresh = records[size:]
    theirs = [row_of(r) for r in rng.sample(existing, size // 5)]
    mine = [row_of(r) for r in fresh[: size - size // 5 - size // 10]]
    again = [row_of(r, retyped=True) for r in rng.sample(fresh[: len(mine)], size // 10)]
    rows = theirs + mine + again
    rng.shuffle(rows)
    folder = Path(tempfile.mkdtemp(prefix="guishu-import-"))
    seed = write(folder / f"alice.{suffix}", [row_of(r) for r in existing])
    file = write(folder / f"bob.{suffix}", rows)

    phases: dict[str, float] = {}

    def progress(phase: str, done: int, total: int) -> None:
        phases.setdefault(phase, time.perf_counter())

    def timed(what: str, run, rows: int) -> object:  # type: ignore[no-untyped-def]
        phases.clear()
        started = time.perf_counter()
        result = run()
        ended = time.perf_counter()
        seconds = ended - started
        print(
            f"{what} ({database}): {rows:,} rows in {seconds:.1f} s = {rows / seconds:,.0f} rows/s"
        )
        marks = [*sorted(phases.items(), key=lambda item: item[1]), ("end", ended)]
        print(
            "    phases:",
            ", ".join(
                f"{name} {later - at:.1f} s"
                for (name, at), (_next, later) in itertools.pairwise(marks)
            ),
        )
        return result

    job = import_upload(user=alice, kind="customers", filename=f"alice.{suffix}", data=seed)
    report = timed(
        "commit, empty database",
        lambda: import_commit(user=alice, job_id=job.pk, mode="skip_invalid", progress=progress),
        size,
    )
    print("   ", {k: v for k, v in report.counts.items() if v})  # type: ignore[attr-defined]

    job = import_upload(user=bob, kind="customers", filename=f"bob.{suffix}", data=file)
    report = timed(
        "preview", lambda: import_preview(user=bob, job_id=job.pk, progress=progress), len(rows)
    )
    print("   ", {k: v for k, v in report.counts.items() if v})  # type: ignore[attr-defined]
    job = import_upload(user=bob, kind="customers", filename=f"bob.{suffix}", data=file)
    report = timed(
        f"commit against {size:,} stored customers",
        lambda: import_commit(user=bob, job_id=job.pk, mode="skip_invalid", progress=progress),
        len(rows),
    )
    print("   ", {k: v for k, v in report.counts.items() if v})  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
