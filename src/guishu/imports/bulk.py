"""Inserting many rows fast: COPY on PostgreSQL, one prepared INSERT run for every row on
SQLite.

An import of 100,000 customers writes about a million rows (each customer's identity keys are
most of them). Building a model instance per row and letting bulk_create compile its SQL costs
more than a hundred microseconds a row; here a row is a tuple, each value is converted the way
its field stores it, and columns the caller leaves out get their field's default.
"""

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, models
from django.utils import timezone

Convert = Callable[[Any], Any]


# SQLite's page cache for an import's connection: the identity-key index takes random inserts
# and lookups that thrash the default 2 MB. Given back when the import ends.
IMPORT_CACHE_KB = 256 * 1024


@contextmanager
def large_cache() -> Iterator[None]:
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


class RawJSON(str):
    """A value already serialised as JSON, inserted as it is."""

    __slots__ = ()


def _converter(field: models.Field[Any, Any]) -> Convert | None:
    if isinstance(field, models.JSONField):
        encoder = field.encoder

        def to_json(value: Any) -> Any:
            if value is None or isinstance(value, RawJSON):
                return value if value is None else str(value)
            return json.dumps(value, cls=encoder, ensure_ascii=False)

        return to_json
    if isinstance(field, models.DateTimeField) and connection.vendor != "postgresql":
        adapt = connection.ops.adapt_datetimefield_value
        seen: dict[Any, Any] = {}  # most moments of one import are its `now`

        def to_text(value: Any) -> Any:
            if value not in seen:
                seen[value] = adapt(value)
            return seen[value]

        return to_text
    return None


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Inserts `rows` (values in the order of `columns`, field attnames) into `model`'s table;
    every other concrete field but an automatic primary key gets its default (now, for
    auto_now_add fields). Returns how many rows were written."""
    meta = model._meta
    by_name = {field.attname: field for field in meta.concrete_fields}
    fields = [by_name[name] for name in columns]
    rest = [
        field
        for field in meta.concrete_fields
        if field.attname not in columns and not isinstance(field, models.AutoField)
    ]
    now = timezone.now()
    defaults = tuple(
        now
        if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False)
        else field.get_default()
        for field in rest
    )
    constants = tuple(
        value if convert is None else convert(value)
        for value, convert in zip(defaults, (_converter(field) for field in rest), strict=True)
    )
    converted = [
        (index, convert)
        for index, convert in enumerate(_converter(field) for field in fields)
        if convert is not None
    ]
    names = [str(field.column) for field in (*fields, *rest)]

    def prepared() -> Iterable[tuple[Any, ...]]:
        if not converted:
            for row in rows:
                yield (*row, *constants)
            return
        for row in rows:
            values = list(row)
            for index, convert in converted:
                values[index] = convert(values[index])
            yield (*values, *constants)

    quoted = ", ".join(connection.ops.quote_name(name) for name in names)
    table = connection.ops.quote_name(meta.db_table)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for values in prepared():
                    copy.write_row(values)
                    count += 1
            return count
        placeholders = ", ".join(["%s"] * len(names))
        prepared_rows = list(prepared())
        cursor.executemany(
            f"INSERT INTO {table} ({quoted}) VALUES ({placeholders})",  # noqa: S608  # nosec B608
            prepared_rows,
        )
        return len(prepared_rows)
