"""Grouping over a grouping: an ORM query (which adapts its own parameters on SQLite and
PostgreSQL) wrapped in an outer SELECT written here. Plain aggregate SQL both databases run.

The reports that group a period's activities per customer do it by customer-id range
(`by_customer_range`): each range is one query whose plan reads the activities in customer
order from a covering index and joins the customers in the same order, without hashing
hundreds of thousands of groups. On PostgreSQL the ranges (and whatever else a report asks
`at_once`) run at the same time, each on a connection of its own, so a whole company's year
uses every core the database has (docs/reports.md).
"""

import math
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import Max, Min, Model, QuerySet

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
            # Grouping a year of rows by customer needs far more than the default 4 MB to sort
            # or hash without spilling to disk; for this transaction only.
            cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
            # Compiling these one-off aggregates costs more than it saves.
            cursor.execute("SET LOCAL jit = off")
            # A parallel plan here has every worker build the same per-customer groups (the
            # grouping is not parallel-aware under the join): the ranges run in parallel
            # instead (`by_customer_range`).
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        cursor.execute(sql, [*inner_params, *(params or [])])
        return list(cursor.fetchall())


def q(name: str) -> str:
    return connection.ops.quote_name(name)


def added_up(rows: Iterable[Sequence[Any]], *, key: int, start: int) -> dict[Any, list[int]]:
    """The ranges' rows with the same `key` column added up, column by column from `start`
    (a NULL counts as 0)."""
    totals: dict[Any, list[int]] = {}
    for row in rows:
        sums = totals.setdefault(row[key], [0] * (len(row) - start))
        for i, value in enumerate(row[start:]):
            sums[i] += int(value or 0)
    return totals


def customer_ranges() -> list[tuple[int, int]]:
    """`GUISHU_REPORT_SHARDS` inclusive ranges of customer ids covering every customer (fewer
    when there are fewer ids); none when there are no customers."""
    from guishu.customers.models import Customer

    parts = max(int(settings.GUISHU_REPORT_SHARDS), 1)
    bounds = Customer.objects.aggregate(low=Min("pk"), high=Max("pk"))
    low, high = bounds["low"], bounds["high"]
    if low is None or high is None:
        return []
    step = math.ceil((high - low + 1) / parts)
    return [(start, min(start + step - 1, high)) for start in range(low, high + 1, step)]


def _concurrent() -> bool:
    """Calls may run on connections of their own only on PostgreSQL, and only outside a
    transaction: inside one (a caller's, or a test's) other connections would not see its
    uncommitted rows."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def at_once[T](calls: Sequence[Callable[[], T]]) -> list[T]:
    """The calls' results, in order: computed at once on PostgreSQL (each call on a connection
    of its own, closed when done), one after the other otherwise."""
    if len(calls) < 2 or not _concurrent():
        return [call() for call in calls]

    def run(call: Callable[[], T]) -> T:
        try:
            return call()
        finally:
            connections.close_all()  # this thread's connections only

    with ThreadPoolExecutor(max_workers=len(calls), thread_name_prefix="report") as pool:
        return list(pool.map(run, calls))


def by_customer_range[T](work: Callable[[int, int], T]) -> list[T]:
    """`work(low, high)` for each customer-id range, at once where `at_once` may (the same
    ranges either way, so the figures are added up the same way everywhere). The results
    come back in range order; adding them up is the caller's part."""
    return at_once([partial(work, low, high) for low, high in customer_ranges()])
