"""Grouping over a grouping: an ORM query (which adapts its own parameters on SQLite and
PostgreSQL) wrapped in an outer SELECT written here. Plain aggregate SQL both databases run."""

from typing import Any

from django.db import connection, transaction
from django.db.models import Model, QuerySet

WORK_MEM = "256MB"


def table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def rows_over(
    inner: QuerySet[Any], outer: str, params: list[Any] | None = None
) -> list[tuple[Any, ...]]:
    """Runs `outer`, whose `{inner}` placeholder becomes the ORM query as a derived table."""
    inner_sql, inner_params = inner.query.sql_with_params()
    sql = outer.replace("{inner}", f"({inner_sql})")
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Grouping a year of rows by customer needs far more than the default 4 MB to hash
            # without spilling to disk; for this transaction only.
            cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
            # Compiling these one-off aggregates costs more than it saves.
            cursor.execute("SET LOCAL jit = off")
            # A parallel plan here has every worker build the same per-customer hash (the
            # grouping is not parallel-aware under the join): three times the work for one.
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        cursor.execute(sql, [*inner_params, *(params or [])])
        return list(cursor.fetchall())


def q(name: str) -> str:
    return connection.ops.quote_name(name)
