"""A throwaway database for a benchmark: SQLite in a temporary folder, or, when DATABASE_URL
names a PostgreSQL server, a fresh database `guishu_bench` on that server (dropped first)."""

import os
import tempfile
from urllib.parse import urlsplit, urlunsplit


def use_scratch_database(*, again: bool = False, reuse: bool = False) -> str:
    """Points the settings at a new empty database, migrates it, and says which one it is.

    `again` empties the scratch database of a benchmark that runs several sizes. `reuse`
    keeps the one a previous run left (GUISHU_VAR_DIR for SQLite, guishu_bench on PostgreSQL)
    so a slow seeding need not be repeated to measure again.
    """
    if again:
        return _empty_again()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guishu.config.settings")
    if not reuse or "GUISHU_VAR_DIR" not in os.environ:
        os.environ["GUISHU_VAR_DIR"] = tempfile.mkdtemp(prefix="guishu-bench-")
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")) and reuse:
        parts = urlsplit(url)
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path="/guishu_bench"))
    elif url.startswith(("postgres://", "postgresql://")):
        import psycopg

        with psycopg.connect(url, autocommit=True) as server:
            server.execute("DROP DATABASE IF EXISTS guishu_bench WITH (FORCE)")
            server.execute("CREATE DATABASE guishu_bench")
        parts = urlsplit(url)
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path="/guishu_bench"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return "postgresql" if url.startswith("postgres") else "sqlite"


def _empty_again() -> str:
    from django.core.management import call_command
    from django.db import connection

    from guishu.ownership.db_guards import install_event_guards, remove_event_guards

    remove_event_guards(connection)
    call_command("flush", "--no-input", verbosity=0)
    install_event_guards(connection)
    return connection.vendor
