"""A customers file read, judged and planned: the work a preview and a commit share.

Reading and judging write nothing and run before any transaction: rows are read in this
process, parsed and profiled on every core, duplicates inside the file found, and each row
matched against the stored customers (guishu.imports.judge). Planning asks the ownership
engine what each row becomes (guishu.imports.plan), from a snapshot of the terms, holding
counts and policies that the commit reads again under its locks.
"""

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_noop as N_

from guishu.accounts.models import User
from guishu.customers.identity import CandidateMatch
from guishu.customers.models import Customer, IdentityKey
from guishu.disputes.services import reason_json
from guishu.domain import Basis, Rejection, TraceLine
from guishu.imports import judge, stored
from guishu.imports.judge import Profiled
from guishu.imports.parse import CustomerRow, Problem, RowReader
from guishu.imports.plan import Outcome, Planner, RowPlan, Snapshot, Term
from guishu.imports.source import Sheet
from guishu.imports.stored import Stored
from guishu.matching import MatchProfile, build_profile
from guishu.ownership.engine_io import actor_for
from guishu.ownership.matches import match_answers
from guishu.ownership.models import Ownership
from guishu.ownership.policies import policy_in_force
from guishu.tabular import Row
from guishu.tabular.headers import HeaderMapping
from guishu.web.trace import translate_trace

# Rows of each outcome kept on the job to show (the counts cover them all).
SAMPLES_PER_OUTCOME = 50
PROBLEMS_KEPT = 500

Progress = Callable[[str, int, int], None]


@dataclass
class CustomerFile:
    """Every row of a customers file, read and judged. Position i is the i-th data row."""

    numbers: list[int]
    rows: list[CustomerRow | None]
    problems: dict[int, list[Problem]]
    profiled: list[Profiled | None]
    first_of: list[int | None] = field(default_factory=list)
    matches: dict[int, tuple[CandidateMatch, ...]] = field(default_factory=dict)
    stored: Stored | None = None

    def matched_ids(self) -> set[int]:
        return {c.customer_id for found in self.matches.values() for c in found}


# Set before the reading workers fork.
_READER: RowReader | None = None


def _read_one(row: Row) -> tuple[CustomerRow | None, list[Problem], Profiled | None]:
    assert _READER is not None
    parsed, problems = _READER.read(row)
    if not isinstance(parsed, CustomerRow):
        return None, problems, None
    return parsed, problems, judge.profiled(build_profile(parsed.data.record(f"row{row.number}")))


def customers_read(
    sheet: Sheet,
    mapping: HeaderMapping,
    *,
    people: Mapping[str, int | None],
    owners_from_column: bool,
    progress: Progress,
) -> CustomerFile:
    """Reads every row and parses and profiles it, on every core when there are many: the
    rows are handed to the workers as they are read."""
    numbers: list[int] = []

    def rows() -> Iterator[Row]:
        for row in sheet.rows:
            numbers.append(row.number)
            if len(numbers) % 5000 == 0:
                progress("reading", len(numbers), 0)
            yield row
        progress("reading", len(numbers), len(numbers))

    global _READER
    _READER = RowReader(mapping, people=people, owners_from_column=owners_from_column)
    try:
        results = judge.stream_map(
            _read_one, rows(), progress=lambda done: progress("checking", done, len(numbers))
        )
    finally:
        _READER = None
    problems = {position: found for position, (_r, found, _p) in enumerate(results) if found}
    return CustomerFile(
        numbers=numbers,
        rows=[parsed for parsed, _found, _p in results],
        problems=problems,
        profiled=[profile for _r, _found, profile in results],
    )


def customers_judge(batch: CustomerFile, *, fuzzy: bool, progress: Progress) -> None:
    """Duplicates inside the file, and each first occurrence against the stored customers
    (with the look-alikes when `fuzzy`: see judge.stored_load)."""
    total = len(batch.rows)
    progress("matching", 0, total)
    stored.statistics_refresh([IdentityKey, Customer])
    judged = judge.judge_rows(
        batch.profiled, fuzzy=fuzzy, progress=lambda done: progress("matching", done, total)
    )
    batch.first_of, batch.matches, batch.stored = judged.first_of, judged.matches, judged.stored
    progress("matching", total, total)


# --- the database as the plan sees it -------------------------------------------------------


def terms_of(customer_ids: Sequence[int]) -> dict[int, Term]:
    """The active terms of `customer_ids`, read in chunks."""
    ids = sorted(customer_ids)
    terms: dict[int, Term] = {}
    for start in range(0, len(ids), stored.KEY_CHUNK):
        found = Ownership.objects.filter(
            customer_id__in=ids[start : start + stored.KEY_CHUNK], ended_at__isnull=True
        ).select_related("owner")
        for term in found:
            terms[term.customer_id] = Term(
                owner=term.owner.as_person(),
                team_id=term.owner.team_id,
                basis=term.basis or Basis.REGISTERED.value,
                started_at=term.started_at,
                protected_until=term.protected_until,
            )
    return terms


def snapshot_read(
    batch: CustomerFile, owners: Mapping[int, User], names: Mapping[int, str], now: datetime
) -> Snapshot:
    """The terms of every matched customer, and each owner's actor and policy, as of now.
    Call it again under the commit's locks: the counts then hold until it commits."""
    ids = sorted(batch.matched_ids())
    found = terms_of(ids)
    actors = {}
    policies = {}
    for owner_id, owner in owners.items():
        policies[owner_id] = policy_in_force(team_id=owner.team_id, at=now)
        actors[owner_id] = actor_for(owner, policies[owner_id], now)
    return Snapshot(
        terms={customer_id: found.get(customer_id) for customer_id in ids},
        names=names,
        actors=actors,
        policies=policies,
    )


def customers_plan(
    batch: CustomerFile, *, rule: str, importer: User, snapshot: Snapshot, now: datetime
) -> list[RowPlan]:
    planner = Planner(rule=rule, importer=importer.as_person(), snapshot=snapshot, now=now)
    plans = planner.plan(batch.rows, batch.first_of, batch.matches)
    for plan in plans:
        plan.number = batch.numbers[plan.position]
    return plans


# --- what the user is shown -----------------------------------------------------------------


def row_problems(batch: CustomerFile, plans: Sequence[RowPlan]) -> list[Problem]:
    """Every reason a row cannot be imported: cells that cannot be read, and the engine's
    refusals (the holding cap, an owner who cannot own), in row order."""
    found: list[Problem] = []
    for _position, problems in sorted(batch.problems.items()):
        found.extend(problems)
    for plan in plans:
        if plan.outcome is Outcome.REFUSED and isinstance(plan.decision, Rejection):
            row = batch.rows[plan.position]
            assert row is not None
            reason = "; ".join(translate_trace(line) for line in plan.decision.trace)
            found.append(Problem(plan.number, "", row.data.name, reason))
    found.sort(key=lambda problem: problem.row)
    return found


def samples_build(
    user: User, batch: CustomerFile, plans: Sequence[RowPlan]
) -> dict[str, list[dict[str, Any]]]:
    """The first rows of each outcome, with what the user may know of the customers they
    match: masked (guishu.ownership.matches.match_answers) where the customer is another
    rep's."""
    samples: dict[str, list[dict[str, Any]]] = {}
    for plan in plans:
        key = "possible_match" if plan.possible else plan.outcome.value
        if plan.outcome is Outcome.INVALID:
            continue
        kept = samples.setdefault(key, [])
        if len(kept) >= SAMPLES_PER_OUTCOME:
            continue
        row = batch.rows[plan.position]
        profiled = batch.profiled[plan.position]
        assert row is not None and profiled is not None
        kept.append(_sample(user, row, profiled.profile, plan))
    return samples


def _sample(user: User, row: CustomerRow, profile: MatchProfile, plan: RowPlan) -> dict[str, Any]:
    sample: dict[str, Any] = {"row": plan.number, "name": row.data.name}
    if plan.owner_id is not None:
        sample["owner_id"] = plan.owner_id
    if plan.duplicate_of is not None:
        sample["duplicate_of"] = plan.duplicate_of
    if plan.decision is not None:
        sample["trace"] = [line.as_json() for line in plan.decision.trace]
    if plan.matches:
        sample["matches"] = [
            {
                "customer_id": answer.customer_id,
                "name": answer.name,
                "verdict": answer.verdict.value,
                "score": answer.score,
                "status": answer.status.as_json(),
                "owner_id": answer.owner_id,
                "visible": answer.visible,
                "reasons": [reason_json(reason) for reason in answer.reasons],
            }
            for answer in match_answers(user, profile, plan.matches)
        ]
    if plan.outcome is Outcome.COLLISION and plan.target_position is not None:
        sample["status"] = TraceLine(
            N_("the same customer as row {row}, which the import registers first"),
            {"row": str(plan.duplicate_of)},
        ).as_json()
    return sample
