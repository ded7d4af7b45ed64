"""The reclaim sweep at scale. Seeds N owned customers straight into a scratch database with
one INSERT ... SELECT per table (generate_series on PostgreSQL, a recursive CTE on SQLite), a
known share of them due, near their due date, or held back by a lock, protection or a won
deal; then times a sweep, a second sweep (which must find nothing), and checks the counts.

    .venv/bin/python bench/bench_sweep.py [N]                    # default 100000, SQLite
    DATABASE_URL=postgres://root@127.0.0.1:5432/test .venv/bin/python bench/bench_sweep.py 1000000
"""

import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from scratch import use_scratch_database

CUSTOMERS_PER_REP = 1000


@dataclass(frozen=True)
class Mix:
    """A slice of the customers (`share` in percent) and how their terms stand."""

    share: int
    level: str
    started: int  # days ago
    followed_up: int | None = None
    deal_won: int | None = None
    protected_for: int | None = None  # days from now
    locked: bool = False
    outcome: str = ""  # "no_follow_up", "no_deal", "warned" or "" (left alone)


MIXES = [
    Mix(6, "A", started=40, followed_up=20, outcome="no_follow_up"),
    Mix(2, "C", started=100, followed_up=2, outcome="no_deal"),
    Mix(2, "B", started=40, followed_up=28, outcome="warned"),
    Mix(1, "C", started=200, locked=True),
    Mix(1, "A", started=20, protected_for=10),
    Mix(8, "C", started=200, followed_up=5, deal_won=150),
    Mix(80, "C", started=40, followed_up=10),
]
assert sum(mix.share for mix in MIXES) == 100


def case(column: str, values: list[Any], params: dict[str, Any]) -> str:
    """SQL choosing each mix's value by the row's position in the hundred (`seq % 100`)."""
    branches, upper = [], 0
    for k, (mix, value) in enumerate(zip(MIXES, values, strict=True)):
        upper += mix.share
        params[f"{column}_{k}"] = value
        branches.append(f"WHEN seq %% 100 < {upper} THEN %({column}_{k})s")
    return f"CASE {' '.join(branches)} END"


def insert_select(model: Any, source: str, values: dict[str, str], params: dict[str, Any]) -> None:
    """INSERT INTO model's table every row of `source`: columns named in `values` take
    that SQL, the others their model default (so new columns do not break the benchmark)."""
    from django.db import connection

    columns, expressions = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(field.column)
        if field.column in values:
            expressions.append(values[field.column])
        else:
            default = field.get_default()  # "" for a blank text field without one
            assert default is not None or field.null, f"no value for {field.column}"
            params[f"default_{field.column}"] = field.get_db_prep_save(default, connection)
            expressions.append(f"%(default_{field.column})s")
    sql = (
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "  # noqa: S608 - ours
        f"SELECT {', '.join(expressions)} FROM ({source}) AS source"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def seed(total: int, now: Any) -> None:
    from django.db import connection, transaction

    from guishu.accounts.models import User
    from guishu.customers.models import Customer
    from guishu.ownership.models import Ownership

    adapt = connection.ops.adapt_datetimefield_value

    def ago(days: int | None) -> Any:
        return None if days is None else adapt(now - timedelta(days=days))

    reps = User.objects.bulk_create(
        User(username=f"rep{i}", display_name=f"Rep {i}", role="rep", password="!")  # noqa: S106 - unusable
        for i in range(max(1, total // CUSTOMERS_PER_REP))
    )
    first_rep = min(rep.pk for rep in reps)
    assert max(rep.pk for rep in reps) == first_rep + len(reps) - 1, "rep ids must be dense"
    if connection.vendor == "postgresql":
        numbers = "SELECT i AS seq FROM generate_series(0, %(last)s) AS i"
    else:
        numbers = (
            "WITH RECURSIVE n(seq) AS (SELECT 0 UNION ALL SELECT seq + 1 FROM n "
            "WHERE seq < %(last)s) SELECT seq FROM n"
        )
    with transaction.atomic():
        params: dict[str, Any] = {"last": total - 1, "now": adapt(now), "creator": first_rep}
        level = case("level", [mix.level for mix in MIXES], params)
        insert_select(
            Customer,
            numbers,
            {
                "name": "'Bench customer ' || seq",
                "level": level,
                "created_at": "%(now)s",
                "created_by_id": "%(creator)s",
            },
            params,
        )
        first = Customer.objects.order_by("pk").values_list("pk", flat=True).first()
        params = {"first": first, "first_rep": first_rep, "reps": len(reps)}
        terms = {
            "customer_id": "customer_id",
            "owner_id": "%(first_rep)s + seq %% %(reps)s",
            "basis": "'registered'",
            "started_at": case("started", [ago(m.started) for m in MIXES], params),
            "last_follow_up_at": case("followed", [ago(m.followed_up) for m in MIXES], params),
            "deal_won_at": case("won", [ago(m.deal_won) for m in MIXES], params),
            "locked_at": case("locked", [ago(1) if m.locked else None for m in MIXES], params),
            "protected_until": case(
                "protected",
                [None if m.protected_for is None else ago(-m.protected_for) for m in MIXES],
                params,
            ),
        }
        table = Customer._meta.db_table
        customers = f"SELECT id AS customer_id, id - %(first)s AS seq FROM {table}"  # noqa: S608
        insert_select(Ownership, customers, terms, params)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def expected(total: int) -> dict[str, int]:
    counts = dict.fromkeys(["no_follow_up", "no_deal", "warned"], 0)
    for seq in range(total):
        upper = 0
        for mix in MIXES:
            upper += mix.share
            if seq % 100 < upper:
                if mix.outcome:
                    counts[mix.outcome] += 1
                break
    return counts


def main() -> int:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    database = use_scratch_database()
    from django.utils import timezone

    from guishu.ownership.sweep import ownership_sweep

    now = timezone.now()
    started = time.perf_counter()
    seed(total, now)
    seeded = time.perf_counter() - started
    print(f"sweep ({database}): seeded {total:,} owned customers in {seeded:.1f} s")

    started = time.perf_counter()
    first = ownership_sweep(now=now)
    elapsed = time.perf_counter() - started
    found = {**{rule.value: n for rule, n in first.reclaimed.items()}, "warned": first.warned}
    found = {key: found.get(key, 0) for key in expected(total)}
    print(
        f"  first sweep: {elapsed:.1f} s for {total:,} customers ({total / elapsed:,.0f}/s): "
        f"reclaimed {first.reclaimed_total:,} (no follow-up {found['no_follow_up']:,}, "
        f"no deal {found['no_deal']:,}), warned {first.warned:,}"
    )
    started = time.perf_counter()
    second = ownership_sweep(now=now)
    print(
        f"  second sweep: {time.perf_counter() - started:.1f} s, reclaimed "
        f"{second.reclaimed_total}, warned {second.warned}"
    )
    if found != expected(total) or second.reclaimed_total or second.warned:
        print(f"  MISMATCH: expected {expected(total)}, found {found}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
