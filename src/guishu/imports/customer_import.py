"""Previewing and committing a customers import.

The commit judges every row before its transaction (the slow part, on every core, taking no
lock), then opens one transaction, closes the gate to registrations (guishu.imports.gate),
re-reads what may have changed since (customers registered meanwhile, owners changed, the
holding counts), plans again with the engine and writes. All or nothing: one invalid or
refused row and nothing is written; skip_invalid writes the rest.
"""

import json
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guishu.accounts.models import User
from guishu.customers.identity import CandidateMatch
from guishu.customers.models import Customer, IdentityKey
from guishu.imports import stored
from guishu.imports.customers import (
    PROBLEMS_KEPT,
    CustomerFile,
    Progress,
    customers_judge,
    customers_plan,
    customers_read,
    row_problems,
    samples_build,
    snapshot_read,
)
from guishu.imports.gate import import_gate
from guishu.imports.models import ImportJob
from guishu.imports.parse import Problem
from guishu.imports.plan import Outcome, RowPlan, summary
from guishu.imports.source import sheet_read
from guishu.imports.write import Written, customers_write
from guishu.matching import MatchProfile, Verdict, compare
from guishu.ownership.engine_io import actor_for
from guishu.ownership.policies import policy_in_force
from guishu.pools.models import Pool
from guishu.tabular.headers import propose_mapping

logger = logging.getLogger(__name__)

# A customer registered while the rows were being judged may have been invisible to the
# judging; the commit re-checks every customer created from this long before it began (a
# registration commits within moments of creating its customer, an import within a minute).
RECHECK_MARGIN = timedelta(minutes=2)
# Up to this many identity keys written meanwhile, they are all read; beyond, only those this
# file's rows have.
RECHECK_DIRECT = 50_000


@dataclass
class Prepared:
    batch: CustomerFile
    owners: dict[int, User]
    judged_from: datetime
    max_key_id: int  # the highest identity key id the judging could see


class NotAllWritten(Exception):
    """Raised inside the commit's transaction to undo it: all or nothing, and not all."""

    def __init__(self, plans: list[RowPlan]) -> None:
        super().__init__("rows cannot be imported")
        self.plans = plans


def people_index() -> dict[str, int | None]:
    """Who an owner cell may name: a user name, a display name, a full name or an e-mail,
    case-insensitively. A name several people share answers None; user names are unique and
    win over everything else."""
    index: dict[str, int | None] = {}
    rows = User.objects.values_list(
        "pk", "username", "display_name", "first_name", "last_name", "email"
    )
    usernames = {}
    for pk, username, display_name, first, last, email in rows:
        usernames[username.casefold()] = pk
        for text in (display_name, f"{first} {last}", f"{last}{first}", email):
            key = text.strip().casefold()
            if key:
                index[key] = pk if index.get(key, pk) == pk else None
    index.update(usernames)
    return index


def customers_prepare(
    job: ImportJob, user: User, rule: str, now: datetime, progress: Progress, *, fuzzy: bool
) -> Prepared:
    """Reads and judges the rows; writes nothing. The preview also looks for look-alikes
    (`fuzzy`), to show them; the commit decides on `same` alone, as registration refuses."""
    judged_from = now
    sheet = sheet_read(stored_path=job.stored_path, filename=job.file_name)
    owner_column = rule == ImportJob.OwnerRule.OWNER_COLUMN
    batch = customers_read(
        sheet,
        propose_mapping(sheet.headers, job.kind, job.mapping),
        people=people_index() if owner_column else {},
        owners_from_column=owner_column,
        progress=progress,
    )
    owners = _owners(batch, user, rule, now)
    max_key_id = IdentityKey.objects.aggregate(highest=Max("pk"))["highest"] or 0
    customers_judge(batch, fuzzy=fuzzy, progress=progress)
    return Prepared(batch=batch, owners=owners, judged_from=judged_from, max_key_id=max_key_id)


def _owners(batch: CustomerFile, user: User, rule: str, now: datetime) -> dict[int, User]:
    """The people the rows are meant for. An owner column may only name people the importer
    oversees (a manager: their team trees; directors and admins: anyone); any other is an
    invalid row, as an unknown name is."""
    if rule == ImportJob.OwnerRule.IMPORTER:
        return {user.pk: user}
    if rule != ImportJob.OwnerRule.OWNER_COLUMN:
        return {}
    named = {row.owner_id for row in batch.rows if row is not None and row.owner_id}
    people = User.objects.in_bulk(sorted(named))
    importer = actor_for(user, policy_in_force(team_id=user.team_id, at=now), now)
    allowed = {pk for pk, person in people.items() if importer.oversees(person.as_person())}
    for position, row in enumerate(batch.rows):
        if row is None or row.owner_id in allowed:
            continue
        person = people.get(row.owner_id or 0)
        reason = _("%(importer)s does not manage %(person)s.") % {
            "importer": user.name,
            "person": person.name if person else "?",
        }
        batch.problems.setdefault(position, []).append(
            Problem(row.number, "", person.name if person else "", reason)
        )
        batch.rows[position] = None
        batch.profiled[position] = None
    return {pk: people[pk] for pk in allowed}


def plan_now(prepared: Prepared, user: User, rule: str, now: datetime) -> list[RowPlan]:
    batch = prepared.batch
    assert batch.stored is not None
    snapshot = snapshot_read(batch, prepared.owners, batch.stored.names, now)
    return customers_plan(batch, rule=rule, importer=user, snapshot=snapshot, now=now)


def customers_preview(job: ImportJob, user: User, now: datetime, progress: Progress) -> None:
    """Judges and plans every row and keeps the summary on the job; writes nothing else."""
    rule = job.owner_rule
    prepared = customers_prepare(job, user, rule, now, progress, fuzzy=True)
    plans = plan_now(prepared, user, rule, now)
    counts = summary(plans)
    counts["rows"] = len(plans)
    problems = row_problems(prepared.batch, plans)
    job.counts = counts
    job.problems = [problem.as_json() for problem in problems[:PROBLEMS_KEPT]]
    job.samples = samples_build(user, prepared.batch, plans)


@dataclass(frozen=True)
class Committed:
    plans: list[RowPlan]
    written: Written | None
    problems: list[Problem]
    samples: dict[str, list[dict[str, Any]]]


def customers_commit(
    job: ImportJob,
    user: User,
    *,
    mode: str,
    rule: str,
    pool: Pool | None,
    now: datetime,
    progress: Progress,
) -> Committed:
    prepared = customers_prepare(job, user, rule, now, progress, fuzzy=False)
    batch = prepared.batch
    all_or_nothing = mode == ImportJob.Mode.ALL_OR_NOTHING
    written = None
    if all_or_nothing and batch.problems:
        # Rows that cannot be read: nothing to lock for. The engine's refusals (the holding
        # cap) are known only under the locks, and undo the transaction there.
        plans = plan_now(prepared, user, rule, now)
    else:
        total = len(batch.rows)
        progress("writing", 0, total)
        try:
            plans, written = _write(job, user, prepared, rule, pool, all_or_nothing)
        except NotAllWritten as refused:
            plans = refused.plans
        progress("writing", total, total)
    try:
        samples = samples_build(user, batch, plans)
    except Exception:  # the rows are written; the samples only illustrate the counts
        logger.exception("could not build the samples of import %s", job.pk)
        samples = {}
    return Committed(plans, written, row_problems(batch, plans), samples)


def _blocked(plans: list[RowPlan]) -> bool:
    return any(plan.outcome in (Outcome.INVALID, Outcome.REFUSED) for plan in plans)


@transaction.atomic(durable=True)
def _write(
    job: ImportJob,
    user: User,
    prepared: Prepared,
    rule: str,
    pool: Pool | None,
    all_or_nothing: bool,
) -> tuple[list[RowPlan], Written]:
    import_gate()
    # The rows take effect now, under the locks, not when their judging began.
    now = timezone.now()
    _recheck(prepared)
    plans = plan_now(prepared, user, rule, now)
    if all_or_nothing and _blocked(plans):
        raise NotAllWritten(plans)  # a registration meanwhile took the rep to the cap
    people = dict(prepared.owners)
    written = customers_write(
        job_id=job.pk,
        importer=user,
        batch=prepared.batch,
        plans=plans,
        people=people,
        pool=pool,
        rule=rule,
        now=now,
    )
    return plans, written


def _recheck(prepared: Prepared) -> None:
    """Adds the matches with customers registered, or given new identity signals, since the
    rows were judged (the terms and the holding counts are read again by the planning that
    follows).

    Every write of a customer's identity inserts its identity keys anew, so what changed is
    the keys above the highest id the judging could see: exactly so on SQLite, which has one
    writer at a time. PostgreSQL hands out ids when rows are inserted, not when they commit,
    so it also looks at the keys of every customer created shortly before the judging began.
    """
    batch = prepared.batch
    assert batch.stored is not None
    by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
    for position, row in enumerate(batch.profiled):
        if row is None or batch.first_of[position] is not None:
            continue
        if any(c.match.verdict is Verdict.SAME for c in batch.matches.get(position, ())):
            continue  # not a new customer whatever was registered since
        for key in row.keys:
            if key[0] in stored.EXACT:
                by_key[key].append(position)
    changed = Q(pk__gt=prepared.max_key_id)
    count = IdentityKey.objects.filter(changed).count()
    if connection.vendor == "postgresql":
        since = prepared.judged_from - RECHECK_MARGIN
        changed |= Q(customer__created_at__gte=since)
        count += Customer.objects.filter(created_at__gte=since).count() * 10
    found = IdentityKey.objects.filter(changed, kind__in=stored.EXACT)
    rows: list[tuple[str, str, int]] = []
    if count <= RECHECK_DIRECT:
        rows.extend(found.values_list("kind", "value", "customer_id"))
    else:  # another import just wrote: look up this file's keys among them
        keys = sorted(by_key)
        for start in range(0, len(keys), stored.KEY_CHUNK):
            chunk = [value for _kind, value in keys[start : start + stored.KEY_CHUNK]]
            rows.extend(found.filter(value__in=chunk).values_list("kind", "value", "customer_id"))
    pairs: dict[int, set[int]] = defaultdict(set)
    for kind, value, customer_id in rows:
        for position in by_key.get((kind, value), ()):
            pairs[customer_id].add(position)
    if pairs:
        _add_matches(batch, pairs)


def _add_matches(batch: CustomerFile, pairs: dict[int, set[int]]) -> None:
    assert batch.stored is not None
    profiles, names = stored.stored_profiles(sorted(pairs))
    common = batch.stored.common
    rank = {Verdict.SAME: 0, Verdict.POSSIBLE: 1}
    for customer_id, positions in pairs.items():
        if customer_id not in profiles:
            continue
        theirs = MatchProfile.from_json(json.loads(profiles[customer_id]))
        for position in positions:
            known = batch.matches.get(position, ())
            if any(c.customer_id == customer_id for c in known):
                continue
            row = batch.profiled[position]
            assert row is not None
            match = compare(row.profile, theirs, common_keys=common)
            if match.verdict is Verdict.DIFFERENT:
                continue
            found = CandidateMatch(customer_id=customer_id, match=match, name=names[customer_id])
            batch.matches[position] = tuple(
                sorted(
                    (*known, found),
                    key=lambda c: (rank[c.match.verdict], -c.match.score, c.customer_id),
                )
            )
            batch.stored.names[customer_id] = names[customer_id]
