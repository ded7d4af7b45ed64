"""Database triggers that make ownership events append-only, on SQLite and PostgreSQL.

Installed by a migration. Tests that must empty the database between runs remove them for the
duration of the flush and put them back (see tests/conftest.py); nothing else does.
"""

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "ownership_ownershipevent"
MESSAGE = "ownership events are append-only"

SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS ownership_event_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS ownership_event_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS ownership_event_no_update",
    "DROP TRIGGER IF EXISTS ownership_event_no_delete",
]

POSTGRES_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION guishu_refuse_event_change() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END $$""",
    f"DROP TRIGGER IF EXISTS ownership_event_append_only ON {TABLE}",
    f"""CREATE TRIGGER ownership_event_append_only BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION guishu_refuse_event_change()""",
    f"DROP TRIGGER IF EXISTS ownership_event_no_truncate ON {TABLE}",
    f"""CREATE TRIGGER ownership_event_no_truncate BEFORE TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION guishu_refuse_event_change()""",
]
POSTGRES_REMOVE = [
    f"DROP TRIGGER IF EXISTS ownership_event_append_only ON {TABLE}",
    f"DROP TRIGGER IF EXISTS ownership_event_no_truncate ON {TABLE}",
]


def _statements(connection: BaseDatabaseWrapper, install: bool) -> list[str]:
    if connection.vendor == "sqlite":
        return SQLITE_INSTALL if install else SQLITE_REMOVE
    if connection.vendor == "postgresql":
        return POSTGRES_INSTALL if install else POSTGRES_REMOVE
    raise NotImplementedError(f"no append-only guard for {connection.vendor}")


def install_event_guards(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection, install=True):
            cursor.execute(statement)


def remove_event_guards(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection, install=False):
            cursor.execute(statement)
