"""`guishu restore PATH [--yes] [--database-url URL]`: restores a `guishu backup` into an
empty database; `--yes` replaces a database that already has tables. Never prompts. Stop
the web processes and workers first (docs/backup.md)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from guishu.ops.backup import BackupError, backup_restore, database_from_url, row_counts


class Command(BaseCommand):
    help = "Restore a backup made by `guishu backup` (into an empty database unless --yes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--yes", action="store_true", help="Replace the contents of a non-empty database."
        )
        parser.add_argument("--database-url", help="Restore into this database instead.")

    def handle(self, *args: Any, **options: Any) -> None:
        url = options.get("database_url")
        if url:
            database = database_from_url(url)
        else:
            database = connections["default"].settings_dict
            connections["default"].close()  # our own connection must not hold the file
        try:
            done = backup_restore(source=options["path"], database=database, replace=options["yes"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        counts = row_counts(database)
        self.stdout.write(
            f"restored {options['path']} into {database['NAME']} ({done.engine}, "
            f"{len(counts)} tables, {sum(counts.values()):,} rows, {done.seconds:.2f} s)"
        )
