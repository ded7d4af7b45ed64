"""Import services: upload a file, adjust its column mapping, preview it, commit it.

Keyword-only, one use case each. A job belongs to the user who uploaded it: another user
asking for it gets ImportJob.DoesNotExist, as for a job that does not exist. The preview
writes nothing but the job's summary; the commit writes everything in one transaction (all or
nothing), or the valid rows only (skip_invalid). See docs/imports.md.
"""

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guishu.accounts.models import User
from guishu.domain import Role
from guishu.imports.models import ImportJob, ImportMapping, Kind
from guishu.imports.source import file_store, sheet_of
from guishu.pools.models import Pool
from guishu.tabular import TableError
from guishu.tabular.headers import HeaderMapping, fields_for, propose_mapping

Progress = Callable[[str, int, int], None]
# A page polling the job sees progress this fresh: at most one write per this many seconds.
PROGRESS_EVERY = 1.0


@dataclass(frozen=True)
class ImportReport:
    """What a preview found or a commit did. `counts` by outcome (see ImportJob); `problems`
    the rows that cannot be imported (row, column, value, reason); `samples` the first rows of
    each outcome as the user may see them; `message` one sentence for the user."""

    job: ImportJob
    counts: dict[str, int]
    problems: list[dict[str, Any]]
    samples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    written: bool = False
    message: str = ""


def job_of(user: User, job_id: int) -> ImportJob:
    """The user's own job, or ImportJob.DoesNotExist."""
    return ImportJob.objects.select_related("pool").get(pk=job_id, uploaded_by=user)


def import_jobs_of(user: User) -> "list[ImportJob]":
    """The user's jobs, newest first (for the import page)."""
    return list(ImportJob.objects.filter(uploaded_by=user).order_by("-created_at")[:50])


def import_upload(*, user: User, kind: str, filename: str, data: bytes) -> ImportJob:
    """Keeps the file, reads its header row and proposes a mapping: the one the company last
    confirmed for these headers, then the automatic recognition (English and Chinese). Raises
    ValidationError when the file cannot be read (too large, not a spreadsheet, ...), with
    the reason."""
    if kind not in Kind.values:
        raise ValidationError({"kind": [_("Choose customers, contacts or activities.")]})
    try:
        sheet = sheet_of(data, filename=filename)
    except TableError as error:
        raise ValidationError({"file": [str(error)]}, code=error.code) from error
    stored = file_store(filename=filename, data=data)
    remembered = ImportMapping.objects.filter(kind=kind).values_list("mapping", flat=True).first()
    earlier = (
        ImportJob.objects.filter(sha256=stored.sha256, kind=kind, status=ImportJob.Status.DONE)
        .order_by("-finished_at")
        .first()
    )
    proposed = propose_mapping(sheet.headers, kind, remembered or {})
    return ImportJob.objects.create(
        kind=kind,
        uploaded_by=user,
        file_name=filename[:255],
        file_size=stored.size,
        sha256=stored.sha256,
        stored_path=stored.path,
        headers=sheet.headers,
        mapping=proposed.remember(),
        mapping_origins=list(proposed.origins),
        same_file_as=earlier,
    )


def import_mapping_of(job: ImportJob) -> HeaderMapping:
    """The job's mapping column by column: the field each column fills (None: ignored) and
    where that came from (saved, user, auto, unknown, duplicate), for the mapping page."""
    mapping = propose_mapping(job.headers, job.kind, job.mapping)
    if len(job.mapping_origins) == len(mapping.headers):
        mapping = replace(mapping, origins=tuple(job.mapping_origins))
    return mapping


def import_mapping_set(*, user: User, job_id: int, mapping: Mapping[str, str | None]) -> ImportJob:
    """Changes the job's mapping ({header: field, or None to ignore the column}; headers not
    named keep theirs) and remembers it for the company's next file of this kind. A preview
    made with another mapping is out of date: the job goes back to "uploaded"."""
    job = job_of(user, job_id)
    if job.status in (ImportJob.Status.PREVIEWING, ImportJob.Status.IMPORTING):
        raise ValidationError({"mapping": [_("Wait until this import has finished.")]})
    chosen, origins = mapping_check(job, mapping)
    with transaction.atomic():
        remembered, _created = ImportMapping.objects.select_for_update().get_or_create(
            kind=job.kind, defaults={"updated_by": user, "updated_at": timezone.now()}
        )
        remembered.mapping = {**remembered.mapping, **chosen}
        remembered.updated_by = user
        remembered.updated_at = timezone.now()
        remembered.save()
        job.mapping, job.mapping_origins = chosen, origins
        if job.status != ImportJob.Status.DONE:
            job.status = ImportJob.Status.UPLOADED
        job.save(update_fields=["mapping", "mapping_origins", "status"])
    return job


def mapping_check(
    job: ImportJob, mapping: Mapping[str, str | None]
) -> tuple[dict[str, str | None], list[str]]:
    """The job's mapping with the user's changes, as {header: field or None} for every
    header, and where each column's field came from; ValidationError when a change names no
    column or no field of this kind, or a required field is left without a column."""
    known = fields_for(job.kind)
    errors: list[str] = []
    for header, name in mapping.items():
        if header not in job.headers:
            errors.append(_("The file has no column “%(header)s”.") % {"header": header})
        elif name and name not in known:
            errors.append(_("“%(field)s” is not a field of this import.") % {"field": name})
    if errors:
        raise ValidationError({"mapping": errors})
    changes = {header: (name or None) for header, name in mapping.items()}
    current = import_mapping_of(job)
    positions = {
        index: changes[header]
        for index, header in enumerate(current.headers)
        if header in changes and changes[header] != current.fields[index]
    }
    chosen = current.adjust(positions)
    for group in chosen.missing:
        errors.append(
            _("Choose the column that holds %(field)s.")
            % {"field": _(" or ").join(str(known[name].label) for name in group)}
        )
    if errors:
        raise ValidationError({"mapping": errors})
    return chosen.remember(), list(chosen.origins)


def may_use_rule(user: User, rule: str) -> bool:
    """Reps import their own customers; managers, directors and admins may also assign them
    by an owner column (to people they oversee) or send them to a pool; only someone who may
    own customers registers them for themselves."""
    if rule == ImportJob.OwnerRule.IMPORTER:
        return user.role in (Role.REP, Role.MANAGER)
    return user.role in (Role.MANAGER, Role.DIRECTOR, Role.ADMIN)


def rule_check(user: User, job: ImportJob, rule: str, pool_id: int | None) -> Pool | None:
    if job.kind != Kind.CUSTOMERS:
        return None
    if rule not in ImportJob.OwnerRule.values:
        raise ValidationError({"owner_rule": [_("Unknown ownership rule.")]})
    if not may_use_rule(user, rule):
        if rule == ImportJob.OwnerRule.IMPORTER:
            raise PermissionDenied(
                _("Directors and admins do not own customers: use an owner column or a pool.")
            )
        raise PermissionDenied(_("Only managers and admins assign imported customers."))
    if rule == ImportJob.OwnerRule.OWNER_COLUMN and "owner" not in job.mapping.values():
        raise ValidationError({"owner_rule": [_("Choose the column that holds the owner.")]})
    if rule != ImportJob.OwnerRule.POOL or pool_id is None:
        return None
    pool = Pool.objects.filter(pk=pool_id, active=True).first()
    if pool is None:
        raise ValidationError({"pool": [_("No such pool.")]})
    return pool


def progress_keeper(job: ImportJob, tell: Progress | None) -> Progress:
    """Progress for the caller (a progress bar) and for the page (the job's row, written at
    most every PROGRESS_EVERY seconds and at the end of each phase, outside any
    transaction)."""
    last = {"at": 0.0}

    def keep(phase: str, done: int, total: int) -> None:
        if tell is not None:
            tell(phase, done, total)
        moment = time.monotonic()
        if moment - last["at"] < PROGRESS_EVERY and done != total:
            return
        last["at"] = moment
        if transaction.get_connection().in_atomic_block:
            return  # inside the commit's transaction nobody else would see it
        ImportJob.objects.filter(pk=job.pk).update(
            phase=phase, progress_done=done, progress_total=total
        )

    return keep


def job_claim(job: ImportJob, *, to: str, allowed: tuple[str, ...], now: datetime) -> bool:
    """Compare-and-set on the status: one preview or commit of a job at a time."""
    changes: dict[str, Any] = {"status": to, "error": "", "phase": "", "progress_done": 0}
    if to == ImportJob.Status.IMPORTING:
        changes["started_at"] = now
    claimed = ImportJob.objects.filter(pk=job.pk, status__in=allowed).update(**changes)
    if claimed:
        job.refresh_from_db()
    return bool(claimed)


def import_preview(
    *,
    user: User,
    job_id: int,
    owner_rule: str | None = None,
    pool_id: int | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Reads and judges every row, writing nothing but the job's summary: how many rows are
    new, duplicates inside the file (and of which row), collisions with other reps' customers
    (masked for a rep), matches in the pool, already the user's, and which cannot be imported
    (the cell and the reason). `owner_rule` and `pool_id` as for the commit (default: as the
    job last had them). Raises ValidationError when the file cannot be read."""
    from guishu.imports.runs import preview_run

    job = job_of(user, job_id)
    rule = owner_rule or default_rule(user, job)
    pool = rule_check(user, job, rule, pool_id)
    return preview_run(job, user, rule=rule, pool=pool, progress=progress_keeper(job, progress))


def default_rule(user: User, job: ImportJob) -> str:
    """The job's rule; for someone who owns no customers, the owner column when the file has
    one, else the pool."""
    if job.owner_rule != ImportJob.OwnerRule.IMPORTER or may_use_rule(user, job.owner_rule):
        return job.owner_rule
    if "owner" in job.mapping.values():
        return ImportJob.OwnerRule.OWNER_COLUMN
    return ImportJob.OwnerRule.POOL


def import_commit(
    *,
    user: User,
    job_id: int,
    mode: str = ImportJob.Mode.ALL_OR_NOTHING,
    owner_rule: str | None = None,
    pool_id: int | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Imports the rows. `mode` all_or_nothing (any row that cannot be imported: nothing is
    written, and the report says why) or skip_invalid. `owner_rule` (customers): importer,
    owner_column or pool (`pool_id`, or the pools' routing rules when None); by default the
    job's, or for someone who owns no customers the owner column, else the pool. Collisions
    become collision records; nothing is merged and no customer gets a second owner.
    Importing the same rows again adds nothing."""
    from guishu.imports.runs import commit_run

    job = job_of(user, job_id)
    if mode not in ImportJob.Mode.values:
        raise ValidationError({"mode": [_("Choose all or nothing, or skip invalid rows.")]})
    rule = owner_rule or default_rule(user, job)
    pool = rule_check(user, job, rule, pool_id)
    return commit_run(
        job, user, mode=mode, rule=rule, pool=pool, progress=progress_keeper(job, progress)
    )
