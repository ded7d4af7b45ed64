"""Liveness and readiness, as load balancers and orchestrators probe them.

Liveness (`/healthz`) says the process answers; it touches nothing else, so a database outage
does not get every web process restarted. Readiness (`/readyz`) says this process can serve
real work: the database answers, every migration the code knows is applied, and a task
worker has beaten recently. Each check answers one word; no error text, version or host name
leaves the process (the details go to the log).
"""

import logging
from datetime import datetime

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

from guishu.ops.heartbeat import heartbeat_max_age, worker_heartbeat_age

logger = logging.getLogger(__name__)

OK = "ok"
_migrations_applied = False  # once true, true for this process: migrations are not unapplied


def forget() -> None:
    """Drops the remembered migration check (tests)."""
    global _migrations_applied
    _migrations_applied = False


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("readiness: database unreachable", exc_info=True)
        return "unreachable"
    return OK


def _migrations() -> str:
    global _migrations_applied
    if _migrations_applied:
        return OK
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        logger.warning("readiness: migrations unknown", exc_info=True)
        return "unknown"
    if pending:
        logger.warning("readiness: %d migrations not applied", len(pending))
        return "pending"
    _migrations_applied = True
    return OK


def _worker(now: datetime | None) -> str:
    max_age = heartbeat_max_age()
    if max_age <= 0:
        return "not_checked"
    try:
        age = worker_heartbeat_age(now=now)
    except DatabaseError:
        return "unknown"
    if age is None:
        return "missing"
    return OK if age <= max_age else "stale"


def readiness(*, now: datetime | None = None) -> dict[str, str]:
    """Each check's answer: "ok", or what is wrong ("unreachable", "pending", "stale", ...).
    Without a database the other checks are not tried."""
    database = _database()
    if database != OK:
        return {"database": database, "migrations": "unknown", "worker": "unknown"}
    return {"database": OK, "migrations": _migrations(), "worker": _worker(now)}


def failed(checks: dict[str, str]) -> list[str]:
    return [name for name, answer in checks.items() if answer not in (OK, "not_checked")]
