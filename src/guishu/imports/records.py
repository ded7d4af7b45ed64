"""Contacts and activities imports: what they share (reading the rows, finding the customer
each row names) and their preview and commit.

Business rule: a row names its customer by number, credit code or name (the name as
registration normalises it: "ACME TOOLS LIMITED" is "Acme Tools Ltd"). A contact is added only
to a customer the importer may edit (its owner, or a manager over the owner), as contact_add
allows; another customer is an invalid row, said without revealing whose it is. An activity
may name any customer: it is judged as activity_log judges it (the owner's restarts the
clock, a collaborator's is accepted, anyone else's is refused and recorded as a collision).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from guishu.accounts.models import User
from guishu.customers.models import Customer, IdentityKey
from guishu.imports.customer_import import people_index
from guishu.imports.models import ImportJob
from guishu.imports.parse import ActivityRow, ContactRow, CustomerRef, Problem, RowReader
from guishu.imports.source import sheet_read
from guishu.imports.stored import KEY_CHUNK
from guishu.matching import KeyKind, normalise_credit_code, parse_name
from guishu.ownership.selectors import customers_visible_to
from guishu.tabular.headers import propose_mapping

Progress = Callable[[str, int, int], None]
Record = ContactRow | ActivityRow

# Rows of each outcome kept on the job to show.
SAMPLES_PER_OUTCOME = 50


@dataclass
class RecordFile:
    """Every row of a contacts or activities file. Position i is the i-th data row;
    `customer_of[i]` the customer row i names, once found."""

    numbers: list[int]
    rows: list[Record | None]
    problems: dict[int, list[Problem]]
    customer_of: dict[int, int] = field(default_factory=dict)

    def invalid(self, position: int, column: str, value: str, reason: str) -> None:
        self.problems.setdefault(position, []).append(
            Problem(self.numbers[position], column, value, reason)
        )
        self.rows[position] = None

    def problem_list(self) -> list[Problem]:
        return [problem for _p, found in sorted(self.problems.items()) for problem in found]


def records_read(job: ImportJob, progress: Progress) -> RecordFile:
    sheet = sheet_read(stored_path=job.stored_path, filename=job.file_name)
    mapping = propose_mapping(sheet.headers, job.kind, job.mapping)
    people = people_index() if "by" in mapping.fields else {}
    reader = RowReader(mapping, people=people)
    numbers: list[int] = []
    rows: list[Record | None] = []
    problems: dict[int, list[Problem]] = {}
    for position, row in enumerate(sheet.rows):
        parsed, found = reader.read(row)
        numbers.append(row.number)
        rows.append(parsed if isinstance(parsed, ContactRow | ActivityRow) else None)
        if found:
            problems[position] = found
        if position % 2000 == 0:
            progress("checking", position, 0)
    progress("checking", len(rows), len(rows))
    return RecordFile(numbers=numbers, rows=rows, problems=problems)


def customers_find(batch: RecordFile, user: User, *, visible_only: bool) -> None:
    """Finds the customer each row names (set-based: a few queries per thousand rows). Among
    several, the ones the user may see win; still several, or none, is an invalid row."""
    refs = {p: row.customer for p, row in enumerate(batch.rows) if row is not None}
    ids = {ref.customer_id for ref in refs.values() if ref.customer_id}
    codes = {code for ref in refs.values() if (code := _code(ref))}
    keys = {key for ref in refs.values() if (key := _name_key(ref))}
    by_id = set(_chunked(lambda chunk: Customer.objects.filter(pk__in=chunk), ids, "pk"))
    by_code: dict[str, list[int]] = defaultdict(list)
    for code, pk in _pairs(
        lambda chunk: Customer.objects.filter(credit_code__in=chunk), codes, "credit_code", "pk"
    ):
        by_code[code].append(pk)
    by_name: dict[str, list[int]] = defaultdict(list)
    for value, pk in _pairs(
        lambda chunk: IdentityKey.objects.filter(kind=KeyKind.NAME.value, value__in=chunk),
        keys,
        "value",
        "customer_id",
    ):
        by_name[value].append(pk)
    candidates = by_id | {pk for found in (*by_code.values(), *by_name.values()) for pk in found}
    visible = set(
        _chunked(lambda chunk: customers_visible_to(user).filter(pk__in=chunk), candidates, "pk")
    )
    for position, ref in refs.items():
        column, found = _candidates(ref, by_id, by_code, by_name)
        if len(found) > 1:
            found = [pk for pk in found if pk in visible] or found
        if visible_only:
            found = [pk for pk in found if pk in visible]
        if len(found) == 1:
            batch.customer_of[position] = found[0]
        elif not found:
            reason = (
                _("None of your customers is called this.")
                if visible_only
                else _("No customer is called this.")
            )
            batch.invalid(position, column, str(ref), reason)
        else:
            batch.invalid(
                position,
                column,
                str(ref),
                _("Several customers are called this; give the customer number instead."),
            )


def _code(ref: CustomerRef) -> str:
    return normalise_credit_code(ref.credit_code) or "" if ref.credit_code else ""


def _name_key(ref: CustomerRef) -> str:
    return parse_name(ref.name).key if ref.name.strip() else ""


def _candidates(
    ref: CustomerRef,
    by_id: set[int],
    by_code: dict[str, list[int]],
    by_name: dict[str, list[int]],
) -> tuple[str, list[int]]:
    """The column that named the customer, and the customers it names: by number first,
    then by credit code, then by name."""
    if ref.customer_id:
        return "customer_id", [ref.customer_id] if ref.customer_id in by_id else []
    if ref.credit_code:
        return "credit_code", sorted(set(by_code.get(_code(ref), [])))
    return "customer", sorted(set(by_name.get(_name_key(ref), [])))


def _chunked(query: Callable[[list[Any]], Any], values: set[Any], column: str) -> list[Any]:
    ordered = sorted(values)
    found: list[Any] = []
    for start in range(0, len(ordered), KEY_CHUNK):
        found.extend(query(ordered[start : start + KEY_CHUNK]).values_list(column, flat=True))
    return found


def _pairs(
    query: Callable[[list[Any]], Any], values: set[Any], first: str, second: str
) -> list[tuple[Any, Any]]:
    ordered = sorted(values)
    found: list[tuple[Any, Any]] = []
    for start in range(0, len(ordered), KEY_CHUNK):
        found.extend(query(ordered[start : start + KEY_CHUNK]).values_list(first, second))
    return found


def records_preview(job: ImportJob, user: User, now: datetime, progress: Progress) -> None:
    from guishu.imports.record_runs import records_preview_run

    records_preview_run(job, user, now, progress)


def records_commit(
    job: ImportJob, user: User, *, mode: str, now: datetime, progress: Progress
) -> tuple[dict[str, int], list[dict[str, Any]], dict[str, list[dict[str, Any]]], bool]:
    from guishu.imports.record_runs import records_commit_run

    return records_commit_run(job, user, mode=mode, now=now, progress=progress)
