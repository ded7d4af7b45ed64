"""`guishu dedupe` throughput: rows per second on a 100k-row spreadsheet of labelled customers.

.venv/bin/python bench/bench_dedupe.py [ROWS]
"""

import csv
import io
import sys
import tempfile
import time
from pathlib import Path

from matching_data import generate

from guishu.customers.dedupe import dedupe


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    data = generate(7, total=rows)
    path = Path(tempfile.mkdtemp(prefix="guishu-dedupe-")) / "customers.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "phone", "email", "website", "city", "country"])
        for record in data.records:
            writer.writerow(
                [
                    record.id,
                    record.names[0],
                    ";".join(record.phones[:1]),
                    (record.emails or ("",))[0],
                    (record.websites or ("",))[0],
                    record.city or "",
                    record.country or "",
                ]
            )
    started = time.perf_counter()
    stats = dedupe(path, io.StringIO())
    seconds = time.perf_counter() - started
    print(
        f"dedupe: {stats.rows:,} rows, {stats.pairs:,} pairs same/possible, in {seconds:.1f} s "
        f"= {stats.rows / seconds:,.0f} rows/s"
    )


if __name__ == "__main__":
    main()
