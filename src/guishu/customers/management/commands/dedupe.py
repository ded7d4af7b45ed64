"""`guishu dedupe INPUT [--out OUTPUT]`: duplicates inside a .csv, .xlsx or .xls, no database."""

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from guishu.customers.dedupe import dedupe
from guishu.tabular import TableError


class Command(BaseCommand):
    help = (
        "Find duplicate customers inside a spreadsheet (.csv in UTF-8, UTF-8 with BOM or "
        "GB18030, .xlsx or .xls, with a header row). Writes "
        "left_id,right_id,verdict,score,reasons for every pair judged same or possible."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", type=Path)
        parser.add_argument("--out", type=Path, help="Output CSV (default: standard output).")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        out_path: Path | None = options["out"]
        try:
            if out_path is None:
                stats = dedupe(options["input"], sys.stdout)
            else:
                with out_path.open("w", encoding="utf-8", newline="") as out:
                    stats = dedupe(options["input"], out)
        except TableError as error:
            raise CommandError(str(error)) from error
        seconds = time.perf_counter() - started
        self.stderr.write(
            f"{stats.rows} rows, {stats.pairs} pairs judged same or possible, "
            f"in {seconds:.1f} s ({stats.rows / max(seconds, 1e-9):,.0f} rows/s)"
        )
