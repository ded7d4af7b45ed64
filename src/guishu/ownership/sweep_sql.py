"""The sweep's statements, on PostgreSQL and SQLite: select a batch of terms due (or nearly),
end the due ones with a compare-and-set UPDATE, and write rows in bulk.

The due condition mirrors `guishu.domain.forecast.reclaim_forecast` in SQL. Every "clock +
window <= at" is written "clock <= at - window", so each comparison is a column against a
value computed here: no date arithmetic in SQL, the same text on both databases, and index-
and planner-friendly.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection, models
from django.utils.dateparse import parse_datetime

from guishu.domain import Basis, Level, OwnershipState, Person, Policy
from guishu.ownership.models import Ownership

TERMS = Ownership._meta.db_table
CUSTOMERS = "customers_customer"
# The customer's level as seen from the terms table itself: UPDATE ... RETURNING may only
# name the table it updates, on SQLite, so the level comes through a correlated subquery.
LEVEL_OF_TERM = f"(SELECT level FROM {CUSTOMERS} WHERE {CUSTOMERS}.id = {TERMS}.customer_id)"  # noqa: S608  # nosec B608 - names are ours


@dataclass(frozen=True)
class TermRow:
    """An active term as the sweep reads it: the term's clocks and the customer's level.

    `due_now` is the SQL's verdict for the sweep's `now` (the batch is selected up to the end
    of the warning window, so it holds the nearly-due too).
    """

    term_id: int
    customer_id: int
    owner_id: int
    basis: str
    started_at: datetime
    protected_until: datetime | None
    last_follow_up_at: datetime | None
    deal_won_at: datetime | None
    level: str
    customer_name: str = ""
    due_now: bool = False

    def state(self, owner: Person) -> OwnershipState:
        """The engine's view of this term (unlocked: locked terms are never selected)."""
        return OwnershipState(
            customer_name=self.customer_name,
            level=Level(self.level),
            owner=owner,
            basis=Basis(self.basis),
            owner_since=self.started_at,
            protected_until=self.protected_until,
            last_follow_up_at=self.last_follow_up_at,
            deal_won_at=self.deal_won_at,
        )


@dataclass(frozen=True)
class OwnerScope:
    """Whose terms a policy governs: the owners in `teams`, or (teams None) everyone except
    the owners in `excluded` (teams with a policy of their own)."""

    teams: tuple[int, ...] | None = None
    excluded: tuple[int, ...] = ()

    def sql(self, term: str) -> str:
        """SQL true for the terms in scope (team ids are ours, integers, written inline)."""
        users = "accounts_user"
        if self.teams is not None:
            ids = ",".join(str(int(t)) for t in self.teams) or "NULL"
            return f"{term}.owner_id IN (SELECT id FROM {users} WHERE team_id IN ({ids}))"  # noqa: S608  # nosec B608 # ints and our names
        if not self.excluded:
            return "1 = 1"
        ids = ",".join(str(int(t)) for t in self.excluded)
        return f"{term}.owner_id NOT IN (SELECT id FROM {users} WHERE team_id IN ({ids}))"  # noqa: S608  # nosec B608 # ints and our names


EVERYONE = OwnerScope()


def due_by(
    at: datetime, policy: Policy, *, term: str, level: str, prefix: str
) -> tuple[str, dict[str, Any]]:
    """SQL true when the term's forecast reclaim is due at or before `at`: not locked;
    protection over by `at`; and no valid follow-up for the level's window, or no deal for the
    no-deal window. `term` names the terms table (or its alias), `level` is the SQL for the
    customer's level, and `prefix` keeps the parameter names of two such conditions apart."""
    adapt = connection.ops.adapt_datetimefield_value

    def param(name: str, value: Any) -> str:
        params[f"{prefix}_{name}"] = value
        return f"%({prefix}_{name})s"

    params: dict[str, Any] = {}
    at_sql = param("at", adapt(at))
    by_level = []
    for lvl in Level:
        follow_up_sql = param(
            f"follow_up_{lvl.value}", adapt(cutoff(at, policy.follow_up_window(lvl), policy))
        )
        no_deal_sql = param(
            f"no_deal_{lvl.value}", adapt(cutoff(at, policy.no_deal_window(lvl), policy))
        )
        by_level.append(
            f"({level} = {param(f'level_{lvl.value}', lvl.value)}"
            f" AND (({term}.started_at <= {follow_up_sql} AND ({term}.last_follow_up_at IS NULL"
            f" OR {term}.last_follow_up_at <= {follow_up_sql}))"
            f" OR ({term}.deal_won_at IS NULL AND {term}.started_at <= {no_deal_sql})))"
        )
    sql = f"""({term}.ended_at IS NULL AND {term}.locked_at IS NULL
        AND ({term}.protected_until IS NULL OR {term}.protected_until <= {at_sql})
        AND ({" OR ".join(by_level)}))"""
    return sql, params


def cutoff(at: datetime, window: timedelta, policy: Policy) -> datetime:
    """The latest moment a clock may have started for `window` of working time to have run
    out by `at`: the forecast's "pauses.after(start, window) <= at" turned round exactly
    (`Pauses.before`), holidays included."""
    return policy.pauses.before(at, window)


def select_candidates(
    after: int,
    now: datetime,
    policy: Policy,
    limit: int,
    *,
    lock: bool,
    scope: OwnerScope = EVERYONE,
) -> list[TermRow]:
    """The next `limit` active terms by customer id after `after` whose reclaim is due by the
    end of the warning window, each marked due now or not. With `lock` (PostgreSQL), their
    customers are locked in ascending id order, the lock every ownership service takes first.
    """
    near_sql, params = due_by(now + policy.warning, policy, term="o", level="c.level", prefix="n")
    due_sql, due_params = due_by(now, policy, term="o", level="c.level", prefix="d")
    # "c.id > after" repeats the join's bound for the planner, so both index scans start at
    # the batch rather than at the first customer. NO KEY UPDATE excludes the services' FOR
    # UPDATE on a customer just as FOR UPDATE would, but lets through inserts that merely
    # reference these customers.
    locking = " FOR NO KEY UPDATE OF c" if lock and connection.vendor == "postgresql" else ""
    sql = f"""SELECT o.id, o.customer_id, o.owner_id, o.basis, o.started_at, o.protected_until,
            o.last_follow_up_at, o.deal_won_at, c.level, c.name,
            CASE WHEN {due_sql} THEN 1 ELSE 0 END
        FROM {TERMS} o JOIN {CUSTOMERS} c ON c.id = o.customer_id
        WHERE o.customer_id > %(after)s AND c.id > %(after)s AND {near_sql}
            AND {scope.sql("o")}
        ORDER BY o.customer_id LIMIT %(limit)s{locking}"""  # noqa: S608  # nosec B608 - names are ours, values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, {**params, **due_params, "after": after, "limit": limit})
        return [_term_row(record) for record in cursor.fetchall()]


def end_due_terms(
    term_ids: list[int], now: datetime, policy: Policy, scope: OwnerScope = EVERYONE
) -> list[TermRow]:
    """Ends the terms among `term_ids` that are still due now; returns them as they stood.

    Compare-and-set: the WHERE repeats the due condition on each row's current values, so a
    term that a follow-up extended, a deal exempted or another sweep ended is left alone.
    RETURNING gives the clocks the WHERE judged (`ended_at` is not among them), marked due.
    """
    if not term_ids:
        return []
    due_sql, params = due_by(now, policy, term=TERMS, level=LEVEL_OF_TERM, prefix="d")
    if connection.vendor == "postgresql":
        # One text parameter, not an array of 10,000 bound integers: far cheaper to send.
        in_batch, ids = "id = ANY(%(ids)s::bigint[])", "{" + ",".join(map(str, term_ids)) + "}"
    else:
        in_batch, ids = "id IN (SELECT value FROM json_each(%(ids)s))", json.dumps(term_ids)
    sql = f"""UPDATE {TERMS} SET ended_at = %(now)s, end_reason = %(reason)s
        WHERE {in_batch} AND {due_sql} AND {scope.sql(TERMS)}
        RETURNING id, customer_id, owner_id, basis, started_at, protected_until,
            last_follow_up_at, deal_won_at, {LEVEL_OF_TERM}, '', 1"""  # noqa: S608  # nosec B608 - names are ours, values are parameters
    now_value = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(sql, {**params, "ids": ids, "now": now_value, "reason": "reclaimed"})
        return [_term_row(record) for record in cursor.fetchall()]


def insert_new_rows(
    model: type[models.Model], rows: Sequence[dict[str, Any]], unique: Sequence[str]
) -> int:
    """Like `insert_rows`, skipping rows whose `unique` columns match a row already there
    (also one a concurrent transaction inserts first); returns how many were new."""
    if not rows:
        return 0
    columns, values = _prepared(model, rows)
    table, names, conflict = model._meta.db_table, ", ".join(columns), ", ".join(unique)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY cannot skip conflicts: copy into a scratch table, then insert from it.
            shape = f"SELECT {names} FROM {table} WITH NO DATA"  # noqa: S608  # nosec B608 - ours
            cursor.execute(f"CREATE TEMPORARY TABLE sweep_incoming ON COMMIT DROP AS {shape}")
            with cursor.cursor.copy(f"COPY sweep_incoming ({names}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT {names} FROM sweep_incoming "  # noqa: S608  # nosec B608 - names are ours
                f"ON CONFLICT ({conflict}) DO NOTHING"
            )
            inserted = int(cursor.rowcount)
            cursor.execute("DROP TABLE sweep_incoming")
            return inserted
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({marks}) "  # noqa: S608  # nosec B608 - names are ours
            f"ON CONFLICT ({conflict}) DO NOTHING",
            values,
        )
        return int(cursor.rowcount)


def insert_rows(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> None:
    """Appends rows in bulk: COPY on PostgreSQL, one prepared INSERT run many times on
    SQLite. A tenth of the cost of `bulk_create` for the sweep's tens of thousands of events."""
    if not rows:
        return
    columns, values = _prepared(model, rows)
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608  # nosec B608 - names are ours
            cursor.executemany(sql, values)


def _prepared(
    model: type[models.Model], rows: Sequence[dict[str, Any]]
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column names and database values for `rows` (dicts by column name). Columns a row does
    not name take the field's default, so a column added later does not break the sweep."""
    adapt = connection.ops.adapt_datetimefield_value
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    named = set().union(*(row.keys() for row in rows))
    defaults = {
        f.column: f.get_db_prep_save(f.get_default(), connection)
        for f in fields
        if f.column not in named
    }
    converters = {f.column: _converter(f, adapt) for f in fields if f.column in named}
    columns = [str(f.column) for f in fields]
    values = [
        tuple(
            converters[column](row[column]) if column in converters else defaults[column]
            for column in columns
        )
        for row in rows
    ]
    return columns, values


def _converter(field: models.Field, adapt: Any) -> Any:  # type: ignore[type-arg]
    if isinstance(field, models.DateTimeField):
        return adapt
    if isinstance(field, models.JSONField):
        return lambda value: json.dumps(value, ensure_ascii=False)
    return _unchanged


def _unchanged(value: Any) -> Any:
    return value


def _term_row(record: Sequence[Any]) -> TermRow:
    term_id, customer_id, owner_id, basis, started, protected, followed, won, level = record[:9]
    return TermRow(
        term_id=term_id,
        customer_id=customer_id,
        owner_id=owner_id,
        basis=basis,
        started_at=_aware(started),
        protected_until=_aware_or_none(protected),
        last_follow_up_at=_aware_or_none(followed),
        deal_won_at=_aware_or_none(won),
        level=level,
        customer_name=record[9],
        due_now=bool(record[10]),
    )


def _aware(value: datetime | str) -> datetime:
    """A datetime read by raw SQL: PostgreSQL gives it aware, SQLite as naive UTC or text."""
    if isinstance(value, str):
        parsed = parse_datetime(value)
        assert parsed is not None, value
        value = parsed
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _aware_or_none(value: datetime | str | None) -> datetime | None:
    return None if value is None else _aware(value)
