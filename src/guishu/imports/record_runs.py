"""The preview and the commit of a contacts or activities import."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction

from guishu.accounts.models import User
from guishu.imports import activity_import, contact_import
from guishu.imports.models import ImportJob, Kind
from guishu.imports.parse import ActivityRow, ContactRow, Problem
from guishu.imports.records import SAMPLES_PER_OUTCOME, Progress, RecordFile, records_read
from guishu.web.trace import translate_trace

Outcomes = Mapping[int, str]
Result = tuple[dict[str, int], list[dict[str, Any]], dict[str, list[dict[str, Any]]], bool]


class _Undo(Exception):
    """Raised inside the transaction to undo it (all or nothing, and not all)."""

    def __init__(self, outcomes: Outcomes) -> None:
        super().__init__("rows cannot be imported")
        self.outcomes = outcomes


def _plan(job: ImportJob, batch: RecordFile, user: User, now: datetime) -> tuple[Outcomes, Any]:
    if job.kind == Kind.CONTACTS:
        contacts = contact_import.contacts_plan(batch, user)
        return contacts.outcomes, contacts
    activities = activity_import.activities_plan(batch, user, now)
    return activities.outcomes, activities


def _counts(outcomes: Outcomes, rows: int, names: list[str]) -> dict[str, int]:
    counts = dict.fromkeys(names, 0)
    for outcome in outcomes.values():
        counts[str(outcome)] = counts.get(str(outcome), 0) + 1
    counts["rows"] = rows
    return counts


def _names(job: ImportJob) -> list[str]:
    kinds = contact_import.Outcome if job.kind == Kind.CONTACTS else activity_import.Outcome
    return [outcome.value for outcome in kinds]


def _problems(batch: RecordFile, plan: Any) -> list[Problem]:
    """The rows that cannot be imported: cells, customers not found or not the importer's,
    and the engine's refusals (a pooled customer is claimed before it is worked)."""
    found = batch.problem_list()
    for position, decision in getattr(plan, "decisions", {}).items():
        outcome = plan.outcomes.get(position)
        if outcome == activity_import.Outcome.REFUSED:
            reason = "; ".join(translate_trace(line) for line in decision.trace)
            found.append(Problem(batch.numbers[position], "", "", reason))
    found.sort(key=lambda problem: problem.row)
    return found


def _samples(batch: RecordFile, outcomes: Outcomes, plan: Any) -> dict[str, list[dict[str, Any]]]:
    samples: dict[str, list[dict[str, Any]]] = {}
    decisions = getattr(plan, "decisions", {})
    for position, outcome in sorted(outcomes.items()):
        row = batch.rows[position]
        kept = samples.setdefault(str(outcome), [])
        if row is None or len(kept) >= SAMPLES_PER_OUTCOME:
            continue
        sample: dict[str, Any] = {"row": batch.numbers[position], "customer": str(row.customer)}
        if isinstance(row, ContactRow):
            sample["name"] = row.data.name
        elif isinstance(row, ActivityRow):
            sample["kind"] = row.kind
            sample["occurred_at"] = row.occurred_at.isoformat()
        if position in decisions:
            sample["trace"] = [line.as_json() for line in decisions[position].trace]
        kept.append(sample)
    return samples


def records_preview_run(job: ImportJob, user: User, now: datetime, progress: Progress) -> None:
    batch = records_read(job, progress)
    outcomes, plan = _plan(job, batch, user, now)
    job.counts = _counts(outcomes, len(batch.rows), _names(job))
    job.problems = [problem.as_json() for problem in _problems(batch, plan)]
    job.samples = _samples(batch, outcomes, plan)


def records_commit_run(
    job: ImportJob, user: User, *, mode: str, now: datetime, progress: Progress
) -> Result:
    batch = records_read(job, progress)
    all_or_nothing = mode == ImportJob.Mode.ALL_OR_NOTHING
    written = 0
    try:
        outcomes, plan, written = _write(job, batch, user, now, all_or_nothing, progress)
    except _Undo as undone:
        outcomes, plan = undone.outcomes, None
        written = -1
    counts = _counts(outcomes, len(batch.rows), _names(job))
    counts["imported"] = max(written, 0)
    counts["skipped"] = counts["rows"] - counts["imported"]
    problems = [problem.as_json() for problem in _problems(batch, plan)]
    return counts, problems, _samples(batch, outcomes, plan), written >= 0


@transaction.atomic(durable=True)
def _write(
    job: ImportJob,
    batch: RecordFile,
    user: User,
    now: datetime,
    all_or_nothing: bool,
    progress: Progress,
) -> tuple[Outcomes, Any, int]:
    total = len(batch.rows)
    progress("writing", 0, total)
    if job.kind == Kind.CONTACTS:
        # As contact_add: the customers first, in id order, then the checks under the locks.
        contact_import.customers_lock(batch, user)
        contacts = contact_import.contacts_plan(batch, user, located=True)
        if all_or_nothing and batch.problems:
            raise _Undo(contacts.outcomes)
        written = contact_import.contacts_write(batch, contacts, user, now)
        progress("writing", total, total)
        return contacts.outcomes, contacts, written
    activities = activity_import.activities_plan(batch, user, now)
    if all_or_nothing and batch.problems:
        raise _Undo(activities.outcomes)
    outcomes, written = activity_import.activities_write(batch, activities, now)
    refused = any(o == activity_import.Outcome.REFUSED for o in outcomes.values())
    if all_or_nothing and refused:
        raise _Undo(outcomes)
    progress("writing", total, total)
    return outcomes, activities, written
