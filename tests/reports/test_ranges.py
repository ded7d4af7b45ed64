"""The reports that group activities per customer do it by customer-id range and add the
ranges up; on PostgreSQL the ranges run at once on connections of their own. Splitting must
never change a figure, and the connections must not outlive the report."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import override_settings

from guishu.reports import sql
from guishu.reports.concentration import concentration
from guishu.reports.cost import cost_to_serve
from tests.factories import register
from tests.reports.builders import Q3, order, touches

pytestmark = pytest.mark.db_facing


def test_the_ranges_cover_every_customer_id_once(cast):
    assert sql.customer_ranges() == []
    ids = [register(cast.alice, f"Range {n} GmbH").pk for n in range(7)]
    with override_settings(GUISHU_REPORT_SHARDS=3):
        ranges = sql.customer_ranges()
    assert len(ranges) == 3
    assert ranges[0][0] == ids[0] and ranges[-1][1] == ids[-1]
    covered = [i for low, high in ranges for i in range(low, high + 1)]
    assert covered == list(range(ids[0], ids[-1] + 1))
    with override_settings(GUISHU_REPORT_SHARDS=50):
        assert len(sql.customer_ranges()) == len(ids)  # never an empty range


def world(cast):  # type: ignore[no-untyped-def]
    """Six customers across the id ranges, visited, called and written to by two people."""
    for n in range(6):
        customer = register(cast.alice if n % 2 else cast.bob, f"Spread {n} AG", level="ABC"[n % 3])
        touches(customer, cast.alice, "in_person", n % 3)
        touches(customer, cast.bob, "phone", n)
        touches(customer, cast.alice, "email", 2)
        order(customer, {cast.alice: str(1000 * (n + 1))})


def figures(cast):  # type: ignore[no-untyped-def]
    cost = cost_to_serve(viewer=cast.diana, period=Q3)
    spread = concentration(viewer=cast.carol, period=Q3)
    return cost, spread


@pytest.mark.parametrize("shards", [1, 2, 4, 6])
def test_splitting_into_ranges_changes_no_figure(cast, shards):
    world(cast)
    with override_settings(GUISHU_REPORT_SHARDS=1):
        whole = figures(cast)
    with override_settings(GUISHU_REPORT_SHARDS=shards):
        split = figures(cast)
    assert split == whole
    cost, spread = whole
    assert cost.total.customers == 6 and cost.total.touches["phone"] == 15
    assert cost.total.cost == Decimal("6151.20")  # 6 visits, 15 calls, 12 e-mails
    assert [r.label for r in cost.top_customers][:2] == ["Spread 5 AG", "Spread 2 AG"]
    assert sum(s.contacted for s in spread.spread) == 6


def test_inside_a_transaction_the_ranges_run_on_its_own_connection(cast):
    world(cast)
    seen: list[str] = []

    def where(low: int, high: int) -> str:
        seen.append(threading.current_thread().name)
        return f"{low}-{high}"

    with override_settings(GUISHU_REPORT_SHARDS=3):
        assert len(sql.by_customer_range(where)) == 3
    assert set(seen) == {threading.current_thread().name}


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_ranges_run_at_once_and_close_their_connections(cast, allow_flush):
    if connection.vendor != "postgresql":
        pytest.skip("connections of their own are for PostgreSQL (SQLite runs them in turn)")
    world(cast)
    with override_settings(GUISHU_REPORT_SHARDS=1):
        whole = figures(cast)

    def backends() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
            )
            return int(cursor.fetchone()[0])

    before = backends()
    barrier = threading.Barrier(3, timeout=30)

    def backend(low: int, high: int) -> int:
        from django.db import connection as own

        barrier.wait()  # all three ranges are running at the same time
        with own.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return int(cursor.fetchone()[0])

    with override_settings(GUISHU_REPORT_SHARDS=3):
        pids = set(sql.by_customer_range(backend))
        assert figures(cast) == whole
    assert len(pids) == 3 and connection.cursor().connection.info.backend_pid not in pids
    assert backends() == before
