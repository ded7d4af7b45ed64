"""Backups while the application keeps writing, and restores into an empty database.

SQLite: the online backup API copies a consistent snapshot page by page while writers go on
(in WAL mode they never wait for it); never a file copy, which could catch a half-written
page or miss the WAL. The copy is then VACUUMed, so pages freed earlier (old versions of rows,
erased data among them) do not ride along, checked with `PRAGMA integrity_check`, and only
then renamed into place. PostgreSQL: `pg_dump --format=custom`, one repeatable-read snapshot
taken without blocking writers; `pg_restore` in one transaction. See docs/backup.md.
"""

import os
import shutil
import sqlite3
import subprocess  # nosec B404 # pg_dump / pg_restore with fixed arguments, never a shell
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import dj_database_url
from django.conf import settings
from django.utils import timezone

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why."""


@dataclass(frozen=True)
class Outcome:
    path: Path
    engine: str
    size: int
    seconds: float


def engine_of(database: Mapping[str, Any]) -> str:
    engine = str(database["ENGINE"])
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"no backup for the database engine {engine}")


def database_from_url(url: str) -> dict[str, Any]:
    return dict(dj_database_url.parse(url))


def default_output(database: Mapping[str, Any], now: datetime | None = None) -> Path:
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    suffix = "sqlite3" if engine_of(database) == "sqlite" else "dump"
    return Path(settings.VAR_DIR) / "backups" / f"guishu-{stamp}.{suffix}"


def backup_create(*, database: Mapping[str, Any], output: Path) -> Outcome:
    """Writes a backup of `database` to `output` (never a half-written file there)."""
    started = time.perf_counter()
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".part")
    partial.unlink(missing_ok=True)
    engine = engine_of(database)
    try:
        if engine == "sqlite":
            _sqlite_backup(Path(database["NAME"]), partial)
        else:
            _run(
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={partial}",
                database=database,
            )
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(output)
    os.chmod(output, 0o600)  # a backup holds everything: readable by its owner only
    return Outcome(output, engine, output.stat().st_size, time.perf_counter() - started)


def _sqlite_backup(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupError(f"no database at {source}")
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target)
    try:
        # One step: a read transaction on one snapshot; in WAL mode writers carry on.
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    _sqlite_finish(target)


def _sqlite_finish(path: Path) -> None:
    """Self-contained (no -wal file), free of freed pages, and intact."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("VACUUM")
        (result,) = conn.execute("PRAGMA integrity_check").fetchone()
    finally:
        conn.close()
    if result != "ok":
        raise BackupError(f"the copy failed its integrity check: {result}")


def _run(program: str, *args: str, database: Mapping[str, Any]) -> None:
    binary = shutil.which(program)
    if binary is None:
        raise BackupError(f"{program} is not installed (Debian: apt-get install postgresql-client)")
    command = [binary, *args, *_pg_target(database)]
    env = {**os.environ}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])  # never on the command line
    result = subprocess.run(  # noqa: S603  # nosec B603 # fixed program, no shell
        command, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {result.stderr.strip()[-2000:]}")


def _pg_target(database: Mapping[str, Any]) -> list[str]:
    args = [f"--dbname={database['NAME']}"]
    if database.get("HOST"):
        args.append(f"--host={database['HOST']}")
    if database.get("PORT"):
        args.append(f"--port={database['PORT']}")
    if database.get("USER"):
        args.append(f"--username={database['USER']}")
    return args


def kind_of_file(path: Path) -> str:
    with path.open("rb") as stream:
        head = stream.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is not a Guishu backup (neither SQLite nor pg_dump custom format)")


def backup_restore(*, source: Path, database: Mapping[str, Any], replace: bool = False) -> Outcome:
    """Restores the backup `source` into `database`, which must be empty unless `replace`."""
    started = time.perf_counter()
    if not source.is_file():
        raise BackupError(f"no backup at {source}")
    engine = engine_of(database)
    if kind_of_file(source) != engine:
        raise BackupError(f"{source} is a {kind_of_file(source)} backup; the target is {engine}")
    tables = table_names(database)
    if tables and not replace:
        raise BackupError(
            f"the target database already has {len(tables)} tables; "
            "restore into an empty database, or pass --yes to replace its contents"
        )
    if engine == "sqlite":
        _sqlite_restore(source, Path(database["NAME"]))
    else:
        flags = ["--clean", "--if-exists"] if tables else []
        _run(
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            *flags,
            str(source),
            database=database,
        )
    target = Path(str(database["NAME"]))
    size = target.stat().st_size if engine == "sqlite" else source.stat().st_size
    return Outcome(target, engine, size, time.perf_counter() - started)


def _sqlite_restore(source: Path, target: Path) -> None:
    check = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        (result,) = check.execute("PRAGMA integrity_check").fetchone()
        if result != "ok":
            raise BackupError(f"the backup failed its integrity check: {result}")
        target.parent.mkdir(parents=True, exist_ok=True)
        dst = sqlite3.connect(target, timeout=30)
        try:
            check.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")
        finally:
            dst.close()
    finally:
        check.close()


# --- reading a database that is not Django's connection (the restore drill, the bench) -------


@contextmanager
def raw_connection(database: Mapping[str, Any]) -> Iterator[Any]:
    """A DB-API connection to `database` (sqlite3 or psycopg)."""
    if engine_of(database) == "sqlite":
        conn: Any = sqlite3.connect(database["NAME"], timeout=30)
    else:
        import psycopg

        conn = psycopg.connect(
            dbname=database["NAME"],
            host=database.get("HOST") or None,
            port=database.get("PORT") or None,
            user=database.get("USER") or None,
            password=database.get("PASSWORD") or None,
            autocommit=True,
        )
    try:
        yield conn
    finally:
        conn.close()


def table_names(database: Mapping[str, Any]) -> list[str]:
    if engine_of(database) == "sqlite":
        if not Path(database["NAME"]).exists():
            return []
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    else:
        sql = (
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
    with raw_connection(database) as conn:
        return sorted(row[0] for row in conn.execute(sql).fetchall())


def row_counts(database: Mapping[str, Any]) -> dict[str, int]:
    """Rows per table (the restore drill and `guishu restore` compare these)."""
    counts = {}
    with raw_connection(database) as conn:
        for table in table_names(database):
            # Table names come from the catalogue, quoted: not user input.
            (n,) = conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()  # noqa: S608  # nosec B608
            counts[table] = int(n)
    return counts


def ownership_history(database: Mapping[str, Any]) -> list[tuple[int, int, str, int | None]]:
    """(event id, customer id, kind, new owner id) of every ownership event, oldest first."""
    sql = "SELECT id, customer_id, kind, to_owner_id FROM ownership_ownershipevent ORDER BY id"
    with raw_connection(database) as conn:
        return [tuple(row) for row in conn.execute(sql).fetchall()]


def open_terms(database: Mapping[str, Any]) -> dict[int, int]:
    """Customer id -> owner id of every ownership term in force."""
    sql = "SELECT customer_id, owner_id FROM ownership_ownership WHERE ended_at IS NULL"
    with raw_connection(database) as conn:
        return {int(c): int(o) for c, o in conn.execute(sql).fetchall()}


def owners_replayed(history: Iterable[tuple[int, int, str, int | None]]) -> dict[int, int]:
    """Who owns each customer after its events, folded as the engine's `apply` does: a
    gaining event gives it to `to_owner`, a losing one to nobody, the rest change no owner."""
    from guishu.domain.events import GAINING, LOSING, EventKind

    owners: dict[int, int | None] = {}
    for _id, customer_id, kind, to_owner in history:
        event = EventKind(kind)
        if event in GAINING:
            owners[customer_id] = to_owner
        elif event in LOSING:
            owners[customer_id] = None
    return {customer: owner for customer, owner in owners.items() if owner is not None}
