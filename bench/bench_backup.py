"""Backup and restore at scale: the figures behind docs/backup.md's recovery point and time.

Seeds N customers (default 100,000) into a scratch database, each with a phone identifier, a
contact, five activities with a sentence of notes, an ownership term and its registration
event; then times `backup_create` (SQLite: online backup API + VACUUM + integrity check;
PostgreSQL: pg_dump -Fc) and `backup_restore` into a fresh database, and checks that every
table's row count came back.

    .venv/bin/python bench/bench_backup.py [N]                    # SQLite
    DATABASE_URL=postgres://root@127.0.0.1:5432/postgres .venv/bin/python bench/bench_backup.py
"""

import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench_sweep import insert_select
from scratch import use_scratch_database

ACTIVITIES_PER_CUSTOMER = 5


def seed(total: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from guishu.accounts.models import User
    from guishu.activities.models import Activity
    from guishu.customers.models import Contact, Customer, Identifier
    from guishu.ownership.models import Ownership, OwnershipEvent

    now = connection.ops.adapt_datetimefield_value(timezone.now())
    then = connection.ops.adapt_datetimefield_value(timezone.now() - timedelta(days=30))
    rep = User.objects.create(username="bench-rep", display_name="Bench", role="rep", password="!")  # noqa: S106
    if connection.vendor == "postgresql":
        numbers = "SELECT i AS seq FROM generate_series(0, %(last)s) AS i"
    else:
        numbers = (
            "WITH RECURSIVE n(seq) AS (SELECT 0 UNION ALL SELECT seq + 1 FROM n "
            "WHERE seq < %(last)s) SELECT seq FROM n"
        )
    table = Customer._meta.db_table
    customers = f"SELECT id AS customer_id, id AS seq FROM {table}"  # noqa: S608
    params: dict[str, Any] = {"last": total - 1, "now": now, "then": then, "rep": rep.pk}
    with transaction.atomic():
        insert_select(
            Customer,
            numbers,
            {
                "name": "'Bench customer ' || seq",
                "created_at": "%(now)s",
                "created_by_id": "%(rep)s",
            },
            params,
        )
        insert_select(
            Identifier,
            customers,
            {
                "customer_id": "customer_id",
                "kind": "'phone'",
                "value": "'+86 139 ' || (10000000 + seq)",
            },
            params,
        )
        insert_select(
            Contact,
            customers,
            {
                "customer_id": "customer_id",
                "name": "'Contact ' || seq",
                "phone": "'+86 138 ' || (10000000 + seq)",
                "email": "'buyer' || seq || '@example.com'",
            },
            params,
        )
        for k in range(ACTIVITIES_PER_CUSTOMER):
            insert_select(
                Activity,
                customers,
                {
                    "customer_id": "customer_id",
                    "by_id": "%(rep)s",
                    "kind": "'call'",
                    "occurred_at": "%(then)s",
                    "created_at": "%(then)s",
                    "note": f"'Call {k}: asked about lead times and the 40-foot price, ' || seq",
                },
                params,
            )
        insert_select(
            Ownership,
            customers,
            {
                "customer_id": "customer_id",
                "owner_id": "%(rep)s",
                "basis": "'registered'",
                "started_at": "%(then)s",
            },
            params,
        )
        insert_select(
            OwnershipEvent,
            customers,
            {
                "customer_id": "customer_id",
                "kind": "'registered'",
                "at": "%(then)s",
                "recorded_at": "%(then)s",
                "actor_id": "%(rep)s",
                "to_owner_id": "%(rep)s",
            },
            params,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> int:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    engine = use_scratch_database()
    from django.db import connection

    from guishu.ops.backup import backup_create, backup_restore, row_counts

    started = time.perf_counter()
    seed(total)
    print(f"backup ({engine}): seeded {total:,} customers in {time.perf_counter() - started:.1f} s")
    live = dict(connection.settings_dict)
    counts = row_counts(live)
    rows = sum(counts.values())
    folder = Path(tempfile.mkdtemp(prefix="guishu-bench-backup-"))
    backup = backup_create(
        database=live, output=folder / f"bench.{'sqlite3' if engine == 'sqlite' else 'dump'}"
    )
    if engine == "sqlite":
        size = Path(live["NAME"]).stat().st_size
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            size = cursor.fetchone()[0]
    print(
        f"  backup: {backup.seconds:.1f} s for {rows:,} rows"
        + (f" ({size / 1e6:,.0f} MB database)" if size else "")
        + f", backup file {backup.size / 1e6:,.0f} MB"
    )
    if engine == "sqlite":
        target = {"ENGINE": live["ENGINE"], "NAME": str(folder / "restored.sqlite3")}
    else:
        import psycopg

        server = {k: live.get(k) or None for k in ("HOST", "PORT", "USER", "PASSWORD")}
        with psycopg.connect(
            dbname="postgres",
            host=server["HOST"],
            port=server["PORT"],
            user=server["USER"],
            password=server["PASSWORD"],
            autocommit=True,
        ) as admin:
            admin.execute("DROP DATABASE IF EXISTS guishu_bench_restore WITH (FORCE)")
            admin.execute("CREATE DATABASE guishu_bench_restore")
        target = {**live, "NAME": "guishu_bench_restore"}
    restored = backup_restore(source=backup.path, database=target)
    print(f"  restore: {restored.seconds:.1f} s into an empty database")
    if row_counts(target) != counts:
        print("  MISMATCH: the restored row counts differ")
        return 1
    print(f"  restored row counts match ({len(counts)} tables)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
