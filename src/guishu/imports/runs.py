"""Running a preview or a commit of one job: its status, its summary, and its failure.

A job is previewed or committed by one process at a time (a compare-and-set on its status).
Whatever happens, the job says so: previewed, done, or failed with the reason; the file stays
stored, so nothing a user sent is lost and the import can be run again.
"""

import logging
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guishu.accounts.models import User
from guishu.customers.models import Contact, Customer, Identifier, IdentityKey
from guishu.imports.bulk import large_cache
from guishu.imports.customer_import import customers_commit, customers_preview
from guishu.imports.customers import PROBLEMS_KEPT, Progress
from guishu.imports.judge import gc_paused
from guishu.imports.models import ImportJob, Kind
from guishu.imports.plan import summary
from guishu.imports.services import ImportReport, job_claim
from guishu.imports.stored import statistics_refresh
from guishu.ownership.models import Ownership, OwnershipEvent
from guishu.pools.models import Pool
from guishu.tabular import TableError

logger = logging.getLogger(__name__)
S = ImportJob.Status
WRITTEN_TABLES = (Customer, Identifier, IdentityKey, Contact, Ownership, OwnershipEvent)
RUNNABLE = (S.UPLOADED, S.PREVIEWED, S.FAILED, S.DONE)


def _busy() -> ValidationError:
    return ValidationError(_("This import is being previewed or imported right now."))


def _failed(job: ImportJob, message: str, now: datetime) -> None:
    job.status = S.FAILED
    job.error = message
    job.finished_at = now
    job.save(update_fields=["status", "error", "finished_at"])


def _same_file(job: ImportJob) -> str:
    earlier = job.same_file_as
    if earlier is None or earlier.finished_at is None:
        return ""
    return _(
        "This very file was imported on %(day)s (import %(job)s): its rows are recorded "
        "already, and importing it again adds nothing."
    ) % {"day": timezone.localdate(earlier.finished_at).isoformat(), "job": earlier.pk}


def preview_run(
    job: ImportJob, user: User, *, rule: str, pool: Pool | None, progress: Progress
) -> ImportReport:
    now = timezone.now()
    if not job_claim(job, to=S.PREVIEWING, allowed=RUNNABLE, now=now):
        raise _busy()
    job.owner_rule, job.pool = rule, pool
    try:
        if job.kind == Kind.CUSTOMERS:
            with gc_paused(), large_cache():
                customers_preview(job, user, now, progress)
        else:
            from guishu.imports.records import records_preview

            records_preview(job, user, now, progress)
    except TableError as error:
        _failed(job, str(error), now)
        raise ValidationError({"file": [str(error)]}, code=error.code) from error
    except Exception:
        logger.exception("preview of import %s failed", job.pk)
        _failed(job, _("The preview failed; the file is kept, try again."), now)
        raise
    job.status = S.PREVIEWED
    job.previewed_at = now
    job.progress_done = job.progress_total = job.counts.get("rows", 0)
    job.save(
        update_fields=[
            "status",
            "owner_rule",
            "pool",
            "counts",
            "problems",
            "samples",
            "previewed_at",
            "progress_done",
            "progress_total",
        ]
    )
    message = " ".join(m for m in (_preview_message(job), _same_file(job)) if m)
    return ImportReport(job, job.counts, job.problems, job.samples, message=message)


def _preview_message(job: ImportJob) -> str:
    blocked = job.counts.get("invalid", 0) + job.counts.get("refused", 0)
    return ngettext(
        "%(rows)s rows read; %(new)s to import; %(blocked)s row cannot be imported.",
        "%(rows)s rows read; %(new)s to import; %(blocked)s rows cannot be imported.",
        blocked,
    ) % {
        "rows": f"{job.counts.get('rows', 0):,}",
        "new": f"{job.counts.get('new', 0):,}",
        "blocked": f"{blocked:,}",
    }


def commit_run(
    job: ImportJob,
    user: User,
    *,
    mode: str,
    rule: str,
    pool: Pool | None,
    progress: Progress,
) -> ImportReport:
    now = timezone.now()
    if not job_claim(job, to=S.IMPORTING, allowed=RUNNABLE, now=now):
        raise _busy()
    job.mode, job.owner_rule, job.pool = mode, rule, pool
    job.save(update_fields=["mode", "owner_rule", "pool"])
    try:
        if job.kind == Kind.CUSTOMERS:
            with gc_paused(), large_cache():
                outcome = _customers(job, user, mode=mode, rule=rule, pool=pool, progress=progress)
        else:
            from guishu.imports.records import records_commit

            outcome = records_commit(job, user, mode=mode, now=now, progress=progress)
    except TableError as error:
        _failed(job, str(error), timezone.now())
        raise ValidationError({"file": [str(error)]}, code=error.code) from error
    except Exception:
        # The write is one transaction: whatever failed, it wrote nothing. The details go to
        # the log, not to the page.
        logger.exception("import %s failed", job.pk)
        _failed(job, _("The import failed and wrote nothing; the file is kept, try again."), now)
        raise
    counts, problems, samples, written = outcome
    if written and counts.get("imported"):
        try:
            statistics_refresh(WRITTEN_TABLES)
        except Exception:  # the import is done; fresh statistics only speed up the next one
            logger.exception("could not refresh the statistics after import %s", job.pk)
    job.counts, job.problems, job.samples = counts, problems[:PROBLEMS_KEPT], samples
    job.finished_at = timezone.now()
    job.progress_done = job.progress_total = counts.get("rows", 0)
    if written:
        job.status = S.DONE
        message = _("%(imported)s rows imported, %(skipped)s skipped.") % {
            "imported": f"{counts['imported']:,}",
            "skipped": f"{counts['skipped']:,}",
        }
    else:
        job.status = S.FAILED
        blocked = len(problems)
        message = job.error = ngettext(
            "%(count)s row cannot be imported, so nothing was imported (all or nothing). "
            "Correct it, or import with “skip invalid rows”.",
            "%(count)s rows cannot be imported, so nothing was imported (all or nothing). "
            "Correct them, or import with “skip invalid rows”.",
            blocked,
        ) % {"count": f"{blocked:,}"}
    job.save()
    return ImportReport(job, counts, job.problems, samples, written=written, message=message)


def _customers(
    job: ImportJob,
    user: User,
    *,
    mode: str,
    rule: str,
    pool: Pool | None,
    progress: Progress,
) -> tuple[dict[str, int], list[dict[str, Any]], dict[str, list[dict[str, Any]]], bool]:
    now = timezone.now()
    result = customers_commit(
        job, user, mode=mode, rule=rule, pool=pool, now=now, progress=progress
    )
    counts = summary(result.plans)
    counts["rows"] = len(result.plans)
    written = result.written
    counts["imported"] = written.created if written else 0
    counts["skipped"] = counts["rows"] - counts["imported"]
    counts["collisions_recorded"] = written.collisions if written else 0
    counts["collisions_known"] = written.collisions_known if written else 0
    problems = [problem.as_json() for problem in result.problems]
    return counts, problems, result.samples, written is not None
