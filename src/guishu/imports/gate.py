"""Serialising an import's writes against registrations.

A registration locks the identity keys of the customer it files (an advisory lock per key on
PostgreSQL), then its rep's row, and only then looks for matches. An import writes tens of
thousands of customers in one transaction: an advisory lock per key would overflow
PostgreSQL's lock table (a few thousand locks for the whole server). So the import closes the
door the other way, at the step every registration passes before it reads: the people.

PostgreSQL: one advisory lock (imports write one at a time), then SHARE ROW EXCLUSIVE on the
users table (nobody is added, changed or removed meanwhile) and FOR NO KEY UPDATE on every
user row, in id order as lock_users takes them. A registration (or a claim, an assignment, a
follow-up: every ownership service locks its people first) that started before waits until
the import commits and then finds the imported customers; one that was already past its
locks has finished when the import gets them, and the import re-reads what it judged before
(guishu.imports.customer_import). Rows that merely refer to people (an event, a
notification) are not held up: their foreign-key checks take KEY SHARE locks, which FOR NO
KEY UPDATE allows. SQLite: the transaction began with BEGIN IMMEDIATE and holds the database's
only write lock already.

The partial unique index on active terms backs this as it backs registration.
"""

from django.db import connection

from guishu.accounts.models import User
from guishu.ownership.locking import lock_identity_keys

IMPORT_LOCK = "guishu:import"


def import_gate() -> None:
    """Call first thing in the import's write transaction."""
    if connection.vendor != "postgresql":
        return
    lock_identity_keys([IMPORT_LOCK])  # an advisory lock under a name no identity key has
    table = connection.ops.quote_name(User._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
    list(User.objects.select_for_update(no_key=True).order_by("pk").values_list("pk", flat=True))
