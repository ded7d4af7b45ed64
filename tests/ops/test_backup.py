"""The restore drill: back up while reps keep registering and transferring customers, restore
into a fresh database, and find the same rows, the same ownership events, and an event
history that replays to the same owners. On SQLite and on PostgreSQL."""

import secrets
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from guishu.ops.backup import (
    backup_create,
    backup_restore,
    open_terms,
    owners_replayed,
    ownership_history,
    row_counts,
)
from guishu.ownership.services import customer_transfer, pool_release
from tests.factories import register

pytestmark = pytest.mark.db_facing


def url_of(database: dict[str, Any]) -> str:
    if database["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{database['NAME']}"
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or 5432
    user = database.get("USER") or "postgres"
    return f"postgres://{user}@{host}:{port}/{database['NAME']}"


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """An empty database beside the test database: a new SQLite file, or a new PostgreSQL
    database created for the test and dropped after it."""
    live = connection.settings_dict
    if connection.vendor == "sqlite":
        yield {"ENGINE": live["ENGINE"], "NAME": str(tmp_path / "fresh.sqlite3")}
        return
    import psycopg

    name = f"guishu_drill_{secrets.token_hex(4)}"
    server = {key: live.get(key) or None for key in ("HOST", "PORT", "USER", "PASSWORD")}
    admin = psycopg.connect(
        dbname="postgres",
        host=server["HOST"],
        port=server["PORT"],
        user=server["USER"],
        password=server["PASSWORD"],
        autocommit=True,
    )
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {"ENGINE": live["ENGINE"], "NAME": name, **{k: v or "" for k, v in server.items()}}
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def suffix() -> str:
    return "sqlite3" if connection.vendor == "sqlite" else "dump"


def writers(
    cast: Any, stop: threading.Event, errors: list[BaseException]
) -> list[threading.Thread]:
    """Alice registers customers and hands each to Bob; Bob registers and releases his."""

    def alice() -> None:
        try:
            for n in range(60):
                if stop.is_set():
                    break
                customer = register(cast.alice, f"Drill Alpha {secrets.token_hex(3)} {n} Ltd")
                customer_transfer(user=cast.alice, customer_id=customer.pk, to=cast.bob)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    def bob() -> None:
        try:
            for n in range(60):
                if stop.is_set():
                    break
                customer = register(cast.bob, f"Drill Beta {secrets.token_hex(3)} {n} GmbH")
                if n % 2:
                    pool_release(user=cast.bob, customer_id=customer.pk)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    return [threading.Thread(target=alice), threading.Thread(target=bob)]


@pytest.mark.django_db(transaction=True)
def test_restore_drill(allow_flush: None, cast: Any, fresh: dict[str, Any], tmp_path: Path):
    live = dict(connection.settings_dict)
    for n in range(5):
        register(cast.alice, f"Drill Seed {n} Co")
    stop, errors = threading.Event(), []
    threads = writers(cast, stop, errors)
    for thread in threads:
        thread.start()
    while not ownership_history(live)[20:]:  # the writers are well under way
        threading.Event().wait(0.05)
    during = backup_create(database=live, output=tmp_path / f"during.{suffix()}")
    stop.set()
    for thread in threads:
        thread.join()
    assert errors == []

    # A backup taken during the writes is one consistent moment of the database: its events
    # are the live history up to that moment, and they replay to its owners.
    backup_restore(source=during.path, database=fresh)
    live_history = ownership_history(live)
    restored_history = ownership_history(fresh)
    assert 20 < len(restored_history) <= len(live_history)
    assert restored_history == live_history[: len(restored_history)]
    assert owners_replayed(restored_history) == open_terms(fresh)

    # Once the writers stop, a backup restored over that database holds exactly the live rows.
    after = tmp_path / f"after.{suffix()}"
    call_command("backup", output=after)
    call_command("restore", str(after), yes=True, database_url=url_of(fresh))
    assert row_counts(fresh) == row_counts(live)
    assert ownership_history(fresh) == live_history
    assert owners_replayed(ownership_history(fresh)) == open_terms(live) == open_terms(fresh)
    assert len(open_terms(live)) > 5


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(allow_flush: None, cast: Any, tmp_path: Path):
    backup = tmp_path / f"b.{suffix()}"
    call_command("backup", output=backup)
    with pytest.raises(CommandError, match=r"already has .* tables"):
        call_command("restore", str(backup), database_url=url_of(connection.settings_dict))


def test_restore_refuses_what_is_not_a_backup(tmp_path: Path):
    junk = tmp_path / "junk.dump"
    junk.write_bytes(b"not a backup at all")
    target = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "t.sqlite3")}
    with pytest.raises(CommandError, match="not a Guishu backup"):
        call_command("restore", str(junk), database_url=f"sqlite:///{target['NAME']}")


@pytest.mark.django_db(transaction=True)
def test_a_sqlite_backup_is_a_self_contained_intact_file(
    allow_flush: None, cast: Any, tmp_path: Path
):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite file format")
    register(cast.alice, "Backup Check Ltd")
    out = tmp_path / "x.sqlite3"
    call_command("backup", output=out)
    assert not (tmp_path / "x.sqlite3-wal").exists()
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    conn = sqlite3.connect(out)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert conn.execute("SELECT COUNT(*) FROM customers_customer").fetchone() == (1,)
