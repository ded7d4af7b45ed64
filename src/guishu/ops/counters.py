"""Hourly counts of what operators watch: slow requests and failed tasks (`OpsCount`)."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F, Sum
from django.utils import timezone

from guishu.ops.models import OpsCount

logger = logging.getLogger(__name__)


def hour_of(moment: datetime) -> datetime:
    """The start of the UTC hour `moment` falls in."""
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def ops_count_add(*, metric: str, key: str, now: datetime | None = None) -> None:
    """Adds one to this hour's count of `metric` for `key`: one UPDATE, or an INSERT for the
    hour's first; two processes inserting the same hour at once both end up counted.

    Never raises: a count that cannot be written (the database is down, which is why the
    request was slow) is logged and dropped rather than failing what it counts.
    """
    hour = hour_of(now or timezone.now())
    key = key[:200]
    rows = OpsCount.objects.filter(metric=metric, key=key, hour=hour)
    with _off_the_books():
        _add(rows, metric=metric, key=key, hour=hour)


@contextmanager
def _off_the_books() -> Iterator[None]:
    """Keeps the count's own queries out of a query log being captured (the tests' query
    budgets of a page): counting a slow request must not change what the request costs."""
    captured = connection.force_debug_cursor
    connection.force_debug_cursor = False
    try:
        yield
    finally:
        connection.force_debug_cursor = captured


def _add(rows: Any, *, metric: str, key: str, hour: datetime) -> None:
    try:
        if rows.update(count=F("count") + 1):
            return
        try:
            with transaction.atomic():
                OpsCount.objects.create(metric=metric, key=key, hour=hour, count=1)
        except IntegrityError:
            rows.update(count=F("count") + 1)  # another process inserted the hour first
    except DatabaseError:
        logger.warning("could not count %s %s", metric, key, exc_info=True)


def ops_counts(*, now: datetime | None = None, hours: int = 24) -> dict[str, object]:
    """The counts of the last `hours` hours (this one included): totals per metric, per key
    (most first) and per hour, for the ops page and the API."""
    now = now or timezone.now()
    since = hour_of(now) - timedelta(hours=hours - 1)
    recent = OpsCount.objects.filter(hour__gte=since)
    result: dict[str, object] = {"since": since, "hours": hours}
    for metric in OpsCount.Metric.values:
        rows = recent.filter(metric=metric)
        by_key = rows.values("key").annotate(n=Sum("count")).order_by("-n", "key")
        by_hour = rows.values("hour").annotate(n=Sum("count")).order_by("hour")
        result[metric] = {
            "total": sum(row["n"] for row in by_key),
            "by_key": [{"key": row["key"], "count": row["n"]} for row in by_key[:20]],
            "by_hour": [{"hour": row["hour"], "count": row["n"]} for row in by_hour],
        }
    return result
