"""Serialising competing writers, always in one order: identity keys, people, the customer.

PostgreSQL: transaction-scoped advisory locks for identity keys (a customer being registered
has no row to lock yet) and SELECT ... FOR UPDATE for rows. SQLite: the transaction began with
BEGIN IMMEDIATE, so it already holds the database's single write lock and these are no-ops.
The partial unique index on active ownerships backs all of this: a race that slipped past
would fail loudly with an IntegrityError, never leave two owners.
"""

import hashlib
from collections.abc import Iterable

from django.db import connection

from guishu.accounts.models import User
from guishu.customers.models import Customer


def _advisory_id(key: str) -> int:
    """A stable signed 64-bit number for a key (PostgreSQL advisory lock ids are bigint)."""
    digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def lock_identity_keys(keys: Iterable[str]) -> None:
    """Blocks until this transaction is the only one registering any of `keys`."""
    if connection.vendor != "postgresql":
        return
    ids = sorted({_advisory_id(key) for key in keys})
    with connection.cursor() as cursor:
        for lock_id in ids:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])


def lock_users(user_ids: Iterable[int]) -> None:
    """Locks people whose caps (held, locked, claimed today) the transaction checks.

    FOR NO KEY UPDATE, not FOR UPDATE: it serialises the services just the same, but lets
    other transactions insert rows that merely reference these people (the foreign-key check
    takes a KEY SHARE lock). Otherwise the reclaim sweep, which holds customers and writes
    events naming their owners, and a follow-up, which holds its rep and waits for a customer,
    would deadlock.
    """
    ids = sorted(set(user_ids))
    if ids:
        people = User.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk")
        list(people.values("pk"))


def lock_customer(customer_id: int) -> Customer:
    """Locks and returns the customer whose ownership is about to change."""
    return Customer.objects.select_for_update().get(pk=customer_id)
