"""`guishu backup [--output PATH]`: a consistent backup while the application keeps writing
(SQLite online backup API, or pg_dump); see guishu.ops.backup and docs/backup.md."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from guishu.ops.backup import BackupError, backup_create, database_from_url, default_output


class Command(BaseCommand):
    help = "Back up the database while it is in use (SQLite backup API or pg_dump)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, help="Where to write it (default: var/backups/)."
        )
        parser.add_argument("--database-url", help="Back up this database instead of the default.")

    def handle(self, *args: Any, **options: Any) -> None:
        url = options.get("database_url")
        database = database_from_url(url) if url else connections["default"].settings_dict
        output = options.get("output") or default_output(database)
        try:
            done = backup_create(database=database, output=output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"backup written: {done.path} ({done.engine}, {done.size:,} bytes, "
            f"{done.seconds:.2f} s)"
        )
