"""Writing a planned customers import in bulk, inside the commit's transaction.

Each new customer gets exactly the rows `customer_register` gives one: the customer (created
by the importer), its identifiers and contacts, its stored match profile and identity keys,
and, unless it goes to a pool, an ownership term and a REGISTERED event whose trace and
protection are the engine's (guishu.imports.plan), with the import's id in the evidence.
Collisions are Collision rows with the fields `collision_record` writes (the matching reasons,
the engine's trace, everything the row held); the worked_other check that function runs
concerns follow-ups only, never registrations, so inserting them in bulk skips nothing.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.db import connection

from guishu.accounts.models import User
from guishu.customers.models import Contact, Customer, Identifier, IdentityKey
from guishu.customers.services import IDENTIFIER_FIELDS
from guishu.disputes.detection import (
    _submitted_profile,
    evasive_registration_detect,
    names_resemble,
)
from guishu.disputes.models import Collision
from guishu.disputes.services import reason_json
from guishu.domain import Accepted, Person, Rejection
from guishu.domain import OwnershipEvent as DomainEvent
from guishu.domain.events import GAINING
from guishu.imports.bulk import RawJSON, insert_rows
from guishu.imports.customers import CustomerFile
from guishu.imports.plan import Outcome, RowPlan
from guishu.matching import blocking_keys, compare
from guishu.ownership.models import Ownership, OwnershipEvent
from guishu.ownership.policies import policy_in_force
from guishu.pools.models import Pool, PoolPlacement
from guishu.pools.routing import pool_route

BATCH = 2000


@dataclass(frozen=True)
class Written:
    created: int
    collisions: int
    collisions_known: int  # recorded by an earlier import of the same rows: not again


def reserve_ids(model: type[Customer], count: int) -> list[int]:
    """Primary keys for `count` new rows, taken before inserting them, so the rows that point
    at them (and the stored profile, which names its customer) are built in one pass.

    PostgreSQL: from the table's sequence. SQLite: above the highest ever used; the
    transaction holds the database's write lock, so nobody else inserts meanwhile.
    """
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT MAX(id) FROM {table}")  # noqa: S608  # nosec B608 - our table
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        found = cursor.fetchone()
        start = max(highest, found[0] if found else 0) + 1
    return list(range(start, start + count))


def fingerprint(submitted: Mapping[str, Any]) -> str:
    """What a row held, hashed: the same row imported again is recognised by it."""
    text = json.dumps(submitted, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def customers_write(
    *,
    job_id: int,
    importer: User,
    batch: CustomerFile,
    plans: Sequence[RowPlan],
    people: Mapping[int, User],
    pool: Pool | None,
    rule: str,
    now: datetime,
) -> Written:
    new = [plan for plan in plans if plan.outcome is Outcome.NEW]
    ids = reserve_ids(Customer, len(new))
    created = dict(zip((plan.position for plan in new), ids, strict=True))
    customers: list[tuple[Any, ...]] = []
    identifiers: list[tuple[Any, ...]] = []
    contacts: list[tuple[Any, ...]] = []
    keys: list[tuple[Any, ...]] = []
    terms: list[tuple[Any, ...]] = []
    events: list[tuple[Any, ...]] = []
    for plan, customer_id in zip(new, ids, strict=True):
        row = batch.rows[plan.position]
        profiled = batch.profiled[plan.position]
        assert row is not None and profiled is not None
        data = row.data
        customers.append(
            (
                customer_id,
                data.kind,
                data.name,
                data.credit_code,
                data.country,
                data.region,
                data.city,
                data.address,
                data.industry,
                data.source,
                data.level,
                data.notes,
                RawJSON(profiled.stored_json(customer_id)),
                importer.pk,
            )
        )
        identifiers.extend(
            (customer_id, kind, value)
            for kind, attribute in IDENTIFIER_FIELDS
            for value in getattr(data, attribute)
        )
        contacts.extend(
            (
                customer_id,
                c.name.strip(),
                c.title,
                c.chain_role,
                c.stance,
                c.phone,
                c.email,
                c.wechat,
            )
            for c in data.contacts
        )
        keys.extend((customer_id, kind, value) for kind, value in profiled.keys)
        if isinstance(plan.decision, Accepted):
            event = _event(plan, job_id=job_id, importer=importer, rule=rule)
            assert event.to_owner is not None
            terms.append(
                (
                    customer_id,
                    event.to_owner.id,
                    GAINING[event.kind].value,
                    event.at,
                    event.protected_until,
                )
            )
            events.append(_audit_row(customer_id, event))
    insert_rows(Customer, CUSTOMER_COLUMNS, customers)
    insert_rows(Identifier, ("customer_id", "kind", "value"), identifiers)
    insert_rows(Contact, CONTACT_COLUMNS, contacts)
    insert_rows(IdentityKey, ("customer_id", "kind", "value"), keys)
    insert_rows(
        Ownership, ("customer_id", "owner_id", "basis", "started_at", "protected_until"), terms
    )
    insert_rows(OwnershipEvent, EVENT_COLUMNS, events)
    if rule == "pool" and ids:
        _place(ids, pool, job_id=job_id, importer=importer, now=now)
    collisions, known = _collisions(
        job_id=job_id, batch=batch, plans=plans, created=created, people=people, now=now
    )
    if rule == "importer" and new:
        _detect_evasions(importer, batch, new, created, job_id=job_id, now=now)
    return Written(created=len(ids), collisions=collisions, collisions_known=known)


CUSTOMER_COLUMNS = (
    "id",
    "kind",
    "name",
    "credit_code",
    "country",
    "region",
    "city",
    "address",
    "industry",
    "source",
    "level",
    "notes",
    "match_profile",
    "created_by_id",
)
CONTACT_COLUMNS = (
    "customer_id",
    "name",
    "title",
    "chain_role",
    "stance",
    "phone",
    "email",
    "wechat",
)
EVENT_COLUMNS = (
    "customer_id",
    "kind",
    "at",
    "actor_id",
    "from_owner_id",
    "to_owner_id",
    "protected_until",
    "trace",
    "evidence",
)


def _event(plan: RowPlan, *, job_id: int, importer: User, rule: str) -> DomainEvent:
    """The engine's REGISTERED event, with the import in its evidence. For an owner column
    the engine registered it for the owner (their caps, their protection) and the importer is
    who acted."""
    assert isinstance(plan.decision, Accepted)
    event = plan.decision.events[0]
    evidence = {**event.evidence, "import": str(job_id)}
    if plan.matches:
        # As a registration confirmed distinct from its possible matches keeps them.
        evidence["confirmed_distinct_from"] = ",".join(str(c.customer_id) for c in plan.matches)
    actor = event.actor if rule == "importer" else importer.as_person()
    return replace(event, evidence=evidence, actor=actor)


def _audit_row(customer_id: int, event: DomainEvent) -> tuple[Any, ...]:
    """The columns persist's audit row has (EVENT_COLUMNS)."""

    def user_id(person: Person | None) -> int | None:
        return person.id if person else None

    return (
        customer_id,
        event.kind.value,
        event.at,
        user_id(event.actor),
        user_id(event.from_owner),
        user_id(event.to_owner),
        event.protected_until,
        [line.as_json() for line in event.trace],
        dict(event.evidence),
    )


def _place(
    ids: list[int], pool: Pool | None, *, job_id: int, importer: User, now: datetime
) -> None:
    """New customers straight into the pool: no owner, so no ownership changed and no event;
    the placement records the pool, when and why. Without a named pool the routing rules
    place them, as they place a customer returning to the pool."""
    if pool is None:
        pool_route([(customer_id, None) for customer_id in ids], now=now)
        return
    reason = f"import {job_id} by {importer.name}"[:200]
    insert_rows(
        PoolPlacement,
        ("customer_id", "pool_id", "placed_at", "reason"),
        [(customer_id, pool.pk, now, reason) for customer_id in ids],
    )


def _collisions(
    *,
    job_id: int,
    batch: CustomerFile,
    plans: Sequence[RowPlan],
    created: Mapping[int, int],
    people: Mapping[int, User],
    now: datetime,
) -> tuple[int, int]:
    """One Collision per colliding row, unless the same row (by its fingerprint) was recorded
    against the same customer by the same person before: importing a file again adds none."""
    rows: list[tuple[Any, ...]] = []
    for plan in plans:
        if plan.outcome is not Outcome.COLLISION:
            continue
        row = batch.rows[plan.position]
        assert row is not None and isinstance(plan.decision, Rejection)
        rejection = plan.decision
        assert rejection.owner is not None and rejection.owner_since is not None and plan.owner_id
        if plan.target_position is not None:
            customer_id = created[plan.target_position]
            here, there = batch.profiled[plan.position], batch.profiled[plan.target_position]
            assert here is not None and there is not None
            reasons = compare(here.profile, there.profile).reasons
        else:
            assert plan.customer_id is not None and plan.reasons_of is not None
            customer_id = plan.customer_id
            reasons = plan.reasons_of.match.reasons
        submitted: dict[str, Any] = row.data.as_json()
        submitted["import_fingerprint"] = fingerprint(submitted)
        submitted["import"] = job_id
        submitted["import_row"] = plan.number
        rows.append(
            (
                customer_id,
                people[plan.owner_id].pk,
                rejection.owner.id,
                rejection.owner_since,
                Collision.Action.REGISTER.value,
                now,
                [reason_json(reason) for reason in reasons],
                [line.as_json() for line in rejection.trace],
                submitted,
            )
        )
    known = _recorded_before({row[0] for row in rows})
    fresh = [row for row in rows if (row[0], row[1], row[8]["import_fingerprint"]) not in known]
    insert_rows(Collision, COLLISION_COLUMNS, fresh)
    return len(fresh), len(rows) - len(fresh)


COLLISION_COLUMNS = (
    "customer_id",
    "attempted_by_id",
    "owner_id",
    "owner_since",
    "action",
    "at",
    "reasons",
    "trace",
    "submitted",
)


def _recorded_before(customer_ids: set[int]) -> set[tuple[int, int, str]]:
    ids = sorted(customer_ids)
    found: set[tuple[int, int, str]] = set()
    for start in range(0, len(ids), BATCH):
        earlier = Collision.objects.filter(
            customer_id__in=ids[start : start + BATCH], action=Collision.Action.REGISTER
        ).values_list("customer_id", "attempted_by_id", "submitted")
        for customer_id, attempted_by_id, submitted in earlier:
            mark = submitted.get("import_fingerprint") if isinstance(submitted, dict) else None
            if mark:
                found.add((customer_id, attempted_by_id, mark))
    return found


def _detect_evasions(
    user: User,
    batch: CustomerFile,
    new: Iterable[RowPlan],
    created: Mapping[int, int],
    *,
    job_id: int,
    now: datetime,
) -> None:
    """The violation check a registration runs (a lookalike of a refused registration of the
    rep's, without what made it collide), for the new customers whose names share a key with
    one of the rep's recent refused registrations; the check itself is the registration's."""
    policy = policy_in_force(team_id=user.team_id, at=now)
    refused = list(
        Collision.objects.filter(
            attempted_by=user,
            action=Collision.Action.REGISTER,
            at__gte=now - policy.dispute_window,
            at__lt=now,
        )
        .order_by("-at", "-pk")
        .values_list("submitted", flat=True)[:20]
    )
    if not refused:
        return
    typed = [_submitted_profile(submitted) for submitted in refused]
    by_key: dict[tuple[str, str], list[int]] = {}
    for index, profile in enumerate(typed):
        for key in blocking_keys(profile):
            if not key.kind.is_strong:  # the names, as names_resemble compares them
                by_key.setdefault((key.kind.value, key.value), []).append(index)
    for plan in new:
        profiled = batch.profiled[plan.position]
        assert profiled is not None
        near = {index for key in profiled.keys for index in by_key.get(key, ())}
        if any(names_resemble(typed[index], profiled.profile) for index in near):
            customer = Customer.objects.get(pk=created[plan.position])
            evasive_registration_detect(user=user, customer=customer, now=now)
